"""The audit log's fast readers: the per-actor/action counts and the tuple-based chain check.

Both must say exactly what the slow ways say (count the entries; rehash every ``AuditEntry``).
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from suas_desktop.domain.audit import (
    AuditEntry,
    canonical_fields,
    entry_hash,
    row_hash,
    row_links,
    verify_chain,
)
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository

ODD_TEXT = 'aspas " barra \\ tab\t nova\nlinha ç ã — 🙂 \u2028 \x00'


@pytest.fixture
def audit(workspace):
    repo = AuditRepository(workspace.db)
    actors = ("Ana Técnica", "Bruna Gestora", "sistema")
    actions = ("cycle_item.update", "auth.login", "staff.create", "package.export")
    for i in range(30):
        ctx = workspace.write_context(actors[i % 3])
        repo.append(
            AuditEntry(
                at=ctx.at,
                actor=ctx.actor,
                action=actions[i % 4],
                origin=ctx.origin,
                entity="item",
                record_id=f"r{i}",
                fields=("status", "notes") if i % 2 else (ODD_TEXT,),
                detail=ODD_TEXT if i % 5 == 0 else "",
            )
        )
    return repo


def _counted(entries) -> Counter[tuple[str, str]]:
    return Counter((e.entry.actor, e.entry.action) for e in entries)


def test_action_counts_equal_counting_the_entries(audit):
    everything = audit.entries()
    moments = sorted(e.entry.at for e in everything)
    for flt in (
        AuditFilter(),
        AuditFilter(since=moments[5]),
        AuditFilter(until=moments[20]),
        AuditFilter(since=moments[3], until=moments[17]),
        AuditFilter(actor="Ana Técnica"),
        AuditFilter(action_prefix="auth."),
        AuditFilter(since="2999-01-01T00:00:00.000000Z"),
    ):
        expected = _counted(audit.entries(flt))
        counts = audit.action_counts(flt)
        assert {(actor, action): n for actor, action, n in counts} == expected, flt
        assert len(counts) == len(expected)


def test_row_hash_equals_entry_hash_for_any_text():
    entry = AuditEntry(
        at="2026-11-26T10:00:00.000000Z",
        actor=ODD_TEXT,
        action="x.update",
        origin="o",
        entity="e",
        record_id=ODD_TEXT,
        fields=(ODD_TEXT, "b"),
        detail=ODD_TEXT,
    )
    texts = (entry.at, entry.actor, entry.action, entry.origin, entry.entity, entry.record_id)
    fast = row_hash(7, "ab" * 32, texts, canonical_fields(entry.fields), entry.detail)
    assert fast == entry_hash(7, "ab" * 32, entry)
    # Columns of other types (only a tampered row has them) are hashed as the encoder would.
    odd = row_hash(7, "ab" * 32, (None, 3, 2.5, "o", "e", "r"), canonical_fields(()), None)  # type: ignore[arg-type]
    assert odd == entry_hash(
        7,
        "ab" * 32,
        AuditEntry(at=None, actor=3, action=2.5, origin="o", entity="e", record_id="r", detail=None),  # type: ignore[arg-type]
    )


def test_row_links_hash_every_row_as_row_hash():
    """The inline hashing of the whole log: the same hash as row_hash for any text, and columns of
    other types (a tampered row) go through row_hash."""
    rows = [
        (1, "0" * 64, "h1", '["a"]', ODD_TEXT, "at", ODD_TEXT, "x.update", "o", "e", ODD_TEXT),
        (2, "h1", "h2", "[]", "", "at", "ator", "x.update", "o", "", ""),
        (3, "h2", "h3", "[]", None, None, 3, 2.5, "o", "e", "r"),
        ("4", "h3", "h4", "[]", "", "at", "ator", "x", "o", "e", "r"),
        (5, None, "h5", "[]", "", "at", "ator", "x", "o", "e", "r"),
    ]
    fields_json = {'["a"]': canonical_fields(["a"]), "[]": canonical_fields([])}.__getitem__
    links = list(row_links(rows, fields_json))
    for (seq, prev, stored, fields, detail, *texts), link in zip(rows, links, strict=True):
        assert link == (seq, prev, stored, row_hash(seq, prev, texts, fields_json(fields), detail))


def test_fast_verify_reports_as_the_entry_based_check(audit, workspace):
    assert audit.verify().ok and audit.verify().checked == 31
    conn = sqlite3.connect(workspace.layout.database, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET detail = 'outro' WHERE seq = 6")
        conn.execute("UPDATE audit_log SET fields = 'não é json' WHERE seq = 9")
        conn.execute('UPDATE audit_log SET fields = \'["status","notes"]\' WHERE seq = 13')  # same list
        conn.execute("UPDATE audit_log SET record_id = 'r0' WHERE seq = 15")
        conn.execute("UPDATE audit_log SET actor = 42 WHERE seq = 18")
    finally:
        conn.close()
    fast = audit.verify()
    slow = verify_chain(audit.entries(), audit.head())
    assert fast == slow
    altered = {p for p in fast.problems if "foi alterado" in p}
    assert altered == {f"Trilha de auditoria: o registro nº {n} foi alterado." for n in (6, 9, 15, 18)}
