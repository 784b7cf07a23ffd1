"""4. Export and import of the (large) demo with its attachments, full and encrypted, versus cp + sha256sum.

Data: the demo plus 1 GiB of incompressible attachments (a full run). Each sample is a new process.

Export: ``PackageService.export(scope="full", passphrase=…)`` with the app's defaults (scrypt 2^17;
written in place as DEST.partial, fsync, dropped from the page cache, read back from the disk and
fully decrypted, rename, fsync of the folder). Import: ``PackageService.import_package`` of that
file into a new, empty data folder (automatic backup, decrypt, every container check, merge in one
transaction, attachments copied and verified).

Baseline: ``cp PACKAGE DEST && sha256sum DEST`` on the same package bytes (coreutils, no fsync).
Time is the operation inside the child (for the app, without interpreter start-up and imports;
for cp + sha256sum, the two processes end to end). Peak memory: ``ru_maxrss`` of each child (wait4).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ACTOR, PASSPHRASE, self_peak_rss_mb

NAME = "packages"
SECTION = "4. Export and import"


# ====================================================================== children
def _open(data_dir: str) -> Any:
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.workspace import open_workspace

    return open_workspace(DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE), file_logging=False)


def export_child(data_dir: str, out: str) -> dict[str, Any]:
    from suas_desktop.services.package_service import PackageService

    with _open(data_dir) as ws:
        service = PackageService(ws)
        started = time.perf_counter()
        result = service.export(Path(out), actor=ACTOR, scope="full", passphrase=PASSPHRASE)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "bytes": result.size,
        "records": sum(result.records.values()),
        "attachments": result.attachments,
        "rss_mb": self_peak_rss_mb(),
    }


def import_child(data_dir: str, package: str) -> dict[str, Any]:
    from suas_desktop.services.package_service import PackageService

    with _open(data_dir) as ws:
        service = PackageService(ws)
        started = time.perf_counter()
        result = service.import_package(Path(package), passphrase=PASSPHRASE, actor=ACTOR, trust_signer=True)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, **result.plan.counts(), "rss_mb": self_peak_rss_mb()}


# ====================================================================== parent
def cp_sha256sum(package: Path, dest: Path) -> tuple[float, float]:
    """(seconds, peak RSS MB) of ``cp`` then ``sha256sum`` of the copy."""
    from benchmarks.common import run_child

    copy = run_child(["cp", package, dest], cwd=dest.parent)
    digest = run_child(["sha256sum", dest], cwd=dest.parent)
    if copy.returncode or digest.returncode:
        raise RuntimeError(f"cp/sha256sum failed: {copy.stderr} {digest.stderr}")
    return copy.wall + digest.wall, max(copy.peak_rss_mb, digest.peak_rss_mb)


def measure(workdir: Path, data_dir: Path, reps: int, tag: str) -> dict[str, list[float]]:
    """Alternate export, cp + sha256sum of the exported bytes, and import; everything is deleted after."""
    from benchmarks.common import worker

    area = workdir / f"packages-{tag}"
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "export",
            "export_rss",
            "base",
            "base_rss",
            "import",
            "import_rss",
            "bytes",
            "export_wall",
            "import_wall",
        )
    }
    for n in range(reps):
        shutil.rmtree(area, ignore_errors=True)
        area.mkdir(parents=True)
        package = area / "pacote.suas"
        exp = worker("bench_packages", "export", data_dir=str(data_dir), out=str(package))
        e = exp.check()
        seconds, rss = cp_sha256sum(package, area / "copia.suas")
        (area / "copia.suas").unlink()
        imp = worker("bench_packages", "import", data_dir=str(area / f"destino-{n}"), package=str(package))
        i = imp.check()
        out["export"].append(e["seconds"])
        out["export_wall"].append(exp.wall)
        out["export_rss"].append(exp.peak_rss_mb)
        out["bytes"].append(e["bytes"])
        out["base"].append(seconds)
        out["base_rss"].append(rss)
        out["import"].append(i["seconds"])
        out["import_wall"].append(imp.wall)
        out["import_rss"].append(imp.peak_rss_mb)
        print(
            f"    sample {n + 1}: export {e['seconds']:.2f} s, cp+sha256sum {seconds:.2f} s, "
            f"import {i['seconds']:.2f} s",
            flush=True,
        )
    shutil.rmtree(area, ignore_errors=True)
    return out


def run(b: Any) -> None:
    from benchmarks.common import MIB, Measure

    r = b.results
    data_dir = b.data.demo_with_attachments()
    m = measure(b.workdir, data_dir, b.config.reps_costly, "main")
    size = max(m["bytes"]) / MIB
    what = f"{b.config.demo_size} demo + {b.config.attachment_bytes // MIB} MiB attachments"
    r.add(
        Measure(
            "packages.export",
            SECTION,
            f"App: export full, encrypted ({what}; package {size:.0f} MiB)",
            m["export"],
            rss_mb=m["export_rss"],
        )
    )
    r.add(
        Measure(
            "packages.import",
            SECTION,
            "App: import that package into an empty data folder",
            m["import"],
            rss_mb=m["import_rss"],
        )
    )
    r.add(
        Measure(
            "packages.base",
            SECTION,
            "Baseline: cp + sha256sum of the same package bytes",
            m["base"],
            rss_mb=m["base_rss"],
        )
    )
    r.add(
        Measure(
            "packages.export.rss", SECTION, "App export: peak RSS of the child", m["export_rss"], unit="MB"
        )
    )
    r.add(
        Measure(
            "packages.import.rss", SECTION, "App import: peak RSS of the child", m["import_rss"], unit="MB"
        )
    )
    r.add(Measure("packages.base.rss", SECTION, "cp / sha256sum: peak RSS", m["base_rss"], unit="MB"))
    ratio = r.compare(SECTION, "Export, app / cp + sha256sum", "packages.export", "packages.base")
    r.compare(SECTION, "Import, app / cp + sha256sum", "packages.import", "packages.base")
    r.note(
        SECTION,
        "Whole child process (interpreter start-up and imports included): export "
        f"{sorted(m['export_wall'])[len(m['export_wall']) // 2]:.2f} s, import "
        f"{sorted(m['import_wall'])[len(m['import_wall']) // 2]:.2f} s (medians).",
    )
    r.goal("Export within 2× of cp + sha256sum", "≤ 2.0×", f"{ratio:.2f}×", ratio <= 2.0)


if __name__ == "__main__":
    from benchmarks.common import worker_main

    worker_main({"export": export_child, "import": import_child})
    sys.exit(0)
