-- Every table of the warehouse's schema with a user_id column (whichever migration added
-- it), and the foreign keys among the schema's tables: what deleting a user deletes from,
-- and in which order.
SELECT c.table_name::text, NULL::text AS referenced
FROM information_schema.columns AS c
JOIN information_schema.tables AS t USING (table_schema, table_name)
WHERE c.table_schema = current_schema()
  AND c.column_name = 'user_id'
  AND t.table_type = 'BASE TABLE'
UNION ALL
SELECT referencing.relname::text, referenced.relname::text
FROM pg_constraint AS con
JOIN pg_class AS referencing ON referencing.oid = con.conrelid
JOIN pg_class AS referenced ON referenced.oid = con.confrelid
WHERE con.contype = 'f'
  AND referencing.relnamespace = current_schema()::regnamespace
  AND referencing.oid <> referenced.oid;
