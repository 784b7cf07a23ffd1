"""Deadline rules: TOML form, descriptions, due dates around year end, transitions and yearly overrides."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.domain.deadlines import (
    EVENT_LABELS,
    Adjust,
    Continuous,
    DeadlineContext,
    DeadlineError,
    DeadlineRule,
    DueDate,
    DueOverride,
    Entered,
    EventDate,
    FixedDate,
    KeyEvent,
    Monthly,
    Provenance,
    Relative,
    Window,
    compute_due,
    days_until,
    default_adjust,
    default_events,
    is_municipal_election_year,
    municipal_election_first_round,
    parse_rule,
    rule_to_dict,
)
from suas_desktop.errors import UserError
from suas_desktop.services.holiday_calendar import build_calendar

D = date
RESOURCES = Path(__file__).resolve().parents[3] / "resources"
CAL = build_calendar("MG", range(2020, 2037))
E = KeyEvent


def ctx(kind: str, year: int, today: date | None = None, **extra: date) -> DeadlineContext:
    events = default_events(kind, year)
    for name, day in extra.items():
        events[E(name)] = EventDate(E(name), day, Provenance(note="informada pelo usuário"))
    return DeadlineContext(year, events, CAL, today or D(year, 11, 15))


def closing(year: int, today: date | None = None, **extra: date) -> DeadlineContext:
    return ctx("closing", year, today, **extra)


def transition(year: int, today: date | None = None, **extra: date) -> DeadlineContext:
    return ctx("transition", year, today, **extra)


def _template_items() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((RESOURCES / "templates").rglob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for item in data.get("items", []):
            found.append((f"{path.stem}:{item['id']}", item))
    return found


TEMPLATE_ITEMS = _template_items()


def _template_rule(template: str, item_id: str) -> DeadlineRule:
    for name, item in TEMPLATE_ITEMS:
        if name == f"{template}:{item_id}":
            return parse_rule(item["deadline"])
    raise LookupError(item_id)


# ---------------------------------------------------------------- describe


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (FixedDate(12, 5), "Data fixa: 05/12"),
        (FixedDate(2, 28, year_offset=1), "Data fixa: 28/02 do ano seguinte"),
        (FixedDate(6, 30, year_offset=-1), "Data fixa: 30/06 do ano anterior"),
        (FixedDate(12, 5, configurable=True), "Data fixa: 05/12 (o município pode ajustar)"),
        (FixedDate(12, 31, adjust=Adjust.PREVIOUS), "Data fixa: 31/12"),  # the default: not repeated
        (
            FixedDate(12, 31, adjust=Adjust.NEXT),
            "Data fixa: 31/12; em dia não útil, adia para o próximo dia útil",
        ),
        (Relative(E.RESULTADO_ELEICAO, 10), "10 dias após o resultado da eleição"),
        (Relative(E.POSSE, -30), "30 dias antes da posse (01/01)"),
        (
            Relative(E.PUBLICACAO_PORTARIA, 15, business_days=True),
            "15 dias úteis após a publicação da portaria",
        ),
        (Relative(E.FIM_EXERCICIO, 1, business_days=True), "1 dia útil após o fim do exercício (31/12)"),
        (Relative(E.INICIO_EXERCICIO, -1), "1 dia antes do início do exercício (01/01)"),
        (Relative(E.POSSE, 0), "Na data da posse (01/01)"),
        (
            Relative(E.POSSE, -1, adjust=Adjust.PREVIOUS),
            "1 dia antes da posse (01/01); em dia não útil, antecipa para o dia útil anterior",
        ),
        (Relative(E.FIM_VIGENCIA_PLANO, 90), "90 dias após o fim da vigência do plano"),
        (Relative(E.ABERTURA_SISTEMA, 60), "60 dias após a abertura do sistema"),
        (Monthly(10), "Todo mês, até o dia 10 do mês seguinte"),
        (Monthly(31), "Todo mês, até o último dia do mês seguinte"),
        (Monthly(20, months_after=0), "Todo mês, até o dia 20 do mesmo mês"),
        (Monthly(15, months_after=2), "Todo mês, até o dia 15 do 2º mês seguinte"),
        (Window(5, 1, 12, 31), "Janela de 01/05 a 31/12"),
        (Window(12, 1, 1, 31, end_year_offset=1), "Janela de 01/12 a 31/01 do ano seguinte"),
        (Entered(), "Data informada pelo município"),
        (
            Entered("Ex.: 01/03/2026 para os exercícios 2024 e 2025."),
            "Data informada pelo município (ex.: 01/03/2026 para os exercícios 2024 e 2025)",
        ),
        (Continuous(), "Contínuo"),
        (Continuous(E.POSSE), "Contínuo até a posse (01/01)"),
        (Continuous(E.FIM_EXERCICIO), "Contínuo até o fim do exercício (31/12)"),
        (Continuous(adjust=Adjust.NONE), "Contínuo"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_rule_describe(rule: DeadlineRule, text: str) -> None:
    assert rule.describe() == text


def test_every_event_has_a_label() -> None:
    assert set(EVENT_LABELS) == set(KeyEvent)
    assert all(event.value == event.name for event in KeyEvent)
    assert EVENT_LABELS[E.POSSE] == "posse (01/01)"


@pytest.mark.parametrize(
    ("provenance", "text"),
    [
        (Provenance(), ""),
        (Provenance(norm="Lei nº 4.320/1964, art. 34"), "Lei nº 4.320/1964, art. 34"),
        (
            Provenance("Portaria SNAS/MDS nº 132/2025", D(2025, 12, 4)),
            "Portaria SNAS/MDS nº 132/2025, publicada em 04/12/2025",
        ),
        (
            Provenance("Portaria nº 146/2024", D(2024, 9, 30), changed_by="Portaria nº 200/2024"),
            "Portaria nº 146/2024, publicada em 30/09/2024; alterado por Portaria nº 200/2024",
        ),
        (
            Provenance("CF/88, art. 29, III", note="posse em 1º de janeiro"),
            "CF/88, art. 29, III — posse em 1º de janeiro",
        ),
        (Provenance(note="definido pela secretaria em reunião"), "Definido pela secretaria em reunião"),
        (Provenance(published=D(2025, 12, 4)), "Publicada em 04/12/2025"),
    ],
)
def test_provenance_describe(provenance: Provenance, text: str) -> None:
    assert provenance.describe() == text


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (DueDate(D(2026, 12, 20), "r", "p"), "20/12/2026"),
        (
            DueDate(D(2026, 12, 21), "r", "p", adjusted_from=D(2026, 12, 19)),
            "21/12/2026 (adiado de 19/12/2026, sábado)",
        ),
        (
            DueDate(D(2022, 12, 30), "r", "p", adjusted_from=D(2022, 12, 31)),
            "30/12/2022 (antecipado de 31/12/2022, sábado)",
        ),
        (
            DueDate(D(2026, 12, 24), "r", "p", adjusted_from=D(2026, 12, 25)),
            "24/12/2026 (antecipado de 25/12/2026, feriado)",
        ),
        (
            DueDate(None, "r", "", waiting_for=E.PUBLICACAO_PORTARIA),
            "Aguardando a data da publicação da portaria",
        ),
        (
            DueDate(None, "r", "", waiting_for=E.RESULTADO_ELEICAO),
            "Aguardando a data do resultado da eleição",
        ),
        (DueDate(None, "r", "", waiting_for=E.POSSE), "Aguardando a data da posse"),
        (DueDate(None, "r", "", needs_entry=True), "Informe a data"),
        (
            DueDate(None, "r", "Ex.: 30/04/2026 para o exercício 2025", needs_entry=True),
            "Informe a data (ex.: 30/04/2026 para o exercício 2025)",
        ),
        (
            DueDate(None, "r", "Informe o prazo dado na notificação do FNAS.", needs_entry=True),
            "Informe o prazo dado na notificação do FNAS.",
        ),
        (DueDate(None, "Contínuo", ""), "Contínuo"),
    ],
)
def test_due_date_describe(due: DueDate, text: str) -> None:
    assert due.describe() == text


# ---------------------------------------------------------------- default adjust


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (FixedDate(12, 31), Adjust.PREVIOUS),
        (FixedDate(12, 31, adjust=Adjust.NEXT), Adjust.PREVIOUS),  # the default ignores the override
        (FixedDate(2, 28, year_offset=1), Adjust.NEXT),
        (FixedDate(6, 30, year_offset=-1), Adjust.NEXT),
        (Relative(E.POSSE, 30), Adjust.NEXT),
        (Relative(E.POSSE, -1), Adjust.NEXT),
        (Monthly(31), Adjust.NEXT),
        (Window(5, 1, 12, 31), Adjust.NONE),
        (Entered("x"), Adjust.NONE),
        (Continuous(E.POSSE), Adjust.NONE),
    ],
)
def test_default_adjust(rule: DeadlineRule, expected: Adjust) -> None:
    assert default_adjust(rule) is expected


# ---------------------------------------------------------------- each kind


@pytest.mark.parametrize(
    ("rule", "context", "expected", "adjusted_from"),
    [
        pytest.param(FixedDate(12, 5), closing(2025), D(2025, 12, 5), None, id="fixed-friday"),
        pytest.param(FixedDate(12, 5), closing(2026), D(2026, 12, 4), D(2026, 12, 5), id="fixed-saturday"),
        pytest.param(FixedDate(11, 30), closing(2025), D(2025, 11, 28), D(2025, 11, 30), id="fixed-sunday"),
        pytest.param(
            FixedDate(2, 28, year_offset=1),
            closing(2026),
            D(2027, 3, 1),
            D(2027, 2, 28),
            id="fixed-next-year",
        ),
        pytest.param(
            FixedDate(2, 29, adjust=Adjust.NONE),
            closing(2026),
            D(2026, 2, 28),
            None,
            id="fixed-29-02-clamped",
        ),
        pytest.param(
            FixedDate(2, 29, adjust=Adjust.NONE), closing(2028), D(2028, 2, 29), None, id="fixed-leap"
        ),
        pytest.param(
            Relative(E.FIM_EXERCICIO, 15), closing(2024), D(2025, 1, 15), None, id="rel-end-plus-15"
        ),
        pytest.param(
            Relative(E.FIM_EXERCICIO, 10),
            closing(2025),
            D(2026, 1, 12),
            D(2026, 1, 10),
            id="rel-end-saturday",
        ),
        pytest.param(
            Relative(E.FIM_EXERCICIO, 90), closing(2024), D(2025, 3, 31), None, id="rel-end-plus-90"
        ),
        pytest.param(
            Relative(E.FIM_EXERCICIO, 5, business_days=True),
            closing(2025),
            D(2026, 1, 8),
            None,
            id="rel-business-days-across-new-year",
        ),
        pytest.param(
            Relative(E.INICIO_EXERCICIO, -1), closing(2026), D(2025, 12, 31), None, id="rel-before-new-year"
        ),
        pytest.param(
            Relative(E.INICIO_EXERCICIO, -2, business_days=True),
            closing(2026),
            D(2025, 12, 30),
            None,
            id="rel-negative-business-days",
        ),
        pytest.param(
            Relative(E.PUBLICACAO_PORTARIA, 60),
            closing(2025, PUBLICACAO_PORTARIA=D(2025, 10, 1)),
            D(2025, 12, 1),
            D(2025, 11, 30),
            id="rel-entered-event",
        ),
        pytest.param(
            Relative(E.ABERTURA_SISTEMA, 90),
            closing(2022, ABERTURA_SISTEMA=D(2024, 12, 17)),
            D(2025, 3, 17),
            D(2025, 3, 17),
            id="rel-piso-mineiro-2022",
        ),
        pytest.param(Monthly(10), closing(2026, D(2026, 11, 20)), D(2026, 12, 10), None, id="monthly-day-10"),
        pytest.param(
            Monthly(31),
            closing(2026, D(2026, 1, 15)),
            D(2026, 3, 2),
            D(2026, 2, 28),
            id="monthly-end-of-february",
        ),
        pytest.param(
            Monthly(30), closing(2028, D(2028, 1, 5)), D(2028, 2, 29), None, id="monthly-leap-february"
        ),
        pytest.param(
            Monthly(31),
            closing(2026, D(2026, 12, 3)),
            D(2027, 2, 1),
            D(2027, 1, 31),
            id="monthly-into-next-year",
        ),
        pytest.param(
            Monthly(15, months_after=0),
            closing(2026, D(2026, 4, 2)),
            D(2026, 4, 15),
            None,
            id="monthly-same-month",
        ),
        pytest.param(
            Monthly(5, months_after=14), closing(2026, D(2026, 11, 2)), D(2028, 1, 5), None, id="monthly-far"
        ),
        pytest.param(Window(5, 1, 12, 31), transition(2024), D(2024, 12, 31), None, id="window"),
        pytest.param(
            Window(5, 1, 12, 31), transition(2028), D(2028, 12, 31), None, id="window-end-on-sunday-stays"
        ),
        pytest.param(
            Window(12, 1, 1, 31, end_year_offset=1),
            closing(2026),
            D(2027, 1, 31),
            None,
            id="window-across-year",
        ),
        pytest.param(Continuous(E.POSSE), transition(2024), D(2025, 1, 1), None, id="continuous-until-posse"),
    ],
)
def test_compute_due_each_kind(
    rule: DeadlineRule, context: DeadlineContext, expected: date, adjusted_from: date | None
) -> None:
    due = compute_due(rule, context)
    assert due.date == expected
    assert due.adjusted_from == (adjusted_from if adjusted_from != expected else None)
    assert due.rule_text == rule.describe()
    assert not due.overridden
    assert due.waiting_for is None


def test_window_start_is_reported() -> None:
    due = compute_due(Window(12, 1, 1, 31, end_year_offset=1), closing(2026))
    assert (due.window_start, due.date) == (D(2026, 12, 1), D(2027, 1, 31))
    assert compute_due(FixedDate(12, 5), closing(2026)).window_start is None


def test_relative_provenance_names_the_event_and_its_norm() -> None:
    due = compute_due(Relative(E.FIM_EXERCICIO, 15), closing(2025))
    assert due.provenance == (
        "Fim do exercício em 31/12/2025 (Lei nº 4.320/1964, art. 34 — o exercício financeiro coincide com o ano civil)"
    )
    assert compute_due(FixedDate(12, 5), closing(2025)).provenance == "Regra do modelo de checklist"


@pytest.mark.parametrize(
    ("rule", "context", "waiting_for", "text"),
    [
        pytest.param(
            Relative(E.PUBLICACAO_PORTARIA, 60),
            closing(2025),
            E.PUBLICACAO_PORTARIA,
            "Aguardando a data da publicação da portaria",
            id="portaria-not-entered",
        ),
        pytest.param(
            Relative(E.RESULTADO_ELEICAO, 10),
            transition(2026),
            E.RESULTADO_ELEICAO,
            "Aguardando a data do resultado da eleição",
            id="no-election-in-2026",
        ),
        pytest.param(
            Relative(E.POSSE, 30),
            closing(2026),
            E.POSSE,
            "Aguardando a data da posse",
            id="no-posse-in-closing",
        ),
        pytest.param(
            Continuous(E.POSSE),
            closing(2026),
            E.POSSE,
            "Aguardando a data da posse",
            id="continuous-until-missing",
        ),
        pytest.param(
            Relative(E.FIM_VIGENCIA_PLANO, 90, business_days=True),
            closing(2026),
            E.FIM_VIGENCIA_PLANO,
            "Aguardando a data do fim da vigência do plano",
            id="business-days-missing",
        ),
    ],
)
def test_missing_event_waits(
    rule: DeadlineRule, context: DeadlineContext, waiting_for: KeyEvent, text: str
) -> None:
    due = compute_due(rule, context)
    assert (due.date, due.waiting_for) == (None, waiting_for)
    assert due.describe() == text


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (Entered("Informe a data de envio da LOA."), "Informe a data de envio da LOA."),
        (
            Entered("Ex.: 01/03/2026 (Portaria SNAS/MDS nº 132/2025)"),
            "Informe a data (ex.: 01/03/2026 (Portaria SNAS/MDS nº 132/2025))",
        ),
        (Entered(), "Informe a data"),
    ],
)
def test_entered_asks_for_the_date(rule: Entered, text: str) -> None:
    due = compute_due(rule, closing(2026))
    assert (due.date, due.waiting_for, due.needs_entry) == (None, None, True)
    assert due.describe() == text


def test_continuous_without_event_has_no_date() -> None:
    due = compute_due(Continuous(), closing(2026))
    assert (due.date, due.waiting_for, due.needs_entry) == (None, None, False)
    assert due.describe() == "Contínuo"


# ---------------------------------------------------------------- adjust at year end and Christmas


def test_years_with_31_12_on_a_weekend() -> None:
    weekend_years = [year for year in range(2022, 2035) if D(year, 12, 31).weekday() >= 5]
    assert weekend_years == [2022, 2023, 2028, 2033, 2034]


@pytest.mark.parametrize(
    ("year", "adjust", "expected"),
    [
        # 31/12/2022 and 31/12/2033 are Saturdays, 2023, 2028 and 2034 Sundays.
        (2022, None, D(2022, 12, 30)),  # default for a fixed date inside the year: previous
        (2022, Adjust.PREVIOUS, D(2022, 12, 30)),
        (2022, Adjust.NEXT, D(2023, 1, 2)),  # skips Sunday and 01/01
        (2022, Adjust.NONE, D(2022, 12, 31)),
        (2023, None, D(2023, 12, 29)),
        (2023, Adjust.NEXT, D(2024, 1, 2)),  # 01/01/2024 is a Monday holiday
        (2028, None, D(2028, 12, 29)),
        (2028, Adjust.NEXT, D(2029, 1, 2)),
        (2033, None, D(2033, 12, 30)),
        (2033, Adjust.NEXT, D(2034, 1, 2)),
        (2033, Adjust.NONE, D(2033, 12, 31)),
        (2034, None, D(2034, 12, 29)),
        (2026, None, D(2026, 12, 31)),  # a Thursday: nothing to move (31/12 is only ponto facultativo)
    ],
)
def test_fixed_31_12_on_weekend(year: int, adjust: Adjust | None, expected: date) -> None:
    due = compute_due(FixedDate(12, 31, adjust=adjust), closing(year))
    assert due.date == expected
    assert due.adjusted_from == (D(year, 12, 31) if expected != D(year, 12, 31) else None)


@pytest.mark.parametrize(
    ("year", "adjust", "expected", "text"),
    [
        (2026, None, D(2026, 12, 24), "24/12/2026 (antecipado de 25/12/2026, feriado)"),
        (2026, Adjust.NEXT, D(2026, 12, 28), "28/12/2026 (adiado de 25/12/2026, feriado)"),
        (2026, Adjust.NONE, D(2026, 12, 25), "25/12/2026"),
        (2027, None, D(2027, 12, 24), "24/12/2027 (antecipado de 25/12/2027, sábado)"),
        (2027, Adjust.NEXT, D(2027, 12, 27), "27/12/2027 (adiado de 25/12/2027, sábado)"),
        (2032, Adjust.PREVIOUS, D(2032, 12, 24), "24/12/2032 (antecipado de 25/12/2032, sábado)"),
    ],
)
def test_fixed_christmas(year: int, adjust: Adjust | None, expected: date, text: str) -> None:
    due = compute_due(FixedDate(12, 25, adjust=adjust), closing(year))
    assert due.date == expected
    assert due.describe() == text


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Relative(E.FIM_EXERCICIO, 0), D(2023, 1, 2)),  # default next: 31/12/2022 is a Saturday
        (Relative(E.FIM_EXERCICIO, 0, adjust=Adjust.PREVIOUS), D(2022, 12, 30)),
        (Relative(E.FIM_EXERCICIO, 0, adjust=Adjust.NONE), D(2022, 12, 31)),
        (Relative(E.FIM_EXERCICIO, 15), D(2023, 1, 16)),  # 15/01/2023 is a Sunday
        (Relative(E.FIM_EXERCICIO, 1, business_days=True), D(2023, 1, 2)),
        (Relative(E.INICIO_EXERCICIO, -1), D(2021, 12, 31)),  # back into the previous year, a Friday
    ],
)
def test_relative_across_year_end(rule: Relative, expected: date) -> None:
    assert compute_due(rule, closing(2022)).date == expected


# ---------------------------------------------------------------- election and transitions


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, True),
        (2020, True),
        (2024, True),
        (2028, True),
        (2026, False),
        (2022, False),  # general elections, not municipal
        (1996, False),  # before Lei 9.504/1997
        (2025, False),
    ],
)
def test_is_municipal_election_year(year: int, expected: bool) -> None:
    assert is_municipal_election_year(year) is expected


@pytest.mark.parametrize(
    ("year", "first_round"),
    [
        (2000, D(2000, 10, 1)),
        (2004, D(2004, 10, 3)),
        (2008, D(2008, 10, 5)),
        (2012, D(2012, 10, 7)),
        (2016, D(2016, 10, 2)),
        # The constitutional rule; the 2020 election really was on 15/11/2020 (EC 107/2020, pandemic),
        # which is why the event's provenance asks the user to confirm the date.
        (2020, D(2020, 10, 4)),
        (2024, D(2024, 10, 6)),
        (2028, D(2028, 10, 1)),
        (2032, D(2032, 10, 3)),
    ],
)
def test_municipal_election_first_round(year: int, first_round: date) -> None:
    assert municipal_election_first_round(year) == first_round
    assert first_round.weekday() == 6


@pytest.mark.parametrize("year", [2025, 2026, 1996])
def test_first_round_rejects_other_years(year: int) -> None:
    with pytest.raises(ValueError, match="não é ano de eleição municipal"):
        municipal_election_first_round(year)


def test_default_events_closing() -> None:
    events = default_events("closing", 2026)
    assert {event: value.date for event, value in events.items()} == {
        E.INICIO_EXERCICIO: D(2026, 1, 1),
        E.FIM_EXERCICIO: D(2026, 12, 31),
    }
    assert events[E.FIM_EXERCICIO].provenance.norm == "Lei nº 4.320/1964, art. 34"
    assert all(value.event is event for event, value in events.items())


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2024,
            {
                E.INICIO_EXERCICIO: D(2024, 1, 1),
                E.FIM_EXERCICIO: D(2024, 12, 31),
                E.POSSE: D(2025, 1, 1),
                E.RESULTADO_ELEICAO: D(2024, 10, 6),
            },
        ),
        (
            2028,
            {
                E.INICIO_EXERCICIO: D(2028, 1, 1),
                E.FIM_EXERCICIO: D(2028, 12, 31),
                E.POSSE: D(2029, 1, 1),
                E.RESULTADO_ELEICAO: D(2028, 10, 1),
            },
        ),
        # Not an election year (e.g. a gestor replaced mid-mandate): no election date to offer.
        (2026, {E.INICIO_EXERCICIO: D(2026, 1, 1), E.FIM_EXERCICIO: D(2026, 12, 31), E.POSSE: D(2027, 1, 1)}),
    ],
)
def test_default_events_transition(year: int, expected: dict[KeyEvent, date]) -> None:
    events = default_events("transition", year)
    assert {event: value.date for event, value in events.items()} == expected
    assert events[E.POSSE].provenance.norm == "CF/88, art. 29, III"
    if E.RESULTADO_ELEICAO in events:
        provenance = events[E.RESULTADO_ELEICAO].provenance
        assert provenance.norm.startswith("CF/88, art. 29, II")
        assert "confirme" in provenance.note


def test_default_events_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Tipo de ciclo desconhecido"):
        default_events("state", 2026)


# The GOV items of transition.toml, as in domain.md §7.1 (REL(...) notation).
GOV_01 = Relative(E.RESULTADO_ELEICAO, 10)
GOV_02 = Relative(E.RESULTADO_ELEICAO, 15)
GOV_04 = Relative(E.FIM_EXERCICIO, -30, adjust=Adjust.PREVIOUS)
GOV_05_DEFAULT = Relative(E.POSSE, -1)
GOV_05 = Relative(E.POSSE, -1, adjust=Adjust.PREVIOUS)
GOV_06 = Relative(E.POSSE, 5)
GOV_07 = Relative(E.POSSE, 30)
REDE_03 = Relative(E.POSSE, -15, adjust=Adjust.PREVIOUS)
PLAN_POSSE_60 = Relative(E.POSSE, 60)
GOV_03 = Continuous(E.POSSE)


@pytest.mark.parametrize(
    ("rule", "expected", "adjusted_from"),
    [
        pytest.param(GOV_01, D(2024, 10, 16), None, id="GOV-01-wednesday"),
        pytest.param(GOV_02, D(2024, 10, 21), None, id="GOV-02-monday"),
        pytest.param(GOV_04, D(2024, 11, 29), D(2024, 12, 1), id="GOV-04-sunday-01-12-to-friday"),
        pytest.param(GOV_05_DEFAULT, D(2024, 12, 31), None, id="GOV-05-default-tuesday"),
        pytest.param(GOV_05, D(2024, 12, 31), None, id="GOV-05-previous-tuesday"),
        pytest.param(GOV_06, D(2025, 1, 6), None, id="GOV-06-monday"),
        pytest.param(GOV_07, D(2025, 1, 31), None, id="GOV-07-friday"),
        pytest.param(REDE_03, D(2024, 12, 17), None, id="REDE-03"),
        # 02/03/2025 is a Sunday; Monday 03/03/2025 is Carnaval, which is not a holiday.
        pytest.param(PLAN_POSSE_60, D(2025, 3, 3), D(2025, 3, 2), id="posse-plus-60-carnaval-monday"),
        pytest.param(GOV_03, D(2025, 1, 1), None, id="GOV-03-continuous-ends-on-holiday-posse"),
    ],
)
def test_transition_2024_2025(rule: DeadlineRule, expected: date, adjusted_from: date | None) -> None:
    due = compute_due(rule, transition(2024))
    assert due.date == expected
    assert due.adjusted_from == adjusted_from


@pytest.mark.parametrize(
    ("rule", "expected", "adjusted_from"),
    [
        pytest.param(GOV_01, D(2028, 10, 11), None, id="GOV-01"),
        pytest.param(GOV_02, D(2028, 10, 16), None, id="GOV-02"),
        pytest.param(GOV_04, D(2028, 12, 1), None, id="GOV-04-friday"),
        # REL(POSSE, −1) = 31/12/2028, a Sunday. With the default (next, Lei 9.784 art. 66 §1º) it
        # skips 01/01/2029 (holiday) and lands on 02/01/2029, the day AFTER the posse: wrong for a
        # dossier the outgoing team must sign. That is why GOV-05 says adjust = "previous".
        pytest.param(
            GOV_05_DEFAULT, D(2029, 1, 2), D(2028, 12, 31), id="GOV-05-default-next-lands-after-posse"
        ),
        pytest.param(GOV_05, D(2028, 12, 29), D(2028, 12, 31), id="GOV-05-previous-friday-before"),
        pytest.param(
            Relative(E.POSSE, -1, adjust=Adjust.NONE), D(2028, 12, 31), None, id="GOV-05-none-keeps-sunday"
        ),
        pytest.param(GOV_06, D(2029, 1, 8), D(2029, 1, 6), id="GOV-06-saturday-to-monday"),
        pytest.param(GOV_07, D(2029, 1, 31), None, id="GOV-07-wednesday"),
        pytest.param(REDE_03, D(2028, 12, 15), D(2028, 12, 17), id="REDE-03-sunday-to-friday"),
        pytest.param(GOV_03, D(2029, 1, 1), None, id="GOV-03"),
        # The LRF art. 42 window ends with the mandate, even on a Sunday.
        pytest.param(Window(5, 1, 12, 31), D(2028, 12, 31), None, id="FIN-01-window"),
    ],
)
def test_transition_2028_2029(rule: DeadlineRule, expected: date, adjusted_from: date | None) -> None:
    context = transition(2028)
    assert context.events[E.POSSE].date == D(2029, 1, 1)
    assert D(2029, 1, 1).weekday() == 0  # the posse is on a Monday
    due = compute_due(rule, context)
    assert due.date == expected
    assert due.adjusted_from == adjusted_from


def test_transition_2028_describe_of_gov_05() -> None:
    due = compute_due(GOV_05, transition(2028))
    assert due.describe() == "29/12/2028 (antecipado de 31/12/2028, domingo)"
    assert due.provenance.startswith("Posse em 01/01/2029 (CF/88, art. 29, III")
    late = compute_due(GOV_05_DEFAULT, transition(2028))
    assert late.describe() == "02/01/2029 (adiado de 31/12/2028, domingo)"


def test_election_result_entered_by_user_replaces_the_first_round() -> None:
    context = transition(2028, RESULTADO_ELEICAO=D(2028, 10, 3))
    assert compute_due(GOV_01, context).date == D(2028, 10, 13)


_TRANSITION_TEMPLATE_RELATIVE = [
    (name, item)
    for name, item in TEMPLATE_ITEMS
    if item["deadline"]["kind"] == "relative" and item["deadline"]["event"] in {"POSSE", "FIM_EXERCICIO"}
]


@pytest.mark.parametrize("year", [2024, 2028, 2032])
@pytest.mark.parametrize(
    ("name", "item"), _TRANSITION_TEMPLATE_RELATIVE, ids=[name for name, _ in _TRANSITION_TEMPLATE_RELATIVE]
)
def test_template_rules_stay_on_their_side_of_the_event(name: str, item: dict[str, Any], year: int) -> None:
    """A rule counted before the posse or the year end must not be moved past it, and vice versa."""
    rule = parse_rule(item["deadline"])
    assert isinstance(rule, Relative)
    context = transition(year)
    due = compute_due(rule, context)
    assert due.date is not None
    event_day = context.events[rule.event].date
    if rule.days < 0:
        assert due.date < event_day
    else:
        assert due.date > event_day


def test_template_gov_05_lands_before_the_2029_posse() -> None:
    due = compute_due(_template_rule("transition", "GOV-05"), transition(2028))
    assert due.date == D(2028, 12, 29)


# ---------------------------------------------------------------- yearly overrides (resources/deadlines)


def _federal_overrides() -> dict[tuple[str, int], DueOverride]:
    with (RESOURCES / "deadlines" / "federal.toml").open("rb") as handle:
        data = tomllib.load(handle)
    overrides = {}
    for entry in data["overrides"]:
        published = entry.get("published")
        provenance = Provenance(
            norm=entry["norm"],
            published=D.fromisoformat(published) if published else None,
            changed_by=entry.get("changed_by", ""),
            note=entry.get("note", ""),
        )
        overrides[entry["item"], entry["reference_year"]] = DueOverride(
            D.fromisoformat(entry["date"]), provenance
        )
    return overrides


FEDERAL = _federal_overrides()


@pytest.mark.parametrize(
    ("item_id", "year", "expected"),
    [
        # domain.md §2.4: exercises 2024 and 2025 unified by Portaria SNAS/MDS nº 132/2025 (04/12/2025):
        # gestor 01/03/2026 (a Sunday: kept, it is the norm's date), CMAS 30/04/2026.
        ("PCF-02", 2024, D(2026, 3, 1)),
        ("PCF-02", 2025, D(2026, 3, 1)),
        ("PCF-04", 2024, D(2026, 4, 30)),
        ("PCF-04", 2025, D(2026, 4, 30)),
        # Exercise 2023 (Portaria nº 146/2024): gestor 29/11/2024, CMAS 29/12/2024 (also a Sunday).
        ("PCF-03", 2023, D(2024, 11, 29)),
        ("PCF-04", 2023, D(2024, 12, 29)),
    ],
)
def test_federal_accounts_overrides(item_id: str, year: int, expected: date) -> None:
    rule = _template_rule("closing", item_id)
    override = FEDERAL[item_id, year]
    due = compute_due(rule, closing(year), override)
    assert due.date == expected
    assert due.overridden
    assert due.adjusted_from is None  # an override is exact, even on a weekend
    assert due.rule_text == rule.describe()
    assert due.describe() == expected.strftime("%d/%m/%Y")


def test_federal_2024_and_2025_are_unified() -> None:
    for item_id in ("PCF-02", "PCF-04"):
        assert FEDERAL[item_id, 2024].date == FEDERAL[item_id, 2025].date
    due = compute_due(_template_rule("closing", "PCF-02"), closing(2024), FEDERAL["PCF-02", 2024])
    assert due.provenance.startswith("Portaria SNAS/MDS nº 132/2025, publicada em 04/12/2025 — ")


def test_override_wins_over_a_computable_rule() -> None:
    override = DueOverride(D(2026, 12, 19), Provenance(note="decreto municipal antecipou o prazo"))
    due = compute_due(FixedDate(12, 5), closing(2026), override)
    assert (due.date, due.overridden, due.adjusted_from) == (D(2026, 12, 19), True, None)
    assert due.provenance == "Decreto municipal antecipou o prazo"
    assert compute_due(FixedDate(12, 5), closing(2026), DueOverride(D(2026, 12, 1), Provenance())).provenance


def test_override_of_a_missing_event_needs_no_event() -> None:
    override = DueOverride(D(2026, 6, 1), Provenance("Portaria X"))
    due = compute_due(Relative(E.PUBLICACAO_PORTARIA, 60), closing(2026), override)
    assert (due.date, due.waiting_for) == (D(2026, 6, 1), None)


# ---------------------------------------------------------------- parse_rule


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        ({"kind": "fixed", "month": 12, "day": 31}, FixedDate(12, 31)),
        (
            {
                "kind": "fixed",
                "month": 2,
                "day": 28,
                "year_offset": 1,
                "configurable": True,
                "adjust": "next",
            },
            FixedDate(2, 28, 1, True, Adjust.NEXT),
        ),
        ({"kind": "relative", "event": "POSSE", "days": -1, "adjust": "previous"}, GOV_05),
        (
            {"kind": "relative", "event": "PUBLICACAO_PORTARIA", "days": 15, "business_days": True},
            Relative(E.PUBLICACAO_PORTARIA, 15, True),
        ),
        ({"kind": "monthly", "day": 31, "months_after": 1}, Monthly(31)),
        ({"kind": "monthly", "day": 10}, Monthly(10, 1)),
        (
            {"kind": "window", "start_month": 5, "start_day": 1, "end_month": 12, "end_day": 31},
            Window(5, 1, 12, 31),
        ),
        ({"kind": "entered", "hint": "Ex.: 01/03/2026"}, Entered("Ex.: 01/03/2026")),
        ({"kind": "entered"}, Entered()),
        ({"kind": "continuous"}, Continuous()),
        ({"kind": "continuous", "until": "POSSE", "adjust": "none"}, Continuous(E.POSSE, Adjust.NONE)),
    ],
)
def test_parse_rule(data: dict[str, Any], rule: DeadlineRule) -> None:
    parsed = parse_rule(data)
    assert parsed == rule
    assert type(parsed) is type(rule)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(["fixed"], "A regra de prazo deve ser uma tabela", id="not-a-table"),
        pytest.param({"month": 12, "day": 31}, "A regra de prazo não tem a chave “kind”", id="no-kind"),
        pytest.param({"kind": "yearly"}, "Tipo de prazo desconhecido: “yearly”", id="unknown-kind"),
        pytest.param({"kind": 3}, "Tipo de prazo desconhecido: “3”", id="kind-not-text"),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": 31, "mes": 12},
            "Regra de prazo “fixed”: chave desconhecida “mes”",
            id="unknown-key",
        ),
        pytest.param(
            {"kind": "relative", "event": "POSSE", "days": 1, "month": 1},
            "chave desconhecida “month”",
            id="key-of-another-kind",
        ),
        pytest.param(
            {"kind": "fixed", "month": 12}, "Regra de prazo “fixed”: falta a chave “day”", id="missing-day"
        ),
        pytest.param({"kind": "relative", "days": 10}, "falta a chave “event”", id="missing-event"),
        pytest.param(
            {"kind": "window", "start_month": 5, "start_day": 1, "end_month": 12},
            "falta a chave “end_day”",
            id="missing-window-end",
        ),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": "31"},
            "a chave “day” deve ser um número inteiro, mas veio um texto ('31')",
            id="day-as-text",
        ),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": 31.0},
            "a chave “day” deve ser um número inteiro, mas veio um número com casas decimais",
            id="day-as-float",
        ),
        pytest.param(
            {"kind": "fixed", "month": True, "day": 31},
            "a chave “month” deve ser um número inteiro, mas veio true/false",
            id="month-as-bool",
        ),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": 5, "configurable": "sim"},
            "a chave “configurable” deve ser true ou false",
            id="configurable-as-text",
        ),
        pytest.param(
            {"kind": "relative", "event": 1, "days": 10},
            "a chave “event” deve ser um texto entre aspas",
            id="event-as-number",
        ),
        pytest.param(
            {"kind": "entered", "hint": ["a"]},
            "a chave “hint” deve ser um texto entre aspas, mas veio uma lista",
            id="hint-as-list",
        ),
        pytest.param(
            {"kind": "fixed", "month": 2, "day": 31}, "Data impossível na regra de prazo: 31/02", id="31-02"
        ),
        pytest.param(
            {"kind": "fixed", "month": 11, "day": 31}, "Data impossível na regra de prazo: 31/11", id="31-11"
        ),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": 0}, "Data impossível na regra de prazo: 00/12", id="day-0"
        ),
        pytest.param(
            {"kind": "fixed", "month": 13, "day": 1}, "Mês inválido na regra de prazo: 13", id="month-13"
        ),
        pytest.param(
            {"kind": "window", "start_month": 4, "start_day": 31, "end_month": 12, "end_day": 31},
            "Data impossível na regra de prazo: 31/04",
            id="window-impossible-start",
        ),
        pytest.param(
            {"kind": "window", "start_month": 12, "start_day": 1, "end_month": 1, "end_day": 31},
            "Janela de prazo invertida",
            id="window-reversed",
        ),
        pytest.param(
            {"kind": "monthly", "day": 32}, "Dia do mês inválido na regra mensal: 32", id="monthly-32"
        ),
        pytest.param(
            {"kind": "monthly", "day": 10, "months_after": -1}, "não pode ser negativo", id="monthly-negative"
        ),
        pytest.param(
            {"kind": "relative", "event": "ELEICAO", "days": 10},
            "Evento-chave desconhecido: “ELEICAO”",
            id="unknown-event",
        ),
        pytest.param(
            {"kind": "relative", "event": "posse", "days": 10},
            "Evento-chave desconhecido: “posse”",
            id="event-lowercase",
        ),
        pytest.param(
            {"kind": "continuous", "until": "FIM"}, "Evento-chave desconhecido: “FIM”", id="unknown-until"
        ),
        pytest.param(
            {"kind": "fixed", "month": 12, "day": 31, "adjust": "before"},
            "Valor inválido para “adjust”: “before”",
            id="unknown-adjust",
        ),
    ],
)
def test_parse_rule_rejects(data: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_rule(data)
    assert message in str(caught.value)
    assert isinstance(caught.value, UserError)  # safe to show to the user as is


def test_rules_built_in_code_are_checked_too() -> None:
    with pytest.raises(DeadlineError, match="Data impossível"):
        FixedDate(2, 30)
    with pytest.raises(DeadlineError, match="Evento-chave desconhecido"):
        Relative("NATAL", 1)  # type: ignore[arg-type]
    assert Relative("POSSE", 1).event is E.POSSE  # type: ignore[arg-type]
    assert FixedDate(12, 5, adjust="previous").adjust is Adjust.PREVIOUS  # type: ignore[arg-type]


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize(("name", "item"), TEMPLATE_ITEMS, ids=[name for name, _ in TEMPLATE_ITEMS])
def test_every_template_rule_parses_and_round_trips(name: str, item: dict[str, Any]) -> None:
    data = item["deadline"]
    rule = parse_rule(data)
    assert rule_to_dict(rule) == data
    assert parse_rule(rule_to_dict(rule)) == rule
    assert rule.describe()


def test_templates_were_found() -> None:
    assert len(TEMPLATE_ITEMS) >= 100
    kinds = {item["deadline"]["kind"] for _, item in TEMPLATE_ITEMS}
    assert kinds == {"fixed", "relative", "monthly", "window", "entered", "continuous"}


_adjusts = st.none() | st.sampled_from(Adjust)
_events = st.sampled_from(KeyEvent)
_day_months = st.dates(min_value=D(2000, 1, 1), max_value=D(2000, 12, 31))  # a leap year: 29/02 allowed
_offsets = st.integers(min_value=-3, max_value=3)


def _window(start: date, end: date, start_offset: int, end_offset: int, adjust: Adjust | None) -> Window:
    first, last = sorted([(start_offset, start.month, start.day), (end_offset, end.month, end.day)])
    return Window(first[1], first[2], last[1], last[2], first[0], last[0], adjust)


_rules = st.one_of(
    st.builds(
        lambda day, offset, configurable, adjust: FixedDate(day.month, day.day, offset, configurable, adjust),
        _day_months,
        _offsets,
        st.booleans(),
        _adjusts,
    ),
    st.builds(Relative, _events, st.integers(min_value=-400, max_value=400), st.booleans(), _adjusts),
    st.builds(
        Monthly, st.integers(min_value=1, max_value=31), st.integers(min_value=0, max_value=24), _adjusts
    ),
    st.builds(_window, _day_months, _day_months, _offsets, _offsets, _adjusts),
    st.builds(Entered, st.text(), _adjusts),
    st.builds(Continuous, st.none() | _events, _adjusts),
)


@given(_rules)
def test_rule_to_dict_round_trip_property(rule: DeadlineRule) -> None:
    data = rule_to_dict(rule)
    assert parse_rule(data) == rule
    assert parse_rule(json.loads(json.dumps(data))) == rule
    assert rule_to_dict(parse_rule(data)) == data


@given(
    _rules,
    st.integers(min_value=2022, max_value=2034),
    st.dates(min_value=D(2022, 1, 1), max_value=D(2034, 12, 31)),
)
def test_compute_due_never_fails(rule: DeadlineRule, year: int, today: date) -> None:
    due = compute_due(rule, transition(year, today))
    adjust = rule.adjust or default_adjust(rule)
    if due.date is not None and due.adjusted_from is not None:
        assert CAL.is_business_day(due.date)
        assert (due.date > due.adjusted_from) == (adjust is Adjust.NEXT)
    assert due.describe()


# ---------------------------------------------------------------- days_until


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (D(2026, 12, 31), D(2026, 12, 31), 0),
        (D(2026, 12, 31), D(2026, 12, 1), 30),
        (D(2027, 1, 1), D(2026, 12, 31), 1),
        (D(2026, 12, 1), D(2026, 12, 31), -30),
        (D(2028, 3, 1), D(2028, 2, 28), 2),  # leap year
    ],
)
def test_days_until(due: date, today: date, expected: int) -> None:
    assert days_until(due, today) == expected


def test_context_with_an_empty_calendar_only_skips_weekends() -> None:
    context = DeadlineContext(2026, default_events("closing", 2026), BusinessCalendar(), D(2026, 1, 1))
    assert compute_due(FixedDate(12, 25), context).date == D(2026, 12, 25)
    assert compute_due(FixedDate(12, 26), context).date == D(2026, 12, 25)
