"""What every benchmark shares: child processes, statistics, the results model and the sizes of a run.

Standard library only, so the orchestrator stays small: every measurement runs in a child process
(``python -m benchmarks.<module> <worker> <json>``) that prints one ``BENCH-RESULT {...}`` line. The
parent reads the child's own peak memory with ``os.wait4`` (``ru_maxrss`` of that child alone).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULT_PREFIX = "BENCH-RESULT "
KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * MIB
#: A passphrase the app accepts for full packages (long, not the municipality's name).
PASSPHRASE = "caju pedra violão janela"  # noqa: S105 - a benchmark constant, not a secret
ACTOR = "benchmark"


# ====================================================================== sizes of a run
@dataclass(frozen=True)
class Config:
    quick: bool
    #: Repetitions of cheap measurements (>= 5 in a full run) and of expensive ones (>= 3).
    reps_cheap: int
    reps_costly: int
    demo_size: str
    attachment_bytes: int
    attachment_file_bytes: int
    regional_packages: int
    #: How many of the regional packages are exported by the real PackageService (the rest are built
    #: directly with package_format, the same container, much faster).
    service_regional_packages: int
    staff_rows: int
    #: Growth benchmark: multiples of the base size (empty: skipped).
    scale_factors: tuple[int, ...]
    scale_reps: int
    #: Extra attachment bytes of the base (1x) scaled demo.
    scale_attachment_bytes: int
    scale_staff_base: int
    scale_packages_base: int


FULL = Config(
    quick=False,
    reps_cheap=5,
    reps_costly=3,
    demo_size="large",
    attachment_bytes=1 * GIB,
    attachment_file_bytes=16 * MIB,
    regional_packages=853,
    service_regional_packages=4,
    staff_rows=10_000,
    scale_factors=(1, 4, 16),
    scale_reps=5,
    scale_attachment_bytes=16 * MIB,
    scale_staff_base=625,
    scale_packages_base=53,
)

QUICK = Config(
    quick=True,
    reps_cheap=2,
    reps_costly=1,
    demo_size="small",
    attachment_bytes=32 * MIB,
    attachment_file_bytes=8 * MIB,
    regional_packages=53,
    service_regional_packages=1,
    staff_rows=1_000,
    scale_factors=(),
    scale_reps=1,
    scale_attachment_bytes=4 * MIB,
    scale_staff_base=250,
    scale_packages_base=13,
)


# ====================================================================== child processes
_ENV_OVERRIDES: dict[str, str] = {}


def configure_children(workdir: Path) -> None:
    """Children get their own config/data/cache folders (QSettings, fonts cache) inside ``workdir``."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        folder = workdir / "xdg" / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        _ENV_OVERRIDES[name] = str(folder)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("SUAS_DESKTOP_DATA_DIR", "SUAS_DESKTOP_PASSPHRASE", "SUAS_DESKTOP_AUTOCLOSE_MS"):
        env.pop(name, None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(_ENV_OVERRIDES)
    env.update(extra or {})
    return env


@dataclass
class ChildRun:
    argv: list[str]
    #: time.monotonic() just before the exec (CLOCK_MONOTONIC: comparable with the child's clock).
    started: float
    #: Seconds from just before the exec to the child's exit.
    wall: float
    #: The child's own peak resident memory (ru_maxrss from wait4), MiB.
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def result(self) -> dict[str, Any] | None:
        for line in reversed(self.stdout.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return json.loads(line[len(RESULT_PREFIX) :])
        return None

    def check(self) -> dict[str, Any]:
        result = self.result
        if self.returncode != 0 or result is None:
            tail = "\n".join((self.stderr or self.stdout).splitlines()[-25:])
            raise RuntimeError(f"child failed ({self.returncode}): {' '.join(self.argv[:4])}\n{tail}")
        return result


def run_child(
    argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float = 1800
) -> ChildRun:
    """Run ``argv`` to completion; wall time and the child's own peak RSS (os.wait4)."""
    argv = [str(a) for a in argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=child_env(env), stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            argv,
            started,
            wall,
            usage.ru_maxrss / KIB,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def worker(module: str, name: str, *, env: dict[str, str] | None = None, **kwargs: Any) -> ChildRun:
    """Run ``benchmarks.<module>``'s worker ``name`` in a fresh interpreter; raises when it fails."""
    run = run_child([PYTHON, "-m", f"benchmarks.{module}", name, json.dumps(kwargs)], env=env)
    run.check()
    return run


def emit(payload: dict[str, Any]) -> None:
    """A worker's answer to the parent: one line on stdout."""
    sys.stdout.flush()
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


def worker_main(workers: dict[str, Callable[..., dict[str, Any]]]) -> None:
    """``python -m benchmarks.<module> NAME '{json kwargs}'``: run one worker and emit its result."""
    name, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    emit(workers[name](**args))


def self_peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB  # Linux reports kB


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


# ====================================================================== statistics
@dataclass(frozen=True)
class Stat:
    n: int
    median: float
    low: float
    high: float

    @property
    def spread(self) -> float:
        """(max - min) / median: how noisy the samples were."""
        return (self.high - self.low) / self.median if self.median else 0.0


def stat(values: Sequence[float]) -> Stat:
    return Stat(len(values), statistics.median(values), min(values), max(values))


def fmt_seconds(value: float) -> str:
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def fmt_value(value: float, unit: str) -> str:
    if unit == "s":
        return fmt_seconds(value)
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "MB/s":
        return f"{value:.0f} MB/s"
    return f"{value:.3g} {unit}".strip()


# ====================================================================== results
@dataclass
class Measure:
    key: str
    section: str
    label: str
    values: list[float]
    unit: str = "s"
    #: Peak RSS of the process(es) of each sample, MiB (empty: not measured per sample).
    rss_mb: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def stat(self) -> Stat:
        return stat(self.values)


@dataclass
class Comparison:
    section: str
    label: str
    subject: str
    baseline: str


@dataclass
class Goal:
    label: str
    target: str
    measured: str
    passed: bool
    note: str = ""


@dataclass
class Growth:
    label: str
    unit: str
    #: factor -> samples
    samples: dict[int, list[float]]
    size_note: str = ""
    #: A baseline's growth is shown for comparison, never judged.
    baseline: bool = False

    def median(self, factor: int) -> float:
        return statistics.median(self.samples[factor])

    def best(self, factor: int) -> float:
        """The fastest sample at ``factor``: what growth is judged on. Noise on a shared machine only
        ever adds time, and one slow sample at the small size (tens of milliseconds) was enough to
        turn a median step of 3.9× into 5.5× between two runs of the same code."""
        return min(self.samples[factor])

    def steps(self) -> list[float]:
        factors = sorted(self.samples)
        return [self.best(b) / self.best(a) for a, b in itertools.pairwise(factors)]

    def exponent(self) -> float:
        """Fitted k in cost ~ size^k between the smallest and the largest size."""
        factors = sorted(self.samples)
        lo, hi = factors[0], factors[-1]
        ratio = self.best(hi) / self.best(lo)
        return math.log(ratio) / math.log(hi / lo) if ratio > 0 else 0.0


#: A step of k times the data may cost up to k * LINEAR_TOLERANCE times more and still count as linear
#: (timing noise on a shared 2-core machine); the fitted exponent must stay under LINEAR_EXPONENT.
LINEAR_TOLERANCE = 1.15
LINEAR_STEP_LIMIT = 4 * LINEAR_TOLERANCE
LINEAR_EXPONENT = 1.1


def growth_is_linear(g: Growth) -> bool:
    factors = sorted(g.samples)
    limits = [b / a * LINEAR_TOLERANCE for a, b in itertools.pairwise(factors)]
    steps_ok = all(step <= limit for step, limit in zip(g.steps(), limits, strict=True))
    return steps_ok and g.exponent() <= LINEAR_EXPONENT


@dataclass
class Results:
    measures: dict[str, Measure] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    growth: list[Growth] = field(default_factory=list)
    data_prep: list[tuple[str, float]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    #: Load average (1 min) when each benchmark started: other work on the machine makes noise.
    loads: dict[str, float] = field(default_factory=dict)

    def add(self, measure: Measure) -> Measure:
        self.measures[measure.key] = measure
        s = measure.stat
        rss = f", peak {max(measure.rss_mb):.0f} MB" if measure.rss_mb else ""
        print(
            f"    {measure.label}: median {fmt_value(s.median, measure.unit)} "
            f"(min {fmt_value(s.low, measure.unit)}, max {fmt_value(s.high, measure.unit)}, n={s.n}){rss}",
            flush=True,
        )
        return measure

    def compare(self, section: str, label: str, subject: str, baseline: str) -> float:
        self.comparisons.append(Comparison(section, label, subject, baseline))
        ratio = self.ratio(subject, baseline)
        print(f"    → {label}: {ratio:.2f}×", flush=True)
        return ratio

    def ratio(self, subject: str, baseline: str) -> float:
        return self.measures[subject].stat.median / self.measures[baseline].stat.median

    def goal(self, label: str, target: str, measured: str, passed: bool, note: str = "") -> None:
        self.goals.append(Goal(label, target, measured, passed, note))
        print(f"    [{'PASS' if passed else 'MISS'}] {label}: {measured} (goal: {target})", flush=True)

    def note(self, section: str, text: str) -> None:
        self.notes.setdefault(section, []).append(text)
