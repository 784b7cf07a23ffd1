"""Field specifications for the registers: one declaration drives validation, storage, spreadsheets
and tables.

Each register (units, staff, accounts…) is a :class:`RegisterSpec`: a list of :class:`FieldSpec` with a
type, limits, a Portuguese header, an example, an LGPD class, and cross-field rules. ``validate_record``
turns raw input (from a form or a spreadsheet cell) into clean stored values, or raises one
``ValidationError`` naming every bad field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from suas_desktop.errors import ValidationError


class FieldKind(Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INT = "int"
    MONEY = "money"  # integer centavos; shown as R$ 1.234,56
    DATE = "date"  # ISO text in storage, dd/mm/aaaa on screen
    BOOL = "bool"
    CHOICE = "choice"  # a code from ``choices``
    CNPJ = "cnpj"
    CPF = "cpf"
    REF = "ref"  # id of a record of another register


class Privacy(Enum):
    """LGPD class of a field: what may leave the machine and what reports may print."""

    PUBLIC = "public"
    PERSONAL = "personal"  # identifies a person (name, CPF, phone)
    SENSITIVE = "sensitive"  # LGPD art. 5º II, or data about vulnerable families


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (code, pt-BR label)
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 200
    privacy: Privacy = Privacy.PUBLIC
    ref: str | None = None  # register name for REF fields
    example: str = ""
    help: str = ""

    def choice_label(self, code: str | None) -> str:
        return dict(self.choices).get(code or "", code or "")


#: A cross-field rule: gets the clean values, returns {field: message} for the fields it rejects.
RecordRule = Callable[[Mapping[str, Any]], dict[str, str]]


@dataclass(frozen=True)
class RegisterSpec:
    name: str  # table name, English
    label: str  # "Unidades"
    singular: str  # "Unidade"
    fields: tuple[FieldSpec, ...]
    rules: tuple[RecordRule, ...] = ()
    title_field: str = ""
    description: str = ""
    #: Fields that identify a record for spreadsheets and merges (e.g. bank + branch + account).
    natural_key: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# ------------------------------------------------------------------ parsing single values
_TRUE = {"sim", "s", "yes", "y", "true", "verdadeiro", "1", "x"}
_FALSE = {"não", "nao", "n", "no", "false", "falso", "0", ""}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def parse_money(value: Any) -> int:
    """Centavos from 1234.56, "1.234,56", "R$ 1.234,56", "-10,00" or an int of reais from a spreadsheet."""
    if isinstance(value, bool):
        raise ValueError("valor inválido")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        # Spreadsheet cells are binary doubles: 0.1 + 0.2 arrives as 0.30000000000000004. Anything
        # within a millionth of a centavo is that centavo; real fractions of centavos are refused.
        cents = round(value * 100)
        if abs(value * 100 - cents) > 1e-6 * max(1.0, abs(value)):
            raise ValueError("mais de dois dígitos de centavos")
        return int(cents)
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace("R$", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            raise ValueError("vazio")
        negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
        text = text.strip("-()")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")  # "1.234.567" is thousands, not decimals
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError("valor inválido") from None
        if negative:
            amount = -amount
    centavos = amount * 100
    if centavos != centavos.to_integral_value():
        raise ValueError("mais de dois dígitos de centavos")
    return int(centavos)


def format_money(centavos: int | None) -> str:
    """R$ 1.234,56 (negative: -R$ 10,00)."""
    if centavos is None:
        return ""
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(int(centavos)), 100)
    return f"{sign}R$ {reais:,}".replace(",", ".") + f",{cents:02d}"


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
    raise ValueError("data inválida")


def format_date(value: date | str | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}"


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("use Sim ou Não")


def cpf_is_valid(cpf: str) -> bool:
    digits = _digits(cpf)
    if len(digits) != 11 or digits == digits[0] * 11:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        check = (total * 10) % 11 % 10
        if check != int(digits[size]):
            return False
    return True


def mask_cpf(cpf: str | None) -> str:
    """***.456.789-** (the format the LGPD guidance of the federal government uses for publication)."""
    digits = _digits(cpf or "")
    if len(digits) != 11:
        return ""
    return f"***.{digits[3:6]}.{digits[6:9]}-**"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_value(spec: FieldSpec, value: Any) -> Any:
    """One raw value -> the stored value (None when blank). Raises ValueError with a pt-BR reason."""
    if is_blank(value):
        return None
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        text = str(value).strip()
        if kind is FieldKind.TEXT:
            text = " ".join(text.split())
        if len(text) > spec.max_length:
            raise ValueError(f"no máximo {spec.max_length} caracteres")
        return text
    if kind is FieldKind.INT:
        if isinstance(value, bool):
            raise ValueError("deve ser um número inteiro")
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError("deve ser um número inteiro")
            number = int(value)
        else:
            text = str(value).strip().replace(".", "")
            if not re.fullmatch(r"-?\d+", text):
                raise ValueError("deve ser um número inteiro")
            number = int(text)
        return _in_range(spec, number)
    if kind is FieldKind.MONEY:
        return _in_range(spec, parse_money(value), money=True)
    if kind is FieldKind.DATE:
        return parse_date(value).isoformat()
    if kind is FieldKind.BOOL:
        return int(parse_bool(value))
    if kind is FieldKind.CHOICE:
        text = str(value).strip()
        for code, label in spec.choices:
            if text.casefold() in (code.casefold(), label.casefold()):
                return code
        raise ValueError("use uma das opções: " + ", ".join(label for _, label in spec.choices))
    if kind is FieldKind.CNPJ:
        from suas_desktop.domain.municipality import validate_cnpj

        try:
            return validate_cnpj(str(value), field=spec.name, label=spec.label)
        except ValidationError as exc:
            raise ValueError(exc.field_errors.get(spec.name, exc.message)) from None
    if kind is FieldKind.CPF:
        digits = _digits(str(value))
        if not cpf_is_valid(digits):
            raise ValueError("CPF inválido (confira os dígitos)")
        return digits
    if kind is FieldKind.REF:
        return str(value).strip()
    raise AssertionError(kind)


def _in_range(spec: FieldSpec, number: int, *, money: bool = False) -> int:
    show = format_money if money else str
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(
            "não pode ser negativo" if spec.minimum == 0 else f"deve ser pelo menos {show(spec.minimum)}"
        )
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(f"deve ser no máximo {show(spec.maximum)}")
    return number


def format_value(spec: FieldSpec, value: Any) -> str:
    """Stored value -> pt-BR text for tables, reports and exported spreadsheets."""
    if value is None or value == "":
        return ""
    if spec.kind is FieldKind.MONEY:
        return format_money(value)
    if spec.kind is FieldKind.DATE:
        return format_date(value)
    if spec.kind is FieldKind.BOOL:
        return "Sim" if value else "Não"
    if spec.kind is FieldKind.CHOICE:
        return spec.choice_label(value)
    if spec.kind is FieldKind.CNPJ:
        from suas_desktop.domain.municipality import format_cnpj

        return format_cnpj(value)
    if spec.kind is FieldKind.INT:
        return f"{value:,}".replace(",", ".")
    return str(value)


def validate_record(spec: RegisterSpec, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Clean every field of ``raw``; raises one ValidationError with a message per bad field.

    With ``partial`` only the fields present in ``raw`` are checked (an edit of some fields); the
    cross-field rules then run on what is given.
    """
    unknown = set(raw) - set(spec.field_names)
    if unknown:
        raise ValueError(f"unknown fields for {spec.name}: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        if partial and f.name not in raw:
            continue
        try:
            clean[f.name] = parse_value(f, raw.get(f.name))
        except ValueError as exc:
            errors[f.name] = f"{f.label}: {exc}."
            continue
        if f.required and clean[f.name] is None:
            errors[f.name] = f"{f.label}: campo obrigatório."
    if not errors:
        for rule in spec.rules:
            errors.update(rule(clean))
    if errors:
        raise ValidationError(errors)
    return clean


# ------------------------------------------------------------------ common rules
def date_order(start: str, end: str, message: str) -> RecordRule:
    def rule(values: Mapping[str, Any]) -> dict[str, str]:
        a, b = values.get(start), values.get(end)
        return {end: message} if a and b and b < a else {}

    return rule


def choices(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(pairs)


def labels_of(specs: Sequence[FieldSpec]) -> list[str]:
    return [f.label for f in specs]


@dataclass(frozen=True)
class RowError:
    """A bad spreadsheet row: line number as the user sees it, column header and reason."""

    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RegisterRecord:
    """One stored record of a register: its id, clean values and sync state."""

    id: str
    values: Mapping[str, Any]
    revision: int = 1
    updated_at: str = ""
    updated_by: str = ""

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)
