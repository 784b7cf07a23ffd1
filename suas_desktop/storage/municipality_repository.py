"""The municipality profile and its local holidays."""

from __future__ import annotations

import sqlite3
from datetime import date

from suas_desktop.domain.municipality import Mandate, Municipality
from suas_desktop.storage.database import Database
from suas_desktop.storage.synced_table import SyncedTable, WriteContext

MUNICIPALITY = SyncedTable(
    "municipality",
    [
        "name", "uf", "ibge_code", "population", "prefeitura_cnpj", "fmas_cnpj", "fmas_has_budget_unit",
        "fmas_has_own_resources", "managing_body", "manager_name", "manager_start", "manager_end",
        "cmas_president_name", "cmas_president_start", "cmas_president_end", "coat_of_arms_sha256",
    ],
)  # fmt: skip
HOLIDAYS = SyncedTable("municipal_holiday", ["day", "name", "recurring"])


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if not text else date.fromisoformat(text)


def _values(m: Municipality) -> dict:
    return {
        "name": m.name,
        "uf": m.uf,
        "ibge_code": m.ibge_code,
        "population": m.population,
        "prefeitura_cnpj": m.prefeitura_cnpj,
        "fmas_cnpj": m.fmas_cnpj,
        "fmas_has_budget_unit": int(m.fmas_has_budget_unit),
        "fmas_has_own_resources": int(m.fmas_has_own_resources),
        "managing_body": m.managing_body,
        "manager_name": m.manager.holder_name if m.manager else None,
        "manager_start": _iso(m.manager.start) if m.manager else None,
        "manager_end": _iso(m.manager.end) if m.manager else None,
        "cmas_president_name": m.cmas_president.holder_name if m.cmas_president else None,
        "cmas_president_start": _iso(m.cmas_president.start) if m.cmas_president else None,
        "cmas_president_end": _iso(m.cmas_president.end) if m.cmas_president else None,
        "coat_of_arms_sha256": m.coat_of_arms_sha256,
    }


def _mandate(row: sqlite3.Row, prefix: str) -> Mandate | None:
    if not row[f"{prefix}_name"]:
        return None
    return Mandate(row[f"{prefix}_name"], _day(row[f"{prefix}_start"]), _day(row[f"{prefix}_end"]))


def _to_domain(row: sqlite3.Row) -> Municipality:
    return Municipality(
        name=row["name"],
        uf=row["uf"],
        ibge_code=row["ibge_code"],
        population=row["population"],
        prefeitura_cnpj=row["prefeitura_cnpj"],
        fmas_cnpj=row["fmas_cnpj"],
        fmas_has_budget_unit=bool(row["fmas_has_budget_unit"]),
        fmas_has_own_resources=bool(row["fmas_has_own_resources"]),
        managing_body=row["managing_body"],
        manager=_mandate(row, "manager"),
        cmas_president=_mandate(row, "cmas_president"),
        coat_of_arms_sha256=row["coat_of_arms_sha256"],
    )


class MunicipalityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self) -> tuple[str, Municipality] | None:
        """The data folder's municipality (id and value), or None before set-up."""
        row = self._db.first("SELECT * FROM municipality ORDER BY created_at LIMIT 1")
        return None if row is None else (row["id"], _to_domain(row))

    def save(self, ctx: WriteContext, municipality: Municipality) -> tuple[str, tuple[str, ...]]:
        """Insert or update the single profile; returns its id and the fields that changed."""
        with self._db.transaction():
            current = self.get()
            if current is None:
                values = _values(municipality)
                rid = MUNICIPALITY.insert(self._db, ctx, values)
                return rid, tuple(sorted(values))
            rid, _ = current
            return rid, MUNICIPALITY.update(self._db, ctx, rid, _values(municipality))

    # -- local holidays
    def holidays(self) -> list[tuple[str, date, str, bool]]:
        rows = self._db.all("SELECT id, day, name, recurring FROM municipal_holiday ORDER BY day")
        return [(r["id"], date.fromisoformat(r["day"]), r["name"], bool(r["recurring"])) for r in rows]

    def add_holiday(self, ctx: WriteContext, day: date, name: str, recurring: bool) -> str:
        return HOLIDAYS.insert(
            self._db, ctx, {"day": day.isoformat(), "name": name, "recurring": int(recurring)}
        )

    def remove_holiday(self, ctx: WriteContext, holiday_id: str) -> None:
        HOLIDAYS.delete(self._db, ctx, holiday_id)
