"""Every path kyctui uses: the data dir (platformdirs, or KYCTUI_DATA_DIR) and what lives in it."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "KYCTUI_DATA_DIR"


def knowledge_dir() -> Path:
    """The packaged knowledge files (exchange rules, checklist, limits).

    A plain path beside this module rather than importlib.resources, whose import alone costs
    ~17 ms of every start; kyctui is always installed as files, never zipped.
    """
    return Path(__file__).resolve().parent / "knowledge"


def data_dir() -> Path:
    """Where all state lives; created 0700 on first use by the store, not here."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path  # deferred: only commands that touch state need it

    return user_data_path("kyctui", appauthor=False)


def cache_dir() -> Path:
    """Files kyctui can rebuild at any time (the face detector unpacked from dlib): inside
    KYCTUI_DATA_DIR when it is set, else the platformdirs user cache dir. Created by its user."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path  # deferred, as in data_dir()

    return user_cache_path("kyctui", appauthor=False)


def database_path() -> Path:
    """The SQLite database of attempts, photos and results."""
    return data_dir() / "kyctui.sqlite3"
