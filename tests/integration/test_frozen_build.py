"""The frozen (PyInstaller) build: build with build/suas_desktop.spec, run `self-test` and the window.

About a minute of building, so it runs only when asked: ``SUAS_DESKTOP_TEST_FROZEN=1`` (and it is
marked ``slow``). It needs PyInstaller (``pip install -r requirements/build.txt``). Everything goes to
temporary folders; ``make dist-smoke`` does the same checks on ``dist/suas-desktop``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build" / "suas_desktop.spec"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("SUAS_DESKTOP_TEST_FROZEN") != "1",
        reason="builds the app with PyInstaller (~1 min): set SUAS_DESKTOP_TEST_FROZEN=1",
    ),
]


def _clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """No Python/Qt leftovers of the test run, and no access to the user's settings or data."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "SUAS_DESKTOP_", "QT_")) and k not in ("VIRTUAL_ENV", "DISPLAY")
    }
    env.update(
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "share"),
        XDG_CACHE_HOME=str(tmp / "cache"),
        TMPDIR=str(tmp / "tmp"),
        QT_QPA_PLATFORM="offscreen",
        **extra,
    )
    (tmp / "tmp").mkdir(parents=True, exist_ok=True)
    return env


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is missing: pip install -r requirements/build.txt")
    base = tmp_path_factory.mktemp("frozen")
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
         "--workpath", str(base / "work"), "--distpath", str(base / "dist")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-5000:]
    executable = base / "dist" / "suas-desktop" / ("suas-desktop.exe" if os.name == "nt" else "suas-desktop")
    assert executable.is_file()
    print(f"frozen build: {time.perf_counter() - started:.0f} s")
    return executable


def test_frozen_self_test_passes(frozen_app, tmp_path):
    result = subprocess.run(
        [str(frozen_app), "self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=_clean_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tudo certo: 11 de 11 etapas" in result.stdout
    assert list((tmp_path / "tmp").iterdir()) == []


def test_frozen_window_opens_over_demo_data_and_closes(frozen_app, tmp_path):
    data = tmp_path / "dados"
    env = _clean_env(tmp_path)
    demo = subprocess.run(
        [str(frozen_app), "--data-dir", str(data), "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert demo.returncode == 0, demo.stderr
    # A modal error dialog would wait forever for a click: the timeout turns that into a failure.
    gui = subprocess.run(
        [str(frozen_app), "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "SUAS_DESKTOP_AUTOCLOSE_MS": "500"},
    )
    assert gui.returncode == 0, gui.stderr
    assert "started" in (data / "logs" / "suas-desktop.log").read_text(encoding="utf-8")
