"""Backups: automatic snapshots in ``backups/`` and the one-file backup that leaves the data folder.

* **Automatic** (inside the data folder): ``VACUUM INTO`` snapshots of the database named
  ``<label>-<UTC stamp>.db`` — ``diario`` once a day on open (:func:`ensure_daily_backup`),
  ``antes-da-importacao`` before every import, ``antes-da-restauracao`` before a restore. Attachments
  are not copied: they are stored once by hash and imports never delete them. :func:`prune_backups`
  keeps the newest of each of the last 7 days, 4 weeks and 12 months, and everything from the last
  24 hours (Anki's scheme); manual backups (``manual-…``) are never pruned.
* **Backup file** (``suas-desktop backup --out FILE``): the same container as packages (scope
  ``backup``) holding the snapshot and every stored attachment, ALWAYS encrypted with a passphrase
  because it leaves the data folder with personal data (LGPD art. 46), and signed by the
  installation. ``restore`` verifies it, checks the snapshot like any untrusted database
  (reliability.md §1.6: header, application id, integrity_check, the schema compared with the one
  our own migrations produce), backs up the current state, adds the attachments (only adds: files
  are named by content) and swaps the database file with ONE rename — a failure before that rename
  leaves the old state.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from suas_desktop import __version__, log
from suas_desktop.atomic_files import fsync_dir, fsync_file
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import today_local
from suas_desktop.domain.ids import new_record_id
from suas_desktop.domain.passphrase import ADVICE, weakness
from suas_desktop.domain.permissions import Permission
from suas_desktop.errors import UserError
from suas_desktop.services import package_format as pf
from suas_desktop.services import signing_keys, usb_write
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import SYSTEM_ACTOR, Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database
from suas_desktop.storage.migrations import SCHEMA_VERSION, load_steps, migrate, schema_signature
from suas_desktop.storage.municipality_repository import MunicipalityRepository
from suas_desktop.storage.sync_repository import has_records

DAILY_LABEL = "diario"
BEFORE_IMPORT_LABEL = "antes-da-importacao"
BEFORE_RESTORE_LABEL = "antes-da-restauracao"
#: Labels of backups the app makes by itself (pruned by the retention rule).
AUTOMATIC_LABELS = (DAILY_LABEL, BEFORE_IMPORT_LABEL, BEFORE_RESTORE_LABEL, "antes-da-migracao")
_NAME = re.compile(r"^(?P<label>[a-z0-9-]+?)-(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.db$")


@dataclass(frozen=True)
class SnapshotInfo:
    path: Path
    label: str
    taken_at: datetime


def parse_backup_name(path: Path) -> SnapshotInfo | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return SnapshotInfo(path, match["label"], taken)


def snapshot_backup(ws: Workspace, *, label: str, actor: str, audit: bool = True) -> Path:
    """A consistent copy of the database in ``backups/`` (never overwrites an older one).

    ``audit=False`` lets the caller record the backup inside its own transaction (an import that is
    then refused must leave the database exactly as it was).
    """
    folder = ws.layout.backups
    folder.mkdir(parents=True, exist_ok=True)
    stamp = ws.clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{label}-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{label}-{stamp}-{n}.db"
    ws.db.snapshot(target)
    log.services.info("backup written: %s", target.name)
    if not audit:
        return target
    ctx = ws.write_context(actor)
    AuditRepository(ws.db).append(
        AuditEntry(at=ctx.at, actor=actor, action="backup.create", origin=ctx.origin, detail=target.name)
    )
    return target


def _snapshots(ws: Workspace) -> list[SnapshotInfo]:
    folder = ws.layout.backups
    if not folder.is_dir():
        return []
    found = [info for p in folder.glob("*.db") if p.is_file() and (info := parse_backup_name(p))]
    return sorted(found, key=lambda s: (s.taken_at, s.path.name), reverse=True)


def recent_snapshot(ws: Workspace, label: str, *, within: timedelta) -> Path | None:
    """The newest automatic backup named ``label`` taken less than ``within`` ago, if any."""
    now = ws.clock.now()
    for snap in _snapshots(ws):
        if snap.label == label and now - snap.taken_at <= within:
            return snap.path
    return None


def ensure_daily_backup(ws: Workspace, *, today: date | None = None) -> Path | None:
    """Take today's automatic backup if there is none yet (and the folder has data); returns it."""
    today = today or today_local(ws.clock)
    for snap in _snapshots(ws):
        if snap.label == DAILY_LABEL and snap.taken_at.astimezone().date() == today:
            return None
    if not has_records(ws.db):
        return None
    return snapshot_backup(ws, label=DAILY_LABEL, actor=SYSTEM_ACTOR)


def prune_backups(
    ws: Workspace,
    *,
    now: datetime | None = None,
    daily: int = 7,
    weekly: int = 4,
    monthly: int = 12,
) -> list[Path]:
    """Delete automatic backups beyond the retention rule; returns the removed files."""
    now = now or ws.clock.now()
    automatic = [s for s in _snapshots(ws) if any(s.label.startswith(a) for a in AUTOMATIC_LABELS)]
    keep: set[Path] = set()
    buckets: dict[str, list] = {"d": [], "w": [], "m": []}
    limits = {"d": daily, "w": weekly, "m": monthly}
    for snap in automatic:  # newest first
        local = snap.taken_at.astimezone()
        if now - snap.taken_at <= timedelta(hours=24):
            keep.add(snap.path)
        keys = {"d": local.date(), "w": local.isocalendar()[:2], "m": (local.year, local.month)}
        for kind, key in keys.items():
            if key not in buckets[kind] and len(buckets[kind]) < limits[kind]:
                buckets[kind].append(key)
                keep.add(snap.path)
    removed = []
    for snap in automatic:
        if snap.path not in keep:
            with contextlib.suppress(OSError):
                snap.path.unlink()
                removed.append(snap.path)
    if removed:
        log.services.info("pruned %d old automatic backups", len(removed))
    return removed


# ================================================================== backup file
@dataclass(frozen=True)
class BackupFileResult:
    path: Path
    size: int
    sha256: str
    attachments: int


def check_passphrase(passphrase: str, avoid: tuple[str, ...] = ()) -> None:
    why = weakness(passphrase, avoid=avoid)
    if why:
        raise UserError(f"Senha fraca: {why}", hint=ADVICE)


def _municipality(ws: Workspace) -> dict[str, str] | None:
    found = MunicipalityRepository(ws.db).get()
    if found is None:
        return None
    m = found[1]
    return {"ibge_code": m.ibge_code, "name": m.name, "uf": m.uf}


def write_backup_file(
    ws: Workspace, out: Path, *, passphrase: str, actor: str, log_n: int | None = None
) -> BackupFileResult:
    """Database snapshot + every stored attachment in one encrypted, signed file at ``out``."""
    require(ws, Permission.EXPORT, doing="gravar a cópia de segurança fora da pasta de dados")
    municipality = _municipality(ws)
    check_passphrase(passphrase, avoid=(municipality["name"],) if municipality else ())
    usb_write.check_name(Path(out).name)
    key = signing_keys.load_or_create(ws.layout)
    usb_write.preflight(Path(out), 0)
    pf.clean_stale_temp(ws.layout)
    with pf.private_temp(ws.layout, "copia-") as tmp:
        snapshot = ws.db.snapshot(tmp / "suas-desktop.db")
        stored = [p for p in ws.attachments.iter_stored() if re.fullmatch(r"[0-9a-f]{64}", p.name)]
        ctx = ws.write_context(actor)
        manifest = {
            "format": pf.FORMAT,
            "format_version": pf.FORMAT_VERSION,
            "app_version": __version__,
            "schema_version": ws.db.user_version,
            "package_id": new_record_id(),
            "scope": "backup",
            "created_at": ctx.at,
            "created_by": actor,
            "installation_id": ws.installation_id,
            "sequence": 1,
            "municipality": municipality or {"ibge_code": "0000000", "name": "(sem município)", "uf": "XX"},
            "signer": {"algorithm": "Ed25519", "public_key": _b64(key.public_bytes)},
            "tables": {},
            "attachments": len(stored),
        }

        def build(writer: pf.PackageWriter) -> dict:
            writer.add_file(pf.DATABASE, snapshot, compress=True)
            writer.add_files([(f"anexos/{path.name}", path, path.name) for path in stored])
            return manifest

        try:
            estimated = pf.estimate_size(
                manifest,
                stored=[p.stat().st_size for p in stored],
                deflated=[snapshot.stat().st_size],
                encrypted=True,
            )
        except OSError as exc:
            raise _unreadable() from exc
        try:
            _, result = pf.write_package(
                Path(out),
                estimated_size=estimated,
                passphrase=passphrase,
                log_n=log_n or pf.age_stream.DEFAULT_LOG_N,
                build=build,
                sign=key.sign,
            )
        except pf.SourceUnreadable as exc:
            raise _unreadable() from exc
    AuditRepository(ws.db).append(
        AuditEntry(at=ctx.at, actor=actor, action="backup.export", origin=ctx.origin, detail=Path(out).name)
    )
    return BackupFileResult(result.path, result.size, result.sha256, len(stored))


def _unreadable() -> UserError:
    return UserError(
        "Não foi possível montar a cópia de segurança: um anexo está danificado ou ilegível.",
        hint="Rode a verificação dos dados (suas-desktop check).",
    )


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class RestoreResult:
    restored_schema: int
    attachments_added: int
    previous_state: Path


def _check_restored_database(path: Path, workdir: Path) -> int:
    """Open the snapshot as untrusted; its schema must be exactly what our migrations make."""
    try:
        with Database.open(path, allow_wal=False) as candidate:
            version = candidate.user_version
            if version > SCHEMA_VERSION:
                raise pf.PackageRejected(
                    "too_new",
                    message="Esta cópia de segurança foi feita por uma versão mais nova do SUAS Desktop. "
                    "Atualize o aplicativo.",
                )
            if version < 1:
                raise pf.PackageRejected("invalid_content", "banco de dados vazio")
            schema = schema_signature(candidate)
            problems = candidate.foreign_key_check()
    except pf.PackageRejected:
        raise
    except Exception as exc:
        raise pf.PackageRejected("invalid_content", "o banco de dados da cópia não abre") from exc
    if problems:
        raise pf.PackageRejected("invalid_content", "referências quebradas no banco da cópia")
    reference_path = workdir / "referencia.db"
    with Database.open(reference_path, allow_wal=False) as reference:
        migrate(reference, None, steps=load_steps()[:version])
        expected = schema_signature(reference)
    if schema != expected:
        raise pf.PackageRejected("invalid_content", "a estrutura do banco da cópia não é a esperada")
    return version


def restore_backup_file(ws: Workspace, source: Path, *, passphrase: str, actor: str) -> RestoreResult:
    """Replace this data folder's database (and add the attachments) from a backup file.

    ``ws`` is ALWAYS closed when this returns or raises (its database file may have been replaced);
    open a new workspace to continue. A failure before the final rename leaves the old state.
    A refused permission is the exception: it raises before anything happens and leaves ``ws`` open.
    """
    require(ws, Permission.RESTORE)
    try:
        version, added, previous = _restore(ws, Path(source), passphrase, actor)
    finally:
        ws.close()
    log.services.warning(
        "database restored from a backup file (schema %d); previous state in %s", version, previous.name
    )
    _audit_restore(ws, actor, Path(source).name, previous.name)
    return RestoreResult(version, added, previous)


def _restore(ws: Workspace, source: Path, passphrase: str, actor: str) -> tuple[int, int, Path]:
    pf.clean_stale_temp(ws.layout)
    with pf.private_temp(ws.layout, "restauracao-") as tmp:
        package = pf.open_package(source, tmp, passphrase=passphrase, expected_scopes=("backup",))
        try:
            staged = tmp / "restaurado.db"
            package.copy_member(pf.DATABASE, staged)
            version = _check_restored_database(staged, tmp)
            added = 0
            for sha in package.attachments():
                if not ws.attachments.contains(sha):
                    _adopt_attachment(ws, package, sha, tmp)
                    added += 1
        finally:
            package.close()
        previous = snapshot_backup(ws, label=BEFORE_RESTORE_LABEL, actor=actor)
        fsync_file(staged)
        live = ws.layout.database
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        ws.db.close()
        for suffix in ("-wal", "-shm", "-journal"):
            side = live.with_name(live.name + suffix)
            if side.exists():
                # A journal left beside the new file would be replayed into it: move it away.
                os.replace(side, ws.layout.backups / f"substituido-{stamp}.db{suffix}")
        os.replace(staged, live)
        fsync_dir(live.parent)
    return version, added, previous


def _adopt_attachment(ws: Workspace, package: pf.OpenedPackage, sha: str, tmp: Path) -> None:
    staged = tmp / f"anexo-{sha}"
    package.copy_member(f"anexos/{sha}", staged)
    final = ws.attachments.path_for(sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, final)
    fsync_dir(final.parent)


def _audit_restore(ws: Workspace, actor: str, source_name: str, previous_name: str) -> None:
    from suas_desktop.services.workspace import open_workspace

    with open_workspace(ws.layout, clock=ws.clock, file_logging=False) as fresh:
        ctx = fresh.write_context(actor)
        AuditRepository(fresh.db).append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action="backup.restore",
                origin=ctx.origin,
                detail=f"{source_name}; estado anterior em {previous_name}",
            )
        )
