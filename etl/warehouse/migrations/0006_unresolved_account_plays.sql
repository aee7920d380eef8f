-- Account-data plays whose track no known track named when they were loaded (their ID is
-- still a provisional `name:` key). Each load of tracks new to the warehouse asks whether
-- a user has any, so that they resolve whichever order the files come in; the index holds
-- only those plays, so asking costs one probe and it grows with nothing else.
CREATE INDEX fact_plays_unresolved_account_idx ON fact_plays (user_id)
WHERE source = 'account' AND track_id LIKE 'name:%';
