"""API token format: ``zt_<public id>_<secret>``, shown once, stored as SHA-256 of the secret.

The public id (12 lowercase base32 characters) finds the row; the secret (32 random bytes,
base64url) is compared in constant time with its stored SHA-256. A fast hash is right here, unlike
for passwords: a 256-bit random secret cannot be guessed, so slowing verification buys nothing
and would slow every API call. The ``zt_`` prefix lets secret scanners recognise leaked tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "NewToken", "hash_secret", "new_token", "parse_token", "secret_matches"]

DEFAULT_DAYS = 90
MAX_DAYS = 365
_FORMAT = re.compile(r"zt_([a-z2-7]{12})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True)
class NewToken:
    text: str  # the whole token; shown to the user once, never stored
    public_id: str
    secret_hash: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_token() -> NewToken:
    public_id = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower().rstrip("=")[:12]
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    return NewToken(f"zt_{public_id}_{secret}", public_id, hash_secret(secret))


def parse_token(text: str) -> tuple[str, str] | None:
    """``(public_id, secret)`` of a well-formed token, else ``None``."""
    match = _FORMAT.fullmatch(text.strip())
    return (match.group(1), match.group(2)) if match else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
