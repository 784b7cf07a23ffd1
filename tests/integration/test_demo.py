"""``suas-desktop demo``: a fictional municipality in an empty folder, refused elsewhere, reproducible."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from suas_desktop.domain.cycle import Status
from suas_desktop.domain.register_fields import FieldKind
from suas_desktop.domain.registers import ALL_REGISTERS, REGISTERS
from suas_desktop.errors import Cancelled, UserError
from suas_desktop.paths import DataLayout
from suas_desktop.services.check_service import run_check
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.demo import (
    DEMO_ACTOR,
    DEMO_TODAY,
    DemoSize,
    build_demo,
    folder_has_data,
)
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.settings_repository import SettingsRepository

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "suas_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def open_folder(folder: Path):
    return open_workspace(DataLayout(folder), file_logging=False)


def content(ws) -> dict:
    """Everything the demo wrote, without ids: references become the referenced record's title."""
    registers = RegisterService(ws)
    out: dict = {}
    for spec in ALL_REGISTERS:
        refs = registers.ref_labels(spec)
        rows = []
        for record in registers.list(spec.name):
            values = dict(record.values)
            for f in spec.fields:
                if f.kind is FieldKind.REF and values[f.name]:
                    values[f.name] = refs[f.name][values[f.name]]
            rows.append(tuple(sorted((k, str(v)) for k, v in values.items())))
        out[spec.name] = sorted(rows)
    checklists = ChecklistService(ws, load_catalog())
    for cycle in checklists.cycles():
        items = []
        for state in checklists.item_states(cycle.id, today=DEMO_TODAY):
            item = state.item
            files = sorted((a.file_name, a.sha256) for a in checklists.attachments(item.id))
            items.append(
                (item.item_key, item.status.value, item.status_reason, item.responsible, item.notes, files)
            )
        out[cycle.title] = (sorted(str(e.date) for e in checklists.events(cycle.id).values()), items)
    out["profile"] = MunicipalityService(ws).profile()
    out["holidays"] = [
        (day, name, recurring) for _, day, name, recurring in MunicipalityService(ws).holidays()
    ]
    return out


def db_fingerprint(folder: Path) -> tuple:
    with open_folder(folder) as ws:
        audit = ws.db.scalar("SELECT max(seq) FROM audit_log")
        counts = tuple(ws.db.scalar(f"SELECT count(*) FROM {spec.name}") for spec in ALL_REGISTERS)
        cycles = ws.db.scalar("SELECT count(*) FROM cycle")
        stored = sorted(p.name for p in ws.attachments.iter_stored())
    return audit, counts, cycles, stored


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "dados"
    result = run("demo", "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Vereda Grande (DEMONSTRAÇÃO)" in result.stdout
    assert "DEMONSTRAÇÃO" in result.stdout.splitlines()[-1]
    assert "Anexos: " in result.stdout
    return folder


def test_demo_then_check_exits_0(demo_folder):
    result = run("check", "--data-dir", str(demo_folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nenhum problema encontrado" in result.stdout


def test_demo_again_is_refused_and_changes_nothing(demo_folder):
    before = db_fingerprint(demo_folder)
    result = run("demo", "--data-dir", str(demo_folder), "--seed", "7")
    assert result.returncode == 1
    assert "A pasta de dados já tem dados" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert db_fingerprint(demo_folder) == before


def test_every_register_is_filled(demo_folder):
    with open_folder(demo_folder) as ws:
        registers = RegisterService(ws)
        empty = [spec.name for spec in ALL_REGISTERS if registers.count(spec.name) == 0]
        assert empty == []
        assert len(REGISTERS) == 18
        kinds = Counter(u["kind"] for u in registers.list("units"))
        assert kinds["cras"] == 1
        assert kinds["creas"] == 1
        # The council is paritary: as many government seats as civil-society ones, and one president.
        members = registers.list("council_members")
        titular = [m for m in members if m["seat"] == "titular"]
        government = sum(1 for m in titular if m["segment"] == "governo")
        assert government * 2 == len(titular)
        assert sum(1 for m in members if m["is_president"]) == 1
        # Unmet demand keeps codes, and some cases wait more than 90 days.
        cases = registers.list("unmet_demand")
        assert all(c["case_code"].split("-")[0] in {"PAEFI", "MSE", "ACO", "FAC", "ABS"} for c in cases)
        assert any(
            c["status"] == "aguardando" and (DEMO_TODAY - date.fromisoformat(c["received_on"])).days > 90
            for c in cases
        )
        # Some accounts are not reconciled; the system accesses carry no password field at all.
        assert any(not a["reconciled"] for a in registers.list("accounts"))
        assert not any("senha" in f.name or "password" in f.name for f in REGISTERS["system_access"].fields)
        # NOB-RH comparison shows missing members.
        assert any(team.comparison.missing_total > 0 for team in registers.team_comparisons())


def test_profile_warnings_and_demo_mark(demo_folder):
    with open_folder(demo_folder) as ws:
        assert SettingsRepository(ws.db).get("demo") == "1"
        municipalities = MunicipalityService(ws)
        profile = municipalities.profile()
        assert profile.uf == "MG"
        assert profile.ibge_code.startswith("31999")
        assert profile.size_class.value == "Pequeno Porte I"
        assert municipalities.coat_of_arms_path() is not None
        warnings = " ".join(municipalities.warnings(DEMO_TODAY))
        assert "apenas um CNPJ" in warnings
        assert "presidente do CMAS" in warnings
        assert [name for _, _, name, _ in municipalities.holidays()] == ["Aniversário de Vereda Grande"]


def test_two_cycles_with_mixed_statuses_and_verified_evidence(demo_folder):
    with open_folder(demo_folder) as ws:
        checklists = ChecklistService(ws, load_catalog())
        cycles = {c.title: c for c in checklists.cycles()}
        assert set(cycles) == {"Encerramento 2026", "Transição 2028→2029"}

        closing = checklists.item_states(cycles["Encerramento 2026"].id, today=DEMO_TODAY)
        statuses = Counter(s.item.status for s in closing)
        assert set(statuses) == set(Status)
        assert 0.35 <= statuses[Status.DONE] / len(closing) <= 0.65
        for state in closing:
            if state.item.status in (Status.NOT_APPLICABLE, Status.BLOCKED):
                assert len(state.item.status_reason) >= 10
            if state.item.status is Status.DONE:
                assert state.item.responsible
                assert checklists.attachments(state.item.id), state.item.item_key
        events = checklists.events(cycles["Encerramento 2026"].id)
        assert "PUBLICACAO_PORTARIA" in {e.value for e in events}

        transition = checklists.item_states(cycles["Transição 2028→2029"].id, today=DEMO_TODAY)
        first = [s.item.status for s in transition[:4]]
        assert first == [Status.IN_PROGRESS] * 4
        assert {s.item.status for s in transition[4:]} == {Status.PENDING}

        rows = ws.db.all("SELECT file_name, media_type, size, sha256, updated_by FROM attachments")
        assert len(rows) >= 50
        assert len({r["sha256"] for r in rows}) == len(rows)  # every file is different
        assert {r["media_type"] for r in rows} == {"application/pdf", "image/png"}
        assert {r["updated_by"] for r in rows} == {DEMO_ACTOR}
        for row in rows[:5]:
            path = ws.attachments.path_for(row["sha256"])
            assert path.stat().st_size == row["size"]
            head = path.read_bytes()[:8]
            assert head.startswith(b"%PDF-1.4" if row["media_type"] == "application/pdf" else b"\x89PNG")
        report = run_check(ws)
        assert report.ok, report.problems
        # The temporary folder used to stage the files is gone.
        assert not [p for p in demo_folder.iterdir() if p.name.startswith(".demonstracao-")]


def test_same_seed_same_content_other_seed_other_content(tmp_path):
    snapshots = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        with open_folder(tmp_path / name) as ws:
            summary = build_demo(ws, size=DemoSize.SMALL, seed=seed)
            snapshots.append((summary, content(ws)))
    (sa, a), (sb, b), (_, c) = snapshots
    assert sa == sb
    assert a == b
    assert a["staff"] != c["staff"]


def test_progress_is_reported_and_cancelling_leaves_the_folder_empty(tmp_path):
    calls = []

    def record(done: int, total: int, label: str) -> None:
        calls.append((done, total, label))

    with open_folder(tmp_path / "ok") as ws:
        build_demo(ws, progress=record)
    assert calls[-1][0] == calls[-1][1]
    assert calls[-2][0] == calls[-2][1] - 1  # the last evidence file, just before "pronta"
    assert all(0 <= done <= total for done, total, _ in calls)
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)
    assert any("trabalhadores" in label for _, _, label in calls)

    evidence_ticks = []

    def cancel_midway(done: int, total: int, label: str) -> None:
        if "evidências" in label:
            evidence_ticks.append(done)
            if len(evidence_ticks) == 5:
                raise Cancelled()

    folder = tmp_path / "cancelled"
    with open_folder(folder) as ws:
        with pytest.raises(Cancelled):
            build_demo(ws, progress=cancel_midway)
        assert not folder_has_data(ws)
        assert ws.db.scalar("SELECT count(*) FROM attachments") == 0
        assert list(ws.attachments.iter_stored()) == []
        assert SettingsRepository(ws.db).get("demo") is None
        assert run_check(ws).ok
        assert not [p for p in folder.iterdir() if p.name.startswith(".demonstracao-")]
        # …and the folder can still receive the demonstration afterwards.
        build_demo(ws)
        assert folder_has_data(ws)


def test_folder_with_any_data_is_refused(tmp_path):
    with open_folder(tmp_path / "registro") as ws:
        assert not folder_has_data(ws)
        RegisterService(ws).create(
            actor="admin", name="legislation", values={"kind": "lei_fmas", "number": "1/2000"}
        )
        assert folder_has_data(ws)
        with pytest.raises(UserError, match="só pode ser criada numa pasta vazia"):
            build_demo(ws)
        assert RegisterService(ws).count("staff") == 0

    with open_folder(tmp_path / "anexo") as ws:
        stray = tmp_path / "qualquer.txt"
        stray.write_text("arquivo solto")
        ws.attachments.put(stray)
        assert folder_has_data(ws)
        with pytest.raises(UserError):
            build_demo(ws)
