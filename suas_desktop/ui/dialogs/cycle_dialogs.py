"""Small dialogs of the Checklists screen: new cycle, reason prompt, due date, carry-over and custom item.

Each dialog has a ``@classmethod ask()`` that returns what the user chose, or None on Cancelar, so tests
replace it with a plain function (architecture.md §8.4, convention 12). Buttons are verbs (ux.md §B5), Esc
is Cancelar, labels sit above their fields with a buddy and a mnemonic, and field messages appear under the
field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.cycle import MIN_REASON_CHARS, cycle_title
from suas_desktop.domain.deadlines import KeyEvent
from suas_desktop.domain.template import KIND_LABELS, ROLE_LABELS, CycleKind
from suas_desktop.errors import ValidationError
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.widgets import FieldError

PT_BR = QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)

#: Key dates the user may already know when starting a cycle (the others follow from the law).
OPTIONAL_EVENTS: tuple[tuple[KeyEvent, str], ...] = (
    (KeyEvent.PUBLICACAO_PORTARIA, "Publicação da portaria do ano (prestação de contas federal)"),
    (KeyEvent.ABERTURA_SISTEMA, "Abertura do sistema de prestação de contas"),
    (KeyEvent.FIM_VIGENCIA_PLANO, "Fim da vigência do plano de ação estadual"),
    (KeyEvent.RESULTADO_ELEICAO, "Resultado da eleição (proclamação pela Justiça Eleitoral)"),
)


# ---------------------------------------------------------------------- shared pieces


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def date_edit(
    accessible_name: str, day: date, minimum: date | None = None, maximum: date | None = None
) -> QDateEdit:
    edit = QDateEdit()
    edit.setLocale(PT_BR)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(accessible_name)
    if minimum is not None and maximum is not None:
        edit.setDateRange(to_qdate(minimum), to_qdate(maximum))
    edit.setDate(to_qdate(day))
    return edit


class _Dialog(QDialog):
    """A one-column form: ``add_field`` puts a label (with buddy) above a widget and a FieldError under it."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.setMinimumWidth(480)
        self.form = QVBoxLayout(self)
        self.form.setContentsMargins(24, 24, 24, 24)
        self.form.setSpacing(4)
        self.errors: dict[str, FieldError] = {}
        self.hints: dict[str, QLabel] = {}
        self.buttons = QDialogButtonBox()
        self.accept_button: QPushButton | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Word-wrapped labels need more height than the size hint guessed: grow to fit, never cut text.
        needed = self.form.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def add_text(self, text: str, object_name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if object_name:
            label.setObjectName(object_name)
        self.form.addWidget(label)
        self.form.addSpacing(8)
        return label

    def add_field(self, label_text: str, widget: QWidget, name: str = "", help_text: str = "") -> FieldError:
        label = QLabel(label_text)
        label.setObjectName("fieldLabel")
        label.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label_text.replace("&", ""))
        self.form.addWidget(label)
        if help_text:
            hint = QLabel(help_text)
            hint.setObjectName("muted")
            hint.setWordWrap(True)
            self.form.addWidget(hint)
            widget.setAccessibleDescription(help_text)
            if name:
                self.hints[name] = hint
        self.form.addWidget(widget)
        error = FieldError()
        self.form.addWidget(error)
        self.form.addSpacing(12)
        if name:
            self.errors[name] = error
        return error

    def finish(self, accept_text: str) -> None:
        """Add the verb button (default) and Cancelar (Esc), in the platform order."""
        self.accept_button = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("Cancelar", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Cancelar")
        self.accept_button.setDefault(True)
        self.accept_button.setProperty("primary", True)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.form.addStretch(1)
        self.form.addWidget(self.buttons)

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Show messages under their fields (others in a message box); focus the first. True if any."""
        for error in self.errors.values():
            error.show_error("")
        unplaced = {}
        first: QWidget | None = None
        for name, text in errors.items():
            target = self.errors.get(name)
            if target is None:
                unplaced[name] = text
                continue
            target.show_error(text)
            if first is None:
                first = self._field_widget(target)
        if first is not None:
            first.setFocus()
        if unplaced:
            show_error(self, ValidationError(unplaced))
        return bool(errors)

    def _field_widget(self, error: FieldError) -> QWidget | None:
        index = self.form.indexOf(error)
        item = self.form.itemAt(index - 1) if index > 0 else None
        return item.widget() if item is not None else None

    def _try_accept(self) -> None:
        if not self.show_errors(self.validate()):
            self.accept()

    def validate(self) -> dict[str, str]:
        return {}


# ---------------------------------------------------------------------- new cycle


@dataclass(frozen=True)
class NewCycleRequest:
    kind: CycleKind
    reference_year: int
    events: dict[KeyEvent, date] = field(default_factory=dict)


class NewCycleDialog(_Dialog):
    def __init__(
        self, parent: QWidget | None, default_year: int, kind: CycleKind = CycleKind.CLOSING
    ) -> None:
        super().__init__(parent, "Iniciar ciclo")
        self.add_text(
            "Um ciclo é uma lista de tarefas com prazos e fundamento legal, criada a partir do modelo de "
            "checklist. Escolha o tipo e o ano."
        )
        self.kind = QComboBox()
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label, value.value)
        self.kind.setCurrentIndex(max(self.kind.findData(kind.value), 0))
        self.add_field("&Tipo de checklist", self.kind)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(default_year)
        self.year.setLocale(QLocale.c())  # no thousands separator in a year
        self.add_field("&Ano", self.year, "reference_year", " ")
        self.year_help = self.hints["reference_year"]
        self.preview = self.add_text("", "muted")

        self.add_text(
            "Datas que você já conhece (opcional). Os prazos que dependem delas aparecem como "
            "“Aguardando a data”; dá para informar depois.",
        )
        self.event_checks: dict[KeyEvent, QCheckBox] = {}
        self.event_dates: dict[KeyEvent, QDateEdit] = {}
        for event, text in OPTIONAL_EVENTS:
            check = QCheckBox(text)
            edit = date_edit(f"Data: {text}", date(default_year, 12, 31))
            edit.setVisible(False)  # shown when the box is ticked: a greyed-out date would look like a value
            check.toggled.connect(edit.setVisible)
            self.form.addWidget(check)
            self.form.addWidget(edit)
            self.form.addSpacing(8)
            self.event_checks[event] = check
            self.event_dates[event] = edit
        self.kind.currentIndexChanged.connect(self._update)
        self.year.valueChanged.connect(self._update)
        self.finish("Iniciar Ciclo")
        self._update()
        self.kind.setFocus()

    def _kind(self) -> CycleKind:
        return CycleKind(self.kind.currentData())

    def _update(self) -> None:
        kind = self._kind()
        year = self.year.value()
        if kind is CycleKind.CLOSING:
            self.year_help.setText("Ano do exercício que está sendo encerrado.")
        else:
            self.year_help.setText(
                f"Último ano do mandato que termina (por exemplo, {year} para a transição {year}→{year + 1})."
            )
        self.year.setAccessibleDescription(self.year_help.text())
        self.preview.setText(f"Será criado o ciclo “{cycle_title(kind, year)}”.")
        election = kind is CycleKind.TRANSITION
        election_check = self.event_checks[KeyEvent.RESULTADO_ELEICAO]
        election_check.setVisible(election)
        self.event_dates[KeyEvent.RESULTADO_ELEICAO].setVisible(election and election_check.isChecked())
        for edit in self.event_dates.values():
            edit.setDateRange(QDate(year, 1, 1), QDate(year + 3, 12, 31))

    def request(self) -> NewCycleRequest:
        kind = self._kind()
        events = {
            event: from_qdate(self.event_dates[event].date())
            for event, check in self.event_checks.items()
            if check.isChecked() and (event is not KeyEvent.RESULTADO_ELEICAO or kind is CycleKind.TRANSITION)
        }
        return NewCycleRequest(kind, self.year.value(), events)

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, default_year: int, kind: CycleKind = CycleKind.CLOSING
    ) -> NewCycleRequest | None:
        dialog = cls(parent, default_year, kind)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


# ---------------------------------------------------------------------- reason


class ReasonDialog(_Dialog):
    """Asks a justification or reason (at least ``min_chars`` letters, checked when the button is clicked)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        message: str,
        label: str,
        action: str,
        min_chars: int,
        initial: str,
    ) -> None:
        super().__init__(parent, title)
        self.min_chars = min_chars
        self._label = label.replace("&", "")
        self.add_text(message)
        self.text = QPlainTextEdit(initial)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(96)
        help_text = f"Escreva pelo menos {min_chars} letras." if min_chars else ""
        self.add_field(label, self.text, "reason", help_text)
        self.finish(action)
        self.text.setFocus()

    def value(self) -> str:
        return self.text.toPlainText().strip()

    def validate(self) -> dict[str, str]:
        if len(self.value()) < self.min_chars:
            return {"reason": f"Escreva pelo menos {self.min_chars} letras em “{self._label}”."}
        return {}

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        message: str,
        label: str = "&Justificativa",
        action: str = "Salvar Justificativa",
        min_chars: int = MIN_REASON_CHARS,
        initial: str = "",
    ) -> str | None:
        """The text typed (stripped), or None when the user cancels."""
        dialog = cls(
            parent,
            title=title,
            message=message,
            label=label,
            action=action,
            min_chars=min_chars,
            initial=initial,
        )
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


# ---------------------------------------------------------------------- due date


class DueDateDialog(_Dialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        item_key: str,
        rule_text: str,
        current: date,
        minimum: date,
        maximum: date,
        reason_required: bool,
    ) -> None:
        super().__init__(parent, f"Alterar prazo de {item_key}")
        self.reason_required = reason_required
        self.add_text(f"Regra do prazo: {rule_text}.")
        self.add_text(
            "Informe a nova data e o motivo da mudança (por exemplo, a portaria ou o ofício que mudou o "
            "prazo). O motivo fica registrado como origem do prazo."
        )
        self.day = date_edit("Nova data do prazo", current, minimum, maximum)
        self.add_field("&Nova data", self.day, "due_date", "Formato dd/mm/aaaa. Exemplo: 20/12/2026.")
        self.reason = QLineEdit()
        help_text = f"Obrigatório, pelo menos {MIN_REASON_CHARS} letras." if reason_required else "Opcional."
        self.add_field("&Motivo", self.reason, "reason", help_text)
        self.finish("Alterar Prazo")
        self.day.setFocus()

    def validate(self) -> dict[str, str]:
        if self.reason_required and len(self.reason.text().strip()) < MIN_REASON_CHARS:
            return {"reason": "Diga por que o prazo mudou (a norma ou o motivo), com pelo menos 10 letras."}
        return {}

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        item_key: str,
        rule_text: str,
        current: date,
        minimum: date,
        maximum: date,
        reason_required: bool = True,
    ) -> tuple[date, str] | None:
        dialog = cls(
            parent,
            item_key=item_key,
            rule_text=rule_text,
            current=min(max(current, minimum), maximum),
            minimum=minimum,
            maximum=maximum,
            reason_required=reason_required,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return from_qdate(dialog.day.date()), dialog.reason.text().strip()


# ---------------------------------------------------------------------- carry over


class CarryOverDialog(_Dialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        source_title: str,
        open_count: int,
        targets: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(parent, "Levar pendências")
        what = (
            f"O item em aberto de “{source_title}” será copiado"
            if open_count == 1
            else f"Os {open_count} itens em aberto de “{source_title}” serão copiados"
        )
        self.add_text(
            f"{what} para o ciclo escolhido, com a situação, o responsável, as observações e o prazo "
            f"original. O histórico continua ligado ao item original, e “{source_title}” poderá ser "
            "concluído."
        )
        self.target = QComboBox()
        for cycle_id, title in targets:
            self.target.addItem(title, cycle_id)
        self.add_field("&Levar para o ciclo", self.target)
        self.finish("Levar Pendências")
        self.target.setFocus()

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, source_title: str, open_count: int, targets: Sequence[tuple[str, str]]
    ) -> str | None:
        """The id of the cycle chosen to receive the open items, or None."""
        dialog = cls(parent, source_title=source_title, open_count=open_count, targets=targets)
        return dialog.target.currentData() if dialog.exec() == QDialog.DialogCode.Accepted else None


# ---------------------------------------------------------------------- custom item


@dataclass(frozen=True)
class NewItemRequest:
    section_code: str
    title: str
    guidance: str = ""
    legal_basis: str = ""
    evidence: str = ""
    roles: tuple[str, ...] = ("G",)
    due: date | None = None


class NewItemDialog(_Dialog):
    """A local item; ``submit`` creates it; its ValidationError shows under the fields (dialog stays open)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        sections: Sequence[tuple[str, str]],
        default_section: str,
        minimum: date,
        maximum: date,
        default_due: date,
        submit: Callable[[NewItemRequest], Any],
    ) -> None:
        super().__init__(parent, "Novo item")
        self.submit = submit
        self.result_value: Any = None
        self.add_text("O item entra na seção escolhida com a chave LOCAL-n e aparece nos relatórios.")
        self.section = QComboBox()
        for code, title in sections:
            self.section.addItem(title, code)
        self.section.setCurrentIndex(max(self.section.findData(default_section), 0))
        self.add_field("&Seção", self.section, "section_code")
        self.title = QLineEdit()
        self.add_field("&Título", self.title, "title", "O que precisa ser feito, em poucas palavras.")
        self.guidance = QPlainTextEdit()
        self.guidance.setTabChangesFocus(True)
        self.guidance.setFixedHeight(72)
        self.add_field("&Orientação (opcional)", self.guidance, "guidance")
        self.legal_basis = QLineEdit()
        self.add_field("&Fundamento legal (opcional)", self.legal_basis, "legal_basis")
        self.evidence = QLineEdit()
        self.add_field("&Evidência esperada (opcional)", self.evidence, "evidence")
        self.roles = QListWidget()
        self.roles.setFixedHeight(120)
        for code, label in ROLE_LABELS.items():
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, code)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if code == "G" else Qt.CheckState.Unchecked)
            self.roles.addItem(row)
        self.add_field("&Responsáveis previstos", self.roles, "roles", "Marque com a barra de espaço.")
        self.has_due = QCheckBox("&Definir um prazo")
        self.due = date_edit("Prazo do item", default_due, minimum, maximum)
        self.due.setVisible(False)
        self.has_due.toggled.connect(self.due.setVisible)
        self.form.addWidget(self.has_due)
        self.form.addWidget(self.due)
        self.errors["due_date"] = FieldError()
        self.form.addWidget(self.errors["due_date"])
        self.finish("Criar Item")
        self.title.setFocus()

    def request(self) -> NewItemRequest:
        roles = tuple(
            self.roles.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.roles.count())
            if self.roles.item(i).checkState() == Qt.CheckState.Checked
        )
        return NewItemRequest(
            section_code=self.section.currentData() or "",
            title=self.title.text(),
            guidance=self.guidance.toPlainText(),
            legal_basis=self.legal_basis.text(),
            evidence=self.evidence.text(),
            roles=roles,
            due=from_qdate(self.due.date()) if self.has_due.isChecked() else None,
        )

    def _try_accept(self) -> None:
        try:
            self.result_value = self.submit(self.request())
        except ValidationError as exc:
            self.show_errors(exc.field_errors)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        sections: Sequence[tuple[str, str]],
        default_section: str,
        minimum: date,
        maximum: date,
        default_due: date,
        submit: Callable[[NewItemRequest], Any],
    ) -> Any:
        """What ``submit`` returned for the accepted request (the created item), or None on Cancelar."""
        dialog = cls(
            parent,
            sections=sections,
            default_section=default_section,
            minimum=minimum,
            maximum=maximum,
            default_due=default_due,
            submit=submit,
        )
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None
