"""A municipality's regional summary: aggregates only, for the regional association (pure).

What may leave the municipality in a ``regional`` package (LGPD minimisation, SEC-5): counts per
register, unmet demand counted per service and status with the longest wait in days, checklist
progress per cycle, and accountability counted per year and status. No names, no case codes, no CPF,
no free text typed by users. :func:`summary_from_json` is the allow-list: any other key is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from suas_desktop.domain.registers import ACCOUNTABILITY_STATUS, DEMAND_SERVICES, REGISTERS, UNMET_DEMAND

SUMMARY_VERSION = 1
#: Unmet-demand statuses that mean "still waiting for the service".
WAITING_STATUSES = ("aguardando", "encaminhado_regional")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SERVICE_LABELS = dict(DEMAND_SERVICES)
_STATUS_LABELS = dict(UNMET_DEMAND.field("status").choices)
_ACCOUNTABILITY_LABELS = dict(ACCOUNTABILITY_STATUS)


@dataclass(frozen=True)
class DemandCount:
    service: str
    status: str
    count: int
    longest_wait_days: int | None

    @property
    def service_label(self) -> str:
        return _SERVICE_LABELS.get(self.service, self.service)

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    @property
    def waiting(self) -> bool:
        return self.status in WAITING_STATUSES


@dataclass(frozen=True)
class CycleProgress:
    kind: str
    reference_year: int
    title: str
    state: str
    total: int
    done: int
    not_applicable: int
    in_progress: int
    blocked: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.not_applicable) / self.total) if self.total else 0


@dataclass(frozen=True)
class AccountabilityCount:
    fiscal_year: int
    status: str
    count: int

    @property
    def status_label(self) -> str:
        return _ACCOUNTABILITY_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class RegionalSummary:
    ibge_code: str
    name: str
    uf: str
    population: int
    data_date: date
    registers: dict[str, int] = field(default_factory=dict)
    unmet_demand: tuple[DemandCount, ...] = ()
    cycles: tuple[CycleProgress, ...] = ()
    accountability: tuple[AccountabilityCount, ...] = ()
    #: Filled by the association when stored: when the package was imported.
    imported_at: str = ""

    @property
    def waiting_total(self) -> int:
        return sum(d.count for d in self.unmet_demand if d.waiting)

    @property
    def longest_wait_days(self) -> int | None:
        waits = [
            d.longest_wait_days for d in self.unmet_demand if d.waiting and d.longest_wait_days is not None
        ]
        return max(waits, default=None)

    def accountability_by_status(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.accountability:
            out[a.status] = out.get(a.status, 0) + a.count
        return out


def demand_counts(rows: list[dict[str, Any]], today: date) -> tuple[DemandCount, ...]:
    """Count unmet-demand rows per (service, status); waits in days up to today (or resolution)."""
    groups: dict[tuple[str, str], list[int | None]] = {}
    for row in rows:
        received = _day(row.get("received_on"))
        resolved = _day(row.get("resolved_on"))
        end = today if row.get("status") in WAITING_STATUSES or resolved is None else resolved
        wait = (end - received).days if received and end >= received else None
        groups.setdefault((str(row["service"]), str(row["status"])), []).append(wait)
    return tuple(
        DemandCount(service, status, len(waits), max((w for w in waits if w is not None), default=None))
        for (service, status), waits in sorted(groups.items())
    )


def accountability_counts(rows: list[dict[str, Any]]) -> tuple[AccountabilityCount, ...]:
    groups: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (int(row["fiscal_year"]), str(row["status"]))
        groups[key] = groups.get(key, 0) + 1
    return tuple(AccountabilityCount(y, s, n) for (y, s), n in sorted(groups.items()))


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def summary_to_json(s: RegionalSummary) -> dict[str, Any]:
    return {
        "summary_version": SUMMARY_VERSION,
        "municipality": {"ibge_code": s.ibge_code, "name": s.name, "uf": s.uf, "population": s.population},
        "data_date": s.data_date.isoformat(),
        "registers": dict(sorted(s.registers.items())),
        "unmet_demand": [
            {
                "service": d.service,
                "status": d.status,
                "count": d.count,
                "longest_wait_days": d.longest_wait_days,
            }
            for d in s.unmet_demand
        ],
        "cycles": [
            {
                "kind": c.kind,
                "reference_year": c.reference_year,
                "title": c.title,
                "state": c.state,
                "total": c.total,
                "done": c.done,
                "not_applicable": c.not_applicable,
                "in_progress": c.in_progress,
                "blocked": c.blocked,
                "overdue": c.overdue,
            }
            for c in s.cycles
        ],
        "accountability": [
            {"fiscal_year": a.fiscal_year, "status": a.status, "count": a.count} for a in s.accountability
        ],
    }


class SummaryInvalid(ValueError):
    pass


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise SummaryInvalid(what)


def _int(value: Any, low: int = 0, high: int = 10**9) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _keys(obj: Any, keys: set[str], what: str) -> None:
    _need(isinstance(obj, dict) and set(obj) == keys, what)


def summary_from_json(obj: Any) -> RegionalSummary:
    """Validate against the allow-list and build the summary (raises SummaryInvalid)."""
    _keys(
        obj,
        {
            "summary_version",
            "municipality",
            "data_date",
            "registers",
            "unmet_demand",
            "cycles",
            "accountability",
        },
        "resumo",
    )
    _need(obj["summary_version"] == SUMMARY_VERSION, "versão do resumo")
    m = obj["municipality"]
    _keys(m, {"ibge_code", "name", "uf", "population"}, "município")
    _need(isinstance(m["ibge_code"], str) and bool(re.fullmatch(r"\d{7}", m["ibge_code"])), "IBGE")
    _need(isinstance(m["name"], str) and 0 < len(m["name"]) <= 200, "nome do município")
    _need(isinstance(m["uf"], str) and bool(re.fullmatch(r"[A-Z]{2}", m["uf"])), "UF")
    _need(_int(m["population"], 1, 10**8), "população")
    _need(isinstance(obj["data_date"], str) and _day(obj["data_date"]) is not None, "data dos dados")
    registers = obj["registers"]
    _need(isinstance(registers, dict) and len(registers) <= 100, "cadastros")
    for name, count in registers.items():
        _need(name in REGISTERS and _int(count), "contagem de cadastro")
    demand = obj["unmet_demand"]
    _need(isinstance(demand, list) and len(demand) <= 1000, "demanda reprimida")
    for d in demand:
        _keys(d, {"service", "status", "count", "longest_wait_days"}, "linha de demanda")
        _need(isinstance(d["service"], str) and bool(_CODE.match(d["service"])), "serviço")
        _need(isinstance(d["status"], str) and bool(_CODE.match(d["status"])), "situação")
        _need(_int(d["count"], 1), "quantidade")
        _need(d["longest_wait_days"] is None or _int(d["longest_wait_days"], 0, 100_000), "espera")
    cycles = obj["cycles"]
    _need(isinstance(cycles, list) and len(cycles) <= 200, "ciclos")
    cycle_keys = {
        "kind", "reference_year", "title", "state", "total", "done", "not_applicable", "in_progress",
        "blocked", "overdue",
    }  # fmt: skip
    for c in cycles:
        _keys(c, cycle_keys, "ciclo")
        _need(c["kind"] in ("closing", "transition") and c["state"] in ("open", "concluded"), "tipo de ciclo")
        _need(_int(c["reference_year"], 2000, 2100), "ano do ciclo")
        _need(isinstance(c["title"], str) and 0 < len(c["title"]) <= 120, "título do ciclo")
        counts = [c[k] for k in ("total", "done", "not_applicable", "in_progress", "blocked", "overdue")]
        _need(all(_int(v, 0, 100_000) for v in counts), "contagens do ciclo")
        _need(
            c["done"] + c["not_applicable"] + c["in_progress"] + c["blocked"] <= c["total"],
            "contagens do ciclo",
        )
    accountability = obj["accountability"]
    _need(isinstance(accountability, list) and len(accountability) <= 1000, "prestações de contas")
    for a in accountability:
        _keys(a, {"fiscal_year", "status", "count"}, "prestação de contas")
        _need(_int(a["fiscal_year"], 2000, 2100), "exercício")
        _need(isinstance(a["status"], str) and bool(_CODE.match(a["status"])), "situação")
        _need(_int(a["count"], 1), "quantidade")
    return RegionalSummary(
        ibge_code=m["ibge_code"],
        name=m["name"],
        uf=m["uf"],
        population=m["population"],
        data_date=date.fromisoformat(obj["data_date"]),
        registers=dict(registers),
        unmet_demand=tuple(DemandCount(**d) for d in demand),
        cycles=tuple(CycleProgress(**c) for c in cycles),
        accountability=tuple(AccountabilityCount(**a) for a in accountability),
    )
