"""Makes user-supplied text (file names, typed input) safe to show in a terminal."""

from __future__ import annotations

import os
import unicodedata


def safe_text(text: str, limit: int = 200) -> str:
    """`text` with undecodable bytes and control characters escaped, cut to `limit` characters.

    File names may hold bytes that are not UTF-8 (kept by Python as lone surrogates), newlines or
    terminal escape sequences; printed raw they break the output or drive the terminal.
    """
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    out = []
    for ch in raw:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def safe_path(path: str | os.PathLike[str]) -> str:
    """A path as it can be shown: see safe_text."""
    return safe_text(os.fspath(path), limit=400)
