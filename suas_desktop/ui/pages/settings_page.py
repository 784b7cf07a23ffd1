"""Configurações: município, responsáveis e usuário, datas-chave do ciclo, feriados, dados e cópias,
aparência, sobre.

Every change is saved when the user leaves the field (or clicks the action button); there is no
Salvar button to forget. Wrong values get a message under the field and are not saved.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap, QUndoCommand
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME, __version__
from suas_desktop.domain.cycle import Cycle
from suas_desktop.domain.deadlines import EVENT_LABELS, Continuous, EventDate, KeyEvent, Provenance, Relative
from suas_desktop.errors import SuasError, ValidationError
from suas_desktop.services.backup_service import BackupInfo
from suas_desktop.ui import theme
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.municipality_form import (
    DATE_EXAMPLE,
    DateField,
    MandatesForm,
    MunicipalityForm,
    field_label,
    help_label,
    set_invalid,
)
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.first_run_wizard import ROLE_SUGGESTIONS
from suas_desktop.ui.pages.dashboard_page import CardEmpty, Notice, fill_table, make_table
from suas_desktop.ui.pages.trust_store_panel import TrustStorePanel
from suas_desktop.ui.pages.users_panel import UsersPanel
from suas_desktop.ui.widgets import (
    EmptyState,
    FieldError,
    MessageBar,
    ScreenHeader,
    primary_button,
    secondary_button,
)

THEME_KEY = theme.THEME_KEY
THEME_CHOICES = (("light", "Claro"), ("dark", "Escuro"), ("system", "Igual ao sistema"))


def apply_saved_theme(ctx: AppContext, app: QApplication | None = None) -> None:
    """Apply the theme chosen in Configurações (call once at start-up, after the context exists)."""
    app = app or QApplication.instance()
    if app is not None:
        theme.apply_choice(app, ctx.services.local.get(THEME_KEY))


def size_text(size: int) -> str:
    """1,5 MB / 320 KB, pt-BR decimal comma."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def event_label(event: KeyEvent) -> str:
    text = EVENT_LABELS[event]
    return text[:1].upper() + text[1:]


def _scrolling(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    widget.setObjectName("content")
    scroll.setWidget(widget)
    return scroll


def _tab_body() -> tuple[QWidget, QVBoxLayout]:
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(16, 16, 16, 16)
    layout.setSpacing(16)
    return body, layout


# ------------------------------------------------------------------ key date dialog


class EventDateDialog(QDialog):
    """Enter or correct a key date and say where it comes from (the norm, its publication)."""

    def __init__(self, label: str, current: EventDate | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: {label}")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        intro = QLabel(f"Data-chave: <b>{label}</b>. Os prazos que contam a partir dela mudam na hora.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        provenance = current.provenance if current else Provenance()
        self.day = DateField()
        self.day.set_date(current.date if current else None)
        self.norm = QLineEdit(provenance.norm)
        self.published = DateField()
        self.published.set_date(provenance.published)
        self.changed_by = QLineEdit(provenance.changed_by)
        self.note = QLineEdit(provenance.note)
        self.errors: dict[str, FieldError] = {}
        for name, text, widget in (
            ("day", "&Data", self.day),
            ("norm", "&Norma ou documento que fixa a data (opcional)", self.norm),
            ("published", "&Publicada em (opcional)", self.published),
            ("changed_by", "&Alterada por (opcional)", self.changed_by),
            ("note", "&Observação (opcional)", self.note),
        ):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
            self.errors[name] = FieldError()
            layout.addWidget(self.errors[name])
        self.norm.setPlaceholderText("Ex.: Portaria MDS nº 1.000/2026")
        self.changed_by.setPlaceholderText("Ex.: Portaria MDS nº 1.050/2026")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Salvar Data")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancelar")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.result_value: tuple[date, Provenance] | None = None
        self.setMinimumWidth(520)

    def accept(self) -> None:
        problems: dict[str, str] = {}
        day = published = None
        try:
            day = self.day.date_value()
        except ValueError:
            problems["day"] = f"Data: {DATE_EXAMPLE}"
        if day is None and "day" not in problems:
            problems["day"] = f"Informe a data. {DATE_EXAMPLE}"
        try:
            published = self.published.date_value()
        except ValueError:
            problems["published"] = f"Publicada em: {DATE_EXAMPLE}"
        for name, error in self.errors.items():
            error.show_error(problems.get(name, ""))
        if problems:
            return
        assert day is not None
        self.result_value = (
            day,
            Provenance(
                norm=self.norm.text().strip(),
                published=published,
                changed_by=self.changed_by.text().strip(),
                note=self.note.text().strip() or "Data informada pela equipe do município.",
            ),
        )
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, label: str, current: EventDate | None
    ) -> tuple[date, Provenance] | None:
        dialog = cls(label, current, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


class _RemoveHoliday(QUndoCommand):
    """Removing a municipal holiday, undoable (Ctrl+Z or Desfazer in the message)."""

    def __init__(self, page: SettingsPage, holiday: tuple[str, date, str, bool]) -> None:
        super().__init__(f"Remover o feriado {holiday[2]}")
        self.page = page
        self.holiday_id, self.day, self.name, self.recurring = holiday

    def redo(self) -> None:
        ctx = self.page.ctx
        try:
            ctx.services.municipalities.remove_holiday(actor=ctx.actor, holiday_id=self.holiday_id)
        except SuasError as exc:
            show_error(self.page, exc)
        ctx.notify("municipal_holiday")

    def undo(self) -> None:
        ctx = self.page.ctx
        try:
            self.holiday_id = ctx.services.municipalities.add_holiday(
                actor=ctx.actor, day=self.day, name=self.name, recurring=self.recurring
            )
        except SuasError as exc:
            show_error(self.page, exc)
        ctx.notify("municipal_holiday")


# ------------------------------------------------------------------ page


class SettingsPage(QWidget):
    #: Reads its data in ``__init__`` (MainWindow does not refresh it again when first shown).
    loads_on_init = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._profile_loaded = False
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 8)
        root.setSpacing(8)
        root.addWidget(
            ScreenHeader(
                "Configurações", "Cada alteração é salva quando você sai do campo ou clica no botão."
            )
        )
        self.message = MessageBar()
        self.message.action_clicked.connect(self.ctx.undo_stack.undo)
        root.addWidget(self.message)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Seções das configurações")
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(_scrolling(self._build_municipality_tab()), "Município")
        self.tabs.addTab(_scrolling(self._build_people_tab()), "Responsáveis e Usuário")
        self.tabs.addTab(_scrolling(self._build_dates_tab()), "Datas-Chave do Ciclo")
        self.tabs.addTab(_scrolling(self._build_holidays_tab()), "Feriados Municipais")
        self.tabs.addTab(_scrolling(self._build_data_tab()), "Dados e Cópias")
        self.trust_store = TrustStorePanel(ctx)
        self.tabs.addTab(_scrolling(self.trust_store), "Certificados")
        self.users_panel = UsersPanel(ctx)
        self.tabs.addTab(_scrolling(self.users_panel), "Usuários e Auditoria")
        self.tabs.addTab(_scrolling(self._build_appearance_tab()), "Aparência")
        self.tabs.addTab(_scrolling(self._build_about_tab()), "Sobre")
        ctx.active_cycle_changed.connect(lambda _: self._refresh_dates() if self.isVisible() else None)
        self.refresh()

    # ================================================================== Município
    def _build_municipality_tab(self) -> QWidget:
        body, layout = _tab_body()
        self.no_profile_notice = Notice(
            "Preencha todos os campos para salvar o município. Depois disso, cada campo é salvo quando "
            "você passa para o próximo.",
            "info",
        )
        layout.addWidget(self.no_profile_notice)
        self.profile_form = MunicipalityForm()
        self.profile_form.committed.connect(self._profile_field_left)
        layout.addWidget(self.profile_form)

        group = QGroupBox("Brasão do município")
        row = QHBoxLayout(group)
        row.setSpacing(16)
        self.coat_preview = QLabel()
        self.coat_preview.setFixedSize(96, 96)
        self.coat_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.coat_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.coat_preview.setAccessibleName("Prévia do brasão")
        row.addWidget(self.coat_preview)
        column = QVBoxLayout()
        column.addWidget(help_label("Aparece na capa dos relatórios. Imagem PNG ou JPEG de até 5 MB."))
        self.coat_button = secondary_button("Escolher Brasão…")
        self.coat_button.clicked.connect(lambda: self.choose_coat_of_arms())  # noqa: PLW0108 - drop clicked(bool)
        buttons = QHBoxLayout()
        buttons.addWidget(self.coat_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.coat_error = FieldError()
        column.addWidget(self.coat_error)
        column.addStretch(1)
        row.addLayout(column, 1)
        layout.addWidget(group)
        layout.addStretch(1)
        return body

    def _profile_field_left(self, _name: str) -> None:
        form = self.profile_form
        if form.errors():
            return  # the message is already under the field; nothing is saved
        service = self.ctx.services.municipalities
        current = service.profile()
        extra = (
            {"manager": current.manager, "cmas_president": current.cmas_president}
            if current is not None
            else {}
        )
        try:
            if (
                current is not None
                and form.municipality(**extra, coat_of_arms_sha256=current.coat_of_arms_sha256) == current
            ):
                return  # left the field without changing it
            service.save_profile(actor=self.ctx.actor, **form.values(), **extra)
        except ValidationError as exc:
            form.show_errors(exc.field_errors)
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self._saved()
        self.ctx.notify("municipality")
        self.no_profile_notice.hide()
        self.coat_button.setEnabled(True)

    @staticmethod
    def ask_image_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Escolher brasão", str(Path.home()), "Imagens PNG ou JPEG (*.png *.jpg *.jpeg)"
        )
        return path

    def choose_coat_of_arms(self, path: str | Path | None = None) -> None:
        path = path or self.ask_image_path(self)
        if not path:
            return
        try:
            self.ctx.services.municipalities.set_coat_of_arms(actor=self.ctx.actor, path=Path(path))
        except ValidationError as exc:
            self.coat_error.show_error(next(iter(exc.field_errors.values())))
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self.coat_error.show_error("")
        self._refresh_coat()
        self._saved("Brasão salvo")
        self.ctx.notify("municipality")

    def _refresh_coat(self) -> None:
        path = self.ctx.services.municipalities.coat_of_arms_path()
        pixmap = QPixmap(str(path)) if path else QPixmap()
        if pixmap.isNull():
            self.coat_preview.setPixmap(QPixmap())
            self.coat_preview.setText("Sem brasão")
        else:
            self.coat_preview.setText("")
            self.coat_preview.setPixmap(
                pixmap.scaled(
                    96, 96, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )

    def _refresh_municipality(self) -> None:
        profile = self.ctx.services.municipalities.profile()
        # A value the user is still fixing (its message is showing) is not overwritten by a refresh
        # caused by another change.
        if not (self._profile_loaded and self.profile_form.errors()):
            self.profile_form.set_values(profile)
            self._profile_loaded = True
        self.no_profile_notice.setVisible(profile is None)
        self.coat_button.setEnabled(profile is not None)
        self.coat_button.setToolTip("" if profile else "Cadastre o município antes de escolher o brasão.")
        self._refresh_coat()

    # ================================================================== Responsáveis e usuário
    def _build_people_tab(self) -> QWidget:
        body, layout = _tab_body()
        self.people_notice = Notice(
            "Cadastre o município primeiro (aba Município) para registrar os mandatos."
        )
        layout.addWidget(self.people_notice)
        self.mandates_form = MandatesForm()
        self.mandates_form.committed.connect(self._mandate_left)
        layout.addWidget(self.mandates_form)

        group = QGroupBox("Quem usa este computador")
        user_layout = QVBoxLayout(group)
        user_layout.setSpacing(4)
        self.user_name = QLineEdit()
        self.user_role = QComboBox()
        self.user_role.setEditable(True)
        self.user_role.addItems(ROLE_SUGGESTIONS)
        user_layout.addWidget(field_label("Seu n&ome", self.user_name))
        user_layout.addWidget(self.user_name)
        self.user_name_error = FieldError()
        user_layout.addWidget(self.user_name_error)
        user_layout.addWidget(field_label("Sua f&unção", self.user_role))
        user_layout.addWidget(self.user_role)
        self.user_role_error = FieldError()
        user_layout.addWidget(self.user_role_error)
        user_layout.addWidget(
            help_label("O nome aparece no histórico de cada alteração feita neste computador.")
        )
        self.user_name.editingFinished.connect(self._user_left)
        self.user_role.lineEdit().editingFinished.connect(self._user_left)
        self.user_role.activated.connect(lambda _: self._user_left())
        layout.addWidget(group)
        layout.addStretch(1)
        return body

    def _mandate_left(self, _role: str) -> None:
        form = self.mandates_form
        service = self.ctx.services.municipalities
        current = service.profile()
        if form.errors() or current is None:
            return
        mandates = form.values()
        if mandates == {"manager": current.manager, "cmas_president": current.cmas_president}:
            return
        fields = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
        fields.update(mandates)
        try:
            service.save_profile(actor=self.ctx.actor, **fields)
        except ValidationError as exc:
            form.show_errors(exc.field_errors)
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self._saved()
        self.ctx.notify("municipality")

    def _user_left(self) -> None:
        local = self.ctx.services.local
        current = local.current_user()
        name, role = self.user_name.text(), self.user_role.currentText()
        if current is not None and (" ".join(name.split()), " ".join(role.split())) == (
            current.name,
            current.role,
        ):
            self.user_name_error.show_error("")
            self.user_role_error.show_error("")
            return
        try:
            local.set_current_user(name, role)
        except ValidationError as exc:
            self.user_name_error.show_error(exc.field_errors.get("name", ""))
            self.user_role_error.show_error(exc.field_errors.get("role", ""))
            set_invalid(self.user_name, "name" in exc.field_errors)
            return
        self.user_name_error.show_error("")
        self.user_role_error.show_error("")
        set_invalid(self.user_name, False)
        self._saved()
        self.ctx.notify("user")

    def _refresh_people(self) -> None:
        profile = self.ctx.services.municipalities.profile()
        if not self.mandates_form.errors():
            self.mandates_form.set_values(
                profile.manager if profile else None, profile.cmas_president if profile else None
            )
        self.mandates_form.setEnabled(profile is not None)
        self.people_notice.setVisible(profile is None)
        user = self.ctx.services.local.current_user()
        self.user_name.setText(user.name if user else "")
        self.user_role.setCurrentText(user.role if user else "")

    # ================================================================== Datas-chave
    def _build_dates_tab(self) -> QWidget:
        body, layout = _tab_body()
        self.dates_empty = EmptyState(
            "Escolha um ciclo para ver as datas-chave",
            "As datas-chave (resultado da eleição, posse, publicação da portaria…) pertencem a um "
            "checklist. Inicie ou escolha um na tela Checklists.",
            "Abrir Checklists",
        )
        self.dates_empty.action_clicked.connect(lambda: self._show_page("checklists"))
        layout.addWidget(self.dates_empty)
        self.dates_body = QWidget()
        dates = QVBoxLayout(self.dates_body)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(8)
        self.dates_title = QLabel()
        self.dates_title.setObjectName("sectionTitle")
        dates.addWidget(self.dates_title)
        dates.addWidget(
            help_label(
                "Os prazos que contam a partir destas datas são recalculados na hora. Informe de onde vem "
                "cada data (a norma e quando foi publicada), para a auditoria."
            )
        )
        self.events_table = make_table(["Data-chave", "Data", "De onde vem"], "Datas-chave do ciclo")
        self.events_table.horizontalHeader().setStretchLastSection(True)
        self.events_table.setWordWrap(True)
        self.events_table.activated.connect(lambda _: self.edit_event())
        self.events_table.itemSelectionChanged.connect(self._sync_event_button)
        dates.addWidget(self.events_table)
        self.event_button = secondary_button("Alterar Data…")
        self.event_button.clicked.connect(lambda: self.edit_event())  # noqa: PLW0108 - drop clicked(bool)
        self.event_reason = help_label("")
        row = QHBoxLayout()
        row.addWidget(self.event_button)
        row.addWidget(self.event_reason, 1)
        dates.addLayout(row)

        overridden_title = QLabel("Prazos definidos por norma do ano ou pela equipe")
        overridden_title.setObjectName("sectionTitle")
        dates.addSpacing(16)
        dates.addWidget(overridden_title)
        dates.addWidget(
            help_label(
                "Itens cujo prazo não segue a regra do modelo: uma portaria ou resolução do ano fixou a "
                "data, ou alguém da equipe a alterou no checklist, informando o motivo."
            )
        )
        self.overrides_table = make_table(
            ["Item", "O que fazer", "Prazo", "Definido por", "De onde vem"], "Prazos alterados"
        )
        self.overrides_table.horizontalHeader().setStretchLastSection(True)
        self.overrides_table.setWordWrap(True)
        dates.addWidget(self.overrides_table)
        self.overrides_empty = CardEmpty(
            "Todos os prazos seguem a regra do modelo",
            "Para mudar o prazo de um item, abra-o no checklist e informe a nova data e o motivo.",
            "Abrir Checklists",
        )
        self.overrides_empty.button.clicked.connect(lambda: self._show_page("checklists"))
        dates.addWidget(self.overrides_empty)
        layout.addWidget(self.dates_body)
        layout.addStretch(1)
        self._event_rows: list[KeyEvent] = []
        self._events: dict[KeyEvent, EventDate] = {}
        self._cycle: Cycle | None = None
        return body

    def _refresh_dates(self) -> None:
        checklists = self.ctx.services.checklists
        cycle_id = self.ctx.active_cycle_id
        try:
            self._cycle = checklists.cycle(cycle_id) if cycle_id else None
        except SuasError:
            self._cycle = None
        self.dates_empty.setVisible(self._cycle is None)
        self.dates_body.setVisible(self._cycle is not None)
        if self._cycle is None:
            return
        cycle = self._cycle
        self.dates_title.setText(f"Ciclo ativo: {cycle.title}")
        self._events = checklists.events(cycle.id)
        states = checklists.item_states(cycle.id)
        used = set(self._events)
        for st in states:
            rule = st.item.deadline
            if isinstance(rule, Relative):
                used.add(rule.event)
            elif isinstance(rule, Continuous) and rule.until is not None:
                used.add(rule.until)
        self._event_rows = [event for event in KeyEvent if event in used]
        rows = []
        for event in self._event_rows:
            found = self._events.get(event)
            rows.append(
                [
                    event_label(event),
                    f"{found.date:%d/%m/%Y}" if found else "Não informada",
                    (found.provenance.describe() or "Informada sem origem")
                    if found
                    else "Ainda sem data: use Alterar Data",
                ]
            )
        fill_table(self.events_table, rows, list(self._event_rows))
        overridden = [st for st in states if st.due.overridden]
        rows = [
            [
                st.item.item_key,
                st.item.title,
                f"{st.due.date:%d/%m/%Y}" if st.due.date else "Sem data",
                "Equipe do município" if st.item.due_override_by_user else "Norma do ano",
                st.due.provenance,
            ]
            for st in overridden
        ]
        fill_table(self.overrides_table, rows)
        self.overrides_table.setVisible(bool(rows))
        self.overrides_empty.setVisible(not rows)
        self._sync_event_button()

    def _sync_event_button(self) -> None:
        concluded = self._cycle is not None and self._cycle.is_concluded
        selected = self.events_table.currentRow() >= 0 and bool(self.events_table.selectedItems())
        self.event_button.setEnabled(selected and not concluded)
        if concluded:
            self.event_reason.setText("O ciclo está concluído; reabra-o em Checklists para mudar datas.")
        elif not selected:
            self.event_reason.setText("Escolha uma data-chave na tabela.")
        else:
            self.event_reason.setText("")

    def edit_event(self, event: KeyEvent | None = None) -> None:
        if self._cycle is None:
            return
        if event is None:
            row = self.events_table.currentRow()
            if row < 0 or row >= len(self._event_rows):
                return
            event = self._event_rows[row]
        answer = EventDateDialog.ask(self, event_label(event), self._events.get(event))
        if answer is None:
            return
        day, provenance = answer
        try:
            self.ctx.services.checklists.set_event(
                actor=self.ctx.actor, cycle_id=self._cycle.id, event=event, day=day, provenance=provenance
            )
        except SuasError as exc:
            show_error(self, exc)
            return
        self._saved(f"Data de “{event_label(event)}” salva")
        self.ctx.notify("cycle")
        self._refresh_dates()

    # ================================================================== Feriados
    def _build_holidays_tab(self) -> QWidget:
        body, layout = _tab_body()
        layout.addWidget(
            help_label(
                "Os feriados nacionais e os do estado já são considerados. Cadastre aqui só os do município, "
                "como o aniversário da cidade ou o dia do padroeiro: prazos que caem nesses dias passam para "
                "um dia útil."
            )
        )
        self.holidays_table = make_table(["Data", "Feriado", "Repete todo ano"], "Feriados municipais")
        self.holidays_table.horizontalHeader().setStretchLastSection(True)
        self.holidays_table.itemSelectionChanged.connect(
            lambda: self.remove_holiday_button.setEnabled(bool(self.holidays_table.selectedItems()))
        )
        layout.addWidget(self.holidays_table)
        self.holidays_empty = CardEmpty(
            "Nenhum feriado municipal cadastrado ainda",
            "Se o município tem feriados próprios, cadastre-os abaixo.",
            "Adicionar Feriado",
        )
        self.holidays_empty.button.clicked.connect(lambda: self.holiday_date.setFocus())  # noqa: PLW0108 - drop clicked(bool)
        layout.addWidget(self.holidays_empty)
        self.remove_holiday_button = secondary_button("Remover Feriado")
        self.remove_holiday_button.setEnabled(False)
        self.remove_holiday_button.clicked.connect(self.remove_selected_holiday)
        row = QHBoxLayout()
        row.addWidget(self.remove_holiday_button)
        row.addStretch(1)
        layout.addLayout(row)

        group = QGroupBox("Novo feriado")
        form = QVBoxLayout(group)
        form.setSpacing(4)
        line = QHBoxLayout()
        line.setSpacing(16)
        self.holiday_date = DateField()
        self.holiday_name = QLineEdit()
        self.holiday_name.setPlaceholderText("Ex.: Aniversário da cidade")
        self.holiday_recurring = QCheckBox("&Repete todo ano")
        self.holiday_recurring.setChecked(True)
        date_column, name_column = QVBoxLayout(), QVBoxLayout()
        date_column.addWidget(field_label("&Data do feriado", self.holiday_date))
        date_column.addWidget(self.holiday_date)
        self.holiday_date_error = FieldError()
        date_column.addWidget(self.holiday_date_error)
        name_column.addWidget(field_label("&Nome do feriado", self.holiday_name))
        name_column.addWidget(self.holiday_name)
        self.holiday_name_error = FieldError()
        name_column.addWidget(self.holiday_name_error)
        line.addLayout(date_column, 1)
        line.addLayout(name_column, 2)
        form.addLayout(line)
        form.addWidget(self.holiday_recurring)
        self.add_holiday_button = primary_button("Adicionar Feriado")
        self.add_holiday_button.clicked.connect(self.add_holiday)
        self.holiday_name.returnPressed.connect(self.add_holiday)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_holiday_button)
        form.addLayout(buttons)
        layout.addWidget(group)
        layout.addStretch(1)
        self._holidays: list[tuple[str, date, str, bool]] = []
        return body

    def add_holiday(self) -> None:
        try:
            day = self.holiday_date.date_value()
            date_error = "" if day else f"Informe a data do feriado. {DATE_EXAMPLE}"
        except ValueError:
            day, date_error = None, f"Data do feriado: {DATE_EXAMPLE}"
        self.holiday_date_error.show_error(date_error)
        set_invalid(self.holiday_date, bool(date_error))
        if day is None:
            self.holiday_date.setFocus()
            return
        try:
            self.ctx.services.municipalities.add_holiday(
                actor=self.ctx.actor,
                day=day,
                name=self.holiday_name.text(),
                recurring=self.holiday_recurring.isChecked(),
            )
        except ValidationError as exc:
            self.holiday_name_error.show_error(exc.field_errors.get("name", exc.message))
            set_invalid(self.holiday_name, True)
            self.holiday_name.setFocus()
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self.holiday_name_error.show_error("")
        set_invalid(self.holiday_name, False)
        self.holiday_date.clear()
        self.holiday_name.clear()
        self._saved("Feriado adicionado")
        self.ctx.notify("municipal_holiday")
        self._refresh_holidays()

    def remove_selected_holiday(self) -> None:
        row = self.holidays_table.currentRow()
        if not 0 <= row < len(self._holidays):
            return
        holiday = self._holidays[row]
        self.ctx.undo_stack.push(_RemoveHoliday(self, holiday))
        self._refresh_holidays()
        self.message.show_message(f"Feriado “{holiday[2]}” removido.", "success", action="Desfazer")

    def _refresh_holidays(self) -> None:
        self._holidays = self.ctx.services.municipalities.holidays()
        rows = [
            [f"{day:%d/%m}" if recurring else f"{day:%d/%m/%Y}", name, "Sim" if recurring else "Não"]
            for _, day, name, recurring in self._holidays
        ]
        fill_table(self.holidays_table, rows)
        self.holidays_table.setVisible(bool(rows))
        self.holidays_empty.setVisible(not rows)
        self.remove_holiday_button.setVisible(bool(rows))
        self.remove_holiday_button.setEnabled(bool(self.holidays_table.selectedItems()))

    # ================================================================== Dados e cópias
    def _build_data_tab(self) -> QWidget:
        body, layout = _tab_body()
        summary = self.ctx.summary
        folder = QGroupBox("Pasta de dados")
        folder_layout = QVBoxLayout(folder)
        self.data_dir_label = QLabel(summary.data_dir)
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_dir_label.setAccessibleName("Pasta de dados")
        self.data_dir_label.setWordWrap(True)
        folder_layout.addWidget(self.data_dir_label)
        mode = "Modo portátil: os dados ficam junto do programa." if summary.portable else ""
        if mode:
            folder_layout.addWidget(help_label(mode))
        journal = (
            "Gravação: WAL (registro antecipado). Cada alteração é gravada no disco na hora e resiste a "
            "quedas de energia."
            if summary.durable_journal == "wal"
            else f"Gravação: {summary.durable_journal.upper()} (modo compatível, usado quando a pasta está "
            "num pen drive ou na rede). Cada alteração também é gravada na hora, um pouco mais devagar."
        )
        self.journal_label = help_label(journal)
        folder_layout.addWidget(self.journal_label)
        open_button = secondary_button("Abrir Pasta")
        open_button.clicked.connect(self.open_data_folder)
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addStretch(1)
        folder_layout.addLayout(row)
        layout.addWidget(folder)

        backups = QGroupBox("Cópias de segurança")
        backups_layout = QVBoxLayout(backups)
        backups_layout.addWidget(
            help_label(
                "Uma cópia guarda o banco de dados inteiro na pasta “backups”, dentro da pasta de dados. "
                "Para proteger contra perda do computador, copie essa pasta também para um pen drive."
            )
        )
        self.backup_button = primary_button("Fazer Cópia Agora")
        self.backup_button.clicked.connect(self.make_backup)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        backups_layout.addLayout(row)
        self.backups_table = make_table(["Feita em", "Arquivo", "Tamanho"], "Cópias de segurança", (2,))
        self.backups_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        backups_layout.addWidget(self.backups_table)
        self.backups_empty = CardEmpty(
            "Faça a primeira cópia de segurança",
            "Leva poucos segundos e protege o trabalho da equipe.",
            "Fazer Cópia Agora",
        )
        self.backups_empty.button.clicked.connect(self.make_backup)
        backups_layout.addWidget(self.backups_empty)
        layout.addWidget(backups)
        layout.addStretch(1)
        return body

    @staticmethod
    def open_url(url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def open_data_folder(self) -> None:
        if not self.open_url(QUrl.fromLocalFile(self.ctx.summary.data_dir)):
            self.message.show_message(
                f"Não foi possível abrir o gerenciador de arquivos. A pasta é {self.ctx.summary.data_dir}.",
                "warning",
            )

    def make_backup(self) -> None:
        self.backup_button.setEnabled(False)
        self.backups_empty.button.setEnabled(False)
        service, actor = self.ctx.services.backups, self.ctx.actor

        def work(progress, cancel) -> BackupInfo:
            progress(0, 0, "Fazendo a cópia de segurança…")
            return service.create(actor=actor)

        self.ctx.runner.start(
            work,
            on_success=self._backup_done,
            on_failure=self._backup_failed,
            parent=self,
            title="Fazendo a cópia de segurança…",
        )

    def _backup_done(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.backups_empty.button.setEnabled(True)
        self._refresh_backups()
        self.message.show_message(
            f"Cópia de segurança feita com sucesso às {info.modified:%H:%M}: {info.path.name}.", "success"
        )
        self.ctx.notify("backup")

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.backups_empty.button.setEnabled(True)
        show_error(self, exc)

    def _refresh_backups(self) -> None:
        backups = self.ctx.services.backups.list()
        rows = [[f"{b.modified:%d/%m/%Y %H:%M}", b.path.name, size_text(b.size)] for b in backups]
        fill_table(self.backups_table, rows)
        self.backups_table.setVisible(bool(rows))
        self.backups_empty.setVisible(not rows)
        self.backup_button.setVisible(bool(rows))  # the empty state carries the same action

    # ================================================================== Aparência
    def _build_appearance_tab(self) -> QWidget:
        body, layout = _tab_body()
        group = QGroupBox("Tema")
        column = QVBoxLayout(group)
        self.theme_group = QButtonGroup(self)
        self.theme_buttons: dict[str, QRadioButton] = {}
        for key, label in THEME_CHOICES:
            button = QRadioButton(label)
            button.setAccessibleName(f"Tema {label}")
            self.theme_group.addButton(button)
            self.theme_buttons[key] = button
            column.addWidget(button)
            button.toggled.connect(lambda checked, key=key: checked and self.set_theme(key))
        column.addWidget(
            help_label(
                "“Igual ao sistema” acompanha o Windows. Com o alto contraste do Windows ligado, as cores "
                "do sistema sempre valem."
            )
        )
        layout.addWidget(group)
        layout.addStretch(1)
        return body

    def set_theme(self, key: str) -> None:
        local = self.ctx.services.local
        if (local.get(THEME_KEY) or "system") != key:
            local.set(THEME_KEY, key)
            self._saved()
        apply_saved_theme(self.ctx)

    def _refresh_appearance(self) -> None:
        key = self.ctx.services.local.get(THEME_KEY) or "system"
        button = self.theme_buttons.get(key, self.theme_buttons["system"])
        button.blockSignals(True)
        button.setChecked(True)
        button.blockSignals(False)

    # ================================================================== Sobre
    def _build_about_tab(self) -> QWidget:
        body, layout = _tab_body()
        title = QLabel(f"{APP_NAME} {__version__}")
        title.setObjectName("sectionTitle")
        title.setAccessibleName(f"{APP_NAME} versão {__version__}")
        layout.addWidget(title)
        for text in (
            "Encerramento do exercício e transição de mandato da Assistência Social (SUAS) para pequenos "
            "municípios. Funciona sem internet; nada é enviado para fora deste computador.",
            f"Pasta de dados: {self.ctx.summary.data_dir}",
            "Licença: MIT. Fontes DejaVu: licença livre (arquivo LICENSE-DejaVu.txt, na pasta do programa).",
        ):
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addStretch(1)
        return body

    # ================================================================== common
    def refresh(self) -> None:
        self._refresh_municipality()
        self._refresh_people()
        self._refresh_dates()
        self._refresh_holidays()
        self._refresh_backups()
        self._refresh_appearance()

    def _saved(self, what: str = "Alterações salvas") -> None:
        self.message.show_message(f"{what} às {datetime.now():%H:%M}.", "success")

    def _show_page(self, key: str) -> QWidget | None:
        window = self.window()
        return window.show_page(key) if hasattr(window, "show_page") else None
