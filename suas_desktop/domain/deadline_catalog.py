"""Key-event dates and yearly deadline overrides read from resources/deadlines/*.toml.

FNAS and SEDESE move dates every year by portaria; each date here carries the norm that set it,
its publication date and the norm that changed it, so users see *why* a deadline is what it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from suas_desktop.domain.deadlines import DueOverride, EventDate, KeyEvent, Provenance
from suas_desktop.domain.template import TemplateError


@dataclass(frozen=True)
class YearEvent:
    year: int
    event: EventDate


@dataclass(frozen=True)
class YearOverride:
    item: str
    reference_year: int
    override: DueOverride


@dataclass(frozen=True)
class DeadlineFile:
    id: str
    version: str
    description: str
    events: tuple[YearEvent, ...]
    overrides: tuple[YearOverride, ...]


@dataclass(frozen=True)
class DeadlineCatalog:
    """All deadline files merged: the lookups a new cycle needs."""

    files: tuple[DeadlineFile, ...]

    def overrides_for(self, reference_year: int) -> dict[str, DueOverride]:
        return {
            o.item: o.override for f in self.files for o in f.overrides if o.reference_year == reference_year
        }

    def events_for(self, year: int) -> dict[KeyEvent, EventDate]:
        return {e.event.event: e.event for f in self.files for e in f.events if e.year == year}

    @property
    def version(self) -> str:
        return "+".join(f"{f.id}-{f.version}" for f in self.files)


_META = {"id", "version", "description"}
_EVENT = {"event", "year", "date", "norm", "published", "changed_by", "note"}
_OVERRIDE = {"item", "reference_year", "date", "norm", "published", "changed_by", "note"}


def parse_deadline_file(
    data: Mapping[str, Any], *, origin: str, known_items: Iterable[str] = ()
) -> DeadlineFile:
    def fail(where: str, text: str) -> TemplateError:
        return TemplateError(f"Prazos {origin}: {where}: {text}")

    unknown = set(data) - {"meta", "events", "overrides"}
    if unknown:
        raise fail("arquivo", f"bloco desconhecido {sorted(unknown)[0]!r}.")
    meta = data.get("meta")
    if not isinstance(meta, Mapping) or not {"id", "version"} <= set(meta):
        raise fail("[meta]", "faltam 'id' e 'version'.")
    if set(meta) - _META:
        raise fail("[meta]", f"campo desconhecido {sorted(set(meta) - _META)[0]!r}.")
    items = set(known_items)

    events = []
    for index, raw in enumerate(data.get("events", ()), start=1):
        where = f"evento nº {index}"
        _keys(raw, _EVENT, {"event", "year", "date", "norm"}, where, fail)
        try:
            event = KeyEvent(raw["event"])
        except ValueError:
            raise fail(where, f"evento {raw['event']!r} desconhecido.") from None
        events.append(
            YearEvent(
                _year(raw["year"], where, fail),
                EventDate(event, _date(raw["date"], where, fail), _provenance(raw, where, fail)),
            )
        )
    overrides = []
    for index, raw in enumerate(data.get("overrides", ()), start=1):
        where = f"ajuste nº {index}"
        _keys(raw, _OVERRIDE, {"item", "reference_year", "date", "norm"}, where, fail)
        if items and raw["item"] not in items:
            raise fail(where, f"o item {raw['item']!r} não existe em nenhum modelo.")
        overrides.append(
            YearOverride(
                raw["item"],
                _year(raw["reference_year"], where, fail),
                DueOverride(_date(raw["date"], where, fail), _provenance(raw, where, fail)),
            )
        )
    return DeadlineFile(
        str(meta["id"]),
        str(meta["version"]),
        str(meta.get("description", "")),
        tuple(events),
        tuple(overrides),
    )


def _keys(raw: Any, allowed: set[str], required: set[str], where: str, fail) -> None:
    if not isinstance(raw, Mapping):
        raise fail(where, "formato inválido.")
    if set(raw) - allowed:
        raise fail(where, f"campo desconhecido {sorted(set(raw) - allowed)[0]!r}.")
    if required - set(raw):
        raise fail(where, f"falta o campo {sorted(required - set(raw))[0]!r}.")


def _year(value: Any, where: str, fail) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
        raise fail(where, f"ano inválido: {value!r}.")
    return value


def _date(value: Any, where: str, fail) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise fail(where, f"data inválida {value!r} (use AAAA-MM-DD).") from None


def _provenance(raw: Mapping[str, Any], where: str, fail) -> Provenance:
    published = _date(raw["published"], where, fail) if raw.get("published") else None
    return Provenance(
        norm=str(raw.get("norm", "")),
        published=published,
        changed_by=str(raw.get("changed_by", "")),
        note=str(raw.get("note", "")),
    )
