"""Register use cases: list, create, edit, delete, spreadsheet import/export, team comparison."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.municipality import SizeClass
from suas_desktop.domain.permissions import Permission, register_permission
from suas_desktop.domain.reference_teams import TeamComparison, TeamMember, compare_team
from suas_desktop.domain.register_fields import (
    FieldKind,
    ImportReport,
    RegisterRecord,
    RegisterSpec,
    RowError,
    validate_record,
)
from suas_desktop.domain.registers import REGISTERS, STAFF, UNITS
from suas_desktop.domain.text import fold
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.municipality_repository import MunicipalityRepository
from suas_desktop.storage.register_repository import RegisterRepository

#: More errors than this in one spreadsheet are summarised: the user fixes the pattern, not 10,000 lines.
MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    report: ImportReport


@dataclass(frozen=True)
class UnitTeam:
    unit: RegisterRecord
    comparison: TeamComparison


class RegisterService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = RegisterRepository(ws.db)

    @staticmethod
    def spec(name: str) -> RegisterSpec:
        try:
            return REGISTERS[name]
        except KeyError:
            raise UserError(f"O cadastro “{name}” não existe.") from None

    # ------------------------------------------------------------------ records
    def list(self, name: str) -> list[RegisterRecord]:
        return self._repo.list(self.spec(name))

    def count(self, name: str) -> int:
        return self._repo.count(self.spec(name))

    def get(self, name: str, record_id: str) -> RegisterRecord:
        record = self._repo.get(self.spec(name), record_id)
        if record is None:
            raise UserError("Este registro não existe mais (pode ter sido excluído).")
        return record

    def create(self, *, actor: str, name: str, values: Mapping[str, Any]) -> RegisterRecord:
        spec = self.spec(name)
        require(self._ws, register_permission(name), entity=name)
        clean = validate_record(spec, values)
        with self._ws.db.transaction():
            self._check_refs(spec, clean)
            record_id = self._repo.insert(self._ws.write_context(actor), spec, clean)
        return self.get(name, record_id)

    def update(
        self,
        *,
        actor: str,
        name: str,
        record_id: str,
        values: Mapping[str, Any],
        expected_revision: int | None = None,
    ) -> RegisterRecord:
        spec = self.spec(name)
        require(self._ws, register_permission(name), entity=name, record_id=record_id)
        with self._ws.db.transaction():
            current = self.get(name, record_id)
            merged = {**current.values, **values}
            clean = validate_record(spec, merged)
            self._check_refs(spec, clean)
            self._repo.update(
                self._ws.write_context(actor), spec, record_id, clean, expected_revision=expected_revision
            )
        return self.get(name, record_id)

    def delete(self, *, actor: str, name: str, record_id: str) -> None:
        spec = self.spec(name)
        require(self._ws, register_permission(name), entity=name, record_id=record_id)
        with self._ws.db.transaction():
            record = self.get(name, record_id)
            users = self._repo.references_to(spec, record_id)
            if users:
                listing = ", ".join(f"{n} em {other.label}" for other, n in users)
                raise UserError(
                    f"Não é possível excluir {spec.singular.lower()} “{self.title(spec, record)}”: "
                    f"há registros ligados a ela ({listing}).",
                    hint="Altere ou exclua esses registros antes.",
                )
            self._repo.delete(self._ws.write_context(actor), spec, record_id)

    def title(self, spec: RegisterSpec, record: RegisterRecord) -> str:
        if not spec.title_field:
            return record.id[:8]
        f = spec.field(spec.title_field)
        value = record.values.get(spec.title_field)
        return f.choice_label(value) if f.kind is FieldKind.CHOICE else str(value or "")

    def ref_labels(self, spec: RegisterSpec) -> dict[str, dict[str, str]]:
        """For each reference field, id -> title of the referenced record (tables, exports)."""
        out = {}
        for f in spec.fields:
            if f.kind is FieldKind.REF and f.ref:
                target = self.spec(f.ref)
                out[f.name] = {r.id: self.title(target, r) for r in self._repo.list(target)}
        return out

    def _check_refs(self, spec: RegisterSpec, clean: Mapping[str, Any]) -> None:
        errors = {}
        for f in spec.fields:
            target = clean.get(f.name) if f.kind is FieldKind.REF else None
            if target and self._repo.get(self.spec(f.ref), target) is None:
                errors[f.name] = f"{f.label}: o registro escolhido não existe mais."
        if errors:
            raise ValidationError(errors)

    # ------------------------------------------------------------------ spreadsheets
    def write_template(self, name: str, path: Path) -> None:
        from suas_desktop.documents.spreadsheets import write_template

        write_template(self.spec(name), Path(path))

    def export_file(self, name: str, path: Path, *, actor: str | None = None) -> int:
        from suas_desktop.documents.spreadsheets import write_records

        spec = self.spec(name)
        require(self._ws, Permission.EXPORT, doing="exportar os cadastros para planilha", entity=name)
        rows = [r.values for r in self._repo.list(spec)]
        count = write_records(spec, rows, Path(path), ref_labels=self.ref_labels(spec))
        log.services.info("exported %d rows of %s", count, spec.name)
        # Personal data may have left in the file: who, when, which register and how many rows.
        self._audit(actor or self._actor(), f"{spec.name}.export", f"{count} registros para planilha")
        return count

    def import_file(self, *, actor: str, name: str, path: Path, dry_run: bool = False) -> ImportResult:
        """Validate every row; write all of them (one transaction) or none.

        A row whose natural key matches an existing record updates it; the others are created, so
        importing an exported sheet again changes nothing.
        """
        from suas_desktop.documents.spreadsheets import read_rows

        spec = self.spec(name)
        require(self._ws, register_permission(name), doing="importar planilhas neste cadastro", entity=name)
        rows = read_rows(spec, Path(path))
        report = ImportReport(rows=len(rows))
        refs = self._ref_lookup(spec)
        existing = {self._key(spec, r.values): r for r in self._repo.list(spec)} if spec.natural_key else {}
        planned: list[tuple[int, dict[str, Any], RegisterRecord | None]] = []
        seen_keys: dict[tuple, int] = {}
        for row in rows:
            raw = dict(row.values)
            row_errors = []
            for f in spec.fields:
                if f.kind is FieldKind.REF and raw.get(f.name) not in (None, ""):
                    label = raw[f.name]
                    matches = refs[f.name].get(fold(label), [])
                    if len(matches) != 1:
                        why = "não está cadastrada" if not matches else "existe mais de uma com esse nome"
                        row_errors.append(RowError(row.line, f.label, f"“{label}” {why}."))
                        raw[f.name] = None
                    else:
                        raw[f.name] = matches[0]
            try:
                clean = validate_record(spec, raw)
            except ValidationError as exc:
                for field_name, message in exc.field_errors.items():
                    label = spec.field(field_name).label
                    reason = message.removeprefix(f"{label}: ")
                    row_errors.append(RowError(row.line, label, reason))
                clean = None
            if clean is not None and spec.natural_key:
                key = self._key(spec, clean)
                if key in seen_keys:
                    row_errors.append(
                        RowError(
                            row.line,
                            spec.field(spec.natural_key[0]).label,
                            f"repete a linha {seen_keys[key]}.",
                        )
                    )
                seen_keys.setdefault(key, row.line)
            if row_errors:
                report.errors.extend(row_errors)
                continue
            planned.append(
                (row.line, clean, existing.get(self._key(spec, clean)) if spec.natural_key else None)
            )
        if len(report.errors) > MAX_REPORTED_ERRORS:
            hidden = len(report.errors) - MAX_REPORTED_ERRORS
            report.errors[:] = report.errors[:MAX_REPORTED_ERRORS]
            report.errors.append(RowError(0, "", f"… e mais {hidden} problema(s) do mesmo tipo."))
        if not report.ok:
            return ImportResult(0, 0, report)
        if dry_run:
            # What a real import would do, without writing: the dialog shows "58 novas, 2 atualizadas".
            would_create = sum(1 for _, _, match in planned if match is None)
            would_update = sum(
                1
                for _, clean, match in planned
                if match is not None and any(match.values.get(k) != v for k, v in clean.items())
            )
            return ImportResult(would_create, would_update, report)
        created = updated = 0
        ctx = self._ws.write_context(actor)
        with self._ws.db.transaction():
            for _, clean, match in planned:
                if match is None:
                    self._repo.insert(ctx, spec, clean)
                    created += 1
                elif self._repo.update(ctx, spec, match.id, clean):
                    updated += 1
            self._audit(actor, f"{spec.name}.import", f"planilha: {created} novos, {updated} alterados")
        log.services.info("imported %s: %d created, %d updated", spec.name, created, updated)
        return ImportResult(created, updated, report)

    def _actor(self) -> str:
        session = self._ws.session
        return session.name if session else "sistema"

    def _audit(self, actor: str, action: str, detail: str) -> None:
        ctx = self._ws.write_context(actor)
        AuditRepository(self._ws.db).append(
            AuditEntry(at=ctx.at, actor=actor, action=action, origin=ctx.origin, detail=detail)
        )

    def _ref_lookup(self, spec: RegisterSpec) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for f in spec.fields:
            if f.kind is FieldKind.REF and f.ref:
                target = self.spec(f.ref)
                index: dict[str, list[str]] = {}
                for record in self._repo.list(target):
                    index.setdefault(fold(self.title(target, record)), []).append(record.id)
                out[f.name] = index
        return out

    @staticmethod
    def _key(spec: RegisterSpec, values: Mapping[str, Any]) -> tuple:
        return tuple(
            fold(values.get(k)) if isinstance(values.get(k), str) else values.get(k) for k in spec.natural_key
        )

    # ------------------------------------------------------------------ NOB-RH
    def team_comparisons(self) -> list[UnitTeam]:
        """Each CRAS/CREAS team against the NOB-RH reference team for the municipality's porte."""
        profile = MunicipalityRepository(self._ws.db).get()
        size = profile[1].size_class if profile else SizeClass.SMALL_I
        staff_by_unit: dict[str, list[TeamMember]] = {}
        for s in self._repo.list(STAFF):
            if s["unit_id"]:
                staff_by_unit.setdefault(s["unit_id"], []).append(
                    TeamMember(
                        profession=s["profession"],
                        education=s["education"],
                        bond=s["bond"],
                        is_coordinator=bool(s["is_coordinator"]),
                        weekly_hours=s["weekly_hours"],
                    )
                )
        out = []
        for unit in self._repo.list(UNITS):
            comparison = compare_team(
                unit["kind"],
                size,
                staff_by_unit.get(unit.id, []),
                referenced_families=unit["referenced_families"],
            )
            if comparison is not None:
                out.append(UnitTeam(unit, comparison))
        return out
