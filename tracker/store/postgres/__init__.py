"""The PostgreSQL store (psycopg 3, the `postgres` extra): connection, schema, roles and
row-level security, the copy from SQLite. Nothing here is imported on the SQLite path."""
