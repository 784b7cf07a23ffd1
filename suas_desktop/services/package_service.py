"""Exporting and importing ``.suas`` packages; previewing and applying the merge; resolving conflicts.

Export (``full``: every syncable table, the tombstones, every referenced attachment, ALWAYS encrypted;
``regional``: aggregates only, signed, normally unencrypted) is written straight to the destination
as ``NAME.partial`` (after usb_write's checks with the estimated size), fsynced, read back from the
device and fully decrypted, and only then renamed to ``NAME`` (:func:`package_format.write_package`).

Import = open (decrypt, every container check: package_format) -> parse and validate the records
against OUR schema -> check the signer (:class:`UnknownSigner` until a person confirms) -> plan the
merge (:meth:`PackageService.preview`, read-only) -> automatic backup -> apply everything in ONE
transaction (attachments copied by hash and verified before the commit) -> ``import_log`` + audit.
Any failure leaves the database exactly as it was and removes the temporary folder.

The merge rule is in domain/sync.py; clocks, aliases, conflicts and logs in storage/sync_repository.py;
docs/package-format.md explains the whole design in Portuguese.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from suas_desktop import __version__, log
from suas_desktop.atomic_files import fsync_dir
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.ids import is_record_id, new_record_id
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.regional import SummaryInvalid, summary_from_json, summary_to_json
from suas_desktop.domain.registers import REGISTERS
from suas_desktop.domain.sync import (
    SYNC_COLUMNS,
    Action,
    ConflictKind,
    Decision,
    Tombstone,
    Version,
    VersionVector,
    bump,
    canonical_json,
    decide,
    merge,
    row_digest,
)
from suas_desktop.errors import KnownError, UserError
from suas_desktop.services import package_format as pf
from suas_desktop.services import signing_keys, usb_write
from suas_desktop.services.authorization import require
from suas_desktop.services.backup_archive import (
    BEFORE_IMPORT_LABEL,
    check_passphrase,
    recent_snapshot,
    snapshot_backup,
)
from suas_desktop.services.regional_service import build_summary, is_association
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.municipality_repository import MunicipalityRepository
from suas_desktop.storage.sync_repository import (
    ConstraintViolation,
    RegionalRepository,
    SyncRepository,
    TableInfo,
    syncable_tables,
)

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_MAX_TEXT = 1 << 20
_MAX_CLOCK_ENTRIES = 10_000
#: ``created_by`` of a regional package: it goes to another body, so it names the office, not the person
#: (LGPD minimisation; the audit trail here keeps who exported it).
REGIONAL_AUTHOR = "órgão gestor municipal"


# ================================================================== results
@dataclass(frozen=True)
class RecordRef:
    table: str
    record_id: str


@dataclass(frozen=True)
class Conflict:
    table: str
    record_id: str
    kind: str
    #: The row on each side; None when that side deleted the record (or, locally, never had it).
    local: dict[str, Any] | None
    incoming: dict[str, Any] | None

    @property
    def table_label(self) -> str:
        return REGISTERS[self.table].label if self.table in REGISTERS else self.table


@dataclass
class MergePlan:
    package_id: str
    scope: str
    source: str
    municipality: str
    municipality_name: str
    created_at: str
    signer: str
    created: list[RecordRef] = field(default_factory=list)
    updated: list[RecordRef] = field(default_factory=list)
    deleted: list[RecordRef] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    already_imported: bool = False
    new_attachments: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.conflicts)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "deleted": len(self.deleted),
            "conflicts": len(self.conflicts),
        }


@dataclass
class ImportResult:
    plan: MergePlan
    applied: bool
    dry_run: bool = False
    backup: Path | None = None

    @property
    def conflicts(self) -> int:
        return len(self.plan.conflicts)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    sha256: str
    package_id: str
    scope: str
    sequence: int
    encrypted: bool
    records: dict[str, int]
    tombstones: int
    attachments: int
    fingerprint: str


@dataclass(frozen=True)
class ConflictRecord:
    id: str
    table: str
    record_id: str
    kind: str
    detected_at: str
    package_id: str
    local: dict[str, Any] | None
    incoming: dict[str, Any] | None
    status: str
    resolution: str | None

    @property
    def table_label(self) -> str:
        return REGISTERS[self.table].label if self.table in REGISTERS else self.table


# ================================================================== parsed package content
@dataclass
class _Parsed:
    rows: dict[str, list[tuple[dict[str, Any], VersionVector]]]
    tombstones: list[tuple[str, str, Tombstone, VersionVector]]
    columns: dict[str, list[str]]


@dataclass
class _Step:
    table: str
    record_id: str
    foreign_id: str
    incoming: Version
    local: Version | None
    decision: Decision
    new_alias: bool = False


@dataclass
class _Computed:
    steps: list[_Step]
    new_aliases: list[tuple[str, str, str]]
    plan_conflicts: list[Conflict]


def _version_json(v: Version | None) -> str | None:
    if v is None:
        return None
    body = {"row": v.row} if v.row is not None else {"tombstone": v.tombstone.as_dict()}  # type: ignore[union-attr]
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def _version_digest(v: Version) -> str:
    return row_digest(v.row) if v.row is not None else row_digest({"tombstone": v.tombstone.as_dict()})  # type: ignore[union-attr]


#: Threads copying attachments into the store during an import (see _adopt_attachments).
_COPIERS = 4

#: Regional imports in one sitting share the copy of the database taken before the first of them.
REGIONAL_BACKUP_WINDOW = timedelta(hours=1)


class PackageService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._db = ws.db
        self._repo = SyncRepository(ws.db)

    # ================================================================== keys
    def history(self, *, limit: int = 200) -> list[dict[str, Any]]:
        """Packages sent and received by this data folder, newest first."""
        from suas_desktop.storage.sync_repository import package_history

        return package_history(self._ws.db, limit=limit)

    def own_fingerprint(self) -> str:
        return signing_keys.display_fingerprint(signing_keys.load_or_create(self._ws.layout).public_bytes)

    def trust(self, signer: pf.SignerInfo, *, actor: str) -> None:
        """Remember ``signer`` as trusted (the person compared the fingerprint)."""
        require(self._ws, Permission.IMPORT, doing="confiar em chaves de outras instalações")
        with self._db.transaction():
            self._store_trust(signer, actor)

    def _store_trust(self, signer: pf.SignerInfo, actor: str) -> None:
        ctx = self._ws.write_context(actor)
        self._repo.trust(
            {
                "fingerprint": signer.fingerprint,
                "public_key": base64.b64encode(signer.public_key).decode("ascii"),
                "installation_id": signer.installation_id,
                "municipality": signer.municipality,
                "municipality_name": signer.municipality_name,
                "trusted_at": ctx.at,
                "trusted_by": actor,
            }
        )
        AuditRepository(self._db).append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action="package.trust_signer",
                origin=ctx.origin,
                detail=f"chave {signer.display} da instalação {signer.installation_id}",
            )
        )

    def known_signers(self) -> list[dict[str, Any]]:
        return self._repo.known_signers()

    # ================================================================== export
    def export(
        self,
        out: Path,
        *,
        actor: str,
        scope: str = "full",
        passphrase: str | None = None,
        log_n: int | None = None,
        check_strength: bool = True,
    ) -> ExportResult:
        require(self._ws, Permission.EXPORT, doing="exportar pacotes")
        out = Path(out)
        if scope not in ("full", "regional"):
            raise UserError("Escolha o tipo de pacote: completo (full) ou regional.")
        usb_write.check_name(out.name)
        if is_association(self._ws):
            raise UserError(
                "Esta pasta de dados é de uma associação regional: ela recebe pacotes, não exporta."
            )
        found = MunicipalityRepository(self._db).get()
        if found is None:
            raise UserError("Cadastre o município antes de exportar um pacote.")
        municipality = found[1]
        if scope == "full" and not passphrase:
            raise UserError(
                "O pacote completo leva dados pessoais e precisa de uma senha.",
                hint="Informe uma senha (--passphrase-file ou SUAS_DESKTOP_PASSPHRASE na linha de comando).",
            )
        if passphrase and check_strength:
            check_passphrase(passphrase, avoid=(municipality.name,))
        key = signing_keys.load_or_create(self._ws.layout)
        ctx = self._ws.write_context(actor)
        package_id = new_record_id()
        sequence = self._repo.next_export_sequence()
        manifest: dict[str, Any] = {
            "format": pf.FORMAT,
            "format_version": pf.FORMAT_VERSION,
            "app_version": __version__,
            "schema_version": self._db.user_version,
            "package_id": package_id,
            "scope": scope,
            "created_at": ctx.at,
            "created_by": actor if scope == "full" else REGIONAL_AUTHOR,
            "installation_id": self._ws.installation_id,
            "sequence": sequence,
            "municipality": {
                "ibge_code": municipality.ibge_code,
                "name": municipality.name,
                "uf": municipality.uf,
            },
            "signer": {
                "algorithm": "Ed25519",
                "public_key": base64.b64encode(key.public_bytes).decode("ascii"),
            },
        }
        # The destination is checked before the database is touched (the size check comes below,
        # once the content is known, still before the first byte is written).
        usb_write.preflight(out, 0)
        pf.clean_stale_temp(self._ws.layout)
        counts: dict[str, int] = {}
        tomb_count = 0
        attachments: list[str] = []
        members: dict[str, bytes] = {}
        if scope == "full":
            tables, members, tomb_count, attachments = self._collect_full()
            counts = {t: n for t, (n, _) in tables.items()}
            manifest["tables"] = {t: {"records": n, "columns": cols} for t, (n, cols) in tables.items()}
            manifest["tombstones"] = tomb_count
            manifest["attachments"] = len(attachments)
        else:
            members = {pf.SUMMARY: canonical_json(summary_to_json(build_summary(self._ws)))}
            manifest["tables"] = {}
        estimated = pf.estimate_size(
            manifest,
            stored=[self._attachment_size(sha) for sha in attachments],
            deflated=[len(data) for data in members.values()],
            encrypted=bool(passphrase),
        )

        def build(writer: pf.PackageWriter) -> dict[str, Any]:
            for name, data in members.items():
                writer.add_bytes(name, data)
            writer.add_files(
                [(f"anexos/{sha}", self._ws.attachments.path_for(sha), sha) for sha in attachments]
            )
            return manifest

        try:
            written, result = pf.write_package(
                out,
                estimated_size=estimated,
                passphrase=passphrase,
                log_n=log_n or pf.age_stream.DEFAULT_LOG_N,
                build=build,
                sign=key.sign,
            )
        except pf.SourceUnreadable as exc:
            raise UserError(
                "Não foi possível montar o pacote: um anexo está danificado ou não pôde ser lido.",
                hint="Rode a verificação dos dados (suas-desktop check) e tente de novo.",
            ) from exc
        with self._db.transaction():
            self._repo.log_export(
                {
                    "package_id": package_id,
                    "sequence": sequence,
                    "scope": scope,
                    "created_at": ctx.at,
                    "created_by": actor,
                    "sha256": result.sha256,
                    "size": result.size,
                    "file_name": out.name,
                }
            )
            AuditRepository(self._db).append(
                AuditEntry(
                    at=ctx.at,
                    actor=actor,
                    action="package.export",
                    origin=ctx.origin,
                    detail=f"pacote {package_id} ({scope}, nº {sequence}); {sum(counts.values())} registros, "
                    f"{len(attachments)} anexos",
                )
            )
        log.services.info("package exported: %s scope=%s size=%d", package_id, scope, result.size)
        return ExportResult(
            result.path,
            result.size,
            result.sha256,
            package_id,
            scope,
            sequence,
            written.encrypted,
            counts,
            tomb_count,
            len(attachments),
            signing_keys.display_fingerprint(key.public_bytes),
        )

    def _attachment_size(self, sha: str) -> int:
        try:
            return self._ws.attachments.path_for(sha).stat().st_size
        except OSError as exc:
            raise UserError(
                "Não foi possível montar o pacote: um anexo está danificado ou não pôde ser lido.",
                hint="Rode a verificação dos dados (suas-desktop check) e tente de novo.",
            ) from exc

    def _collect_full(self) -> tuple[dict[str, tuple[int, list[str]]], dict[str, bytes], int, list[str]]:
        """Bring every clock up to date and serialize records and tombstones (one transaction)."""
        me = self._ws.installation_id
        tables = syncable_tables(self._db)
        members: dict[str, bytes] = {}
        info: dict[str, tuple[int, list[str]]] = {}
        hashes: set[str] = set()
        with self._db.transaction():
            syncs = self._repo.sync_records()
            for table in tables.values():
                lines = []
                for row in self._repo.rows(table):
                    clock = self._refresh(
                        syncs=syncs,
                        entity=table.name,
                        record_id=row["id"],
                        digest=row_digest(row),
                        deleted=False,
                        me=me,
                    )
                    lines.append(canonical_json({"row": row, "clock": clock}))
                    for column in table.hash_columns:
                        value = row.get(column)
                        is_hash = isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value)
                        if is_hash and (table.name == "attachments" or self._ws.attachments.contains(value)):
                            hashes.add(value)
                members[f"records/{table.name}.jsonl"] = b"".join(line + b"\n" for line in lines)
                info[table.name] = (len(lines), list(table.columns))
            tomb_lines = []
            for (entity, record_id), tomb in sorted(self._repo.tombstones().items()):
                digest = row_digest({"tombstone": tomb.as_dict()})
                clock = self._refresh(
                    syncs=syncs, entity=entity, record_id=record_id, digest=digest, deleted=True, me=me
                )
                tomb_lines.append(
                    canonical_json(
                        {"entity": entity, "record_id": record_id, **tomb.as_dict(), "clock": clock}
                    )
                )
            members[pf.TOMBSTONES] = b"".join(line + b"\n" for line in tomb_lines)
        missing = [h for h in sorted(hashes) if not self._ws.attachments.contains(h)]
        if missing:
            raise UserError(
                f"Falta o arquivo de {len(missing)} anexo(s) na pasta de anexos; o pacote não foi gerado.",
                hint="Rode a verificação dos dados (suas-desktop check) ou restaure uma cópia de segurança.",
            )
        return info, members, len(tomb_lines), sorted(hashes)

    def _refresh(
        self,
        *,
        syncs: dict[tuple[str, str], tuple[VersionVector, str, bool]],
        entity: str,
        record_id: str,
        digest: str,
        deleted: bool,
        me: str,
    ) -> VersionVector:
        """The record's clock, counting a local change made since the last exchange (and stored)."""
        known = syncs.get((entity, record_id))
        if known is not None and known[1] == digest:
            return known[0]
        clock = {me: 1} if known is None else bump(known[0], me)
        self._repo.put_sync_record(entity, record_id, clock, digest, deleted)
        syncs[(entity, record_id)] = (clock, digest, deleted)
        return clock

    # ================================================================== import
    @contextlib.contextmanager
    def _opened(self, source: Path, passphrase: str | None) -> Iterator[pf.OpenedPackage]:
        pf.clean_stale_temp(self._ws.layout)
        with pf.private_temp(self._ws.layout, "importacao-") as tmp:
            package = pf.open_package(
                Path(source), tmp, passphrase=passphrase, expected_scopes=("full", "regional")
            )
            try:
                yield package
            finally:
                package.close()

    def preview(
        self, source: Path, *, passphrase: str | None = None, trust_signer: bool = False
    ) -> MergePlan:
        """What importing ``source`` would change; writes nothing (not even the trust)."""
        return self.import_package(
            source, passphrase=passphrase, actor="", trust_signer=trust_signer, dry_run=True
        ).plan

    def import_package(
        self,
        source: Path,
        *,
        passphrase: str | None = None,
        actor: str,
        trust_signer: bool = False,
        dry_run: bool = False,
    ) -> ImportResult:
        """Verify and merge ``source``.

        Raises PackageRejected (UnknownSigner included) with nothing changed.
        """
        require(self._ws, Permission.IMPORT, doing="importar pacotes")
        with self._opened(source, passphrase) as package:
            self._check_destination(package)
            parsed = self._parse(package)
            signer_known = self._check_signer(package.signer, trust_signer)
            plan = self._empty_plan(package)
            previous = self._repo.imported(package.package_id)
            if previous is not None:
                plan.already_imported = True
                plan.warnings.append(f"Este pacote já foi importado em {_date_br(previous['imported_at'])}.")
                return ImportResult(plan, applied=False, dry_run=dry_run)
            if package.scope == "full":
                self._fill_plan(plan, self._plan(parsed), package)
            else:
                self._plan_regional(plan, parsed, package)
            self._sequence_warning(plan, package)
            if dry_run:
                return ImportResult(plan, applied=False, dry_run=True)
            backup = None
            if plan.changes:
                # An association imports hundreds of regional packages in a row; one copy of the
                # database per batch (per hour) protects them all, where a copy per package made the
                # consolidation grow worse than linearly (benchmarks/results.md). Full packages always
                # get their own copy.
                backup = (
                    recent_snapshot(self._ws, BEFORE_IMPORT_LABEL, within=REGIONAL_BACKUP_WINDOW)
                    if package.scope == "regional"
                    else None
                ) or snapshot_backup(self._ws, label=BEFORE_IMPORT_LABEL, actor=actor, audit=False)
            added: list[str] = []
            try:
                with self._db.transaction():
                    self._repo.defer_foreign_keys()
                    if not signer_known:
                        self._store_trust(package.signer, actor)
                    if package.scope == "full":
                        computed = self._plan(parsed)
                        plan = self._empty_plan(package, warnings=plan.warnings)
                        self._fill_plan(plan, computed, package)
                        self._apply(computed, package, actor)
                        self._adopt_attachments(package, added)
                        problems = self._db.foreign_key_check()
                        if problems:
                            raise pf.PackageRejected("broken_references", problems[0])
                    else:
                        self._apply_regional(plan, parsed, package)
                    self._log_import(package, plan, actor, backup)
            except ConstraintViolation as exc:
                self._forget_files(added, backup)
                raise pf.PackageRejected(
                    "invalid_content", f"registro de {exc.table} recusado pelo banco"
                ) from exc
            except OSError as exc:
                self._forget_files(added, backup)
                raise KnownError(
                    "Não foi possível copiar os anexos do pacote para a pasta de dados. Nada foi alterado.",
                    hint="Verifique o espaço livre no disco e se o pen drive continua conectado.",
                ) from exc
            except BaseException:
                self._forget_files(added, backup)
                raise
        log.services.info("package imported: %s %s", package.package_id, plan.counts())
        return ImportResult(plan, applied=True, backup=backup)

    # ------------------------------------------------------------------ checks
    def _check_destination(self, package: pf.OpenedPackage) -> None:
        association = is_association(self._ws)
        if package.scope == "regional" and not association:
            raise pf.PackageRejected(
                "wrong_scope",
                message="Pacotes regionais são importados na pasta de dados da associação regional, "
                "não na de um município.",
            )
        if package.scope == "full" and association:
            raise pf.PackageRejected(
                "wrong_scope",
                message="Esta pasta é de uma associação regional: ela só recebe pacotes regionais "
                "(sem dados pessoais).",
            )
        if package.scope == "full":
            found = MunicipalityRepository(self._db).get()
            theirs = package.manifest["municipality"]
            if found is not None and found[1].ibge_code != theirs["ibge_code"]:
                raise pf.PackageRejected(
                    "other_municipality",
                    message=f"Este pacote é de {theirs['name']}/{theirs['uf']} "
                    f"(IBGE {theirs['ibge_code']}) e esta pasta de dados é de "
                    f"{found[1].name}/{found[1].uf} (IBGE {found[1].ibge_code}).",
                )

    def _check_signer(self, signer: pf.SignerInfo, trust_signer: bool) -> bool:
        """True when already trusted; False when trusted now by ``trust_signer``; else UnknownSigner."""
        own = signing_keys.key_path(self._ws.layout)
        if own.is_file() and signing_keys.load_or_create(self._ws.layout).fingerprint == signer.fingerprint:
            return True
        if self._repo.signer(signer.fingerprint) is not None:
            return True
        if trust_signer:
            return False
        raise pf.UnknownSigner(signer, changed=bool(self._repo.signers_of(signer.installation_id)))

    def _sequence_warning(self, plan: MergePlan, package: pf.OpenedPackage) -> None:
        last = self._repo.last_sequence_from(package.signer.installation_id)
        sequence = int(package.manifest["sequence"])
        if last is not None and sequence > last + 1:
            plan.warnings.append(
                f"Faltam pacotes desta origem: o último importado foi o nº {last} e este é o nº {sequence}. "
                "Nada se perde (cada pacote leva todos os dados), mas confira se algum se extraviou."
            )

    # ------------------------------------------------------------------ parsing
    def _parse(self, package: pf.OpenedPackage) -> _Parsed | Any:
        if package.scope == "regional":
            try:
                return summary_from_json(
                    pf.parse_json(package.read_member(pf.SUMMARY, pf.MAX_SUMMARY_BYTES), pf.SUMMARY)
                )
            except SummaryInvalid as exc:
                raise pf.PackageRejected("invalid_content", f"resumo regional: {exc}") from exc
        return self._parse_full(package)

    def _parse_full(self, package: pf.OpenedPackage) -> _Parsed:
        manifest = package.manifest
        newer_schema = int(manifest["schema_version"]) > self._db.user_version
        tables = syncable_tables(self._db)

        def unknown(what: str) -> pf.PackageRejected:
            return (
                pf.PackageRejected("too_new") if newer_schema else pf.PackageRejected("invalid_content", what)
            )

        declared = manifest.get("tables", {})
        present = set(package.record_tables())
        if present != set(declared):
            raise pf.PackageRejected("bad_manifest", "tabelas")
        rows: dict[str, list[tuple[dict[str, Any], VersionVector]]] = {}
        columns: dict[str, list[str]] = {}
        for name, spec in declared.items():
            if name not in tables:
                raise unknown(f"tabela {name}")
            info = tables[name]
            cols = spec["columns"]
            if set(cols) - set(info.columns):
                raise unknown(f"colunas de {name}")
            if not set(SYNC_COLUMNS) <= set(cols) or (info.not_null - set(cols)):
                raise pf.PackageRejected("invalid_content", f"colunas de {name}")
            types = dict(info.types)
            parsed = []
            seen: set[str] = set()
            for line in package.iter_jsonl(f"records/{name}.jsonl"):
                row, clock = self._check_record(line, name, cols, types, info.not_null)
                if row["id"] in seen:
                    raise pf.PackageRejected("invalid_content", f"{name}: registro repetido")
                seen.add(row["id"])
                parsed.append((row, clock))
            if len(parsed) != spec["records"]:
                raise pf.PackageRejected("member_mismatch", f"contagem de {name}")
            rows[name] = parsed
            columns[name] = cols
        tombstones = []
        seen_tombs: set[tuple[str, str]] = set()
        for line in package.iter_jsonl(pf.TOMBSTONES):
            entity, record_id, tomb, clock = self._check_tombstone(line)
            if entity not in tables:
                raise unknown(f"exclusões de {entity}")
            if (entity, record_id) in seen_tombs:
                raise pf.PackageRejected("invalid_content", "exclusão repetida")
            seen_tombs.add((entity, record_id))
            tombstones.append((entity, record_id, tomb, clock))
        if len(tombstones) != manifest.get("tombstones", 0):
            raise pf.PackageRejected("member_mismatch", "contagem de exclusões")
        live = {(name, r["id"]) for name, parsed_rows in rows.items() for r, _ in parsed_rows}
        for entity, record_id, _, _ in tombstones:
            if (entity, record_id) in live:
                raise pf.PackageRejected("invalid_content", "registro vivo e excluído ao mesmo tempo")
        in_package = set(package.attachments())
        if len(in_package) != manifest.get("attachments", 0):
            raise pf.PackageRejected("member_mismatch", "contagem de anexos")
        for row, _ in rows.get("attachments", []):
            sha = row.get("sha256")
            if sha not in in_package and not self._ws.attachments.contains(str(sha)):
                raise pf.PackageRejected("missing_member", "arquivo de um anexo")
        return _Parsed(rows, tombstones, columns)

    @staticmethod
    def _check_clock(clock: Any, where: str) -> VersionVector:
        if (
            not isinstance(clock, dict)
            or not 0 < len(clock) <= _MAX_CLOCK_ENTRIES
            or not all(
                isinstance(k, str)
                and is_record_id(k)
                and isinstance(v, int)
                and not isinstance(v, bool)
                and 0 < v < 1 << 53
                for k, v in clock.items()
            )
        ):
            raise pf.PackageRejected("invalid_content", f"{where}: versão")
        return dict(sorted(clock.items()))

    def _check_record(
        self, line: Any, table: str, cols: list[str], types: dict[str, str], not_null: frozenset[str]
    ) -> tuple[dict[str, Any], VersionVector]:
        if not isinstance(line, dict) or set(line) != {"row", "clock"} or not isinstance(line["row"], dict):
            raise pf.PackageRejected("invalid_content", table)
        row = line["row"]
        if set(row) != set(cols):
            raise pf.PackageRejected("invalid_content", f"{table}: colunas")
        for column, value in row.items():
            declared = types.get(column, "")
            if value is None:
                if column in not_null:
                    raise pf.PackageRejected("invalid_content", f"{table}.{column} vazio")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
            if "INT" in declared and not isinstance(value, int):
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
            if "TEXT" in declared and not isinstance(value, str):
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
            if isinstance(value, int) and not -(1 << 63) <= value < 1 << 63:
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
            if isinstance(value, str) and len(value) > _MAX_TEXT:
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
        if not (isinstance(row["id"], str) and is_record_id(row["id"])):
            raise pf.PackageRejected("invalid_content", f"{table}: identificador")
        if not (isinstance(row["origin"], str) and is_record_id(row["origin"])):
            raise pf.PackageRejected("invalid_content", f"{table}: origem")
        for column in ("created_at", "updated_at"):
            if not (isinstance(row[column], str) and _ISO.match(row[column])):
                raise pf.PackageRejected("invalid_content", f"{table}.{column}")
        if not (isinstance(row["revision"], int) and row["revision"] >= 1):
            raise pf.PackageRejected("invalid_content", f"{table}.revision")
        if not (isinstance(row["updated_by"], str) and 0 < len(row["updated_by"]) <= 200):
            raise pf.PackageRejected("invalid_content", f"{table}.updated_by")
        return dict(row), self._check_clock(line["clock"], table)

    def _check_tombstone(self, line: Any) -> tuple[str, str, Tombstone, VersionVector]:
        keys = {"entity", "record_id", "deleted_at", "deleted_by", "origin", "revision", "clock"}
        if not isinstance(line, dict) or set(line) != keys:
            raise pf.PackageRejected("invalid_content", "exclusões")
        ok = (
            isinstance(line["entity"], str)
            and re.fullmatch(r"[a-z][a-z0-9_]{0,62}", line["entity"])
            and isinstance(line["record_id"], str)
            and is_record_id(line["record_id"])
            and isinstance(line["deleted_at"], str)
            and _ISO.match(line["deleted_at"])
            and isinstance(line["deleted_by"], str)
            and 0 < len(line["deleted_by"]) <= 200
            and isinstance(line["origin"], str)
            and is_record_id(line["origin"])
            and isinstance(line["revision"], int)
            and not isinstance(line["revision"], bool)
            and 1 <= line["revision"] < 1 << 53
        )
        if not ok:
            raise pf.PackageRejected("invalid_content", "exclusões")
        tomb = Tombstone(line["deleted_at"], line["deleted_by"], line["origin"], line["revision"])
        return line["entity"], line["record_id"], tomb, self._check_clock(line["clock"], "exclusões")

    # ------------------------------------------------------------------ planning (read-only)
    def _empty_plan(self, package: pf.OpenedPackage, warnings: list[str] | None = None) -> MergePlan:
        m = package.manifest
        return MergePlan(
            package_id=package.package_id,
            scope=package.scope,
            source=package.signer.installation_id,
            municipality=m["municipality"]["ibge_code"],
            municipality_name=m["municipality"]["name"],
            created_at=m["created_at"],
            signer=package.signer.display,
            warnings=list(warnings or []),
        )

    def _plan(self, parsed: _Parsed) -> _Computed:
        me = self._ws.installation_id
        tables = syncable_tables(self._db)
        local_rows = {name: {r["id"]: r for r in self._repo.rows(info)} for name, info in tables.items()}
        tombs = self._repo.tombstones()
        syncs = self._repo.sync_records()
        aliases = self._repo.aliases()
        new_aliases: list[tuple[str, str, str]] = []
        key_index: dict[tuple[str, tuple[str, ...]], dict[tuple, str]] = {}

        def local_version(table: str, record_id: str) -> Version | None:
            row = local_rows[table].get(record_id)
            tomb = None if row is not None else tombs.get((table, record_id))
            if row is None and tomb is None:
                return None
            version_digest = row_digest(row) if row is not None else row_digest({"tombstone": tomb.as_dict()})  # type: ignore[union-attr]
            known = syncs.get((table, record_id))
            if known is None:
                clock = {me: 1}
            elif known[1] == version_digest:
                clock = known[0]
            else:
                clock = bump(known[0], me)
            return Version(clock, row=row) if row is not None else Version(clock, tombstone=tomb)

        def by_key(info: TableInfo, key: tuple[str, ...], row: dict[str, Any]) -> str | None:
            index = key_index.get((info.name, key))
            if index is None:
                index = {}
                for local in local_rows[info.name].values():
                    values = tuple(local.get(c) for c in key)
                    if None not in values:
                        index[values] = local["id"]
                key_index[(info.name, key)] = index
            values = tuple(row.get(c) for c in key)
            return None if None in values else index.get(values)

        incoming: dict[tuple[str, str], tuple[str, Version, bool]] = {}
        for name, info in tables.items():
            for original, clock in parsed.rows.get(name, []):
                row = dict(original)
                for fk in info.foreign_keys:
                    value = row.get(fk.column)
                    if value is not None and (fk.target, value) in aliases:
                        row[fk.column] = aliases[(fk.target, value)]
                foreign = row["id"]
                local_id = aliases.get((name, foreign), foreign)
                fresh_alias = False
                known_here = (
                    local_id in local_rows[name] or (name, local_id) in tombs or (name, local_id) in syncs
                )
                if not known_here:
                    for key in info.unique_keys:
                        other = by_key(info, key, row)
                        if other is not None and other != foreign:
                            local_id, fresh_alias = other, True
                            aliases[(name, foreign)] = other
                            new_aliases.append((name, foreign, other))
                            break
                row["id"] = local_id
                incoming[(name, local_id)] = (foreign, Version(clock, row=row), fresh_alias)
        for entity, foreign, tomb, clock in parsed.tombstones:
            local_id = aliases.get((entity, foreign), foreign)
            if (entity, local_id) not in incoming:
                incoming[(entity, local_id)] = (foreign, Version(clock, tombstone=tomb), False)

        steps: list[_Step] = []
        for (name, local_id), (foreign, version, fresh_alias) in incoming.items():
            local = local_version(name, local_id)
            decision = decide(local, version)
            if decision.action is Action.CONFLICT and fresh_alias and decision.conflict is ConflictKind.EDIT:
                decision = Decision(Action.CONFLICT, conflict=ConflictKind.DUPLICATE)
            if decision.action is Action.CONFLICT and self._repo.conflict_known(
                name, local_id, _version_digest(version)
            ):
                decision = Decision(Action.NOTHING)
            steps.append(_Step(name, local_id, foreign, version, local, decision, fresh_alias))
        self._guard_references(steps, tables, local_rows)
        conflicts = [
            Conflict(
                s.table,
                s.record_id,
                s.decision.conflict.value,  # type: ignore[union-attr]
                s.local.row if s.local else None,
                s.incoming.row,
            )
            for s in steps
            if s.decision.action is Action.CONFLICT
        ]
        return _Computed(steps, new_aliases, conflicts)

    @staticmethod
    def _guard_references(
        steps: list[_Step], tables: dict[str, TableInfo], local_rows: dict[str, dict[str, dict[str, Any]]]
    ) -> None:
        """Never leave a record pointing to a missing one, never delete a record still in use.

        An incoming record whose parent is missing here (deleted here, or held back by a conflict)
        becomes an ``orphan`` conflict; a deletion of a record that other records still use becomes an
        ``incoming_delete`` conflict. Repeated until nothing changes (one hold-back can cause another).
        """
        writes = {Action.CREATE, Action.UPDATE, Action.RESURRECT}
        while True:
            deleted = {(s.table, s.record_id) for s in steps if s.decision.action is Action.DELETE}
            final: dict[tuple[str, str], dict[str, Any]] = {
                (name, record_id): row
                for name, rows in local_rows.items()
                for record_id, row in rows.items()
                if (name, record_id) not in deleted
            }
            for s in steps:
                if s.decision.action in writes and s.decision.result and s.decision.result.row is not None:
                    final[(s.table, s.record_id)] = s.decision.result.row
            changed = False
            for s in steps:
                if s.decision.action not in writes or s.decision.result is None:
                    continue
                row = s.decision.result.row or {}
                for fk in tables[s.table].foreign_keys:
                    target = row.get(fk.column)
                    if fk.target in tables and target is not None and (fk.target, target) not in final:
                        s.decision = Decision(Action.CONFLICT, conflict=ConflictKind.ORPHAN)
                        changed = True
                        break
            if changed:
                continue
            in_use = {
                (fk.target, row.get(fk.column))
                for (name, _), row in final.items()
                for fk in tables[name].foreign_keys
                if fk.on_delete != "SET NULL" and row.get(fk.column) is not None
            }
            for s in steps:
                if s.decision.action is Action.DELETE and (s.table, s.record_id) in in_use:
                    s.decision = Decision(Action.CONFLICT, conflict=ConflictKind.INCOMING_DELETE)
                    changed = True
            if not changed:
                return

    def _fill_plan(self, plan: MergePlan, computed: _Computed, package: pf.OpenedPackage) -> None:
        for s in computed.steps:
            ref = RecordRef(s.table, s.record_id)
            action = s.decision.action
            if action in (Action.CREATE, Action.RESURRECT):
                plan.created.append(ref)
            elif action is Action.UPDATE:
                plan.updated.append(ref)
            elif action is Action.DELETE:
                plan.deleted.append(ref)
        plan.conflicts = list(computed.plan_conflicts)
        plan.new_attachments = sum(
            1 for sha in package.attachments() if not self._ws.attachments.contains(sha)
        )

    def _plan_regional(self, plan: MergePlan, summary: Any, package: pf.OpenedPackage) -> None:
        if summary.ibge_code != package.manifest["municipality"]["ibge_code"]:
            raise pf.PackageRejected("invalid_content", "o resumo é de outro município")
        current = RegionalRepository(self._db).get(summary.ibge_code)
        ref = RecordRef("regional_summary", summary.ibge_code)
        if current is None:
            plan.created.append(ref)
        elif package.manifest["created_at"] > current["data_date"]:
            plan.updated.append(ref)
        else:
            plan.warnings.append(
                f"Já há dados mais recentes de {summary.name} (de {_date_br(current['data_date'])}); "
                "este pacote não muda nada."
            )

    # ------------------------------------------------------------------ applying (inside the transaction)
    def _apply(self, computed: _Computed, package: pf.OpenedPackage, actor: str) -> None:
        tables = syncable_tables(self._db)
        ctx = self._ws.write_context(actor)
        audit = AuditRepository(self._db)
        peer = package.signer.installation_id
        detail = f"pacote {package.package_id}"
        for entity, foreign, local_id in computed.new_aliases:
            self._repo.add_alias(entity, foreign, local_id, peer, ctx.at)
        for s in computed.steps:
            info = tables[s.table]
            action = s.decision.action
            result = s.decision.result
            if action is Action.NOTHING:
                continue
            if action is Action.CONFLICT:
                self._repo.add_conflict(
                    {
                        "id": new_record_id(),
                        "entity": s.table,
                        "record_id": s.record_id,
                        "kind": s.decision.conflict.value,  # type: ignore[union-attr]
                        "detected_at": ctx.at,
                        "package_id": package.package_id,
                        "peer": peer,
                        "local_version": _version_json(s.local),
                        "local_clock": json.dumps(s.local.clock if s.local else {}),
                        "incoming_version": _version_json(s.incoming),
                        "incoming_clock": json.dumps(s.incoming.clock),
                        "incoming_digest": _version_digest(s.incoming),
                    }
                )
                audit.append(
                    AuditEntry(
                        ctx.at,
                        actor,
                        f"{s.table}.import_conflict",
                        ctx.origin,
                        s.table,
                        s.record_id,
                        (),
                        detail,
                    )
                )
                continue
            assert result is not None
            if action in (Action.CREATE, Action.RESURRECT):
                assert result.row is not None
                self._repo.insert_row(info, result.row)
                self._repo.drop_tombstone(s.table, s.record_id)
                self._after_write(info, s.record_id, result.clock)
                fields = tuple(sorted(set(result.row) - set(SYNC_COLUMNS)))
                audit.append(
                    AuditEntry(
                        ctx.at,
                        actor,
                        f"{s.table}.import_create",
                        ctx.origin,
                        s.table,
                        s.record_id,
                        fields,
                        detail,
                    )
                )
            elif action is Action.UPDATE:
                assert result.row is not None
                before = s.local.row if s.local else {}
                self._repo.update_row(info, result.row)
                self._after_write(info, s.record_id, result.clock)
                fields = tuple(
                    sorted(
                        k
                        for k, v in result.row.items()
                        if k not in SYNC_COLUMNS and (before or {}).get(k) != v
                    )
                )
                audit.append(
                    AuditEntry(
                        ctx.at,
                        actor,
                        f"{s.table}.import_update",
                        ctx.origin,
                        s.table,
                        s.record_id,
                        fields,
                        detail,
                    )
                )
            elif action is Action.DELETE:
                assert result.tombstone is not None
                self._repo.delete_row(info, s.record_id)
                self._repo.put_tombstone(s.table, s.record_id, result.tombstone)
                self._repo.put_sync_record(s.table, s.record_id, result.clock, _version_digest(result), True)
                audit.append(
                    AuditEntry(
                        ctx.at,
                        actor,
                        f"{s.table}.import_delete",
                        ctx.origin,
                        s.table,
                        s.record_id,
                        (),
                        detail,
                    )
                )
            elif action is Action.CLOCK:
                if result.tombstone is not None:
                    self._repo.put_tombstone(s.table, s.record_id, result.tombstone)
                self._repo.put_sync_record(
                    s.table, s.record_id, result.clock, _version_digest(result), result.deleted
                )

    def _after_write(self, info: TableInfo, record_id: str, clock: VersionVector) -> None:
        row = self._repo.row(info, record_id)
        assert row is not None
        self._repo.put_sync_record(info.name, record_id, clock, row_digest(row), False)

    def _adopt_attachments(self, package: pf.OpenedPackage, added: list[str]) -> None:
        """Copy the package's attachments that are new here into the store.

        Each was verified (size and SHA-256) by open_package and is copied without a second hash;
        each file is fsynced before it gets its name, each folder once at the end (before the COMMIT
        that refers to the files). ``_COPIERS`` threads copy at once: the kernel copies and the fsyncs
        of several files overlap (the file system commits them together). ``added`` receives each
        hash as soon as its file is in place, so a failure half-way can remove exactly what this
        import brought; on a failure no new copy starts, the running ones finish, then it is raised.
        """
        store = self._ws.attachments
        todo = [sha for sha in package.attachments() if not store.contains(sha)]
        folders = sorted({store.path_for(sha).parent for sha in todo})
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)

        def adopt(sha: str) -> None:
            final = store.path_for(sha)
            staged = final.parent / f".{sha}.importando"
            staged.unlink(missing_ok=True)
            try:
                package.copy_member(f"anexos/{sha}", staged)  # fsynced
                os.replace(staged, final)
                added.append(sha)
            finally:
                staged.unlink(missing_ok=True)

        pool = ThreadPoolExecutor(max_workers=_COPIERS, thread_name_prefix="suas-anexos")
        try:
            for future in [pool.submit(adopt, sha) for sha in todo]:
                future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        for folder in [*folders, store.root] if folders else []:
            fsync_dir(folder)

    def _forget_files(self, added: list[str], backup: Path | None) -> None:
        """After a refused import: the copied attachments belong to nothing, the backup shows no change."""
        for sha in added:
            self._ws.attachments.remove(sha)
        if backup is not None:
            backup.unlink(missing_ok=True)

    def _apply_regional(self, plan: MergePlan, summary: Any, package: pf.OpenedPackage) -> None:
        if not (plan.created or plan.updated):
            return
        ctx = self._ws.write_context()
        RegionalRepository(self._db).put(
            {
                "ibge_code": summary.ibge_code,
                "municipality_name": summary.name,
                "uf": summary.uf,
                "data_date": package.manifest["created_at"],
                "package_id": package.package_id,
                "source": package.signer.installation_id,
                "imported_at": ctx.at,
                "summary": json.dumps(summary_to_json(summary), ensure_ascii=False, sort_keys=True),
            }
        )

    def _log_import(
        self, package: pf.OpenedPackage, plan: MergePlan, actor: str, backup: Path | None
    ) -> None:
        ctx = self._ws.write_context(actor)
        counts = plan.counts()
        self._repo.log_import(
            {
                "package_id": package.package_id,
                "sha256": package.source_sha256,
                "scope": package.scope,
                "source": package.signer.installation_id,
                "sequence": int(package.manifest["sequence"]),
                "municipality": package.manifest["municipality"]["ibge_code"],
                "package_created_at": package.manifest["created_at"],
                "imported_at": ctx.at,
                "imported_by": actor,
                **counts,
                "backup": backup.name if backup else "",
            }
        )
        audit = AuditRepository(self._db)
        if backup is not None:
            audit.append(AuditEntry(ctx.at, actor, "backup.create", ctx.origin, detail=backup.name))
        audit.append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action="package.import",
                origin=ctx.origin,
                detail=f"pacote {package.package_id} ({package.scope}) da instalação "
                f"{package.signer.installation_id}: {counts['created']} novos, "
                f"{counts['updated']} alterados, {counts['deleted']} excluídos, "
                f"{counts['conflicts']} conflitos",
            )
        )

    # ================================================================== conflicts
    def conflicts(self, *, open_only: bool = True) -> list[ConflictRecord]:
        out = []
        for c in self._repo.conflicts(open_only=open_only):
            local = json.loads(c["local_version"]) if c["local_version"] else None
            incoming = json.loads(c["incoming_version"])
            out.append(
                ConflictRecord(
                    c["id"],
                    c["entity"],
                    c["record_id"],
                    c["kind"],
                    c["detected_at"],
                    c["package_id"],
                    (local or {}).get("row"),
                    incoming.get("row"),
                    c["status"],
                    c["resolution"],
                )
            )
        return out

    def resolve_conflict(self, conflict_id: str, *, keep: str, actor: str) -> None:
        """Keep the ``local`` or the ``incoming`` version; the other stays in the conflict row.

        The result becomes a new version that descends from both sides (its clock merges both and
        counts this decision), so the next exchange carries the choice to the other installation.
        """
        require(
            self._ws, Permission.IMPORT, doing="resolver conflitos", entity="conflict", record_id=conflict_id
        )
        if keep not in ("local", "incoming"):
            raise ValueError("keep must be 'local' or 'incoming'")
        me = self._ws.installation_id
        with self._db.transaction():
            self._repo.defer_foreign_keys()
            c = self._repo.conflict(conflict_id)
            if c is None:
                raise UserError("Este conflito não existe.")
            if c["status"] != "open":
                raise UserError("Este conflito já foi resolvido.")
            tables = syncable_tables(self._db)
            info = tables.get(c["entity"])
            if info is None:
                raise UserError("A tabela deste conflito não existe mais.")
            record_id = c["record_id"]
            current_row = self._repo.row(info, record_id)
            current_tomb = None if current_row is not None else self._repo.tombstone(info.name, record_id)
            known = self._repo.sync_record(info.name, record_id)
            local_clock: VersionVector = known[0] if known else {}
            if current_row is not None or current_tomb is not None:
                digest = (
                    row_digest(current_row)
                    if current_row is not None
                    else row_digest({"tombstone": current_tomb.as_dict()})  # type: ignore[union-attr]
                )
                if known is None:
                    local_clock = {me: 1}
                elif known[1] != digest:
                    local_clock = bump(known[0], me)
            clock = bump(merge(local_clock, json.loads(c["incoming_clock"])), me)
            incoming = json.loads(c["incoming_version"])
            ctx = self._ws.write_context(actor)
            try:
                if keep == "local":
                    self._keep_local(
                        info=info,
                        record_id=record_id,
                        row=current_row,
                        tomb=current_tomb,
                        incoming=incoming,
                        clock=clock,
                        ctx=ctx,
                    )
                else:
                    self._keep_incoming(
                        info=info,
                        record_id=record_id,
                        current=current_row,
                        incoming=incoming,
                        clock=clock,
                        tables=tables,
                    )
            except ConstraintViolation as exc:
                raise UserError(
                    "Não foi possível aplicar a versão escolhida: ela entra em choque com outro registro "
                    "(por exemplo, dois registros com o mesmo número).",
                    hint="Altere o outro registro antes e tente de novo.",
                ) from exc
            problems = self._db.foreign_key_check()
            if problems:
                raise UserError(
                    "A versão escolhida aponta para um registro que não existe nesta máquina.",
                    hint="Resolva primeiro o conflito do registro ligado a este (por exemplo, a unidade).",
                )
            self._repo.close_conflict(conflict_id, keep, ctx.at, actor)
            AuditRepository(self._db).append(
                AuditEntry(
                    ctx.at,
                    actor,
                    f"{info.name}.conflict_resolved",
                    ctx.origin,
                    info.name,
                    record_id,
                    (),
                    f"manteve a versão {'local' if keep == 'local' else 'recebida'}; conflito {conflict_id}",
                )
            )

    def _keep_local(
        self,
        *,
        info: TableInfo,
        record_id: str,
        row: dict[str, Any] | None,
        tomb: Tombstone | None,
        incoming: dict[str, Any],
        clock: VersionVector,
        ctx: Any,
    ) -> None:
        if row is not None:
            row = {**row, "revision": int(row["revision"]) + 1}
            self._repo.update_row(info, row)
            self._after_write(info, record_id, clock)
            return
        if tomb is None:
            # Never had it (an orphan): "keep local" = do not want it; a tombstone carries that on.
            other = incoming.get("row") or incoming.get("tombstone") or {}
            tomb = Tombstone(ctx.at, ctx.actor, ctx.origin, int(other.get("revision", 0)) + 1)
        self._repo.put_tombstone(info.name, record_id, tomb)
        self._repo.put_sync_record(
            info.name, record_id, clock, row_digest({"tombstone": tomb.as_dict()}), True
        )

    def _keep_incoming(
        self,
        *,
        info: TableInfo,
        record_id: str,
        current: dict[str, Any] | None,
        incoming: dict[str, Any],
        clock: VersionVector,
        tables: dict[str, TableInfo],
    ) -> None:
        if "row" in incoming:
            row = dict(incoming["row"])
            row["id"] = record_id
            row["revision"] = max(int(row["revision"]), int((current or {}).get("revision", 0))) + 1
            if current is None:
                self._repo.insert_row(info, row)
                self._repo.drop_tombstone(info.name, record_id)
            else:
                self._repo.update_row(info, row)
            self._after_write(info, record_id, clock)
            return
        t = incoming["tombstone"]
        tomb = Tombstone(t["deleted_at"], t["deleted_by"], t["origin"], int(t["revision"]))
        if current is not None:
            users = self._repo.referencing(tables.values(), info.name, record_id)
            if users:
                raise UserError(
                    "Não é possível aceitar a exclusão: há registros ligados a este.",
                    hint="Exclua ou altere antes os registros ligados.",
                )
            self._repo.delete_row(info, record_id)
        self._repo.put_tombstone(info.name, record_id, tomb)
        self._repo.put_sync_record(
            info.name, record_id, clock, row_digest({"tombstone": tomb.as_dict()}), True
        )


def _date_br(iso: str) -> str:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{match[3]}/{match[2]}/{match[1]}" if match else iso


Progress = Callable[[int, int, str], None]
