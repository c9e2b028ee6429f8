"""Field-level encryption: AES-256-GCM with keys from the environment, rotatable by key id.

``ZHONGTAI_ENCRYPTION_KEYS`` holds a keyring, ``id:base64key`` pairs separated by commas; the
first key is the *primary* (it encrypts), the others only decrypt. Rotation is: put a new key
first, run ``zhongtai keys rotate`` (every value is re-encrypted with the primary), then drop the
old key. Keys never touch ``zhongtai.toml``, logs or error messages (errors name the key id).

A sealed value is text, ``zt1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``. The 96-bit nonce
is random per value (NIST SP 800-38D §8.2.2); the *context* (``users.display_name``) is
authenticated as associated data, so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zhongtai.errors import ConfigError, EngineError

__all__ = ["ENV_KEYS", "PREFIX", "Keyring", "generate_key", "is_sealed", "keyring_from_env"]

ENV_KEYS = "ZHONGTAI_ENCRYPTION_KEYS"
PREFIX = "zt1:"
_KID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_NONCE = 12


def is_sealed(value: object) -> bool:
    """Whether ``value`` is a sealed (encrypted) field value."""
    return isinstance(value, str) and value.startswith(PREFIX)


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))


@dataclass(frozen=True)
class Keyring:
    """Encryption keys by id; ``primary`` encrypts, every key decrypts."""

    primary: str
    keys: Mapping[str, bytes] = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Read ``id:base64key[,id:base64key...]``; problems name the entry, never the key."""
        entries = [e.strip() for e in text.split(",") if e.strip()]
        if not entries:
            raise ConfigError("crypto.invalid_keys", env=ENV_KEYS, problem="no keys")
        keys: dict[str, bytes] = {}
        for position, entry in enumerate(entries, start=1):
            kid, sep, material = entry.partition(":")
            if not sep or not _KID.fullmatch(kid):
                raise ConfigError(
                    "crypto.invalid_keys",
                    env=ENV_KEYS,
                    problem=f"entry {position} must be id:base64key with an id of letters, digits, - or _",
                )
            try:
                key = _b64decode(material)
            except (binascii.Error, ValueError):
                raise ConfigError("crypto.invalid_keys", env=ENV_KEYS, problem=f"key '{kid}' is not base64") from None
            if len(key) != 32:
                raise ConfigError(
                    "crypto.invalid_keys", env=ENV_KEYS, problem=f"key '{kid}' has {len(key)} bytes; AES-256 needs 32"
                )
            if kid in keys:
                raise ConfigError("crypto.invalid_keys", env=ENV_KEYS, problem=f"key id '{kid}' appears twice")
            keys[kid] = key
        return cls(primary=next(iter(keys)), keys=keys)

    @property
    def ids(self) -> list[str]:
        return list(self.keys)

    def _aead(self, kid: str) -> AESGCM:
        return _aead(self.keys[kid])

    def encrypt(self, plaintext: str, context: str) -> str:
        """Seal ``plaintext`` with the primary key, bound to ``context``."""
        nonce = secrets.token_bytes(_NONCE)
        sealed = self._aead(self.primary).encrypt(nonce, plaintext.encode("utf-8"), _aad(context))
        return PREFIX + self.primary + ":" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")

    def key_id(self, token: str) -> str:
        """The id of the key that sealed ``token``."""
        if not is_sealed(token):
            raise EngineError("crypto.not_sealed")
        return token[len(PREFIX) :].split(":", 1)[0]

    def decrypt(self, token: str, context: str) -> str:
        """Open a sealed value; a missing key or a tampered value is an :class:`EngineError`."""
        kid = self.key_id(token)
        if kid not in self.keys:
            raise EngineError("crypto.unknown_key", kid=kid, env=ENV_KEYS)
        try:
            blob = _b64decode(token[len(PREFIX) + len(kid) + 1 :])
            plain = self._aead(kid).decrypt(blob[:_NONCE], blob[_NONCE:], _aad(context))
        except (InvalidTag, binascii.Error, ValueError):
            raise EngineError("crypto.decrypt_failed", kid=kid, context=context) from None
        return plain.decode("utf-8")

    def needs_rotation(self, token: str) -> bool:
        return self.key_id(token) != self.primary

    def rotate(self, token: str, context: str) -> str:
        """``token`` re-sealed with the primary key (unchanged if it already is)."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context), context)

    def encrypt_many(self, values: Iterable[str | None], context: str) -> list[str | None]:
        return [None if v is None else self.encrypt(v, context) for v in values]

    def decrypt_many(self, values: Iterable[str | None], context: str) -> list[str | None]:
        return [None if v is None else self.decrypt(v, context) if is_sealed(v) else v for v in values]


@cache
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def _aad(context: str) -> bytes:
    return b"zhongtai:" + context.encode("utf-8")


def keyring_from_env(environ: Mapping[str, str] | None = None) -> Keyring | None:
    """The keyring in ``ZHONGTAI_ENCRYPTION_KEYS``, or ``None`` when it is not set."""
    text = (os.environ if environ is None else environ).get(ENV_KEYS, "").strip()
    return _parse_cached(text) if text else None


@cache
def _parse_cached(text: str) -> Keyring:
    return Keyring.parse(text)


def generate_key(kid: str | None = None) -> str:
    """A new ``id:base64key`` entry (the id defaults to today's date, ``k20250308``)."""
    kid = kid or "k" + datetime.now(UTC).strftime("%Y%m%d")
    if not _KID.fullmatch(kid):
        raise ConfigError(
            "crypto.invalid_keys",
            env=ENV_KEYS,
            problem=f"key id '{kid}' has characters other than letters, digits, - or _",
        )
    return kid + ":" + base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")
