"""Painel: how the active cycle is going (late, due soon, done), next deadlines, pending accounts,
unmet demand, and the warnings the manager should act on.

Charts follow ux.md §A5: one horizontal bar per section in a single hue with the value printed next
to it, and every status spelled out in words (colour is only a bonus).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.clock import SystemClock, today_local
from suas_desktop.domain.cycle import Progress
from suas_desktop.domain.deadlines import is_municipal_election_year
from suas_desktop.domain.register_fields import format_date
from suas_desktop.domain.template import CycleKind, roles_text
from suas_desktop.errors import SuasError, UserError
from suas_desktop.services.checklist_service import CycleOverview
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.widgets import Card, EmptyState, ScreenHeader, secondary_button

#: "Vencem em 7 dias" on the KPI card; the table below looks 30 days ahead (the service's due_soon).
SOON_DAYS = 7
#: Unmet-demand statuses that mean the person is still waiting for the service.
WAITING_STATUSES = ("aguardando", "encaminhado_regional")
#: Width (px of the scroll viewport) from which the lower cards sit side by side.
WIDE_PX = 1000
#: Below this width the three KPI cards stack.
KPI_ROW_PX = 820


def local_today() -> date:
    return today_local(SystemClock())


def days_text(days: int) -> str:
    if days == 0:
        return "Hoje"
    if days == 1:
        return "Amanhã"
    if days < 0:
        return f"Venceu há {-days} dia{'s' if days < -1 else ''}"
    return f"{days} dias"


def election_notice(year: int, today: date) -> str:
    """LRF art. 42 and Lei 9.504/1997 art. 73 §10, worded for before, during or after the election year."""
    if today.year < year:
        lrf = f"de 1º de maio a 31 de dezembro de {year}"
        when = f"{year} será ano de eleição municipal."
    elif today < date(year, 5, 1):
        lrf = "a partir de 1º de maio"
        when = f"{year} é ano de eleição municipal."
    else:
        lrf = "desde 1º de maio" if today.year == year else f"de 1º de maio a 31 de dezembro de {year}"
        when = f"{year} é ano de eleição municipal." if today.year == year else f"{year} foi ano de eleição."
    return (
        f"{when} A Lei de Responsabilidade Fiscal (LRF, art. 42) proíbe, {lrf}, assumir despesa que não "
        "possa ser paga até 31 de dezembro sem deixar dinheiro em caixa para ela. E, durante todo o ano "
        "eleitoral, a Lei nº 9.504/1997 (art. 73, § 10) proíbe distribuir gratuitamente bens, valores ou "
        "benefícios, salvo em calamidade, emergência ou programa social criado por lei e já executado no "
        "ano anterior."
    )


class Notice(QFrame):
    """A message that stays (warnings about the municipality, the election year, the demo)."""

    ICONS = {"warning": "⚠", "info": "ℹ", "error": "✖", "success": "✓"}  # noqa: RUF012 - read only

    def __init__(self, text: str, kind: str = "warning", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setProperty("kind", kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        icon = QLabel(self.ICONS.get(kind, ""))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        icon.setAccessibleName({"warning": "Atenção", "info": "Informação"}.get(kind, kind))
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        self.setAccessibleName(text)


class KpiCard(Card):
    """A number with its status icon and a link to the filtered list.

    ``set_compact(True)`` lays it out on one line (narrow windows stack the three cards).
    """

    def __init__(self, title: str, chip: str, icon: str, link: str, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title = title
        self.inner = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.inner.setSpacing(8)
        self.body.addLayout(self.inner)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        self.icon = QLabel(icon)
        self.icon.setProperty("chip", chip)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.icon.setAccessibleName(title)
        caption = QLabel(title)
        caption.setObjectName("fieldLabel")
        heading.addWidget(self.icon)
        heading.addWidget(caption, 1)
        self.inner.addLayout(heading)
        self.number = QLabel("0")
        self.number.setObjectName("kpi")
        self.detail = QLabel()
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.inner.addWidget(self.number)
        self.inner.addWidget(self.detail, 1)
        self.link = secondary_button(link)
        self.link.setAccessibleName(link)
        self.inner.addWidget(self.link, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumWidth(200)

    def set_compact(self, compact: bool) -> None:
        self.inner.setDirection(
            QBoxLayout.Direction.LeftToRight if compact else QBoxLayout.Direction.TopToBottom
        )
        self.detail.setVisible(not compact)

    def set_value(self, number: int, detail: str) -> None:
        self.number.setText(f"{number:,}".replace(",", "."))
        self.detail.setText(detail)
        self.setAccessibleName(f"{self.title}: {number}. {detail}")
        self.number.setAccessibleName(f"{self.title}: {number}")
        self.link.setToolTip(detail)


class CardEmpty(QWidget):
    """The empty state inside a card: a positive title, one sentence and one action."""

    def __init__(self, title: str, text: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(4)
        heading = QLabel(title)
        heading.setObjectName("fieldLabel")
        heading.setWordWrap(True)
        body = QLabel(text)
        body.setObjectName("muted")
        body.setWordWrap(True)
        self.button = secondary_button(action)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addLayout(row)


def make_table(headers: list[str], name: str, right_aligned: tuple[int, ...] = ()) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    # Take the width the card gives (the text columns elide) instead of widening the whole page.
    table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    table.setProperty("right_aligned", right_aligned)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], data: list[object] | None = None) -> None:
    right = table.property("right_aligned") or ()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if data is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    table.resizeRowsToContents()
    # The page scrolls, not the table: make it exactly as tall as its rows.
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(rows)))
    table.setFixedHeight(height + 2 * table.frameWidth() + 4)


class DashboardPage(QWidget):
    """The Painel of the active cycle."""

    #: Replaceable in tests (the services use the workspace clock; the page passes this day to them).
    today_provider: Callable[[], date] = staticmethod(local_today)

    #: Reads its data in ``__init__`` (MainWindow does not refresh it again when first shown).
    loads_on_init = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._wide: bool | None = None
        self._kpi_row: bool | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        root.addWidget(self.scroll)
        content = QWidget()
        content.setObjectName("content")
        self.scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        self.header = ScreenHeader("Painel")
        layout.addWidget(self.header)
        self.notices = QVBoxLayout()
        self.notices.setSpacing(8)
        layout.addLayout(self.notices)

        self.empty = EmptyState(
            "Comece pelo checklist de encerramento do exercício",
            "Crie o checklist deste ano para acompanhar prazos, pendências e o progresso de cada seção. "
            "Para a transição de mandato ou outro ano, use a tela Checklists.",
            "Iniciar Checklist",
        )
        self.empty.action_clicked.connect(self.start_closing)
        layout.addWidget(self.empty)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(16)
        layout.addWidget(self.body)
        layout.addStretch(1)

        # KPI cards
        self.overdue_card = KpiCard("Itens atrasados", "danger", "✖", "Ver Itens Atrasados", self.body)
        self.soon_card = KpiCard(
            f"Vencem em {SOON_DAYS} dias", "warning", "⚠", "Ver Próximos Prazos", self.body
        )
        self.done_card = KpiCard("Concluídos", "success", "✓", "Ver Itens Concluídos", self.body)
        self.overdue_card.link.clicked.connect(lambda: self.open_checklists("overdue"))
        self.soon_card.link.clicked.connect(lambda: self.open_checklists("due_soon"))
        self.done_card.link.clicked.connect(lambda: self.open_checklists("done"))
        self.kpi_grid = QGridLayout()
        self.kpi_grid.setSpacing(16)
        body.addLayout(self.kpi_grid)

        # Próximos prazos
        self.deadlines_card = Card("Próximos prazos (30 dias)", self.body)
        self.deadlines_table = make_table(
            ["Prazo", "Item", "O que fazer", "Responsável", "Faltam"], "Próximos prazos", right_aligned=(4,)
        )
        deadlines_header = self.deadlines_table.horizontalHeader()
        deadlines_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # A long "name — role" would squeeze "O que fazer"; the tooltip shows it whole.
        deadlines_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.deadlines_table.setColumnWidth(3, 200)
        self.deadlines_table.setToolTip("Enter ou duplo clique abre o item no checklist")
        self.deadlines_table.activated.connect(self._deadline_activated)
        self.deadlines_empty = CardEmpty(
            "Nenhum prazo nos próximos 30 dias",
            "Confira no checklist os itens sem data e os que dependem de uma data-chave.",
            "Abrir Checklists",
        )
        self.deadlines_empty.button.clicked.connect(lambda: self.open_checklists(""))
        self.deadlines_card.body.addWidget(self.deadlines_table)
        self.deadlines_card.body.addWidget(self.deadlines_empty)
        body.addWidget(self.deadlines_card)

        # Progress by section
        self.progress_card = Card("Progresso do checklist", self.body)
        self.overall_label = QLabel()
        self.overall_label.setWordWrap(True)
        self.overall_bar = QProgressBar()
        self.overall_bar.setRange(0, 100)
        self.overall_bar.setFormat("%p%")
        self.progress_card.body.addWidget(self.overall_label)
        self.progress_card.body.addWidget(self.overall_bar)
        sections_title = QLabel("Por seção (concluídos ou “Não se aplica”)")
        sections_title.setObjectName("muted")
        self.progress_card.body.addWidget(sections_title)
        self.sections_grid = QGridLayout()
        self.sections_grid.setHorizontalSpacing(12)
        self.sections_grid.setVerticalSpacing(6)
        self.sections_grid.setColumnStretch(1, 1)
        self.progress_card.body.addLayout(self.sections_grid)
        self.progress_card.body.addStretch(1)
        self.section_bars: list[tuple[QLabel, QProgressBar, QLabel]] = []

        # Demanda reprimida
        self.demand_card = Card("Demanda reprimida", self.body)
        self.demand_summary = QLabel()
        self.demand_summary.setWordWrap(True)
        self.demand_table = make_table(
            ["Serviço", "Casos em espera", "Maior espera"],
            "Demanda reprimida por serviço",
            right_aligned=(1, 2),
        )
        self.demand_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.demand_empty = CardEmpty(
            "Nenhum caso aguardando atendimento",
            "Registre em Cadastros os casos que esperam PAEFI, medidas socioeducativas ou acolhimento.",
            "Abrir Cadastros",
        )
        self.demand_empty.button.clicked.connect(lambda: self._show_page("registers"))
        self.demand_card.body.addWidget(self.demand_summary)
        self.demand_card.body.addWidget(self.demand_table)
        self.demand_card.body.addWidget(self.demand_empty)

        # Prestações de contas pendentes
        self.accounts_card = Card("Prestações de contas pendentes", self.body)
        self.accounts_table = make_table(
            ["Exercício", "Fonte e descrição", "Situação", "Prazo"],
            "Prestações de contas pendentes",
            right_aligned=(0,),
        )
        self.accounts_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.accounts_empty = CardEmpty(
            "Nenhuma prestação de contas pendente",
            "Cadastre as prestações de contas de cada exercício e fonte para acompanhar as que faltam.",
            "Abrir Cadastros",
        )
        self.accounts_empty.button.clicked.connect(lambda: self._show_page("registers"))
        self.accounts_card.body.addWidget(self.accounts_table)
        self.accounts_card.body.addWidget(self.accounts_empty)

        self.lower_grid = QGridLayout()
        self.lower_grid.setSpacing(16)
        body.addLayout(self.lower_grid)
        self._reflow(1200)
        # Creation order is the Tab order: KPI links, deadlines, demand, accounts (reading order when wide).

        ctx.active_cycle_changed.connect(self._cycle_changed)
        self.refresh()

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def _reflow(self, width: int) -> None:
        kpi_row = width >= KPI_ROW_PX
        if kpi_row != self._kpi_row:
            self._kpi_row = kpi_row
            for index, card in enumerate((self.overdue_card, self.soon_card, self.done_card)):
                card.set_compact(not kpi_row)
                self.kpi_grid.removeWidget(card)
                self.kpi_grid.addWidget(card, 0 if kpi_row else index, index if kpi_row else 0)
            for column in range(3):
                self.kpi_grid.setColumnStretch(column, 1 if kpi_row or column == 0 else 0)
        wide = width >= WIDE_PX
        if wide != self._wide:
            self._wide = wide
            for card in (self.progress_card, self.accounts_card, self.demand_card):
                self.lower_grid.removeWidget(card)
            top = Qt.AlignmentFlag.AlignTop
            if wide:
                self.lower_grid.addWidget(self.progress_card, 0, 0, top)
                self.lower_grid.addWidget(self.demand_card, 0, 1, top)
                self.lower_grid.addWidget(self.accounts_card, 1, 0, 1, 2, top)
                self.lower_grid.setColumnStretch(0, 3)
                self.lower_grid.setColumnStretch(1, 2)
            else:
                self.lower_grid.addWidget(self.progress_card, 0, 0, top)
                self.lower_grid.addWidget(self.demand_card, 1, 0, top)
                self.lower_grid.addWidget(self.accounts_card, 2, 0, top)
                self.lower_grid.setColumnStretch(1, 0)

    # ------------------------------------------------------------------ data
    def _cycle_changed(self, _cycle_id: str) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        today = self.today_provider()
        overview = self._overview(today)
        self._refresh_notices(today, overview)
        self.empty.setVisible(overview is None)
        self.body.setVisible(overview is not None)
        if overview is None:
            self.header.set_subtitle("Nenhum checklist iniciado ainda.")
            return
        cycle = overview.cycle
        state = " (concluído)" if cycle.is_concluded else ""
        self.header.set_subtitle(f"{cycle.title}{state} · situação em {today:%d/%m/%Y}")
        self._refresh_kpis(overview)
        self._refresh_deadlines(overview)
        self._refresh_progress(overview)
        self._refresh_accounts(today)
        self._refresh_demand(today)

    def _overview(self, today: date) -> CycleOverview | None:
        cycle_id = self.ctx.active_cycle_id
        if not cycle_id:
            return None
        try:
            return self.ctx.services.checklists.overview(cycle_id, today=today)
        except UserError:
            return None  # the cycle was removed (e.g. by an import); the empty state says what to do

    def _refresh_notices(self, today: date, overview: CycleOverview | None) -> None:
        while self.notices.count():
            widget = self.notices.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleteLater waits for the event loop; until then it must not show
                widget.deleteLater()
        local = self.ctx.services.local
        messages: list[tuple[str, str]] = []
        if local.is_demo:
            messages.append(
                (
                    "info",
                    "Estes são dados de demonstração, de um município fictício. Para usar com os dados do "
                    "seu município, abra o programa com outra pasta de dados.",
                )
            )
        for text in self.ctx.services.municipalities.warnings(today):
            messages.append(("warning", text))
        if overview is not None and is_municipal_election_year(overview.cycle.reference_year):
            messages.append(("warning", election_notice(overview.cycle.reference_year, today)))
        for kind, text in messages:
            self.notices.addWidget(Notice(text, kind))

    def _refresh_kpis(self, overview: CycleOverview) -> None:
        overall = overview.overall
        soon = [s for s in overview.due_soon if s.days_left is not None and s.days_left <= SOON_DAYS]
        self.overdue_card.set_value(
            len(overview.overdue),
            "Nenhum item em aberto passou do prazo."
            if not overview.overdue
            else "Itens em aberto com prazo vencido.",
        )
        self.soon_card.set_value(len(soon), "Itens em aberto que vencem até a próxima semana.")
        self.done_card.set_value(
            overall.finished,
            f"de {overall.total} itens ({overall.percent}%), contando os marcados “Não se aplica”.",
        )

    def _refresh_deadlines(self, overview: CycleOverview) -> None:
        rows, ids = [], []
        for st in overview.due_soon:
            item = st.item
            assert st.due.date is not None
            assert st.days_left is not None
            rows.append(
                [
                    f"{st.due.date:%d/%m/%Y}",
                    item.item_key,
                    item.title,
                    item.responsible or roles_text(item.roles),
                    days_text(st.days_left),
                ]
            )
            ids.append(item.id)
        fill_table(self.deadlines_table, rows, ids)
        self.deadlines_table.setVisible(bool(rows))
        self.deadlines_empty.setVisible(not rows)

    def _refresh_progress(self, overview: CycleOverview) -> None:
        overall = overview.overall
        self.overall_label.setText(
            f"Total: {overall.finished} de {overall.total} itens resolvidos ({overall.percent}%)"
        )
        self.overall_bar.setValue(overall.percent)
        self.overall_bar.setAccessibleName(f"Progresso total: {overall.percent}%")
        sections = overview.sections
        while len(self.section_bars) < len(sections):
            row = len(self.section_bars)
            title, bar, count = QLabel(), QProgressBar(), QLabel()
            title.setWordWrap(True)
            bar.setRange(0, 100)
            bar.setFormat("%p%")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.sections_grid.addWidget(title, row, 0)
            self.sections_grid.addWidget(bar, row, 1)
            self.sections_grid.addWidget(count, row, 2)
            self.section_bars.append((title, bar, count))
        for index, (title, bar, count) in enumerate(self.section_bars):
            visible = index < len(sections)
            for widget in (title, bar, count):
                widget.setVisible(visible)
            if visible:
                self._set_section(sections[index], title, bar, count)

    @staticmethod
    def _set_section(section: Progress, title: QLabel, bar: QProgressBar, count: QLabel) -> None:
        title.setText(section.title)
        title.setMinimumWidth(180)
        title.setMaximumWidth(280)
        bar.setValue(section.percent)
        late = f" · {section.overdue} atrasado{'s' if section.overdue > 1 else ''}" if section.overdue else ""
        count.setText(f"{section.finished} de {section.total}{late}")
        bar.setAccessibleName(
            f"{section.title}: {section.percent}% ({section.finished} de {section.total} itens){late}"
        )

    def _refresh_accounts(self, today: date) -> None:
        registers = self.ctx.services.registers
        spec = registers.spec("accountability")
        pending = [r for r in registers.list("accountability") if r["status"] != "aprovada"]
        pending.sort(key=lambda r: (r["deadline"] or "9999", r["fiscal_year"] or 0))
        rows = []
        for record in pending:
            deadline = record["deadline"]
            due = format_date(deadline) if deadline else "Sem prazo informado"
            if deadline and date.fromisoformat(deadline) < today:
                due += " (vencido)"
            source = spec.field("source").choice_label(record["source"])
            if record["description"]:
                source = f"{source} — {record['description']}"
            rows.append(
                [str(record["fiscal_year"]), source, spec.field("status").choice_label(record["status"]), due]
            )
        fill_table(self.accounts_table, rows)
        self.accounts_table.setVisible(bool(rows))
        self.accounts_empty.setVisible(not rows)

    def _refresh_demand(self, today: date) -> None:
        registers = self.ctx.services.registers
        spec = registers.spec("unmet_demand")
        by_service: dict[str, list[int]] = {}
        for record in registers.list("unmet_demand"):
            if record["status"] not in WAITING_STATUSES:
                continue
            received = record["received_on"]
            waited = (today - date.fromisoformat(received)).days if received else 0
            by_service.setdefault(record["service"], []).append(waited)
        ordered = sorted(by_service.items(), key=lambda pair: (-len(pair[1]), -max(pair[1])))
        rows = [
            [spec.field("service").choice_label(code), str(len(waits)), f"{max(waits)} dias"]
            for code, waits in ordered
        ]
        total = sum(len(waits) for waits in by_service.values())
        self.demand_summary.setText(
            f"{total} caso{'s' if total != 1 else ''} esperando atendimento "
            "(situação “Aguardando” ou “Encaminhado à referência regional”)."
        )
        fill_table(self.demand_table, rows)
        for widget in (self.demand_table, self.demand_summary):
            widget.setVisible(bool(rows))
        self.demand_empty.setVisible(not rows)

    # ------------------------------------------------------------------ actions
    def start_closing(self) -> None:
        """Empty-state action: start (or reopen the view of) this year's closing and show it."""
        year = self.today_provider().year
        checklists = self.ctx.services.checklists
        existing = [c for c in checklists.cycles(CycleKind.CLOSING) if c.reference_year == year]
        try:
            cycle = (
                existing[0]
                if existing
                else checklists.start_cycle(actor=self.ctx.actor, kind=CycleKind.CLOSING, reference_year=year)
            )
        except SuasError as exc:
            show_error(self, exc)
            return
        self.ctx.set_active_cycle(cycle.id)
        self.ctx.notify("cycle")
        self.refresh()
        self.open_checklists("")

    def open_checklists(self, view_filter: str) -> None:
        """Switch to Checklists; ``view_filter`` is "overdue", "due_soon", "done" or "" (all)."""

        page = self._show_page("checklists")
        if page is not None and view_filter and hasattr(page, "show_filter"):
            page.show_filter(view_filter)

    def _deadline_activated(self, index) -> None:
        item = self.deadlines_table.item(index.row(), 0)
        if item is None:
            return
        page = self._show_page("checklists")
        if page is not None and hasattr(page, "focus_record"):
            page.focus_record("item", item.data(Qt.ItemDataRole.UserRole))

    def _show_page(self, key: str) -> QWidget | None:
        window = self.window()
        if hasattr(window, "show_page"):
            return window.show_page(key)
        return None

    # for tests and screen readers
    def kpi_texts(self) -> dict[str, str]:
        return {
            card.title: card.number.text() for card in (self.overdue_card, self.soon_card, self.done_card)
        }

    def section_values(self) -> dict[str, int]:
        return {title.text(): bar.value() for title, bar, _ in self.section_bars if not title.isHidden()}

    def button(self, text: str) -> QPushButton | None:
        for button in self.findChildren(QPushButton):
            if button.text() == text and not button.isHidden():
                return button
        return None
