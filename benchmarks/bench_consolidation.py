"""5. Consolidation: importing 853 regional packages (one per fictional municipality) into an association.

Packages: see data.py (a few exported by the real PackageService from small demo folders, the rest
written with package_format exactly as the regional export writes them, numbers varied per
municipality). Each sample is a new process on a new, empty data folder made an association profile
(``make_association``); it imports every package with ``PackageService.import_package`` (trusting each
new signer, as a person confirming the fingerprint would), the way the Transferência screen and
``suas-desktop import`` do, one after the other. Also recorded: the time of each tenth of the packages
(does the 800th cost more than the 8th?), the database and the automatic backups left on disk, and
writing the consolidation spreadsheet.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ACTOR, MIB, self_peak_rss_mb

NAME = "consolidation"
SECTION = "5. Consolidation"


# ====================================================================== child
def tenths(values: list[float]) -> list[float]:
    """Mean of each tenth of ``values`` (in order)."""
    bounds = [round(i * len(values) / 10) for i in range(11)]
    chunks = [values[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    return [sum(chunk) / len(chunk) for chunk in chunks]


def child(data_dir: str, packages: str, count: int) -> dict[str, Any]:
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.package_service import PackageService
    from suas_desktop.services.regional_service import export_consolidation_xlsx, make_association
    from suas_desktop.services.workspace import open_workspace

    files = sorted(Path(packages).glob("*.suas"))[:count]
    layout = DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE)
    per_package: list[float] = []
    with open_workspace(layout, file_logging=False) as ws:
        make_association(ws)
        service = PackageService(ws)
        started = time.perf_counter()
        for path in files:
            before = time.perf_counter()
            result = service.import_package(path, actor=ACTOR, trust_signer=True)
            per_package.append(time.perf_counter() - before)
            if not result.applied:
                raise RuntimeError(f"{path.name} was not applied: {result.plan.warnings}")
        seconds = time.perf_counter() - started
        before = time.perf_counter()
        municipalities = export_consolidation_xlsx(ws, Path(data_dir) / "consolidacao.xlsx")
        xlsx = time.perf_counter() - before
    backups = list(layout.backups.glob("*.db"))
    return {
        "seconds": seconds,
        "packages": len(files),
        "municipalities": municipalities,
        "per_package_by_tenth": tenths(per_package),
        "database_mb": layout.database.stat().st_size / MIB,
        "backups": len(backups),
        "backups_mb": sum(p.stat().st_size for p in backups) / MIB,
        "xlsx_seconds": xlsx,
        "rss_mb": self_peak_rss_mb(),
    }


# ====================================================================== parent
def measure(workdir: Path, packages: Path, count: int, reps: int, tag: str) -> list[dict[str, Any]]:
    import shutil

    from benchmarks.common import worker

    samples = []
    for n in range(reps):
        folder = workdir / f"association-{tag}-{n}"
        run = worker(
            "bench_consolidation", "child", data_dir=str(folder), packages=str(packages), count=count
        )
        result = run.check()
        result["peak_rss_mb"] = run.peak_rss_mb
        samples.append(result)
        print(f"    sample {n + 1}: {count} packages in {result['seconds']:.1f} s", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    return samples


def run(b: Any) -> None:
    from benchmarks.common import Measure, fmt_seconds

    r = b.results
    count = b.config.regional_packages
    samples = measure(b.workdir, b.data.regional_packages(), count, b.config.reps_costly, "main")
    m = r.add(
        Measure(
            "consolidation.import",
            SECTION,
            f"App: import {count} regional packages into an association",
            [s["seconds"] for s in samples],
            rss_mb=[s["peak_rss_mb"] for s in samples],
        )
    )
    r.add(
        Measure(
            "consolidation.xlsx",
            SECTION,
            f"App: consolidation spreadsheet of {count} municipalities",
            [s["xlsx_seconds"] for s in samples],
        )
    )
    last = samples[-1]
    by_tenth = last["per_package_by_tenth"]
    r.note(
        SECTION,
        f"Per package, first tenth {fmt_seconds(by_tenth[0])}, last tenth {fmt_seconds(by_tenth[-1])} "
        f"(by tenth: {', '.join(f'{t * 1000:.1f}' for t in by_tenth)} ms). "
        f"Left on disk after {count} imports: database {last['database_mb']:.1f} MB and "
        f"{last['backups']} automatic pre-import backups totalling "
        f"{last['backups_mb']:.0f} MB. {last['municipalities']} municipalities in the consolidation.",
    )
    median = m.stat.median
    r.goal(f"Consolidation of {count} packages under 60 s", "< 60 s", fmt_seconds(median), median < 60)


if __name__ == "__main__":
    from benchmarks.common import worker_main

    worker_main({"child": child})
    sys.exit(0)
