"""SQLite storage (sqlite-utils): schema and migrations, transactions, queries.

The only package that speaks SQL.
"""
from ..errors import StoreError
from .db import Database, DatabaseErrors, as_store_error
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Database", "DatabaseErrors", "StoreError", "as_store_error"]
