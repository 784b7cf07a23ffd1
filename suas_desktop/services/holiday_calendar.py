"""Holidays for a municipality (national, state and local) and the business calendar built from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import holidays as holidays_lib

from suas_desktop.domain.business_calendar import BusinessCalendar


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


def holidays_for(uf: str, years: Iterable[int], local: Iterable[LocalHoliday] = ()) -> dict[date, str]:
    """date -> pt-BR name of every holiday of the municipality in ``years``.

    Only the ``public`` category of the ``holidays`` package: Carnaval, Corpus Christi and the other
    *pontos facultativos* are optional days off, and a deadline that falls on them still holds.
    A UF the package does not know (or an empty one) gets the national holidays only.
    """
    wanted = sorted(set(years))
    if not wanted:
        return {}
    subdiv = uf.strip().upper() or None
    if subdiv is not None and subdiv not in holidays_lib.country_holidays("BR").subdivisions:
        subdiv = None
    table = holidays_lib.country_holidays(
        "BR", subdiv=subdiv, years=wanted, language="pt_BR", categories=("public",)
    )
    result: dict[date, str] = {}
    for day, name in sorted(table.items()):
        _add(result, day, name)
    for holiday in local:
        for day in _local_dates(holiday, wanted):
            _add(result, day, holiday.name)
    return result


def build_calendar(uf: str, years: Iterable[int], local: Iterable[LocalHoliday] = ()) -> BusinessCalendar:
    return BusinessCalendar(holidays_for(uf, years, local))
