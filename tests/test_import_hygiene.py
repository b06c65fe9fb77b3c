"""The domain and knowledge layers never import Textual; `kyctui check` stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_domain_never_imports_textual() -> None:
    modules = _modules_after(
        "import pkgutil, importlib, kyctui.domain, kyctui.knowledge\n"
        "for m in pkgutil.walk_packages(kyctui.domain.__path__, 'kyctui.domain.'):\n"
        "    importlib.import_module(m.name)"
    )
    assert "kyctui.domain.photos.runner" in modules
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)


def test_check_command_defers_heavy_imports() -> None:
    """The CLI's import path pulls neither Textual nor scipy (imagehash's phash would)."""
    modules = _modules_after("import kyctui.cli, kyctui.check_output, kyctui.domain.photos.runner")
    assert "textual" not in modules and "scipy" not in modules


def test_a_quick_check_without_a_database_loads_only_what_it_uses(
    tmp_path: Path, camera_jpeg: Path
) -> None:
    """A cold `kyctui check --quick` is the first thing a user runs: no numpy (a tenth of a
    second), and no store modules when there is no database to read rejected photos from."""
    script = (
        "import sys\nfrom kyctui.cli import main\n"
        f"code = main(['check', '--quick', {str(camera_jpeg)!r}])\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "KYCTUI_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    modules = set(out.stderr.split())
    assert "kyctui.domain.photos.runner" in modules  # the check ran here
    assert "numpy" not in modules and "textual" not in modules
    assert not any(m.startswith("kyctui.domain.store") for m in modules)
    assert not (tmp_path / "data").exists()  # and a check creates no database
