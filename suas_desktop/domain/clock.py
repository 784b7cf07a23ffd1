"""Time as UTC ISO-8601 strings, behind a clock that tests can freeze."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and for replaying history: always answers the time it was given."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


def iso_utc(moment: datetime) -> str:
    """``2026-11-25T21:03:04.123456Z``: sortable as text, always UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def today_local(clock: Clock) -> date:
    """The calendar day the user sees (the machine's local time zone)."""
    return clock.now().astimezone().date()
