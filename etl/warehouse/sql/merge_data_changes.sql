-- The last statement of every refresh: each user's (and the catalog's) committed rows of
-- data_changes become one, holding their sum, so the table stays as small as its users.
-- The sums, the data versions, stay as they were; a row another transaction is adding is
-- not visible here, left alone, and adds to the sum when it commits.
WITH merged AS (
    DELETE FROM data_changes RETURNING user_id, changes
)
INSERT INTO data_changes (user_id, changes)
SELECT user_id, sum(changes)
FROM merged
GROUP BY user_id;
