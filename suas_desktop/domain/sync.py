"""Merging records that travel between installations: version vectors and the merge rule (pure).

Every syncable record has, beside its row, a *version vector* ("clock"): for each installation that
changed it, how many times (counted once per exchange, not per keystroke). Comparing two clocks tells
whether one version descends from the other (take the newer, nothing is lost) or whether both sides
changed it since they last agreed (a conflict for a person to resolve). This is the textbook
causality test; KeePassXC, CouchDB and Riak use the same idea under other names.

The rule, record by record (see docs/package-format.md §5):

* incoming older or equal -> nothing;
* incoming newer -> take it (update, delete, or bring back a deleted record);
* concurrent, same data -> no conflict: keep one deterministic version with both histories merged;
* concurrent edit vs deletion -> the edit wins when it is later than the deletion (KeePassXC rule),
  otherwise a conflict;
* concurrent edits with different data -> a conflict; the local version stays until someone chooses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

#: Installation id -> counter. Plain dicts so they serialize as JSON objects.
VersionVector = dict[str, int]

#: Columns every syncable table has; the rest is "data".
SYNC_COLUMNS = ("id", "created_at", "updated_at", "updated_by", "origin", "revision")
METADATA_COLUMNS = ("updated_at", "updated_by", "origin", "revision")


class Order(Enum):
    EQUAL = "equal"
    BEFORE = "before"  # a happened before b (b is newer)
    AFTER = "after"  # a is newer than b
    CONCURRENT = "concurrent"


def compare(a: Mapping[str, int], b: Mapping[str, int]) -> Order:
    a_more = any(count > b.get(key, 0) for key, count in a.items())
    b_more = any(count > a.get(key, 0) for key, count in b.items())
    if a_more and b_more:
        return Order.CONCURRENT
    if a_more:
        return Order.AFTER
    if b_more:
        return Order.BEFORE
    return Order.EQUAL


def merge(a: Mapping[str, int], b: Mapping[str, int]) -> VersionVector:
    out = dict(a)
    for key, count in b.items():
        out[key] = max(out.get(key, 0), count)
    return dict(sorted(out.items()))


def bump(clock: Mapping[str, int], who: str) -> VersionVector:
    out = dict(clock)
    out[who] = out.get(who, 0) + 1
    return dict(sorted(out.items()))


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (digests and signatures depend on it)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def row_digest(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(row))).hexdigest()


def data_equal(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Same values in every column except who created or changed it and when."""
    keys = (set(a) | set(b)) - {"created_at", *METADATA_COLUMNS}
    return all(a.get(k) == b.get(k) for k in keys)


@dataclass(frozen=True)
class Tombstone:
    deleted_at: str
    deleted_by: str
    origin: str
    revision: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "deleted_at": self.deleted_at,
            "deleted_by": self.deleted_by,
            "origin": self.origin,
            "revision": self.revision,
        }


@dataclass(frozen=True)
class Version:
    """One side's state of a record: a live row, or a tombstone."""

    clock: VersionVector
    row: dict[str, Any] | None = None
    tombstone: Tombstone | None = None

    def __post_init__(self) -> None:
        if (self.row is None) == (self.tombstone is None):
            raise ValueError("a version is either a row or a tombstone")

    @property
    def deleted(self) -> bool:
        return self.row is None

    @property
    def changed_at(self) -> str:
        return self.tombstone.deleted_at if self.tombstone else str(self.row["updated_at"])  # type: ignore[index]


class Action(Enum):
    NOTHING = "nothing"
    CREATE = "create"  # a record this side never had
    UPDATE = "update"  # replace the local row
    DELETE = "delete"  # delete the local row, keep the tombstone
    RESURRECT = "resurrect"  # a deleted record comes back with the incoming row
    CLOCK = "clock"  # same content: only the history (clock, tombstone details) is merged
    CONFLICT = "conflict"


class ConflictKind(Enum):
    EDIT = "edit"  # both sides edited
    INCOMING_DELETE = "incoming_delete"  # the package deletes what was edited here
    LOCAL_DELETE = "local_delete"  # the package edits what was deleted here
    DUPLICATE = "duplicate"  # two records with the same natural key (made independently)
    ORPHAN = "orphan"  # the incoming record points to a record missing here


@dataclass(frozen=True)
class Decision:
    action: Action
    #: The version to keep after the merge (None for NOTHING and CONFLICT).
    result: Version | None = None
    conflict: ConflictKind | None = None


def _tiebreak(a: Version, b: Version) -> Version:
    """Deterministic choice between two versions with equal data (both sides pick the same one).

    Rows: the latest change wins. Deletions: the EARLIEST deletion wins (as in KeePassXC).
    """
    if a.row is not None and b.row is not None:
        ka = (str(a.row["updated_at"]), str(a.row["origin"]), int(a.row["revision"]))
        kb = (str(b.row["updated_at"]), str(b.row["origin"]), int(b.row["revision"]))
        return a if ka >= kb else b
    ta, tb = a.tombstone, b.tombstone
    assert ta is not None
    assert tb is not None
    return a if (ta.deleted_at, ta.origin, ta.revision) <= (tb.deleted_at, tb.origin, tb.revision) else b


def decide(local: Version | None, incoming: Version) -> Decision:
    """What to do with ``incoming`` given what this side has (``None``: never seen)."""
    if local is None:
        if incoming.deleted:
            return Decision(Action.CLOCK, incoming)  # remember the deletion: blocks a later resurrection
        return Decision(Action.CREATE, incoming)
    order = compare(incoming.clock, local.clock)
    if order is Order.BEFORE:
        return Decision(Action.NOTHING)
    if order is Order.EQUAL:
        if _same_content(local, incoming):
            return Decision(Action.NOTHING)
        # Equal histories with different content cannot happen between honest copies; ask a person.
        return Decision(Action.CONFLICT, conflict=_conflict_kind(local, incoming))
    if order is Order.AFTER:
        return Decision(_replace_action(local, incoming), incoming)
    # Concurrent: both sides changed the record since they last agreed.
    clock = merge(local.clock, incoming.clock)
    if local.deleted and incoming.deleted:
        chosen = _tiebreak(local, incoming)
        return Decision(Action.CLOCK, Version(clock, tombstone=chosen.tombstone))
    if not local.deleted and not incoming.deleted:
        assert local.row is not None
        assert incoming.row is not None
        if not data_equal(local.row, incoming.row):
            return Decision(Action.CONFLICT, conflict=ConflictKind.EDIT)
        chosen = _tiebreak(local, incoming)
        action = Action.CLOCK if chosen is local else Action.UPDATE
        return Decision(action, Version(clock, row=chosen.row))
    if incoming.deleted:
        # Deleted there, edited here: a later edit survives the deletion.
        if local.changed_at > incoming.changed_at:
            return Decision(Action.CLOCK, Version(clock, row=local.row))
        return Decision(Action.CONFLICT, conflict=ConflictKind.INCOMING_DELETE)
    # Edited there, deleted here.
    if incoming.changed_at > local.changed_at:
        return Decision(Action.RESURRECT, Version(clock, row=incoming.row))
    return Decision(Action.CONFLICT, conflict=ConflictKind.LOCAL_DELETE)


def _same_content(a: Version, b: Version) -> bool:
    if a.deleted != b.deleted:
        return False
    if a.row is not None and b.row is not None:
        return row_digest(a.row) == row_digest(b.row)
    return a.tombstone == b.tombstone


def _conflict_kind(local: Version, incoming: Version) -> ConflictKind:
    if incoming.deleted and not local.deleted:
        return ConflictKind.INCOMING_DELETE
    if local.deleted and not incoming.deleted:
        return ConflictKind.LOCAL_DELETE
    return ConflictKind.EDIT


def _replace_action(local: Version, incoming: Version) -> Action:
    if incoming.deleted:
        return Action.CLOCK if local.deleted else Action.DELETE
    if local.deleted:
        return Action.RESURRECT
    assert local.row is not None
    assert incoming.row is not None
    return Action.CLOCK if row_digest(local.row) == row_digest(incoming.row) else Action.UPDATE
