"""Field parsing and validation shared by every register: money, dates, choices, CPF, rules."""

from __future__ import annotations

import pytest

from suas_desktop.domain.register_fields import (
    FieldKind,
    FieldSpec,
    cpf_is_valid,
    format_money,
    format_value,
    mask_cpf,
    parse_money,
    parse_value,
    validate_record,
)
from suas_desktop.domain.registers import (
    ACCOUNTS,
    ALL_REGISTERS,
    CONTRACTS,
    STAFF,
    SYSTEM_ACCESS,
    UNMET_DEMAND,
)
from suas_desktop.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "centavos"),
    [
        ("1.234,56", 123456),
        ("R$ 1.234,56", 123456),
        ("R$\u00a01.234,56", 123456),
        (1234.56, 123456),
        (0.1 + 0.2, 30),  # floats from spreadsheets never leak binary fractions
        ("1234.5", 123450),
        ("1.234.567", 123456700),
        ("1.234", 123400),
        (10, 1000),
        ("-10,00", -1000),
        ("(5,00)", -500),
        ("0,01", 1),
    ],
)
def test_parse_money(raw, centavos):
    assert parse_money(raw) == centavos


@pytest.mark.parametrize("raw", ["abc", "1,234,5", "1,001", "R$", True])
def test_parse_money_rejects(raw):
    with pytest.raises(ValueError):
        parse_money(raw)


@pytest.mark.parametrize(
    ("centavos", "text"),
    [
        (0, "R$ 0,00"),
        (1, "R$ 0,01"),
        (123456, "R$ 1.234,56"),
        (-1000, "-R$ 10,00"),
        (100000000, "R$ 1.000.000,00"),
    ],
)
def test_format_money(centavos, text):
    assert format_money(centavos) == text
    assert parse_money(text) == centavos


def test_cpf():
    assert cpf_is_valid("529.982.247-25")
    assert not cpf_is_valid("529.982.247-24")
    assert not cpf_is_valid("111.111.111-11")
    assert mask_cpf("52998224725") == "***.982.247-**"


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (FieldKind.DATE, "31/12/2026", "2026-12-31"),
        (FieldKind.DATE, "2026-12-31", "2026-12-31"),
        (FieldKind.BOOL, "Sim", 1),
        (FieldKind.BOOL, "não", 0),
        (FieldKind.INT, "1.500", 1500),
        (FieldKind.INT, 40.0, 40),
        (FieldKind.TEXT, "  CRAS   Centro ", "CRAS Centro"),
    ],
)
def test_parse_value(kind, raw, stored):
    assert parse_value(FieldSpec("x", "X", kind), raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (FieldKind.DATE, "31/02/2026"),
        (FieldKind.BOOL, "talvez"),
        (FieldKind.INT, "4,5"),
        (FieldKind.CPF, "123"),
    ],
)
def test_parse_value_rejects(kind, raw):
    with pytest.raises(ValueError):
        parse_value(FieldSpec("x", "X", kind), raw)


def test_choice_accepts_code_or_label_case_insensitive():
    spec = STAFF.field("bond")
    assert parse_value(spec, "efetivo") == "efetivo"
    assert parse_value(spec, "COMISSIONADO") == "comissionado"
    with pytest.raises(ValueError, match="use uma das opções"):
        parse_value(spec, "terceirizado")
    assert format_value(spec, "efetivo") == "Efetivo"


def _account(**over):
    base = {
        "bank": "Banco do Brasil",
        "branch": "1234-5",
        "account": "99999-1",
        "block": "Bloco da Proteção Social Básica",
        "balance_dec31": "10.000,00",
        "amount_to_reprogram": "5.000,00",
    }
    return {**base, **over}


def test_account_money_is_integer_centavos():
    clean = validate_record(ACCOUNTS, _account())
    assert clean["balance_dec31"] == 1_000_000 and clean["block"] == "bloco_psb"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"balance_dec31": "-1,00"}, "balance_dec31"),
        ({"amount_to_reprogram": "20.000,00"}, "amount_to_reprogram"),
        ({"bank": ""}, "bank"),
        ({"block": "Bloco inventado"}, "block"),
    ],
)
def test_account_rules(over, field):
    with pytest.raises(ValidationError) as info:
        validate_record(ACCOUNTS, _account(**over))
    assert field in info.value.field_errors


def test_all_errors_at_once():
    with pytest.raises(ValidationError) as info:
        validate_record(ACCOUNTS, _account(bank="", balance_dec31="x", block="?"))
    assert set(info.value.field_errors) == {"bank", "balance_dec31", "block"}


def test_contract_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as info:
        validate_record(
            CONTRACTS,
            {"number": "1/2026", "supplier": "X", "purpose": "Y", "start": "01/06/2026", "end": "31/05/2026"},
        )
    assert "end" in info.value.field_errors


def test_invalid_cnpj_in_contract():
    with pytest.raises(ValidationError) as info:
        validate_record(
            CONTRACTS, {"number": "1", "supplier": "X", "purpose": "Y", "supplier_cnpj": "11.222.333/0001-82"}
        )
    assert "supplier_cnpj" in info.value.field_errors


@pytest.mark.parametrize("code", ["Maria da Silva", "joão", "ABC"])
def test_unmet_demand_never_takes_a_name(code):
    with pytest.raises(ValidationError) as info:
        validate_record(
            UNMET_DEMAND,
            {"case_code": code, "service": "PAEFI", "received_on": "01/02/2026", "status": "Aguardando"},
        )
    assert "case_code" in info.value.field_errors


def test_no_register_has_a_password_field():
    for spec in ALL_REGISTERS:
        for f in spec.fields:
            assert not any(
                word in f.name.lower() or word in f.label.lower() for word in ("senha", "password", "pass")
            )
    assert "holder" in SYSTEM_ACCESS.field_names


def test_every_example_is_valid():
    """The examples printed in spreadsheet templates must themselves pass validation."""
    for spec in ALL_REGISTERS:
        for f in spec.fields:
            if f.example and f.kind is not FieldKind.REF:
                parse_value(f, f.example)
