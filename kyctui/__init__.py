"""kyctui: get through exchange identity verification on the first try."""

__version__ = "0.1.0"
