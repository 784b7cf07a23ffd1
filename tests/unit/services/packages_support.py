"""Helpers for the package tests: data folders, a fast KDF cache, checksums and data snapshots."""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from suas_desktop.domain.clock import FixedClock
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services import age_stream
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.workspace import Workspace, open_workspace
from suas_desktop.storage.sync_repository import syncable_tables

PASSPHRASE = "caju pedra violão janela"
#: The floor the importer accepts; the app writes 2^17.
TEST_LOG_N = age_stream.MIN_LOG_N
_real_kdf = age_stream.derive_wrap_key


@functools.lru_cache(maxsize=4096)
def cached_kdf(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    return _real_kdf(passphrase, salt, log_n)


class Clock(FixedClock):
    """A fixed clock the test moves forward by hand."""

    def tick(self, minutes: int = 1) -> None:
        self.moment += timedelta(minutes=minutes)


def open_folder(root: Path, *, clock: Clock | None = None) -> Workspace:
    clock = clock or Clock(datetime(2026, 11, 25, 14, 30, tzinfo=UTC))
    return open_workspace(DataLayout(root, DataDirSource.COMMAND_LINE), clock=clock, file_logging=False)


def setup_profile(ws: Workspace, **overrides: Any) -> None:
    from tests.unit.services.conftest import PROFILE

    MunicipalityService(ws).save_profile(actor="admin", **{**PROFILE, **overrides})


def export(ws: Workspace, path: Path, *, scope: str = "full", passphrase: str | None = PASSPHRASE) -> Path:
    PackageService(ws).export(
        path, actor="teste", scope=scope, passphrase=passphrase if scope == "full" else None, log_n=TEST_LOG_N
    )
    return path


def import_(ws: Workspace, path: Path, **kwargs: Any):
    kwargs.setdefault("passphrase", PASSPHRASE)
    kwargs.setdefault("trust_signer", True)
    return PackageService(ws).import_package(path, actor="teste", **kwargs)


def db_checksum(ws: Workspace) -> str:
    """SHA-256 over every row of every table: any change at all shows."""
    digest = hashlib.sha256()
    names = [r[0] for r in ws.db.all("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    for name in names:
        digest.update(name.encode())
        for row in ws.db.all(f"SELECT * FROM {name} ORDER BY 1"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def data_snapshot(ws: Workspace) -> dict[str, Any]:
    """Every syncable row (with its sync columns) and every tombstone: what must converge."""
    out: dict[str, Any] = {}
    for name, info in syncable_tables(ws.db).items():
        out[name] = [tuple(r) for r in ws.db.all(f"SELECT {', '.join(info.columns)} FROM {name} ORDER BY id")]
    out["tombstones"] = [tuple(r) for r in ws.db.all("SELECT * FROM tombstones ORDER BY entity, record_id")]
    return out


def stored_files(ws: Workspace) -> set[str]:
    return {p.name for p in ws.attachments.iter_stored()}
