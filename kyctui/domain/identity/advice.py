"""The advice (fix) texts of the identity checks, from identity.toml."""

from __future__ import annotations

from kyctui.knowledge.identity import load_identity


def fix(key: str) -> str:
    """The advice for one kind of problem (identity.toml [advice]); KeyError for an unknown key."""
    return load_identity().advice[key].fix
