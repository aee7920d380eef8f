-- Where item %(item_id)s of %(kind)s ('track', 'artist', 'album', 'show' or 'audiobook')
-- ranked among the user's items of that kind in each local month it was played, and how
-- many were played that month: one item's range of the monthly rollup.
SELECT month, rank, ranked
FROM agg_monthly_ranks
WHERE user_id = %(user_id)s
  AND kind = %(kind)s
  AND item_id = %(item_id)s;
