"""Painel: KPI counts, section bars, next deadlines, pending accounts, unmet demand, warnings, empty state."""

from __future__ import annotations

from datetime import date

import pytest

from suas_desktop.domain.cycle import Status
from suas_desktop.domain.template import CycleKind
from suas_desktop.ui.pages.dashboard_page import DashboardPage, days_text, election_notice

TODAY = date(2026, 11, 25)  # the workspace clock of the tests


def make_page(qtbot, ctx) -> DashboardPage:
    page = DashboardPage(ctx)
    page.today_provider = lambda: TODAY
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.refresh()
    return page


def notice_texts(page: DashboardPage) -> list[str]:
    return [page.notices.itemAt(i).widget().label.text() for i in range(page.notices.count())]


def table_cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_kpis_and_section_bars_follow_the_checklist(qtbot, mg_ctx):
    checklists = mg_ctx.services.checklists
    cycle_id = mg_ctx.active_cycle_id
    before = checklists.overview(cycle_id, today=TODAY)
    page = make_page(qtbot, mg_ctx)
    assert page.kpi_texts() == {
        "Itens atrasados": str(len(before.overdue)),
        "Vencem em 7 dias": str(sum(1 for s in before.due_soon if s.days_left <= 7)),
        "Concluídos": "0",
    }

    states = checklists.item_states(cycle_id, today=TODAY)
    section = before.sections[0]
    first_section = [s.item for s in states if s.item.section_code == section.code]
    for item in first_section[:2]:
        checklists.set_status(actor="ana", item_id=item.id, status=Status.DONE)
    # An item of another section that is not late yet becomes late: its deadline moved to the past.
    late = next(
        s.item
        for s in states
        if s.item.section_code != section.code and not s.overdue and s.item.status.is_open
    )
    checklists.override_due(
        actor="ana", item_id=late.id, day=date(2026, 11, 2), reason="Portaria do ano antecipou o prazo."
    )
    mg_ctx.notify("cycle_item")
    page.refresh()

    kpis = page.kpi_texts()
    assert kpis["Concluídos"] == "2"
    assert kpis["Itens atrasados"] == str(len(before.overdue) + 1)
    bars = page.section_values()
    assert bars[section.title] == round(100 * 2 / section.total)
    assert all(value == 0 for title, value in bars.items() if title != section.title)
    assert len(bars) == len(before.sections)
    assert page.overall_bar.value() == round(100 * 2 / before.overall.total)
    assert page.overall_bar.format() == "%p%"
    assert "2 de" in page.overall_label.text()
    assert page.done_card.detail.text().startswith(f"de {before.overall.total} itens")


def test_next_deadlines_table_lists_the_next_30_days(qtbot, mg_ctx):
    overview = mg_ctx.services.checklists.overview(mg_ctx.active_cycle_id, today=TODAY)
    page = make_page(qtbot, mg_ctx)
    rows = table_cells(page.deadlines_table)
    assert len(rows) == len(overview.due_soon) > 0
    first = overview.due_soon[0]
    assert rows[0][0] == f"{first.due.date:%d/%m/%Y}"
    assert rows[0][1] == first.item.item_key
    assert rows[0][4] == days_text(first.days_left)
    assert page.deadlines_empty.isHidden()


def test_warnings_from_the_profile_are_shown(qtbot, mg_ctx):
    page = make_page(qtbot, mg_ctx)
    texts = notice_texts(page)
    assert any("apenas um CNPJ" in t for t in texts)  # PROFILE: no own resources in the FMAS
    assert not any("eleição municipal" in t for t in texts)  # 2026 is not an election year


def test_election_year_notice_for_a_transition(qtbot, mg_ctx):
    cycle = mg_ctx.services.checklists.start_cycle(
        actor="ana", kind=CycleKind.TRANSITION, reference_year=2028
    )
    mg_ctx.set_active_cycle(cycle.id)
    page = make_page(qtbot, mg_ctx)
    notice = next(t for t in notice_texts(page) if "eleição municipal" in t)
    assert "LRF, art. 42" in notice
    assert "9.504/1997 (art. 73, § 10)" in notice
    assert "de 1º de maio a 31 de dezembro de 2028" in notice  # said ahead of time in 2026


def test_election_notice_wording_follows_the_calendar():
    assert "a partir de 1º de maio" in election_notice(2028, date(2028, 3, 1))
    assert "desde 1º de maio" in election_notice(2028, date(2028, 8, 1))
    assert "2028 foi ano de eleição" in election_notice(2028, date(2029, 1, 5))


def test_demo_notice(qtbot, mg_ctx):
    mg_ctx.services.local.set("demo", "1")
    page = make_page(qtbot, mg_ctx)
    assert "demonstração" in notice_texts(page)[0]


def test_pending_accounts_and_unmet_demand(qtbot, mg_ctx):
    registers = mg_ctx.services.registers
    registers.create(
        actor="ana",
        name="accountability",
        values={"fiscal_year": 2025, "source": "federal", "description": "Demonstrativo 2025",
                "status": "enviada", "deadline": "01/03/2026"},
    )  # fmt: skip
    registers.create(
        actor="ana",
        name="accountability",
        values={"fiscal_year": 2024, "source": "igd_pbf", "status": "aprovada", "deadline": "01/03/2025"},
    )
    for code, service, received, status in (
        ("PAEFI-2026-001", "paefi", "01/10/2026", "aguardando"),
        ("PAEFI-2026-002", "paefi", "15/11/2026", "encaminhado_regional"),
        ("MSE-2026-001", "mse_la", "20/11/2026", "aguardando"),
        ("MSE-2026-002", "mse_la", "01/01/2026", "atendido"),
    ):
        registers.create(
            actor="ana",
            name="unmet_demand",
            values={"case_code": code, "service": service, "received_on": received, "status": status},
        )
    page = make_page(qtbot, mg_ctx)

    accounts = table_cells(page.accounts_table)
    assert len(accounts) == 1  # the approved one is not pending
    assert accounts[0][0] == "2025"
    assert accounts[0][1] == "Federal (FNAS) — Demonstrativo 2025"
    assert accounts[0][2] == "Enviada"
    assert accounts[0][3] == "01/03/2026 (vencido)"

    demand = table_cells(page.demand_table)
    assert demand == [["PAEFI", "2", "55 dias"], ["MSE — Liberdade Assistida", "1", "5 dias"]]
    assert page.demand_summary.text().startswith("3 casos esperando")


def test_cards_without_data_show_their_empty_state(qtbot, mg_ctx):
    page = make_page(qtbot, mg_ctx)
    assert page.accounts_table.isHidden()
    assert not page.accounts_empty.isHidden()
    assert page.demand_table.isHidden()
    assert not page.demand_empty.isHidden()


def test_empty_state_without_a_cycle_starts_this_years_closing(qtbot, ctx):
    from tests.unit.services.conftest import PROFILE

    ctx.services.municipalities.save_profile(actor="admin", **PROFILE)
    page = make_page(qtbot, ctx)
    assert not page.empty.isHidden()
    assert page.body.isHidden()
    assert page.empty.button.text() == "Iniciar Checklist"
    assert "Comece pelo checklist de encerramento do exercício" in [
        label.text() for label in page.empty.findChildren(type(page.header.title))
    ]
    page.empty.button.click()
    cycles = ctx.services.checklists.cycles()
    assert [(c.kind, c.reference_year) for c in cycles] == [(CycleKind.CLOSING, TODAY.year)]
    assert ctx.active_cycle_id == cycles[0].id
    assert page.empty.isHidden()
    assert not page.body.isHidden()


def test_kpi_links_open_the_filtered_checklist(qtbot, mg_ctx, monkeypatch):
    page = make_page(qtbot, mg_ctx)

    class FakeChecklists:
        def __init__(self):
            self.calls = []

        def show_filter(self, name):
            self.calls.append(("filter", name))

        def focus_record(self, kind, record_id):
            self.calls.append((kind, record_id))

    fake = FakeChecklists()
    shown = []
    monkeypatch.setattr(page, "_show_page", lambda key: shown.append(key) or fake)
    page.overdue_card.link.click()
    page.soon_card.link.click()
    page.done_card.link.click()
    page.deadlines_table.activated.emit(page.deadlines_table.model().index(0, 2))
    assert shown == ["checklists"] * 4
    first_item = page.deadlines_table.item(0, 0).data(256)  # Qt.UserRole
    assert fake.calls == [
        ("filter", "overdue"),
        ("filter", "due_soon"),
        ("filter", "done"),
        ("item", first_item),
    ]


@pytest.mark.parametrize(("width", "row"), [(1280, True), (700, False)])
def test_kpi_cards_reflow_with_the_width(qtbot, mg_ctx, width, row):
    page = make_page(qtbot, mg_ctx)
    page._reflow(width)
    positions = [page.kpi_grid.getItemPosition(page.kpi_grid.indexOf(card)) for card in (
        page.overdue_card, page.soon_card, page.done_card
    )]  # fmt: skip
    rows = {p[0] for p in positions}
    assert (len(rows) == 1) is row
    assert page.overdue_card.detail.isHidden() is not row


def test_days_text():
    assert [days_text(d) for d in (0, 1, 5, -1, -3)] == [
        "Hoje",
        "Amanhã",
        "5 dias",
        "Venceu há 1 dia",
        "Venceu há 3 dias",
    ]


def test_tab_order_follows_the_reading_order(qtbot, mg_ctx):
    from PySide6.QtCore import Qt

    page = make_page(qtbot, mg_ctx)
    page.show()
    order = []
    widget = page.nextInFocusChain()
    while widget is not page and len(order) < 200:
        if widget.isVisibleTo(page) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
        widget = widget.nextInFocusChain()
    wanted = [
        page.overdue_card.link,
        page.soon_card.link,
        page.done_card.link,
        page.deadlines_table,
        page.demand_empty.button,
        page.accounts_empty.button,
    ]
    assert [order.index(w) for w in wanted] == sorted(order.index(w) for w in wanted)
