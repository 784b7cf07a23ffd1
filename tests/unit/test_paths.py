"""Data folder precedence: --data-dir > environment > portable > per-user."""

from __future__ import annotations

from pathlib import Path

from suas_desktop.paths import ENV_DATA_DIR, DataDirSource, resolve_data_layout


def test_command_line_wins(tmp_path):
    got = resolve_data_layout(
        tmp_path / "cli", environ={ENV_DATA_DIR: str(tmp_path / "env")}, app_dir=tmp_path
    )
    assert got.root == (tmp_path / "cli").resolve()
    assert got.source is DataDirSource.COMMAND_LINE


def test_environment_next(tmp_path):
    (tmp_path / "PORTABLE").write_text("")
    got = resolve_data_layout(None, environ={ENV_DATA_DIR: str(tmp_path / "env")}, app_dir=tmp_path)
    assert got.root == (tmp_path / "env").resolve()
    assert got.source is DataDirSource.ENVIRONMENT


def test_portable_marker_puts_data_beside_the_app(tmp_path):
    (tmp_path / "PORTABLE").write_text("")
    got = resolve_data_layout(None, environ={}, app_dir=tmp_path)
    assert got.root == tmp_path / "dados"
    assert got.portable


def test_per_user_folder_by_default(tmp_path):
    got = resolve_data_layout(None, environ={}, app_dir=tmp_path)
    assert got.source is DataDirSource.USER
    assert "suas-desktop" in str(got.root)


def test_layout_inside_folder(tmp_path):
    layout = resolve_data_layout(tmp_path)
    layout.ensure()
    for sub in ("anexos", "backups", "logs"):
        assert (Path(tmp_path) / sub).is_dir()
    assert layout.database.name == "suas-desktop.db"
