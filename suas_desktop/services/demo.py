"""Demonstration data: a fictional municipality of the north of Minas Gerais, every register filled.

``suas-desktop demo`` and the "Criar demonstração" action fill an EMPTY data folder with "Vereda Grande
(DEMONSTRAÇÃO)": the profile (with the warnings a real office would see), all 18 registers, a year-end
closing about half done and a mandate transition just started, with real PDF/PNG evidence files. The
``demo`` setting is set, so every report is marked DEMONSTRAÇÃO.

Everything is fictional: names come from short lists of common Brazilian names; IBGE code, CNPJs and
CPFs have valid check digits but were chosen so they are not real: IBGE 3199908 (prefix 31 of MG, a
range with no municipality); CNPJs with letters in the root (DEMOPREF…, DEMOFMAS…, DM…/DC… for the
organizations and suppliers), a form the Receita Federal only issues from July 2026, so no existing
numeric CNPJ is named; CPFs only for a few workers, in the 000.000.xxx range. Unmet-demand cases carry
codes, never names. No password is stored anywhere.

Same seed, same content (record ids are UUIDs and differ). The whole build is ONE transaction: it either
finishes or leaves the folder as it was (attachment files already copied are removed on failure).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from suas_desktop import log
from suas_desktop.documents.sample_files import minimal_pdf, minimal_png
from suas_desktop.domain.cycle import Status
from suas_desktop.domain.deadlines import KeyEvent, Provenance
from suas_desktop.domain.municipality import Mandate, cnpj_check_digits, ibge_check_digit
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.register_fields import format_money
from suas_desktop.domain.registers import ALL_REGISTERS
from suas_desktop.domain.template import ROLE_LABELS, CycleKind
from suas_desktop.domain.text import fold
from suas_desktop.errors import UserError
from suas_desktop.services.authorization import require
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.cycle_repository import CycleRepository
from suas_desktop.storage.settings_repository import SettingsRepository
from suas_desktop.storage.sync_repository import has_records

DEMO_ACTOR = "demonstracao"
#: The settings key that makes every report carry the DEMONSTRAÇÃO mark.
DEMO_SETTING = "demo"
#: The day the demonstration "happens": statuses and waiting times are chosen as of this day.
DEMO_TODAY = date(2026, 11, 25)
MUNICIPALITY_NAME = "Vereda Grande (DEMONSTRAÇÃO)"

REFUSED_MESSAGE = "A pasta de dados já tem dados: a demonstração só pode ser criada numa pasta vazia."

Progress = Callable[[int, int, str], None]


class DemoSize(StrEnum):
    SMALL = "small"
    LARGE = "large"


@dataclass(frozen=True)
class DemoSummary:
    municipality: str
    #: Register name (``registers.REGISTERS`` key) -> number of records.
    records: dict[str, int]
    #: Titles of the cycles created.
    cycles: list[str]
    attachments: int


@dataclass(frozen=True)
class _Scale:
    population: int
    cras_families: tuple[int, ...]
    creas: int
    staff: int
    assets: int
    vehicles: int
    partnerships: int
    contracts: int
    attachments: int
    unmet_cases: int
    money: int  # multiplies the money figures


_SCALES = {
    DemoSize.SMALL: _Scale(
        population=12_486,
        cras_families=(2_380,),
        creas=1,
        staff=32,
        assets=48,
        vehicles=3,
        partnerships=4,
        contracts=8,
        attachments=60,
        unmet_cases=14,
        money=1,
    ),
    DemoSize.LARGE: _Scale(
        population=181_340,
        cras_families=(4_850, 5_000, 5_620, 3_900, 4_700, 4_980),
        creas=2,
        staff=1_500,
        assets=800,
        vehicles=26,
        partnerships=150,
        contracts=64,
        attachments=2_000,
        unmet_cases=120,
        money=12,
    ),
}


# ====================================================================== public API


def folder_has_data(ws: Workspace) -> bool:
    """True when the folder has a municipality, a cycle, a register record or a stored attachment."""
    return has_records(ws.db) or next(iter(ws.attachments.iter_stored()), None) is not None


def build_demo(
    ws: Workspace,
    *,
    size: DemoSize = DemoSize.SMALL,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty data folder with the demonstration municipality (see the module docstring).

    Raises:
        UserError: the folder already has data (nothing is changed).
        Cancelled: if ``progress`` raises it; nothing is left behind.
    """
    require(ws, Permission.SETTINGS, doing="criar a demonstração")
    size = DemoSize(size)
    started = time.perf_counter()
    # Not for security: a seeded generator makes the same seed give the same demonstration.
    rng = random.Random(seed)  # noqa: S311
    builder = _Builder(ws, _SCALES[size], rng, progress)
    stored: list[str] = builder.stored
    try:
        with ws.db.transaction():
            if folder_has_data(ws):
                raise UserError(
                    REFUSED_MESSAGE,
                    hint="Escolha outra pasta com --data-dir, ou crie uma pasta nova para a demonstração.",
                )
            summary = builder.build()
    except BaseException:
        # The transaction was rolled back; the copied evidence files belong to nothing now.
        for sha256 in stored:
            ws.attachments.remove(sha256)
        raise
    log.services.info(
        "demo built: size=%s seed=%d records=%d attachments=%d in %.1fs",
        size.value,
        seed,
        sum(summary.records.values()),
        summary.attachments,
        time.perf_counter() - started,
    )
    return summary


# ====================================================================== fictional names and places

_FIRST_NAMES = (
    "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda", "Patrícia",
    "Aline", "Sandra", "Camila", "Luciana", "Cláudia", "Rosângela", "Josefa", "Vanessa", "Débora",
    "Cristiane", "Eliane", "Regina", "Simone", "Tatiane", "Raimunda", "Lúcia", "Gabriela", "Joana",
    "Marta", "Rita", "Sueli", "José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro",
    "Lucas", "Luiz", "Marcos", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo", "Felipe",
    "Raimundo", "Rodrigo", "Sebastião", "Geraldo", "Wesley", "Edson", "Reinaldo", "Valdir", "Jair",
    "Joaquim", "Vinícius", "Thiago", "Leandro"
)  # fmt: skip
_SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
    "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques",
    "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira", "Mota",
    "Durães", "Veloso", "Quadros", "Fagundes", "Prates", "Maia", "Cordeiro", "Queiroz", "Batista",
    "Antunes", "Mourão", "Brito", "Xavier", "Aquino"
)  # fmt: skip
_NEIGHBORHOODS = (
    "Centro", "Alto do Buriti", "Vila Nova", "São José", "Santo Antônio", "Planalto", "Morada do Sol",
    "Jardim Primavera", "Vereda Nova", "Bela Vista", "Independência", "Santa Luzia", "Boa Esperança",
    "Vila Operária", "Cidade Nova", "São Geraldo", "Alvorada", "Distrito de Riacho Fundo",
    "Distrito de Barra do Pacuí", "Distrito de Lagoa Seca",
)  # fmt: skip
_STREETS = (
    "Rua do Buriti", "Avenida das Veredas", "Rua São Francisco", "Rua Guimarães Rosa",
    "Rua das Palmeiras", "Travessa do Pequi", "Avenida Gorutuba", "Rua do Sertão", "Rua Dona Olímpia",
    "Praça da Matriz", "Rua do Umbuzeiro", "Rua da Cagaita", "Avenida Rio Verde", "Rua Grande Sertão",
    "Rua do Cerrado",
)  # fmt: skip
#: Real municipalities of the north of Minas that could host a service for a small neighbour.
_HOST_TOWNS = ("Montes Claros", "Janaúba", "Januária", "Bocaiuva", "Pirapora", "Salinas")
_BANKS = ("Banco do Brasil", "Caixa Econômica Federal")


def _slug(text: str, limit: int = 40) -> str:
    out = "".join(c if c.isalnum() else "-" for c in fold(text))
    return "-".join(part for part in out.split("-") if part)[:limit].strip("-")


def _money(centavos: int) -> Decimal:
    """Raw value for a MONEY field: reais as a Decimal (an int would be read as whole reais)."""
    return Decimal(centavos) / 100


def _alnum_cnpj(root: str, branch: str = "0001") -> str:
    """A CNPJ with letters in its 8-character root, so it cannot be an existing numeric CNPJ."""
    body = (root + branch).upper()
    return body + cnpj_check_digits(body)


def _cpf(rng: random.Random) -> str:
    """A CPF with valid check digits in the 000.000.xxx range, kept for tests and examples."""
    digits = [0, 0, 0, 0, 0, 0, *(rng.randrange(10) for _ in range(3))]
    if len(set(digits)) == 1:
        digits[-1] = 7
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(size + 1, 1, -1), strict=True))
        digits.append(total * 10 % 11 % 10)
    return "".join(map(str, digits))


def _fictional_ibge_code() -> str:
    """319990 + check digit: the MG prefix, in a range where IBGE has no municipality."""
    first_six = "319990"
    return first_six + str(ibge_check_digit(first_six))


# ====================================================================== the builder


@dataclass
class _Unit:
    key: str
    kind: str
    name: str
    building: str | None = None
    families: int | None = None
    id: str = ""


class _Builder:
    def __init__(self, ws: Workspace, scale: _Scale, rng: random.Random, progress: Progress | None) -> None:
        self.ws = ws
        self.scale = scale
        self.large = scale.staff > 100
        self.rng = rng
        self.progress = progress
        self.registers = RegisterService(ws)
        self.municipalities = MunicipalityService(ws)
        self.checklists = ChecklistService(ws, load_catalog())
        self.stored: list[str] = []
        self.used_names: set[str] = set()
        self.units: list[_Unit] = []
        self.done = 0
        self.total = 1
        self.label = ""
        self.tmp: Path | None = None
        self.counter = 0
        self.cpfs_left = 0
        # People with a role in the story, picked once so the profile, council and checklist agree.
        self.manager = self.person()
        self.mayor = self.person()
        self.fmas_tech = self.person()
        self.accountant = self.person()
        self.controller = self.person()
        self.cmas_president = self.person()
        self.cad_coordinator = self.person()
        self.commission_member = self.person()

    # ------------------------------------------------------------------ helpers
    def person(self) -> str:
        while True:
            first, middle, last = (self.rng.choice(names) for names in (_FIRST_NAMES, _SURNAMES, _SURNAMES))
            name = f"{first} {middle} {last}"
            if middle != last and name not in self.used_names:
                self.used_names.add(name)
                return name

    def tick(self, label: str | None = None, step: int = 1) -> None:
        if label is not None:
            self.label = label
        self.done += step
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total, self.label)

    def add(self, register: str, values: dict[str, Any]) -> str:
        record = self.registers.create(actor=DEMO_ACTOR, name=register, values=values)
        self.tick()
        return record.id

    def unit_id(self, key: str) -> str:
        for unit in self.units:
            if unit.key == key:
                return unit.id
        raise KeyError(key)

    def units_of(self, *kinds: str) -> list[_Unit]:
        return [u for u in self.units if u.kind in kinds]

    def cents(self, low: int, high: int) -> int:
        """Random centavos between ``low`` and ``high`` reais, scaled by the municipality size."""
        return self.rng.randrange(low * 100, high * 100) * self.scale.money

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # ------------------------------------------------------------------ build
    def build(self) -> DemoSummary:
        with tempfile.TemporaryDirectory(prefix=".demonstracao-", dir=self.ws.layout.root) as tmp:
            self.tmp = Path(tmp)
            self.profile()
            closing, transition, evidence_plan = self.cycles()
            planned_records = self.planned_records()
            self.total = planned_records + sum(n for _, n in evidence_plan) + 1
            self.tick("Cadastrando a rede e os registros", 0)
            self.fill_registers()
            # The record estimate is now exact: the bar may jump forward a little here.
            self.total = self.done + sum(n for _, n in evidence_plan) + 1
            self.evidence(evidence_plan)
            SettingsRepository(self.ws.db).set(DEMO_SETTING, "1")
            self.tick("Demonstração pronta")
        records = {spec.name: self.registers.count(spec.name) for spec in ALL_REGISTERS}
        attachments = CycleRepository(self.ws.db).attachment_count()
        return DemoSummary(MUNICIPALITY_NAME, records, [closing, transition], attachments)

    def planned_records(self) -> int:
        s = self.scale
        # An estimate for the progress bar; the exact count depends on the random choices.
        return (
            s.staff
            + s.assets
            + s.partnerships
            + s.contracts
            + s.unmet_cases
            + 40 * len(s.cras_families)
            + 150
        )

    # ------------------------------------------------------------------ profile
    def profile(self) -> None:
        self.municipalities.save_profile(
            actor=DEMO_ACTOR,
            name=MUNICIPALITY_NAME,
            uf="MG",
            ibge_code=_fictional_ibge_code(),
            population=self.scale.population,
            prefeitura_cnpj=_alnum_cnpj("DEMOPREF"),
            fmas_cnpj=_alnum_cnpj("DEMOFMAS"),
            # A budget unit but no own-source money: the "apenas um CNPJ" warning shows (domain.md §0).
            fmas_has_budget_unit=True,
            fmas_has_own_resources=False,
            managing_body="Secretaria Municipal de Desenvolvimento e Assistência Social",
            manager=Mandate(self.manager, date(2025, 1, 1), date(2028, 12, 31)),
            # Ends 51 days after DEMO_TODAY: the "eleja o sucessor" warning shows.
            cmas_president=Mandate(self.cmas_president, date(2025, 1, 16), date(2027, 1, 15)),
        )
        crest = self.write_file(
            "brasao-vereda-grande.png",
            minimal_png(96, 112, (34, 110, 60), stripes=7, text="Brasão fictício — DEMONSTRAÇÃO"),
        )
        self.stored.append(self.municipalities.set_coat_of_arms(actor=DEMO_ACTOR, path=crest))
        crest.unlink()
        self.municipalities.add_holiday(
            actor=DEMO_ACTOR, day=date(1962, 12, 12), name="Aniversário de Vereda Grande", recurring=True
        )

    def write_file(self, name: str, data: bytes) -> Path:
        assert self.tmp is not None
        path = self.tmp / name
        path.write_bytes(data)
        return path

    # ------------------------------------------------------------------ registers
    def fill_registers(self) -> None:
        steps = (
            ("Cadastrando a legislação", self.legislation),
            ("Cadastrando as unidades", self.units_register),
            ("Cadastrando os serviços", self.unit_services),
            ("Cadastrando os trabalhadores", self.staff),
            ("Cadastrando as contas bancárias", self.accounts),
            ("Cadastrando as prestações de contas", self.accountability),
            ("Cadastrando as parcerias", self.partnerships),
            ("Cadastrando os contratos", self.contracts),
            ("Cadastrando o patrimônio", self.assets),
            ("Cadastrando o estoque", self.stock),
            ("Cadastrando o CMAS", self.council),
            ("Cadastrando os acessos a sistemas", self.system_access),
            ("Cadastrando os benefícios eventuais", self.benefits),
            ("Cadastrando a demanda reprimida", self.unmet_demand),
            ("Cadastrando os acolhidos fora do município", self.outside_care),
            ("Cadastrando as referências regionais", self.regional_references),
            ("Cadastrando passivos e riscos", self.liabilities),
        )
        for label, step in steps:
            self.label = label
            # One savepoint per register: a bulk either goes in whole or not at all.
            with self.ws.db.transaction():
                step()

    def legislation(self) -> None:
        base = "https://vereda-grande.demonstracao.example/leis/"
        rows = [
            ("lei_cmas", "805/1995", date(1995, 11, 20), "Cria o Conselho Municipal de Assistência Social"),
            ("lei_fmas", "812/1996", date(1996, 3, 4), "Cria o Fundo Municipal de Assistência Social"),
            (
                "lei_suas",
                "1.482/2013",
                date(2013, 9, 16),
                "Dispõe sobre o Sistema Único de Assistência Social",
            ),
            (
                "lei_beneficios",
                "1.655/2017",
                date(2017, 6, 5),
                "Dispõe sobre os benefícios eventuais da Assistência Social",
            ),
            ("decreto", "3.214/2018", date(2018, 2, 12), "Regulamenta a concessão dos benefícios eventuais"),
            ("outra", "2.010/2025", date(2025, 12, 18), "Plano Plurianual 2026–2029"),
            ("outra", "2.118/2025", date(2025, 12, 22), "Lei Orçamentária Anual de 2026"),
            ("decreto", "4.090/2026", date(2026, 11, 3), "Dispõe sobre o encerramento do exercício de 2026"),
        ]
        if self.large:
            rows += [
                ("outra", "1.903/2021", date(2021, 4, 9), "Cria o Programa Municipal de Família Acolhedora"),
                ("decreto", "3.877/2024", date(2024, 5, 20), "Regulamenta o Centro POP e a Abordagem Social"),
            ]
        for kind, number, issued, summary in rows:
            self.add(
                "legislation",
                {
                    "kind": kind,
                    "number": number,
                    "issued_on": issued,
                    "summary": summary,
                    "link": base + number.replace("/", "-").replace(".", ""),
                },
            )

    def units_register(self) -> None:
        s = self.scale
        plan: list[tuple[str, str, str | None, int | None]] = [
            ("sede", "Sede da Secretaria de Desenvolvimento e Assistência Social", "proprio", None)
        ]
        cras_places = (
            "Alto do Buriti",
            "Vila Nova",
            "São José",
            "Planalto",
            "Santo Antônio",
            "Morada do Sol",
        )
        for index, families in enumerate(s.cras_families):
            place = "Centro" if len(s.cras_families) == 1 else cras_places[index]
            plan.append(("cras", f"CRAS {place}", "alugado" if index % 3 == 1 else "proprio", families))
        for index in range(s.creas):
            plan.append(
                (
                    "creas",
                    "CREAS Municipal" if s.creas == 1 else f"CREAS {'I' * (index + 1)}",
                    "alugado",
                    None,
                )
            )
        if self.large:
            plan += [
                ("centro_pop", "Centro POP Caminhos do Sertão", "cedido", None),
                (
                    "acolhimento",
                    "Casa de Acolhimento Sementes do Amanhã (crianças e adolescentes)",
                    "proprio",
                    None,
                ),
                ("acolhimento", "Casa Lar Flor de Pequi (crianças e adolescentes)", "alugado", None),
                ("acolhimento", "Casa de Passagem para Adultos e Famílias", "alugado", None),
                ("acolhimento", "Unidade de Acolhimento para Pessoas Idosas Vovó Sinhá", "proprio", None),
                ("centro_dia", "Centro-Dia para Pessoas com Deficiência", "proprio", None),
            ]
            for place in _NEIGHBORHOODS[:14]:
                plan.append(("centro_convivencia", f"Centro de Convivência {place}", "cedido", None))
        else:
            plan.append(("centro_convivencia", "Centro de Convivência Dona Olímpia", "cedido", None))
        ibge = _fictional_ibge_code()
        for number, (kind, name, building, families) in enumerate(plan, start=1):
            hours = "24 horas, todos os dias" if kind == "acolhimento" else "Seg. a sex., 7h às 17h"
            unit = _Unit(f"{kind}-{number}", kind, name, building, families)
            unit.id = self.add(
                "units",
                {
                    "kind": kind,
                    "name": name,
                    "address": f"{self.rng.choice(_STREETS)}, {self.rng.randrange(10, 1500)}, "
                    f"{self.rng.choice(_NEIGHBORHOODS)}",
                    "cadsuas_id": f"{ibge}{number:04d}",
                    "building": building,
                    "opening_hours": hours,
                    "phone": f"(38) 3599-{self.rng.randrange(1000, 9999)}",
                    "referenced_families": families,
                },
            )
            self.units.append(unit)

    def unit_services(self) -> None:
        services_by_kind = {
            "sede": ("calamidades",),
            "cras": ("paif", "scfv", "psb_domicilio"),
            "creas": ("paefi", "mse", "abordagem"),
            "centro_pop": ("pop_rua", "abordagem"),
            "acolhimento": ("acolhimento_institucional",),
            "centro_dia": ("pse_pcd_idosos",),
            "centro_convivencia": ("scfv",),
        }
        capacity_range = {
            "paif": (1500, 5000),
            "scfv": (60, 400),
            "psb_domicilio": (20, 120),
            "paefi": (50, 80),
            "mse": (15, 60),
            "abordagem": (40, 200),
            "pop_rua": (40, 120),
            "acolhimento_institucional": (10, 20),
            "pse_pcd_idosos": (30, 50),
            "calamidades": (100, 600),
        }
        for unit in self.units:
            for service in services_by_kind.get(unit.kind, ()):
                if service == "psb_domicilio" and self.rng.random() < 0.4:
                    continue
                low, high = capacity_range[service]
                capacity = self.rng.randrange(low, high + 1)
                if service == "paif" and unit.families:
                    capacity = unit.families
                for year in (2025, 2026):
                    target = int(capacity * self.rng.uniform(0.7, 0.95))
                    done_share = self.rng.uniform(0.6, 1.15) * (1.0 if year == 2025 else 0.85)
                    self.add(
                        "unit_services",
                        {
                            "unit_id": unit.id,
                            "service": service,
                            "year": year,
                            "capacity": capacity,
                            "target": target,
                            "attendances": int(target * done_share),
                        },
                    )

    # -- staff
    _ROLES: ClassVar[dict[str, tuple[str, str, str]]] = {
        # key: (role, profession, education)
        "as": ("Assistente social — técnico(a) de referência", "assistente_social", "superior"),
        "psi": ("Psicólogo(a) — técnico(a) de referência", "psicologo", "superior"),
        "ped": ("Pedagogo(a)", "pedagogo", "superior"),
        "adv": ("Advogado(a)", "advogado", "superior"),
        "sup": ("Técnico(a) de nível superior", "outra_superior", "superior"),
        "med": ("Técnico(a) de nível médio", "nivel_medio", "medio"),
        "abord": ("Educador(a) social — abordagem", "nivel_medio", "medio"),
        "adm": ("Auxiliar administrativo", "nivel_medio", "medio"),
        "orient": ("Orientador(a) social", "nivel_medio", "medio"),
        "educ": ("Educador(a) social", "nivel_medio", "medio"),
        "cuid": ("Cuidador(a) social", "nivel_medio", "medio"),
        "aux_cuid": ("Auxiliar de cuidador(a)", "nivel_fundamental", "fundamental"),
        "entrev": ("Entrevistador(a) do Cadastro Único", "nivel_medio", "medio"),
        "digit": ("Digitador(a) do Cadastro Único", "nivel_medio", "medio"),
        "facil": ("Facilitador(a) de oficinas", "nivel_medio", "medio"),
        "mot": ("Motorista", "nivel_fundamental", "fundamental"),
        "vig": ("Vigia", "nivel_fundamental", "fundamental"),
        "asg": ("Auxiliar de serviços gerais", "nivel_fundamental", "fundamental"),
        "coz": ("Cozinheiro(a)", "nivel_fundamental", "fundamental"),
        "nutri": ("Nutricionista", "outra_superior", "superior"),
        "to": ("Terapeuta ocupacional", "outra_superior", "superior"),
        "vigil": ("Técnico(a) da vigilância socioassistencial", "outra_superior", "superior"),
        "visit": ("Visitador(a) do Programa Primeira Infância no SUAS", "nivel_medio", "medio"),
    }

    def staff(self) -> None:
        self.cpfs_left = 20 if self.large else 5
        sede = self.units_of("sede")[0]
        # The people of the story work at the head office.
        for name, role, profession, bond in (
            (
                self.manager,
                "Secretário(a) Municipal de Desenvolvimento e Assistência Social",
                "outra_superior",
                "comissionado",
            ),
            (self.fmas_tech, "Técnico(a) do FMAS", "outra_superior", "efetivo"),
            (
                self.cad_coordinator,
                "Coordenador(a) do Cadastro Único e do Bolsa Família",
                "assistente_social",
                "efetivo",
            ),
        ):
            self.worker(sede, role, profession, "superior", bond, coordinator=name == self.manager, name=name)
        # Reference teams (NOB-RH), each with some gaps so the comparison has something to show.
        for index, unit in enumerate(self.units_of("cras")):
            self.cras_team(unit, index)
        for index, unit in enumerate(self.units_of("creas")):
            self.creas_team(unit, index)
        # The rest of the workforce, by unit.
        other_roles = {
            "sede": ("entrev", "entrev", "digit", "adm", "adm", "mot", "asg", "vigil", "adv", "sup", "vig"),
            "cras": ("mot", "asg", "vig"),
            "centro_pop": ("educ", "educ", "abord", "cuid", "coz", "asg", "vig", "as", "psi"),
            "acolhimento": ("cuid", "cuid", "cuid", "aux_cuid", "aux_cuid", "coz", "asg", "vig", "as", "psi",
                            "nutri"),
            "centro_dia": ("cuid", "cuid", "aux_cuid", "to", "as", "psi", "coz", "asg", "mot"),
            "centro_convivencia": ("orient", "orient", "orient", "facil", "facil", "educ", "asg", "coz",
                                   "vig"),
        }  # fmt: skip
        for unit in self.units:
            if unit.kind not in ("sede", "cras", "creas"):
                self.worker(
                    unit,
                    "Coordenador(a) da unidade",
                    "assistente_social",
                    "superior",
                    "efetivo",
                    coordinator=True,
                )
        candidates = [u for u in self.units if u.kind in other_roles]
        weights = [{"sede": 6, "cras": 1, "acolhimento": 6}.get(u.kind, 4) for u in candidates]
        remaining = self.scale.staff - self.registers.count("staff")
        # In large municipalities some workers belong to programmes without a unit of their own.
        no_unit = remaining // 12 if self.large else 0
        for _ in range(remaining - no_unit):
            unit = self.rng.choices(candidates, weights)[0]
            self.staff_role(unit, self.rng.choice(other_roles[unit.kind]))
        for _ in range(no_unit):
            self.staff_role(None, "visit")

    def staff_role(self, unit: _Unit | None, key: str) -> None:
        role, profession, education = self._ROLES[key]
        bond = self.rng.choices(("efetivo", "contratado", "comissionado", "cedido"), (60, 32, 4, 4))[0]
        self.worker(unit, role, profession, education, bond)

    def cras_team(self, unit: _Unit, index: int) -> None:
        if not self.large:
            # PP I team: coordination + 1 social worker + preferably 1 psychologist + 2 mid-level.
            # Here: the psychologist's slot is held by a pedagogue and one mid-level post is vacant.
            self.worker(
                unit, "Coordenador(a) do CRAS", "assistente_social", "superior", "efetivo", coordinator=True
            )
            self.worker(unit, self._ROLES["as"][0], "assistente_social", "superior", "efetivo")
            self.worker(unit, self._ROLES["ped"][0], "pedagogo", "superior", "contratado")
            self.worker(unit, self._ROLES["med"][0], "nivel_medio", "medio", "efetivo")
            return
        team = ["as", "as", "psi", "sup", "med", "med", "med", "med"]
        # Every other CRAS misses one or two people; one has a coordinator who is not efetivo.
        if index % 2 == 1:
            for _ in range(1 + index % 3 // 2):
                team.pop(self.rng.randrange(len(team)))
        coord_bond = "comissionado" if index == 2 else "efetivo"
        self.worker(
            unit, "Coordenador(a) do CRAS", "assistente_social", "superior", coord_bond, coordinator=True
        )
        for key in team:
            self.staff_role_fixed(unit, key)

    def creas_team(self, unit: _Unit, index: int) -> None:
        if not self.large:
            # 50-case team: coordination, 1 AS, 1 psychologist, 1 lawyer, 2 outreach, 1 administrative.
            # Here: no lawyer, and only one outreach worker.
            team = ["as", "psi", "abord", "adm"]
        else:
            team = ["as", "as", "psi", "psi", "adv", "abord", "abord", "abord", "abord", "adm", "adm"]
            if index == 0:
                team.remove("adv")
                team.remove("abord")
        self.worker(unit, "Coordenador(a) do CREAS", "psicologo", "superior", "efetivo", coordinator=True)
        for key in team:
            self.staff_role_fixed(unit, key)

    def staff_role_fixed(self, unit: _Unit, key: str) -> None:
        role, profession, education = self._ROLES[key]
        bond = "contratado" if self.rng.random() < 0.25 else "efetivo"
        self.worker(unit, role, profession, education, bond)

    def worker(
        self,
        unit: _Unit | None,
        role: str,
        profession: str,
        education: str,
        bond: str,
        *,
        coordinator: bool = False,
        name: str | None = None,
    ) -> None:
        hours = 30 if profession == "assistente_social" else self.rng.choice((40, 40, 40, 30, 20))
        if (
            unit is not None
            and unit.kind == "acolhimento"
            and profession in ("nivel_medio", "nivel_fundamental")
        ):
            hours = 36  # 12x36 shifts
        contract_end = None
        if bond == "contratado":
            contract_end = self.rng.choice(
                (date(2026, 12, 31), date(2026, 12, 31), date(2027, 6, 30), date(2027, 12, 31))
            )
        cpf = None
        if self.cpfs_left and self.rng.random() < 0.3:
            cpf = _cpf(self.rng)
            self.cpfs_left -= 1
        self.add(
            "staff",
            {
                "name": name or self.person(),
                "cpf": cpf,
                "role": role,
                "profession": profession,
                "education": education,
                "bond": bond,
                "unit_id": unit.id if unit else None,
                "is_coordinator": coordinator,
                "weekly_hours": hours,
                "contract_end": contract_end,
            },
        )

    # -- money
    def accounts(self) -> None:
        rows = [
            ("bloco_psb", "PSB — PAIF e SCFV (FNAS)", 30_000, 160_000),
            ("bloco_pse_media", "PSE Média Complexidade — PAEFI (FNAS)", 12_000, 90_000),
            ("bloco_pse_alta", "PSE Alta Complexidade — acolhimento (FNAS)", 4_000, 60_000),
            ("bloco_gestao_suas", "IGDSUAS (FNAS)", 3_000, 25_000),
            ("bloco_gestao_pbf", "IGD-PBF (FNAS)", 8_000, 70_000),
            ("feas", "Piso Mineiro de Assistência Social (FEAS)", 10_000, 80_000),
            ("proprio", "Recursos próprios — movimento do FMAS", 2_000, 30_000),
            ("emenda", "Emenda parlamentar — aquisição de veículo para o CRAS", 40_000, 120_000),
        ]
        if self.large:
            rows += [
                ("programa", "Programa Primeira Infância no SUAS (FNAS)", 20_000, 150_000),
                ("programa", "Programa BPC na Escola (FNAS)", 1_000, 8_000),
                ("emenda", "Emenda parlamentar — equipamentos dos centros de convivência", 50_000, 200_000),
                ("emenda", "Emenda parlamentar — reforma do Centro POP", 80_000, 250_000),
                ("proprio", "Recursos próprios — benefícios eventuais", 5_000, 40_000),
                ("outro", "Convênio estadual — Família Acolhedora", 10_000, 60_000),
            ]
        used: set[str] = set()
        branch_bb, branch_cef = "3185-7", "0712-4"
        for block, description, low, high in rows:
            bank = _BANKS[1] if block == "proprio" else _BANKS[0]
            while True:
                account = (
                    f"{self.rng.randrange(10, 99)}.{self.rng.randrange(100, 999)}-{self.rng.randrange(10)}"
                )
                if account not in used:
                    used.add(account)
                    break
            balance = self.cents(low, high)
            idle = block in ("bloco_pse_alta", "emenda") and self.rng.random() < 0.7
            reprogram = balance if idle else int(balance * self.rng.uniform(0.3, 0.9))
            self.add(
                "accounts",
                {
                    "bank": bank,
                    "branch": branch_cef if bank == _BANKS[1] else branch_bb,
                    "account": account,
                    "block": block,
                    "description": description,
                    "balance_dec31": _money(balance),
                    "cutoff_date": date(2026, 10, 31),
                    "balance_cutoff": _money(int(balance * self.rng.uniform(0.9, 1.6))),
                    "yields": _money(int(balance * self.rng.uniform(0.02, 0.07))),
                    "amount_to_reprogram": _money(reprogram),
                    # The accounts with idle money are also the ones not reconciled yet.
                    "reconciled": not (idle or block == "outro"),
                },
            )

    def accountability(self) -> None:
        d = date
        # (exercício, fonte, descrição, situação, prazo, enviada em, prazo do CMAS, parecer em, observações)
        rows: list[tuple[Any, ...]] = [
            (2023, "federal", "Demonstrativo Sintético Anual 2023 (SUASWeb)", "aprovada",
             d(2024, 11, 29), d(2024, 11, 21), d(2024, 12, 29), d(2024, 12, 12), ""),
            (2023, "feas", "Demonstrativo Físico e Financeiro do Piso Mineiro 2023 (Sigcon-MG)", "aprovada",
             d(2025, 6, 30), d(2025, 6, 10), None, d(2025, 6, 25), "Prazo ilustrativo da demonstração."),
            (2023, "convenio", "Convênio estadual 2023 — reforma da sede do CRAS", "rejeitada",
             d(2024, 3, 31), d(2024, 4, 18), None, None,
             "Enviada fora do prazo e sem o extrato de aplicação; a SEDESE pede devolução parcial."),
            (2024, "federal", "Prestação de contas 2024 (BB Gestão Ágil / AgilizaSUAS)", "parecer_cmas",
             d(2026, 3, 1), d(2026, 2, 23), d(2026, 4, 30), d(2026, 4, 14),
             "Exercícios 2024 e 2025 unificados pela Portaria SNAS/MDS nº 132/2025."),
            (2024, "igd_pbf", "IGD-PBF 2024 (AgilizaSUAS)", "em_diligencia",
             d(2025, 12, 31), d(2025, 12, 19), d(2026, 2, 28), None,
             "O FNAS pediu notas fiscais de duas compras de material de informática."),
            (2024, "feas", "Demonstrativo Físico e Financeiro do Piso Mineiro 2024 (Sigcon-MG)", "enviada",
             d(2026, 3, 16), d(2026, 3, 12), None, None,
             "Prazo ilustrativo da demonstração; falta o parecer conclusivo do CMAS."),
            (2024, "emenda", "Emenda parlamentar 2024 — veículo para o CRAS", "aprovada",
             d(2025, 5, 31), d(2025, 5, 20), None, d(2025, 5, 28), ""),
            (2025, "federal", "Prestação de contas 2025 (BB Gestão Ágil / AgilizaSUAS)", "em_diligencia",
             d(2026, 3, 1), d(2026, 2, 27), d(2026, 4, 30), d(2026, 4, 28),
             "Diligência: despesa com equipe de referência acima de 60% no bloco da PSB."),
            (2025, "igd_pbf", "IGD-PBF 2025 (AgilizaSUAS)", "enviada",
             d(2026, 6, 30), d(2026, 6, 26), None, None, "Prazo ilustrativo da demonstração."),
            (2025, "feas", "Demonstrativo Físico e Financeiro do Piso Mineiro 2025 (Sigcon-MG)",
             "nao_iniciada", None, None, None, None, "Aguarda a abertura do demonstrativo pela SEDESE."),
            (2026, "federal", "Prestação de contas 2026 (BB Gestão Ágil / AgilizaSUAS)", "nao_iniciada",
             None, None, None, None, "Prazo a ser fixado por portaria do MDS."),
            (2026, "igd_pbf", "IGD-PBF 2026 (AgilizaSUAS)", "nao_iniciada", None, None, None, None, ""),
            (2026, "emenda", "Emenda parlamentar 2026 — equipamentos de informática", "nao_iniciada",
             d(2027, 4, 30), None, None, None, "Prazo ilustrativo da demonstração."),
        ]  # fmt: skip
        if self.large:
            for year in (2024, 2025, 2026):
                status = {2024: "aprovada", 2025: "enviada", 2026: "nao_iniciada"}[year]
                sent = d(year + 1, 4, 10) if status != "nao_iniciada" else None
                for source, topic in (
                    ("convenio", "Primeira Infância no SUAS"),
                    ("emenda", "Reforma do Centro POP"),
                ):
                    rows.append(
                        (
                            year,
                            source,
                            f"{topic} — exercício {year}",
                            status,
                            d(year + 1, 4, 30),
                            sent,
                            None,
                            None,
                            "",
                        )
                    )
        columns = ("fiscal_year", "source", "description", "status", "deadline", "submitted_on",
                   "council_deadline", "council_opinion_on", "notes")  # fmt: skip
        for row in rows:
            self.add("accountability", dict(zip(columns, row, strict=True)))

    def partnerships(self) -> None:
        kinds = (
            "Associação Comunitária do Bairro",
            "Associação de Pais e Amigos dos Excepcionais de",
            "Obra Social Nossa Senhora do",
            "Instituto Cultural",
            "Associação Beneficente",
            "Lar de Idosos",
            "Centro Social",
            "Associação de Mulheres do",
        )
        purposes = (
            (
                "termo_colaboracao",
                "Serviço de convivência e fortalecimento de vínculos para crianças e adolescentes",
            ),
            ("termo_colaboracao", "Serviço de convivência para pessoas idosas"),
            ("termo_colaboracao", "Acolhimento institucional de pessoas idosas"),
            ("termo_colaboracao", "Serviço de proteção social especial para pessoas com deficiência"),
            ("termo_fomento", "Oficinas de geração de renda para mulheres"),
            ("termo_fomento", "Projeto de esporte e cultura no contraturno escolar"),
            ("acordo_cooperacao", "Cessão de espaço para atividades do SCFV"),
            ("acordo_cooperacao", "Campanha do agasalho e distribuição de doações"),
        )
        organizations = []
        for index in range(max(3, self.scale.partnerships // 3)):
            kind = kinds[index % len(kinds)]
            place = _NEIGHBORHOODS[(index * 7) % len(_NEIGHBORHOODS)]
            name = f"{kind} {place}"
            if any(name == existing for existing, _ in organizations):
                name = f"{name} {index + 1}"
            root = "DM" + "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))
            organizations.append((name, _alnum_cnpj(root)))
        numbers: dict[tuple[str, int], int] = {}
        for _ in range(self.scale.partnerships):
            organization, cnpj = self.rng.choice(organizations)
            instrument, purpose = self.rng.choice(purposes)
            start = self.day(date(2023, 1, 1), date(2026, 10, 1))
            end = start + timedelta(days=self.rng.choice((364, 364, 729, 1094)))
            numbers[(instrument, start.year)] = numbers.get((instrument, start.year), 0) + 1
            if end < DEMO_TODAY:
                status = self.rng.choice(("encerrada", "encerrada", "prestando_contas", "rescindida"))
            else:
                status = "vigente"
            amount = 0 if instrument == "acordo_cooperacao" else self.rng.randrange(20_000, 240_000) * 100
            self.add(
                "partnerships",
                {
                    "organization": organization,
                    "organization_cnpj": cnpj,
                    "instrument": instrument,
                    "number": f"{numbers[(instrument, start.year)]:03d}/{start.year}",
                    "purpose": purpose,
                    "amount": _money(amount),
                    "start": start,
                    "end": end,
                    "status": status,
                },
            )

    def contracts(self) -> None:
        # (objeto, contratado, valor mínimo e máximo em reais, continua no próximo exercício)
        templates = (
            ("Locação do imóvel do CRAS", "Imobiliária Sertão Ltda.", 24_000, 60_000, True),
            ("Fornecimento de combustível para a frota da Assistência Social", "Auto Posto Veredas Ltda.",
             40_000, 150_000, False),
            ("Manutenção preventiva e corretiva dos veículos", "Oficina Mecânica Gorutuba Ltda.",
             20_000, 80_000, True),
            ("Fornecimento de cestas básicas (benefício eventual)", "Comercial Cerrado Alimentos Ltda.",
             60_000, 240_000, False),
            ("Fornecimento de urnas funerárias (benefício eventual)", "Funerária Paz do Sertão Ltda.",
             15_000, 60_000, True),
            ("Acesso à internet nas unidades", "Norte Minas Telecom Ltda.", 12_000, 40_000, True),
            ("Material de expediente", "Papelaria Buriti Ltda.", 5_000, 25_000, False),
            ("Locação de veículo com motorista para visitas domiciliares", "Transportes Rio Verde Ltda.",
             50_000, 120_000, False),
            ("Fornecimento de kits de natalidade (benefício eventual)", "Comercial Pequi Ltda.",
             8_000, 30_000, True),
            ("Gêneros alimentícios para as unidades de acolhimento", "Mercearia Vereda Ltda.",
             30_000, 160_000, True),
            ("Capacitação das equipes do SUAS", "Instituto de Formação Sertaneja Ltda.",
             10_000, 45_000, False),
        )  # fmt: skip
        suppliers: dict[str, str] = {}
        for index in range(self.scale.contracts):
            purpose, supplier, low, high, continues = templates[index % len(templates)]
            if index >= len(templates):
                unit = self.units[index % len(self.units)]
                purpose = f"{purpose} — {unit.name}"
            if supplier not in suppliers:
                root = "DC" + "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))
                suppliers[supplier] = _alnum_cnpj(root)
            start = self.day(date(2025, 1, 2), date(2026, 6, 30))
            end = date(2026, 12, 31) if not continues else self.day(date(2027, 1, 31), date(2027, 12, 31))
            # A few contracts end before the year does (and must be renewed or closed).
            if index % 5 == 3:
                end, continues = self.day(date(2026, 11, 1), date(2026, 12, 20)), False
            self.add(
                "contracts",
                {
                    "number": f"{index + 1:03d}/{start.year}",
                    "supplier": supplier,
                    "supplier_cnpj": suppliers[supplier],
                    "purpose": purpose[:200],
                    "amount": _money(self.cents(low, high)),
                    "start": start,
                    "end": end,
                    "continues_next_year": continues,
                    "inspector": self.person(),
                },
            )

    def assets(self) -> None:
        vehicles = (
            "Automóvel Fiat Mobi 1.0",
            "Automóvel VW Gol 1.0",
            "Caminhonete Fiat Strada",
            "Van Renault Master (16 lugares)",
            "Micro-ônibus adaptado",
        )
        it = (
            "Computador de mesa",
            "Notebook",
            "Impressora multifuncional",
            "Monitor 22 polegadas",
            "Tablet para visitas domiciliares",
            "Roteador sem fio",
            "Projetor multimídia",
        )
        furniture = (
            "Mesa de escritório",
            "Cadeira giratória",
            "Armário de aço",
            "Arquivo de aço 4 gavetas",
            "Longarina 3 lugares",
            "Estante de aço",
            "Mesa de reunião",
            "Berço",
            "Cama de solteiro",
            "Beliche",
        )
        equipment = (
            "Geladeira",
            "Fogão industrial",
            "Bebedouro",
            "Ar-condicionado",
            "Freezer horizontal",
            "Televisor 43 polegadas",
            "Máquina de lavar roupas",
        )
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        tag = 1000
        rows: list[dict[str, Any]] = []
        for index in range(self.scale.vehicles):
            plate = (
                "".join(self.rng.choice(letters) for _ in range(3))
                + str(self.rng.randrange(10))
                + self.rng.choice(letters)
                + f"{self.rng.randrange(100):02d}"
            )
            rows.append(
                {
                    "description": vehicles[index % len(vehicles)],
                    "category": "veiculo",
                    "plate": plate,
                    "value": _money(self.rng.randrange(60_000, 280_000) * 100),
                    "source": self.rng.choice(("emenda", "bloco_psb", "proprio", "bloco_gestao_suas")),
                    "acquired_on": self.day(date(2015, 1, 1), date(2026, 6, 30)),
                    "unit": self.rng.choice(
                        self.units_of("sede", "cras", "creas", "centro_pop", "centro_dia")
                    ),
                }
            )
        for unit in self.units:
            if unit.building == "proprio":
                rows.append(
                    {
                        "description": f"Imóvel — {unit.name}",
                        "category": "imovel",
                        "value": _money(self.rng.randrange(250_000, 1_200_000) * 100),
                        "source": "proprio",
                        "acquired_on": self.day(date(1990, 1, 1), date(2020, 12, 31)),
                        "unit": unit,
                    }
                )
        while len(rows) < self.scale.assets:
            category, names, low, high = self.rng.choices(
                (
                    ("informatica", it, 600, 6_000),
                    ("mobiliario", furniture, 200, 2_500),
                    ("equipamento", equipment, 500, 9_000),
                    ("outro", ("Cadeira de rodas", "Andador", "Colchão hospitalar"), 300, 3_000),
                ),
                (40, 35, 20, 5),
            )[0]
            rows.append(
                {
                    "description": self.rng.choice(names),
                    "category": category,
                    "value": _money(self.rng.randrange(low * 100, high * 100)),
                    "source": self.rng.choice(
                        ("bloco_gestao_suas", "bloco_psb", "bloco_gestao_pbf", "proprio", "emenda")
                    ),
                    "acquired_on": self.day(date(2012, 1, 1), date(2026, 10, 31)),
                    "unit": self.rng.choice(self.units),
                }
            )
        for row in rows:
            tag += 1
            unit = row.pop("unit")
            age = (DEMO_TODAY - row["acquired_on"]).days / 365
            condition = (
                "bom" if age < 3 else self.rng.choice(("bom", "regular", "regular", "ruim", "inservivel"))
            )
            if row["category"] == "imovel":
                condition = self.rng.choice(("bom", "regular"))
            self.add("assets", {**row, "tag": f"{tag:06d}", "unit_id": unit.id, "condition": condition})

    def stock(self) -> None:
        items = (
            ("Cesta básica", "unidade", 20, 400, "feas", 180),
            ("Kit natalidade (enxoval)", "kit", 5, 80, "proprio", None),
            ("Cobertor", "unidade", 10, 300, "proprio", None),
            ("Colchão de solteiro", "unidade", 4, 60, "proprio", None),
            ("Fralda geriátrica (pacote)", "pacote", 10, 200, "proprio", 540),
            ("Kit de higiene pessoal", "kit", 20, 300, "feas", 400),
            ("Filtro de barro", "unidade", 5, 60, "proprio", None),
            ("Água mineral (galão 20 L)", "galão", 10, 200, "proprio", 90),
            ("Material de expediente (resma de papel A4)", "resma", 10, 200, "bloco_gestao_suas", None),
            ("Leite em pó integral (lata 400 g)", "lata", 20, 400, "feas", 270),
        )
        locations = ["Almoxarifado da Secretaria"]
        if self.large:
            locations += [f"Depósito do {u.name}" for u in self.units_of("cras")[:3]]
        for location in locations:
            for item, measure, low, high, source, shelf_life in items:
                if location != locations[0] and self.rng.random() < 0.5:
                    continue
                expires = (
                    DEMO_TODAY + timedelta(days=self.rng.randrange(-20, shelf_life)) if shelf_life else None
                )
                self.add(
                    "stock",
                    {
                        "item": item,
                        "quantity": self.rng.randrange(low, high) * (3 if self.large else 1),
                        "measure": measure,
                        "location": location,
                        "expires_on": expires,
                        "source": source,
                    },
                )

    # -- council
    def council(self) -> None:
        government = [
            "Secretaria Municipal de Desenvolvimento e Assistência Social",
            "Secretaria Municipal de Saúde",
            "Secretaria Municipal de Educação",
            "Secretaria Municipal de Fazenda",
            "Secretaria Municipal de Administração",
            "Secretaria Municipal de Cultura, Esporte e Lazer",
            "Secretaria Municipal de Agricultura",
            "Secretaria Municipal de Obras",
            "Secretaria Municipal de Meio Ambiente",
            "Procuradoria-Geral do Município",
        ]
        civil = [
            ("usuarios", "Associação Comunitária do Bairro Alto do Buriti"),
            ("usuarios", "Representante dos usuários do CRAS"),
            ("trabalhadores", "Fórum Municipal dos Trabalhadores do SUAS"),
            ("entidades", "Associação de Pais e Amigos dos Excepcionais de Vereda Grande"),
            ("usuarios", "Associação de Mulheres do Distrito de Riacho Fundo"),
            ("entidades", "Lar de Idosos São Vicente"),
            ("trabalhadores", "Sindicato dos Servidores Municipais"),
            ("usuarios", "Conselho Comunitário do Bairro Vila Nova"),
            ("entidades", "Obra Social Nossa Senhora do Rosário"),
            ("usuarios", "Associação dos Moradores do Planalto"),
        ]
        seats = 10 if self.large else 4
        start, end = date(2025, 1, 16), date(2027, 1, 15)
        president_seat = ("usuarios", civil[0][1])
        for seat in ("titular", "suplente"):
            for index in range(seats):
                self.add(
                    "council_members",
                    {
                        "name": self.person(),
                        "segment": "governo",
                        "represents": government[index],
                        "seat": seat,
                        "mandate_start": start,
                        "mandate_end": end,
                        "is_president": False,
                    },
                )
            for index in range(seats):
                segment, represents = civil[index]
                president = seat == "titular" and (segment, represents) == president_seat
                self.add(
                    "council_members",
                    {
                        "name": self.cmas_president if president else self.person(),
                        "segment": segment,
                        "represents": represents,
                        "seat": seat,
                        "mandate_start": start,
                        "mandate_end": end,
                        "is_president": president,
                    },
                )
        resolutions = [
            ("contas", "Aprova a prestação de contas federal do exercício {prev}"),
            ("plano", "Aprova o Plano de Ação {year} do cofinanciamento federal"),
            ("orcamento", "Aprova a proposta orçamentária do FMAS para {next}"),
            ("plano", "Aprova o Plano de Serviços {year} do Piso Mineiro"),
            ("contas", "Emite parecer conclusivo sobre o Demonstrativo do Piso Mineiro {prev}"),
            ("inscricao", "Inscreve entidade de assistência social no CMAS"),
            ("outro", "Convoca a Conferência Municipal de Assistência Social"),
            ("outro", "Aprova o Relatório de Gestão {prev}"),
            ("contas", "Aprova a reprogramação dos saldos de {prev}"),
            ("outro", "Aprova critérios para concessão de benefícios eventuais"),
        ]
        per_year = len(resolutions) + (8 if self.large else 0)
        for year in (2025, 2026):
            last = date(year, 11, 20) if year == 2026 else date(year, 12, 15)
            days = sorted(self.day(date(year, 1, 20), last) for _ in range(per_year))
            for number, issued in enumerate(days, start=1):
                kind, subject = resolutions[(number - 1) % len(resolutions)]
                self.add(
                    "council_resolutions",
                    {
                        "number": f"{number:02d}/{year}",
                        "issued_on": issued,
                        "subject": subject.format(prev=year - 1, year=year, next=year + 1),
                        "kind": kind,
                    },
                )

    def system_access(self) -> None:
        transfer = {
            "saa": "O(A) novo(a) gestor(a) pede o cadastro como administrador titular no SAA, com ofício "
            "do(a) "
            "prefeito(a) e o ato de nomeação; depois revisa os usuários ativos.",
            "cadsuas": "Atualizar o órgão gestor, o fundo e o conselho no CadSUAS, com o perfil de gestor "
            "no SAA.",
            "suasweb": "Acesso pelo perfil de gestor no SAA; o conselho usa o perfil próprio do CMAS.",
            "rma": "Cada coordenação de unidade tem perfil no SAA; o(a) gestor(a) concede e revoga.",
            "censo_suas": "Preenchido pelas coordenações com perfil no SAA; a ratificação é do(a) gestor(a).",
            "sigpbf": "O(A) prefeito(a) indica o(a) gestor(a) municipal do PBF no SIGPBF após a posse.",
            "cadunico": "Os operadores são cadastrados pelo(a) gestor(a) municipal no Sistema de "
            "Cadastro Único.",
            "agilizasuas": "Acesso com o perfil de gestor do fundo; confirmar o cadastro do ordenador de "
            "despesas.",
            "sigcon": "O representante legal cadastrado no Sigcon-MG gerencia os usuários; trocar na posse.",
            "cagec": "Atualizar o representante legal do FMAS no CAGEC com o ato de nomeação.",
            "banco": "Trocar os representantes e ordenadores de despesa na agência, com o termo de posse.",
        }
        secretary, fmas, cad = (
            "Secretário(a) de Desenvolvimento e Assistência Social",
            "Técnico(a) do FMAS",
            "Coordenador(a) do Cadastro Único",
        )
        rows = [
            ("saa", "Administrador titular", self.manager, secretary),
            ("saa", "Administrador adjunto", self.fmas_tech, fmas),
            ("cadsuas", "Gestor municipal", self.manager, secretary),
            ("suasweb", "Gestor municipal", self.manager, secretary),
            ("suasweb", "Conselho — presidente", self.cmas_president, "Presidente do CMAS"),
            ("censo_suas", "Gestor municipal", self.fmas_tech, fmas),
            ("sigpbf", "Gestor municipal do PBF", self.cad_coordinator, cad),
            ("cadunico", "Operador master", self.cad_coordinator, cad),
            ("agilizasuas", "Gestor do fundo", self.fmas_tech, fmas),
            ("sigcon", "Representante legal", self.manager, secretary),
            ("cagec", "Representante legal", self.manager, secretary),
            ("banco", "Ordenador de despesas", self.manager, secretary),
            ("banco", "Consulta de saldos", self.accountant, "Contador(a) do município"),
        ]
        for unit in self.units_of("cras", "creas", "centro_pop"):
            rows.append(
                (
                    "rma",
                    f"Preenchimento do RMA — {unit.name}"[:200],
                    self.person(),
                    f"Coordenação do {unit.name}",
                )
            )
        if self.large:
            for index in range(12):
                rows.append(
                    (
                        "cadunico",
                        f"Operador(a) de cadastro {index + 1:02d}",
                        self.person(),
                        "Entrevistador(a)",
                    )
                )
        for system, profile, holder, role in rows:
            self.add(
                "system_access",
                {
                    "system": system,
                    "profile": profile,
                    "holder": holder,
                    "holder_role": role,
                    "transfer_procedure": transfer[system],
                    "reviewed_on": self.day(date(2026, 8, 1), date(2026, 11, 20)),
                },
            )

    def benefits(self) -> None:
        factor = 14 if self.large else 1
        rows = (
            ("natalidade", "proprio", 25, 60, 180),
            ("funeral", "proprio", 8, 20, 2_200),
            ("vulnerabilidade", "proprio", 80, 220, 150),
            ("vulnerabilidade", "feas", 60, 160, 150),
            ("calamidade", "proprio", 0, 140, 160),  # the 2026 drought (estiagem)
        )
        for year in (2025, 2026):
            for kind, source, low, high, unit_price in rows:
                quantity = self.rng.randrange(low, high + 1) * factor
                if kind == "calamidade" and year == 2025:
                    quantity = 0
                price = unit_price * 100 + self.rng.randrange(-1500, 1500)
                self.add(
                    "eventual_benefits",
                    {
                        "year": year,
                        "kind": kind,
                        "quantity": quantity,
                        "amount": _money(quantity * price),
                        "source": source,
                    },
                )

    # -- PSE
    def unmet_demand(self) -> None:
        prefixes = {
            "paefi": "PAEFI",
            "mse_la": "MSE",
            "mse_psc": "MSE",
            "acolhimento": "ACO",
            "familia_acolhedora": "FAC",
            "abordagem": "ABS",
        }
        services = list(prefixes)
        weights = (45, 12, 10, 12, 6, 15)
        origins = (
            "conselho_tutelar",
            "judiciario",
            "ministerio_publico",
            "cras",
            "saude",
            "educacao",
            "espontanea",
        )
        counters: dict[tuple[str, int], int] = {}
        cases = []
        for _ in range(self.scale.unmet_cases):
            service = self.rng.choices(services, weights)[0]
            received = self.day(date(2025, 9, 1), date(2026, 11, 20))
            cases.append((received, service))
        for received, service in sorted(cases):
            key = (prefixes[service], received.year)
            counters[key] = counters.get(key, 0) + 1
            waited = (DEMO_TODAY - received).days
            roll = self.rng.random()
            if waited > 200 and roll < 0.6:
                status = self.rng.choice(("atendido", "desistencia", "encaminhado_regional"))
            elif roll < 0.55:
                status = "aguardando"  # many of these wait more than 90 days
            elif roll < 0.75:
                status = "em_atendimento"
            elif roll < 0.85:
                status = "encaminhado_regional"
            else:
                status = "atendido"
            resolved = None
            if status in ("atendido", "desistencia"):
                resolved = min(DEMO_TODAY, received + timedelta(days=self.rng.randrange(20, 200)))
            self.add(
                "unmet_demand",
                {
                    "case_code": f"{key[0]}-{key[1]}-{counters[key]:03d}",
                    "service": service,
                    "received_on": received,
                    "referred_by": self.rng.choice(origins),
                    "status": status,
                    "resolved_on": resolved,
                },
            )

    def outside_care(self) -> None:
        arrangements = (
            "Termo de cooperação com o município que acolhe",
            "Consórcio Intermunicipal Veredas do Norte",
            "Decisão judicial; custeio pelo município de origem",
            "Programa Estadual de Família Acolhedora",
        )
        count = 8 if self.large else 4
        for index in range(count):
            service = "familia_acolhedora" if index % 4 == 3 else "acolhimento"
            since = self.day(date(2024, 3, 1), date(2026, 10, 31))
            self.add(
                "outside_care",
                {
                    "case_code": f"AC-{since.year}-{index + 1:03d}",
                    "service": service,
                    "host_municipality": self.rng.choice(_HOST_TOWNS),
                    "since": since,
                    "arrangement": arrangements[index % len(arrangements)],
                },
            )

    def regional_references(self) -> None:
        rows = [
            (
                "creas_regional",
                "CREAS Regional Serra Geral",
                "Janaúba",
                "PAEFI; MSE (LA e PSC)",
                "Termo de adesão 2024",
            ),
            (
                "consorcio",
                "Consórcio Intermunicipal Veredas do Norte",
                "Montes Claros",
                "Acolhimento institucional de crianças e adolescentes",
                "Contrato de rateio 2026",
            ),
            (
                "familia_acolhedora",
                "Serviço Regional de Família Acolhedora",
                "Montes Claros",
                "Família Acolhedora",
                "Termo de adesão ao programa estadual 2025",
            ),
            (
                "acolhimento",
                "Casa de Passagem Regional do Norte de Minas",
                "Januária",
                "Acolhimento de adultos e famílias",
                "Termo de cooperação 2023",
            ),
        ]
        if self.large:
            rows.append(
                (
                    "outra",
                    "Residência Inclusiva Regional",
                    "Bocaiuva",
                    "Residência inclusiva para jovens e adultos com deficiência",
                    "Termo de cooperação 2025",
                )
            )
        for kind, name, seat, services, agreement in rows:
            self.add(
                "regional_references",
                {
                    "kind": kind,
                    "name": name,
                    "seat_municipality": seat,
                    "services": services,
                    "agreement": agreement,
                },
            )

    def liabilities(self) -> None:
        rows = [
            (
                "diligencia_fnas",
                "Ofício FNAS nº 1.042/2026",
                "Diligência na prestação de contas 2025: despesa com equipe de referência acima do "
                "limite no bloco da PSB.",
                18_450_00,
                date(2026, 12, 15),
                "em_andamento",
            ),
            (
                "diligencia_fnas",
                "Ofício FNAS nº 877/2026",
                "Pedido de notas fiscais do IGD-PBF 2024 (material de informática).",
                6_380_00,
                date(2026, 12, 4),
                "aberto",
            ),
            (
                "diligencia_sedese",
                "Ofício SEDESE nº 311/2026",
                "Devolução parcial do convênio estadual 2023 (reforma da sede do CRAS).",
                12_900_00,
                date(2027, 1, 30),
                "aberto",
            ),
            (
                "contas_antecessor",
                "Piso Mineiro 2020",
                "Demonstrativo do Piso Mineiro de 2020 não prestado pela gestão anterior; medidas "
                "legais adotadas.",
                41_200_00,
                None,
                "em_andamento",
            ),
            (
                "tac",
                "TAC MPMG nº 04/2025",
                "Compromisso de ofertar acolhimento para crianças e adolescentes na região até 2027.",
                None,
                date(2027, 6, 30),
                "em_andamento",
            ),
            (
                "acao_judicial",
                "Processo nº 5001234-56.2025.8.13.9999",
                "Ação trabalhista de ex-contratada do CRAS (verbas rescisórias).",
                9_870_00,
                None,
                "aberto",
            ),
            (
                "tce",
                "Processo TCE-MG nº 1.120.445",
                "Apontamento sobre a execução do FMAS em 2023.",
                None,
                None,
                "resolvido",
            ),
        ]
        if self.large:
            for index in range(5):
                rows.append(
                    (
                        "outro",
                        f"Memorando interno nº {100 + index}/2026",
                        f"Bens inservíveis aguardando baixa patrimonial (lote {index + 1}).",
                        None,
                        date(2026, 12, 20),
                        "aberto",
                    )
                )
        for kind, reference, description, cents, deadline, status in rows:
            self.add(
                "liabilities",
                {
                    "kind": kind,
                    "reference": reference,
                    "description": description,
                    "amount": None if cents is None else _money(cents * self.scale.money),
                    "deadline": deadline,
                    "status": status,
                },
            )

    # ------------------------------------------------------------------ cycles
    def responsible(self, role: str) -> str:
        people = {
            "G": self.manager,
            "GS": self.manager,
            "F": self.fmas_tech,
            "C": self.accountant,
            "CI": self.controller,
            "CM": self.cmas_president,
            "CT": self.commission_member,
            "P": self.mayor,
            "U": "Coordenações do CRAS e do CREAS",
            "CAD": self.cad_coordinator,
            "GN": "a definir após a eleição",
        }
        return f"{people[role]} — {ROLE_LABELS[role]}"[:120]

    def cycles(self) -> tuple[str, str, list[tuple[str, int]]]:
        cl = self.checklists
        closing = cl.start_cycle(actor=DEMO_ACTOR, kind=CycleKind.CLOSING, reference_year=2026)
        note = "Data fictícia da demonstração."
        for event, day in (
            (KeyEvent.PUBLICACAO_PORTARIA, date(2026, 10, 20)),
            (KeyEvent.ABERTURA_SISTEMA, date(2026, 2, 4)),
            (KeyEvent.FIM_VIGENCIA_PLANO, date(2026, 12, 31)),
        ):
            cl.set_event(
                actor=DEMO_ACTOR, cycle_id=closing.id, event=event, day=day, provenance=Provenance(note=note)
            )
        transition = cl.start_cycle(actor=DEMO_ACTOR, kind=CycleKind.TRANSITION, reference_year=2028)
        evidence: list[tuple[str, float]] = []
        special = {
            "PCF-03": (
                Status.NOT_APPLICABLE,
                "Não há exercícios até 2023 pendentes no SUASWeb: o Demonstrativo de 2023 foi enviado "
                "e aprovado.",
            ),
            "FIN-09": (
                Status.NOT_APPLICABLE,
                "O FNAS não pediu o QDD neste exercício; será enviado quando for exigido.",
            ),
            # Overdue since April: the council has not met to approve the plan yet.
            "MG-03": (Status.PENDING, ""),
            "CONTA-03": (
                Status.BLOCKED,
                "A conciliação da conta da emenda parlamentar depende do extrato de aplicação que o "
                "banco ainda não enviou (pedido por ofício em 10/11/2026).",
            ),
        }
        for state in cl.item_states(closing.id, today=DEMO_TODAY):
            item = state.item
            due = state.due.date
            roll = self.rng.random()
            # About half done: the nearer the deadline, the likelier the item is finished.
            if due is None or due > date(2026, 12, 31):
                done_below, progress_below = 0.3, 0.55
            elif due < DEMO_TODAY:
                done_below, progress_below = 0.85, 0.85
            elif due <= DEMO_TODAY + timedelta(days=10):
                done_below, progress_below = 0.65, 0.9
            else:
                done_below, progress_below = 0.45, 0.8
            status = (
                Status.DONE
                if roll < done_below
                else Status.IN_PROGRESS
                if roll < progress_below
                else Status.PENDING
            )
            status, reason = special.get(item.item_key, (status, ""))
            self.work_item(item.id, item.roles[0], status, reason)
            if status is Status.DONE:
                evidence.append((item.id, 3.0))
            elif status is Status.IN_PROGRESS:
                evidence.append((item.id, 1.0))
        # The transition of 2028→2029 is only being prepared: its first items are under way.
        for state in cl.item_states(transition.id, today=DEMO_TODAY)[:4]:
            self.work_item(state.item.id, state.item.roles[0], Status.IN_PROGRESS)
            evidence.append((state.item.id, 1.0))
        return closing.title, transition.title, self.allocate(evidence)

    _NOTES_DONE = (
        "Concluído e conferido pela equipe; documentos anexados.",
        "Feito dentro do prazo. Cópia arquivada na pasta física do FMAS.",
        "Conferido com a contabilidade; sem pendências.",
        "Concluído. Enviado ao CMAS para conhecimento.",
    )
    _NOTES_IN_PROGRESS = (
        "Em andamento: faltam documentos de duas unidades.",
        "Aguardando retorno da contabilidade.",
        "Reunião marcada com a equipe para a próxima semana.",
        "Parte dos dados já levantada; falta conferir com os extratos.",
    )

    def work_item(self, item_id: str, role: str, status: Status, reason: str = "") -> None:
        cl = self.checklists
        if status is Status.PENDING and self.rng.random() < 0.5:
            cl.assign(actor=DEMO_ACTOR, item_id=item_id, responsible=self.responsible(role))
            return
        if status is Status.PENDING:
            return
        cl.assign(actor=DEMO_ACTOR, item_id=item_id, responsible=self.responsible(role))
        cl.set_status(actor=DEMO_ACTOR, item_id=item_id, status=status, reason=reason)
        if status is Status.DONE:
            cl.set_notes(actor=DEMO_ACTOR, item_id=item_id, notes=self.rng.choice(self._NOTES_DONE))
        elif status is Status.IN_PROGRESS:
            cl.set_notes(actor=DEMO_ACTOR, item_id=item_id, notes=self.rng.choice(self._NOTES_IN_PROGRESS))

    def allocate(self, weighted: list[tuple[str, float]]) -> list[tuple[str, int]]:
        """Share the scale's number of evidence files among the items, by weight (done items first)."""
        target = self.scale.attachments
        total = sum(w for _, w in weighted) or 1.0
        counts = [int(target * w / total) for _, w in weighted]
        order = sorted(range(len(weighted)), key=lambda i: (-weighted[i][1], i))
        index = 0
        while sum(counts) < target and order:
            counts[order[index % len(order)]] += 1
            index += 1
        return [(item_id, n) for (item_id, _), n in zip(weighted, counts, strict=True) if n]

    # ------------------------------------------------------------------ evidence files
    _DOCUMENTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "GOV": (
            "Decreto da comissão de transição",
            "Ata de reunião da comissão",
            "Ofício de pedido de informações",
        ),
        "FIN": (
            "Balancete da despesa do FMAS",
            "Relação de restos a pagar",
            "Decreto de encerramento do exercício",
            "Relatório de execução orçamentária",
        ),
        "CONTA": (
            "Extrato da conta corrente",
            "Extrato da aplicação financeira",
            "Conciliação bancária",
            "Termo de conferência de saldos",
        ),
        "PCF": (
            "Comprovante de envio da prestação de contas",
            "Parecer do CMAS",
            "Resposta a diligência do FNAS",
        ),
        "PLAN": (
            "Plano de Ação",
            "Ata de aprovação do CMAS",
            "Proposta orçamentária do FMAS",
            "Relatório de Gestão",
        ),
        "SIS": ("Relatório de usuários do SAA", "Comprovante de envio do RMA", "Espelho do CadSUAS"),
        "REDE": ("Quadro da rede socioassistencial", "Relatório de atendimentos por serviço"),
        "PSE": (
            "Relatório da demanda reprimida",
            "Termo de cooperação regional",
            "Ofício ao Poder Judiciário",
        ),
        "RH": ("Quadro de pessoal por unidade", "Resumo da folha de pagamento", "Portaria de nomeação"),
        "PARC": (
            "Termo de colaboração",
            "Relatório de monitoramento da parceria",
            "Parecer técnico da prestação de contas da OSC",
            "Extrato de contrato publicado",
        ),
        "PAT": ("Termo de responsabilidade patrimonial", "Inventário de bens", "Relatório do almoxarifado"),
        "CMAS": ("Ata da reunião plenária do CMAS", "Resolução do CMAS", "Lista de presença"),
        "CAD": ("Relatório do IGD-M", "Relatório de atualização cadastral"),
        "BE": ("Relatório de concessões de benefícios eventuais", "Lei dos benefícios eventuais"),
        "MG": (
            "Certidão de regularidade no CAGEC",
            "Plano de Serviços do Piso Mineiro",
            "Demonstrativo Físico e Financeiro",
        ),
    }
    _PHOTOS = (
        "Foto da fachada da unidade",
        "Foto do veículo",
        "Foto da reunião",
        "Digitalização de documento",
    )
    _MONTHS = (
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    )

    def evidence(self, plan: list[tuple[str, int]]) -> None:
        self.label = "Anexando evidências"
        total = sum(n for _, n in plan)
        for item_id, count in plan:
            item = self.checklists.item_state(item_id, today=DEMO_TODAY).item
            kinds = self._DOCUMENTS.get(item.section_code, ("Documento comprobatório",))
            for _ in range(count):
                self.counter += 1
                number = self.counter
                if self.rng.random() < 0.18:
                    title = self.rng.choice(self._PHOTOS)
                    name = f"{item.item_key}_{_slug(title)}_{number:04d}.png"
                    color = (
                        self.rng.randrange(40, 220),
                        self.rng.randrange(40, 220),
                        self.rng.randrange(40, 220),
                    )
                    data = minimal_png(
                        self.rng.randrange(48, 96),
                        self.rng.randrange(36, 72),
                        color,
                        stripes=self.rng.randrange(0, 6),
                        text=f"{title} — documento fictício nº {number} — {MUNICIPALITY_NAME}",
                    )
                else:
                    title = self.rng.choice(kinds)
                    month = self.rng.choice(self._MONTHS)
                    name = f"{item.item_key}_{_slug(title)}_{number:04d}.pdf"
                    data = minimal_pdf(
                        f"{title} — {month}/2026",
                        [
                            "DOCUMENTO FICTÍCIO — DEMONSTRAÇÃO DO SUAS DESKTOP",
                            f"Município: {MUNICIPALITY_NAME} — Minas Gerais",
                            "Órgão gestor: Secretaria Municipal de Desenvolvimento e Assistência Social",
                            "",
                            f"Item do checklist: {item.item_key} — {item.title}",
                            f"Documento nº {number} de {total} ({month} de 2026).",
                            f"Responsável pela conferência: {self.responsible(item.roles[0])}",
                            "",
                            "Valores e dados deste documento são inventados para demonstrar o programa;",
                            "não correspondem a nenhum município, pessoa ou conta bancária real.",
                            f"Valor de referência: {format_money(self.rng.randrange(10_000, 9_999_999))}",
                        ],
                    )
                path = self.write_file(name, data)
                row = self.checklists.attach(actor=DEMO_ACTOR, item_id=item_id, path=path)
                self.stored.append(row.sha256)
                path.unlink()
                self.tick()
