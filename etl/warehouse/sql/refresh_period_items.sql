-- Rebuild agg_monthly_items and agg_yearly_items for every month and year that holds a
-- stale day (take_stale_days.sql and refresh_daily_items.sql ran first: every day of them
-- is exact), and agg_all_time_items for every user with one.
CREATE TEMP TABLE stale_item_months ON COMMIT DROP AS
SELECT DISTINCT user_id, date_trunc('month', day::timestamp)::date AS month
FROM stale_days;

DELETE FROM agg_monthly_items AS m
USING stale_item_months AS s
WHERE m.user_id = s.user_id AND m.month = s.month;

INSERT INTO agg_monthly_items
SELECT d.user_id, s.month, d.kind, d.item_id, sum(d.plays), sum(d.listening_ms),
       sum(d.skips), sum(d.skip_known), sum(d.finished), min(d.first_started_at),
       max(d.last_started_at)
FROM stale_item_months AS s
JOIN agg_daily_items AS d
  ON d.user_id = s.user_id
 AND d.day >= s.month
 AND d.day < (s.month + interval '1 month')::date
GROUP BY d.user_id, s.month, d.kind, d.item_id;

CREATE TEMP TABLE stale_item_years ON COMMIT DROP AS
SELECT DISTINCT user_id, date_trunc('year', month::timestamp)::date AS year
FROM stale_item_months;

DELETE FROM agg_yearly_items AS y
USING stale_item_years AS s
WHERE y.user_id = s.user_id AND y.year = s.year;

INSERT INTO agg_yearly_items
SELECT m.user_id, s.year, m.kind, m.item_id, sum(m.plays), sum(m.listening_ms),
       sum(m.skips), sum(m.skip_known), sum(m.finished), min(m.first_started_at),
       max(m.last_started_at)
FROM stale_item_years AS s
JOIN agg_monthly_items AS m
  ON m.user_id = s.user_id
 AND m.month >= s.year
 AND m.month < (s.year + interval '1 year')::date
GROUP BY m.user_id, s.year, m.kind, m.item_id;

-- A user's all time is a few thousand rows per year: summed again whole, not item by item.
DELETE FROM agg_all_time_items
WHERE user_id IN (SELECT user_id FROM stale_item_years);

INSERT INTO agg_all_time_items
SELECT y.user_id, y.kind, y.item_id, sum(y.plays), sum(y.listening_ms), sum(y.skips),
       sum(y.skip_known), sum(y.finished), min(y.first_started_at), max(y.last_started_at)
FROM agg_yearly_items AS y
WHERE y.user_id IN (SELECT user_id FROM stale_item_years)
GROUP BY y.user_id, y.kind, y.item_id;
