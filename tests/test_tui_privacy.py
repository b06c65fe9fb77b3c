"""Sentinel personal data typed through the TUI, then a crash: it never reaches stderr, a log
or a default export (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyctui.cli import main
from kyctui.domain.store import Store
from kyctui.tui.panels.profile_form import FieldInput
from tests.screens_tour import settle
from tests.tui_app import FIXED_NOW, test_app

NAME, BIRTH, NUMBER, EMAIL = "Zebulon Quixotefield", "04.07.1961", "QX9174205", "zq@quixote.example"
SENTINELS = ("Zebulon", "Quixotefield", "1961-07-04", "04.07.1961", "QX9174205", "zq@quixote")


async def test_typed_personal_data_stays_out_of_crash_output_logs_and_exports(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KYCTUI_DATA_DIR", str(tmp_path))  # the CLI export reads the same store
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "passport", "documents", FIXED_NOW)
    store.set_step(attempt.id, "profile", FIXED_NOW)
    app = test_app(tmp_path, resume=attempt.id)

    def boom() -> None:
        typed = {"name": NAME, "birth": BIRTH}  # locals the stock crash report would print
        raise RuntimeError(f"cannot compare {typed}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(110, 40)) as pilot:
            await settle(pilot)
            for field, value in (("full_name", NAME), ("date_of_birth", BIRTH),
                                 ("document_number", NUMBER), ("email", EMAIL)):  # fmt: skip
                box = app.screen.query_one(f"#field-{field}", FieldInput)
                box.focus()
                await pilot.press(*value)
                await pilot.press("enter")  # saved at once
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()
    crash = capfd.readouterr()
    assert "RuntimeError" in crash.err
    profile = Store(tmp_path / "kyctui.sqlite3").get_attempt(attempt.id).profile
    assert profile.full_name == NAME and profile.email == EMAIL  # it was really entered
    for sentinel in SENTINELS:
        assert sentinel not in crash.err and sentinel not in crash.out

    for fmt in ("md", "txt", "json"):  # the default export of that attempt
        assert main(["export", str(attempt.id), "--format", fmt]) == 0
        exported = capfd.readouterr()
        assert "Z. Q." in exported.out or "ZQ" in exported.out or "Z.Q." in exported.out
        for sentinel in SENTINELS:
            assert sentinel not in exported.out and sentinel not in exported.err
    written = {p.name for p in tmp_path.iterdir() if p.is_file()}
    assert not [n for n in written if n.endswith((".log", ".txt"))]  # kyctui writes no log
