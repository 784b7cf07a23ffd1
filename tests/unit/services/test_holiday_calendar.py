"""Holidays of a municipality: national + state from the holidays package, plus local ones; no pontos facultativos."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.services import holiday_calendar
from suas_desktop.services.holiday_calendar import LocalHoliday, build_calendar, holidays_for

D = date
MG_2026 = holidays_for("MG", [2026])
ANIVERSARIO = LocalHoliday(D(1900, 7, 3), "Aniversário da cidade")


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Confraternização Universal"),
        (D(2026, 4, 3), "Sexta-feira Santa"),
        (D(2026, 4, 21), "Execução de Tiradentes; Tiradentes"),  # national and MG state date
        (D(2026, 5, 1), "Dia do Trabalhador"),
        (D(2026, 9, 7), "Independência do Brasil"),
        (D(2026, 10, 12), "Nossa Senhora Aparecida"),
        (D(2026, 11, 2), "Finados"),
        (D(2026, 11, 15), "Proclamação da República"),
        (D(2026, 11, 20), "Dia Nacional de Zumbi e da Consciência Negra"),  # Lei 14.759/2023
        (D(2026, 12, 25), "Natal"),
    ],
)
def test_mg_2026_holidays(day: date, name: str) -> None:
    assert MG_2026[day] == name


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(D(2026, 2, 16), id="carnaval-monday"),
        pytest.param(D(2026, 2, 17), id="carnaval-tuesday"),
        pytest.param(D(2026, 2, 18), id="quarta-feira-de-cinzas"),
        pytest.param(D(2026, 6, 4), id="corpus-christi"),
        pytest.param(D(2026, 10, 28), id="dia-do-servidor"),
        pytest.param(D(2026, 12, 24), id="vespera-de-natal"),
        pytest.param(D(2026, 12, 31), id="vespera-de-ano-novo"),
    ],
)
def test_pontos_facultativos_are_not_holidays(day: date) -> None:
    assert day not in MG_2026


def test_mg_2026_has_exactly_the_public_holidays() -> None:
    assert len(MG_2026) == 10
    assert all(day.year == 2026 for day in MG_2026)


@pytest.mark.parametrize(
    ("year", "has_20_11"),
    [(2023, False), (2024, True), (2025, True), (2028, True)],
)
def test_consciencia_negra_national_since_2024(year: int, has_20_11: bool) -> None:
    assert (D(year, 11, 20) in holidays_for("XX", [year])) is has_20_11


@pytest.mark.parametrize("years", [[2026], [2025, 2026, 2027], range(2024, 2030)])
def test_recurring_local_holiday_applies_in_every_year(years: list[int]) -> None:
    table = holidays_for("MG", years, [ANIVERSARIO])
    for year in years:
        assert table[D(year, 7, 3)] == "Aniversário da cidade"
    assert sum(1 for name in table.values() if name == "Aniversário da cidade") == len(list(years))


@pytest.mark.parametrize(
    ("holiday", "years", "expected"),
    [
        pytest.param(
            LocalHoliday(D(2026, 8, 14), "Feriado municipal extraordinário", recurring=False),
            [2025, 2026, 2027],
            [D(2026, 8, 14)],
            id="one-off-only-its-year",
        ),
        pytest.param(
            LocalHoliday(D(2024, 8, 14), "Feriado municipal extraordinário", recurring=False),
            [2025, 2026],
            [],
            id="one-off-outside-the-years",
        ),
        pytest.param(
            LocalHoliday(D(2024, 2, 29), "Dia do padroeiro"),
            [2026, 2027, 2028],
            [D(2028, 2, 29)],
            id="recurring-29-02-only-in-leap-years",
        ),
    ],
)
def test_local_holidays(holiday: LocalHoliday, years: list[int], expected: list[date]) -> None:
    table = holidays_for("MG", years, [holiday])
    assert sorted(day for day, name in table.items() if name == holiday.name) == expected


def test_local_holiday_on_a_national_one_keeps_both_names() -> None:
    table = holidays_for("MG", [2026], [LocalHoliday(D(2000, 11, 2), "Dia do padroeiro")])
    assert table[D(2026, 11, 2)] == "Finados; Dia do padroeiro"


@pytest.mark.parametrize("uf", ["XX", "", "  ", "Minas"])
def test_unknown_uf_falls_back_to_national(uf: str) -> None:
    national = holidays_for(uf, [2026])
    # MG's only state holiday falls on the national Tiradentes: same dates, the state name missing.
    assert national.keys() == MG_2026.keys()
    assert national[D(2026, 4, 21)] == "Tiradentes"
    assert D(2026, 7, 2) not in national


@pytest.mark.parametrize(
    ("uf", "day"),
    [
        ("BA", D(2026, 7, 2)),  # Independência da Bahia
        ("SP", D(2026, 7, 9)),  # Revolução Constitucionalista
        ("ba", D(2026, 7, 2)),  # lower case accepted
        (" rs ", D(2026, 9, 20)),  # Revolução Farroupilha
    ],
)
def test_state_holidays_come_from_the_subdivision(uf: str, day: date) -> None:
    assert day in holidays_for(uf, [2026])
    assert day not in holidays_for("XX", [2026])


def test_no_years_no_holidays() -> None:
    assert holidays_for("MG", [], [ANIVERSARIO]) == {}


def test_years_may_be_any_iterable() -> None:
    assert holidays_for("MG", iter([2026, 2026])) == MG_2026


def test_build_calendar() -> None:
    calendar = build_calendar("MG", [2026], [ANIVERSARIO])
    assert isinstance(calendar, BusinessCalendar)
    assert not calendar.is_business_day(D(2026, 4, 3))
    assert not calendar.is_business_day(D(2026, 7, 3))  # a Friday, but the city's anniversary
    assert calendar.is_business_day(D(2026, 2, 17))  # Carnaval
    assert calendar.holiday_name(D(2026, 7, 3)) == "Aniversário da cidade"
    assert calendar.add_business_days(D(2026, 7, 2), 1) == D(2026, 7, 6)


# ---------------------------------------------------------------- the pre-built table (start-up speed)
def _library(uf: str | None, years: list[int]) -> dict[date, str]:
    import holidays as holidays_lib

    table = holidays_lib.country_holidays(
        "BR", subdiv=uf, years=years, language="pt_BR", categories=("public",)
    )
    return dict(sorted(table.items()))


def test_table_equals_the_library_for_every_uf_and_year() -> None:
    """resources/holidays/br.json is generated from the pinned `holidays`; regenerate it after an upgrade
    with scripts/make_holiday_table.py. This test fails when the two disagree."""
    table = holiday_calendar._table()
    years = list(range(table["first_year"], table["last_year"] + 1))
    assert table["national"] and len(table["states"]) == 27
    assert holiday_calendar._from_table(None, years) == _library(None, years)
    for uf in table["states"]:
        assert holiday_calendar._from_table(uf, years) == _library(uf, years), uf


def test_years_outside_the_table_come_from_the_library() -> None:
    table = holiday_calendar._table()
    before, after = table["first_year"] - 1, table["last_year"] + 1
    assert holiday_calendar._from_table("MG", [before]) is None
    assert holidays_for("MG", [before, after]) == _library("MG", [before, after])
    # A range straddling the table's edge is answered by the library as a whole.
    assert holidays_for("MG", [before, table["first_year"]]) == _library("MG", [before, table["first_year"]])


def test_a_missing_table_falls_back_to_the_library(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(holiday_calendar, "resources_dir", lambda: tmp_path)
    holiday_calendar._table.cache_clear()
    try:
        assert holidays_for("MG", [2026]) == MG_2026
        assert holidays_for("XX", [2026]) == holidays_for("", [2026])
    finally:
        holiday_calendar._table.cache_clear()


def test_the_table_path_does_not_import_the_holidays_package() -> None:
    """The point of the table: the Painel's first paint does not pay for importing every country."""
    code = (
        "import sys; from suas_desktop.services.holiday_calendar import holidays_for; "
        "assert holidays_for('MG', [2025, 2026]); print('holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
