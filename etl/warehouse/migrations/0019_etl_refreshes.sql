-- When the pipeline last refreshed the warehouse successfully (its apply step), for the
-- dashboard's header: one row, moved forward by each refresh, on the pipeline's clock.
CREATE TABLE etl_refreshes (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    refreshed_at timestamptz NOT NULL
);
