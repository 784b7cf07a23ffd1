"""Backups: one-file backup and restore, the daily automatic backup and its retention (APP-4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from suas_desktop.errors import UserError
from suas_desktop.services import age_stream, backup_archive
from suas_desktop.services import package_format as pf
from suas_desktop.services.backup_service import BackupService
from suas_desktop.services.demo import build_demo
from suas_desktop.services.register_service import RegisterService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from tests.unit.services.packages_support import (
    PASSPHRASE,
    TEST_LOG_N,
    cached_kdf,
    data_snapshot,
    db_checksum,
    open_folder,
    stored_files,
)


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)


def _backup(ws, path):
    return backup_archive.write_backup_file(ws, path, passphrase=PASSPHRASE, actor="teste", log_n=TEST_LOG_N)


def test_backup_and_restore_round_trip(tmp_path):
    ws = open_folder(tmp_path / "dados")
    build_demo(ws)
    expected_data, expected_files = data_snapshot(ws), stored_files(ws)
    result = _backup(ws, tmp_path / "copia.suas")
    assert result.attachments == len(expected_files)
    assert (tmp_path / "copia.suas").read_bytes().startswith(b"age-encryption.org/v1\n")
    # afterwards the data changes and an attachment file is lost
    RegisterService(ws).create(actor="ana", name="stock", values={"item": "Cesta", "quantity": 3})
    lost = next(iter(ws.attachments.iter_stored()))
    lost.unlink()
    layout = ws.layout
    restored = backup_archive.restore_backup_file(
        ws, tmp_path / "copia.suas", passphrase=PASSPHRASE, actor="teste"
    )
    assert restored.attachments_added == 1
    assert restored.previous_state.name.startswith("antes-da-restauracao-")
    again = open_folder(layout.root)
    try:
        assert data_snapshot(again) == expected_data
        assert stored_files(again) == expected_files
        assert not again.attachments.verify()
        assert AuditRepository(again.db).verify().ok
        actions = [
            e.entry.action for e in AuditRepository(again.db).entries(AuditFilter(action_prefix="backup."))
        ]
        assert actions[-1] == "backup.restore"
    finally:
        again.close()


def test_restore_refuses_wrong_passphrase_and_changes_nothing(tmp_path):
    ws = open_folder(tmp_path / "dados")
    build_demo(ws)
    _backup(ws, tmp_path / "copia.suas")
    RegisterService(ws).create(actor="ana", name="stock", values={"item": "Cesta", "quantity": 3})
    before = db_checksum(ws)
    layout = ws.layout
    with pytest.raises(pf.PackageRejected) as info:
        backup_archive.restore_backup_file(
            ws, tmp_path / "copia.suas", passphrase="senha errada aqui", actor="t"
        )
    assert info.value.reason == "wrong_passphrase"
    again = open_folder(layout.root)
    try:
        assert db_checksum(again) == before
    finally:
        again.close()


def test_restore_refuses_a_package_that_is_not_a_backup(tmp_path):
    from tests.unit.services.packages_support import export, setup_profile

    ws = open_folder(tmp_path / "dados")
    setup_profile(ws)
    package = export(ws, tmp_path / "pacote.suas")
    with pytest.raises(pf.PackageRejected) as info:
        backup_archive.restore_backup_file(ws, package, passphrase=PASSPHRASE, actor="t")
    assert info.value.reason == "not_a_backup"


def test_restore_checks_the_schema_of_the_snapshot(tmp_path, monkeypatch):
    """A snapshot whose schema differs from what our migrations make (e.g. an extra trigger) is refused."""
    ws = open_folder(tmp_path / "dados")
    build_demo(ws)
    ws.db.execute("CREATE TRIGGER sneaky AFTER INSERT ON units BEGIN DELETE FROM stock; END")
    _backup(ws, tmp_path / "copia.suas")
    layout = ws.layout
    with pytest.raises(pf.PackageRejected) as info:
        backup_archive.restore_backup_file(ws, tmp_path / "copia.suas", passphrase=PASSPHRASE, actor="t")
    assert info.value.reason == "invalid_content"
    open_folder(layout.root).close()


def test_backup_needs_a_strong_passphrase(tmp_path):
    ws = open_folder(tmp_path / "dados")
    try:
        with pytest.raises(UserError, match="Senha fraca"):
            backup_archive.write_backup_file(ws, tmp_path / "c.suas", passphrase="123", actor="t")
        assert not (tmp_path / "c.suas").exists()
    finally:
        ws.close()


def test_daily_backup_once_per_day(tmp_path):
    ws = open_folder(tmp_path / "dados")
    try:
        assert backup_archive.ensure_daily_backup(ws) is None  # nothing to protect yet
        RegisterService(ws).create(actor="ana", name="stock", values={"item": "Cesta", "quantity": 3})
        first = backup_archive.ensure_daily_backup(ws)
        assert first is not None and first.name.startswith("diario-")
        assert backup_archive.ensure_daily_backup(ws) is None
        ws.clock.tick(60 * 24)
        assert backup_archive.ensure_daily_backup(ws) is not None
        # the GUI's BackupService still lists them
        assert len(BackupService(ws).list()) == 2
    finally:
        ws.close()


def test_retention_7_daily_4_weekly_12_monthly(tmp_path):
    ws = open_folder(tmp_path / "dados")
    try:
        folder = ws.layout.backups
        now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
        made = []
        for days in range(0, 500):
            moment = now - timedelta(days=days)
            path = folder / f"diario-{moment.strftime('%Y%m%dT%H%M%SZ')}.db"
            path.write_bytes(b"x")
            made.append(path)
        manual = folder / "manual-20200101T000000Z.db"
        manual.write_bytes(b"x")
        removed = backup_archive.prune_backups(ws, now=now)
        kept = sorted(p for p in folder.glob("*.db"))
        assert manual in kept
        auto = [p for p in kept if p.name.startswith("diario-")]
        days = sorted({backup_archive.parse_backup_name(p).taken_at.date() for p in auto}, reverse=True)
        assert days[:7] == [date(2026, 11, 25) - timedelta(days=i) for i in range(7)]
        months = {(d.year, d.month) for d in days}
        assert len(months) == 12
        assert len(auto) <= 7 + 4 + 12
        assert len(removed) == 500 - len(auto)
        assert backup_archive.prune_backups(ws, now=now) == []  # stable
    finally:
        ws.close()
