"""The data every benchmark needs, built once per run inside the run's temporary folder.

Parent side: :class:`Data` builds each product on first use and records how long it took. Child side
(``python -m benchmarks.data WORKER '{json}'``): the workers that do the building with the app's own
services, so the data is what the app itself would have written:

* the large (or small) demonstration municipality, through the real ``suas-desktop demo`` command;
* extra attachment bytes (1 GiB in a full run) attached to checklist items with ``ChecklistService``;
* scaled demos (1x, 4x, 16x of a base size) for the growth benchmark;
* data folders with N staff records, imported from a CSV sheet through ``RegisterService.import_file``;
* 853 regional packages, one per fictional municipality: a few exported by the real ``PackageService``
  from small demo folders, the rest written with ``package_format.PackageWriter`` exactly as
  ``PackageService.export(scope="regional")`` writes them (same manifest, summary and signature);
* a test PKI (``tests/signing_pki.py``) and the large demo's Dossiê de Transição for the signing bench.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ACTOR, MIB, PYTHON, Config, Results, run_child, worker, worker_main

STAFF_HEADER = "Nome;Cargo ou função;Profissão;Escolaridade;Vínculo;Unidade;Horas semanais"


# ====================================================================== parent side
class Data:
    def __init__(self, config: Config, workdir: Path, results: Results) -> None:
        self.config = config
        self.root = workdir / "data"
        self.copies = workdir / "copies"
        self.root.mkdir(parents=True, exist_ok=True)
        self.copies.mkdir(parents=True, exist_ok=True)
        self.results = results
        self._cache: dict[str, Any] = {}

    def _built(self, key: str, label: str, build: Any) -> Any:
        if key not in self._cache:
            print(f"  preparing: {label} …", flush=True)
            started = time.monotonic()
            self._cache[key] = build()
            elapsed = time.monotonic() - started
            self.results.data_prep.append((label, elapsed))
            print(f"  prepared: {label} in {elapsed:.1f} s", flush=True)
        return self._cache[key]

    # ------------------------------------------------------------------ products
    def demo(self) -> Path:
        """The pristine demonstration folder (large in a full run); never modified: use copy()."""
        size = self.config.demo_size

        def build() -> Path:
            target = self.root / f"demo-{size}"
            run = run_child([PYTHON, "-m", "suas_desktop", "--data-dir", target, "demo", "--size", size])
            if run.returncode != 0:
                raise RuntimeError(f"demo --size {size} failed:\n{run.stderr[-2000:]}")
            return target

        return self._built("demo", f"demo --size {size} (real CLI)", build)

    def copy(self, name: str, source: Path | None = None) -> Path:
        """A private copy of a data folder (benchmarks that write get their own)."""
        target = self.copies / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source or self.demo(), target, ignore=shutil.ignore_patterns(".suas-desktop.lock"))
        return target

    def demo_with_attachments(self) -> Path:
        c = self.config

        def build() -> Path:
            target = self.copy("demo-with-attachments")
            worker(
                "data",
                "attach_bytes",
                data_dir=str(target),
                total_bytes=c.attachment_bytes,
                file_bytes=c.attachment_file_bytes,
                seed=11,
            )
            return target

        label = f"demo --size {c.demo_size} + {c.attachment_bytes // MIB} MiB of attachments"
        return self._built("demo_attachments", label, build)

    def scaled_demo(self, factor: int) -> Path:
        c = self.config

        def build() -> Path:
            target = self.root / f"scaled-{factor}x"
            worker(
                "data",
                "scaled_demo",
                data_dir=str(target),
                factor=factor,
                attachment_bytes=c.scale_attachment_bytes * factor,
            )
            return target

        return self._built(f"scaled{factor}", f"scaled demo {factor}x", build)

    def staff_folder(self, rows: int) -> Path:
        def build() -> Path:
            target = self.root / f"staff-{rows}"
            worker("data", "staff_folder", data_dir=str(target), rows=rows)
            return target

        return self._built(f"staff{rows}", f"data folder with {rows:,} staff records", build)

    def regional_packages(self) -> Path:
        c = self.config

        def build() -> Path:
            target = self.root / "regional-packages"
            worker(
                "data",
                "regional_packages",
                out_dir=str(target),
                count=c.regional_packages,
                service_count=c.service_regional_packages,
                scratch=str(self.root / "regional-scratch"),
            )
            return target

        return self._built("regional", f"{c.regional_packages} regional packages", build)

    def pki(self) -> Path:
        def build() -> Path:
            target = self.root / "pki"
            worker("data", "pki", folder=str(target))
            return target

        return self._built("pki", "test PKI (tests/signing_pki.py)", build)

    def dossier(self, data_dir: Path | None = None, name: str = "dossie.pdf") -> Path:
        source = data_dir or self.demo()

        def build() -> Path:
            target = self.root / name
            worker("data", "dossier", data_dir=str(self.copy(f"dossier-{name}", source)), out=str(target))
            return target

        return self._built(f"dossier:{name}", f"Dossiê de Transição ({name})", build)


# ====================================================================== child side (workers)
def _open(data_dir: str) -> Any:
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.workspace import open_workspace

    return open_workspace(DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE), file_logging=False)


def _attach(ws: Any, total_bytes: int, file_bytes: int, seed: int, scratch: Path) -> dict[str, Any]:
    """Attach ``total_bytes`` of incompressible files to the open cycles' items."""
    import random

    from suas_desktop.domain.cycle import CycleState
    from suas_desktop.services.checklist_service import ChecklistService
    from suas_desktop.services.template_catalog import load_catalog

    checklists = ChecklistService(ws, load_catalog())
    items = [
        state.item.id
        for cycle in checklists.cycles()
        if cycle.state is CycleState.OPEN
        for state in checklists.item_states(cycle.id)
    ]
    rng = random.Random(seed)  # noqa: S311 - reproducible filler bytes, not security
    scratch.mkdir(parents=True, exist_ok=True)
    written = count = 0
    started = time.perf_counter()
    while written < total_bytes:
        size = min(file_bytes, total_bytes - written)
        path = scratch / f"digitalizacao-{count + 1:04d}.pdf"
        path.write_bytes(rng.randbytes(size))
        checklists.attach(actor=ACTOR, item_id=items[count % len(items)], path=path)
        path.unlink()
        written += size
        count += 1
    return {"files": count, "bytes": written, "seconds": time.perf_counter() - started}


def attach_bytes(data_dir: str, total_bytes: int, file_bytes: int, seed: int) -> dict[str, Any]:
    with _open(data_dir) as ws:
        return _attach(ws, total_bytes, file_bytes, seed, Path(data_dir).parent / f".scratch-{seed}")


def scale_of(factor: int) -> Any:
    """The demo's LARGE scale with the volume registers at ``factor``/16: 16x is about the large demo.

    The network (6 CRAS, 2 CREAS, council, checklists) stays as in the large demo at every factor, as a
    real municipality's would: what grows is staff, assets, partnerships, contracts, unmet demand and
    evidence files.
    """
    from dataclasses import replace

    from suas_desktop.services import demo

    large = demo._SCALES[demo.DemoSize.LARGE]
    return replace(
        large,
        staff=110 * factor,  # > 100 keeps the "large" story (teams, acolhimento, …) at every factor
        assets=50 * factor,
        vehicles=max(2, round(26 * factor / 16)),
        partnerships=10 * factor,
        contracts=4 * factor,
        attachments=125 * factor,
        unmet_cases=8 * factor,
    )


def scaled_demo(data_dir: str, factor: int, attachment_bytes: int) -> dict[str, Any]:
    from suas_desktop.services import demo

    # Benchmark-side only: the demo builder reads its sizes from this table.
    demo._SCALES[demo.DemoSize.LARGE] = scale_of(factor)
    with _open(data_dir) as ws:
        summary = demo.build_demo(ws, size=demo.DemoSize.LARGE, seed=2026)
        extra = _attach(ws, attachment_bytes, 4 * MIB, factor, Path(data_dir).parent / f".scratch-{factor}")
    return {"records": sum(summary.records.values()), "attachments": summary.attachments, "extra": extra}


def staff_folder(data_dir: str, rows: int) -> dict[str, Any]:
    """The small demo plus imported staff up to ``rows`` staff records in total."""
    from suas_desktop.domain.registers import REGISTERS
    from suas_desktop.services.demo import DemoSize, build_demo
    from suas_desktop.services.register_service import RegisterService

    with _open(data_dir) as ws:
        build_demo(ws, size=DemoSize.SMALL, seed=7)
        service = RegisterService(ws)
        units = [r for r in service.list("units") if r.values.get("kind") == "cras"]
        unit = service.title(REGISTERS["units"], units[0])
        missing = rows - service.count("staff")
        lines = [STAFF_HEADER]
        lines += [
            f"Pessoa {i:05d} Araújo;Cargo {i % 37};Nível médio;Médio;Contratado;{unit};{20 + i % 21}"
            for i in range(missing)
        ]
        sheet = Path(data_dir).parent / f"staff-{rows}.csv"
        sheet.write_text("\n".join(lines), encoding="utf-8")
        result = service.import_file(actor=ACTOR, name="staff", path=sheet)
        sheet.unlink()
        return {"created": result.created, "staff": service.count("staff")}


_TOWN_FIRST = (
    "São José", "Santa Rita", "Lagoa", "Vereda", "Serra", "Barra", "Ribeirão", "Campo", "Morro", "Porto",
    "Capim", "Buriti", "Pedra", "Córrego", "Chapada", "Santo Antônio", "Riacho", "Olhos d'Água",
    "Cachoeira", "Várzea", "Monte", "Palmeira", "Boa Vista", "Bom Jesus", "Conceição", "Brejo",
    "Tabuleiro", "Sítio", "Passagem", "Cruzeiro",
)  # fmt: skip
_TOWN_SECOND = (
    "do Buriti", "da Mata", "Alegre", "Verde", "do Sertão", "das Flores", "do Pequi", "Grande", "Bonito",
    "do Norte", "dos Gerais", "do Gorutuba", "Formoso", "da Onça", "do Cerrado", "Seco", "Fundo", "Azul",
    "da Serra", "do Pacuí", "Dourado", "de Minas", "Novo", "da Barra", "do Umbu", "Claro", "Limpo",
    "do Jatobá", "das Almas", "Preto",
)  # fmt: skip


def municipality(n: int) -> tuple[str, str]:
    """Fictional municipality ``n`` (1-based): an IBGE code in MG's unused 319xxx range and a name."""
    from suas_desktop.domain.municipality import ibge_check_digit

    six = f"319{n:03d}"
    first = _TOWN_FIRST[(n - 1) % len(_TOWN_FIRST)]
    second = _TOWN_SECOND[((n - 1) // len(_TOWN_FIRST)) % len(_TOWN_SECOND)]
    return six + str(ibge_check_digit(six)), f"{first} {second} (fictício)"


def _synthetic_summary(n: int, ibge: str, name: str, today: Any) -> Any:
    """A RegionalSummary with numbers that vary per municipality (seeded by ``n``)."""
    import random

    from suas_desktop.domain.regional import AccountabilityCount, CycleProgress, DemandCount, RegionalSummary
    from suas_desktop.domain.registers import ALL_REGISTERS, DEMAND_SERVICES

    rng = random.Random(n)  # noqa: S311 - reproducible fictional numbers
    size = rng.choice((1, 1, 1, 2, 2, 4, 8, 20))
    registers = {spec.name: rng.randint(0, 40 * size) for spec in ALL_REGISTERS}
    demand = []
    for service, _label in rng.sample(list(DEMAND_SERVICES), k=rng.randint(0, len(DEMAND_SERVICES))):
        for status in rng.sample(("aguardando", "atendido", "encaminhado_regional"), k=rng.randint(1, 3)):
            demand.append(DemandCount(service, status, rng.randint(1, 12 * size), rng.randint(0, 400)))
    cycles = []
    for kind, year, title in (
        ("closing", 2026, "Encerramento 2026"),
        ("transition", 2028, "Transição 2028→2029"),
    ):
        total = rng.randint(60, 110)
        done = rng.randint(0, total - 10)
        cycles.append(
            CycleProgress(kind, year, title, "open", total, done, rng.randint(0, 5), rng.randint(0, 3),
                          rng.randint(0, 2), rng.randint(0, 9))
        )  # fmt: skip
    accountability = tuple(
        AccountabilityCount(year, status, rng.randint(1, 3))
        for year in (2024, 2025)
        for status in rng.sample(("enviada", "aprovada", "em_elaboracao"), k=rng.randint(1, 2))
    )
    return RegionalSummary(
        ibge_code=ibge,
        name=name,
        uf="MG",
        population=rng.randint(800, 60_000) * size,
        data_date=today,
        registers=registers,
        unmet_demand=tuple(sorted(demand, key=lambda d: (d.service, d.status))),
        cycles=tuple(cycles),
        accountability=tuple(sorted(accountability, key=lambda a: (a.fiscal_year, a.status))),
    )


def _write_regional(path: Path, summary: Any, created_at: str, schema_version: int) -> None:
    """What PackageService.export(scope="regional") writes, with a fresh installation key."""
    import base64
    import uuid

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from suas_desktop import __version__
    from suas_desktop.domain.regional import summary_to_json
    from suas_desktop.domain.sync import canonical_json
    from suas_desktop.services import package_format as pf

    key = Ed25519PrivateKey.generate()
    manifest = {
        "format": pf.FORMAT,
        "format_version": pf.FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": schema_version,
        "package_id": str(uuid.uuid4()),
        "scope": "regional",
        "created_at": created_at,
        "created_by": ACTOR,
        "installation_id": str(uuid.uuid4()),
        "sequence": 1,
        "municipality": {"ibge_code": summary.ibge_code, "name": summary.name, "uf": summary.uf},
        "signer": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(key.public_key().public_bytes_raw()).decode("ascii"),
        },
        "tables": {},
    }
    writer = pf.PackageWriter(path, passphrase=None)
    writer.add_bytes(pf.SUMMARY, canonical_json(summary_to_json(summary)))
    writer.finish(manifest, key.sign)


def regional_packages(out_dir: str, count: int, service_count: int, scratch: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    from suas_desktop.domain.clock import iso_utc
    from suas_desktop.services.demo import DemoSize, build_demo
    from suas_desktop.services.municipality_service import MunicipalityService
    from suas_desktop.services.package_service import PackageService

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    schema_version = 0
    started = time.perf_counter()
    # 1) A few through the real export, from small demo folders renamed as other municipalities.
    for n in range(1, service_count + 1):
        ibge, name = municipality(n)
        folder = Path(scratch) / f"m{n}"
        with _open(str(folder)) as ws:
            build_demo(ws, size=DemoSize.SMALL, seed=n)
            service = MunicipalityService(ws)
            current = service.profile()
            fields = {
                f: getattr(current, f)
                for f in (
                    "uf", "prefeitura_cnpj", "fmas_cnpj", "fmas_has_budget_unit", "fmas_has_own_resources",
                    "managing_body", "manager", "cmas_president",
                )
            }  # fmt: skip
            service.save_profile(actor=ACTOR, name=name, ibge_code=ibge, population=4_000 + 97 * n, **fields)
            PackageService(ws).export(out / f"{ibge}.suas", actor=ACTOR, scope="regional")
            schema_version = ws.db.user_version
        shutil.rmtree(folder, ignore_errors=True)
    service_seconds = time.perf_counter() - started
    # 2) The rest written directly, in the same format.
    started = time.perf_counter()
    now = iso_utc(datetime.now(UTC))
    today = datetime.now(UTC).date()
    if not schema_version:
        with _open(str(Path(scratch) / "schema")) as ws:
            schema_version = ws.db.user_version
    for n in range(service_count + 1, count + 1):
        ibge, name = municipality(n)
        _write_regional(out / f"{ibge}.suas", _synthetic_summary(n, ibge, name, today), now, schema_version)
    return {
        "packages": len(list(out.glob("*.suas"))),
        "service_exported": service_count,
        "service_seconds": service_seconds,
        "direct_seconds": time.perf_counter() - started,
    }


def pki(folder: str) -> dict[str, Any]:
    from tests.signing_pki import build_pki

    build_pki(Path(folder))
    return {"folder": folder}


def dossier(data_dir: str, out: str) -> dict[str, Any]:
    from suas_desktop.services.report_service import ReportService
    from suas_desktop.services.template_catalog import load_catalog

    with _open(data_dir) as ws:
        report = ReportService(ws, load_catalog()).write("transition", Path(out))
    return {"pages": report.page_count, "bytes": len(report.pdf)}


if __name__ == "__main__":
    worker_main(
        {
            "attach_bytes": attach_bytes,
            "scaled_demo": scaled_demo,
            "staff_folder": staff_folder,
            "regional_packages": regional_packages,
            "pki": pki,
            "dossier": dossier,
        }
    )
