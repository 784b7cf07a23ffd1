"""Cadastros: the 18 registers behind the dossier, one table each, with form, spreadsheets and undo.

Left, the registers grouped by subject with their record counts; right, the chosen register: description,
actions, a search box that filters every visible column (accents and case ignored), the record count and
the table. "Trabalhadores" also has the "Equipes de referência" tab comparing each CRAS and CREAS team with
the NOB-RH.

Every change goes through the service at once and is pushed on the undo stack (``register_commands``); the
message bar offers Desfazer. The page reloads only what a ``data_changed`` signal touched, and only while it
is visible (``refresh`` catches up when the window shows it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.register_fields import FieldKind, RegisterSpec
from suas_desktop.domain.registers import REGISTERS, UNIT_KINDS
from suas_desktop.errors import SuasError
from suas_desktop.services.register_service import ImportResult, UnitTeam
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.import_dialog import ImportDialog
from suas_desktop.ui.dialogs.record_dialog import RecordDialog
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.models.register_table_model import (
    RECORD_ID_ROLE,
    RegisterFilterProxy,
    RegisterTableModel,
    column_widths,
)
from suas_desktop.ui.pages.register_commands import CreateRecord, DeleteRecord, RecordIds, UpdateRecord
from suas_desktop.ui.widgets import (
    Card,
    EmptyState,
    MessageBar,
    ScreenHeader,
    primary_button,
    secondary_button,
)

#: The registers on the left, grouped by subject (every register exactly once).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Rede e serviços", ("units", "unit_services", "regional_references")),
    ("Pessoas", ("staff", "council_members", "system_access")),
    ("Finanças", ("accounts", "accountability", "eventual_benefits")),
    ("Parcerias, contratos e bens", ("partnerships", "contracts", "assets")),
    ("Demanda", ("unmet_demand", "outside_care")),
    ("Gestão", ("legislation", "council_resolutions", "liabilities", "stock")),
)

#: One plain sentence per register, used when the RegisterSpec has no description of its own. Acronyms are
#: spelled out here because this is the first place the screen shows them.
DESCRIPTIONS: dict[str, str] = {
    "units": "Os equipamentos da rede: Centro de Referência de Assistência Social (CRAS), Centro de "
    "Referência Especializado (CREAS), acolhimento, sede e outros, com endereço e famílias referenciadas.",
    "unit_services": "Os serviços tipificados que cada unidade oferece no ano, com capacidade, meta e "
    "atendimentos.",
    "regional_references": "Serviços que o município usa fora dele: CREAS regional, consórcios e "
    "acolhimento regional.",
    "staff": "As pessoas que trabalham no SUAS do município, com vínculo, profissão e unidade. "
    "Serve para comparar as equipes com a Norma Operacional Básica de Recursos Humanos (NOB-RH).",
    "council_members": "Conselheiros do Conselho Municipal de Assistência Social (CMAS), com segmento e "
    "mandato.",
    "system_access": "Quem tem acesso a cada sistema externo e com qual perfil. Nunca registre senhas aqui.",
    "accounts": "As contas do Fundo Municipal de Assistência Social (FMAS), com saldos em 31/12 e saldo a "
    "reprogramar.",
    "accountability": "As prestações de contas por exercício e fonte, com prazos, envio e parecer do "
    "Conselho Municipal de Assistência Social (CMAS).",
    "eventual_benefits": "Benefícios eventuais concedidos por ano e tipo, com quantidade e valor.",
    "partnerships": "Parcerias com organizações da sociedade civil pelo Marco Regulatório das "
    "Organizações da Sociedade Civil (MROSC).",
    "contracts": "Contratos em vigor, com valor, prazo e quem fiscaliza.",
    "assets": "Bens patrimoniais: veículos, imóveis, equipamentos e móveis, com plaqueta e estado.",
    "unmet_demand": "Casos que esperam atendimento na média ou alta complexidade. Use um código, nunca "
    "o nome.",
    "outside_care": "Pessoas acolhidas em outro município, por código do caso, com a forma de custeio.",
    "legislation": "Leis e decretos municipais do SUAS, do fundo municipal (FMAS), do conselho (CMAS) e "
    "dos benefícios eventuais.",
    "council_resolutions": "Resoluções do Conselho Municipal de Assistência Social (CMAS): contas, "
    "planos, orçamento e inscrições.",
    "liabilities": "Diligências, processos, termos de ajustamento de conduta (TAC) e contas pendentes que "
    "a gestão precisa conhecer.",
    "stock": "Itens guardados para entrega ou uso, com quantidade, local e validade.",
}

_UNIT_KIND_LABELS = dict(UNIT_KINDS)


def confirm_delete(parent: QWidget | None, spec: RegisterSpec, title: str) -> bool:
    """Ask before deleting, naming the record; Cancelar is the default (tests replace this function)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Excluir registro")
    box.setText(f"Excluir o registro “{title}” de {spec.label}?")
    box.setInformativeText("Se mudar de ideia, use Desfazer logo em seguida (Ctrl+Z).")
    delete = box.addButton("Excluir Registro", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}".replace(",", ".")


def _documents_dir() -> Path:
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home()
    )


class _FittedTable(QTableWidget):
    """A small table that wraps long text and is exactly as tall as its rows (the page scrolls, not it)."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(32)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(row) for row in range(self.rowCount()))
        height = self.horizontalHeader().height() + rows + 2 * self.frameWidth()
        if self.height() != height:
            self.setFixedHeight(height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()


class TeamPanel(QWidget):
    """Each CRAS and CREAS team against the NOB-RH reference team (RegisterService.team_comparisons)."""

    def __init__(
        self, ctx: AppContext, go_to_units: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._go_to_units = go_to_units
        self.cards: list[Card] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        intro = QLabel(
            "Compara a equipe de cada Centro de Referência de Assistência Social (CRAS) e de cada Centro de "
            "Referência Especializado de Assistência Social (CREAS) com a equipe de referência da Norma "
            "Operacional Básica de Recursos Humanos do SUAS (NOB-RH/SUAS). Cada pessoa conta uma vez, pela "
            "profissão e pela unidade do seu cadastro."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.stack = QStackedWidget()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.stack.addWidget(self.scroll)
        self.empty = EmptyState(
            "Cadastre os CRAS e CREAS do município",
            "A comparação aparece aqui quando houver unidades desse tipo no cadastro de Unidades.",
            "Ir para Unidades",
        )
        self.empty.action_clicked.connect(self._go_to_units)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def refresh(self) -> None:
        teams = self.ctx.services.registers.team_comparisons()
        self.cards = []
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(16)
        for team in teams:
            card = self._team_card(team)
            self.cards.append(card)
            column.addWidget(card)
        column.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(content)
        self.stack.setCurrentWidget(self.scroll if teams else self.empty)

    def _team_card(self, team: UnitTeam) -> Card:
        comparison = team.comparison
        service = self.ctx.services.registers
        unit_title = service.title(REGISTERS["units"], team.unit)
        kind = _UNIT_KIND_LABELS.get(comparison.unit_kind, comparison.unit_kind)
        card = Card(f"{unit_title} ({kind})")
        card.setProperty("complete", comparison.complete)
        if comparison.complete:
            status = QLabel("✓  Equipe completa")
            status.setProperty("chip", "success")
        else:
            missing = comparison.missing_total
            verb = "falta" if missing == 1 else "faltam"
            status = QLabel(f"!  Equipe incompleta: {verb} {_plural(missing, 'pessoa', 'pessoas')}")
            status.setProperty("chip", "warning")
        status.setObjectName("teamStatus")
        status.setAccessibleName(status.text().replace("✓", "").replace("!", "").strip())
        status_row = QHBoxLayout()
        status_row.addWidget(status)
        status_row.addStretch(1)
        card.body.addLayout(status_row)
        reference = QLabel(f"Equipe de referência: {comparison.reference}")
        reference.setWordWrap(True)
        card.body.addWidget(reference)

        table = _FittedTable(len(comparison.requirements), 4)
        table.setObjectName("teamTable")
        table.setAccessibleName(f"Equipe de {unit_title}: exigido, cadastrado e faltam")
        table.setHorizontalHeaderLabels(["Requisito", "Exigido", "Cadastrado", "Faltam"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for section in (1, 2, 3):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeaderItem(section).setTextAlignment(right)
        table.horizontalHeaderItem(0).setTextAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        bold = QFont(table.font())
        bold.setBold(True)
        for row, requirement in enumerate(comparison.requirements):
            table.setItem(row, 0, QTableWidgetItem(requirement.label))
            for column, value in enumerate(
                (requirement.required, requirement.counted, requirement.missing), 1
            ):
                item = QTableWidgetItem(str(value))
                item.setTextAlignment(right)
                if column == 3 and value:
                    item.setFont(bold)
                table.setItem(row, column, item)
        for row, requirement in enumerate(comparison.requirements):
            table.item(row, 0).setToolTip(requirement.label)
        card.body.addWidget(table)
        if comparison.notes:
            notes = QLabel("\n".join(f"• {note}" for note in comparison.notes))
            notes.setObjectName("teamNotes")
            notes.setWordWrap(True)
            card.body.addWidget(notes)
        source = QLabel(f"Fonte: {comparison.source}")
        source.setObjectName("muted")
        source.setWordWrap(True)
        card.body.addWidget(source)
        return card


class RegistersPage(QWidget):
    """The Cadastros screen. ``refresh()`` and ``focus_record(kind, record_id)`` are called by the window."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids = RecordIds()
        self.spec: RegisterSpec = REGISTERS[GROUPS[0][1][0]]
        self._dirty_counts = True
        self._dirty_table = True
        self._dirty_team = True
        self._message_action: Callable[[], None] | None = None
        self._undo_index = -1
        self._shown_name = ""

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(8)
        root.addWidget(
            ScreenHeader(
                "Cadastros",
                "Os dados que entram no Dossiê de Transição e no Relatório de Encerramento do Exercício. "
                "Tudo é salvo na hora.",
            )
        )
        self.message = MessageBar()
        self.message.action_clicked.connect(self._message_action_clicked)
        root.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_navigation())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        root.addWidget(splitter, 1)

        self._build_actions()
        self.ctx.data_changed.connect(self._data_changed)
        self._refresh_counts()
        self.select_register(self.spec.name)

    # ------------------------------------------------------------------ building
    def _build_navigation(self) -> QWidget:
        self.nav = QTreeWidget()
        self.nav.setObjectName("registerList")
        self.nav.setAccessibleName("Lista de cadastros")
        self.nav.setColumnCount(2)
        self.nav.setHeaderHidden(True)
        self.nav.setRootIsDecorated(False)
        self.nav.setIndentation(12)
        self.nav.setMinimumWidth(250)
        self.nav.setUniformRowHeights(True)
        self.nav.header().setStretchLastSection(False)
        self.nav.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.nav.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._nav_items: dict[str, QTreeWidgetItem] = {}
        group_font = QFont(self.nav.font())
        group_font.setBold(True)
        for group, names in GROUPS:
            group_item = QTreeWidgetItem([group, ""])
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group_item.setFont(0, group_font)
            group_item.setSizeHint(0, QSize(0, 30))
            self.nav.addTopLevelItem(group_item)
            for name in names:
                spec = REGISTERS[name]
                item = QTreeWidgetItem([spec.label, ""])
                item.setData(0, Qt.ItemDataRole.UserRole, name)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setSizeHint(0, QSize(0, 26))
                group_item.addChild(item)
                self._nav_items[name] = item
            group_item.setExpanded(True)
            group_item.setFirstColumnSpanned(True)
        self.nav.currentItemChanged.connect(self._nav_changed)
        return self.nav

    def _build_detail(self) -> QWidget:
        detail = QWidget()
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(16, 0, 0, 0)
        layout.setSpacing(8)
        self.title_label = QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.description_label = QLabel()
        self.description_label.setObjectName("muted")
        self.description_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.new_button = primary_button("Novo Registro")
        self.new_button.setToolTip("Incluir um registro neste cadastro (Ctrl+N)")
        self.edit_button = secondary_button("Editar")
        self.edit_button.setToolTip("Abrir o registro escolhido (Enter ou clique duplo)")
        self.delete_button = secondary_button("Excluir")
        self.delete_button.setToolTip("Excluir o registro escolhido (Delete); dá para desfazer")
        self.import_button = secondary_button("Importar Planilha")
        self.import_button.setToolTip("Trazer vários registros de uma planilha do Excel ou arquivo CSV")
        self.export_button = secondary_button("Exportar Planilha")
        self.export_button.setToolTip("Salvar todos os registros deste cadastro numa planilha")
        self.template_button = secondary_button("Baixar Modelo")
        self.template_button.setToolTip("Salvar uma planilha em branco com as colunas certas, para preencher")
        for button in (self.new_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        # The spreadsheet buttons sit at the right of the record buttons, or on a line of their own when the
        # detail pane is too narrow for both (small windows, 150 % text): see _place_sheet_buttons.
        self.sheet_buttons = QWidget()
        sheet_row = QHBoxLayout(self.sheet_buttons)
        sheet_row.setContentsMargins(0, 0, 0, 0)
        sheet_row.setSpacing(8)
        for button in (self.import_button, self.export_button, self.template_button):
            sheet_row.addWidget(button)
        self._actions_row = actions
        self._sheet_row = QHBoxLayout()
        self._sheet_row.setContentsMargins(0, 0, 0, 0)
        self._sheet_row.addStretch(1)
        actions.addWidget(self.sheet_buttons)
        layout.addLayout(actions)
        layout.addLayout(self._sheet_row)
        # An explicit minimum stops the button row from dictating the window's minimum width.
        detail.setMinimumWidth(440)
        detail.installEventFilter(self)
        self._detail = detail

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.records_tab = QWidget()
        records = QVBoxLayout(self.records_tab)
        records.setContentsMargins(0, 8, 0, 0)
        records.setSpacing(8)
        search_row = QHBoxLayout()
        search_label = QLabel("&Pesquisar neste cadastro:")
        search_label.setObjectName("fieldLabel")
        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setAccessibleName("Pesquisar neste cadastro")
        self.search.setPlaceholderText("Nome, unidade, situação…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(420)
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._search_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        search_row.addStretch(0)
        search_row.addWidget(self.count_label)
        records.addLayout(search_row)

        self.model = RegisterTableModel(self.spec, self)
        self.proxy = RegisterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.empty: EmptyState | None = None
        records.addWidget(self.table_stack, 1)
        self.tabs.addTab(self.records_tab, "Registros")
        self.team_panel = TeamPanel(self.ctx, lambda: self.select_register("units"))
        self.tabs.currentChanged.connect(lambda _: self._refresh_team_if_shown())
        layout.addWidget(self.tabs, 1)

        self.new_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_spreadsheet)
        self.export_button.clicked.connect(self.export_spreadsheet)
        self.template_button.clicked.connect(self.save_template)
        return detail

    def _build_actions(self) -> None:
        new = QAction("Novo Registro", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.add_record)
        self.addAction(new)
        edit = QAction("Editar", self.table)
        edit.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter), QKeySequence("F2")]
        )
        edit.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit.triggered.connect(self.edit_selected)
        self.table.addAction(edit)
        delete = QAction("Excluir", self.table)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.table.addAction(delete)
        self.new_action, self.edit_action, self.delete_action = new, edit, delete
        QWidget.setTabOrder(self.nav, self.new_button)
        chain = [
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.export_button,
            self.template_button,
            self.tabs,
            self.search,
            self.table,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is getattr(self, "_detail", None) and event.type() == QEvent.Type.Resize:
            self._place_sheet_buttons()
        return super().eventFilter(watched, event)

    def _place_sheet_buttons(self) -> None:
        record_buttons = sum(
            b.sizeHint().width() + 8 for b in (self.new_button, self.edit_button, self.delete_button)
        )
        margins = self._detail.contentsMargins()
        room = self._detail.width() - margins.left() - margins.right()
        fits = record_buttons + 16 + self.sheet_buttons.sizeHint().width() <= room
        in_first_row = self._actions_row.indexOf(self.sheet_buttons) >= 0
        if fits and not in_first_row:
            self._sheet_row.removeWidget(self.sheet_buttons)
            self._actions_row.addWidget(self.sheet_buttons)
        elif not fits and in_first_row:
            self._actions_row.removeWidget(self.sheet_buttons)
            self._sheet_row.insertWidget(0, self.sheet_buttons)

    # ------------------------------------------------------------------ choosing a register
    def select_register(self, name: str) -> None:
        item = self._nav_items[name]
        if self.nav.currentItem() is item:
            self._show_register(name)
        else:
            self.nav.setCurrentItem(item)

    def _nav_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        name = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        if name:
            self._show_register(name)

    def _show_register(self, name: str) -> None:
        changed = name != self._shown_name
        self._shown_name = name
        self.spec = REGISTERS[name]
        self.title_label.setText(self.spec.label)
        self.title_label.setAccessibleName(f"Cadastro de {self.spec.label}")
        self.description_label.setText(self.spec.description or DESCRIPTIONS.get(name, ""))
        if changed:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.proxy.set_search("")
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.proxy.sort(-1)
            self.model.set_spec(self.spec)
        self.table.setAccessibleName(f"Tabela de {self.spec.label}")
        is_staff = name == "staff"
        team_index = self.tabs.indexOf(self.team_panel)
        if is_staff and team_index < 0:
            self.tabs.addTab(self.team_panel, "Equipes de Referência")
        elif not is_staff and team_index >= 0:
            self.tabs.setCurrentWidget(self.records_tab)
            self.tabs.removeTab(team_index)
        self.tabs.tabBar().setVisible(is_staff)
        self._reload_table(resize=changed)
        self._refresh_team_if_shown()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Catch up with data changes (the window calls this when it shows the page)."""
        if self._dirty_counts:
            self._refresh_counts()
        if self._dirty_table:
            self._reload_table(resize=False)
        self._refresh_team_if_shown()

    def _data_changed(self, entity: str) -> None:
        self._dirty_counts = True
        refs = {f.ref for f in self.spec.fields if f.kind is FieldKind.REF}
        if entity in ("*", self.spec.name) or entity in refs:
            self._dirty_table = True
        if entity in ("*", "staff", "units", "municipality"):
            self._dirty_team = True
        if self.isVisible():
            self.refresh()

    def _refresh_counts(self) -> None:
        service = self.ctx.services.registers
        for name, item in self._nav_items.items():
            count = service.count(name)
            label = REGISTERS[name].label
            item.setText(1, f"{count:,}".replace(",", "."))
            item.setToolTip(0, f"{label}: {_plural(count, 'registro', 'registros')}")
            item.setData(
                0, Qt.ItemDataRole.AccessibleTextRole, f"{label}, {_plural(count, 'registro', 'registros')}"
            )
        self._dirty_counts = False

    def _reload_table(self, *, resize: bool) -> None:
        service = self.ctx.services.registers
        selected = self.selected_id()
        self.model.set_records(service.list(self.spec.name), service.ref_labels(self.spec))
        self._dirty_table = False
        if resize:
            font = QFont(self.table.font())
            font.setBold(True)
            metrics = QFontMetrics(font)
            for column, width in enumerate(column_widths(self.model, metrics.horizontalAdvance)):
                self.table.setColumnWidth(column, width)
        if selected:
            self.select_record(selected, focus=False)
        self._update_count_and_empty()
        self._update_buttons()

    def _refresh_team_if_shown(self) -> None:
        if self.tabs.currentWidget() is self.team_panel and self._dirty_team:
            self.team_panel.refresh()
            self._dirty_team = False

    # ------------------------------------------------------------------ search, count, empty states
    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count_and_empty()
        self._update_buttons()

    def _update_count_and_empty(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if shown == total:
            self.count_label.setText(_plural(total, "registro", "registros"))
        else:
            self.count_label.setText(
                f"{shown:,} de {_plural(total, 'registro', 'registros')}".replace(",", ".")
            )
        if total == 0:
            self._set_empty(
                f"Comece o cadastro de {self.spec.label}",
                "Clique em Novo Registro para incluir um por um, ou em Importar Planilha para trazer vários "
                "de uma vez.",
                "Novo Registro",
                self.add_record,
            )
        elif shown == 0:
            self._set_empty(
                f"Nenhum registro encontrado para “{self.search.text().strip()}”",
                "Confira a grafia ou limpe a busca para ver todos os registros.",
                "Limpar Busca",
                self.search.clear,
            )
        else:
            self.table_stack.setCurrentWidget(self.table)

    def _set_empty(self, title: str, text: str, action: str, handler: Callable[[], None]) -> None:
        if self.empty is not None:
            self.table_stack.removeWidget(self.empty)
            self.empty.deleteLater()
        self.empty = EmptyState(title, text, action)
        self.empty.setObjectName("emptyState")
        self.empty.action_clicked.connect(handler)
        self.table_stack.addWidget(self.empty)
        self.table_stack.setCurrentWidget(self.empty)

    def _update_buttons(self) -> None:
        has_row = bool(self.selected_id())
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)
        self.export_button.setEnabled(self.model.rowCount() > 0)

    # ------------------------------------------------------------------ selection
    def selected_id(self) -> str:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(RECORD_ID_ROLE) if rows else ""

    def select_record(self, record_id: str, *, focus: bool = True) -> bool:
        row = self.model.row_of(self.ids.current(record_id))
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if focus:
            self.table.setFocus()
        return True

    def focus_record(self, kind: str, record_id: str) -> None:
        """Show a record found by the global search (``kind`` is the register name)."""
        if kind not in REGISTERS:
            return
        self.select_register(kind)
        self.tabs.setCurrentWidget(self.records_tab)
        if self.search.text():
            self.search.clear()
        self.refresh()
        self.select_record(record_id)

    # ------------------------------------------------------------------ messages and undo
    def _say(
        self, text: str, kind: str = "success", action: str = "", handler: Callable[[], None] | None = None
    ) -> None:
        self._message_action = handler
        self.message.show_message(text, kind, action)
        # WORKAROUND: MessageBar repolishes only itself, so its label keeps the colour of the previous kind.
        self.message.label.style().unpolish(self.message.label)
        self.message.label.style().polish(self.message.label)

    def _message_action_clicked(self) -> None:
        if self._message_action is not None:
            self._message_action()

    def _push(self, command: object) -> None:
        self.ctx.undo_stack.push(command)  # type: ignore[arg-type]
        self._undo_index = self.ctx.undo_stack.index()

    def _undo_last(self) -> None:
        """[Desfazer] in the message bar: undo the change it announced, if it is still the last one."""
        stack = self.ctx.undo_stack
        if stack.index() == self._undo_index and stack.canUndo():
            stack.undo()
            self._say("Alteração desfeita.", "info")
        else:
            self._say("Use Desfazer no menu ou Ctrl+Z para voltar as alterações uma a uma.", "info")

    # ------------------------------------------------------------------ actions
    def add_record(self) -> None:
        saved = RecordDialog.ask(self, self.ctx, self.spec)
        if saved is None:
            return
        name = self.spec.name
        self._push(
            CreateRecord(
                self.ctx,
                name,
                self.ids,
                record_id=saved["id"],
                values=saved["values"],
                title=saved["title"],
                parent_widget=self,
            )
        )
        self.refresh()
        if self.search.text() and not self.select_record(saved["id"]):
            self.search.clear()
        self.select_record(saved["id"])
        self._say(f"Registro “{saved['title']}” incluído.", action="Desfazer", handler=self._undo_last)

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if not record_id:
            return
        name = self.spec.name
        try:
            record = self.ctx.services.registers.get(name, record_id)
        except SuasError as exc:
            show_error(self, exc)
            self.ctx.notify(name)
            return
        saved = RecordDialog.ask(self, self.ctx, self.spec, record)
        if saved is None:
            return
        self._push(
            UpdateRecord(
                self.ctx,
                name,
                self.ids,
                record_id=saved["id"],
                before=saved["previous"] or {},
                after=saved["values"],
                title=saved["title"],
                parent_widget=self,
            )
        )
        self.refresh()
        self.select_record(saved["id"])
        self._say(f"Alterações salvas às {datetime.now():%H:%M}.", action="Desfazer", handler=self._undo_last)

    def delete_selected(self) -> None:
        record_id = self.selected_id()
        if not record_id:
            return
        service = self.ctx.services.registers
        name = self.spec.name
        try:
            record = service.get(name, record_id)
        except SuasError as exc:
            show_error(self, exc)
            self.ctx.notify(name)
            return
        title = service.title(self.spec, record) or self.spec.singular
        if not confirm_delete(self, self.spec, title):
            return
        row = self.table.selectionModel().selectedRows()[0].row()
        try:
            service.delete(actor=self.ctx.actor, name=name, record_id=record_id)
        except SuasError as exc:
            show_error(self, exc)
            return
        self._push(
            DeleteRecord(
                self.ctx,
                name,
                self.ids,
                record_id=record_id,
                values=record.values,
                title=title,
                parent_widget=self,
            )
        )
        self.refresh()
        if self.proxy.rowCount():
            index = self.proxy.index(min(row, self.proxy.rowCount() - 1), 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._say(f"Registro “{title}” excluído.", action="Desfazer", handler=self._undo_last)

    def import_spreadsheet(self) -> None:
        result: ImportResult | None = ImportDialog.ask(self, self.ctx, self.spec.name)
        if result is None:
            return
        self.ctx.notify(self.spec.name)
        parts = []
        if result.created:
            parts.append(_plural(result.created, "registro incluído", "registros incluídos"))
        if result.updated:
            parts.append(_plural(result.updated, "registro atualizado", "registros atualizados"))
        text = (
            " e ".join(parts)
            if parts
            else "Nenhum registro mudou: a planilha é igual ao que já estava cadastrado"
        )
        self._say(f"Planilha importada: {text}.")

    def _ask_save_path(self, caption: str, suggested: str, filters: str) -> Path | None:
        path, chosen_filter = QFileDialog.getSaveFileName(
            self, caption, str(_documents_dir() / suggested), filters
        )
        if not path:
            return None
        result = Path(path)
        if result.suffix.lower() not in (".xlsx", ".csv"):
            result = result.with_name(
                result.name + (".csv" if "csv" in (chosen_filter or "").lower() else ".xlsx")
            )
        return result

    def export_spreadsheet(self) -> None:
        spec = self.spec
        path = self._ask_save_path(
            f"Exportar {spec.label}", f"{spec.label}.xlsx", "Planilha do Excel (*.xlsx);;Arquivo CSV (*.csv)"
        )
        if path is None:
            return
        service = self.ctx.services.registers

        def work(progress, cancel) -> int:
            progress(0, 0, f"Exportando {spec.label}…")
            return service.export_file(spec.name, path)

        def done(count: int) -> None:
            self._say(
                f"{_plural(count, 'registro exportado', 'registros exportados')} para {path.name}, "
                f"na pasta {path.parent}.",
                action="Abrir Pasta",
                handler=lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))),
            )

        self.ctx.runner.start(
            work,
            on_success=done,
            on_failure=lambda exc: show_error(self, exc),
            parent=self,
            title="Exportando…",
        )

    def save_template(self) -> None:
        spec = self.spec
        path = self._ask_save_path(
            f"Baixar modelo de {spec.label}", f"Modelo - {spec.label}.xlsx", "Planilha do Excel (*.xlsx)"
        )
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            self.ctx.services.registers.write_template(spec.name, path)
        except SuasError as exc:
            show_error(self, exc)
            return
        self._say(
            f"Modelo salvo em {path.name}, na pasta {path.parent}. Preencha e use Importar Planilha.",
            action="Abrir Pasta",
            handler=lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))),
        )

    # ------------------------------------------------------------------ for tests and the window
    def all_register_names(self) -> list[str]:
        names = []
        iterator = QTreeWidgetItemIterator(self.nav)
        while iterator.value():
            name = iterator.value().data(0, Qt.ItemDataRole.UserRole)
            if name:
                names.append(name)
            iterator += 1
        return names
