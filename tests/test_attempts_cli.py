"""`kyctui attempts`: the table, the JSON list, the empty case and store errors."""

from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest

from kyctui import locations
from kyctui.cli import main
from kyctui.commands.attempts import EMPTY, as_json
from kyctui.domain.store import Store
from tests.ticket_history import make_history

KEYS = [
    "id", "exchange", "level", "document_type", "started_at", "updated_at", "status", "step",
    "items_done", "photos", "failures", "latest_outcome",
]  # fmt: skip


def attempts(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["attempts", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_no_attempts_says_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert attempts(capsys) == (0, EMPTY + "\n", "")
    assert "press n" in EMPTY
    code, out, _ = attempts(capsys, "--json")
    assert code == 0 and json.loads(out) == []


def test_table_lists_every_attempt_latest_first(capsys: pytest.CaptureFixture[str]) -> None:
    make_history(Store.open_default())
    code, out, err = attempts(capsys)
    assert code == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split()[:5] == ["#", "exchange", "level", "document", "started"]
    assert header.endswith("latest outcome")
    assert [row.split()[0] for row in rows] == ["2", "3", "1"]
    first = rows[0]
    assert "OKX" in first and "Basic identity" in first and "Passport" in first
    assert "0 items, 1 photo " in first and "rejected: Photo of Quillfeather | blurry" in first
    assert "2 photos" in rows[2] and rows[2].endswith("rejected: face-mismatch")
    assert "CoinEx" in rows[1] and rows[1].rstrip().endswith("approved")


def test_json_keys_are_stable_and_times_local(capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open_default()
    make_history(store)
    code, out, _ = attempts(capsys, "--json")
    listed = json.loads(out)
    assert code == 0 and [a["id"] for a in listed] == [2, 3, 1]
    assert all(list(a) == KEYS for a in listed)
    assert listed[0]["latest_outcome"] == {
        "result": "rejected",
        "reason": "Photo of Quillfeather | blurry",
    }
    assert listed[2]["failures"] == 1 and listed[2]["photos"] == 2
    cet = timezone(timedelta(hours=1))
    shown = as_json(store.list_attempts(), cet)
    assert shown[2]["started_at"] == "2025-03-01T10:00:00+01:00"  # 09:00 UTC


def test_a_broken_database_is_moved_aside_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = locations.database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database, just text " * 200)
    code, out, err = attempts(capsys)
    assert code == 0 and out.strip() == EMPTY  # a fresh store, after saying so
    assert err.startswith("kyctui: ") and err.count("\n") == 1 and "damaged" in err
    (aside,) = path.parent.glob("kyctui.sqlite3.corrupt-*")
    assert aside.read_bytes() == b"not a database, just text " * 200 and str(aside) in err
