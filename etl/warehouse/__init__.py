"""The PostgreSQL warehouse: connections, migrations, the load and its SQL, the rollups."""
