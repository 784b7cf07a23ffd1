"""Reference teams (equipes de referência, NOB-RH/SUAS): what a CRAS or CREAS should have, and what it has.

The NOB-RH tables are module-level DATA (:data:`CRAS_TEAMS`, :data:`CREAS_TEAMS` and the porte maps), each
with its source and evidence tag from domain.md (§5.2, §5.3): **[C]** confirmed in a source, **[G]** the
research author's general knowledge, to be verified. Correcting a number is a data change.

Decisions (see also the tests):

* **CRAS table choice.** The NOB-RH table is by referenced families (até 2.500 / até 3.500 / a cada 5.000).
  When ``referenced_families`` is given (and above 0) the smallest tier that holds it is applied, whatever
  the porte; otherwise the porte picks the tier (PP I → 2.500, PP II → 3.500, Médio and above → 5.000). A
  note says when the two disagree. Above 5.000 families the 5.000 team is applied (not multiplied) and a
  note says it falls short. 0 families is treated as "not informed".
* **CREAS table choice.** NOB-RH sizes the CREAS team by the municipality's management level (50 or 80 cases);
  the porte stands in for it (PP I, PP II, Médio → 50; Grande, Metrópole → 80) and a ``creas_regional``
  always gets the 80-case team. All of it is [G] and every CREAS comparison says so in its notes.
* **Who fills what.** Each person fills at most one slot. The person marked as coordinator (the best one if
  several: higher education first, then efetivo) fills only the coordination slot; any further person marked
  as coordinator is counted as a technician by profession, with a note. Technician slots are filled from the
  most specific (one profession) to the most generic ("other higher-level"), each slot taking first the
  people that fewer of the later slots could use; so a psychologist never fills two slots and the counts
  are the largest possible.
* **Profession, not education, places a technician.** Higher-level slots take the higher-level profession
  codes; mid-level slots take ``nivel_medio`` only. A person with profession ``nivel_fundamental`` but
  secondary or higher education is *not* counted as mid-level (the register's profession is the post they
  hold), but a note points it out so the user can correct the profession if the post is mid-level. A
  higher-level profession with education below "superior" still counts, with a note to check the record.
* **Coordination.** A coordinator without higher education still fills the slot (the unit has coordination)
  and a note says the NOB-RH asks for higher education; the same for a coordinator who is not efetivo.
* ``weekly_hours`` is carried but not used: domain.md gives no workload parameter, the NOB-RH counts people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from suas_desktop.domain.municipality import SizeClass
from suas_desktop.domain.registers import PROFESSIONS, STAFF, UNIT_KINDS

#: The norm every comparison cites.
NOB_RH_SOURCE = "NOB-RH/SUAS — Resolução CNAS nº 269/2006; Resolução CNAS nº 17/2011"

#: Profession codes (registers.PROFESSIONS) of higher-level technicians, in the order a generic
#: higher-level slot takes them when nothing else decides (specific professions of the SUAS first).
HIGHER_LEVEL = ("outra_superior", "pedagogo", "advogado", "psicologo", "assistente_social")
MID_LEVEL = ("nivel_medio",)
FUNDAMENTAL_LEVEL = ("nivel_fundamental",)

_PROFESSION_LABELS = dict(PROFESSIONS)
_PROFESSION_CODES = frozenset(_PROFESSION_LABELS)
_EDUCATION_CODES = frozenset(code for code, _ in STAFF.field("education").choices)
_BOND_CODES = frozenset(code for code, _ in STAFF.field("bond").choices)
_UNIT_KIND_CODES = frozenset(code for code, _ in UNIT_KINDS)
_BOND_LABELS = {
    "comissionado": ("comissionado(a)", "comissionados(as)"),
    "contratado": ("contratado(a)", "contratados(as)"),
    "cedido": ("cedido(a)", "cedidos(as)"),
    "outro": ("com outro vínculo", "com outro vínculo"),
}
_EDUCATION_NAMES = {"fundamental": "fundamental", "medio": "média", "superior": "superior"}


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Slot:
    """A line of a reference team: ``required`` people with one of the ``accepts`` profession codes.

    ``accepts`` is also the order of preference when several people could fill the slot; ``preferred``,
    when set, is the profession the norm prefers (a note is added when someone else fills it).
    """

    key: str
    label: str
    required: int
    accepts: tuple[str, ...]
    preferred: str | None = None


@dataclass(frozen=True)
class TeamSpec:
    """One column of a NOB-RH table."""

    #: What the team is, in pt-BR: "2 técnicos de nível superior (…) e 2 de nível médio, mais coordenação".
    composition: str
    slots: tuple[Slot, ...]
    coordinator_label: str
    #: The coordinator must have higher education / be efetivo (concursado).
    coordinator_superior: bool
    coordinator_efetivo: bool
    #: Evidence tag from domain.md: "C" confirmed, "G" to be verified.
    tag: str


_AS = "assistente_social"
_PSI = "psicologo"


def _cras_team(composition: str, social_workers: int, psychologist: Slot, other: int, mid: int) -> TeamSpec:
    slots = [
        Slot(_AS, "Assistentes sociais", social_workers, (_AS,)),
        psychologist,
    ]
    if other:
        slots.append(
            Slot("outra_superior", "Outro(a) profissional de nível superior do SUAS", other, HIGHER_LEVEL)
        )
    slots.append(Slot("nivel_medio", "Técnicos(as) de nível médio", mid, MID_LEVEL))
    return TeamSpec(
        composition=composition,
        slots=tuple(slots),
        coordinator_label="Coordenação (nível superior, efetiva)",
        coordinator_superior=True,
        coordinator_efetivo=True,
        tag="C",
    )


#: CRAS reference teams, smallest first: (largest number of referenced families, scope in pt-BR, team).
#: Source: NOB-RH/SUAS (Res. CNAS 269/2006), CRAS table, as summarized in domain.md §5.3 and tagged [C]
#: there: PP I ≤ 2.500 families: 2 higher-level (1 social worker + preferably 1 psychologist) + 2 mid-level;
#: PP II ≤ 3.500: 3 higher (2 AS + 1 psych) + 3 mid; Médio/Grande/Metrópole/DF, each 5.000: 4 higher (2 AS,
#: 1 psych, 1 other SUAS profession) + 4 mid; always a coordinator with higher education and concursado [C].
#: domain.md has "preferably" only for PP I; if the norm also says it for PP II, give that slot HIGHER_LEVEL
#: and preferred=_PSI as in PP I.
CRAS_TEAMS: tuple[tuple[int, str, TeamSpec], ...] = (
    (
        2_500,
        "até 2.500 famílias referenciadas",
        _cras_team(
            "2 técnicos de nível superior (1 assistente social e, preferencialmente, 1 psicólogo) "
            "e 2 de nível médio, mais coordenação",
            social_workers=1,
            psychologist=Slot(
                _PSI,
                "Psicólogo(a) — preferencialmente; outra profissão de nível superior também conta",
                1,
                (_PSI, *(code for code in HIGHER_LEVEL if code != _PSI)),
                preferred=_PSI,
            ),
            other=0,
            mid=2,
        ),
    ),
    (
        3_500,
        "até 3.500 famílias referenciadas",
        _cras_team(
            "3 técnicos de nível superior (2 assistentes sociais e 1 psicólogo) e 3 de nível médio, "
            "mais coordenação",
            social_workers=2,
            psychologist=Slot(_PSI, "Psicólogos(as)", 1, (_PSI,)),
            other=0,
            mid=3,
        ),
    ),
    (
        5_000,
        "a cada 5.000 famílias referenciadas",
        _cras_team(
            "4 técnicos de nível superior (2 assistentes sociais, 1 psicólogo e 1 profissional que compõe "
            "o SUAS) e 4 de nível médio, mais coordenação",
            social_workers=2,
            psychologist=Slot(_PSI, "Psicólogos(as)", 1, (_PSI,)),
            other=1,
            mid=4,
        ),
    ),
)

#: The CRAS tier (index in CRAS_TEAMS) for each porte when the referenced families are not known.
#: Source: NOB-RH/SUAS table headers (PP I / PP II / Médio, Grande, Metrópole e DF), domain.md §5.3 [C];
#: the population bounds of each porte are PNAS 2004, domain.md §5.2 [G].
CRAS_TIER_BY_SIZE: dict[SizeClass, int] = {
    SizeClass.SMALL_I: 0,
    SizeClass.SMALL_II: 1,
    SizeClass.MEDIUM: 2,
    SizeClass.LARGE: 2,
    SizeClass.METROPOLIS: 2,
}


def _creas_team(cases: int, composition: str, counts: tuple[int, int, int, int, int]) -> TeamSpec:
    social_workers, psychologists, lawyers, outreach, administrative = counts
    return TeamSpec(
        composition=f"até {cases} casos em acompanhamento: {composition}",
        slots=(
            Slot(_AS, "Assistentes sociais", social_workers, (_AS,)),
            Slot(_PSI, "Psicólogos(as)", psychologists, (_PSI,)),
            Slot("advogado", "Advogados(as)", lawyers, ("advogado",)),
            Slot(
                "abordagem",
                "Profissionais de nível superior ou médio para abordagem dos usuários",
                outreach,
                (*MID_LEVEL, *HIGHER_LEVEL),
            ),
            Slot(
                "auxiliar_administrativo",
                "Auxiliares administrativos (nível médio ou fundamental)",
                administrative,
                (*MID_LEVEL, *FUNDAMENTAL_LEVEL),
            ),
        ),
        coordinator_label="Coordenação",
        # domain.md gives no level or bond for the CREAS coordinator; set these to True once confirmed.
        coordinator_superior=False,
        coordinator_efetivo=False,
        tag="G",
    )


#: CREAS reference teams by capacity (cases followed at the same time).
#: Source: NOB-RH/SUAS CREAS table as recalled in domain.md §5.3 and tagged [G] there: ~50 cases: 1
#: coordinator, 1 social worker, 1 psychologist, 1 lawyer, 2 higher/mid professionals (abordagem), 1
#: administrative assistant; larger municipalities ~80 cases with a "doubled" team. The 80-case column
#: below (one lawyer, everything else doubled) is this module author's recollection of the norm [G].
CREAS_TEAMS: dict[int, TeamSpec] = {
    50: _creas_team(
        50,
        "coordenação, 1 assistente social, 1 psicólogo, 1 advogado, 2 profissionais de nível superior "
        "ou médio para abordagem dos usuários e 1 auxiliar administrativo",
        (1, 1, 1, 2, 1),
    ),
    80: _creas_team(
        80,
        "coordenação, 2 assistentes sociais, 2 psicólogos, 1 advogado, 4 profissionais de nível superior "
        "ou médio para abordagem dos usuários e 2 auxiliares administrativos",
        (2, 2, 1, 4, 2),
    ),
}

#: Porte → CREAS capacity. The NOB-RH keys the CREAS team to the municipality's management level, which
#: the app does not record; "larger municipalities" (domain.md §5.3 [G]) are read as Grande and Metrópole.
CREAS_CAPACITY_BY_SIZE: dict[SizeClass, int] = {
    SizeClass.SMALL_I: 50,
    SizeClass.SMALL_II: 50,
    SizeClass.MEDIUM: 50,
    SizeClass.LARGE: 80,
    SizeClass.METROPOLIS: 80,
}
#: A regional CREAS gets the team the NOB-RH gives to states' regional services [G].
CREAS_REGIONAL_CAPACITY = 80

#: Unit kinds (registers.UNIT_KINDS) that have a NOB-RH reference team.
REFERENCE_TEAM_KINDS = frozenset({"cras", "creas", "creas_regional"})

_G_NOTE = (
    "Parâmetro [G] (não conferido no texto da norma): confirme na NOB-RH/SUAS antes de usar em documento."
)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class TeamMember:
    """What the comparison needs of a staff row (never the name). Codes are those of registers.STAFF."""

    profession: str
    education: str
    bond: str
    is_coordinator: bool
    weekly_hours: int | None = None

    def __post_init__(self) -> None:
        for field_name, value, allowed in (
            ("profession", self.profession, _PROFESSION_CODES),
            ("education", self.education, _EDUCATION_CODES),
            ("bond", self.bond, _BOND_CODES),
        ):
            if value not in allowed:
                raise ValueError(f"unknown {field_name} code {value!r}; expected one of {sorted(allowed)}")


@dataclass(frozen=True)
class Requirement:
    """One line of the comparison, e.g. ("assistente_social", "Assistentes sociais", 1, 0).

    ``counted`` is the number of people placed in this line (never above ``required``: extra people are not
    placed, so no one is counted twice).
    """

    key: str
    label: str
    required: int
    counted: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)


@dataclass(frozen=True)
class TeamComparison:
    unit_kind: str
    size_class: SizeClass
    reference_families: int | None
    #: pt-BR description of the reference team applied.
    reference: str
    requirements: tuple[Requirement, ...]
    #: pt-BR observations for the user.
    notes: tuple[str, ...]
    source: str

    @property
    def complete(self) -> bool:
        return all(requirement.missing == 0 for requirement in self.requirements)

    @property
    def missing_total(self) -> int:
        return sum(requirement.missing for requirement in self.requirements)


# ---------------------------------------------------------------- choosing the team


def _number(value: int) -> str:
    """pt-BR thousands separator: 2500 -> "2.500"."""
    return f"{value:,}".replace(",", ".")


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _check_kind(unit_kind: str) -> None:
    if unit_kind not in _UNIT_KIND_CODES:
        raise ValueError(f"unknown unit kind {unit_kind!r}; expected one of {sorted(_UNIT_KIND_CODES)}")


def _cras_choice(size: SizeClass, families: int | None) -> tuple[str, TeamSpec, tuple[str, ...]]:
    porte_tier = CRAS_TIER_BY_SIZE[size]
    porte_limit, porte_scope, _ = CRAS_TEAMS[porte_tier]
    if not families:
        _, _, team = CRAS_TEAMS[porte_tier]
        description = f"CRAS em município de {size.value} ({porte_scope}): {team.composition}"
        notes = (
            "Famílias referenciadas não informadas: aplicada a equipe pelo porte do município. Informe as "
            "famílias referenciadas no cadastro da unidade para comparar pelo número de famílias, como faz "
            "a NOB-RH/SUAS.",
        )
        return description, team, notes

    tier = next((index for index, (limit, _, _) in enumerate(CRAS_TEAMS) if families <= limit), None)
    notes: list[str] = []
    largest_limit = CRAS_TEAMS[-1][0]
    if tier is None:
        tier = len(CRAS_TEAMS) - 1
        notes.append(
            f"O CRAS referencia {_number(families)} famílias, mais que {_number(largest_limit)}, o maior "
            f"parâmetro da NOB-RH/SUAS (equipe a cada {_number(largest_limit)} famílias referenciadas). A "
            f"comparação usa a equipe de {_number(largest_limit)} famílias, que fica abaixo do necessário: "
            f"amplie a equipe na mesma proporção ou divida o território com outro CRAS."
        )
    elif families > porte_limit:
        notes.append(
            f"O CRAS referencia {_number(families)} famílias, acima das {_number(porte_limit)} previstas "
            f"para um CRAS de município de {size.value}: aplicado o parâmetro “{CRAS_TEAMS[tier][1]}”. "
            f"Avalie ampliar a equipe ou implantar outro CRAS."
        )
    elif tier < porte_tier:
        notes.append(
            f"Pelo porte do município ({size.value}), o parâmetro seria “{porte_scope}”; aplicado o "
            f"parâmetro “{CRAS_TEAMS[tier][1]}”, conforme as {_number(families)} famílias informadas."
        )
    _, scope, team = CRAS_TEAMS[tier]
    description = (
        f"CRAS com {_number(families)} famílias referenciadas (parâmetro: {scope}): {team.composition}"
    )
    return description, team, tuple(notes)


def _creas_choice(unit_kind: str, size: SizeClass) -> tuple[str, TeamSpec, tuple[str, ...]]:
    if unit_kind == "creas_regional":
        team = CREAS_TEAMS[CREAS_REGIONAL_CAPACITY]
        description = f"CREAS regional — equipe para {team.composition}"
        how = (
            "CREAS regional: aplicada a equipe que a NOB-RH/SUAS prevê para os serviços regionais "
            f"(até {CREAS_REGIONAL_CAPACITY} casos)."
        )
    else:
        team = CREAS_TEAMS[CREAS_CAPACITY_BY_SIZE[size]]
        description = f"CREAS em município de {size.value} — equipe para {team.composition}"
        by_capacity: dict[int, list[str]] = {}
        for klass, capacity in CREAS_CAPACITY_BY_SIZE.items():
            by_capacity.setdefault(capacity, []).append(klass.value)
        groups = "; ".join(
            f"{', '.join(names)}: até {capacity} casos" for capacity, names in sorted(by_capacity.items())
        )
        how = (
            "A NOB-RH/SUAS define a equipe do CREAS pelo nível de gestão do município; aqui o porte faz essa "
            f"escolha ({groups})."
        )
    return description, team, (how,)


def _choose(
    unit_kind: str, size: SizeClass, referenced_families: int | None
) -> tuple[str, TeamSpec, tuple[str, ...]] | None:
    _check_kind(unit_kind)
    if referenced_families is not None and referenced_families < 0:
        raise ValueError(f"referenced_families must not be negative, got {referenced_families}")
    if unit_kind == "cras":
        description, team, notes = _cras_choice(size, referenced_families)
    elif unit_kind in ("creas", "creas_regional"):
        description, team, notes = _creas_choice(unit_kind, size)
    else:
        return None
    if team.tag != "C":
        notes = (*notes, _G_NOTE)
    return description, team, notes


def reference_team(
    unit_kind: str, size: SizeClass, referenced_families: int | None = None
) -> tuple[str, tuple[tuple[str, str, int], ...], tuple[str, ...]] | None:
    """(description, ((key, label, required), …), notes) of the NOB-RH team for the unit.

    None for unit kinds without a NOB-RH reference team (all but ``cras``, ``creas`` and
    ``creas_regional``). Raises ``ValueError`` for a code that is not a unit kind or negative families.
    The coordination line comes first, with key ``"coordenacao"``.
    """
    chosen = _choose(unit_kind, size, referenced_families)
    if chosen is None:
        return None
    description, team, notes = chosen
    lines = (
        ("coordenacao", team.coordinator_label, 1),
        *((slot.key, slot.label, slot.required) for slot in team.slots),
    )
    return description, lines, notes


# ---------------------------------------------------------------- comparing


def _assign(
    slots: Sequence[Slot], pool: Sequence[TeamMember]
) -> tuple[list[list[TeamMember]], list[TeamMember]]:
    """Place people in slots, each person at most once; returns (people per slot, people not placed).

    Slots are filled from the one accepting fewest professions to the most generic; within a slot the people
    that fewer of the still-open slots could use go first, then the slot's order of preference. With the
    nested or barely overlapping slots of the NOB-RH tables this places as many people as possible (the
    tests compare it with an exhaustive search).
    """
    order = sorted(range(len(slots)), key=lambda index: len(slots[index].accepts))
    remaining = list(pool)
    placed: list[list[TeamMember]] = [[] for _ in slots]
    for position, index in enumerate(order):
        slot = slots[index]
        later = [slots[other] for other in order[position + 1 :]]

        def rank(member: TeamMember, slot: Slot = slot, later: list[Slot] = later) -> tuple[int, int]:
            flexibility = sum(1 for other in later if member.profession in other.accepts)
            return flexibility, slot.accepts.index(member.profession)

        candidates = sorted(
            (i for i, member in enumerate(remaining) if member.profession in slot.accepts),
            key=lambda i: rank(remaining[i]),
        )
        chosen = set(candidates[: slot.required])
        placed[index] = [remaining[i] for i in sorted(chosen)]
        remaining = [member for i, member in enumerate(remaining) if i not in chosen]
    return placed, remaining


def _bond_breakdown(members: Iterable[TeamMember]) -> str:
    counts = Counter(member.bond for member in members)
    parts = [_plural(counts[code], *_BOND_LABELS[code]) for code in _BOND_LABELS if counts[code]]
    return ", ".join(parts)


def compare_team(
    unit_kind: str,
    size: SizeClass,
    members: Iterable[TeamMember],
    referenced_families: int | None = None,
) -> TeamComparison | None:
    """Compare the unit's staff with its NOB-RH reference team; None for kinds without one.

    ``members`` are the unit's workers. See the module docstring for how people are placed.
    """
    chosen = _choose(unit_kind, size, referenced_families)
    if chosen is None:
        return None
    description, team, table_notes = chosen
    people = list(members)
    notes = list(table_notes)

    # Coordination: the best-qualified person marked as coordinator; the others count as technicians.
    marked = sorted(
        (member for member in people if member.is_coordinator),
        key=lambda member: (member.education != "superior", member.bond != "efetivo"),
    )
    coordinator = marked[0] if marked else None
    pool = [member for member in people if member is not coordinator]
    if coordinator is None:
        notes.append(
            "Ninguém está marcado(a) como coordenador(a) da unidade: a equipe de referência sempre tem "
            "coordenação. Se há, marque-o(a) no cadastro de trabalhadores."
        )
    else:
        problems: list[str] = []
        if team.coordinator_superior and coordinator.education != "superior":
            schooling = _EDUCATION_NAMES[coordinator.education]
            problems.append(f"de nível superior (a pessoa marcada tem escolaridade {schooling})")
        if team.coordinator_efetivo and coordinator.bond != "efetivo":
            bond = _BOND_LABELS[coordinator.bond][0]
            problems.append(f"concursada, efetiva (o vínculo registrado é {bond})")
        if problems:
            notes.append(f"A coordenação deve ser {' e '.join(problems)}.")
    if len(marked) > 1:
        notes.append(
            f"Há {len(marked)} pessoas marcadas como coordenação; a comparação conta uma como coordenação e "
            f"as demais como técnicos, pela profissão. Confira o cadastro."
        )

    placed, not_placed = _assign(team.slots, pool)

    requirements = [Requirement("coordenacao", team.coordinator_label, 1, 0 if coordinator is None else 1)]
    for slot, filled in zip(team.slots, placed, strict=True):
        requirements.append(Requirement(slot.key, slot.label, slot.required, len(filled)))
        if slot.preferred is not None:
            others = sum(1 for member in filled if member.profession != slot.preferred)
            if others:
                wanted = _PROFESSION_LABELS[slot.preferred].lower()
                where = (
                    "nesta vaga, que está preenchida"
                    if slot.required == 1
                    else f"nestas vagas; {others} estão preenchidas"
                )
                notes.append(
                    f"A NOB-RH/SUAS indica, preferencialmente, um(a) {wanted} {where} por outra profissão de "
                    f"nível superior."
                )

    team_members = [member for filled in placed for member in filled]
    if coordinator is not None:
        team_members.insert(0, coordinator)
    not_efetivo = [member for member in team_members if member.bond != "efetivo"]
    if not_efetivo:
        notes.append(
            f"{len(not_efetivo)} de {len(team_members)} "
            f"{'pessoa contada' if len(team_members) == 1 else 'pessoas contadas'} na equipe de referência "
            f"{'não é efetiva' if len(not_efetivo) == 1 else 'não são efetivas'} "
            f"({_bond_breakdown(not_efetivo)}): a NOB-RH/SUAS pede equipe de referência formada por "
            f"servidores efetivos."
        )

    unschooled = sum(
        1 for member in people if member.profession in HIGHER_LEVEL and member.education != "superior"
    )
    if unschooled:
        who = "trabalhador(a) tem" if unschooled == 1 else "trabalhadores têm"
        counted = "foi contado(a)" if unschooled == 1 else "foram contados"
        notes.append(
            f"{unschooled} {who} profissão de nível superior e escolaridade registrada abaixo de superior; "
            f"{counted} pela profissão. Confira o cadastro."
        )
    mid_level_short = any(
        requirement.missing
        for slot, requirement in zip(team.slots, requirements[1:], strict=True)
        if "nivel_medio" in slot.accepts
    )
    schooled = sum(
        1
        for member in not_placed
        if member.profession in FUNDAMENTAL_LEVEL and member.education != "fundamental"
    )
    if schooled and mid_level_short:
        who = (
            "trabalhador(a) com cargo de nível fundamental tem"
            if schooled == 1
            else ("trabalhadores com cargo de nível fundamental têm")
        )
        counted = "foi contado(a)" if schooled == 1 else "foram contados"
        notes.append(
            f"{schooled} {who} escolaridade média ou superior e não {counted} como técnico(a) de nível "
            f"médio: a comparação usa a profissão registrada. Se a função exercida é de nível médio, "
            f"corrija a profissão no cadastro."
        )
    if not_placed:
        who = "pessoa da unidade não ocupa" if len(not_placed) == 1 else "pessoas da unidade não ocupam"
        notes.append(
            f"{len(not_placed)} {who} vaga da equipe de referência (além do número previsto ou em cargo que "
            f"a tabela não inclui)."
        )

    return TeamComparison(
        unit_kind=unit_kind,
        size_class=size,
        reference_families=referenced_families,
        reference=description,
        requirements=tuple(requirements),
        notes=tuple(notes),
        source=NOB_RH_SOURCE,
    )
