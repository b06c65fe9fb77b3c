"""Entry point for ``python -m kyctui``."""

from kyctui.cli import main

raise SystemExit(main())
