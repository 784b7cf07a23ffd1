"""The audit trail's hash chain: any edited, deleted or reordered row is detected."""

from __future__ import annotations

import sqlite3

import pytest

from suas_desktop.domain.audit import AuditEntry
from suas_desktop.services.check_service import run_check
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository


@pytest.fixture
def audit(workspace):
    repo = AuditRepository(workspace.db)
    for i in range(10):
        ctx = workspace.write_context(f"user-{i % 3}")
        repo.append(
            AuditEntry(
                at=ctx.at,
                actor=ctx.actor,
                action=f"item.update.{i}",
                origin=ctx.origin,
                entity="item",
                record_id=f"r{i}",
                fields=("status", "notes"),
            )
        )
    return repo


def _raw(workspace) -> sqlite3.Connection:
    """A second connection without our triggers' protection, as a tamperer would use."""
    conn = sqlite3.connect(workspace.layout.database, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def test_intact_chain_verifies(audit, workspace):
    report = audit.verify()
    assert report.ok and report.checked == 11  # 10 + the initial migration entry
    assert run_check(workspace).ok


def test_log_is_append_only_through_sql(audit, workspace):
    with pytest.raises(sqlite3.IntegrityError):
        workspace.db.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError):
        workspace.db.execute("DELETE FROM audit_log WHERE seq = 2")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_log SET actor = 'intruso' WHERE seq = 4", "foi alterado"),
        ("UPDATE audit_log SET fields = '[\"cpf\"]' WHERE seq = 5", "foi alterado"),
        ("UPDATE audit_log SET at = '2020-01-01T00:00:00.000000Z' WHERE seq = 11", "foi alterado"),
        ("DELETE FROM audit_log WHERE seq = 6", "falta o registro"),
        ("DELETE FROM audit_log WHERE seq = 11", "último registro"),
        ("DELETE FROM audit_log WHERE seq = 1", "falta o registro"),
        # Reorder: swap the numbers of two rows.
        (
            "UPDATE audit_log SET seq = CASE seq WHEN 3 THEN 7 WHEN 7 THEN 3 END WHERE seq IN (3, 7)",
            "não se encadeia",
        ),
    ],
)
def test_tampering_is_detected(audit, workspace, tamper, expected):
    conn = _raw(workspace)
    if "CASE" in tamper:
        conn.execute("UPDATE audit_log SET seq = -3 WHERE seq = 3")
        conn.execute("UPDATE audit_log SET seq = 3 WHERE seq = 7")
        conn.execute("UPDATE audit_log SET seq = 7 WHERE seq = -3")
    else:
        conn.execute(tamper)
    conn.close()
    report = audit.verify()
    assert not report.ok
    assert any(expected in p.lower() for p in report.problems), report.problems
    check = run_check(workspace)
    assert not check.ok


def test_forged_rehash_of_last_row_is_caught_by_head(audit, workspace):
    """Deleting the newest row and nothing else leaves a valid-looking chain; the head catches it."""
    conn = _raw(workspace)
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.close()
    assert not audit.verify().ok


def test_filters(audit):
    assert len(audit.entries(AuditFilter(actor="user-0"))) == 4
    assert [e.entry.record_id for e in audit.entries(AuditFilter(record_id="r3"))] == ["r3"]
    assert len(audit.entries(AuditFilter(action_prefix="item.update"))) == 10
    assert len(audit.entries(AuditFilter(limit=2))) == 2
