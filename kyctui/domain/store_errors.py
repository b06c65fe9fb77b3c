"""The store's errors, and SQLite's failures put in our own words (never quoting a row)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kyctui.domain.display import safe_path


class StoreError(Exception):
    """Any failure of the store; the message is for the user and never holds personal data."""


class CorruptStoreError(StoreError):
    """The database file is not a readable SQLite database (or not kyctui's)."""


class FutureSchemaError(StoreError):
    """The database was written by a newer kyctui: not corrupt, so never moved aside."""


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


BUSY_MESSAGE = (
    "The kyctui database is in use by another kyctui window or command. Close the other"
    " window (or wait for the command to finish), then try again."
)

# Primary result code → why, in words a user can act on. SQLite's own message is never shown:
# for some errors (constraints, bad values) it can quote a value from the row.
_CAUSES = {
    sqlite3.SQLITE_FULL: "the disk is full: free some space, then try again",
    sqlite3.SQLITE_READONLY: "it is read-only: check that its folder is writable by you",
    sqlite3.SQLITE_CANTOPEN: "it cannot be opened: check that its folder exists and is yours",
    sqlite3.SQLITE_PERM: "permission denied: check that its folder is writable by you",
    sqlite3.SQLITE_AUTH: "permission denied: check that its folder is writable by you",
    sqlite3.SQLITE_IOERR: "the disk reported an input/output error",
    sqlite3.SQLITE_NOMEM: "the computer ran out of memory",
}
# An error raised without a result code (by a wrapper, or a test's fault injection) still
# carries SQLite's fixed text for the code (sqlite3_errstr), which is safe to match on.
_CODE_OF_TEXT = {
    "database or disk is full": sqlite3.SQLITE_FULL,
    "attempt to write a readonly database": sqlite3.SQLITE_READONLY,
    "unable to open database file": sqlite3.SQLITE_CANTOPEN,
    "disk i/o error": sqlite3.SQLITE_IOERR,
    "database is locked": sqlite3.SQLITE_BUSY,
    "database table is locked": sqlite3.SQLITE_LOCKED,
    "file is not a database": sqlite3.SQLITE_NOTADB,
    "database disk image is malformed": sqlite3.SQLITE_CORRUPT,
    "out of memory": sqlite3.SQLITE_NOMEM,
}


def missing(attempt_id: int) -> AttemptNotFound:
    """The error for an attempt id that has no row."""
    return AttemptNotFound(f"Attempt {attempt_id} does not exist.")


def corrupt(path: Path, why: str = "is damaged or is not a database") -> CorruptStoreError:
    """The error for a database file that cannot be used as it is."""
    return CorruptStoreError(
        f"The kyctui database at {safe_path(path)} {why}: move it aside (kyctui does so itself"
        " when it starts) to begin with an empty one; your photos are not inside it."
    )


def result_code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of `exc`, from the exception or its fixed message text."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).strip().lower()
    return next((c for known, c in _CODE_OF_TEXT.items() if text.startswith(known)), 0)


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """The StoreError to raise for an SQLite error on the database at `path`."""
    code = result_code(exc)
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return corrupt(path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(BUSY_MESSAGE)
    cause = _CAUSES.get(code)
    if cause is None:
        name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
        cause = f"SQLite error {name}"
    where = safe_path(path)
    return StoreError(f"Could not save to or read the kyctui database at {where}: {cause}.")
