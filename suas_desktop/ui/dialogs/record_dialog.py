"""The add/edit form of a register record, generated from its RegisterSpec.

One column, label above each field (with an Alt mnemonic), help and an example under it, the LGPD note on
personal data and the error message under the field. A field is checked when the user leaves it (format
only) and the whole record when "Salvar Registro" is pressed: the service validates and saves in one step;
on a ValidationError every message goes under its field, focus moves to the first bad field and the dialog
stays open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.municipality import format_cnpj
from suas_desktop.domain.register_fields import (
    FieldKind,
    FieldSpec,
    Privacy,
    RegisterRecord,
    RegisterSpec,
    format_date,
    format_money,
    is_blank,
    parse_value,
)
from suas_desktop.domain.text import fold
from suas_desktop.errors import SuasError, ValidationError
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.widgets import FieldError

#: Text under a field that identifies a person (Lei Geral de Proteção de Dados Pessoais).
PRIVACY_NOTE = "Dado pessoal (LGPD)"

_PLACEHOLDERS = {
    FieldKind.DATE: "dd/mm/aaaa",
    FieldKind.MONEY: "0,00",
    FieldKind.CPF: "000.000.000-00",
    FieldKind.CNPJ: "00.000.000/0000-00",
}


def mnemonic_label(text: str, used: set[str]) -> str:
    """``text`` with ``&`` before its first letter not yet used in this dialog (unique Alt+letter)."""
    escaped = text.replace("&", "&&")
    for position, char in enumerate(escaped):
        key = fold(char)
        if len(key) == 1 and key.isascii() and key.isalpha() and key not in used:
            used.add(key)
            return escaped[:position] + "&" + escaped[position:]
    return escaped


def display_value(f: FieldSpec, value: Any) -> str:
    """A stored value as the user types it in the form ("1.234,56", "05/03/2026", "529.982.247-25")."""
    if value is None or value == "":
        return ""
    if f.kind is FieldKind.MONEY:
        return format_money(value).replace("R$ ", "")
    if f.kind is FieldKind.DATE:
        return format_date(value)
    if f.kind is FieldKind.CNPJ:
        return format_cnpj(value)
    if f.kind is FieldKind.CPF:
        digits = str(value)
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}" if len(digits) == 11 else digits
    return str(value)


class RecordDialog(QDialog):
    """Add (``record=None``) or edit a record of ``spec``.

    Attributes:
        saved: after acceptance, ``{"id", "values", "previous", "title"}``: the record as saved, and for an
            edit the values before it (``previous`` is None for a new record).
    """

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        spec: RegisterSpec,
        record: RegisterRecord | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.record = record
        self.saved: dict[str, Any] | None = None
        self._editors: dict[str, QWidget] = {}
        self._errors: dict[str, FieldError] = {}
        service = ctx.services.registers
        if record is None:
            self.setWindowTitle(f"Novo registro: {spec.singular}")
        else:
            self.setWindowTitle(f"Editar registro: {service.title(spec, record) or spec.singular}")
        self.setMinimumWidth(560)

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(16)
        heading = QLabel(self.windowTitle())
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        root.addWidget(heading)
        intro = "Os campos marcados com (obrigatório) precisam ser preenchidos."
        if any(f.privacy is not Privacy.PUBLIC for f in spec.fields):
            intro += (
                " Os marcados como dado pessoal são protegidos pela Lei Geral de Proteção de Dados Pessoais"
                " (LGPD): preencha só o necessário."
            )
        intro_label = QLabel(intro)
        intro_label.setObjectName("muted")
        intro_label.setWordWrap(True)
        root.addWidget(intro_label)

        form = QWidget()
        form.setObjectName("recordForm")
        fields_layout = QVBoxLayout(form)
        fields_layout.setContentsMargins(0, 0, 12, 0)
        fields_layout.setSpacing(16)
        used: set[str] = set()
        for f in spec.fields:
            fields_layout.addWidget(self._field_block(f, used))
        fields_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        root.addWidget(scroll, 1)

        self.summary = FieldError()
        self.summary.setObjectName("fieldError")
        root.addWidget(self.summary)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Salvar Registro")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancelar")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)

        if record is not None:
            for f in spec.fields:
                self._set_value(f, record.values.get(f.name))
        screen = self.screen().availableGeometry() if self.screen() else None
        height = min(form.sizeHint().height() + 220, int(screen.height() * 0.85) if screen else 720)
        self.resize(640, max(height, 360))
        first = self._editors[spec.fields[0].name]
        first.setFocus()

    # ------------------------------------------------------------------ building
    def _field_block(self, f: FieldSpec, used: set[str]) -> QWidget:
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        label_text = f.label + (" (obrigatório)" if f.required else "")
        editor = self._make_editor(f)
        if f.kind is FieldKind.BOOL:
            assert isinstance(editor, QCheckBox)
            editor.setText(mnemonic_label(label_text, used))
        else:
            label = QLabel(mnemonic_label(label_text, used))
            label.setObjectName("fieldLabel")
            label.setBuddy(editor)
            layout.addWidget(label)
        editor.setObjectName(f"field_{f.name}")
        editor.setAccessibleName(label_text)
        layout.addWidget(editor)
        notes = []
        if f.help:
            notes.append(f.help)
        if f.example and f.kind not in (FieldKind.BOOL, FieldKind.CHOICE, FieldKind.REF):
            notes.append(f"Exemplo: {f.example}.")
        if f.kind is FieldKind.REF and f.ref and isinstance(editor, QComboBox) and editor.count() <= 1:
            target = self.ctx.services.registers.spec(f.ref)
            notes.append(f"Nenhum registro em {target.label} ainda: cadastre lá primeiro.")
        if notes:
            help_label = QLabel(" ".join(notes))
            help_label.setObjectName("muted")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
            editor.setAccessibleDescription(" ".join(notes))
        if f.privacy is not Privacy.PUBLIC:
            privacy = QLabel(PRIVACY_NOTE)
            privacy.setObjectName("muted")
            privacy.setProperty("privacy", f.privacy.value)
            privacy.setToolTip("Protegido pela Lei Geral de Proteção de Dados Pessoais (LGPD).")
            layout.addWidget(privacy)
        error = FieldError()
        layout.addWidget(error)
        self._editors[f.name] = editor
        self._errors[f.name] = error
        return block

    def _make_editor(self, f: FieldSpec) -> QWidget:
        if f.kind is FieldKind.BOOL:
            return QCheckBox()
        if f.kind is FieldKind.CHOICE:
            combo = QComboBox()
            combo.addItem("Escolha uma opção" if f.required else "Não informado", None)
            for code, label in f.choices:
                combo.addItem(label, code)
            return combo
        if f.kind is FieldKind.REF:
            combo = QComboBox()
            combo.addItem("Escolha uma opção" if f.required else "Nenhuma", None)
            if f.ref:
                service = self.ctx.services.registers
                target = service.spec(f.ref)
                options = sorted(
                    ((service.title(target, r), r.id) for r in service.list(f.ref)), key=lambda o: fold(o[0])
                )
                for title, record_id in options:
                    combo.addItem(title, record_id)
            return combo
        if f.kind is FieldKind.LONG_TEXT:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(96)
            return text
        line = QLineEdit()
        line.setMaxLength(max(f.max_length, 40))
        if f.kind in _PLACEHOLDERS:
            line.setPlaceholderText(_PLACEHOLDERS[f.kind])
        if f.kind in (FieldKind.INT, FieldKind.MONEY):
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
            line.setMaximumWidth(240)
        elif f.kind in (FieldKind.DATE, FieldKind.CPF, FieldKind.CNPJ):
            line.setMaximumWidth(240)
        line.editingFinished.connect(lambda f=f: self._check_field(f))
        return line

    # ------------------------------------------------------------------ values
    def editor(self, field_name: str) -> QWidget:
        """The input widget of a field (tests and the page drive it through its own API)."""
        return self._editors[field_name]

    def error_text(self, field_name: str) -> str:
        label = self._errors[field_name]
        return label.text() if not label.isHidden() else ""

    def _set_value(self, f: FieldSpec, value: Any) -> None:
        editor = self._editors[f.name]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            index = editor.findData(value) if value is not None else 0
            if index < 0:  # a reference to a record that no longer exists, or an old code
                editor.addItem("(registro excluído)" if f.kind is FieldKind.REF else str(value), value)
                index = editor.count() - 1
            editor.setCurrentIndex(index)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value or ""))
        elif isinstance(editor, QLineEdit):
            editor.setText(display_value(f, value))

    def values(self) -> dict[str, Any]:
        """What the user entered, raw (the service parses and validates it)."""
        out: dict[str, Any] = {}
        for f in self.spec.fields:
            editor = self._editors[f.name]
            if isinstance(editor, QCheckBox):
                out[f.name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[f.name] = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                out[f.name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                out[f.name] = editor.text()
        return out

    # ------------------------------------------------------------------ validation and saving
    def _check_field(self, f: FieldSpec) -> None:
        """On leaving a field: check its format only (a blank required field is reported on save)."""
        editor = self._editors[f.name]
        if not isinstance(editor, QLineEdit):
            return
        text = editor.text()
        message = ""
        if not is_blank(text):
            try:
                parse_value(f, text)
            except ValueError as exc:
                message = f"{f.label}: {exc}."
        self._show_field_error(f.name, message)

    def _show_field_error(self, field_name: str, message: str) -> None:
        self._errors[field_name].show_error(message)
        editor = self._editors[field_name]
        editor.setProperty("invalid", bool(message))
        editor.style().unpolish(editor)
        editor.style().polish(editor)

    def show_errors(self, field_errors: Mapping[str, str]) -> None:
        """Each message under its field, focus on the first bad one, a summary above the buttons."""
        for name in self._editors:
            self._show_field_error(name, field_errors.get(name, ""))
        others = [message for name, message in field_errors.items() if name not in self._editors]
        bad = [f for f in self.spec.fields if f.name in field_errors]
        if bad:
            count = len(bad)
            names = ", ".join(f.label for f in bad)
            summary = f"Corrija {'o campo' if count == 1 else f'os {count} campos'} abaixo: {names}."
            self.summary.show_error(" ".join([summary, *others]))
            first = self._editors[bad[0].name]
            first.setFocus()
            parent = first.parentWidget()
            scroll = self.findChild(QScrollArea)
            if scroll is not None and parent is not None:
                scroll.ensureWidgetVisible(parent)
        else:
            self.summary.show_error(" ".join(others))

    def save(self) -> None:
        service = self.ctx.services.registers
        values = self.values()
        try:
            if self.record is None:
                saved = service.create(actor=self.ctx.actor, name=self.spec.name, values=values)
            else:
                saved = service.update(
                    actor=self.ctx.actor,
                    name=self.spec.name,
                    record_id=self.record.id,
                    values=values,
                    expected_revision=self.record.revision,
                )
        except ValidationError as exc:
            self.show_errors(exc.field_errors)
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self.saved = {
            "id": saved.id,
            "values": dict(saved.values),
            "previous": dict(self.record.values) if self.record is not None else None,
            "title": service.title(self.spec, saved),
        }
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, spec: RegisterSpec, record: RegisterRecord | None = None
    ) -> dict[str, Any] | None:
        """Open the form; returns what was saved (see :attr:`saved`) or None when cancelled."""
        dialog = cls(parent, ctx, spec, record)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.saved if accepted else None
        finally:
            dialog.deleteLater()
