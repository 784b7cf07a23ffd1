"""Retention (LGPD art. 16, SEC-6): list the records past their retention period and anonymise them.

The rules are in domain/retention.py (workers whose contract ended, unmet-demand cases closed); the
period of each is a setting of the data folder (``retention.<rule>.years``). Anonymising goes through
the registers' normal write path, so it is audited (field names only), carried to other installations
by the next package, and keeps every count the reports make. Old backups still hold the previous
values until they age out of the backup rotation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from suas_desktop import log
from suas_desktop.domain import retention
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import today_local
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.register_fields import Privacy
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.register_repository import RegisterRepository
from suas_desktop.storage.settings_repository import SettingsRepository


@dataclass(frozen=True)
class RetentionCandidate:
    rule: str
    register: str
    register_label: str
    record_id: str
    ended_on: date
    #: What the record is, without personal values ("Assistente social, Contratado").
    description: str


def _setting_key(rule: str) -> str:
    return f"retention.{rule}.years"


class RetentionService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._settings = SettingsRepository(ws.db)
        self._registers = RegisterRepository(ws.db)

    def periods(self) -> dict[str, int]:
        """Rule key -> years (the setting, or the rule's default)."""
        out = {}
        for rule in retention.RULES:
            raw = self._settings.get(_setting_key(rule.key))
            out[rule.key] = int(raw) if raw and raw.isdigit() else rule.default_years
        return out

    def set_period(self, *, actor: str, rule: str, years: int) -> None:
        require(self._ws, Permission.RETENTION, doing="mudar os prazos de guarda")
        if rule not in retention.RULES_BY_KEY:
            raise UserError(f"Regra de guarda desconhecida: {rule}.")
        if not isinstance(years, int) or not retention.MIN_YEARS <= years <= retention.MAX_YEARS:
            raise ValidationError(
                {"years": f"Informe um prazo entre {retention.MIN_YEARS} e {retention.MAX_YEARS} anos."}
            )
        with self._ws.db.transaction():
            self._settings.set(_setting_key(rule), str(years))
            self._audit(actor, "settings.retention", "", "", f"{rule}: {years} anos")

    def due(self, today: date | None = None) -> list[RetentionCandidate]:
        """Records past their retention period and not yet anonymised (oldest first)."""
        require(self._ws, Permission.RETENTION, doing="consultar os registros com prazo de guarda vencido")
        return self._due(today or today_local(self._ws.clock))

    def anonymise(self, *, actor: str, record_ids: Iterable[str], today: date | None = None) -> int:
        """Replace the personal fields of the given due records (one transaction); returns how many."""
        require(self._ws, Permission.RETENTION)
        today = today or today_local(self._ws.clock)
        wanted = set(record_ids)
        if not wanted:
            return 0
        ctx = self._ws.write_context(actor)
        done = 0
        with self._ws.db.transaction():
            due = {c.record_id: c for c in self._due(today)}
            not_due = wanted - set(due)
            if not_due:
                raise UserError(
                    f"{len(not_due)} registro(s) ainda não passaram do prazo de guarda (ou já foram "
                    "anonimizados); nada foi alterado."
                )
            for record_id in sorted(wanted):
                candidate = due[record_id]
                rule = retention.RULES_BY_KEY[candidate.rule]
                changed = self._registers.update(ctx, rule.spec, record_id, rule.anonymised(record_id))
                self._audit(
                    actor,
                    "retention.anonymise",
                    rule.register,
                    record_id,
                    f"campos {', '.join(changed) or '(já vazios)'}; fim em {candidate.ended_on.isoformat()}",
                )
                done += 1
        log.services.info("retention: %d record(s) anonymised", done)
        return done

    # ------------------------------------------------------------------ helpers
    def _due(self, today: date) -> list[RetentionCandidate]:
        periods = self.periods()
        out = []
        for rule in retention.RULES:
            spec = rule.spec
            for record in self._registers.list(spec):
                if retention.is_due(rule, record.values, today, periods[rule.key]):
                    ended = rule.ended_on(record.values)
                    assert ended is not None
                    out.append(
                        RetentionCandidate(
                            rule=rule.key,
                            register=rule.register,
                            register_label=spec.label,
                            record_id=record.id,
                            ended_on=ended,
                            description=self._describe(rule, record.values),
                        )
                    )
        return sorted(out, key=lambda c: (c.ended_on, c.register, c.record_id))

    @staticmethod
    def _describe(rule: retention.RetentionRule, values: Mapping[str, Any]) -> str:
        spec = rule.spec
        parts = []
        for f in spec.fields:
            if f.name in rule.replacements or f.privacy is not Privacy.PUBLIC or not f.choices:
                continue
            if values.get(f.name):
                parts.append(f.choice_label(values[f.name]))
            if len(parts) == 2:
                break
        return ", ".join(parts)

    def _audit(self, actor: str, action: str, entity: str, record_id: str, detail: str) -> None:
        ctx = self._ws.write_context(actor)
        AuditRepository(self._ws.db).append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action=action,
                origin=ctx.origin,
                entity=entity,
                record_id=record_id,
                detail=detail,
            )
        )
