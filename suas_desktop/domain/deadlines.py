"""Deadline rules of checklist items, their TOML form, and how a rule becomes a due date."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.errors import UserError


class DeadlineError(UserError, ValueError):
    """A deadline rule or event that cannot exist; the message is pt-BR and names the problem.

    Also a ``ValueError`` so generic parsing code can catch it without knowing the project's errors.
    """


class KeyEvent(StrEnum):
    RESULTADO_ELEICAO = "RESULTADO_ELEICAO"
    POSSE = "POSSE"
    FIM_EXERCICIO = "FIM_EXERCICIO"
    INICIO_EXERCICIO = "INICIO_EXERCICIO"
    PUBLICACAO_PORTARIA = "PUBLICACAO_PORTARIA"
    ABERTURA_SISTEMA = "ABERTURA_SISTEMA"
    FIM_VIGENCIA_PLANO = "FIM_VIGENCIA_PLANO"


# The bare names; EVENT_LABELS adds the fixed date where the event has one.
_EVENT_NAMES: dict[KeyEvent, str] = {
    KeyEvent.RESULTADO_ELEICAO: "resultado da eleição",
    KeyEvent.POSSE: "posse",
    KeyEvent.FIM_EXERCICIO: "fim do exercício",
    KeyEvent.INICIO_EXERCICIO: "início do exercício",
    KeyEvent.PUBLICACAO_PORTARIA: "publicação da portaria",
    KeyEvent.ABERTURA_SISTEMA: "abertura do sistema",
    KeyEvent.FIM_VIGENCIA_PLANO: "fim da vigência do plano",
}

EVENT_LABELS: dict[KeyEvent, str] = {
    **_EVENT_NAMES,
    KeyEvent.POSSE: "posse (01/01)",
    KeyEvent.FIM_EXERCICIO: "fim do exercício (31/12)",
    KeyEvent.INICIO_EXERCICIO: "início do exercício (01/01)",
}

# Portuguese contracts "de"/"após" with the article, whose gender depends on the noun.
_FEMININE_EVENTS = frozenset({KeyEvent.POSSE, KeyEvent.PUBLICACAO_PORTARIA, KeyEvent.ABERTURA_SISTEMA})


def _article(event: KeyEvent) -> str:
    return "a" if event in _FEMININE_EVENTS else "o"


class Adjust(StrEnum):
    """What to do when a computed due date falls on a weekend or holiday."""

    NEXT = "next"
    PREVIOUS = "previous"
    NONE = "none"


_WEEKDAYS = (
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "sábado",
    "domingo",
)


def _br(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _day_month(month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}"


def _year_suffix(offset: int) -> str:
    if offset == 0:
        return ""
    if offset == 1:
        return " do ano seguinte"
    if offset == -1:
        return " do ano anterior"
    if offset > 0:
        return f", {offset} anos após o ano de referência"
    return f", {-offset} anos antes do ano de referência"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Provenance:
    """Where a date comes from: the norm that set it, when it was published, what changed it."""

    norm: str = ""
    published: date | None = None
    changed_by: str = ""
    note: str = ""

    def describe(self) -> str:
        head = self.norm
        if self.published is not None:
            published = f"publicada em {_br(self.published)}"
            head = f"{head}, {published}" if head else published
        parts = [head] if head else []
        if self.changed_by:
            parts.append(f"alterado por {self.changed_by}")
        text = "; ".join(parts)
        if self.note:
            text = f"{text} — {self.note}" if text else self.note
        return _capitalize(text)


# ---------------------------------------------------------------- rules


def _to_event(value: Any) -> KeyEvent:
    try:
        return KeyEvent(value)
    except ValueError:
        known = ", ".join(event.value for event in KeyEvent)
        raise DeadlineError(f"Evento-chave desconhecido: “{value}”. Use um destes: {known}.") from None


def _to_adjust(value: Any) -> Adjust | None:
    if value is None:
        return None
    try:
        return Adjust(value)
    except ValueError:
        raise DeadlineError(
            f"Valor inválido para “adjust”: “{value}”. "
            "Use next (adiar), previous (antecipar) ou none (manter a data)."
        ) from None


def _check_month_day(month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise DeadlineError(f"Mês inválido na regra de prazo: {month} (use de 1 a 12).")
    # 2000 is a leap year, so 29/02 is accepted here and moved to 28/02 in other years.
    if not 1 <= day <= monthrange(2000, month)[1]:
        raise DeadlineError(f"Data impossível na regra de prazo: {_day_month(month, day)} não existe.")


def _clamped_date(year: int, month: int, day: int) -> date:
    """The date, or the last day of that month when it is shorter (29/02 outside leap years)."""
    return date(year, month, min(day, monthrange(year, month)[1]))


_ADJUST_TEXT = {
    Adjust.NEXT: "; em dia não útil, adia para o próximo dia útil",
    Adjust.PREVIOUS: "; em dia não útil, antecipa para o dia útil anterior",
    Adjust.NONE: "; vale mesmo em dia não útil",
}


def _with_adjust(text: str, rule: DeadlineRule) -> str:
    # Only an adjustment that differs from the usual one for the kind is worth telling the user.
    if rule.adjust is None or rule.adjust == default_adjust(rule):
        return text
    return text + _ADJUST_TEXT[rule.adjust]


@dataclass(frozen=True)
class FixedDate:
    """A day and month in the reference year (or ``year_offset`` years later)."""

    month: int
    day: int
    year_offset: int = 0
    configurable: bool = False
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        _check_month_day(self.month, self.day)
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        text = f"Data fixa: {_day_month(self.month, self.day)}{_year_suffix(self.year_offset)}"
        if self.configurable:
            text += " (o município pode ajustar)"
        return _with_adjust(text, self)


@dataclass(frozen=True)
class Relative:
    """``days`` (calendar or business days) after a key event; negative = before it."""

    event: KeyEvent
    days: int
    business_days: bool = False
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "event", _to_event(self.event))
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        label = EVENT_LABELS[self.event]
        article = _article(self.event)
        if self.days == 0:
            return _with_adjust(f"Na data d{article} {label}", self)
        count = abs(self.days)
        if self.business_days:
            unit = "dia útil" if count == 1 else "dias úteis"
        else:
            unit = "dia" if count == 1 else "dias"
        where = f"após {article} {label}" if self.days > 0 else f"antes d{article} {label}"
        return _with_adjust(f"{count} {unit} {where}", self)


@dataclass(frozen=True)
class Monthly:
    """Every month, until ``day`` of the month ``months_after`` months later (31 = last day)."""

    day: int
    months_after: int = 1
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise DeadlineError(
                f"Dia do mês inválido na regra mensal: {self.day} (use de 1 a 31; 31 = último dia do mês)."
            )
        if self.months_after < 0:
            raise DeadlineError(
                f"Na regra mensal, “months_after” não pode ser negativo: {self.months_after}."
            )
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        day = "o último dia" if self.day == 31 else f"o dia {self.day}"
        if self.months_after == 0:
            month = "do mesmo mês"
        elif self.months_after == 1:
            month = "do mês seguinte"
        else:
            month = f"do {self.months_after}º mês seguinte"
        return _with_adjust(f"Todo mês, até {day} {month}", self)


@dataclass(frozen=True)
class Window:
    """A period in which a rule applies; the deadline is its last day."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int
    start_year_offset: int = 0
    end_year_offset: int = 0
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        _check_month_day(self.start_month, self.start_day)
        _check_month_day(self.end_month, self.end_day)
        start = (self.start_year_offset, self.start_month, self.start_day)
        end = (self.end_year_offset, self.end_month, self.end_day)
        if end < start:
            raise DeadlineError(
                "Janela de prazo invertida: o início "
                f"({_day_month(self.start_month, self.start_day)}{_year_suffix(self.start_year_offset)}) "
                f"vem depois do fim ({_day_month(self.end_month, self.end_day)}"
                f"{_year_suffix(self.end_year_offset)})."
            )
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        start = _day_month(self.start_month, self.start_day) + _year_suffix(self.start_year_offset)
        end = _day_month(self.end_month, self.end_day) + _year_suffix(self.end_year_offset)
        return _with_adjust(f"Janela de {start} a {end}", self)


def _hint_suffix(hint: str) -> str:
    hint = hint.strip().rstrip(".")
    if not hint:
        return ""
    if hint.startswith("Ex.:"):
        hint = "ex.:" + hint[len("Ex.:") :]
    return f" ({hint})"


@dataclass(frozen=True)
class Entered:
    """A date the user types in (it changes every year or depends on the municipality)."""

    hint: str = ""
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        return _with_adjust("Data informada pelo município" + _hint_suffix(self.hint), self)


@dataclass(frozen=True)
class Continuous:
    """An ongoing duty with no single date, optionally ending at a key event."""

    until: KeyEvent | None = None
    adjust: Adjust | None = None

    def __post_init__(self) -> None:
        if self.until is not None:
            object.__setattr__(self, "until", _to_event(self.until))
        object.__setattr__(self, "adjust", _to_adjust(self.adjust))

    def describe(self) -> str:
        if self.until is None:
            return _with_adjust("Contínuo", self)
        return _with_adjust(f"Contínuo até {_article(self.until)} {EVENT_LABELS[self.until]}", self)


DeadlineRule = FixedDate | Relative | Monthly | Window | Entered | Continuous


def default_adjust(rule: DeadlineRule) -> Adjust:
    """How a date that falls on a non-business day moves when the rule does not say.

    * A fixed date inside the reference year is the municipality's own closing calendar (stop
      commitments 05/12, reconcile accounts 27/12…): the work must be done before the fiscal year
      closes, so it moves to the previous business day. Moving 31/12 forward would leave the year.
    * A window is the period in which a legal restriction applies (LRF art. 42 from 01/05 to 31/12 of
      the last mandate year, Lei 9.504/1997 art. 73 §10 in the whole election year); its end is a
      legal fact, not an act someone must deliver, so it never moves. (Deliberately not NEXT: that
      would show the LRF art. 42 restriction of 2028 ending on 02/01/2029, in the next mandate.)
    * Continuous duties and dates entered by the user are exact as they are.
    * Everything else is a deadline for an act: Lei 9.784/1999 art. 66 §1º moves a deadline that
      ends on a day without business to the next business day. That includes deadlines counted
      backwards from an event ("1 dia antes da posse"), which may then land after the event: a
      rule that must stay before its event says ``adjust = "previous"`` itself (GOV-05).
    """
    if isinstance(rule, FixedDate):
        return Adjust.PREVIOUS if rule.year_offset == 0 else Adjust.NEXT
    if isinstance(rule, Window | Continuous | Entered):
        return Adjust.NONE
    return Adjust.NEXT


# ---------------------------------------------------------------- TOML form

_INT = "um número inteiro"
_BOOL = "true ou false"
_TEXT = "um texto entre aspas"

# kind -> (class, required keys, optional keys); each key -> the expected type as told to the user.
# The keys are the dataclass field names, so parsing is just checking and passing them on.
_KINDS: dict[str, tuple[type, dict[str, str], dict[str, str]]] = {
    "fixed": (FixedDate, {"month": _INT, "day": _INT}, {"year_offset": _INT, "configurable": _BOOL}),
    "relative": (Relative, {"event": _TEXT, "days": _INT}, {"business_days": _BOOL}),
    "monthly": (Monthly, {"day": _INT}, {"months_after": _INT}),
    "window": (
        Window,
        {"start_month": _INT, "start_day": _INT, "end_month": _INT, "end_day": _INT},
        {"start_year_offset": _INT, "end_year_offset": _INT},
    ),
    "entered": (Entered, {}, {"hint": _TEXT}),
    "continuous": (Continuous, {}, {"until": _TEXT}),
}
_KIND_LIST = "fixed, relative, monthly, window, entered ou continuous"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "um número inteiro"
    if isinstance(value, float):
        return "um número com casas decimais"
    if isinstance(value, str):
        return "um texto"
    if isinstance(value, Mapping):
        return "uma tabela"
    if isinstance(value, list | tuple):
        return "uma lista"
    if isinstance(value, date):
        return "uma data"
    return type(value).__name__


def _has_type(value: Any, expected: str) -> bool:
    if expected == _INT:
        # bool is an int subclass in Python, but `day = true` is a mistake, not the day 1.
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == _BOOL:
        return isinstance(value, bool)
    return isinstance(value, str)


def parse_rule(data: Mapping[str, Any]) -> DeadlineRule:
    """Build a rule from its TOML inline table (docs/templates.md §3), checking every key."""
    if not isinstance(data, Mapping):
        raise DeadlineError(
            'A regra de prazo deve ser uma tabela, como { kind = "fixed", month = 12, day = 31 }.'
        )
    if "kind" not in data:
        raise DeadlineError(f"A regra de prazo não tem a chave “kind” ({_KIND_LIST}).")
    kind = data["kind"]
    if not isinstance(kind, str) or kind not in _KINDS:
        raise DeadlineError(f"Tipo de prazo desconhecido: “{kind}”. Use um destes: {_KIND_LIST}.")
    cls, required, optional = _KINDS[kind]
    accepted = {**required, **optional, "adjust": _TEXT}
    for key in data:
        if key != "kind" and key not in accepted:
            allowed = ", ".join(accepted)
            raise DeadlineError(
                f"Regra de prazo “{kind}”: chave desconhecida “{key}”. Chaves aceitas: {allowed}."
            )
    for key in required:
        if key not in data:
            raise DeadlineError(f"Regra de prazo “{kind}”: falta a chave “{key}”.")
    values: dict[str, Any] = {}
    for key, expected in accepted.items():
        if key not in data:
            continue
        value = data[key]
        if not _has_type(value, expected):
            raise DeadlineError(
                f"Regra de prazo “{kind}”: a chave “{key}” deve ser {expected}, "
                f"mas veio {_type_name(value)} ({value!r})."
            )
        values[key] = value
    # Range checks (impossible dates, unknown events…) live in the classes, so rules built in
    # code are held to the same standard as rules read from a file.
    rule: DeadlineRule = cls(**values)
    return rule


def rule_to_dict(rule: DeadlineRule) -> dict[str, Any]:
    """The canonical TOML/JSON form: required keys always, optional keys only when not the default.

    ``parse_rule(rule_to_dict(rule)) == rule`` for every rule, and ``rule_to_dict(parse_rule(d)) == d``
    for every table written in that canonical form (all the shipped templates are).
    """
    data: dict[str, Any]
    if isinstance(rule, FixedDate):
        data = {"kind": "fixed", "month": rule.month, "day": rule.day}
        if rule.year_offset:
            data["year_offset"] = rule.year_offset
        if rule.configurable:
            data["configurable"] = True
    elif isinstance(rule, Relative):
        data = {"kind": "relative", "event": rule.event.value, "days": rule.days}
        if rule.business_days:
            data["business_days"] = True
    elif isinstance(rule, Monthly):
        data = {"kind": "monthly", "day": rule.day, "months_after": rule.months_after}
    elif isinstance(rule, Window):
        data = {
            "kind": "window",
            "start_month": rule.start_month,
            "start_day": rule.start_day,
            "end_month": rule.end_month,
            "end_day": rule.end_day,
        }
        if rule.start_year_offset:
            data["start_year_offset"] = rule.start_year_offset
        if rule.end_year_offset:
            data["end_year_offset"] = rule.end_year_offset
    elif isinstance(rule, Entered):
        data = {"kind": "entered", "hint": rule.hint}
    elif isinstance(rule, Continuous):
        data = {"kind": "continuous"}
        if rule.until is not None:
            data["until"] = rule.until.value
    else:
        raise TypeError(f"not a deadline rule: {rule!r}")
    if rule.adjust is not None:
        data["adjust"] = rule.adjust.value
    return data


# ---------------------------------------------------------------- key events


@dataclass(frozen=True)
class EventDate:
    event: KeyEvent
    date: date
    provenance: Provenance


def is_municipal_election_year(year: int) -> bool:
    # Lei 9.504/1997 fixed the calendar of general elections; municipal ones fall every four years
    # from 2000 on (2000, 2004, … 2024, 2028).
    return year >= 2000 and year % 4 == 0


def municipal_election_first_round(year: int) -> date:
    """First Sunday of October of a municipal election year (CF/88 art. 29, II; Lei 9.504/1997 art. 1º)."""
    if not is_municipal_election_year(year):
        raise DeadlineError(
            f"{year} não é ano de eleição municipal (as eleições municipais são de 4 em 4 anos: 2024, 2028…)."
        )
    first = date(year, 10, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7)


_EXERCISE = Provenance(
    norm="Lei nº 4.320/1964, art. 34", note="o exercício financeiro coincide com o ano civil"
)


def default_events(kind: str, reference_year: int) -> dict[KeyEvent, EventDate]:
    """The key events whose dates follow from the law alone, for a cycle of ``kind``.

    The reference year of a transition is the last year of the outgoing mandate (the election year).
    """
    if kind not in ("closing", "transition"):
        raise DeadlineError(f"Tipo de ciclo desconhecido: “{kind}” (use closing ou transition).")
    events = {
        KeyEvent.INICIO_EXERCICIO: EventDate(
            KeyEvent.INICIO_EXERCICIO, date(reference_year, 1, 1), _EXERCISE
        ),
        KeyEvent.FIM_EXERCICIO: EventDate(KeyEvent.FIM_EXERCICIO, date(reference_year, 12, 31), _EXERCISE),
    }
    if kind == "transition":
        events[KeyEvent.POSSE] = EventDate(
            KeyEvent.POSSE,
            date(reference_year + 1, 1, 1),
            Provenance(
                norm="CF/88, art. 29, III", note="posse em 1º de janeiro do ano seguinte ao da eleição"
            ),
        )
        if is_municipal_election_year(reference_year):
            # Only the first-round date is known in advance; the official result may come later
            # (second round, recount), so the user is asked to confirm it.
            events[KeyEvent.RESULTADO_ELEICAO] = EventDate(
                KeyEvent.RESULTADO_ELEICAO,
                municipal_election_first_round(reference_year),
                Provenance(
                    norm="CF/88, art. 29, II; Lei nº 9.504/1997, art. 1º",
                    note="data do 1º turno (primeiro domingo de outubro); confirme a data em que a "
                    "Justiça Eleitoral proclamou o resultado",
                ),
            )
    return events


# ---------------------------------------------------------------- due dates


@dataclass(frozen=True)
class DueOverride:
    """An exact date for one item and year, set by a norm (resources/deadlines) or by a user with a reason."""

    date: date
    provenance: Provenance


@dataclass(frozen=True)
class DeadlineContext:
    reference_year: int
    events: Mapping[KeyEvent, EventDate]
    calendar: BusinessCalendar
    today: date


def _non_business_reason(day: date) -> str:
    return _WEEKDAYS[day.weekday()] if day.weekday() >= 5 else "feriado"


@dataclass(frozen=True)
class DueDate:
    date: date | None  # None = cannot be computed yet (see waiting_for / needs_entry)
    rule_text: str
    provenance: str
    adjusted_from: date | None = None
    waiting_for: KeyEvent | None = None
    window_start: date | None = None
    overridden: bool = False
    # True for an `entered` rule without an override: only the user can supply the date, and
    # `provenance` holds the rule's hint telling where to find it.
    needs_entry: bool = False

    def describe(self) -> str:
        if self.date is not None:
            text = _br(self.date)
            if self.adjusted_from is not None:
                verb = "adiado" if self.date > self.adjusted_from else "antecipado"
                reason = _non_business_reason(self.adjusted_from)
                text += f" ({verb} de {_br(self.adjusted_from)}, {reason})"
            return text
        if self.waiting_for is not None:
            event = self.waiting_for
            return f"Aguardando a data d{_article(event)} {_EVENT_NAMES[event]}"
        if self.needs_entry:
            hint = self.provenance.strip()
            # Most hints already read as an instruction ("Informe o prazo…"); don't say it twice.
            return hint if hint.startswith("Informe") else "Informe a data" + _hint_suffix(hint)
        return self.rule_text


_RULE_PROVENANCE = "Regra do modelo de checklist"


def _event_provenance(event: EventDate) -> str:
    text = f"{_capitalize(_EVENT_NAMES[event.event])} em {_br(event.date)}"
    origin = event.provenance.describe()
    return f"{text} ({origin})" if origin else text


def _apply_adjust(raw: date, adjust: Adjust, calendar: BusinessCalendar) -> date:
    if adjust is Adjust.NEXT:
        return calendar.next_business_day(raw)
    if adjust is Adjust.PREVIOUS:
        return calendar.previous_business_day(raw)
    return raw


def compute_due(rule: DeadlineRule, ctx: DeadlineContext, override: DueOverride | None = None) -> DueDate:
    """The due date of ``rule`` in the cycle ``ctx``, moved off weekends and holidays as the rule says."""
    rule_text = rule.describe()
    window_start: date | None = None
    if isinstance(rule, Window):
        window_start = _clamped_date(
            ctx.reference_year + rule.start_year_offset, rule.start_month, rule.start_day
        )
    if override is not None:
        # An override is an exact date written in a norm or chosen by a person: never moved.
        return DueDate(
            override.date,
            rule_text,
            override.provenance.describe() or "Data ajustada manualmente",
            window_start=window_start,
            overridden=True,
        )

    provenance = _RULE_PROVENANCE
    raw: date
    if isinstance(rule, FixedDate):
        raw = _clamped_date(ctx.reference_year + rule.year_offset, rule.month, rule.day)
    elif isinstance(rule, Relative):
        event = ctx.events.get(rule.event)
        if event is None:
            return DueDate(None, rule_text, "", waiting_for=rule.event)
        if rule.business_days:
            raw = ctx.calendar.add_business_days(event.date, rule.days)
        else:
            raw = event.date + timedelta(days=rule.days)
        provenance = _event_provenance(event)
    elif isinstance(rule, Monthly):
        index = ctx.today.year * 12 + ctx.today.month - 1 + rule.months_after
        year, month = divmod(index, 12)
        raw = _clamped_date(year, month + 1, rule.day)
    elif isinstance(rule, Window):
        raw = _clamped_date(ctx.reference_year + rule.end_year_offset, rule.end_month, rule.end_day)
    elif isinstance(rule, Entered):
        return DueDate(None, rule_text, rule.hint, needs_entry=True)
    else:
        if rule.until is None:
            return DueDate(None, rule_text, "")
        event = ctx.events.get(rule.until)
        if event is None:
            return DueDate(None, rule_text, "", waiting_for=rule.until)
        raw = event.date
        provenance = _event_provenance(event)

    due = _apply_adjust(raw, rule.adjust or default_adjust(rule), ctx.calendar)
    return DueDate(
        due,
        rule_text,
        provenance,
        adjusted_from=raw if due != raw else None,
        window_start=window_start,
    )


def days_until(due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due``: 0 on the day, negative when overdue."""
    return (due - today).days
