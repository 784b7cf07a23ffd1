"""Merging packages between data folders: round trip, idempotency, commutativity, deletions, conflicts."""

from __future__ import annotations

import json

import pytest

from suas_desktop.domain.registers import REGISTERS
from suas_desktop.errors import KnownError
from suas_desktop.services import age_stream
from suas_desktop.services import package_format as pf
from suas_desktop.services.demo import build_demo
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from tests.unit.services.packages_support import (
    PASSPHRASE,
    cached_kdf,
    data_snapshot,
    db_checksum,
    export,
    import_,
    open_folder,
    setup_profile,
    stored_files,
)

UNIT = {"kind": "cras", "name": "CRAS Centro", "referenced_families": 2500}


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)


@pytest.fixture
def folders(tmp_path):
    opened = []

    def make(name):
        ws = open_folder(tmp_path / name)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


def _registers(ws):
    return RegisterService(ws)


def test_round_trip_demo_every_table_and_attachment(folders, tmp_path):
    a, b = folders("a"), folders("b")
    build_demo(a)
    package = export(a, tmp_path / "demo.suas")
    result = import_(b, package)
    assert result.applied
    assert result.plan.counts()["conflicts"] == 0
    assert data_snapshot(b) == data_snapshot(a)
    assert stored_files(b) == stored_files(a)
    assert not b.attachments.verify()
    assert not b.db.foreign_key_check()
    # provenance: original authors and dates came along
    row = b.db.first("SELECT updated_by, origin FROM units LIMIT 1")
    assert row["updated_by"] == "demonstracao"
    assert row["origin"] == a.installation_id
    # every import is in the import log and the audit trail
    assert b.db.scalar("SELECT count(*) FROM import_log") == 1
    entries = AuditRepository(b.db).entries(AuditFilter(action_prefix="package.import"))
    assert len(entries) == 1
    assert result.backup is not None and result.backup.name.startswith("antes-da-importacao-")
    assert AuditRepository(b.db).verify().ok


def test_same_package_twice_and_same_content_twice_change_nothing(folders, tmp_path):
    a, b = folders("a"), folders("b")
    build_demo(a)
    first = export(a, tmp_path / "1.suas")
    second = export(a, tmp_path / "2.suas")  # another package id, the same content
    import_(b, first)
    before = db_checksum(b)
    again = import_(b, first)
    assert again.plan.already_imported
    assert not again.applied
    assert db_checksum(b) == before
    snapshot = data_snapshot(b)
    other = import_(b, second)
    assert other.plan.counts() == {"created": 0, "updated": 0, "deleted": 0, "conflicts": 0}
    assert data_snapshot(b) == snapshot
    assert other.backup is None  # nothing to change: no backup taken


def _base_pair(folders, tmp_path):
    """A with a profile and two units, B a copy made through a package."""
    a, b = folders("a"), folders("b")
    setup_profile(a)
    regs = _registers(a)
    u1 = regs.create(actor="ana", name="units", values=UNIT)
    u2 = regs.create(actor="ana", name="units", values={**UNIT, "name": "CREAS", "kind": "creas"})
    import_(b, export(a, tmp_path / "base.suas"))
    return a, b, u1.id, u2.id


def test_edits_flow_both_ways_and_converge(folders, tmp_path):
    a, b, u1, u2 = _base_pair(folders, tmp_path)
    _registers(a).update(actor="ana", name="units", record_id=u1, values={"referenced_families": 3000})
    b.clock.tick()
    _registers(b).update(actor="bia", name="units", record_id=u2, values={"phone": "(38) 3200-0000"})
    result_b = import_(b, export(a, tmp_path / "a1.suas"))
    assert [r.record_id for r in result_b.plan.updated] == [u1]
    result_a = import_(a, export(b, tmp_path / "b1.suas"))
    assert [r.record_id for r in result_a.plan.updated] == [u2]
    assert data_snapshot(a) == data_snapshot(b)
    row = a.db.first("SELECT updated_by FROM units WHERE id = ?", (u2,))
    assert row["updated_by"] == "bia"  # the author of the change, not the importer


def test_commutative_when_no_conflict(folders, tmp_path):
    a, b, u1, u2 = _base_pair(folders, tmp_path)
    c = folders("c")
    import_(c, export(a, tmp_path / "base-c.suas"))
    regs_b, regs_c = _registers(b), _registers(c)
    b.clock.tick()
    regs_b.update(actor="bia", name="units", record_id=u1, values={"phone": "(38) 1111-1111"})
    regs_b.create(actor="bia", name="stock", values={"item": "Cesta básica", "quantity": 10})
    c.clock.tick(2)
    regs_c.delete(actor="caio", name="units", record_id=u2)
    regs_c.create(actor="caio", name="legislation", values={"kind": "lei_fmas", "number": "1.234/2005"})
    from_b = export(b, tmp_path / "b.suas")
    from_c = export(c, tmp_path / "c.suas")
    d, e = folders("d"), folders("e")
    for target, order in ((d, (from_b, from_c)), (e, (from_c, from_b))):
        import_(target, tmp_path / "base.suas")
        for package in order:
            assert import_(target, package).plan.counts()["conflicts"] == 0
    assert data_snapshot(d) == data_snapshot(e)
    assert d.db.scalar("SELECT count(*) FROM units") == 1
    assert d.db.scalar("SELECT phone FROM units WHERE id = ?", (u1,)) == "(38) 1111-1111"


def test_deletion_travels_as_tombstone_and_blocks_resurrection(folders, tmp_path):
    a, b, _, u2 = _base_pair(folders, tmp_path)
    a.clock.tick()
    _registers(a).delete(actor="ana", name="units", record_id=u2)
    result = import_(b, export(a, tmp_path / "del.suas"))
    assert [r.record_id for r in result.plan.deleted] == [u2]
    assert b.db.scalar("SELECT count(*) FROM units WHERE id = ?", (u2,)) == 0
    assert b.db.scalar("SELECT count(*) FROM tombstones WHERE record_id = ?", (u2,)) == 1
    # an old package that still has the record does not bring it back
    again = import_(b, tmp_path / "base.suas")
    assert again.plan.already_imported
    c = folders("c")
    import_(c, tmp_path / "base.suas")
    import_(c, tmp_path / "del.suas")
    old = export(a, tmp_path / "after.suas")
    assert import_(c, old).plan.counts()["created"] == 0
    assert c.db.scalar("SELECT count(*) FROM units WHERE id = ?", (u2,)) == 0


def test_later_edit_beats_earlier_deletion(folders, tmp_path):
    a, b, u1, _ = _base_pair(folders, tmp_path)
    _registers(a).delete(actor="ana", name="units", record_id=u1)  # 14:30
    b.clock.tick(10)
    _registers(b).update(actor="bia", name="units", record_id=u1, values={"phone": "(38) 2222-2222"})  # 14:40
    result = import_(b, export(a, tmp_path / "a-del.suas"))
    assert result.plan.counts() == {"created": 0, "updated": 0, "deleted": 0, "conflicts": 0}
    assert b.db.scalar("SELECT phone FROM units WHERE id = ?", (u1,)) == "(38) 2222-2222"
    # the kept edit goes back and brings the record back on A too
    back = import_(a, export(b, tmp_path / "b-edit.suas"))
    assert [r.record_id for r in back.plan.created] == [u1]
    assert data_snapshot(a) == data_snapshot(b)


def test_earlier_edit_vs_later_deletion_is_a_conflict_never_silent(folders, tmp_path):
    a, b, u1, _ = _base_pair(folders, tmp_path)
    _registers(b).update(actor="bia", name="units", record_id=u1, values={"phone": "(38) 3333-3333"})  # 14:30
    a.clock.tick(10)
    _registers(a).delete(actor="ana", name="units", record_id=u1)  # 14:40
    result = import_(b, export(a, tmp_path / "a-del.suas"))
    assert [(c.kind, c.record_id) for c in result.plan.conflicts] == [("incoming_delete", u1)]
    assert b.db.scalar("SELECT phone FROM units WHERE id = ?", (u1,)) == "(38) 3333-3333"
    service = PackageService(b)
    [conflict] = service.conflicts()
    assert conflict.incoming is None and conflict.local["phone"] == "(38) 3333-3333"
    service.resolve_conflict(conflict.id, keep="incoming", actor="bia")
    assert b.db.scalar("SELECT count(*) FROM units WHERE id = ?", (u1,)) == 0
    # the losing edit is still in the conflict row
    stored = b.db.first("SELECT local_version, status, resolution FROM conflict")
    assert json.loads(stored["local_version"])["row"]["phone"] == "(38) 3333-3333"
    assert (stored["status"], stored["resolution"]) == ("resolved", "incoming")


def test_concurrent_edits_conflict_then_resolution_propagates(folders, tmp_path):
    a, b, u1, _ = _base_pair(folders, tmp_path)
    _registers(a).update(actor="ana", name="units", record_id=u1, values={"referenced_families": 3100})
    b.clock.tick()
    _registers(b).update(actor="bia", name="units", record_id=u1, values={"referenced_families": 2900})
    package_a = export(a, tmp_path / "a.suas")
    before = data_snapshot(b)
    result = import_(b, package_a)
    assert len(result.plan.conflicts) == 1
    conflict = result.plan.conflicts[0]
    assert conflict.kind == "edit"
    assert conflict.local["referenced_families"] == 2900
    assert conflict.incoming["referenced_families"] == 3100
    assert data_snapshot(b) == before  # nothing silently replaced
    # importing the same content again does not pile up conflicts
    assert import_(b, export(a, tmp_path / "a2.suas")).plan.counts()["conflicts"] == 0
    service = PackageService(b)
    [open_conflict] = service.conflicts()
    service.resolve_conflict(open_conflict.id, keep="incoming", actor="bia")
    assert b.db.scalar("SELECT referenced_families FROM units WHERE id = ?", (u1,)) == 3100
    assert service.conflicts() == []
    with pytest.raises(Exception, match="já foi resolvido"):
        service.resolve_conflict(open_conflict.id, keep="local", actor="bia")
    # the decision reaches A without a new conflict, and both converge
    back = import_(a, export(b, tmp_path / "b.suas"))
    assert back.plan.counts()["conflicts"] == 0
    assert data_snapshot(a) == data_snapshot(b)


def test_keep_local_resolution_wins_on_the_other_side(folders, tmp_path):
    a, b, u1, _ = _base_pair(folders, tmp_path)
    _registers(a).update(actor="ana", name="units", record_id=u1, values={"name": "CRAS A"})
    _registers(b).update(actor="bia", name="units", record_id=u1, values={"name": "CRAS B"})
    import_(b, export(a, tmp_path / "a.suas"))
    service = PackageService(b)
    service.resolve_conflict(service.conflicts()[0].id, keep="local", actor="bia")
    assert import_(a, export(b, tmp_path / "b.suas")).plan.counts()["updated"] == 1
    assert a.db.scalar("SELECT name FROM units WHERE id = ?", (u1,)) == "CRAS B"
    assert data_snapshot(a) == data_snapshot(b)


def test_independent_profiles_are_matched_by_ibge_code(folders, tmp_path):
    """Both machines typed the municipality in the first-run wizard: one record, not a crash."""
    a, b = folders("a"), folders("b")
    setup_profile(a)
    setup_profile(b, population="7.200")
    result = import_(b, export(a, tmp_path / "a.suas"))
    assert [c.kind for c in result.plan.conflicts] == ["duplicate"]
    assert b.db.scalar("SELECT count(*) FROM municipality") == 1
    service = PackageService(b)
    service.resolve_conflict(service.conflicts()[0].id, keep="incoming", actor="bia")
    assert b.db.scalar("SELECT population FROM municipality") == 7101
    again = import_(a, export(b, tmp_path / "b.suas"))
    assert again.plan.counts()["conflicts"] == 0
    assert a.db.scalar("SELECT population FROM municipality") == 7101


def test_duplicate_with_equal_data_is_no_conflict(folders, tmp_path):
    a, b = folders("a"), folders("b")
    setup_profile(a)
    setup_profile(b)
    result = import_(b, export(a, tmp_path / "a.suas"))
    assert result.plan.counts()["conflicts"] == 0
    assert b.db.scalar("SELECT count(*) FROM record_alias") == 1


def test_other_municipality_full_package_refused(folders, tmp_path):
    a, b = folders("a"), folders("b")
    setup_profile(a)
    setup_profile(b, ibge_code="3106200", name="Belo Horizonte")
    package = export(a, tmp_path / "a.suas")
    before = db_checksum(b)
    with pytest.raises(pf.PackageRejected) as info:
        import_(b, package)
    assert info.value.reason == "other_municipality"
    assert "Belo Horizonte" in info.value.message
    assert db_checksum(b) == before


def test_unknown_signer_then_trusted(folders, tmp_path):
    a, b = folders("a"), folders("b")
    setup_profile(a)
    package = export(a, tmp_path / "a.suas")
    before = db_checksum(b)
    with pytest.raises(pf.UnknownSigner) as info:
        import_(b, package, trust_signer=False)
    fingerprint = info.value.signer.display
    assert len(fingerprint.split()) == 8
    assert fingerprint in info.value.message
    assert fingerprint == PackageService(a).own_fingerprint()
    assert db_checksum(b) == before
    # a dry run with trust shows the plan but remembers nothing
    plan = PackageService(b).preview(package, passphrase=PASSPHRASE, trust_signer=True)
    assert plan.counts()["created"] >= 1
    assert db_checksum(b) == before
    import_(b, package, trust_signer=True)
    assert b.db.scalar("SELECT count(*) FROM known_signer") == 1
    import_(b, export(a, tmp_path / "a2.suas"), trust_signer=False)  # remembered


def test_orphan_child_of_a_locally_deleted_parent_is_held_as_conflict(folders, tmp_path):
    a, b, _, u2 = _base_pair(folders, tmp_path)
    _registers(b).delete(actor="bia", name="units", record_id=u2)
    a.clock.tick()
    staff = {
        "name": "Maria", "role": "Técnica", "profession": "assistente_social", "education": "superior",
        "bond": "efetivo", "unit_id": u2,
    }  # fmt: skip
    _registers(a).create(actor="ana", name="staff", values=staff)
    result = import_(b, export(a, tmp_path / "a.suas"))
    kinds = sorted(c.kind for c in result.plan.conflicts)
    assert kinds == ["orphan"]
    assert not b.db.foreign_key_check()
    assert b.db.scalar("SELECT count(*) FROM staff") == 0


def test_regional_package_into_municipality_folder_is_refused(folders, tmp_path):
    a, b = folders("a"), folders("b")
    setup_profile(a)
    package = export(a, tmp_path / "r.suas", scope="regional")
    with pytest.raises(pf.PackageRejected) as info:
        import_(b, package)
    assert info.value.reason == "wrong_scope"


def test_edit_history_names_the_import(folders, tmp_path):
    _, b, u1, _ = _base_pair(folders, tmp_path)
    entries = AuditRepository(b.db).entries(AuditFilter(entity="units", record_id=u1))
    assert [e.entry.action for e in entries] == ["units.import_create"]
    assert REGISTERS["units"].label == "Unidades"


def test_failure_while_copying_attachments_leaves_nothing(folders, tmp_path, monkeypatch):
    a, b = folders("a"), folders("b")
    build_demo(a)
    package = export(a, tmp_path / "demo.suas")
    before, files_before = db_checksum(b), stored_files(b)
    real = pf.OpenedPackage.copy_member
    calls = {"n": 0}

    def flaky(self, name, dest):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(5, "pen drive removido")
        return real(self, name, dest)

    monkeypatch.setattr(pf.OpenedPackage, "copy_member", flaky)
    with pytest.raises(KnownError, match="Nada foi alterado"):
        import_(b, package)
    assert db_checksum(b) == before
    assert stored_files(b) == files_before
    assert not list(b.layout.backups.glob("antes-da-importacao-*"))
    assert not any(pf.temp_root(b.layout).iterdir())
