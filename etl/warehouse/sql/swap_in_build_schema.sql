-- Put the rebuilt warehouse in the live one's place, in the caller's one transaction:
-- a reader sees the old warehouse or the new one, whole, never a mix and never nothing.
--
-- Dropping the old schema takes every one of its tables' locks before the commit, so no
-- query that began on the old tables is still reading them when the new ones take their
-- names. A reader's query holds its tables until it ends; should the swap wait on one
-- while holding another that the reader wants next, the swap's short lock_timeout (well
-- under the deadlock_timeout that would fail one side) makes the swap the one that gives
-- up, and the caller tries again.
SET LOCAL lock_timeout = '200ms';

DO $swap$
DECLARE
    live     text := {live};
    build    text := {build};
    replaced text := {replaced};
    grant_statement text;
BEGIN
    -- The new schema gets the live one's owner and privileges: PostgreSQL 15+'s public is
    -- pg_database_owner's with USAGE for PUBLIC; on AWS the app user has USAGE, DML on
    -- every table, and default privileges for the tables later migrations create.
    EXECUTE format('ALTER SCHEMA %I OWNER TO %s', build,
                   (SELECT nspowner::regrole FROM pg_namespace WHERE nspname = live));
    FOR grant_statement IN
        WITH privileges (prefix, target, acl) AS (
            SELECT '', format('ON SCHEMA %I', build), nspacl
            FROM pg_namespace
            WHERE nspname = live
            UNION ALL
            -- tables, views and sequences, each to its namesake
            SELECT '', format('ON %s %I.%I',
                              CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                              build, c.relname),
                   c.relacl
            FROM pg_class AS c
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE n.nspname = live
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND to_regclass(format('%I.%I', build, c.relname)) IS NOT NULL
            UNION ALL
            SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %I ',
                          d.defaclrole::regrole, build),
                   CASE d.defaclobjtype WHEN 'r' THEN 'ON TABLES' WHEN 'S' THEN 'ON SEQUENCES'
                                        WHEN 'f' THEN 'ON FUNCTIONS' ELSE 'ON TYPES' END,
                   d.defaclacl
            FROM pg_default_acl AS d
            JOIN pg_namespace AS n ON n.oid = d.defaclnamespace
            WHERE n.nspname = live
        )
        SELECT format('%sGRANT %s %s TO %s%s', p.prefix, acl.privilege_type, p.target,
                      CASE acl.grantee WHEN 0 THEN 'PUBLIC' ELSE acl.grantee::regrole::text END,
                      CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM privileges AS p, aclexplode(p.acl) AS acl
    LOOP
        EXECUTE grant_statement;
    END LOOP;

    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', live, replaced);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', build, live);
    EXECUTE format('DROP SCHEMA %I CASCADE', replaced);
END
$swap$;
