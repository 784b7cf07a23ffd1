"""Sync columns, revisions, tombstones and audit entries of syncable records."""

from __future__ import annotations

import pytest

from suas_desktop.domain.ids import is_record_id
from suas_desktop.errors import UserError
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from suas_desktop.storage.synced_table import SyncedTable

NOTES = SyncedTable("note", ["title", "body"])


@pytest.fixture
def table(db):
    db.execute(
        "CREATE TABLE note (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " updated_by TEXT NOT NULL, origin TEXT NOT NULL, revision INTEGER NOT NULL, title TEXT, body TEXT)"
    )
    return NOTES


def test_insert_sets_sync_columns_and_audits(table, db, workspace):
    ctx = workspace.write_context("ana")
    rid = table.insert(db, ctx, {"title": "a", "body": "b"})
    row = table.get(db, rid)
    assert is_record_id(rid)
    assert (row["revision"], row["updated_by"], row["origin"]) == (1, "ana", workspace.installation_id)
    assert row["created_at"].endswith("Z")
    [entry] = AuditRepository(db).entries(AuditFilter(record_id=rid))
    assert entry.entry.action == "note.create"
    assert entry.entry.fields == ("body", "title")


def test_update_only_changed_fields_and_never_values(table, db, workspace):
    rid = table.insert(db, workspace.write_context("ana"), {"title": "a", "body": "segredo"})
    changed = table.update(db, workspace.write_context("bia"), rid, {"title": "a", "body": "outro segredo"})
    assert changed == ("body",)
    assert table.get(db, rid)["revision"] == 2
    assert table.update(db, workspace.write_context("bia"), rid, {"title": "a"}) == ()
    assert table.get(db, rid)["revision"] == 2
    entries = AuditRepository(db).entries(AuditFilter(record_id=rid))
    assert [e.entry.fields for e in entries] == [("body", "title"), ("body",)]
    for e in entries:
        assert "segredo" not in repr(e)


def test_stale_revision_is_refused(table, db, workspace):
    rid = table.insert(db, workspace.write_context(), {"title": "a"})
    table.update(db, workspace.write_context(), rid, {"title": "b"})
    with pytest.raises(UserError):
        table.update(db, workspace.write_context(), rid, {"title": "c"}, expected_revision=1)
    assert table.get(db, rid)["title"] == "b"


def test_delete_leaves_tombstone_without_values(table, db, workspace):
    rid = table.insert(db, workspace.write_context(), {"title": "a", "body": "dados pessoais"})
    table.delete(db, workspace.write_context("ana"), rid)
    assert table.get(db, rid) is None
    tomb = db.first("SELECT * FROM tombstones WHERE record_id = ?", (rid,))
    assert (tomb["entity"], tomb["deleted_by"], tomb["revision"]) == ("note", "ana", 2)
    assert "dados pessoais" not in str(dict(tomb))
    with pytest.raises(UserError):
        table.delete(db, workspace.write_context(), rid)


def test_failed_write_leaves_no_audit_entry(table, db, workspace):
    before = AuditRepository(db).count()
    with pytest.raises(ValueError):
        table.insert(db, workspace.write_context(), {"nope": 1})
    assert AuditRepository(db).count() == before


def test_identifiers_are_checked():
    with pytest.raises(ValueError):
        SyncedTable("note; DROP TABLE x", ["a"])
    with pytest.raises(ValueError):
        SyncedTable("note", ["revision"])
