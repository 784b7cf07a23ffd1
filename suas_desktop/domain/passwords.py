"""Passwords of the local accounts: scrypt hashes with their parameters, lockout delays, recovery codes.

Policy (reliability.md SEC-1, OWASP Password Storage): scrypt with N = 2^17, r = 8, p = 1, a 16-byte
random salt and a 32-byte key. Every hash is stored WITH its parameters (``scrypt$n$r$p$salt$key``),
so the policy can grow: a hash made with weaker parameters is replaced at the next successful login.

Lockout (SEC-2, OWASP Authentication): from the 5th consecutive failure the account waits 30 s, then
1 min, 2 min… up to 1 h between attempts. The counter lives in the database, so closing the program
does not reset it. NIST SP 800-63B: at least 8 characters, no composition rules, no obvious
passwords. Caveat: whoever copies the database file bypasses all of this; disk encryption
(BitLocker) protects the file itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from suas_desktop.domain.text import fold

SCHEME = "scrypt"
MIN_LENGTH = 8
MAX_LENGTH = 256
#: Consecutive failures allowed before the first wait.
LOCKOUT_THRESHOLD = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)

_COMMON = frozenset(
    {
        "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "senha123",
        "senha1234", "senhasenha", "password", "password1", "qwertyui", "qwerty123", "abcd1234",
        "abc12345", "mudar123", "admin123", "administrador", "iloveyou", "brasil123", "prefeitura",
        "assistencia", "secretaria", "cras1234", "creas1234", "suas1234", "teste123",
    }
)  # fmt: skip
#: Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied by hand stays right.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 5
_CODE_GROUP_LENGTH = 4


@dataclass(frozen=True, order=True)
class ScryptParams:
    n: int
    r: int
    p: int

    @property
    def memory_bytes(self) -> int:
        return 128 * self.n * self.r * self.p

    def at_least(self, other: ScryptParams) -> bool:
        return self.n >= other.n and self.r >= other.r and self.p >= other.p


#: The policy new hashes use (OWASP floor for scrypt).
POLICY = ScryptParams(n=2**17, r=8, p=1)
#: The least any stored hash may claim (refuses absurd or hostile parameters read from the file).
FLOOR_FOR_READING = ScryptParams(n=2**4, r=1, p=1)
_MAX_N = 2**22
_KEY_BYTES = 32
_SALT_BYTES = 16


@dataclass(frozen=True)
class PasswordHash:
    """A stored hash: ``params_text`` is what goes in the ``password_params`` column."""

    params: ScryptParams
    salt: bytes
    key: bytes

    @property
    def params_text(self) -> str:
        return f"{SCHEME}$n={self.params.n}$r={self.params.r}$p={self.params.p}"

    @property
    def hash_text(self) -> str:
        return f"{_b64(self.salt)}${_b64(self.key)}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _normalise(password: str) -> bytes:
    # NFC so the same password typed on two keyboards (composed or decomposed "ã") hashes the same.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _derive(password: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        _normalise(password),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.memory_bytes + 16 * 1024 * 1024,
        dklen=_KEY_BYTES,
    )


def hash_password(password: str, params: ScryptParams = POLICY) -> PasswordHash:
    salt = secrets.token_bytes(_SALT_BYTES)
    return PasswordHash(params, salt, _derive(password, salt, params))


def parse_hash(params_text: str, hash_text: str) -> PasswordHash:
    """Read a stored hash; raises ValueError for anything malformed or outside sane bounds."""
    parts = params_text.split("$")
    if len(parts) != 4 or parts[0] != SCHEME:
        raise ValueError("unknown password scheme")
    values = {}
    for part in parts[1:]:
        name, _, number = part.partition("=")
        if name not in ("n", "r", "p") or not number.isdigit():
            raise ValueError("bad scrypt parameter")
        values[name] = int(number)
    params = ScryptParams(values["n"], values["r"], values["p"])
    if (
        not params.at_least(FLOOR_FOR_READING)
        or params.n > _MAX_N
        or params.n & (params.n - 1)
        or params.r > 32
        or params.p > 16
    ):
        raise ValueError("scrypt parameters out of range")
    salt_text, _, key_text = hash_text.partition("$")
    salt, key = base64.b64decode(salt_text, validate=True), base64.b64decode(key_text, validate=True)
    if len(salt) < 8 or len(key) != _KEY_BYTES:
        raise ValueError("bad salt or key length")
    return PasswordHash(params, salt, key)


def verify_password(password: str, stored: PasswordHash) -> bool:
    return hmac.compare_digest(_derive(password, stored.salt, stored.params), stored.key)


def needs_upgrade(stored: PasswordHash, policy: ScryptParams = POLICY) -> bool:
    """True when the stored hash is weaker than the current policy (re-hash at the next login)."""
    return not stored.params.at_least(policy)


# ------------------------------------------------------------------ choosing a password
def password_problems(password: str, *, name: str = "") -> str | None:
    """Why ``password`` is not acceptable (pt-BR), or None."""
    if len(password) < MIN_LENGTH:
        return f"A senha deve ter pelo menos {MIN_LENGTH} caracteres."
    if len(password) > MAX_LENGTH:
        return f"A senha deve ter no máximo {MAX_LENGTH} caracteres."
    folded = fold(password).replace(" ", "")
    if len(set(folded)) <= 2:
        return "A senha não pode repetir sempre os mesmos caracteres."
    if folded in _COMMON or re.fullmatch(r"(?:0123456789|1234567890|abcdefgh|qwertyui)\w*", folded):
        return "Esta senha é muito comum; escolha outra."
    name_parts = [p for p in fold(name).split() if len(p) >= 3]
    if name_parts and all(part in folded for part in name_parts):
        return "A senha não pode ser o seu nome."
    if fold(name).replace(" ", "") == folded:
        return "A senha não pode ser o seu nome."
    return None


# ------------------------------------------------------------------ lockout
def lockout_delay(failed_attempts: int) -> timedelta:
    """How long to wait after ``failed_attempts`` consecutive failures (zero below the threshold)."""
    if failed_attempts < LOCKOUT_THRESHOLD:
        return timedelta(0)
    steps = failed_attempts - LOCKOUT_THRESHOLD
    if steps >= 12:  # 30 s * 2^12 is far beyond the cap; avoid huge numbers
        return MAX_DELAY
    return min(FIRST_DELAY * (2**steps), MAX_DELAY)


def wait_text(remaining: timedelta) -> str:
    """``1 min 30 s`` / ``45 s`` (rounded up to the second)."""
    seconds = max(1, int(-(-remaining.total_seconds() // 1)))
    minutes, seconds = divmod(seconds, 60)
    if minutes and seconds:
        return f"{minutes} min {seconds} s"
    return f"{minutes} min" if minutes else f"{seconds} s"


# ------------------------------------------------------------------ recovery codes
def new_recovery_code() -> str:
    """``7KQ2-M9XD-…`` (5 groups of 4 from a 32-letter alphabet: 100 bits)."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUPS * _CODE_GROUP_LENGTH))
    return "-".join(raw[i : i + _CODE_GROUP_LENGTH] for i in range(0, len(raw), _CODE_GROUP_LENGTH))


def normalise_recovery_code(text: str) -> str:
    """Upper-case, no separators; the letters people confuse (O, I, L) read as digits."""
    cleaned = re.sub(r"[\s\-.]", "", text or "").upper()
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
