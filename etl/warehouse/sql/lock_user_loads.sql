-- The user's load lock for this transaction: a load of theirs running meanwhile finishes
-- first, and one that follows starts after this commits.
SELECT pg_advisory_xact_lock(%(lock_class)s, hashtext(%(user_id)s));
