"""The audit trail's hash chain, as pure functions.

Row *n* stores ``hash_n = SHA-256(canonical(seq, prev_hash, content))`` with ``prev_hash = hash_{n-1}``
(64 zeros for the first row). Editing a row changes its hash; deleting or reordering rows breaks the
link to the previous hash or the 1, 2, 3… numbering; deleting the newest rows is caught by the
separately stored head. This detects tampering; it does not prevent it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

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


#: json.dumps(..., ensure_ascii=False, separators=(",", ":")) without building an encoder per call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: The string escaping that encoder uses (ensure_ascii=False).
_string = encode_basestring


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
    return hashlib.sha256(_CANONICAL(payload).encode("utf-8")).hexdigest()


def canonical_fields(fields: Iterable[str]) -> str:
    """The ``fields`` part of the hashed payload, as :func:`row_hash` takes it."""
    return _CANONICAL(list(fields))


def row_hash(seq: int, prev_hash: str, texts: Sequence[str], fields_json: str, detail: str) -> str:
    """:func:`entry_hash` from stored columns (reading the whole log builds no objects).

    ``texts`` are ``(at, actor, action, origin, entity, record_id)`` and ``fields_json`` is
    :func:`canonical_fields` of the entry's fields. The payload is written out with the JSON
    encoder's own string escaping, so it is the same text as ``entry_hash``'s; a column of another
    type (a tampered row) goes through the encoder as there.
    """
    try:
        if type(seq) is not int:
            raise TypeError(seq)
        # encode_basestring raises TypeError on anything but a str.
        canonical = (
            f"[{seq},{_string(prev_hash)},{','.join(map(_string, texts))},{fields_json},{_string(detail)}]"
        )
    except TypeError:
        head = _CANONICAL([seq, prev_hash, *texts])
        canonical = f"{head[:-1]},{fields_json},{_CANONICAL(detail)}]"
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def row_links(
    rows: Iterable[Sequence[Any]], fields_json: Callable[[Any], str]
) -> Iterator[tuple[int, str, str, str]]:
    """The links :func:`verify_links` checks, from stored rows ``(seq, prev_hash, hash, fields,
    detail, at, actor, action, origin, entity, record_id)``: :func:`row_hash` of each (``fields``
    through ``fields_json``, :func:`canonical_fields` of the stored column), written out inline for
    the whole log (reading it is what verifying costs); a row with a column of another type goes
    through :func:`row_hash` itself."""
    string, sha256 = _string, hashlib.sha256
    for seq, prev_hash, stored, fields, detail, at, actor, action, origin, entity, record_id in rows:
        try:
            if type(seq) is not int:
                raise TypeError(seq)
            canonical = (
                f"[{seq},{string(prev_hash)},{string(at)},{string(actor)},{string(action)},"
                f"{string(origin)},{string(entity)},{string(record_id)},{fields_json(fields)},"
                f"{string(detail)}]"
            )
        except TypeError:
            texts = (at, actor, action, origin, entity, record_id)
            yield seq, prev_hash, stored, row_hash(seq, prev_hash, texts, fields_json(fields), detail)
            continue
        yield seq, prev_hash, stored, sha256(canonical.encode("utf-8")).hexdigest()


def chain(seq: int, prev_hash: str, entry: AuditEntry) -> ChainedEntry:
    return ChainedEntry(seq, entry, prev_hash, entry_hash(seq, prev_hash, entry))


def verify_chain(rows: Iterable[ChainedEntry], head: ChainHead | None) -> ChainReport:
    """Check rows in storage order (by ``seq``) against each other and against the head."""
    return verify_links(
        ((row.seq, row.prev_hash, row.hash, entry_hash(row.seq, row.prev_hash, row.entry)) for row in rows),
        head,
    )


def verify_links(links: Iterable[tuple[int, str, str, str]], head: ChainHead | None) -> ChainReport:
    """:func:`verify_chain` over ``(seq, prev_hash, stored hash, recomputed hash)`` in storage order."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last: tuple[int, str] | None = None
    for seq, prev_hash, stored, computed in links:
        checked += 1
        if seq != expected_seq:
            problems.append(
                f"Trilha de auditoria: falta o registro nº {expected_seq} (encontrado o nº {seq})."
            )
        if prev_hash != expected_prev:
            problems.append(
                f"Trilha de auditoria: o registro nº {seq} não se encadeia com o anterior "
                "(registro apagado, inserido ou fora de ordem)."
            )
        if computed != stored:
            problems.append(f"Trilha de auditoria: o registro nº {seq} foi alterado.")
        expected_prev = stored
        expected_seq = seq + 1
        last = (seq, stored)
    if head is None:
        if last is not None:
            problems.append("Trilha de auditoria: a referência do último registro está ausente.")
    elif last is None or last != (head.seq, head.hash):
        problems.append(
            "Trilha de auditoria: o último registro não confere com a referência gravada "
            "(registros finais apagados ou alterados)."
        )
    return ChainReport(checked, problems)
