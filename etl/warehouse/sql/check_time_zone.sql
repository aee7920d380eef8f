-- Fails (invalid_parameter_value) for a zone PostgreSQL does not know: its time zone
-- database may lack a name Python's has, and the days are cut here.
SELECT now() AT TIME ZONE %(time_zone)s;
