"""Business days (dias úteis): Monday to Friday minus the holidays the caller supplies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5

# An immutable default, so the signature can say "no holidays" without a shared mutable dict.
_NO_HOLIDAYS: Mapping[date, str] = MappingProxyType({})


class BusinessCalendar:
    """A working-day calendar.

    Which days are holidays is not decided here: the services layer builds the mapping (national,
    state and municipal holidays, without the optional *ponto facultativo* days such as Carnaval),
    so this class stays pure and testable with any set of dates.
    """

    def __init__(self, holidays: Mapping[date, str] = _NO_HOLIDAYS) -> None:
        # Copied so a caller mutating its dict later cannot change deadlines already computed.
        self._holidays: dict[date, str] = dict(holidays)

    def __repr__(self) -> str:
        return f"BusinessCalendar({len(self._holidays)} feriados)"

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the first one after it."""
        while not self.is_business_day(day):
            day += _ONE_DAY
        return day

    def previous_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the last one before it."""
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def add_business_days(self, day: date, n: int) -> date:
        """Count ``n`` business days from ``day`` (backwards when negative).

        Brazilian counting rule (CPC art. 224; Lei 9.784/1999 art. 66): the start day is excluded
        and the end day included, so counting starts on the day after ``day``. The result is
        always a business day unless ``n == 0``, which returns ``day`` unchanged.
        """
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in ``(start, end]``; negative (the days in ``[end, start)``) when ``end < start``.

        Defined as the inverse of :meth:`add_business_days`: for a business day ``end``,
        ``add_business_days(start, business_days_between(start, end)) == end``.
        """
        if end < start:
            return -sum(1 for day in _days(end, start - _ONE_DAY) if self.is_business_day(day))
        return sum(1 for day in _days(start + _ONE_DAY, end) if self.is_business_day(day))


def _days(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included (empty when ``last < first``)."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
