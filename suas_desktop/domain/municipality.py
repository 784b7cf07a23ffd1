"""The municipality: UF, IBGE code, porte (PNAS size class), FMAS and prefeitura CNPJs, and term holders."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from suas_desktop.errors import ValidationError

# ---------------------------------------------------------------- porte (size class)


class SizeClass(Enum):
    """Porte do município (PNAS 2004); the value is the pt-BR label shown to users."""

    SMALL_I = "Pequeno Porte I"
    SMALL_II = "Pequeno Porte II"
    MEDIUM = "Médio Porte"
    LARGE = "Grande Porte"
    METROPOLIS = "Metrópole"


#: Largest population of each porte, smallest first; above the last bound the municipality is a Metrópole.
#: Source: PNAS 2004 (Res. CNAS 145/2004), quoted in domain.md §5.2 and tagged [G] there (author's knowledge,
#: not yet re-read in the norm) — kept as data so a correction is a one-line change.
SIZE_CLASS_THRESHOLDS: tuple[tuple[int, SizeClass], ...] = (
    (20_000, SizeClass.SMALL_I),
    (50_000, SizeClass.SMALL_II),
    (100_000, SizeClass.MEDIUM),
    (900_000, SizeClass.LARGE),
)


def size_class(population: int) -> SizeClass:
    """The porte for a population (inhabitants); raises ``ValueError`` below 1."""
    if population < 1:
        raise ValueError(f"population must be at least 1, got {population}")
    for upper_bound, klass in SIZE_CLASS_THRESHOLDS:
        if population <= upper_bound:
            return klass
    return SizeClass.METROPOLIS


# ---------------------------------------------------------------- UF

#: The 27 federative units and the 2-digit IBGE state code that starts each of their municipality codes.
UF_IBGE_PREFIX: dict[str, str] = {
    "RO": "11",
    "AC": "12",
    "AM": "13",
    "RR": "14",
    "PA": "15",
    "AP": "16",
    "TO": "17",
    "MA": "21",
    "PI": "22",
    "CE": "23",
    "RN": "24",
    "PB": "25",
    "PE": "26",
    "AL": "27",
    "SE": "28",
    "BA": "29",
    "MG": "31",
    "ES": "32",
    "RJ": "33",
    "SP": "35",
    "PR": "41",
    "SC": "42",
    "RS": "43",
    "MS": "50",
    "MT": "51",
    "GO": "52",
    "DF": "53",
}

UF_NAMES: dict[str, str] = {
    "RO": "Rondônia",
    "AC": "Acre",
    "AM": "Amazonas",
    "RR": "Roraima",
    "PA": "Pará",
    "AP": "Amapá",
    "TO": "Tocantins",
    "MA": "Maranhão",
    "PI": "Piauí",
    "CE": "Ceará",
    "RN": "Rio Grande do Norte",
    "PB": "Paraíba",
    "PE": "Pernambuco",
    "AL": "Alagoas",
    "SE": "Sergipe",
    "BA": "Bahia",
    "MG": "Minas Gerais",
    "ES": "Espírito Santo",
    "RJ": "Rio de Janeiro",
    "SP": "São Paulo",
    "PR": "Paraná",
    "SC": "Santa Catarina",
    "RS": "Rio Grande do Sul",
    "MS": "Mato Grosso do Sul",
    "MT": "Mato Grosso",
    "GO": "Goiás",
    "DF": "Distrito Federal",
}

_UF_BY_PREFIX = {prefix: uf for uf, prefix in UF_IBGE_PREFIX.items()}


def normalize_uf(text: str) -> str:
    """The UF sigla in upper case; raises ``ValidationError({"uf": …})`` if it is not one of the 27."""
    uf = ("" if text is None else str(text)).strip().upper()
    if not uf:
        raise ValidationError({"uf": "Informe a UF (sigla do estado, como MG)."})
    if uf not in UF_IBGE_PREFIX:
        raise ValidationError({"uf": f"“{uf}” não é uma UF. Use a sigla de um dos 27 estados, como MG."})
    return uf


# ---------------------------------------------------------------- IBGE municipality code

_IBGE_WEIGHTS = (1, 2, 1, 2, 1, 2)
_IBGE_SEPARATORS = re.compile(r"[\s.\-]")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def ibge_check_digit(first_six: str) -> int:
    """The 7th digit of an IBGE municipality code (modulus 10, weights 1-2, products' digits summed)."""
    if len(first_six) != 6 or not _ASCII_DIGITS.fullmatch(first_six):
        raise ValueError(f"expected 6 digits, got {first_six!r}")
    total = 0
    for char, weight in zip(first_six, _IBGE_WEIGHTS, strict=True):
        product = int(char) * weight
        # A two-digit product (at most 18) counts as the sum of its digits, as in the Luhn scheme.
        total += product if product < 10 else product // 10 + product % 10
    return (10 - total % 10) % 10


#: Official municipality codes whose 7th digit does not follow the check-digit rule; IBGE keeps them for
#: historical reasons, so they must be accepted as they are (the "corrected" codes do not exist).
#: Source: Nota Técnica NF-e 2008/004 (SEFAZ/ENCAT), as listed in the open-source validators
#: glasswalk3r/brazilian-ids (functions/location/municipio.py, ``INVALID``) and poliquin/brazilnum (muni.py,
#: ``SHIM``); the same nine codes appear in the IBGE table copied in poliquin/brazilnum benchmark/munis.csv.
#: Each was checked here to fail the rule. Two are in northern Minas Gerais (Cônego Marinho, Ponto Chique).
IBGE_CHECK_DIGIT_EXCEPTIONS: frozenset[str] = frozenset(
    {
        "2201919",  # Bom Princípio do Piauí/PI
        "2201988",  # Brejo do Piauí/PI
        "2202251",  # Canavieira/PI
        "2611533",  # Quixaba/PE
        "3117836",  # Cônego Marinho/MG
        "3152131",  # Ponto Chique/MG
        "4305871",  # Coronel Barros/RS
        "5203939",  # Buriti de Goiás/GO
        "5203962",  # Buritinópolis/GO
    }
)


def validate_ibge_code(code: str, uf: str | None = None) -> str:
    """The 7-digit IBGE municipality code, checked; raises ``ValidationError({"ibge_code": …})``.

    Spaces, dots and dashes are ignored. When ``uf`` is given the code must belong to that state (an
    unknown ``uf`` raises the ``"uf"`` error from :func:`normalize_uf`).
    """

    def fail(message: str) -> ValidationError:
        return ValidationError({"ibge_code": message})

    digits = _IBGE_SEPARATORS.sub("", "" if code is None else str(code))
    if not digits:
        raise fail("Informe o código IBGE do município (7 dígitos).")
    if not _ASCII_DIGITS.fullmatch(digits):
        raise fail("O código IBGE deve ter apenas números.")
    if len(digits) != 7:
        raise fail(f"O código IBGE deve ter 7 dígitos (foram informados {len(digits)}).")
    code_uf = _UF_BY_PREFIX.get(digits[:2])
    if code_uf is None:
        raise fail(
            f"O código IBGE deve começar com o código de um estado (por exemplo, 31 para MG); "
            f"“{digits[:2]}” não é de nenhum estado."
        )
    # The check digit comes before the UF comparison: a mistyped code would otherwise get a misleading
    # "wrong state" message.
    if digits not in IBGE_CHECK_DIGIT_EXCEPTIONS and ibge_check_digit(digits[:6]) != int(digits[6]):
        raise fail("O dígito verificador do código IBGE não confere. Confira o número na tabela do IBGE.")
    if uf is not None:
        expected_uf = normalize_uf(uf)
        if code_uf != expected_uf:
            raise fail(f"O código IBGE {digits} é de um município de {code_uf}, não de {expected_uf}.")
    return digits


# ---------------------------------------------------------------- CNPJ (numeric and alphanumeric)

_CNPJ_FIRST_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_SECOND_WEIGHTS = (6, *_CNPJ_FIRST_WEIGHTS)
_CNPJ_SEPARATORS = frozenset("./-")
# From July 2026 the Receita Federal also issues alphanumeric CNPJs (IN RFB 2.229/2024; Nota Técnica
# COCAD/SUARA/RFB 49/2024): the first 12 positions may be 0-9 or A-Z, the two check digits stay numeric.
_CNPJ_BODY = re.compile(r"[0-9A-Z]{12}")
_CNPJ_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")


def normalize_cnpj(text: str) -> str:
    """The CNPJ without ".", "/", "-" and spaces, letters in upper case (no other check)."""
    raw = "" if text is None else str(text)
    # Only ASCII letters are upper-cased: str.upper() would turn "ß" into the two valid letters "SS".
    return "".join(
        char.upper() if "a" <= char <= "z" else char
        for char in raw
        if char not in _CNPJ_SEPARATORS and not char.isspace()
    )


def _cnpj_digit(body: str, weights: tuple[int, ...]) -> int:
    # ord(char) - 48 keeps "0".."9" at 0..9 and gives "A" = 17 … "Z" = 42, so every numeric CNPJ keeps
    # the check digits it always had.
    remainder = sum((ord(char) - 48) * weight for char, weight in zip(body, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def cnpj_check_digits(first_twelve: str) -> str:
    """The two check digits (modulus 11) for the first 12 characters of a numeric or alphanumeric CNPJ."""
    if not _CNPJ_BODY.fullmatch(first_twelve):
        raise ValueError(f"expected 12 characters 0-9 or A-Z, got {first_twelve!r}")
    first = _cnpj_digit(first_twelve, _CNPJ_FIRST_WEIGHTS)
    second = _cnpj_digit(first_twelve + str(first), _CNPJ_SECOND_WEIGHTS)
    return f"{first}{second}"


def validate_cnpj(text: str, *, field: str = "cnpj", label: str = "CNPJ") -> str:
    """The 14 normalized characters of a valid CNPJ; raises ``ValidationError({field: …})`` with ``label``."""

    def fail(message: str) -> ValidationError:
        return ValidationError({field: message})

    cnpj = normalize_cnpj(text)
    if not cnpj:
        raise fail(f"Informe o {label}.")
    if len(cnpj) != 14:
        raise fail(f"O {label} deve ter 14 caracteres (foram informados {len(cnpj)}).")
    if not _CNPJ_SHAPE.fullmatch(cnpj):
        raise fail(
            f"O {label} tem caracteres inválidos: use números; letras de A a Z só no CNPJ alfanumérico "
            f"e só antes dos 2 dígitos finais."
        )
    # "00000000000000" satisfies the check-digit formula, but no such CNPJ is ever issued.
    if len(set(cnpj)) == 1:
        raise fail(f"O {label} não pode ter todos os caracteres iguais.")
    if cnpj_check_digits(cnpj[:12]) != cnpj[12:]:
        raise fail(f"O dígito verificador do {label} não confere.")
    return cnpj


def format_cnpj(cnpj: str) -> str:
    """``12.345.678/0001-95`` (also for alphanumeric CNPJs); raises ``ValueError`` if not 14 characters."""
    plain = normalize_cnpj(cnpj)
    if len(plain) != 14:
        raise ValueError(f"a CNPJ has 14 characters, got {cnpj!r}")
    return f"{plain[:2]}.{plain[2:5]}.{plain[5:8]}/{plain[8:12]}-{plain[12:]}"


# ---------------------------------------------------------------- mandates

#: A CMAS president's term ending within this many days gets a warning, leaving time to elect a successor.
CMAS_MANDATE_WARNING_DAYS = 60


@dataclass(frozen=True)
class Mandate:
    """A person's term in a role (órgão gestor manager, CMAS president); ``end`` is the last day in office."""

    holder_name: str
    start: date
    end: date | None = None

    def is_expired(self, today: date) -> bool:
        return self.end is not None and today > self.end

    def days_left(self, today: date) -> int | None:
        """Days from ``today`` to ``end`` (0 on the last day, negative once expired); None if open-ended."""
        return None if self.end is None else (self.end - today).days


def _br_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- municipality

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_POPULATION_TEXT = re.compile(r"-?[0-9]+")
_NAME_MIN, _NAME_MAX = 2, 120
_MANAGING_BODY_MAX = 200
_ROLE_LABELS = {"manager": "do(a) gestor(a)", "cmas_president": "do(a) presidente do CMAS"}


@dataclass(frozen=True)
class Municipality:
    """The municipality the data belongs to. Build it with :meth:`create`, which validates and normalizes."""

    name: str
    uf: str
    ibge_code: str
    population: int
    prefeitura_cnpj: str
    fmas_cnpj: str
    #: The FMAS is its own unidade orçamentária and unidade gestora (UO/UG), as NOB-SUAS 2012 and the
    #: Selo FNAS ask.
    fmas_has_budget_unit: bool
    #: The municipality puts own-source money into the FMAS (LOAS art. 30, parágrafo único).
    fmas_has_own_resources: bool
    #: Órgão gestor da Assistência Social, e.g. "Secretaria Municipal de Assistência Social".
    managing_body: str
    manager: Mandate | None = None
    cmas_president: Mandate | None = None
    #: SHA-256 of the coat-of-arms image in the attachment store, or None.
    coat_of_arms_sha256: str | None = None

    @property
    def size_class(self) -> SizeClass:
        return size_class(self.population)

    @property
    def fmas_only_cnpj(self) -> bool:
        """The fund "is only a CNPJ" (domain.md §0): no budget unit of its own, or no own-source money."""
        return not (self.fmas_has_budget_unit and self.fmas_has_own_resources)

    def warnings(self, today: date) -> list[str]:
        """Things that are legal to record but that the manager should fix, as pt-BR sentences."""
        found: list[str] = []
        if self.fmas_cnpj == self.prefeitura_cnpj:
            found.append(
                "O CNPJ do FMAS é igual ao da prefeitura. O fundo precisa de CNPJ próprio, "
                "na condição de matriz (NOB-SUAS 2012)."
            )
        elif self.fmas_cnpj[:8] == self.prefeitura_cnpj[:8]:
            # Same 8-character root: the fund is registered as a branch (filial) of the prefeitura.
            found.append(
                "O CNPJ do FMAS é uma filial do CNPJ da prefeitura. O fundo precisa de CNPJ próprio, "
                "na condição de matriz (NOB-SUAS 2012)."
            )
        if self.fmas_only_cnpj:
            found.append(self._only_cnpj_warning())
        found.extend(self._cmas_president_warnings(today))
        if self.manager is not None and self.manager.is_expired(today):
            found.append(
                f"O mandato do(a) gestor(a) {self.manager.holder_name} terminou em "
                f"{_br_date(self.manager.end)}. Registre quem está à frente do órgão gestor agora."
            )
        return found

    def _only_cnpj_warning(self) -> str:
        missing: list[str] = []
        why: list[str] = []
        if not self.fmas_has_budget_unit:
            missing.append("não é unidade orçamentária e gestora própria (UO/UG)")
            why.append("o Selo FNAS exige UO e UG específicas para o fundo")
        if not self.fmas_has_own_resources:
            missing.append("não recebe recursos próprios do município")
            why.append(
                "a LOAS (art. 30, parágrafo único) condiciona os repasses à alocação de recursos próprios "
                "no fundo, e o Selo FNAS pede essa comprovação"
            )
        return f"O FMAS é “apenas um CNPJ”: {' e '.join(missing)}. Isso importa porque {'; e '.join(why)}."

    def _cmas_president_warnings(self, today: date) -> list[str]:
        mandate = self.cmas_president
        if mandate is None or mandate.end is None:
            return []
        who = f"O mandato do(a) presidente do CMAS {mandate.holder_name}"
        days = mandate.days_left(today)
        assert days is not None
        if days < 0:
            return [
                f"{who} terminou em {_br_date(mandate.end)}. Sem presidência regular, o conselho pode não "
                f"conseguir aprovar o plano e a prestação de contas; providencie a eleição."
            ]
        if days <= CMAS_MANDATE_WARNING_DAYS:
            when = "hoje" if days == 0 else "amanhã" if days == 1 else f"em {days} dias"
            return [
                f"{who} termina {when} ({_br_date(mandate.end)}). Providencie a eleição ou a recondução "
                f"antes do fim do mandato."
            ]
        return []

    @classmethod
    def create(
        cls,
        *,
        name: str,
        uf: str,
        ibge_code: str,
        population: int | str,
        prefeitura_cnpj: str,
        fmas_cnpj: str,
        fmas_has_budget_unit: bool,
        fmas_has_own_resources: bool,
        managing_body: str,
        manager: Mandate | None = None,
        cmas_president: Mandate | None = None,
        coat_of_arms_sha256: str | None = None,
    ) -> Municipality:
        """Validate every field and build the municipality with normalized values.

        Raises one :class:`ValidationError` whose ``field_errors`` has an entry for each bad field, keyed
        by the parameter name, so a form can mark all of them at once.
        """
        errors: dict[str, str] = {}

        clean_name = _collapse_spaces(name)
        if not clean_name:
            errors["name"] = "Informe o nome do município."
        elif not _NAME_MIN <= len(clean_name) <= _NAME_MAX:
            errors["name"] = f"O nome do município deve ter entre {_NAME_MIN} e {_NAME_MAX} caracteres."

        clean_uf: str | None = None
        try:
            clean_uf = normalize_uf(uf)
        except ValidationError as exc:
            errors.update(exc.field_errors)

        clean_code = ""
        try:
            # Without a valid UF the code is still checked on its own, so both mistakes show at once.
            clean_code = validate_ibge_code(ibge_code, clean_uf)
        except ValidationError as exc:
            errors.update(exc.field_errors)

        clean_population, population_error = _parse_population(population)
        if population_error:
            errors["population"] = population_error

        clean_cnpjs: dict[str, str] = {}
        for field_name, value, label in (
            ("prefeitura_cnpj", prefeitura_cnpj, "CNPJ da prefeitura"),
            ("fmas_cnpj", fmas_cnpj, "CNPJ do FMAS"),
        ):
            try:
                clean_cnpjs[field_name] = validate_cnpj(value, field=field_name, label=label)
            except ValidationError as exc:
                errors.update(exc.field_errors)

        # These are yes/no questions the user must answer; None means "not answered yet".
        if not isinstance(fmas_has_budget_unit, bool):
            errors["fmas_has_budget_unit"] = (
                "Responda se o FMAS é uma unidade orçamentária e gestora própria (UO/UG)."
            )
        if not isinstance(fmas_has_own_resources, bool):
            errors["fmas_has_own_resources"] = "Responda se o município aplica recursos próprios no FMAS."

        clean_body = _collapse_spaces(managing_body)
        if not clean_body:
            errors["managing_body"] = (
                "Informe o órgão gestor da Assistência Social (por exemplo, Secretaria Municipal de "
                "Assistência Social)."
            )
        elif len(clean_body) > _MANAGING_BODY_MAX:
            errors["managing_body"] = (
                f"O nome do órgão gestor deve ter no máximo {_MANAGING_BODY_MAX} caracteres."
            )

        clean_mandates: dict[str, Mandate | None] = {}
        for field_name, mandate in (("manager", manager), ("cmas_president", cmas_president)):
            clean_mandate, mandate_error = _check_mandate(mandate, _ROLE_LABELS[field_name])
            if mandate_error:
                errors[field_name] = mandate_error
            clean_mandates[field_name] = clean_mandate

        if coat_of_arms_sha256 is not None and not (
            isinstance(coat_of_arms_sha256, str) and _SHA256_HEX.fullmatch(coat_of_arms_sha256)
        ):
            errors["coat_of_arms_sha256"] = (
                "A referência do brasão é inválida: deve ser um SHA-256 com 64 caracteres hexadecimais "
                "minúsculos."
            )

        if errors:
            raise ValidationError(errors)
        assert clean_uf is not None
        assert clean_population is not None
        return cls(
            name=clean_name,
            uf=clean_uf,
            ibge_code=clean_code,
            population=clean_population,
            prefeitura_cnpj=clean_cnpjs["prefeitura_cnpj"],
            fmas_cnpj=clean_cnpjs["fmas_cnpj"],
            fmas_has_budget_unit=fmas_has_budget_unit,
            fmas_has_own_resources=fmas_has_own_resources,
            managing_body=clean_body,
            manager=clean_mandates["manager"],
            cmas_president=clean_mandates["cmas_president"],
            coat_of_arms_sha256=coat_of_arms_sha256,
        )


def _collapse_spaces(text: str | None) -> str:
    return " ".join(("" if text is None else str(text)).split())


def _parse_population(value: int | str | None) -> tuple[int | None, str | None]:
    """(population, None) or (None, pt-BR error). Accepts an int or digits with pt-BR thousand dots."""
    number: int | None
    # bool is an int subclass; True is a mistake, not a population of 1.
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace(".", "").replace(" ", "")
        if not text:
            return None, "Informe a população do município."
        if not _POPULATION_TEXT.fullmatch(text):
            return None, "A população deve ser um número inteiro de habitantes (por exemplo, 12.345)."
        number = int(text)
    elif value is None:
        return None, "Informe a população do município."
    else:
        return None, "A população deve ser um número inteiro de habitantes (por exemplo, 12.345)."
    if number < 1:
        return None, "A população deve ser de pelo menos 1 habitante."
    return number, None


def _check_mandate(mandate: Mandate | None, role: str) -> tuple[Mandate | None, str | None]:
    """(mandate with the holder's name tidied, None) or (None, pt-BR error naming ``role``)."""
    if mandate is None:
        return None, None
    holder = _collapse_spaces(mandate.holder_name)
    if not holder:
        return None, f"Informe o nome {role}."
    if mandate.end is not None and mandate.end < mandate.start:
        return None, (
            f"O fim do mandato {role} ({_br_date(mandate.end)}) não pode ser anterior ao início "
            f"({_br_date(mandate.start)})."
        )
    return dataclasses.replace(mandate, holder_name=holder), None
