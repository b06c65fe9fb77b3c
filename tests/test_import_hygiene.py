"""The domain and knowledge layers never import Textual; `kyctui check` stays light."""

from __future__ import annotations

import subprocess
import sys


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
