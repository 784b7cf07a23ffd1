"""Business days: weekends, holidays (not pontos facultativos), Brazilian counting of N business days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.services.holiday_calendar import build_calendar

# The real calendar of a municipality in MG, as the app builds it (national + state holidays).
CAL = build_calendar("MG", range(2022, 2036))
D = date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 3, 6), True, id="friday"),
        pytest.param(D(2026, 3, 7), False, id="saturday"),
        pytest.param(D(2026, 3, 8), False, id="sunday"),
        # Carnaval and Quarta-feira de Cinzas are pontos facultativos, not holidays: deadlines still run.
        pytest.param(D(2026, 2, 16), True, id="carnaval-monday-2026"),
        pytest.param(D(2026, 2, 17), True, id="carnaval-tuesday-2026"),
        pytest.param(D(2026, 2, 18), True, id="quarta-de-cinzas-2026"),
        pytest.param(D(2025, 3, 4), True, id="carnaval-tuesday-2025"),
        pytest.param(D(2026, 6, 4), True, id="corpus-christi-ponto-facultativo"),
        pytest.param(D(2026, 12, 24), True, id="christmas-eve-ponto-facultativo"),
        pytest.param(D(2026, 12, 31), True, id="new-years-eve-ponto-facultativo"),
        pytest.param(D(2026, 4, 3), False, id="sexta-feira-santa-2026"),
        pytest.param(D(2025, 4, 18), False, id="sexta-feira-santa-2025"),
        pytest.param(D(2026, 4, 21), False, id="tiradentes"),
        pytest.param(D(2026, 11, 20), False, id="consciencia-negra-2026"),
        pytest.param(D(2024, 11, 20), False, id="consciencia-negra-2024-first-national"),
        # Lei 14.759 is of 21/12/2023: 20/11/2023 was still a working day in MG.
        pytest.param(D(2023, 11, 20), True, id="consciencia-negra-2023-not-yet"),
        pytest.param(D(2026, 12, 25), False, id="natal"),
        pytest.param(D(2027, 1, 1), False, id="confraternizacao-universal"),
        pytest.param(D(2026, 11, 2), False, id="finados"),
    ],
)
def test_is_business_day(day: date, expected: bool) -> None:
    assert CAL.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 4, 3), "Sexta-feira Santa"),
        (D(2026, 12, 25), "Natal"),
        (D(2026, 11, 20), "Dia Nacional de Zumbi e da Consciência Negra"),
        (D(2026, 2, 16), None),  # Carnaval
        (D(2026, 3, 7), None),  # a Saturday is not a holiday
    ],
)
def test_holiday_name(day: date, name: str | None) -> None:
    assert CAL.holiday_name(day) == name


@pytest.mark.parametrize(
    ("day", "next_day", "previous_day"),
    [
        pytest.param(D(2026, 3, 6), D(2026, 3, 6), D(2026, 3, 6), id="business-day-is-itself"),
        pytest.param(D(2026, 3, 7), D(2026, 3, 9), D(2026, 3, 6), id="saturday"),
        pytest.param(D(2026, 4, 4), D(2026, 4, 6), D(2026, 4, 2), id="easter-saturday-skips-good-friday"),
        pytest.param(D(2026, 12, 25), D(2026, 12, 28), D(2026, 12, 24), id="natal-friday"),
        pytest.param(D(2022, 12, 31), D(2023, 1, 2), D(2022, 12, 30), id="saturday-31-12-2022"),
        pytest.param(D(2028, 12, 31), D(2029, 1, 2), D(2028, 12, 29), id="sunday-31-12-2028"),
    ],
)
def test_next_and_previous_business_day(day: date, next_day: date, previous_day: date) -> None:
    assert CAL.next_business_day(day) == next_day
    assert CAL.previous_business_day(day) == previous_day


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(D(2026, 3, 4), 0, D(2026, 3, 4), id="zero"),
        pytest.param(D(2026, 3, 7), 0, D(2026, 3, 7), id="zero-on-saturday-returns-the-day"),
        pytest.param(D(2026, 3, 4), 1, D(2026, 3, 5), id="start-day-excluded"),
        pytest.param(D(2026, 3, 6), 1, D(2026, 3, 9), id="across-weekend"),
        pytest.param(D(2026, 3, 6), 5, D(2026, 3, 13), id="a-working-week"),
        pytest.param(D(2026, 3, 7), 1, D(2026, 3, 9), id="start-on-saturday"),
        pytest.param(D(2026, 4, 1), 2, D(2026, 4, 6), id="across-good-friday"),
        pytest.param(D(2026, 4, 17), 2, D(2026, 4, 22), id="across-tiradentes"),
        pytest.param(D(2026, 2, 13), 1, D(2026, 2, 16), id="carnaval-monday-counts"),
        pytest.param(D(2025, 12, 30), 2, D(2026, 1, 2), id="across-year-end-2025"),
        pytest.param(D(2026, 12, 30), 3, D(2027, 1, 5), id="across-year-end-and-weekend-2026"),
        pytest.param(D(2028, 12, 29), 1, D(2029, 1, 2), id="friday-29-12-2028-to-2029"),
        pytest.param(D(2026, 4, 6), -1, D(2026, 4, 2), id="negative-across-good-friday"),
        pytest.param(D(2026, 3, 9), -1, D(2026, 3, 6), id="negative-across-weekend"),
        pytest.param(D(2026, 1, 2), -1, D(2025, 12, 31), id="negative-across-new-year"),
        pytest.param(D(2026, 1, 5), -2, D(2025, 12, 31), id="negative-across-weekend-and-new-year"),
        pytest.param(D(2026, 12, 1), -30, D(2026, 10, 16), id="negative-thirty"),
    ],
)
def test_add_business_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 3, 4), D(2026, 3, 4), 0),
        (D(2026, 4, 1), D(2026, 4, 6), 2),
        (D(2026, 4, 6), D(2026, 4, 1), -2),
        (D(2025, 12, 30), D(2026, 1, 2), 2),
        (D(2026, 3, 6), D(2026, 3, 8), 0),  # only a weekend in between
        (D(2026, 1, 1), D(2026, 12, 31), 252),  # 2026 in MG: 261 weekdays, 9 of them holidays
    ],
)
def test_business_days_between(start: date, end: date, expected: int) -> None:
    assert CAL.business_days_between(start, end) == expected


_dates = st.dates(min_value=D(2022, 1, 1), max_value=D(2034, 12, 31))


@given(start=_dates, n=st.integers(min_value=-80, max_value=80))
def test_between_inverts_add(start: date, n: int) -> None:
    assert CAL.business_days_between(start, CAL.add_business_days(start, n)) == n


@given(start=_dates, end=_dates)
def test_add_inverts_between_on_business_days(start: date, end: date) -> None:
    end = CAL.next_business_day(end)
    assert CAL.add_business_days(start, CAL.business_days_between(start, end)) == end


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 7, 3), False), (D(2026, 7, 2), True), (D(2026, 7, 4), False), (D(2026, 4, 3), True)],
)
def test_custom_holidays_only_what_is_given(day: date, expected: bool) -> None:
    calendar = BusinessCalendar({D(2026, 7, 3): "Aniversário da cidade"})
    assert calendar.is_business_day(day) is expected


def test_default_calendar_has_weekends_only() -> None:
    calendar = BusinessCalendar()
    assert calendar.is_business_day(D(2026, 12, 25))
    assert not calendar.is_business_day(D(2026, 12, 26))
    assert calendar.holiday_name(D(2026, 12, 25)) is None


def test_calendar_keeps_its_own_copy_of_the_holidays() -> None:
    source = {D(2026, 7, 3): "Aniversário da cidade"}
    calendar = BusinessCalendar(source)
    source[D(2026, 7, 6)] = "Outro"
    del source[D(2026, 7, 3)]
    assert calendar.holiday_name(D(2026, 7, 3)) == "Aniversário da cidade"
    assert calendar.is_business_day(D(2026, 7, 6))
