"""The command-line contract of the foundation: --version, check, --data-dir anywhere."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from suas_desktop import __version__, cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "suas_desktop", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_check_new_folder_exits_0(tmp_path):
    folder = tmp_path / "NOVA PASTA"
    result = run("check", "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Nenhum problema encontrado" in result.stdout
    assert (folder / "suas-desktop.db").is_file()


def test_data_dir_before_subcommand_and_from_environment(tmp_path):
    out = io.StringIO()
    assert cli.main(["--data-dir", str(tmp_path / "a"), "check", "--json"], out=out) == 0
    assert json.loads(out.getvalue())["data_dir"] == str(tmp_path / "a")
    result = run("check", "--json", env={"SUAS_DESKTOP_DATA_DIR": str(tmp_path / "b")})
    assert json.loads(result.stdout)["ok"] is True
    assert (tmp_path / "b" / "suas-desktop.db").is_file()


def test_check_reports_damaged_attachment(tmp_path):
    folder = tmp_path / "d"
    assert run("check", "--data-dir", str(folder)).returncode == 0
    bogus = folder / "anexos" / "ab" / ("ab" + "0" * 62)
    bogus.parent.mkdir(parents=True)
    bogus.write_text("não confere")
    result = run("check", "--data-dir", str(folder))
    assert result.returncode == 1
    assert "danificado" in result.stdout


def test_check_refuses_folder_in_use(tmp_path):
    from suas_desktop.paths import DataLayout
    from suas_desktop.services.workspace import open_workspace

    with open_workspace(DataLayout(tmp_path / "d"), file_logging=False):
        result = run("check", "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 1
    assert "já está aberta" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_usage_error_in_portuguese():
    result = run("check", "--nope")
    assert result.returncode == 2
    assert "erro" in result.stderr


def test_headless_commands_never_load_qt(tmp_path):
    code = (
        "import sys, io; from suas_desktop import cli; "
        f"rc = cli.main(['check', '--data-dir', {str(tmp_path / 'd')!r}], out=io.StringIO()); "
        "assert rc == 0; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
