"""Retention of personal data (LGPD art. 16; reliability.md SEC-6), as rules over the registers (pure).

A record whose purpose ended more than N years ago (a worker whose contract ended; an unmet-demand
case closed) no longer needs to say WHO it was about. Anonymising replaces only the personal fields
and keeps everything the reports count (profession, bond, unit, service, dates), so the aggregates
of past years do not change. N is a setting of the data folder (default below); the municipality's
records-retention table (tabela de temporalidade) may ask for more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from suas_desktop.domain.register_fields import Privacy, RegisterSpec
from suas_desktop.domain.registers import REGISTERS

DEFAULT_YEARS = 5
MIN_YEARS = 1
MAX_YEARS = 100
ANONYMOUS_PREFIX = "Anonimizado"
ANONYMOUS_CODE_PREFIX = "ANON"


def _anonymous_name(record_id: str) -> str:
    return f"{ANONYMOUS_PREFIX} {record_id[:8]}"


def _anonymous_code(record_id: str) -> str:
    # Digits only after the prefix: passes the "a code, never a name" rule and stays unique per record.
    return f"{ANONYMOUS_CODE_PREFIX}{int(record_id.replace('-', '')[:12], 16) % 10**10:010d}"


@dataclass(frozen=True)
class RetentionRule:
    key: str  # app_setting "retention.<key>.years"
    register: str
    label: str  # "Trabalhadores com contrato encerrado"
    #: The day the record's purpose ended, or None while it is still in use.
    ended_on: Callable[[Mapping[str, Any]], date | None]
    #: Personal field -> its anonymous replacement (given the record id).
    replacements: Mapping[str, Callable[[str], Any]]
    #: True when the record was anonymised already.
    is_anonymous: Callable[[Mapping[str, Any]], bool]
    default_years: int = DEFAULT_YEARS

    @property
    def spec(self) -> RegisterSpec:
        return REGISTERS[self.register]

    def anonymised(self, record_id: str) -> dict[str, Any]:
        return {name: make(record_id) for name, make in self.replacements.items()}


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _staff_ended(values: Mapping[str, Any]) -> date | None:
    return _iso(values.get("contract_end"))


def _case_closed(values: Mapping[str, Any]) -> date | None:
    if values.get("status") not in ("atendido", "desistencia"):
        return None
    return _iso(values.get("resolved_on"))


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        key="staff",
        register="staff",
        label="Trabalhadores com contrato encerrado",
        ended_on=_staff_ended,
        replacements={"name": _anonymous_name, "cpf": lambda _id: None},
        is_anonymous=lambda v: str(v.get("name") or "").startswith(ANONYMOUS_PREFIX + " "),
    ),
    RetentionRule(
        key="unmet_demand",
        register="unmet_demand",
        label="Casos de demanda reprimida encerrados",
        ended_on=_case_closed,
        replacements={"case_code": _anonymous_code},
        is_anonymous=lambda v: str(v.get("case_code") or "").startswith(ANONYMOUS_CODE_PREFIX),
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def cutoff(today: date, years: int) -> date:
    """Records that ended before this day are past retention (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def is_due(rule: RetentionRule, values: Mapping[str, Any], today: date, years: int) -> bool:
    ended = rule.ended_on(values)
    return ended is not None and ended < cutoff(today, years) and not rule.is_anonymous(values)


def check_rules() -> None:
    """Every field a rule keeps must be public, every personal field of the register replaced."""
    for rule in RULES:
        personal = {f.name for f in rule.spec.fields if f.privacy is not Privacy.PUBLIC}
        missing = personal - set(rule.replacements)
        if missing:
            raise AssertionError(f"retention rule {rule.key} keeps personal fields {sorted(missing)}")
