"""Knowledge: exchange rules and photo limits as data files, loaded into frozen dataclasses."""

from kyctui.knowledge.loader import KnowledgeError, load_exchange, load_exchanges, load_photo_limits
from kyctui.knowledge.model import ExchangeRules, PhotoLimits, Sourced

__all__ = [
    "ExchangeRules",
    "KnowledgeError",
    "PhotoLimits",
    "Sourced",
    "load_exchange",
    "load_exchanges",
    "load_photo_limits",
]
