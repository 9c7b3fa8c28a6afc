"""SQLite storage (sqlite-utils): schema and migrations, transactions, queries.

The only package that speaks SQL.
"""
from .db import Database, StoreError, default_path
from .schema import SCHEMA_VERSION

__all__ = ["Database", "StoreError", "default_path", "SCHEMA_VERSION"]
