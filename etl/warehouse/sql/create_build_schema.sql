-- A fresh schema for a rebuild to build the warehouse in, out of the readers' way; what
-- a rebuild killed earlier left there goes first.
DROP SCHEMA IF EXISTS {build} CASCADE;
CREATE SCHEMA {build};
