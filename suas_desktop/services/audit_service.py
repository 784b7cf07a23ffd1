"""Reading the audit trail: filters, export to CSV/XLSX, the chain check, and a summary for the dossier.

The trail holds who did what to which record and when, never the values (LGPD). Looking at it and
exporting it need ``AUDIT_VIEW``; an export is itself recorded (``audit.export``).
:meth:`AuditService.audit_summary` counts actions per person in a period (the transition dossier
shows it for the cycle) and is allowed to everyone who may generate reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry, ChainReport
from suas_desktop.domain.clock import iso_utc, parse_iso_utc
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.registers import REGISTERS
from suas_desktop.errors import KnownError, UserError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import SYSTEM_ACTOR, Workspace
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from suas_desktop.storage.cycle_repository import CycleRepository

#: Above this many rows the viewer asks the user to narrow the filters (the export takes them all).
VIEW_LIMIT = 5000

EXPORT_HEADERS = (
    "Nº",
    "Data e hora",
    "Usuário",
    "Ação",
    "Código da ação",
    "Tabela",
    "Registro",
    "Campos alterados",
    "Detalhe",
)

_VERBS = {
    "create": "Inclusão",
    "update": "Alteração",
    "delete": "Exclusão",
    "import_create": "Inclusão por pacote",
    "import_update": "Alteração por pacote",
    "import_delete": "Exclusão por pacote",
    "import_conflict": "Conflito em pacote",
    "conflict_resolved": "Conflito resolvido",
    "carry_over": "Levado para outro ciclo",
    "export": "Exportação",
    "import": "Importação",
}
_ACTIONS = {
    "auth.login": "Entrada no sistema",
    "auth.logout": "Saída do sistema",
    "auth.login_failed": "Tentativa de entrada sem sucesso",
    "auth.login_refused": "Entrada recusada (aguardando)",
    "auth.recovery": "Senha trocada com o código de recuperação",
    "auth.recovery_failed": "Código de recuperação incorreto",
    "auth.password_change_failed": "Troca de senha sem sucesso",
    "user.create": "Usuário criado",
    "user.role": "Perfil de usuário alterado",
    "user.update": "Usuário alterado",
    "user.deactivate": "Usuário desativado",
    "user.reactivate": "Usuário reativado",
    "user.reset_password": "Senha redefinida pelo administrador",
    "user.password_change": "Senha trocada",
    "user.recovery_code": "Novo código de recuperação",
    "settings.auto_login": "Entrada automática alterada",
    "settings.retention": "Prazo de guarda alterado",
    "permission.denied": "Ação recusada (perfil sem permissão)",
    "backup.create": "Cópia de segurança feita",
    "backup.export": "Cópia de segurança gravada fora da pasta",
    "backup.restore": "Cópia de segurança restaurada",
    "package.export": "Pacote exportado",
    "package.import": "Pacote importado",
    "package.trust_signer": "Chave de outra instalação aceita",
    "report.export": "Relatório gravado",
    "audit.export": "Trilha de auditoria exportada",
    "database.migrate": "Banco de dados atualizado",
    "trust.add": "Certificado incluído na lista de confiança",
    "trust.remove": "Certificado retirado da lista de confiança",
    "certificate.issue": "Certificado local emitido",
    "signature.create": "Documento assinado",
    "signature.update": "Assinatura marcada como superada",
    "retention.anonymise": "Registro anonimizado (prazo de guarda)",
    "incident.create": "Incidente de segurança registrado",
    "incident.update": "Incidente de segurança atualizado",
    "incident.export": "Incidente de segurança exportado",
}
_ENTITIES = {
    "cycle": "Ciclo",
    "cycle_item": "Item do checklist",
    "cycle_event": "Data-chave do ciclo",
    "attachments": "Anexo",
    "municipality": "Município",
    "municipal_holiday": "Feriado municipal",
    "signed_document": "Documento assinado",
    "trusted_certificate": "Certificado confiável",
    "app_user": "Usuário",
    "incident": "Incidente",
    "conflict": "Conflito",
    **{name: spec.label for name, spec in REGISTERS.items()},
}

#: Categories of the dossier summary, in print order.
CATEGORIES = (
    "Alterações de dados",
    "Importações",
    "Exportações e relatórios",
    "Assinaturas",
    "Cópias de segurança",
    "Acessos",
    "Usuários e permissões",
    "Outras",
)


def action_label(action: str) -> str:
    if action in _ACTIONS:
        return _ACTIONS[action]
    entity, _, verb = action.rpartition(".")
    what = _ENTITIES.get(entity, entity)
    return f"{_VERBS.get(verb, verb)} — {what}" if entity else action


def entity_label(entity: str) -> str:
    return _ENTITIES.get(entity, entity)


def action_category(action: str) -> str:
    prefix, _, verb = action.partition(".")
    if prefix == "auth":
        return "Acessos"
    if prefix in ("user", "settings", "permission"):
        return "Usuários e permissões"
    if prefix == "backup":
        return "Cópias de segurança" if verb in ("create", "restore") else "Exportações e relatórios"
    if prefix in ("signature", "certificate", "trust"):
        return "Assinaturas"
    if verb == "export":
        return "Exportações e relatórios"
    if prefix in ("incident", "database"):
        return "Outras"
    if verb == "import" or verb.startswith("import_") or action in ("package.import", "package.trust_signer"):
        return "Importações"
    if verb in ("create", "update", "delete", "carry_over", "conflict_resolved", "anonymise"):
        return "Alterações de dados"
    return "Outras"


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the viewer. Dates are the user's local days, both included."""

    since: date | None = None
    until: date | None = None
    actor: str | None = None
    action: str | None = None  # an action code or a prefix ("auth.", "cycle_item.")
    entity: str | None = None
    record_id: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str  # UTC ISO-8601 as stored
    when: datetime  # the same moment in local time
    actor: str
    action: str
    action_label: str
    entity: str
    entity_label: str
    record_id: str
    fields: tuple[str, ...]
    detail: str

    def as_export_row(self) -> list[object]:
        return [
            self.seq,
            self.when.strftime("%d/%m/%Y %H:%M:%S"),
            self.actor,
            self.action_label,
            self.action,
            self.entity_label,
            self.record_id,
            ", ".join(self.fields),
            self.detail,
        ]


@dataclass(frozen=True)
class UserActivity:
    actor: str
    total: int
    by_category: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditSummary:
    """Actions per person in a period (printed in the transition dossier)."""

    since: datetime | None
    until: datetime | None
    total: int
    users: tuple[UserActivity, ...]
    #: The categories that occur, in CATEGORIES order (the columns of the dossier table).
    categories: tuple[str, ...]
    chain_ok: bool
    chain_problems: tuple[str, ...] = ()


def _local_start(day: date) -> str:
    return iso_utc(datetime.combine(day, time.min).astimezone())


def _local_end(day: date) -> str:
    return iso_utc(
        datetime.combine(day + timedelta(days=1), time.min).astimezone() - timedelta(microseconds=1)
    )


def _moment(value: date | datetime | str | None, *, end: bool) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return iso_utc(parse_iso_utc(value))
    if isinstance(value, datetime):
        return iso_utc(value if value.tzinfo else value.astimezone())
    return _local_end(value) if end else _local_start(value)


class AuditService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = AuditRepository(ws.db)

    # ------------------------------------------------------------------ viewing
    def entries(self, query: AuditQuery | None = None) -> list[AuditRow]:
        require(self._ws, Permission.AUDIT_VIEW)
        return self._rows(query or AuditQuery())

    def actors(self) -> list[str]:
        require(self._ws, Permission.AUDIT_VIEW)
        return self._repo.distinct("actor")

    def actions(self) -> list[tuple[str, str]]:
        """(code, label) of every action present, sorted by label."""
        require(self._ws, Permission.AUDIT_VIEW)
        codes = self._repo.distinct("action")
        return sorted(((c, action_label(c)) for c in codes), key=lambda p: p[1].casefold())

    def entities(self) -> list[tuple[str, str]]:
        require(self._ws, Permission.AUDIT_VIEW)
        codes = self._repo.distinct("entity")
        return sorted(((c, entity_label(c)) for c in codes), key=lambda p: p[1].casefold())

    def check(self) -> ChainReport:
        """Verify the hash chain (an edited, deleted or reordered row is reported)."""
        require(self._ws, Permission.AUDIT_VIEW)
        return self._repo.verify()

    # ------------------------------------------------------------------ export
    def export(self, path: Path, query: AuditQuery | None = None, *, actor: str | None = None) -> int:
        """Write the filtered rows to ``path`` (.csv or .xlsx, by the suffix); returns the row count."""
        require(self._ws, Permission.AUDIT_VIEW, doing="exportar a trilha de auditoria")
        from suas_desktop.documents import audit_export

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise UserError("Escolha um arquivo .csv ou .xlsx para exportar a trilha de auditoria.")
        if not path.parent.is_dir():
            raise UserError(f"A pasta “{path.parent}” não existe.")
        query = query or AuditQuery()
        rows = [r.as_export_row() for r in self._rows(AuditQuery(**{**query.__dict__, "limit": None}))]
        try:
            if suffix == ".csv":
                audit_export.write_csv(EXPORT_HEADERS, rows, path)
            else:
                audit_export.write_xlsx("Trilha de auditoria", EXPORT_HEADERS, rows, path)
        except OSError as exc:
            raise KnownError(
                f"Não foi possível gravar “{path.name}”.",
                hint="Verifique se o arquivo está aberto em outro programa e se há espaço no disco.",
            ) from exc
        session = self._ws.session
        who = actor or (session.name if session else SYSTEM_ACTOR)
        ctx = self._ws.write_context(who)
        self._repo.append(
            AuditEntry(
                at=ctx.at,
                actor=who,
                action="audit.export",
                origin=ctx.origin,
                detail=f"{len(rows)} registros em {suffix[1:].upper()}",
            )
        )
        log.services.info("audit trail exported: %d rows (%s)", len(rows), suffix)
        return len(rows)

    # ------------------------------------------------------------------ dossier
    def audit_summary(
        self, since: date | datetime | str | None = None, until: date | datetime | str | None = None
    ) -> AuditSummary:
        """Actions per person between ``since`` and ``until`` (dates are local days, both included;
        datetimes and ISO strings are moments), grouped in :data:`CATEGORIES`."""
        require(self._ws, Permission.REPORTS)
        tallies = self._repo.action_counts(
            AuditFilter(since=_moment(since, end=False), until=_moment(until, end=True))
        )
        per_user: dict[str, Counter[str]] = {}
        for actor, action, n in tallies:
            per_user.setdefault(actor, Counter())[action_category(action)] += n
        present = {c for counts in per_user.values() for c in counts}
        users = tuple(
            sorted(
                (UserActivity(actor, sum(c.values()), dict(c)) for actor, c in per_user.items()),
                key=lambda u: (-u.total, u.actor.casefold()),
            )
        )
        chain = self._repo.verify()
        return AuditSummary(
            since=parse_iso_utc(s) if (s := _moment(since, end=False)) else None,
            until=parse_iso_utc(u) if (u := _moment(until, end=True)) else None,
            total=sum(n for _, _, n in tallies),
            users=users,
            categories=tuple(c for c in CATEGORIES if c in present),
            chain_ok=chain.ok,
            chain_problems=tuple(chain.problems[:5]),
        )

    def cycle_summary(self, cycle_id: str) -> AuditSummary:
        """:meth:`audit_summary` from the cycle's creation to its conclusion (or now, while open)."""
        require(self._ws, Permission.REPORTS)
        created = self._repo.entries(
            AuditFilter(entity="cycle", record_id=cycle_id, action_prefix="cycle.create", limit=1)
        )
        if not created:
            raise UserError("Este ciclo não existe (pode ter sido excluído).")
        concluded = CycleRepository(self._ws.db).cycle(cycle_id)
        until = concluded.concluded_at if concluded and concluded.is_concluded else None
        return self.audit_summary(created[0].entry.at, until or iso_utc(self._ws.clock.now()))

    # ------------------------------------------------------------------ helpers
    def _rows(self, query: AuditQuery) -> list[AuditRow]:
        action = query.action or None
        flt = AuditFilter(
            entity=query.entity or None,
            record_id=query.record_id or None,
            actor=query.actor or None,
            action_prefix=action,
            since=_moment(query.since, end=False),
            until=_moment(query.until, end=True),
            limit=query.limit,
        )
        out = []
        for e in self._repo.entries(flt):
            if action and not action.endswith(".") and e.entry.action != action:
                continue  # an exact code was asked: the prefix match must not bring "x.update_more"
            out.append(
                AuditRow(
                    seq=e.seq,
                    at=e.entry.at,
                    when=_local(e.entry.at),
                    actor=e.entry.actor,
                    action=e.entry.action,
                    action_label=action_label(e.entry.action),
                    entity=e.entry.entity,
                    entity_label=entity_label(e.entry.entity),
                    record_id=e.entry.record_id,
                    fields=e.entry.fields,
                    detail=e.entry.detail,
                )
            )
        return out


def _local(at: str) -> datetime:
    try:
        return parse_iso_utc(at).astimezone()
    except ValueError:
        return datetime.min
