"""The municipality profile form shared by the first-run wizard and Configurações.

Validation runs when the user leaves a field (never per keystroke): the message appears under the
field and stays until the value is fixed. The porte follows the population live, and the CNPJ and
date fields insert their separators while typing or pasting.

Signals:
    changed(): any edit (the wizard uses it to enable Avançar).
    committed(str): the user left a field or picked a choice; the argument is the field name.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.municipality import (
    SIZE_CLASS_THRESHOLDS,
    UF_NAMES,
    Mandate,
    Municipality,
    SizeClass,
    format_cnpj,
    normalize_cnpj,
    size_class,
)
from suas_desktop.domain.register_fields import parse_date
from suas_desktop.errors import ValidationError
from suas_desktop.ui.forms import field_label, help_label
from suas_desktop.ui.widgets import FieldError

PT_BR = QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)

#: Field name -> the label users read (also used in "Para avançar, corrija: …").
FIELD_LABELS: dict[str, str] = {
    "name": "Nome do município",
    "uf": "UF",
    "ibge_code": "Código IBGE",
    "population": "População",
    "managing_body": "Órgão gestor",
    "prefeitura_cnpj": "CNPJ da prefeitura",
    "fmas_cnpj": "CNPJ do FMAS",
    "fmas_has_budget_unit": "Unidade orçamentária do FMAS",
    "fmas_has_own_resources": "Recursos próprios no FMAS",
}
PROFILE_FIELDS = tuple(FIELD_LABELS)

#: Narrower than this, the two groups of the profile form stack (window at its minimum width, large text).
TWO_COLUMNS_PX = 760

DATE_EXAMPLE = "Informe a data no formato dd/mm/aaaa. Exemplo: 05/03/2026."


def repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        repolish(widget)


def format_int(number: int) -> str:
    """12.345 (pt-BR thousand separator)."""
    return PT_BR.toString(number)


def porte_text(population_text: str) -> str:
    """The live porte line under the population field."""
    digits = population_text.replace(".", "").replace(" ", "").strip()
    if not digits.isdigit() or int(digits) < 1:
        return "Porte: aparece quando a população for informada."
    klass = size_class(int(digits))
    bounds = [upper for upper, _ in SIZE_CLASS_THRESHOLDS]
    classes = [k for _, k in SIZE_CLASS_THRESHOLDS]
    if klass is SizeClass.METROPOLIS:
        span = f"acima de {format_int(bounds[-1])} habitantes"
    else:
        index = classes.index(klass)
        upper = format_int(bounds[index])
        span = (
            f"até {upper} habitantes"
            if index == 0
            else f"de {format_int(bounds[index - 1] + 1)} a {upper} habitantes"
        )
    return f"Porte: {klass.value} ({span}, pela Política Nacional de Assistência Social)"


# ------------------------------------------------------------------ masked fields


class CnpjField(QLineEdit):
    """A CNPJ typed or pasted with or without punctuation shows as 12.345.678/0001-95.

    Letters are kept (upper case) for the alphanumeric CNPJ issued from July 2026.
    """

    _SEPARATORS: ClassVar[dict[int, str]] = {2: ".", 5: ".", 8: "/", 12: "-"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("00.000.000/0000-00")
        self.textEdited.connect(self._reformat)
        self.editingFinished.connect(lambda: self._reformat(self.text()))

    def _reformat(self, text: str) -> None:
        cursor = self.cursorPosition()
        before = sum(1 for c in text[:cursor] if c.isascii() and c.isalnum())
        chars = [c.upper() for c in text if c.isascii() and c.isalnum()][:14]
        out: list[str] = []
        position = 0
        for index, char in enumerate(chars):
            if index in self._SEPARATORS:
                out.append(self._SEPARATORS[index])
            out.append(char)
            if index < before:
                position = len(out)
        formatted = "".join(out)
        if formatted != text:
            self.setText(formatted)
            self.setCursorPosition(position if before else 0)

    def set_cnpj(self, cnpj: str) -> None:
        try:
            self.setText(format_cnpj(cnpj))
        except ValueError:
            self.setText(cnpj or "")


class DateField(QLineEdit):
    """A date typed as dd/mm/aaaa; the slashes appear by themselves when only digits are typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/aaaa")
        self.setMaxLength(10)
        self.textEdited.connect(self._reformat)
        self.editingFinished.connect(self._tidy)

    def _reformat(self, text: str) -> None:
        if "/" in text or not text.isdigit():
            return  # the user types the separators: leave the text alone
        digits = text[:8]
        formatted = digits[:2] + ("/" + digits[2:4] if len(digits) > 2 else "")
        formatted += "/" + digits[4:] if len(digits) > 4 else ""
        if formatted != text:
            self.setText(formatted)

    def _tidy(self) -> None:
        try:
            day = self.date_value()
        except ValueError:
            return
        if day is not None:
            self.setText(f"{day:%d/%m/%Y}")

    def set_date(self, day: date | None) -> None:
        self.setText("" if day is None else f"{day:%d/%m/%Y}")

    def date_value(self) -> date | None:
        """The date, None when empty; ``ValueError`` (pt-BR message) when it is not a date."""
        text = self.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            raise ValueError(DATE_EXAMPLE) from None


class YesNo(QWidget):
    """Two radio buttons, Sim and Não, starting unanswered (None)."""

    answered = Signal()

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        self.yes = QRadioButton("Sim")
        self.no = QRadioButton("Não")
        self.yes.setAccessibleName(f"Sim: {question}")
        self.no.setAccessibleName(f"Não: {question}")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.group.buttonClicked.connect(lambda _: self.answered.emit())
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        layout.addStretch(1)

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_value(self, value: bool | None) -> None:
        self.group.setExclusive(False)
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)


class _Field:
    """One row of a form: the input, its label, its message under it."""

    def __init__(self, widget: QWidget, label: QLabel, error: FieldError) -> None:
        self.widget = widget
        self.label = label
        self.error = error


class _FormBase(QWidget):
    changed = Signal()
    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields: dict[str, _Field] = {}
        self._touched: set[str] = set()

    def _add(
        self,
        layout: QVBoxLayout,
        name: str,
        text: str,
        widget: QWidget,
        *,
        help_text: str = "",
        extra: QWidget | None = None,
    ) -> None:
        label = field_label(text, widget.yes if isinstance(widget, YesNo) else widget)
        error = FieldError()
        error.setAccessibleName(f"Mensagem sobre {FIELD_LABELS.get(name, text.replace('&', ''))}")
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(label)
        box.addWidget(widget)
        box.addWidget(error)
        if extra is not None:
            box.addWidget(extra)
        if help_text:
            box.addWidget(help_label(help_text))
        layout.addLayout(box)
        self._fields[name] = _Field(widget, label, error)

    # -- what subclasses provide
    def errors(self) -> dict[str, str]:
        raise NotImplementedError

    # -- shared behaviour
    def is_valid(self) -> bool:
        return not self.errors()

    def commit(self, name: str) -> None:
        """The user left ``name``: show the messages of every field already visited, then tell listeners."""
        self._touched.add(name)
        self.refresh_messages()
        self.committed.emit(name)

    def show_all_errors(self) -> dict[str, str]:
        self._touched.update(self._fields)
        return self.refresh_messages()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages from a service (``ValidationError.field_errors``) under the matching fields."""
        for name, field in self._fields.items():
            self._show(field, errors.get(name, ""))
        self._focus_first(errors)

    def refresh_messages(self) -> dict[str, str]:
        errors = self.errors()
        for name, field in self._fields.items():
            self._show(field, errors.get(name, "") if name in self._touched else "")
        return errors

    def error_text(self, name: str) -> str:
        field = self._fields[name]
        return field.error.text().removeprefix("✖ ") if not field.error.isHidden() else ""

    def field_widget(self, name: str) -> QWidget:
        return self._fields[name].widget

    def reset_touched(self) -> None:
        self._touched.clear()
        self.refresh_messages()

    def _focus_first(self, errors: dict[str, str]) -> None:
        for name, field in self._fields.items():
            if name in errors:
                target = field.widget.yes if isinstance(field.widget, YesNo) else field.widget
                target.setFocus()
                return

    @staticmethod
    def _show(field: _Field, message: str) -> None:
        field.error.show_error(message)
        widget = field.widget
        if isinstance(widget, QLineEdit | QComboBox):
            set_invalid(widget, bool(message))


# ------------------------------------------------------------------ municipality


class MunicipalityForm(_FormBase):
    """Município (nome, UF, IBGE, população/porte) and órgão gestor + FMAS (CNPJs, the two questions)."""

    def __init__(self, parent: QWidget | None = None, *, two_columns: bool = True) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.uf_combo = QComboBox()
        self.uf_combo.addItem("Escolha a UF", "")
        for uf, full in sorted(UF_NAMES.items(), key=lambda pair: pair[1]):
            self.uf_combo.addItem(f"{uf} — {full}", uf)
        self.ibge_edit = QLineEdit()
        self.ibge_edit.setMaxLength(9)
        self.population_edit = QLineEdit()
        self.porte_label = QLabel(porte_text(""))
        self.porte_label.setObjectName("muted")
        self.porte_label.setWordWrap(True)
        self.porte_label.setAccessibleName("Porte do município")
        self.managing_body_edit = QLineEdit()
        self.managing_body_edit.setPlaceholderText("Ex.: Secretaria Municipal de Assistência Social")
        self.prefeitura_cnpj_edit = CnpjField()
        self.fmas_cnpj_edit = CnpjField()
        self.budget_unit = YesNo("O FMAS tem unidade orçamentária própria?")
        self.own_resources = YesNo("O município coloca recursos próprios no FMAS?")

        municipality = QGroupBox("Município")
        left = QVBoxLayout(municipality)
        left.setSpacing(12)
        self._add(left, "name", "&Nome do município", self.name_edit)
        self._add(left, "uf", "&UF (estado)", self.uf_combo)
        self._add(
            left,
            "ibge_code",
            "Código &IBGE do município",
            self.ibge_edit,
            help_text="7 números, como aparece na tabela do IBGE. Exemplo: 3143302.",
        )
        self._add(
            left,
            "population",
            "&População (habitantes)",
            self.population_edit,
            extra=self.porte_label,
        )
        self._add(left, "managing_body", "Ó&rgão gestor da Assistência Social", self.managing_body_edit)
        left.addStretch(1)

        fund = QGroupBox("Órgão gestor e Fundo Municipal de Assistência Social (FMAS)")
        right = QVBoxLayout(fund)
        right.setSpacing(12)
        self._add(right, "prefeitura_cnpj", "CNPJ da pr&efeitura", self.prefeitura_cnpj_edit)
        self._add(
            right,
            "fmas_cnpj",
            "CNPJ do &FMAS",
            self.fmas_cnpj_edit,
            help_text="O CNPJ próprio do fundo (matriz), diferente do da prefeitura.",
        )
        self._add(
            right,
            "fmas_has_budget_unit",
            "O FMAS &tem unidade orçamentária própria?",
            self.budget_unit,
            help_text="Ou seja: no orçamento, o fundo é uma unidade orçamentária e gestora (UO/UG) só dele, "
            "com ordenador de despesa. O Selo FNAS exige isso.",
        )
        self._add(
            right,
            "fmas_has_own_resources",
            "O município &coloca recursos próprios no FMAS?",
            self.own_resources,
            help_text="A Lei Orgânica da Assistência Social (LOAS, art. 30) exige dinheiro do município no "
            "fundo para manter os repasses.",
        )
        self.only_cnpj_notice = QFrame()
        self.only_cnpj_notice.setObjectName("messageBar")
        self.only_cnpj_notice.setProperty("kind", "warning")
        notice_layout = QHBoxLayout(self.only_cnpj_notice)
        notice_layout.setContentsMargins(12, 8, 12, 8)
        self.only_cnpj_label = QLabel(
            "⚠ Assim o FMAS fica “apenas um CNPJ”: existe no papel, mas sem orçamento ou sem dinheiro "
            "próprio, o que pode suspender repasses. Você pode continuar; o Painel vai lembrar disso."
        )
        self.only_cnpj_label.setWordWrap(True)
        self.only_cnpj_label.setAccessibleName("Aviso sobre o FMAS")
        notice_layout.addWidget(self.only_cnpj_label)
        self.only_cnpj_notice.hide()
        right.addWidget(self.only_cnpj_notice)
        right.addStretch(1)

        self._groups = (municipality, fund)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(16)
        self._two_columns_allowed = two_columns
        self._columns = 0
        self._arrange(2 if two_columns else 1)

        for name, edit in (
            ("name", self.name_edit),
            ("ibge_code", self.ibge_edit),
            ("population", self.population_edit),
            ("managing_body", self.managing_body_edit),
            ("prefeitura_cnpj", self.prefeitura_cnpj_edit),
            ("fmas_cnpj", self.fmas_cnpj_edit),
        ):
            edit.textChanged.connect(lambda _=None: self.changed.emit())
            edit.editingFinished.connect(lambda name=name: self._left(name))
        self.population_edit.textChanged.connect(lambda text: self.porte_label.setText(porte_text(text)))
        self.uf_combo.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.uf_combo.activated.connect(lambda _: self._left("uf"))
        for name, yes_no in (
            ("fmas_has_budget_unit", self.budget_unit),
            ("fmas_has_own_resources", self.own_resources),
        ):
            yes_no.answered.connect(self._update_notice)
            yes_no.answered.connect(self.changed.emit)
            yes_no.answered.connect(lambda name=name: self.commit(name))

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        municipality, fund = self._groups
        self._grid.removeWidget(municipality)
        self._grid.removeWidget(fund)
        self._grid.addWidget(municipality, 0, 0)
        if columns == 2:
            self._grid.addWidget(fund, 0, 1)
        else:
            self._grid.addWidget(fund, 1, 0)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1 if columns == 2 else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._two_columns_allowed:
            self._arrange(2 if event.size().width() >= TWO_COLUMNS_PX else 1)

    def _left(self, name: str) -> None:
        if name == "population":
            digits = self.population_edit.text().replace(".", "").replace(" ", "").strip()
            if digits.isdigit() and int(digits) > 0:
                self.population_edit.setText(format_int(int(digits)))
        if name == "uf" and self.ibge_edit.text().strip():
            self._touched.add("ibge_code")  # the code is checked against the state
        self.commit(name)

    def _update_notice(self) -> None:
        answers = (self.budget_unit.value(), self.own_resources.value())
        self.only_cnpj_notice.setVisible(False in answers)

    # -- values
    def set_values(self, municipality: Municipality | None) -> None:
        m = municipality
        for edit in (self.name_edit, self.ibge_edit, self.population_edit, self.managing_body_edit):
            edit.blockSignals(True)
        self.name_edit.setText(m.name if m else "")
        self.ibge_edit.setText(m.ibge_code if m else "")
        self.population_edit.setText(format_int(m.population) if m else "")
        self.porte_label.setText(porte_text(self.population_edit.text()))
        self.managing_body_edit.setText(m.managing_body if m else "")
        for edit in (self.name_edit, self.ibge_edit, self.population_edit, self.managing_body_edit):
            edit.blockSignals(False)
        self.uf_combo.setCurrentIndex(max(self.uf_combo.findData(m.uf if m else ""), 0))
        self.prefeitura_cnpj_edit.set_cnpj(m.prefeitura_cnpj if m else "")
        self.fmas_cnpj_edit.set_cnpj(m.fmas_cnpj if m else "")
        self.budget_unit.set_value(m.fmas_has_budget_unit if m else None)
        self.own_resources.set_value(m.fmas_has_own_resources if m else None)
        self._update_notice()
        self.reset_touched()

    def values(self) -> dict:
        """The raw values, as :meth:`MunicipalityService.save_profile` takes them (mandates excluded)."""
        return {
            "name": self.name_edit.text(),
            "uf": self.uf_combo.currentData() or "",
            "ibge_code": self.ibge_edit.text(),
            "population": self.population_edit.text(),
            "prefeitura_cnpj": normalize_cnpj(self.prefeitura_cnpj_edit.text()),
            "fmas_cnpj": normalize_cnpj(self.fmas_cnpj_edit.text()),
            "fmas_has_budget_unit": self.budget_unit.value(),
            "fmas_has_own_resources": self.own_resources.value(),
            "managing_body": self.managing_body_edit.text(),
        }

    def errors(self) -> dict[str, str]:
        try:
            self.municipality()
        except ValidationError as exc:
            return {k: v for k, v in exc.field_errors.items() if k in self._fields}
        return {}

    def municipality(self, **extra: object) -> Municipality:
        """The validated municipality (mandates and coat of arms from ``extra``); ``ValidationError``."""
        return Municipality.create(**self.values(), **extra)  # type: ignore[arg-type]

    def missing_labels(self) -> list[str]:
        errors = self.errors()
        return [label for name, label in FIELD_LABELS.items() if name in errors]


# ------------------------------------------------------------------ mandates

MANDATE_ROLES = {
    "manager": "Gestor(a) da Assistência Social",
    "cmas_president": "Presidente do Conselho Municipal de Assistência Social (CMAS)",
}
_ROLE_SHORT = {"manager": "do(a) gestor(a)", "cmas_president": "do(a) presidente do CMAS"}


class MandatesForm(_FormBase):
    """Who holds the órgão gestor and the CMAS presidency, with the dates of each mandate.

    A role left without a name is not recorded (its dates are ignored).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        self.names: dict[str, QLineEdit] = {}
        self.starts: dict[str, DateField] = {}
        self.ends: dict[str, DateField] = {}
        mnemonics = {
            "manager": ("&Nome do(a) gestor(a)", "&Início do mandato", "&Fim do mandato"),
            "cmas_president": ("Nome do(a) &presidente", "Iní&cio do mandato", "Fim do &mandato"),
        }
        for role, title in MANDATE_ROLES.items():
            group = QGroupBox(title)
            layout = QVBoxLayout(group)
            layout.setSpacing(8)
            name_text, start_text, end_text = mnemonics[role]
            name = QLineEdit()
            start, end = DateField(), DateField()
            self.names[role], self.starts[role], self.ends[role] = name, start, end
            box = QVBoxLayout()
            box.setSpacing(4)
            box.addWidget(field_label(name_text, name))
            box.addWidget(name)
            layout.addLayout(box)
            dates = QHBoxLayout()
            dates.setSpacing(16)
            for text, edit in ((start_text, start), (end_text, end)):
                column = QVBoxLayout()
                column.setSpacing(4)
                column.addWidget(field_label(text, edit))
                edit.setAccessibleName(f"{text.replace('&', '')} {_ROLE_SHORT[role]}")
                column.addWidget(edit)
                dates.addLayout(column)
            dates.addStretch(1)
            layout.addLayout(dates)
            if role == "manager":
                layout.addWidget(
                    help_label(
                        "Se a pessoa foi nomeada depois do início do mandato municipal, corrija o início."
                    )
                )
            if role == "cmas_president":
                layout.addWidget(
                    help_label(
                        "Sem presidência com mandato válido, o conselho pode não conseguir aprovar o plano "
                        "e a prestação de contas. O Painel avisa 60 dias antes do fim do mandato."
                    )
                )
            error = FieldError()
            error.setAccessibleName(f"Mensagem sobre {title}")
            layout.addWidget(error)
            outer.addWidget(group)
            self._fields[role] = _Field(name, QLabel(), error)
            start.setMaximumWidth(160)
            end.setMaximumWidth(160)
            for edit in (name, start, end):
                edit.textChanged.connect(lambda _=None: self.changed.emit())
                edit.editingFinished.connect(lambda role=role: self.commit(role))
        outer.addStretch(1)

    def set_values(self, manager: Mandate | None, cmas_president: Mandate | None) -> None:
        for role, mandate in (("manager", manager), ("cmas_president", cmas_president)):
            for edit in (self.names[role], self.starts[role], self.ends[role]):
                edit.blockSignals(True)
            self.names[role].setText(mandate.holder_name if mandate else "")
            self.starts[role].set_date(mandate.start if mandate else None)
            self.ends[role].set_date(mandate.end if mandate else None)
            for edit in (self.names[role], self.starts[role], self.ends[role]):
                edit.blockSignals(False)
        self.reset_touched()

    def _mandate(self, role: str) -> tuple[Mandate | None, str]:
        holder = " ".join(self.names[role].text().split())
        if not holder:
            return None, ""
        who = _ROLE_SHORT[role]
        try:
            start = self.starts[role].date_value()
        except ValueError:
            return None, f"Início do mandato {who}: {DATE_EXAMPLE}"
        try:
            end = self.ends[role].date_value()
        except ValueError:
            return None, f"Fim do mandato {who}: {DATE_EXAMPLE}"
        if start is None:
            return None, f"Informe o início do mandato {who} (dd/mm/aaaa). Exemplo: 01/01/2025."
        if end is not None and end < start:
            return None, (
                f"O fim do mandato {who} ({end:%d/%m/%Y}) não pode ser anterior ao início ({start:%d/%m/%Y})."
            )
        return Mandate(holder, start, end), ""

    def values(self) -> dict[str, Mandate | None]:
        """``{"manager": …, "cmas_president": …}``; a role with a wrong date counts as not filled."""
        return {role: self._mandate(role)[0] for role in MANDATE_ROLES}

    def errors(self) -> dict[str, str]:
        found = {}
        for role in MANDATE_ROLES:
            message = self._mandate(role)[1]
            if message:
                found[role] = message
        return found

    def missing_labels(self) -> list[str]:
        return [MANDATE_ROLES[role].split(" (")[0] for role in self.errors()]
