"""Regional consolidation: what a municipality sends, and what an association keeps and reports.

A data folder is an *association profile* when the local setting ``profile`` is ``association``.
It imports ``regional`` packages (aggregates only, see domain/regional.py); the newest package of each
municipality replaces the older one, and the date its data was taken is kept. The Relatório Regional
reads :func:`regional_summaries`; :func:`export_consolidation_xlsx` writes the same data as a
spreadsheet.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from suas_desktop.domain.clock import today_local
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.regional import (
    CycleProgress,
    RegionalSummary,
    accountability_counts,
    demand_counts,
    summary_from_json,
)
from suas_desktop.domain.registers import ACCOUNTABILITY, ALL_REGISTERS, UNMET_DEMAND
from suas_desktop.errors import UserError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.municipality_repository import MunicipalityRepository
from suas_desktop.storage.register_repository import RegisterRepository
from suas_desktop.storage.settings_repository import SettingsRepository
from suas_desktop.storage.sync_repository import RegionalRepository

PROFILE_SETTING = "profile"
ASSOCIATION = "association"


def is_association(ws: Workspace) -> bool:
    return SettingsRepository(ws.db).get(PROFILE_SETTING) == ASSOCIATION


def make_association(ws: Workspace) -> None:
    """Turn this data folder into an association profile (it then receives regional packages)."""
    require(ws, Permission.SETTINGS, doing="transformar a pasta em perfil de associação")
    if MunicipalityRepository(ws.db).get() is not None:
        raise UserError(
            "Esta pasta de dados já é de um município.",
            hint="Use uma pasta de dados separada para a associação regional.",
        )
    SettingsRepository(ws.db).set(PROFILE_SETTING, ASSOCIATION)


def build_summary(ws: Workspace, *, today: date | None = None) -> RegionalSummary:
    """This municipality's aggregates as of ``today`` (no personal data: see domain/regional.py)."""
    from suas_desktop.services.checklist_service import ChecklistService
    from suas_desktop.services.template_catalog import load_catalog

    found = MunicipalityRepository(ws.db).get()
    if found is None:
        raise UserError("Cadastre o município antes de gerar o pacote regional.")
    municipality = found[1]
    today = today or today_local(ws.clock)
    repo = RegisterRepository(ws.db)
    registers = {spec.name: repo.count(spec) for spec in ALL_REGISTERS}
    demand_rows = [dict(r.values) for r in repo.list(UNMET_DEMAND)]
    accountability_rows = [dict(r.values) for r in repo.list(ACCOUNTABILITY)]
    checklists = ChecklistService(ws, load_catalog())
    cycles = []
    for cycle in sorted(checklists.cycles(), key=lambda c: (c.reference_year, c.kind.value)):
        overall = checklists.overview(cycle.id, today=today).overall
        cycles.append(
            CycleProgress(
                kind=cycle.kind.value,
                reference_year=cycle.reference_year,
                title=cycle.title,
                state=cycle.state.value,
                total=overall.total,
                done=overall.done,
                not_applicable=overall.not_applicable,
                in_progress=overall.in_progress,
                blocked=overall.blocked,
                overdue=overall.overdue,
            )
        )
    return RegionalSummary(
        ibge_code=municipality.ibge_code,
        name=municipality.name,
        uf=municipality.uf,
        population=municipality.population,
        data_date=today,
        registers=registers,
        unmet_demand=demand_counts(demand_rows, today),
        cycles=tuple(cycles),
        accountability=accountability_counts(accountability_rows),
    )


def regional_summaries(ws: Workspace) -> list[RegionalSummary]:
    """Per municipality, the newest summary received (ordered by UF and name)."""
    out = []
    for row in RegionalRepository(ws.db).all():
        summary = summary_from_json(json.loads(row["summary"]))
        out.append(replace(summary, imported_at=row["imported_at"]))
    return out


def export_consolidation_xlsx(ws: Workspace, path: Path) -> int:
    """Write the consolidation spreadsheet; returns the number of municipalities."""
    require(ws, Permission.EXPORT, doing="exportar a consolidação regional")
    from suas_desktop.documents.regional_xlsx import write_consolidation

    summaries = regional_summaries(ws)
    write_consolidation(summaries, Path(path))
    return len(summaries)
