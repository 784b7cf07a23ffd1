"""Municipality rules: porte, UF, IBGE code, CNPJ (numeric and alphanumeric), mandates, create() and warnings."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from suas_desktop.domain.municipality import (
    CMAS_MANDATE_WARNING_DAYS,
    IBGE_CHECK_DIGIT_EXCEPTIONS,
    SIZE_CLASS_THRESHOLDS,
    UF_IBGE_PREFIX,
    UF_NAMES,
    Mandate,
    Municipality,
    SizeClass,
    cnpj_check_digits,
    format_cnpj,
    ibge_check_digit,
    normalize_cnpj,
    normalize_uf,
    size_class,
    validate_cnpj,
    validate_ibge_code,
)
from suas_desktop.errors import ValidationError

TODAY = date(2028, 10, 1)


# ---------------------------------------------------------------- reference CNPJ algorithm
# Written independently of the module (character table instead of ord) so the tests do not just repeat it.
_CNPJ_VALUES = {char: index for index, char in enumerate("0123456789")} | {
    char: 17 + index for index, char in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}


def _reference_dv(body: str) -> str:
    digits = ""
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        chars = body + digits
        remainder = sum(_CNPJ_VALUES[c] * w for c, w in zip(chars, weights, strict=True)) % 11
        digits += "0" if remainder < 2 else str(11 - remainder)
    return digits


def _cnpj(body: str) -> str:
    """A valid synthetic CNPJ from 12 characters (not any real company's on purpose)."""
    return body + _reference_dv(body)


PREFEITURA_CNPJ = _cnpj("187154450001")
FMAS_CNPJ = _cnpj("274810930001")
FMAS_AS_FILIAL = _cnpj("187154450002")  # same root as PREFEITURA_CNPJ


# ---------------------------------------------------------------- size class


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (1, SizeClass.SMALL_I),
        (20_000, SizeClass.SMALL_I),
        (20_001, SizeClass.SMALL_II),
        (50_000, SizeClass.SMALL_II),
        (50_001, SizeClass.MEDIUM),
        (100_000, SizeClass.MEDIUM),
        (100_001, SizeClass.LARGE),
        (900_000, SizeClass.LARGE),
        (900_001, SizeClass.METROPOLIS),
        (11_451_999, SizeClass.METROPOLIS),
    ],
)
def test_size_class_boundaries(population, expected):
    assert size_class(population) is expected


@pytest.mark.parametrize("population", [0, -1, -20_000])
def test_size_class_rejects_population_below_one(population):
    with pytest.raises(ValueError):
        size_class(population)


def test_size_class_labels_are_the_pnas_names():
    assert [s.value for s in SizeClass] == [
        "Pequeno Porte I",
        "Pequeno Porte II",
        "Médio Porte",
        "Grande Porte",
        "Metrópole",
    ]


def test_size_class_thresholds_are_increasing_and_cover_every_class_but_the_last():
    bounds = [bound for bound, _ in SIZE_CLASS_THRESHOLDS]
    assert bounds == sorted(bounds)
    assert [klass for _, klass in SIZE_CLASS_THRESHOLDS] == list(SizeClass)[:-1]


# ---------------------------------------------------------------- UF


def test_all_27_ufs_have_a_prefix_and_a_name():
    assert len(UF_IBGE_PREFIX) == 27
    assert UF_NAMES.keys() == UF_IBGE_PREFIX.keys()
    assert len(set(UF_IBGE_PREFIX.values())) == 27
    assert all(len(p) == 2 and p.isdigit() for p in UF_IBGE_PREFIX.values())


@pytest.mark.parametrize(
    ("uf", "prefix", "name"),
    [
        ("MG", "31", "Minas Gerais"),
        ("SP", "35", "São Paulo"),
        ("DF", "53", "Distrito Federal"),
        ("RO", "11", "Rondônia"),
        ("BA", "29", "Bahia"),
        ("RS", "43", "Rio Grande do Sul"),
        ("MS", "50", "Mato Grosso do Sul"),
        ("GO", "52", "Goiás"),
    ],
)
def test_uf_prefixes_and_names(uf, prefix, name):
    assert UF_IBGE_PREFIX[uf] == prefix
    assert UF_NAMES[uf] == name


@pytest.mark.parametrize(("text", "expected"), [("MG", "MG"), (" mg ", "MG"), ("Df", "DF"), ("sp\n", "SP")])
def test_normalize_uf(text, expected):
    assert normalize_uf(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("XX", "“XX” não é uma UF"),
        ("Minas", "“MINAS” não é uma UF"),
        ("", "Informe a UF"),
        ("   ", "Informe a UF"),
    ],
)
def test_normalize_uf_rejects_unknown(text, fragment):
    with pytest.raises(ValidationError) as caught:
        normalize_uf(text)
    assert list(caught.value.field_errors) == ["uf"]
    assert fragment in caught.value.field_errors["uf"]


# ---------------------------------------------------------------- IBGE code

REAL_CODES = [
    ("3143302", "MG"),  # Montes Claros
    ("3106200", "MG"),  # Belo Horizonte
    ("3550308", "SP"),  # São Paulo
    ("5300108", "DF"),  # Brasília
    ("1100015", "RO"),  # Alta Floresta D'Oeste, first row of the IBGE table
    ("4106902", "PR"),  # Curitiba
    # Northern Minas Gerais (AMAMS area)
    ("3135100", "MG"),  # Janaúba
    ("3135209", "MG"),  # Januária
    ("3151206", "MG"),  # Pirapora
    ("3157005", "MG"),  # Salinas
    ("3107307", "MG"),  # Bocaiúva
    ("3152204", "MG"),  # Porteirinha
    ("3124302", "MG"),  # Espinosa
    ("3161106", "MG"),  # São Francisco
]


@pytest.mark.parametrize(("code", "uf"), REAL_CODES)
def test_real_ibge_codes_pass(code, uf):
    assert ibge_check_digit(code[:6]) == int(code[6])
    assert validate_ibge_code(code) == code
    assert validate_ibge_code(code, uf) == code
    assert validate_ibge_code(code, uf.lower()) == code


@pytest.mark.parametrize("text", ["314330-2", "31.4330-2", " 3143302 ", "31 43 302", "3.143.302"])
def test_ibge_code_separators_are_ignored(text):
    assert validate_ibge_code(text, "MG") == "3143302"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("3143303", "dígito verificador do código IBGE não confere"),  # last digit +1
        ("3143300", "dígito verificador do código IBGE não confere"),
        ("3134302", "dígito verificador do código IBGE não confere"),  # two digits swapped
        ("3550301", "dígito verificador do código IBGE não confere"),
        ("314330", "deve ter 7 dígitos (foram informados 6)"),
        ("31433022", "deve ter 7 dígitos (foram informados 8)"),
        ("31A3302", "apenas números"),
        ("31433O2", "apenas números"),  # letter O instead of zero
        ("３１４３３０２", "apenas números"),  # full-width digits are not ASCII digits
        ("", "Informe o código IBGE"),
        ("9943302", "“99” não é de nenhum estado"),
        ("3443302", "“34” não é de nenhum estado"),
    ],
)
def test_wrong_ibge_codes_fail(code, fragment):
    with pytest.raises(ValidationError) as caught:
        validate_ibge_code(code)
    assert list(caught.value.field_errors) == ["ibge_code"]
    assert fragment in caught.value.field_errors["ibge_code"]


def test_check_digit_message_is_plain_portuguese():
    with pytest.raises(ValidationError) as caught:
        validate_ibge_code("3143303")
    assert caught.value.message == (
        "O dígito verificador do código IBGE não confere. Confira o número na tabela do IBGE."
    )


@pytest.mark.parametrize(
    ("code", "uf"),
    [
        ("2201919", "PI"),  # Bom Princípio do Piauí
        ("2201988", "PI"),  # Brejo do Piauí
        ("2202251", "PI"),  # Canavieira
        ("2611533", "PE"),  # Quixaba
        ("3117836", "MG"),  # Cônego Marinho
        ("3152131", "MG"),  # Ponto Chique
        ("4305871", "RS"),  # Coronel Barros
        ("5203939", "GO"),  # Buriti de Goiás
        ("5203962", "GO"),  # Buritinópolis
    ],
)
def test_every_check_digit_exception_passes(code, uf):
    # Each really breaks the rule (the list is not padded with ordinary codes) and is still accepted.
    assert ibge_check_digit(code[:6]) != int(code[6])
    assert validate_ibge_code(code, uf) == code


def test_exception_list_is_exactly_the_nine_known_codes():
    assert len(IBGE_CHECK_DIGIT_EXCEPTIONS) == 9


def test_exception_still_checked_against_the_uf():
    with pytest.raises(ValidationError) as caught:
        validate_ibge_code("3117836", "BA")
    assert caught.value.field_errors == {
        "ibge_code": "O código IBGE 3117836 é de um município de MG, não de BA."
    }


@pytest.mark.parametrize(("code", "uf"), [("3550308", "MG"), ("3143302", "SP"), ("5300108", "GO")])
def test_ibge_code_must_match_uf(code, uf):
    with pytest.raises(ValidationError) as caught:
        validate_ibge_code(code, uf)
    message = caught.value.field_errors["ibge_code"]
    assert f"não de {uf}" in message
    code_uf = next(k for k, v in UF_IBGE_PREFIX.items() if v == code[:2])
    assert f"é de um município de {code_uf}, não de {uf}." in message


def test_unknown_uf_argument_reports_the_uf():
    with pytest.raises(ValidationError) as caught:
        validate_ibge_code("3143302", "ZZ")
    assert list(caught.value.field_errors) == ["uf"]


@pytest.mark.parametrize("bad", ["31433", "3143302", "31433a", ""])
def test_ibge_check_digit_needs_six_digits(bad):
    with pytest.raises(ValueError):
        ibge_check_digit(bad)


# ---------------------------------------------------------------- CNPJ

VALID_CNPJS = [
    ("11.222.333/0001-81", "11222333000181"),  # the usual textbook example
    ("11222333000181", "11222333000181"),
    (" 11 222 333 / 0001 - 81 ", "11222333000181"),
    # Receita Federal's published alphanumeric example (Nota Técnica COCAD/SUARA/RFB 49/2024 and RFB FAQ).
    ("12.ABC.345/01DE-35", "12ABC34501DE35"),
    ("12.abc.345/01de-35", "12ABC34501DE35"),
    (PREFEITURA_CNPJ, PREFEITURA_CNPJ),
    (FMAS_CNPJ, FMAS_CNPJ),
    (_cnpj("000000010001"), _cnpj("000000010001")),
    (_cnpj("ZZZZZZZZ0001"), _cnpj("ZZZZZZZZ0001")),
    (_cnpj("A1B2C3D4E5F6"), _cnpj("A1B2C3D4E5F6")),
]


@pytest.mark.parametrize(("text", "expected"), VALID_CNPJS)
def test_valid_cnpjs_pass(text, expected):
    assert validate_cnpj(text) == expected


def test_rfb_alphanumeric_example_digits():
    assert cnpj_check_digits("12ABC34501DE") == "35"
    assert cnpj_check_digits("112223330001") == "81"


def test_check_digits_match_the_reference_on_random_bodies():
    rng = random.Random(20260701)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(500):
        body = "".join(rng.choice(alphabet) for _ in range(12))
        assert cnpj_check_digits(body) == _reference_dv(body), body
        numeric = "".join(rng.choice("0123456789") for _ in range(12))
        assert cnpj_check_digits(numeric) == _reference_dv(numeric), numeric


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("11.222.333/0001-82", "O dígito verificador do CNPJ não confere."),
        ("11.222.333/0001-18", "O dígito verificador do CNPJ não confere."),
        ("11.222.333/0002-81", "O dígito verificador do CNPJ não confere."),
        ("12.ABC.345/01DE-53", "O dígito verificador do CNPJ não confere."),
        ("12.ABD.345/01DE-35", "O dígito verificador do CNPJ não confere."),
        ("1122233300018", "deve ter 14 caracteres (foram informados 13)"),
        ("112223330001811", "deve ter 14 caracteres (foram informados 15)"),
        ("00000000000000", "não pode ter todos os caracteres iguais"),
        ("00.000.000/0000-00", "não pode ter todos os caracteres iguais"),
        ("11111111111111", "não pode ter todos os caracteres iguais"),
        ("99999999999999", "não pode ter todos os caracteres iguais"),
        ("12ABC34501DE3A", "caracteres inválidos"),  # check digits must be numbers
        ("11222333000_81", "caracteres inválidos"),
        ("1122233300Ç181", "caracteres inválidos"),
        ("11222333000ß81", "caracteres inválidos"),  # "ß" is not turned into the letters "SS"
        ("", "Informe o CNPJ."),
    ],
)
def test_invalid_cnpjs_fail(text, fragment):
    with pytest.raises(ValidationError) as caught:
        validate_cnpj(text)
    assert list(caught.value.field_errors) == ["cnpj"]
    assert fragment in caught.value.field_errors["cnpj"]


def test_cnpj_error_uses_field_and_label():
    with pytest.raises(ValidationError) as caught:
        validate_cnpj("11.222.333/0001-82", field="fmas_cnpj", label="CNPJ do FMAS")
    assert caught.value.field_errors == {"fmas_cnpj": "O dígito verificador do CNPJ do FMAS não confere."}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 11.222.333/0001-81 ", "11222333000181"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("11\t222\n333", "11222333"),
    ],
)
def test_normalize_cnpj(text, expected):
    assert normalize_cnpj(text) == expected


@pytest.mark.parametrize(
    ("cnpj", "expected"),
    [
        ("11222333000181", "11.222.333/0001-81"),
        ("12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("12.abc.345/01de-35", "12.ABC.345/01DE-35"),
    ],
)
def test_format_cnpj(cnpj, expected):
    assert format_cnpj(cnpj) == expected


@pytest.mark.parametrize("bad", ["1122233300018", ""])
def test_format_cnpj_needs_14_characters(bad):
    with pytest.raises(ValueError):
        format_cnpj(bad)


@pytest.mark.parametrize("bad", ["12ABC34501D", "12abc34501de", "12ABC34501D*"])
def test_cnpj_check_digits_needs_12_valid_characters(bad):
    with pytest.raises(ValueError):
        cnpj_check_digits(bad)


# ---------------------------------------------------------------- mandates


@pytest.mark.parametrize(
    ("end", "expired", "days_left"),
    [
        (None, False, None),
        (TODAY + timedelta(days=30), False, 30),
        (TODAY, False, 0),  # the last day in office still counts
        (TODAY - timedelta(days=1), True, -1),
    ],
)
def test_mandate_expiry(end, expired, days_left):
    mandate = Mandate("Maria", date(2025, 1, 1), end)
    assert mandate.is_expired(TODAY) is expired
    assert mandate.days_left(TODAY) == days_left


# ---------------------------------------------------------------- Municipality.create


def _kwargs(**overrides):
    values = {
        "name": "Montes Claros",
        "uf": "MG",
        "ibge_code": "3143302",
        "population": 414_240,
        "prefeitura_cnpj": PREFEITURA_CNPJ,
        "fmas_cnpj": FMAS_CNPJ,
        "fmas_has_budget_unit": True,
        "fmas_has_own_resources": True,
        "managing_body": "Secretaria Municipal de Desenvolvimento Social",
        "manager": Mandate("Ana Souza", date(2025, 1, 1), date(2028, 12, 31)),
        "cmas_president": Mandate("João Lima", date(2027, 1, 1), date(2029, 6, 30)),
    }
    return values | overrides


def test_create_normalizes_every_field():
    municipality = Municipality.create(
        **_kwargs(
            name="  Montes   Claros ",
            uf=" mg",
            ibge_code="314330-2",
            population="414.240",
            prefeitura_cnpj=format_cnpj(PREFEITURA_CNPJ),
            fmas_cnpj=format_cnpj(FMAS_CNPJ).lower(),
            managing_body="  Secretaria   Municipal de Desenvolvimento Social ",
            manager=Mandate("  Ana   Souza ", date(2025, 1, 1)),
            coat_of_arms_sha256="ab" * 32,
        )
    )
    assert municipality.name == "Montes Claros"
    assert municipality.uf == "MG"
    assert municipality.ibge_code == "3143302"
    assert municipality.population == 414_240
    assert municipality.prefeitura_cnpj == PREFEITURA_CNPJ
    assert municipality.fmas_cnpj == FMAS_CNPJ
    assert municipality.managing_body == "Secretaria Municipal de Desenvolvimento Social"
    assert municipality.manager == Mandate("Ana Souza", date(2025, 1, 1))
    assert municipality.coat_of_arms_sha256 == "ab" * 32
    assert municipality.size_class is SizeClass.LARGE


def test_create_accepts_an_alphanumeric_fmas_cnpj():
    municipality = Municipality.create(**_kwargs(fmas_cnpj="12.ABC.345/01DE-35"))
    assert municipality.fmas_cnpj == "12ABC34501DE35"


def test_create_collects_every_error_at_once():
    with pytest.raises(ValidationError) as caught:
        Municipality.create(
            name=" ",
            uf="XX",
            ibge_code="3143303",
            population="0",
            prefeitura_cnpj="11.222.333/0001-82",
            fmas_cnpj="123",
            fmas_has_budget_unit=None,
            fmas_has_own_resources="sim",
            managing_body="",
            manager=Mandate("Ana", date(2025, 1, 1), date(2024, 12, 31)),
            cmas_president=Mandate("  ", date(2025, 1, 1)),
            coat_of_arms_sha256="XYZ",
        )
    errors = caught.value.field_errors
    assert set(errors) == {
        "name",
        "uf",
        "ibge_code",
        "population",
        "prefeitura_cnpj",
        "fmas_cnpj",
        "fmas_has_budget_unit",
        "fmas_has_own_resources",
        "managing_body",
        "manager",
        "cmas_president",
        "coat_of_arms_sha256",
    }
    assert errors["prefeitura_cnpj"] == "O dígito verificador do CNPJ da prefeitura não confere."
    assert errors["fmas_cnpj"] == "O CNPJ do FMAS deve ter 14 caracteres (foram informados 3)."
    assert errors["manager"] == (
        "O fim do mandato do(a) gestor(a) (31/12/2024) não pode ser anterior ao início (01/01/2025)."
    )
    assert errors["cmas_president"] == "Informe o nome do(a) presidente do CMAS."
    assert caught.value.message.startswith("Alguns campos precisam ser corrigidos:")
    assert caught.value.message.count("•") == 12


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"name": "X"}, "name", "entre 2 e 120 caracteres"),
        ({"name": "A" * 121}, "name", "entre 2 e 120 caracteres"),
        ({"name": None}, "name", "Informe o nome do município"),
        ({"uf": "SP"}, "ibge_code", "é de um município de MG, não de SP"),
        ({"uf": "Minas Gerais"}, "uf", "não é uma UF"),
        ({"ibge_code": "3550308"}, "ibge_code", "é de um município de SP, não de MG"),
        ({"ibge_code": "31433"}, "ibge_code", "7 dígitos"),
        ({"population": "-3"}, "population", "pelo menos 1 habitante"),
        ({"population": 0}, "population", "pelo menos 1 habitante"),
        ({"population": "12,5"}, "population", "número inteiro"),
        ({"population": "doze mil"}, "population", "número inteiro"),
        ({"population": 12_345.0}, "population", "número inteiro"),
        ({"population": True}, "population", "número inteiro"),
        ({"population": ""}, "population", "Informe a população"),
        ({"population": None}, "population", "Informe a população"),
        ({"prefeitura_cnpj": "00000000000000"}, "prefeitura_cnpj", "CNPJ da prefeitura não pode ter"),
        ({"fmas_cnpj": ""}, "fmas_cnpj", "Informe o CNPJ do FMAS."),
        ({"fmas_has_budget_unit": None}, "fmas_has_budget_unit", "UO/UG"),
        ({"fmas_has_own_resources": 1}, "fmas_has_own_resources", "recursos próprios"),
        ({"managing_body": "   "}, "managing_body", "Informe o órgão gestor"),
        ({"managing_body": "S" * 201}, "managing_body", "no máximo 200 caracteres"),
        ({"manager": Mandate("", date(2025, 1, 1))}, "manager", "Informe o nome do(a) gestor(a)."),
        (
            {"cmas_president": Mandate("João", date(2027, 1, 2), date(2027, 1, 1))},
            "cmas_president",
            "fim do mandato do(a) presidente do CMAS (01/01/2027)",
        ),
        ({"coat_of_arms_sha256": "AB" * 32}, "coat_of_arms_sha256", "minúsculos"),
        ({"coat_of_arms_sha256": "ab" * 31}, "coat_of_arms_sha256", "64 caracteres"),
        ({"coat_of_arms_sha256": ""}, "coat_of_arms_sha256", "SHA-256"),
    ],
)
def test_create_reports_just_the_bad_field(overrides, field, fragment):
    with pytest.raises(ValidationError) as caught:
        Municipality.create(**_kwargs(**overrides))
    assert list(caught.value.field_errors) == [field]
    assert fragment in caught.value.field_errors[field]
    # A single error is shown on its own, without the "Alguns campos…" heading.
    assert caught.value.message == caught.value.field_errors[field]


@pytest.mark.parametrize(
    ("population", "expected"),
    [(12_345, 12_345), ("12.345", 12_345), (" 1.234.567 ", 1_234_567), ("7", 7), ("20 001", 20_001)],
)
def test_create_population_forms(population, expected):
    assert Municipality.create(**_kwargs(population=population)).population == expected


def test_create_allows_open_ended_mandates_and_none():
    municipality = Municipality.create(
        **_kwargs(manager=Mandate("Ana", date(2025, 1, 1)), cmas_president=None)
    )
    assert municipality.manager.end is None
    assert municipality.cmas_president is None


def test_mandate_may_start_and_end_on_the_same_day():
    same_day = Mandate("Ana", date(2025, 1, 1), date(2025, 1, 1))
    assert Municipality.create(**_kwargs(manager=same_day)).manager == same_day


# ---------------------------------------------------------------- properties and warnings


def _municipality(**overrides) -> Municipality:
    return Municipality.create(**_kwargs(**overrides))


def test_a_well_set_up_municipality_has_no_warnings():
    assert _municipality().warnings(TODAY) == []


@pytest.mark.parametrize(
    ("budget_unit", "own_resources", "only_cnpj", "present", "absent"),
    [
        (True, True, False, [], ["apenas um CNPJ"]),
        (False, True, True, ["UO/UG", "Selo FNAS"], ["recursos próprios", "LOAS"]),
        (True, False, True, ["recursos próprios", "LOAS (art. 30, parágrafo único)", "Selo FNAS"], ["UO/UG"]),
        (False, False, True, ["UO/UG", "recursos próprios", "LOAS (art. 30", "Selo FNAS"], []),
    ],
)
def test_fmas_only_cnpj(budget_unit, own_resources, only_cnpj, present, absent):
    municipality = _municipality(fmas_has_budget_unit=budget_unit, fmas_has_own_resources=own_resources)
    assert municipality.fmas_only_cnpj is only_cnpj
    text = " ".join(municipality.warnings(TODAY))
    if only_cnpj:
        assert "O FMAS é “apenas um CNPJ”" in text
    for fragment in present:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


@pytest.mark.parametrize(
    ("end", "fragment"),
    [
        (TODAY - timedelta(days=1), "terminou em 30/09/2028"),
        (TODAY - timedelta(days=400), "terminou em"),
        (TODAY, "termina hoje (01/10/2028)"),
        (TODAY + timedelta(days=1), "termina amanhã (02/10/2028)"),
        (TODAY + timedelta(days=30), "termina em 30 dias (31/10/2028)"),
        (TODAY + timedelta(days=CMAS_MANDATE_WARNING_DAYS), "termina em 60 dias (30/11/2028)"),
        (TODAY + timedelta(days=CMAS_MANDATE_WARNING_DAYS + 1), None),
        (None, None),
    ],
)
def test_cmas_president_mandate_warnings(end, fragment):
    president = Mandate("João Lima", date(2026, 1, 1), end)
    warnings = [w for w in _municipality(cmas_president=president).warnings(TODAY) if "CMAS" in w]
    if fragment is None:
        assert warnings == []
    else:
        assert len(warnings) == 1
        assert "presidente do CMAS João Lima" in warnings[0]
        assert fragment in warnings[0]


@pytest.mark.parametrize(
    ("end", "warned"),
    [(TODAY - timedelta(days=1), True), (TODAY, False), (TODAY + timedelta(days=10), False), (None, False)],
)
def test_expired_manager_mandate_warns(end, warned):
    manager = Mandate("Ana Souza", date(2025, 1, 1), end)
    warnings = [w for w in _municipality(manager=manager).warnings(TODAY) if "gestor(a)" in w]
    if warned:
        assert warnings == [
            "O mandato do(a) gestor(a) Ana Souza terminou em 30/09/2028. "
            "Registre quem está à frente do órgão gestor agora."
        ]
    else:
        assert warnings == []


def test_fmas_cnpj_equal_to_prefeitura_cnpj_warns():
    warnings = _municipality(fmas_cnpj=PREFEITURA_CNPJ).warnings(TODAY)
    assert warnings == [
        "O CNPJ do FMAS é igual ao da prefeitura. O fundo precisa de CNPJ próprio, "
        "na condição de matriz (NOB-SUAS 2012)."
    ]


def test_fmas_registered_as_filial_of_the_prefeitura_warns():
    warnings = _municipality(fmas_cnpj=FMAS_AS_FILIAL).warnings(TODAY)
    assert len(warnings) == 1
    assert "filial do CNPJ da prefeitura" in warnings[0]
    assert "na condição de matriz" in warnings[0]


def test_warnings_accumulate():
    warnings = _municipality(
        fmas_cnpj=PREFEITURA_CNPJ,
        fmas_has_own_resources=False,
        manager=Mandate("Ana", date(2021, 1, 1), date(2024, 12, 31)),
        cmas_president=Mandate("João", date(2026, 1, 1), TODAY + timedelta(days=5)),
    ).warnings(TODAY)
    assert len(warnings) == 4
    assert warnings[0].startswith("O CNPJ do FMAS é igual")
    assert warnings[1].startswith("O FMAS é “apenas um CNPJ”")
