"""The merge rule (domain/sync.py) as properties: clocks form a lattice, replicas converge, nothing is lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from suas_desktop.domain.sync import (
    Action,
    ConflictKind,
    Order,
    Tombstone,
    Version,
    bump,
    compare,
    decide,
    merge,
    row_digest,
)

MACHINES = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
            "33333333-3333-4333-8333-333333333333"]  # fmt: skip
clocks = st.dictionaries(st.sampled_from(MACHINES), st.integers(1, 5), max_size=3)


@given(clocks, clocks)
def test_compare_is_antisymmetric(a, b):
    flipped = {Order.BEFORE: Order.AFTER, Order.AFTER: Order.BEFORE}
    assert compare(b, a) == flipped.get(compare(a, b), compare(a, b))


@given(clocks, clocks, clocks)
def test_merge_is_a_join(a, b, c):
    assert merge(a, b) == merge(b, a)
    assert merge(merge(a, b), c) == merge(a, merge(b, c))
    assert merge(a, a) == dict(sorted(a.items()))
    assert compare(merge(a, b), a) in (Order.AFTER, Order.EQUAL)
    assert compare(bump(a, MACHINES[0]), a) is Order.AFTER


def _row(value: str, at: str, origin: str, revision: int = 1) -> dict:
    return {"id": "r", "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": at, "updated_by": "u",
            "origin": origin, "revision": revision, "value": value}  # fmt: skip


def test_rules_by_example():
    base = Version({MACHINES[0]: 1}, row=_row("a", "2026-01-01T00:00:00.000000Z", MACHINES[0]))
    newer = Version({MACHINES[0]: 2}, row=_row("b", "2026-01-02T00:00:00.000000Z", MACHINES[0], 2))
    other = Version(
        {MACHINES[0]: 1, MACHINES[1]: 1}, row=_row("c", "2026-01-03T00:00:00.000000Z", MACHINES[1], 2)
    )
    assert decide(None, base).action is Action.CREATE
    assert decide(base, base).action is Action.NOTHING
    assert decide(newer, base).action is Action.NOTHING
    assert decide(base, newer).action is Action.UPDATE
    conflict = decide(newer, other)
    assert (conflict.action, conflict.conflict) == (Action.CONFLICT, ConflictKind.EDIT)
    tomb_early = Version(
        {MACHINES[0]: 1, MACHINES[2]: 1},
        tombstone=Tombstone("2026-01-01T12:00:00.000000Z", "x", MACHINES[2], 2),
    )
    # the edit of the 2nd is later than the deletion of the 1st: the edit survives, in both orders
    assert decide(newer, tomb_early).action is Action.CLOCK
    assert decide(tomb_early, newer).action is Action.RESURRECT
    tomb_late = Version(
        {MACHINES[0]: 1, MACHINES[2]: 1},
        tombstone=Tombstone("2026-02-01T00:00:00.000000Z", "x", MACHINES[2], 2),
    )
    assert decide(newer, tomb_late).conflict is ConflictKind.INCOMING_DELETE
    assert decide(tomb_late, newer).conflict is ConflictKind.LOCAL_DELETE


ops = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, 2), st.sampled_from("xyz")),
        st.tuples(st.just("delete"), st.integers(0, 2)),
        st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.booleans()),
    ),
    max_size=25,
)


@settings(max_examples=400, deadline=None)
@given(ops)
def test_replicas_converge_and_no_edit_is_silently_lost(steps):
    """MERGE-1 on one record, three machines: after a final exchange everybody agrees.

    A conflict is resolved by a person (here: alternately keep local / keep incoming); every version
    that ever existed is either current somewhere, superseded by a descendant, or was shown as a conflict.
    """
    t = [0]

    def now() -> str:
        t[0] += 1
        return f"2026-01-01T00:{t[0] // 60:02d}:{t[0] % 60:02d}.000000Z"

    start = Version({MACHINES[0]: 1}, row=_row("a", now(), MACHINES[0]))
    replicas: list[Version | None] = [start, start, start]
    flip = [False]

    def exchange(src: int, dst: int) -> None:
        incoming, local = replicas[src], replicas[dst]
        if incoming is None:
            return
        decision = decide(local, incoming)
        if decision.action is Action.NOTHING:
            return
        if decision.action is Action.CONFLICT:
            assert local is not None
            flip[0] = not flip[0]
            chosen = local if flip[0] else incoming
            clock = bump(merge(local.clock, incoming.clock), MACHINES[dst])
            replicas[dst] = Version(clock, row=chosen.row, tombstone=chosen.tombstone)
            return
        replicas[dst] = decision.result

    for step in steps:
        if step[0] == "edit":
            i = step[1]
            current = replicas[i]
            revision = (current.row["revision"] if current and current.row else 1) + 1
            clock = bump(current.clock if current else {}, MACHINES[i])
            replicas[i] = Version(clock, row=_row(step[2], now(), MACHINES[i], revision))
        elif step[0] == "delete":
            i = step[1]
            current = replicas[i]
            if current is None or current.deleted:
                continue
            replicas[i] = Version(
                bump(current.clock, MACHINES[i]),
                tombstone=Tombstone(now(), "u", MACHINES[i], current.row["revision"] + 1),
            )
        else:
            exchange(step[1], step[2])
            if step[3]:
                exchange(step[2], step[1])
    for _ in range(3):
        for src in range(3):
            for dst in range(3):
                if src != dst:
                    exchange(src, dst)
    final = replicas[0]
    for other in replicas[1:]:
        assert other is not None and final is not None
        assert other.clock == final.clock
        assert other.deleted == final.deleted
        if not final.deleted:
            assert row_digest(other.row) == row_digest(final.row)
