-- The run of consecutive local listening days that ends today or yesterday (%(today)s: the
-- user's local day by the app's clock; none when neither day has a play), and the listening
-- days among the %(recent)s days up to today. One row, with NULLs when there is no run.
WITH listened AS (
    SELECT DISTINCT day
    FROM agg_hourly
    WHERE user_id = %(user_id)s
      AND day <= %(today)s::date
), numbered AS (
    -- Counting back from the latest day, a run's days share day + their position.
    SELECT day, day + (row_number() OVER (ORDER BY day DESC))::integer AS run
    FROM listened
), current_run AS (
    SELECT day
    FROM numbered
    WHERE run = (SELECT max(day) + 1 FROM listened)
      AND (SELECT max(day) FROM listened) >= %(today)s::date - 1
)
SELECT (SELECT min(day) FROM current_run) AS start,
       (SELECT max(day) FROM current_run) AS "end",
       (SELECT count(*) FROM current_run) AS days,
       ARRAY(SELECT day FROM listened
             WHERE day > %(today)s::date - %(recent)s
             ORDER BY day) AS recent_days;
