"""NOB-RH/SUAS reference teams: table choice, slot filling without double counting, and the notes."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suas_desktop.domain.municipality import SizeClass
from suas_desktop.domain.reference_teams import (
    CRAS_TEAMS,
    CRAS_TIER_BY_SIZE,
    CREAS_CAPACITY_BY_SIZE,
    CREAS_TEAMS,
    HIGHER_LEVEL,
    NOB_RH_SOURCE,
    REFERENCE_TEAM_KINDS,
    Requirement,
    TeamComparison,
    TeamMember,
    compare_team,
    reference_team,
)
from suas_desktop.domain.registers import PROFESSIONS, UNIT_KINDS

S = SizeClass
_EDUCATION_OF = {"nivel_medio": "medio", "nivel_fundamental": "fundamental"}


def m(
    profession: str, *, bond: str = "efetivo", coord: bool = False, education: str | None = None
) -> TeamMember:
    """A team member; education follows the profession unless given."""
    return TeamMember(
        profession=profession,
        education=education or _EDUCATION_OF.get(profession, "superior"),
        bond=bond,
        is_coordinator=coord,
        weekly_hours=40,
    )


def coord(
    education: str = "superior", bond: str = "efetivo", profession: str = "assistente_social"
) -> TeamMember:
    return m(profession, bond=bond, coord=True, education=education)


def team(*professions: str, coordinator: bool = True) -> list[TeamMember]:
    return ([coord()] if coordinator else []) + [m(p) for p in professions]


def counted(result: TeamComparison) -> dict[str, int]:
    return {r.key: r.counted for r in result.requirements}


def required(result: TeamComparison) -> dict[str, int]:
    return {r.key: r.required for r in result.requirements}


def has_note(result: TeamComparison, fragment: str) -> bool:
    return any(fragment in note for note in result.notes)


AS, PSI, PED, ADV, OUT, MED, FUN = (
    "assistente_social",
    "psicologo",
    "pedagogo",
    "advogado",
    "outra_superior",
    "nivel_medio",
    "nivel_fundamental",
)


# ---------------------------------------------------------------- CRAS by porte

CRAS_CASES = [
    # (id, porte, workers (besides an efetivo higher-level coordinator), expected counted, complete)
    (
        "PP I complete",
        S.SMALL_I,
        (AS, PSI, MED, MED),
        {"coordenacao": 1, AS: 1, PSI: 1, MED: 2},
        True,
    ),
    (
        "PP I without mid-level",
        S.SMALL_I,
        (AS, PSI),
        {"coordenacao": 1, AS: 1, PSI: 1, MED: 0},
        False,
    ),
    (
        "PP I only psychologists",
        S.SMALL_I,
        (PSI, PSI, MED, MED),
        {"coordenacao": 1, AS: 0, PSI: 1, MED: 2},
        False,
    ),
    (
        "PP II complete",
        S.SMALL_II,
        (AS, AS, PSI, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 1, MED: 3},
        True,
    ),
    (
        "PP II one social worker short",
        S.SMALL_II,
        (AS, PSI, PSI, MED, MED, MED),
        {"coordenacao": 1, AS: 1, PSI: 1, MED: 3},
        False,
    ),
    (
        "PP II pedagogo does not replace the psychologist",
        S.SMALL_II,
        (AS, AS, PED, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 0, MED: 3},
        False,
    ),
    (
        "Médio complete with a pedagogo",
        S.MEDIUM,
        (AS, AS, PSI, PED, MED, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 1, OUT: 1, MED: 4},
        True,
    ),
    (
        "Médio third social worker fills the other higher-level slot",
        S.MEDIUM,
        (AS, AS, AS, PSI, MED, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 1, OUT: 1, MED: 4},
        True,
    ),
    (
        "Médio without psychologist",
        S.MEDIUM,
        (AS, AS, OUT, ADV, MED, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 0, OUT: 1, MED: 4},
        False,
    ),
    (
        "Grande uses the 5.000 table",
        S.LARGE,
        (AS, AS, PSI, MED, MED, MED, MED),
        {"coordenacao": 1, AS: 2, PSI: 1, OUT: 0, MED: 4},
        False,
    ),
]


@pytest.mark.parametrize(
    ("size", "workers", "expected", "complete"),
    [case[1:] for case in CRAS_CASES],
    ids=[case[0] for case in CRAS_CASES],
)
def test_cras_by_porte(
    size: SizeClass, workers: tuple[str, ...], expected: dict[str, int], complete: bool
) -> None:
    members = team(*workers)
    random.Random(7).shuffle(members)  # order of the staff list must not matter
    result = compare_team("cras", size, members)
    assert result is not None
    assert counted(result) == expected
    assert result.complete is complete
    assert result.missing_total == sum(r.required - r.counted for r in result.requirements)
    assert (result.missing_total == 0) is complete
    assert result.source == NOB_RH_SOURCE
    assert result.size_class is size
    assert result.reference.startswith(f"CRAS em município de {size.value}")
    assert has_note(result, "Famílias referenciadas não informadas")


@pytest.mark.parametrize(
    ("size", "expected_required", "fragment"),
    [
        (S.SMALL_I, {"coordenacao": 1, AS: 1, PSI: 1, MED: 2}, "até 2.500 famílias"),
        (S.SMALL_II, {"coordenacao": 1, AS: 2, PSI: 1, MED: 3}, "até 3.500 famílias"),
        (S.MEDIUM, {"coordenacao": 1, AS: 2, PSI: 1, OUT: 1, MED: 4}, "a cada 5.000 famílias"),
        (S.LARGE, {"coordenacao": 1, AS: 2, PSI: 1, OUT: 1, MED: 4}, "a cada 5.000 famílias"),
        (S.METROPOLIS, {"coordenacao": 1, AS: 2, PSI: 1, OUT: 1, MED: 4}, "a cada 5.000 famílias"),
    ],
)
def test_reference_team_for_cras_by_porte(
    size: SizeClass, expected_required: dict[str, int], fragment: str
) -> None:
    found = reference_team("cras", size)
    assert found is not None
    description, lines, notes = found
    assert {key: n for key, _, n in lines} == expected_required
    assert lines[0][0] == "coordenacao"
    assert fragment in description
    assert "mais coordenação" in description
    assert all(label and label[0].isupper() for _, label, _ in lines)
    assert notes  # says the porte was used because the families are unknown


def test_pp_i_description_matches_the_brief_wording() -> None:
    found = reference_team("cras", S.SMALL_I)
    assert found is not None
    assert found[0] == (
        "CRAS em município de Pequeno Porte I (até 2.500 famílias referenciadas): 2 técnicos de nível "
        "superior (1 assistente social e, preferencialmente, 1 psicólogo) e 2 de nível médio, mais coordenação"
    )


# ---------------------------------------------------------------- CRAS by referenced families


@pytest.mark.parametrize(
    ("size", "families", "higher", "mid", "note_fragment"),
    [
        (S.SMALL_I, 1, 2, 2, None),
        (S.SMALL_I, 2_500, 2, 2, None),
        (S.SMALL_I, 2_501, 3, 3, "acima das 2.500 previstas para um CRAS de município de Pequeno Porte I"),
        (S.SMALL_I, 4_000, 4, 4, "acima das 2.500 previstas"),
        (S.SMALL_II, 3_500, 3, 3, None),
        (S.SMALL_II, 3_501, 4, 4, "acima das 3.500 previstas para um CRAS de município de Pequeno Porte II"),
        (S.SMALL_II, 2_000, 2, 2, "Pelo porte do município (Pequeno Porte II)"),
        (S.MEDIUM, 2_000, 2, 2, "Pelo porte do município (Médio Porte)"),
        (S.MEDIUM, 5_000, 4, 4, None),
        (S.MEDIUM, 5_001, 4, 4, "mais que 5.000"),
        (S.SMALL_I, 12_000, 4, 4, "mais que 5.000"),
    ],
)
def test_cras_table_follows_referenced_families(
    size: SizeClass, families: int, higher: int, mid: int, note_fragment: str | None
) -> None:
    found = reference_team("cras", size, families)
    assert found is not None
    description, lines, notes = found
    by_key = {key: n for key, _, n in lines}
    assert sum(n for key, n in by_key.items() if key not in ("coordenacao", MED)) == higher
    assert by_key[MED] == mid
    assert f"CRAS com {families:,}".replace(",", ".") in description
    if note_fragment is None:
        assert notes == ()
    else:
        assert len(notes) == 1
        assert note_fragment in notes[0]


def test_families_above_capacity_note_recommends_another_cras_or_larger_team() -> None:
    result = compare_team("cras", S.SMALL_I, team(AS, PSI, MED, MED), referenced_families=3_000)
    assert result is not None
    assert result.reference_families == 3_000
    assert not result.complete  # the PP II team applies: 2 social workers, 3 mid-level
    assert counted(result) == {"coordenacao": 1, AS: 1, PSI: 1, MED: 2}
    assert result.missing_total == 2
    note = next(n for n in result.notes if "3.000 famílias" in n)
    assert "2.500" in note
    assert "outro CRAS" in note
    assert "ampliar a equipe" in note


def test_families_above_the_largest_table_say_the_team_falls_short() -> None:
    members = team(AS, AS, PSI, PED, MED, MED, MED, MED)
    result = compare_team("cras", S.MEDIUM, members, referenced_families=9_000)
    assert result is not None
    assert result.complete  # measured against the 5.000 team …
    assert has_note(result, "abaixo do necessário")  # … which the note says is not enough


def test_zero_families_means_not_informed() -> None:
    assert reference_team("cras", S.SMALL_II, 0) == reference_team("cras", S.SMALL_II, None)


def test_negative_families_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        reference_team("cras", S.SMALL_I, -1)


# ---------------------------------------------------------------- coordination


def test_coordinator_missing() -> None:
    result = compare_team("cras", S.SMALL_I, team(AS, PSI, MED, MED, coordinator=False))
    assert result is not None
    coordination = result.requirements[0]
    assert (coordination.key, coordination.counted, coordination.missing) == ("coordenacao", 0, 1)
    assert not result.complete
    assert result.missing_total == 1
    assert has_note(result, "Ninguém está marcado(a) como coordenador(a)")


@pytest.mark.parametrize(
    ("coordinator", "fragments", "absent"),
    [
        (coord(education="medio", profession=MED), ["de nível superior", "escolaridade média"], ["efetiva"]),
        (coord(bond="comissionado"), ["concursada, efetiva", "comissionado(a)"], ["de nível superior"]),
        (coord(education="medio", bond="contratado", profession=MED), ["de nível superior", "efetiva"], []),
    ],
    ids=["not higher level", "not efetivo", "neither"],
)
def test_coordinator_requirements_are_notes_not_gaps(
    coordinator: TeamMember, fragments: list[str], absent: list[str]
) -> None:
    result = compare_team("cras", S.SMALL_I, [coordinator, m(AS), m(PSI), m(MED), m(MED)])
    assert result is not None
    assert counted(result)["coordenacao"] == 1
    assert result.complete  # the unit has coordination; the qualification problem is a note
    note = next(n for n in result.notes if n.startswith("A coordenação deve ser"))
    for fragment in fragments:
        assert fragment in note
    for fragment in absent:
        assert fragment not in note


def test_qualified_coordinator_gets_no_coordination_note() -> None:
    result = compare_team("cras", S.SMALL_I, team(AS, PSI, MED, MED))
    assert result is not None
    assert not any(n.startswith("A coordenação deve ser") for n in result.notes)
    assert not has_note(result, "coordenador(a)")


def test_best_of_several_coordinators_is_chosen_and_the_rest_count_as_technicians() -> None:
    members = [coord(education="medio", profession=MED), coord(profession=PSI), m(AS), m(MED)]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    assert counted(result) == {"coordenacao": 1, AS: 1, PSI: 0, MED: 2}
    assert has_note(result, "Há 2 pessoas marcadas como coordenação")
    assert not any(n.startswith("A coordenação deve ser") for n in result.notes)


# ---------------------------------------------------------------- no double counting


@pytest.mark.parametrize(
    ("size", "workers", "expected"),
    [
        # One psychologist fills the psychologist slot only, never also the social-worker or generic slot.
        (S.SMALL_I, (PSI,), {AS: 0, PSI: 1, MED: 0}),
        (S.SMALL_II, (PSI,), {AS: 0, PSI: 1, MED: 0}),
        (S.MEDIUM, (PSI,), {AS: 0, PSI: 1, OUT: 0, MED: 0}),
        # The specific slot is filled before the generic one, whatever the order in the list.
        (S.MEDIUM, (PSI, PED), {AS: 0, PSI: 1, OUT: 1, MED: 0}),
        (S.MEDIUM, (AS, AS, AS), {AS: 2, PSI: 0, OUT: 1, MED: 0}),
        # Extra higher-level people never turn into mid-level technicians.
        (S.SMALL_I, (AS, AS, AS, PSI), {AS: 1, PSI: 1, MED: 0}),
    ],
)
def test_no_double_counting(size: SizeClass, workers: tuple[str, ...], expected: dict[str, int]) -> None:
    for ordering in (workers, tuple(reversed(workers))):
        result = compare_team("cras", size, team(*ordering))
        assert result is not None
        got = counted(result)
        assert got.pop("coordenacao") == 1
        assert got == expected
        assert sum(got.values()) <= len(workers)


def test_coordinator_is_not_also_a_technician() -> None:
    # The only psychologist is the coordinator: the psychologist slot stays empty.
    result = compare_team("cras", S.SMALL_I, [coord(profession=PSI), m(AS), m(MED), m(MED)])
    assert result is not None
    assert counted(result) == {"coordenacao": 1, AS: 1, PSI: 0, MED: 2}


# ---------------------------------------------------------------- preference, education, bonds


def test_pp_i_second_slot_prefers_a_psychologist() -> None:
    with_psychologist = compare_team("cras", S.SMALL_I, team(AS, PSI, MED, MED))
    with_pedagogo = compare_team("cras", S.SMALL_I, team(AS, PED, MED, MED))
    assert with_psychologist is not None
    assert with_pedagogo is not None
    assert with_psychologist.complete
    assert with_pedagogo.complete  # "preferencialmente": another higher-level profession is accepted …
    assert has_note(with_pedagogo, "preferencialmente, um(a) psicólogo(a)")  # … with a note
    assert not has_note(with_psychologist, "preferencialmente")


def test_pp_i_psychologist_goes_to_the_psychologist_slot_even_if_listed_after_a_pedagogo() -> None:
    result = compare_team("cras", S.SMALL_I, team(PED, AS, PSI, MED, MED))
    assert result is not None
    assert not has_note(result, "preferencialmente")
    assert has_note(result, "1 pessoa da unidade não ocupa vaga")


@pytest.mark.parametrize(
    ("bonds", "fragment"),
    [
        (("efetivo",) * 5, None),
        (("efetivo", "contratado", "efetivo", "efetivo", "efetivo"), "1 de 5 pessoas contadas"),
        (
            ("comissionado", "contratado", "contratado", "cedido", "efetivo"),
            "4 de 5 pessoas contadas na equipe de referência não são efetivas (1 comissionado(a), "
            "2 contratados(as), 1 cedido(a))",
        ),
    ],
)
def test_non_efetivo_note(bonds: tuple[str, ...], fragment: str | None) -> None:
    professions = (AS, AS, PSI, MED, MED)  # first AS is the coordinator
    members = [m(p, bond=b, coord=i == 0) for i, (p, b) in enumerate(zip(professions, bonds, strict=True))]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    notes = [n for n in result.notes if "efetiv" in n and "pessoa" in n]
    if fragment is None:
        assert notes == []
    else:
        assert len(notes) == 1
        assert fragment in notes[0]
        assert "servidores efetivos" in notes[0]


def test_people_outside_the_team_do_not_count_for_the_efetivo_note() -> None:
    members = [*team(AS, PSI, MED, MED), m(FUN, bond="contratado")]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    assert not has_note(result, "não são efetivas")
    assert not has_note(result, "não é efetiva")


def test_fundamental_post_with_secondary_education_is_not_mid_level_but_is_pointed_out() -> None:
    members = [*team(AS, PSI, MED), m(FUN, education="medio")]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    assert counted(result)[MED] == 1
    assert has_note(result, "cargo de nível fundamental tem escolaridade média ou superior")


def test_fundamental_note_only_when_mid_level_is_short() -> None:
    members = [*team(AS, PSI, MED, MED), m(FUN, education="medio")]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    assert result.complete
    assert not has_note(result, "cargo de nível fundamental")


def test_higher_level_profession_with_lower_education_counts_with_a_note() -> None:
    members = [coord(), m(AS, education="medio"), m(PSI), m(MED), m(MED)]
    result = compare_team("cras", S.SMALL_I, members)
    assert result is not None
    assert result.complete
    assert has_note(
        result, "1 trabalhador(a) tem profissão de nível superior e escolaridade registrada abaixo"
    )


# ---------------------------------------------------------------- CREAS


@pytest.mark.parametrize(
    ("kind", "size", "expected_required"),
    [
        (
            "creas",
            S.SMALL_I,
            {"coordenacao": 1, AS: 1, PSI: 1, ADV: 1, "abordagem": 2, "auxiliar_administrativo": 1},
        ),
        (
            "creas",
            S.MEDIUM,
            {"coordenacao": 1, AS: 1, PSI: 1, ADV: 1, "abordagem": 2, "auxiliar_administrativo": 1},
        ),
        (
            "creas",
            S.LARGE,
            {"coordenacao": 1, AS: 2, PSI: 2, ADV: 1, "abordagem": 4, "auxiliar_administrativo": 2},
        ),
        (
            "creas_regional",
            S.SMALL_I,
            {"coordenacao": 1, AS: 2, PSI: 2, ADV: 1, "abordagem": 4, "auxiliar_administrativo": 2},
        ),
    ],
)
def test_creas_reference_team(kind: str, size: SizeClass, expected_required: dict[str, int]) -> None:
    found = reference_team(kind, size)
    assert found is not None
    description, lines, notes = found
    assert {key: n for key, _, n in lines} == expected_required
    assert description.startswith("CREAS")
    assert any("[G]" in note for note in notes)
    # CREAS is not sized by referenced families.
    assert reference_team(kind, size, 4_000) == found


@pytest.mark.parametrize(
    ("workers", "expected", "complete"),
    [
        (
            (AS, PSI, ADV, MED, MED, FUN),
            {"coordenacao": 1, AS: 1, PSI: 1, ADV: 1, "abordagem": 2, "auxiliar_administrativo": 1},
            True,
        ),
        # The fundamental-level person takes the administrative slot, leaving both mid-level people for
        # abordagem, whatever the order.
        (
            (FUN, MED, MED, AS, PSI, ADV),
            {"coordenacao": 1, AS: 1, PSI: 1, ADV: 1, "abordagem": 2, "auxiliar_administrativo": 1},
            True,
        ),
        # Extra social worker and psychologist do the abordagem; no lawyer.
        (
            (AS, AS, PSI, PSI, MED),
            {"coordenacao": 1, AS: 1, PSI: 1, ADV: 0, "abordagem": 2, "auxiliar_administrativo": 1},
            False,
        ),
        # A lawyer never fills two slots.
        (
            (ADV,),
            {"coordenacao": 1, AS: 0, PSI: 0, ADV: 1, "abordagem": 0, "auxiliar_administrativo": 0},
            False,
        ),
    ],
)
def test_creas_comparison(workers: tuple[str, ...], expected: dict[str, int], complete: bool) -> None:
    result = compare_team("creas", S.SMALL_I, team(*workers))
    assert result is not None
    assert counted(result) == expected
    assert result.complete is complete
    assert has_note(result, "[G]")
    assert has_note(result, "nível de gestão")


def test_creas_coordinator_level_is_not_judged() -> None:
    # domain.md gives no level for the CREAS coordinator, so nothing is claimed about it.
    members = [coord(education="medio", profession=MED), m(AS), m(PSI), m(ADV), m(MED), m(MED), m(FUN)]
    result = compare_team("creas", S.SMALL_I, members)
    assert result is not None
    assert result.complete
    assert not any(n.startswith("A coordenação deve ser") for n in result.notes)


# ---------------------------------------------------------------- kinds without a reference team


@pytest.mark.parametrize("kind", sorted(code for code, _ in UNIT_KINDS if code not in REFERENCE_TEAM_KINDS))
def test_kinds_without_reference_team(kind: str) -> None:
    assert reference_team(kind, S.SMALL_I) is None
    assert reference_team(kind, S.SMALL_I, 1_000) is None
    assert compare_team(kind, S.SMALL_I, team(AS, PSI)) is None


def test_reference_kinds_exist_in_the_register() -> None:
    assert REFERENCE_TEAM_KINDS.issubset(code for code, _ in UNIT_KINDS)


@pytest.mark.parametrize("kind", ["CRAS", "", "abrigo"])
def test_unknown_kind_is_an_error(kind: str) -> None:
    with pytest.raises(ValueError, match="unit kind"):
        reference_team(kind, S.SMALL_I)
    with pytest.raises(ValueError, match="unit kind"):
        compare_team(kind, S.SMALL_I, [])


@pytest.mark.parametrize(
    "field",
    [{"profession": "medico"}, {"education": "pos"}, {"bond": "estagiario"}],
)
def test_team_member_rejects_unknown_codes(field: dict[str, str]) -> None:
    values = {"profession": AS, "education": "superior", "bond": "efetivo", "is_coordinator": False}
    with pytest.raises(ValueError, match=next(iter(field))):
        TeamMember(**{**values, **field}, weekly_hours=None)


# ---------------------------------------------------------------- small types


@pytest.mark.parametrize(("req", "got", "missing"), [(2, 0, 2), (2, 1, 1), (2, 2, 0), (1, 3, 0)])
def test_requirement_missing(req: int, got: int, missing: int) -> None:
    assert Requirement("x", "X", req, got).missing == missing


# ---------------------------------------------------------------- data consistency


def test_tables_cover_every_porte() -> None:
    assert set(CRAS_TIER_BY_SIZE) == set(SizeClass)
    assert set(CREAS_CAPACITY_BY_SIZE) == set(SizeClass)
    assert set(CREAS_CAPACITY_BY_SIZE.values()) <= set(CREAS_TEAMS)
    limits = [limit for limit, _, _ in CRAS_TEAMS]
    assert limits == sorted(limits)


@pytest.mark.parametrize(("limit", "scope", "spec"), CRAS_TEAMS, ids=[scope for _, scope, _ in CRAS_TEAMS])
def test_cras_description_agrees_with_the_slots(limit: int, scope: str, spec) -> None:
    """The pt-BR sentence and the numbers are both data: a correction to one must reach the other."""
    higher = sum(slot.required for slot in spec.slots if set(slot.accepts) <= set(HIGHER_LEVEL))
    mid = sum(slot.required for slot in spec.slots if slot.key == MED)
    match = re.match(r"(\d+) técnicos de nível superior \((.*)\) e (\d+) de nível médio", spec.composition)
    assert match is not None
    assert int(match.group(1)) == higher
    assert int(match.group(3)) == mid
    inner = match.group(2)
    as_slot = next(slot for slot in spec.slots if slot.key == AS)
    assert re.search(rf"\b{as_slot.required} assistentes? socia(l|is)\b", inner)
    assert f"{limit:,}".replace(",", ".") in scope


def test_profession_codes_are_those_of_the_register() -> None:
    codes = {code for code, _ in PROFESSIONS}
    for _, _, spec in CRAS_TEAMS:
        for slot in spec.slots:
            assert set(slot.accepts) <= codes
    for spec in CREAS_TEAMS.values():
        for slot in spec.slots:
            assert set(slot.accepts) <= codes


# ---------------------------------------------------------------- filling is optimal and order-free


def _max_placed(slots, professions: list[str]) -> int:
    """Maximum bipartite matching (people × slot positions), by augmenting paths — independent reference."""
    positions = [slot for slot in slots for _ in range(slot.required)]
    owner: list[int | None] = [None] * len(positions)

    def augment(person: int, seen: set[int]) -> bool:
        for index, slot in enumerate(positions):
            if professions[person] in slot.accepts and index not in seen:
                seen.add(index)
                if owner[index] is None or augment(owner[index], seen):
                    owner[index] = person
                    return True
        return False

    return sum(augment(person, set()) for person in range(len(professions)))


_ALL_CASES = [("cras", size) for size in (S.SMALL_I, S.SMALL_II, S.MEDIUM)] + [
    ("creas", S.SMALL_I),
    ("creas", S.LARGE),
]


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(_ALL_CASES),
    professions=st.lists(st.sampled_from([code for code, _ in PROFESSIONS]), max_size=12),
    seed=st.integers(0, 1_000),
)
def test_filling_places_as_many_people_as_possible(case, professions: list[str], seed: int) -> None:
    kind, size = case
    members = team(*professions)
    result = compare_team(kind, size, members)
    assert result is not None
    spec = (
        CRAS_TEAMS[CRAS_TIER_BY_SIZE[size]][2]
        if kind == "cras"
        else CREAS_TEAMS[CREAS_CAPACITY_BY_SIZE[size]]
    )
    technicians = sum(r.counted for r in result.requirements if r.key != "coordenacao")
    assert technicians == _max_placed(spec.slots, professions)
    assert all(0 <= r.counted <= r.required for r in result.requirements)
    shuffled = list(members)
    random.Random(seed).shuffle(shuffled)
    again = compare_team(kind, size, shuffled)
    assert again is not None
    assert counted(again) == counted(result)
