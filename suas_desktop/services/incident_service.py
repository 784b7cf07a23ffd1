"""Security incidents (SEC-8): record them, follow the 3-business-day notice, export the record.

``record`` keeps what left (which medium, which package file), which categories of data, when it
happened and was discovered, and who recorded it; the deadline to notify the ANPD and the people
affected is computed with the municipality's business days. Records are never deleted (kept 5+ years,
a database trigger refuses deletes). ``export_text`` writes the record as a plain UTF-8 text that
can be pasted into the ANPD's communication form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from suas_desktop.atomic_files import atomic_write_bytes
from suas_desktop.domain import incidents
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import iso_utc, today_local
from suas_desktop.domain.ids import new_record_id
from suas_desktop.domain.incidents import Incident
from suas_desktop.domain.permissions import Permission
from suas_desktop.errors import KnownError, UserError, ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.holiday_calendar import LocalHoliday, build_calendar
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.incident_repository import IncidentRepository
from suas_desktop.storage.municipality_repository import MunicipalityRepository


class IncidentService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = IncidentRepository(ws.db)

    def list(self) -> list[Incident]:
        require(self._ws, Permission.INCIDENTS, doing="consultar os incidentes de segurança")
        return self._repo.all()

    def get(self, incident_id: str) -> Incident:
        require(self._ws, Permission.INCIDENTS, doing="consultar os incidentes de segurança")
        return self._incident(incident_id)

    def recent_exports(self) -> list[dict]:
        """Packages written here (newest first), to say which one left on the lost medium."""
        require(self._ws, Permission.INCIDENTS, doing="consultar os incidentes de segurança")
        return self._repo.recent_exports()

    def record(
        self,
        *,
        actor: str,
        occurred_on: date | None,
        discovered_on: date | None,
        medium: str,
        categories: tuple[str, ...] | list[str],
        description: str,
        package_id: str = "",
        subjects_estimate: int | None = None,
        measures: str = "",
    ) -> Incident:
        require(self._ws, Permission.INCIDENTS)
        categories = tuple(dict.fromkeys(categories))
        today = today_local(self._ws.clock)
        incidents.validate_incident(
            occurred_on=occurred_on,
            discovered_on=discovered_on,
            medium=medium,
            categories=categories,
            description=description,
            today=today,
            subjects_estimate=subjects_estimate,
        )
        assert occurred_on is not None
        assert discovered_on is not None
        file_name, encrypted = "", None
        if package_id:
            exported = self._repo.export_entry(package_id)
            if exported is None:
                raise ValidationError({"package_id": "Este pacote não foi exportado por esta instalação."})
            file_name = exported["file_name"]
            encrypted = exported["scope"] == "full"  # full packages are always encrypted
        at = iso_utc(self._ws.clock.now())
        incident = Incident(
            id=new_record_id(),
            recorded_at=at,
            recorded_by=actor,
            occurred_on=occurred_on,
            discovered_on=discovered_on,
            medium=" ".join(medium.split()),
            categories=categories,
            description=description.strip(),
            high_risk=incidents.is_high_risk(categories, subjects_estimate, encrypted),
            notify_by=incidents.notice_deadline(discovered_on, self._calendar(discovered_on)),
            package_id=package_id,
            file_name=file_name,
            encrypted=encrypted,
            subjects_estimate=subjects_estimate,
            measures=measures.strip(),
            changed_at=at,
            changed_by=actor,
        )
        with self._ws.db.transaction():
            self._repo.insert(incident)
            self._audit(
                actor,
                "incident.create",
                incident.id,
                f"categorias {', '.join(categories)}; risco {'relevante' if incident.high_risk else 'baixo'}",
            )
        return incident

    def update_notice(
        self,
        *,
        actor: str,
        incident_id: str,
        anpd_notified_on: date | None = None,
        subjects_notified_on: date | None = None,
        measures: str | None = None,
    ) -> Incident:
        """Note when the ANPD and the people affected were told, and the measures taken."""
        require(self._ws, Permission.INCIDENTS)
        current = self._incident(incident_id)
        today = today_local(self._ws.clock)
        for name, day in (
            ("anpd_notified_on", anpd_notified_on),
            ("subjects_notified_on", subjects_notified_on),
        ):
            if day is not None and (day < current.discovered_on or day > today):
                raise ValidationError({name: "A data da comunicação deve estar entre a descoberta e hoje."})
        changes: dict[str, object] = {}
        if anpd_notified_on is not None:
            changes["anpd_notified_on"] = anpd_notified_on
        if subjects_notified_on is not None:
            changes["subjects_notified_on"] = subjects_notified_on
        if measures is not None:
            changes["measures"] = measures.strip()
        if not changes:
            return current
        at = iso_utc(self._ws.clock.now())
        with self._ws.db.transaction():
            self._repo.update(incident_id, **changes, changed_at=at, changed_by=actor)
            self._audit(actor, "incident.update", incident_id, ", ".join(sorted(changes)))
        return self._incident(incident_id)

    def export_text(self, *, actor: str, incident_id: str, path: Path) -> Path:
        """Write the record as UTF-8 text (for the ANPD form and the office's files)."""
        require(self._ws, Permission.INCIDENTS, doing="exportar incidentes de segurança")
        incident = self._incident(incident_id)
        path = Path(path)
        if not path.parent.is_dir():
            raise UserError(f"A pasta “{path.parent}” não existe.")
        try:
            atomic_write_bytes(path, self.render_text(incident).encode("utf-8"))
        except OSError as exc:
            raise KnownError(f"Não foi possível gravar “{path.name}”.") from exc
        self._audit(actor, "incident.export", incident_id, path.suffix.lstrip(".") or "texto")
        return path

    def render_text(self, incident: Incident) -> str:
        found = MunicipalityRepository(self._ws.db).get()
        who = (
            f"{found[1].managing_body} — {found[1].name}/{found[1].uf}"
            if found
            else "(município não cadastrado)"
        )
        overdue = (
            incident.high_risk
            and incident.anpd_notified_on is None
            and today_local(self._ws.clock) > incident.notify_by
        )
        lines = [
            "REGISTRO DE INCIDENTE DE SEGURANÇA COM DADOS PESSOAIS",
            "(Lei 13.709/2018, art. 48; Resolução CD/ANPD nº 15/2024)",
            "",
            f"Controlador: {who}",
            f"Identificador do registro: {incident.id}",
            f"Registrado em: {incident.recorded_at[:10]} por {incident.recorded_by}",
            f"Data do incidente: {incident.occurred_on:%d/%m/%Y}",
            f"Data em que foi descoberto: {incident.discovered_on:%d/%m/%Y}",
            f"Meio envolvido: {incident.medium}",
        ]
        if incident.package_id:
            lines.append(
                f"Pacote: {incident.file_name} (identificador {incident.package_id}); "
                + ("protegido por senha (criptografado)" if incident.encrypted else "sem criptografia")
            )
        lines += ["", "Categorias de dados envolvidas:"]
        lines += [f"  - {label}" for label in incident.category_labels]
        lines += [
            "",
            f"Número estimado de titulares: "
            f"{incident.subjects_estimate if incident.subjects_estimate is not None else 'não estimado'}",
            "",
            "Descrição:",
            incident.description,
            "",
            "Medidas adotadas:",
            incident.measures or "(não informadas)",
            "",
            f"Risco relevante: {'SIM' if incident.high_risk else 'não'}",
            f"Prazo para comunicar a ANPD e os titulares (3 dias úteis): {incident.notify_by:%d/%m/%Y}",
            "ANPD comunicada em: "
            + (f"{incident.anpd_notified_on:%d/%m/%Y}" if incident.anpd_notified_on else "não comunicada"),
            "Titulares comunicados em: "
            + (
                f"{incident.subjects_notified_on:%d/%m/%Y}"
                if incident.subjects_notified_on
                else "não comunicados"
            ),
        ]
        if overdue:
            lines.append("ATENÇÃO: o prazo de comunicação já passou.")
        lines += ["", f"Guarde este registro por pelo menos {incidents.KEEP_YEARS} anos."]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ helpers
    def _incident(self, incident_id: str) -> Incident:
        found = self._repo.get(incident_id)
        if found is None:
            raise UserError("Este incidente não está registrado.")
        return found

    def _calendar(self, day: date):
        found = MunicipalityRepository(self._ws.db).get()
        uf = found[1].uf if found else ""
        local = tuple(
            LocalHoliday(d, name, recurring)
            for _, d, name, recurring in MunicipalityRepository(self._ws.db).holidays()
        )
        return build_calendar(uf, range(day.year, day.year + 2), local)

    def _audit(self, actor: str, action: str, record_id: str, detail: str) -> None:
        ctx = self._ws.write_context(actor)
        AuditRepository(self._ws.db).append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action=action,
                origin=ctx.origin,
                entity="incident",
                record_id=record_id,
                detail=detail,
            )
        )
