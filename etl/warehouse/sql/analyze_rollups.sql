-- After a large refresh (an import, a new time zone) the planner's statistics would still
-- describe the rollups before it, and the first requests after it would be planned for
-- tables a fraction of their size; autovacuum analyses them only later. A refresh of a few
-- days leaves them as they are.
DO $$
BEGIN
    IF (SELECT count(*) FROM stale_plays) > 10000 THEN
        ANALYZE agg_daily_items;
        ANALYZE agg_monthly_items;
        ANALYZE agg_yearly_items;
        ANALYZE agg_all_time_items;
        ANALYZE agg_hourly;
        ANALYZE agg_daily_context;
        ANALYZE agg_daily_mood;
        ANALYZE agg_sessions;
        ANALYZE agg_first_plays;
        ANALYZE agg_monthly_ranks;
    END IF;
END
$$;
