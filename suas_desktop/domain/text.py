"""Text comparison as users expect it: "Conceição", "CONCEICAO" and " conceicao " are the same."""

from __future__ import annotations

import unicodedata


def fold(text: object) -> str:
    """Accent-, case- and space-insensitive form of a text (search, name matching, logins)."""
    plain = unicodedata.normalize("NFKD", " ".join(str(text).split())).encode("ascii", "ignore").decode()
    return plain.casefold()
