"""Subcommands of the `kyctui` CLI: one module each, with `configure(parser)` and `run(args)`."""
