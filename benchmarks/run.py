"""Run the SUAS Desktop benchmarks and write benchmarks/results.md (``make bench``; see README.md).

    python benchmarks/run.py                  # everything (about 10 minutes on 2 cores), writes results.md
    python benchmarks/run.py --quick          # smoke run on small data (under 2 minutes), prints only
    python benchmarks/run.py --only reports   # one benchmark (names: see --list), prints only
    python benchmarks/run.py --only startup,registers --out /tmp/partial.md

The data is built in a temporary folder (removed at the end unless --keep). A full run rewrites
results.md but keeps the hand-written analysis between the ``analysis`` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from benchmarks import (
    bench_consolidation,
    bench_packages,
    bench_registers,
    bench_reports,
    bench_scaling,
    bench_signing,
    bench_startup,
)
from benchmarks.common import (
    FULL,
    LINEAR_EXPONENT,
    LINEAR_STEP_LIMIT,
    MIB,
    PYTHON,
    QUICK,
    REPO,
    Config,
    Results,
    configure_children,
    fmt_seconds,
    fmt_value,
    growth_is_linear,
)
from benchmarks.data import Data

BENCHMARKS = (
    bench_startup,
    bench_reports,
    bench_signing,
    bench_packages,
    bench_consolidation,
    bench_registers,
    bench_scaling,
)
RESULTS = REPO / "benchmarks" / "results.md"
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"


# ====================================================================== the machine
def _versions() -> dict[str, str]:
    code = (
        "import json, sqlite3, importlib.metadata as md\n"
        "import PySide6\nfrom PySide6 import QtCore\n"
        "print(json.dumps({'PySide6': PySide6.__version__, 'Qt': QtCore.qVersion(),\n"
        "  'SQLite': sqlite3.sqlite_version, 'reportlab': md.version('reportlab'),\n"
        "  'pyHanko': md.version('pyHanko'), 'cryptography': md.version('cryptography'),\n"
        "  'suas-desktop': md.version('suas-desktop')}))"
    )
    import json

    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _disk(folder: Path) -> str:
    try:
        out = subprocess.run(["df", "-T", "-h", str(folder)], capture_output=True, text=True, check=True)
        device, fstype, size, _used, avail, *_ = out.stdout.splitlines()[1].split()
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return "unknown"
    name = Path(device).name
    rotational = _read(f"/sys/block/{name}/queue/rotational").strip()
    kind = {"0": "non-rotational", "1": "reported rotational"}.get(rotational, "kind unknown")
    return f"{device} ({fstype}, {kind}), {size} total, {avail} free"


def _fsync_write_speed(folder: Path, size: int = 256 * MIB) -> float:
    """MB/s writing ``size`` bytes and fsync-ing them (what the export's durable writes pay)."""
    path = folder / "disk-speed.tmp"
    block = os.urandom(MIB)
    started = time.perf_counter()
    with open(path, "wb") as handle:
        for _ in range(size // MIB):
            handle.write(block)
        handle.flush()
        os.fsync(handle.fileno())
    seconds = time.perf_counter() - started
    path.unlink()
    return size / MIB / seconds


def machine(workdir: Path) -> list[tuple[str, str]]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    v = _versions()
    load = os.getloadavg()
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} logical cores ({len(os.sched_getaffinity(0))} usable)"),
        ("RAM", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("Disk (benchmark folder)", _disk(workdir)),
        ("Disk write + fsync", f"{_fsync_write_speed(workdir):.0f} MB/s (256 MiB)"),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", sys.version.split()[0] + f" ({platform.python_implementation()})"),
        ("Qt / PySide6", f"Qt {v['Qt']}, PySide6 {v['PySide6']} (QT_QPA_PLATFORM=offscreen)"),
        ("SQLite", v["SQLite"]),
        ("reportlab / pyHanko / cryptography", f"{v['reportlab']} / {v['pyHanko']} / {v['cryptography']}"),
        ("SUAS Desktop", v["suas-desktop"]),
        ("Load average at start (1/5/15 min)", " / ".join(f"{x:.2f}" for x in load)),
    ]


# ====================================================================== Markdown
def _ratio_cell(ratio: float) -> str:
    return f"{ratio:.2f}×"


def render(
    results: Results, info: list[tuple[str, str]], config: Config, elapsed: float, analysis: str
) -> str:
    lines = [
        "# SUAS Desktop — benchmark results",
        "",
        f"Written by `benchmarks/run.py`{' --quick' if config.quick else ''} on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the run took {elapsed / 60:.1f} min. "
        "How to read this file: benchmarks/README.md. Times are medians of repeated runs; the spread is "
        "min–max; MB are MiB (2^20 bytes); ratios divide the app's median by the baseline's median "
        "measured in the same run.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info],
        "",
        "## Goals",
        "",
        "| Goal | Target | Measured | Status |",
        "|---|---|---|---|",
        *[
            f"| {g.label} | {g.target} | {g.measured} | **{'PASS' if g.passed else 'MISS'}** |"
            for g in results.goals
        ],
        "",
        "## Side by side (same run)",
        "",
        "| Section | Comparison | App (median) | Baseline (median) | Ratio |",
        "|---|---|---:|---:|---:|",
    ]
    for c in results.comparisons:
        s, base = results.measures[c.subject], results.measures[c.baseline]
        ratio = _ratio_cell(results.ratio(c.subject, c.baseline))
        lines.append(
            f"| {c.section} | {c.label} | {fmt_value(s.stat.median, s.unit)} | "
            f"{fmt_value(base.stat.median, base.unit)} | {ratio} |"
        )
    lines += [
        "",
        "## All measurements",
        "",
        "| Section | Measurement | n | Median | Min–max | Peak RSS |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for m in results.measures.values():
        s = m.stat
        rss = f"{max(m.rss_mb):.0f} MB" if m.rss_mb else ""
        lines.append(
            f"| {m.section} | {m.label} | {s.n} | {fmt_value(s.median, m.unit)} | "
            f"{fmt_value(s.low, m.unit)} – {fmt_value(s.high, m.unit)} | {rss} |"
        )
    if results.growth:
        factors = sorted({f for g in results.growth for f in g.samples})
        head = " | ".join(f"{f}×" for f in factors)
        steps = " | ".join(f"{b}×/{a}×" for a, b in itertools.pairwise(factors))
        lines += [
            "",
            "## Growth",
            "",
            f"Fastest of the samples at each size (the spread of a shared machine only adds time; medians "
            f"in the raw samples); a 4× step costing 4.0× is linear. Verdict “linear or better” when every "
            f"step is ≤ {LINEAR_STEP_LIMIT:.1f}× and the fitted exponent k (cost ∝ size^k) is ≤ "
            f"{LINEAR_EXPONENT}. Fixed costs make steps below 4×.",
            "",
            f"| Figure | Sizes | {head} | {steps} | k | Verdict |",
            "|---|---|" + "---:|" * (len(factors) * 2 - 1) + "---:|---|",
        ]
        for g in results.growth:
            cells = " | ".join(fmt_seconds(g.best(f)) for f in factors)
            ratios = " | ".join(f"{s:.2f}×" for s in g.steps())
            verdict = "linear or better" if growth_is_linear(g) else "**worse than linear**"
            if g.baseline:
                verdict = f"(baseline) {verdict.strip('*')}"
            lines.append(
                f"| {g.label} | {g.size_note} | {cells} | {ratios} | {g.exponent():.2f} | {verdict} |"
            )
    if results.notes:
        lines += ["", "## Notes", ""]
        for section, notes in results.notes.items():
            lines += [f"**{section}**", "", *[f"- {n}" for n in notes], ""]
    lines += [
        "",
        "## Data preparation",
        "",
        "| Data | Built in |",
        "|---|---:|",
        *[f"| {label} | {fmt_seconds(seconds)} |" for label, seconds in results.data_prep],
        "",
        "| Benchmark | Wall time (data preparation included) | Load average (1 min) when it started |",
        "|---|---:|---:|",
        *[
            f"| {name} | {fmt_seconds(seconds)} | {results.loads.get(name, 0):.2f} |"
            for name, seconds in results.durations.items()
        ],
        "",
        "<details><summary>Raw samples</summary>",
        "",
        "| Measurement | Samples |",
        "|---|---|",
        *[
            f"| {m.label} | {', '.join(fmt_value(v, m.unit) for v in m.values)} |"
            for m in results.measures.values()
        ],
        *[
            f"| Growth: {g.label}, {f}× | {', '.join(fmt_seconds(v) for v in g.samples[f])} |"
            for g in results.growth
            for f in sorted(g.samples)
        ],
        "",
        "</details>",
        "",
        ANALYSIS_START,
        analysis.strip("\n"),
        ANALYSIS_END,
        "",
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def previous_analysis(path: Path) -> str:
    text = _read(str(path))
    if ANALYSIS_START in text and ANALYSIS_END in text:
        return text.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0]
    return "\n## Analysis\n\n(Written by hand after a run; kept when results.md is rewritten.)\n"


# ====================================================================== main
def main(argv: list[str] | None = None) -> int:
    names = [m.NAME for m in BENCHMARKS]
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small data, few repetitions (under 2 minutes)")
    parser.add_argument("--only", metavar="NAME[,NAME]", help=f"run only these: {', '.join(names)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--out", metavar="FILE", help="write the Markdown here (default: results.md on a full run)"
    )
    parser.add_argument(
        "--workdir", metavar="DIR", help="build the data here (default: a new temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folder at the end")
    args = parser.parse_args(argv)
    if args.list:
        for module in BENCHMARKS:
            print(f"{module.NAME:14} {module.SECTION}")
        return 0
    chosen = names if not args.only else [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (choose from {', '.join(names)})")
    config = QUICK if args.quick else FULL
    full_run = not args.quick and not args.only
    out = Path(args.out) if args.out else (RESULTS if full_run else None)

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="suas-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    configure_children(workdir)
    started = time.monotonic()
    results = Results()
    print(f"SUAS Desktop benchmarks ({'quick' if config.quick else 'full'}): {', '.join(chosen)}")
    print(f"Data folder: {workdir}", flush=True)
    info = machine(workdir)
    for key, value in info:
        print(f"  {key}: {value}")
    bench = SimpleNamespace(
        config=config, workdir=workdir, results=results, data=Data(config, workdir, results)
    )
    try:
        for module in BENCHMARKS:
            if module.NAME not in chosen:
                continue
            if module is bench_scaling and not config.scale_factors:
                print(f"\n{module.SECTION}: skipped in a quick run")
                continue
            print(f"\n{module.SECTION}", flush=True)
            began = time.monotonic()
            results.loads[module.SECTION] = os.getloadavg()[0]
            module.run(bench)
            results.durations[module.SECTION] = time.monotonic() - began
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nData kept in {workdir}")
    elapsed = time.monotonic() - started
    info.append(("Load average at end (1/5/15 min)", " / ".join(f"{x:.2f}" for x in os.getloadavg())))
    print(
        "\nGoals:" + (" (quick run on small data: indicative only, see a full run)" if config.quick else "")
    )
    for g in results.goals:
        print(f"  {'PASS' if g.passed else 'MISS'}  {g.label}: {g.measured} (goal {g.target})")
    print(f"\nTotal: {elapsed / 60:.1f} min")
    if out is not None:
        target = out if out.is_absolute() else Path.cwd() / out
        analysis = previous_analysis(target)
        target.write_text(render(results, info, config, elapsed, analysis), encoding="utf-8")
        print(f"Results written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
