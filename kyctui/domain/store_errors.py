"""The store's errors, and SQLite's failures put in our own words (never quoting a row)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """Any failure of the store; the message is for the user and never holds personal data."""


class CorruptStoreError(StoreError):
    """The database file is not a readable SQLite database."""


class FutureSchemaError(StoreError):
    """The database was written by a newer kyctui."""


class StoreBusyError(StoreError):
    """Another kyctui held the database for longer than the busy timeout."""


class AttemptNotFound(StoreError, KeyError):
    """No attempt has that id (it may have been deleted from another window)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Attempt not found."  # not KeyError's repr()


class OutcomeNotFound(StoreError, KeyError):
    """No recorded outcome matches (it may have been deleted from another window)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Outcome not found."


def missing(attempt_id: int) -> AttemptNotFound:
    """The error for an attempt id that has no row."""
    return AttemptNotFound(f"Attempt {attempt_id} does not exist.")


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """The StoreError to raise for an SQLite error on the database at `path`."""
    # Our own words only: SQLite's message could quote a value from the row.
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return CorruptStoreError(
            f"The kyctui database at {path} is damaged or is not a database. Rename or"
            " move it aside and start kyctui again to begin with an empty one; your photos"
            " are not inside it."
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(
            "The kyctui database is busy (another kyctui is writing to it). Try again."
        )
    name = getattr(exc, "sqlite_errorname", type(exc).__name__)
    return StoreError(f"Could not read or write the kyctui database at {path} ({name}).")
