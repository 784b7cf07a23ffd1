"""Is a passphrase good enough to protect a package with personal data? (pure)

A package travels on a USB stick that can be lost; its passphrase is the only thing between a finder
and the data (LGPD art. 46 and 48 §3). Guessing is offline and unlimited, so the rule is length:
at least 12 characters, or at least 4 words, and not an obvious pattern.
"""

from __future__ import annotations

import re
import unicodedata

MIN_LENGTH = 12
MIN_WORDS = 4

ADVICE = (
    "Use pelo menos 12 caracteres ou 4 palavras que não formem uma frase conhecida, "
    "por exemplo: “caju pedra violão janela”. Anote a senha e entregue-a a quem vai importar o pacote "
    "por outro meio (não no mesmo pen drive)."
)

#: Lower-case, accent-free fragments that make a passphrase guessable however long it is.
_COMMON = (
    "senha",
    "password",
    "qwerty",
    "asdfgh",
    "zxcvbn",
    "abc123",
    "123456",
    "654321",
    "admin",
    "suas",
    "cras",
    "creas",
    "assistencia",
    "prefeitura",
    "secretaria",
    "brasil",
    "iloveyou",
    "mudar",
    "teste",
)
_KEYBOARD_ROWS = (
    "1234567890qwertyuiopasdfghjklzxcvbnm",  # the keyboard read row by row
    "qazwsxedcrfvtgbyhnujmikolp",  # and column by column
    "abcdefghijklmnopqrstuvwxyz",
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def _is_sequence(text: str) -> bool:
    """Runs like 123456789012, abcdefghijkl, 98765…, qwertyuiop… (forwards or backwards)."""
    t = _fold(re.sub(r"\s+", "", text))
    if len(t) < 6:
        return False
    for row in _KEYBOARD_ROWS:
        for source in (row, row[::-1]):
            # Covered when the whole text is made of pieces of the row (wrapping allowed).
            if all(t[i : i + 2] in source + source[:1] for i in range(len(t) - 1)):
                return True
    return False


def _is_repetition(text: str) -> bool:
    """abcabcabcabc, 121212121212, "casa casa casa": a short unit repeated."""
    t = _fold(re.sub(r"\s+", "", text))
    return any(len(t) % n == 0 and t[:n] * (len(t) // n) == t for n in range(1, len(t) // 2 + 1))


def words_of(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-_.,;:/]+", text) if len(w) >= 2]


def weakness(passphrase: str, *, avoid: tuple[str, ...] = ()) -> str | None:
    """Why ``passphrase`` is too weak (a pt-BR sentence), or None when it is acceptable.

    ``avoid`` lists words that must not make up the passphrase (e.g. the municipality's name).
    """
    text = unicodedata.normalize("NFC", passphrase)
    stripped = text.strip()
    if not stripped:
        return "Informe uma senha."
    if len(set(stripped.replace(" ", ""))) <= 1:
        return "A senha não pode ser um único caractere repetido."
    words = words_of(stripped)
    long_enough = len(stripped) >= MIN_LENGTH or len(words) >= MIN_WORDS
    if not long_enough:
        return f"A senha é curta demais ({len(stripped)} caracteres)."
    if _is_repetition(stripped):
        return "A senha é uma repetição (como “abcabcabcabc”)."
    if _is_sequence(stripped):
        return "A senha é uma sequência do teclado ou do alfabeto (como “123456789012”)."
    folded = _fold(stripped)
    compact = re.sub(r"[^a-z0-9]", "", folded)
    if compact.isdigit() and len(compact) < 16:
        return "A senha tem só números (datas, CPF e telefones são fáceis de adivinhar)."
    leftovers = compact
    for fragment in (*_COMMON, *(_fold(a) for a in avoid if len(a) >= 3)):
        leftovers = leftovers.replace(re.sub(r"[^a-z0-9]", "", fragment), "")
    leftovers = re.sub(r"\d", "", leftovers)
    if len(leftovers) < 6:
        return "A senha é feita de palavras óbvias (como “senha”, “suas” ou o nome do município) e números."
    if len(set(words)) < len(words) and len(set(words)) < MIN_WORDS and len(stripped) < 2 * MIN_LENGTH:
        return "A senha repete as mesmas palavras."
    return None


def is_strong(passphrase: str, *, avoid: tuple[str, ...] = ()) -> bool:
    return weakness(passphrase, avoid=avoid) is None
