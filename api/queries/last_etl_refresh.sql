-- When the pipeline last refreshed the warehouse (migration 0019); no row before the first.
SELECT refreshed_at FROM etl_refreshes;
