"""The audit trail's hash chain, as pure functions.

Row *n* stores ``hash_n = SHA-256(canonical(seq, prev_hash, content))`` with ``prev_hash = hash_{n-1}``
(64 zeros for the first row). Editing a row changes its hash; deleting or reordering rows breaks the
link to the previous hash or the 1, 2, 3… numbering; deleting the newest rows is caught by the
separately stored head. This detects tampering; it does not prevent it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One action. ``fields`` names what changed; values never go in the log (LGPD)."""

    at: str
    actor: str
    action: str
    origin: str
    entity: str = ""
    record_id: str = ""
    fields: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ChainedEntry:
    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def entry_hash(seq: int, prev_hash: str, entry: AuditEntry) -> str:
    payload = [
        seq,
        prev_hash,
        entry.at,
        entry.actor,
        entry.action,
        entry.origin,
        entry.entity,
        entry.record_id,
        list(entry.fields),
        entry.detail,
    ]
    canonical = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain(seq: int, prev_hash: str, entry: AuditEntry) -> ChainedEntry:
    return ChainedEntry(seq, entry, prev_hash, entry_hash(seq, prev_hash, entry))


def verify_chain(rows: Iterable[ChainedEntry], head: ChainHead | None) -> ChainReport:
    """Check rows in storage order (by ``seq``) against each other and against the head."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last: ChainedEntry | None = None
    for row in rows:
        checked += 1
        if row.seq != expected_seq:
            problems.append(
                f"Trilha de auditoria: falta o registro nº {expected_seq} (encontrado o nº {row.seq})."
            )
        if row.prev_hash != expected_prev:
            problems.append(
                f"Trilha de auditoria: o registro nº {row.seq} não se encadeia com o anterior "
                "(registro apagado, inserido ou fora de ordem)."
            )
        if entry_hash(row.seq, row.prev_hash, row.entry) != row.hash:
            problems.append(f"Trilha de auditoria: o registro nº {row.seq} foi alterado.")
        expected_prev = row.hash
        expected_seq = row.seq + 1
        last = row
    if head is None:
        if last is not None:
            problems.append("Trilha de auditoria: a referência do último registro está ausente.")
    elif last is None or (last.seq, last.hash) != (head.seq, head.hash):
        problems.append(
            "Trilha de auditoria: o último registro não confere com a referência gravada "
            "(registros finais apagados ou alterados)."
        )
    return ChainReport(checked, problems)
