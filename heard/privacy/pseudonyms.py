"""Keyed pseudonyms: the same person gets the same stand-in, and nobody without the key can work back.

``pseudonym_for(identifier, purpose=...)`` is HMAC-SHA256 over the normalised identifier, with a key derived
for each purpose from ``settings.HEARD_PSEUDONYM_KEY`` (held outside the database). A plain or salted hash of an
NHS number is reversible by trying all 10^9 of them; a keyed one is not, and pseudonyms made for one purpose
(linking a vault entry to a feedback item, say) cannot be matched with those made for another.

Normalising first means "943 476 5919" and "9434765919", "Jo@Example.org" and "jo@example.org", "07700 900123"
and "+44 7700 900123", "ls1 4ap" and "LS1 4AP" each get one pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from heard.privacy.redaction.numbers import nhs_number_is_valid, uk_phone_national

_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
_PURPOSE = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")


def normalise_identifier(identifier: str) -> str:
    """The canonical form of an identifier, so that differently written copies of it match."""
    text = unicodedata.normalize("NFKC", identifier).strip()
    if "@" in text:
        return text.lower()
    compact = re.sub(r"[\s\-.()]", "", text)
    digits = compact.lstrip("+")
    if digits.isdigit():
        if len(digits) == 10 and nhs_number_is_valid(digits) and not compact.startswith("+"):
            return digits
        national = uk_phone_national(digits)
        if national is not None:
            return "+44" + national[1:]
        return digits
    upper = text.upper()
    if _POSTCODE.match(upper):
        return re.sub(r"\s", "", upper)
    # Names and anything else: case, accents written two ways and runs of spaces do not matter.
    return " ".join(text.casefold().split())


def _purpose_key(purpose: str) -> bytes:
    if not _PURPOSE.match(purpose):
        raise ValueError(f"A pseudonym purpose is a short lower-case label such as 'vault', not {purpose!r}.")
    key = getattr(settings, "HEARD_PSEUDONYM_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set HEARD_PSEUDONYM_KEY: pseudonyms need a key held outside the database."
        )
    # One key per purpose, derived from the master key (HMAC as a key-derivation function).
    return hmac.new(key.encode(), b"heard-pseudonym-purpose:" + purpose.encode(), hashlib.sha256).digest()


def pseudonym_for(identifier: str, *, purpose: str) -> str:
    """A stable, keyed pseudonym (64 hexadecimal characters) for ``identifier`` within ``purpose``."""
    if not identifier or not identifier.strip():
        raise ValueError("There is no identifier to make a pseudonym for.")
    message = normalise_identifier(identifier).encode()
    return hmac.new(_purpose_key(purpose), message, hashlib.sha256).hexdigest()
