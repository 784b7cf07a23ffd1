"""Map SQLite result codes to the project's known environment errors (Portuguese messages).

Constraint violations and programming errors are *not* mapped: they are bugs or are handled by
the repository that knows what the constraint means.
"""

from __future__ import annotations

import sqlite3

from suas_desktop.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DiskFull,
    KnownError,
    ReadOnlyStorage,
    StorageUnavailable,
)

# Primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

_CORRUPT_HINT = "Não use este arquivo. Restaure a cópia de segurança mais recente ou peça ajuda ao suporte."


def primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def translate(exc: sqlite3.Error) -> KnownError | None:
    """Return the known error for ``exc``, or None when it is not an environment problem."""
    code = primary_code(exc)
    text = str(exc).lower()
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return DatabaseCorrupt("O banco de dados está danificado e não pode ser usado.", hint=_CORRUPT_HINT)
    if code == SQLITE_FULL:
        return DiskFull(
            "Não há espaço livre no disco para salvar os dados.",
            hint="Libere espaço no disco e tente de novo. Nada do que já estava salvo foi perdido.",
        )
    if code == SQLITE_READONLY:
        return ReadOnlyStorage(
            "A pasta de dados está protegida contra gravação (somente leitura).",
            hint="Verifique as permissões da pasta ou se o pen drive está travado.",
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(
            "O banco de dados está ocupado por outro programa.",
            hint="Feche outras janelas do SUAS Desktop e tente de novo.",
        )
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM):
        return StorageUnavailable(
            "Não foi possível ler ou gravar o banco de dados.",
            hint="Verifique se a pasta de dados existe, se há permissão de acesso "
            "e se o disco está conectado.",
        )
    if code == SQLITE_NOMEM:
        return StorageUnavailable("Memória insuficiente para acessar o banco de dados.")
    return None


def reraise(exc: sqlite3.Error) -> None:
    """Raise the translated error chained to ``exc``, or ``exc`` itself when it is not known."""
    known = translate(exc)
    if known is not None:
        raise known from exc
    raise exc
