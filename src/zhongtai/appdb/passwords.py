"""Passwords: argon2id hashes, the password policy, one-time passwords and lock-out settings.

The policy follows OWASP ASVS 4.0.3 V2.1 and NIST SP 800-63B §5.1.1.2: at least 12 characters
(V2.1.1), at most 128 (V2.1.2), any characters including spaces and emoji, no composition rules
(V2.1.9), checked against common and trivially guessable passwords (V2.1.7) and the account
name. Passwords are NFKC-normalised before hashing (800-63B), so a full-width password typed on
a Chinese keyboard matches its half-width twin.

Lock-out: after :data:`MAX_FAILURES` wrong passwords in a row the account is locked for
:data:`LOCKOUT`; a right password while locked is refused too (it would reveal the guess was right).
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from functools import cached_property
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "LOCKOUT",
    "MAX_FAILURES",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "Hasher",
    "generate_password",
    "normalise",
    "password_problems",
]

MIN_LENGTH = 12
MAX_LENGTH = 128
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)

_COMMON = frozenset({
    "password1234", "password12345", "password123456", "passwordpassword", "qwertyuiop123", "qwertyuiopasdf",
    "123456789012", "1234567890123", "12345678901234", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qazwsxedcrfv",
    "iloveyou1234", "administrator", "administrator1", "changeme1234", "letmein12345", "welcome12345",
    "zhongtai1234", "zhongtai123456", "woaini1314520", "woaini5201314", "aa123456789012", "abc123456789",
    "abcdefghijkl", "p@ssw0rd1234", "p@ssword1234", "football1234", "baseball1234", "superman1234",
    "trustno1trustno1", "monkey123456", "dragon123456", "sunshine1234", "princess1234", "qwerty123456",
    "asdfghjkl123", "zxcvbnm12345", "88888888888888", "66666666666666", "5201314520131",
})  # fmt: skip


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def _sequence(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def password_problems(password: str, *, username: str | None = None) -> list[str]:
    """Message codes of every rule ``password`` breaks (empty when it is acceptable)."""
    text = normalise(password)
    problems = []
    if len(text) < MIN_LENGTH:
        problems.append("password.too_short")
    if len(text) > MAX_LENGTH:
        problems.append("password.too_long")
    lowered = text.lower()
    if lowered in _COMMON or _sequence(lowered):
        problems.append("password.too_common")
    if username and len(username) >= 3 and username.lower() in lowered:
        problems.append("password.contains_username")
    return problems


def generate_password() -> str:
    """A one-time password: 20 URL-safe characters (120 bits)."""
    return secrets.token_urlsafe(15)


class Hasher:
    """argon2id hashing with a dummy verification for unknown accounts (equal timing)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalise(password))

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no stored hash, spend the same time and say no."""
        try:
            return self._hasher.verify(stored or self._dummy, normalise(password)) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)

    @cached_property
    def _dummy(self) -> str:
        return self._hasher.hash(secrets.token_urlsafe(16))
