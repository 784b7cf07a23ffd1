"""Holidays for a municipality (national, state and local) and the business calendar built from them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.paths import resources_dir

#: Generated from the `holidays` package by scripts/make_holiday_table.py (a test keeps them equal).
TABLE_FILE = ("holidays", "br.json")


@dataclass(frozen=True)
class LocalHoliday:
    """A municipal holiday (aniversário da cidade, padroeiro) set by local law.

    ``recurring`` = same day and month every year; otherwise only ``day`` itself.
    """

    day: date
    name: str
    recurring: bool = True


def _local_dates(holiday: LocalHoliday, years: list[int]) -> list[date]:
    if not holiday.recurring:
        return [holiday.day] if holiday.day.year in years else []
    dates = []
    for year in years:
        try:
            dates.append(holiday.day.replace(year=year))
        except ValueError:
            # A recurring 29/02 only exists in leap years.
            continue
    return dates


def _add(result: dict[date, str], day: date, name: str) -> None:
    # Two holidays on one day keep both names, so the user sees why the day is off.
    existing = result.get(day)
    if existing is None:
        result[day] = name
    elif name not in existing.split("; "):
        result[day] = f"{existing}; {name}"


@cache
def _table() -> dict[str, Any]:
    return json.loads(resources_dir().joinpath(*TABLE_FILE).read_text(encoding="utf-8"))


def _from_table(subdiv: str | None, years: list[int]) -> dict[date, str] | None:
    """The pre-built table's holidays, or None when it does not cover these years or this UF."""
    try:
        table = _table()
    except (OSError, ValueError):
        return None  # a damaged install still computes holidays with the library
    if years[0] < table["first_year"] or years[-1] > table["last_year"]:
        return None
    merged = dict(table["national"])
    if subdiv is not None:
        if subdiv not in table["states"]:
            return None
        merged.update(table["states"][subdiv])
    wanted = {str(year) for year in years}
    return {date.fromisoformat(day): name for day, name in sorted(merged.items()) if day[:4] in wanted}


def _from_library(subdiv: str | None, years: list[int]) -> dict[date, str]:
    # Imported here: `country_holidays` loads every country of the package (~0.2 s, ~12 MB).
    import holidays as holidays_lib

    if subdiv is not None and subdiv not in holidays_lib.country_holidays("BR").subdivisions:
        subdiv = None
    table = holidays_lib.country_holidays(
        "BR", subdiv=subdiv, years=years, language="pt_BR", categories=("public",)
    )
    return dict(sorted(table.items()))


def _known_uf(uf: str) -> str | None:
    subdiv = uf.strip().upper() or None
    if subdiv is None:
        return None
    try:
        states = _table()["states"]
    except (OSError, ValueError):
        return subdiv  # the library decides
    return subdiv if subdiv in states else None


def holidays_for(uf: str, years: Iterable[int], local: Iterable[LocalHoliday] = ()) -> dict[date, str]:
    """date -> pt-BR name of every holiday of the municipality in ``years``.

    Only the ``public`` category of the ``holidays`` package: Carnaval, Corpus Christi and the other
    *pontos facultativos* are optional days off, and a deadline that falls on them still holds.
    A UF the package does not know (or an empty one) gets the national holidays only. Years in the
    pre-built table come from it; other years from the library itself.
    """
    wanted = sorted(set(years))
    if not wanted:
        return {}
    subdiv = _known_uf(uf)
    national_and_state = _from_table(subdiv, wanted)
    if national_and_state is None:
        national_and_state = _from_library(subdiv, wanted)
    result: dict[date, str] = {}
    for day, name in national_and_state.items():
        _add(result, day, name)
    for holiday in local:
        for day in _local_dates(holiday, wanted):
            _add(result, day, holiday.name)
    return result


def build_calendar(uf: str, years: Iterable[int], local: Iterable[LocalHoliday] = ()) -> BusinessCalendar:
    return BusinessCalendar(holidays_for(uf, years, local))
