"""The personal details an exchange compares with the documents, kept exactly as typed."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

# Which fields are personal data: never logged, redacted in exports unless asked otherwise.
# All of them are; the tuple exists so redaction code can say how to redact each.
PROFILE_FIELDS: tuple[str, ...] = (
    "full_name",  # full legal name as printed on the document
    "date_of_birth",  # as typed; parsed by kyctui.domain.identity
    "nationality",
    "document_number",
    "document_expiry",  # as typed
    "email",  # the exchange account's email, for the support ticket
    "basic_level_name",  # the name verified at the basic level (advanced verification)
    "address_name",  # the name printed on the proof of address
    "address",  # the address printed on the proof of address
    "address_issued",  # the proof of address's issue date, as typed
    "date_order",  # "dmy" or "mdy" once the user has said how to read an ambiguous date
    "mrz",  # the document's machine-readable zone, as typed or pasted (lines joined by newlines)
)


@dataclass(frozen=True)
class Profile:
    """One attempt's personal details. Raw text, never normalised on the way in: nothing the user
    entered is lost, and every parse is done (and explained) by the checks."""

    full_name: str = ""
    date_of_birth: str = ""
    nationality: str = ""
    document_number: str = ""
    document_expiry: str = ""
    email: str = ""
    basic_level_name: str = ""
    address_name: str = ""
    address: str = ""
    address_issued: str = ""
    date_order: str = ""
    mrz: str = ""

    def with_field(self, name: str, value: str) -> Profile:
        """A copy with one field changed; an unknown name is a programming error."""
        if name not in PROFILE_FIELDS:
            raise KeyError(name)
        return replace(self, **{name: value})

    def as_dict(self) -> dict[str, str]:
        """Every field, by name, including the empty ones."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def empty(self) -> bool:
        """Whether nothing has been entered yet."""
        return not any(self.as_dict().values())
