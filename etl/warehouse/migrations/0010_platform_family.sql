-- Where a play was played, as people name it: the platform family and the device of the
-- export's `platform` string. The one place that reads those strings; the API groups by it.
--
-- Exports have named platforms in two ways. Older ones give the system and the device:
-- "Android OS 9 API 28 (samsung, SM-G960F)", "iOS 12.1.4 (iPhone10,6)",
-- "Windows 10 (10.0.17763; x64)", "OS X 10.14.3 [x86 8]",
-- "web_player windows 10;chrome 71.0.3578.98;desktop", "Partner sonos_ZPS23 Sonos",
-- "Partner google cast_audio Google;Chromecast_Audio". Newer ones give the system only:
-- "android", "ios", "windows", "osx", "linux", "web_player". A source that does not say
-- (the Web API: NULL; "not_applicable") is Unknown.

CREATE FUNCTION platform_family(platform text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN platform IS NULL OR btrim(platform) IN ('', 'not_applicable', 'unknown') THEN 'Unknown'
    -- Partner devices first: "Partner android_tv ..." is a TV, not a phone.
    WHEN platform ~* '^\s*(partner|cast|sonos|chromecast|google[ _]?home|alexa|amazon)'
        THEN 'Cast & speakers'
    WHEN platform ~* '^\s*web[ _]?player' THEN 'Web player'
    WHEN platform ~* '^\s*android' THEN 'Android'
    WHEN platform ~* '^\s*(ios|iphone|ipad|ipod)' THEN 'iOS'
    WHEN platform ~* '^\s*windows' THEN 'Windows'
    WHEN platform ~* '^\s*(os ?x|mac ?os|macintosh)' THEN 'macOS'
    WHEN platform ~* '^\s*linux' THEN 'Linux'
    ELSE 'Other'
END;

-- The device as a person would recognise it: a phone by its maker and model, a computer by
-- its system without build numbers, a browser by its name, a speaker by its brand and model.
-- The same phone on two system versions is one device.
CREATE FUNCTION platform_device(platform text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    -- A system named alone ("android", "osx") says no more than its family.
    WHEN platform IS NULL OR btrim(platform) ~* '^(not_applicable|unknown|android|ios|windows|osx|linux)?$'
        THEN platform_family(platform)
    WHEN platform_family(platform) = 'Cast & speakers' THEN
        -- The brand and model it ends with: "Partner google cast_audio Google;Chromecast_Audio"
        -- -> "Google Chromecast Audio", "Partner sonos_ZPS23 Sonos" -> "Sonos"
        translate(coalesce(substring(platform FROM '(\S+;.*)$'),
                           substring(btrim(platform) FROM '(\S+)$')), ';_', '  ')
    WHEN platform_family(platform) = 'Web player' THEN
        -- "web_player windows 10;chrome 71.0.3578.98;desktop" -> "Web player (chrome, windows 10)"
        'Web player' || coalesce(' (' || nullif(concat_ws(', ',
            nullif(substring(split_part(platform, ';', 2) FROM '^\s*(\S+)'), ''),
            nullif(btrim(substring(split_part(platform, ';', 1) FROM '^\s*web[ _]?player(.*)$')), '')
        ), '') || ')', '')
    ELSE coalesce(
        -- A phone by its maker and model: "(samsung, SM-G960F)" -> "samsung SM-G960F"
        CASE WHEN platform ~* '^\s*(android|ios)'
             THEN regexp_replace(substring(platform FROM '\(([^()]+)\)\s*$'), ',\s+', ' ', 'g')
        END,
        -- Anything else without its build details: "Windows 10 (10.0.17763; x64)" -> "Windows 10"
        nullif(btrim(regexp_replace(platform, '\s*[\(\[].*$', '')), ''),
        btrim(platform))
END;

-- The Web API does not say whether a play was skipped: its plays' length is an estimate
-- (until the next play started), so a skip read from it was a guess. Plays ingested before
-- this was known forget it, and their days are rebuilt.
WITH cleared AS (
    UPDATE fact_plays SET skipped = NULL
    WHERE source = 'api' AND skipped IS NOT NULL
    RETURNING user_id, started_at
)
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT cleared.user_id, (cleared.started_at AT TIME ZONE users.time_zone)::date
FROM cleared
JOIN users USING (user_id)
ON CONFLICT DO NOTHING;
