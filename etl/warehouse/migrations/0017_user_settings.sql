-- A user's preferences, one row once they change one. The time zone is not here: it stays
-- users.time_zone, which cuts the days of every rollup.
--
-- ranking_measure: what the dashboard's top lists rank by until the user picks another on
-- the page (the API's `by`: 'listening_time', the sum of ms_played, or 'plays').
CREATE TABLE user_settings (
    user_id          text PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    ranking_measure  text NOT NULL DEFAULT 'listening_time'
                     CHECK (ranking_measure IN ('listening_time', 'plays')),
    changed_at       timestamptz NOT NULL          -- when a setting here last changed
);
