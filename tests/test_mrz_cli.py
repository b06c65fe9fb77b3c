"""`kyctui mrz`: exit codes, the JSON shape, human output and bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

import pytest

from kyctui.cli import main
from kyctui.domain.identity import date_checks

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]  # fmt: skip
FIELDS = {"document_code", "issuing_state", "surname", "given_names", "document_number",
          "nationality", "birth_date", "sex", "expiry_date", "optional_data"}  # fmt: skip


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """A day before the specimens expire (15 April 2012)."""
    fixed = date(2011, 1, 1)
    monkeypatch.setattr(date_checks, "local_today", lambda now=None: fixed)
    return fixed


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["mrz", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("today")
def test_valid_passport_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *TD3, "--json")
    doc = json.loads(out)
    assert (code, err) == (0, "")
    assert set(doc) == {"version", "format", "valid", "fields", "checks"}
    assert (doc["version"], doc["format"], doc["valid"]) == (1, "TD3", True)
    assert set(doc["fields"]) == FIELDS
    assert doc["fields"]["document_number"] == "L898902C3"
    assert doc["fields"]["birth_date"] == "1974-08-12"
    assert doc["fields"]["expiry_date"] == "2012-04-15"
    for check in doc["checks"]:
        assert set(check) == {"id", "status", "value", "limit", "message", "fix"}
        assert check["status"] in ("pass", "warn", "fail")
    ids = {c["id"] for c in doc["checks"]}
    assert {"mrz.document-number", "mrz.birth-date", "mrz.expiry-date", "mrz.optional-data",
            "mrz.composite", "document.expiry"} <= ids  # fmt: skip


@pytest.mark.usefixtures("today")
def test_one_argument_with_newlines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "\n".join(TD1) + "\n", "--json")
    assert code == 0 and json.loads(out)["format"] == "TD1"


@pytest.mark.usefixtures("today")
def test_wrong_check_digit_exits_1_naming_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    wrong = TD3[1][:19] + "3" + TD3[1][20:]  # birth date digit 2 → 3
    code, out, err = run(capsys, TD3[0], wrong, "--json")
    doc = json.loads(out)
    assert code == 1 and err == "" and doc["valid"] is False
    failed = {c["id"] for c in doc["checks"] if c["status"] == "fail"}
    assert failed == {"mrz.birth-date", "mrz.composite"}


def test_expired_document_exits_1_though_the_zone_is_valid(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(date_checks, "local_today", lambda now=None: date(2025, 6, 15))
    code, out, _ = run(capsys, *TD3, "--json")
    doc = json.loads(out)
    assert code == 1 and doc["valid"] is True
    expiry = next(c for c in doc["checks"] if c["id"] == "document.expiry")
    assert expiry["status"] == "fail"


@pytest.mark.usefixtures("today")
def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *TD3)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("passport (TD3): PASS")
    assert any("document number" in line and "L898902C3" in line for line in lines)
    assert any("mrz.composite" in line for line in lines)
    assert "\x1b[" not in out  # not a terminal (and NO_COLOR is set): no colour


@pytest.mark.usefixtures("today")
def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(TD3) + "\n"))
    code, out, _ = run(capsys, "-", "--json")
    assert code == 0 and json.loads(out)["format"] == "TD3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hello"], "not a machine-readable zone: an MRZ has 2 lines"),
        ([TD3[0], TD3[1][:-1]], "line 2 has 43 characters"),
        ([TD3[0], TD3[1][:10] + "!" + TD3[1][11:]], "column 11"),
        ([*TD3, "--exchange", "nope"], "unknown exchange 'nope'"),
        ([], "LINE"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("kyctui: ") and message in err and err.count("\n") == 1
    assert "ERIKSSON" not in err  # the zone is personal data: never on stderr


def test_real_process_exit_codes() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "kyctui", "mrz", TD3[0], TD3[1][:-3]],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stdout == "" and len(bad.stderr.splitlines()) == 1
