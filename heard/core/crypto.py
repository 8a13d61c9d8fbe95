"""Encryption at rest for small secrets (authenticator keys now; the identifiable-data vault later).

The key comes from HEARD_ENCRYPTION_KEY, held outside the database. Fernet gives authenticated encryption, so a
tampered value fails loudly instead of decrypting to rubbish.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    # Any string of enough entropy becomes a 32-byte key; operators need not know Fernet's key format.
    digest = hashlib.sha256(key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: bytes) -> bytes:
    return _fernet(settings.HEARD_ENCRYPTION_KEY).encrypt(plain)


def decrypt(token: bytes | memoryview) -> bytes:
    return _fernet(settings.HEARD_ENCRYPTION_KEY).decrypt(bytes(token))
