"""The "Sobre" dialog: built and inspected, never exec()'d."""

from __future__ import annotations

import email.message
import re
import tomllib
from pathlib import Path

import pytest

from suas_desktop import APP_NAME, __version__
from suas_desktop.ui.dialogs import about_dialog
from suas_desktop.ui.dialogs.about_dialog import AboutDialog, component_licences, licence_of

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


def _metadata(**fields: str | list[str]) -> email.message.Message:
    msg = email.message.Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            msg[key.replace("_", "-")] = item
    return msg


@pytest.fixture
def dialog(qtbot, tmp_path):
    widget = AboutDialog(None, tmp_path / "dados")
    qtbot.addWidget(widget)
    return widget


def test_shows_name_version_folder_and_runtime(dialog, tmp_path):
    assert dialog.windowTitle() == f"Sobre o {APP_NAME}"
    assert dialog.title_label.text() == APP_NAME
    assert __version__ in dialog.version_label.text()
    assert dialog.folder_label.text() == str(tmp_path / "dados")
    assert "Python 3." in dialog.runtime_label.text()
    assert "Qt 6." in dialog.runtime_label.text()
    assert not dialog.icon_label.pixmap().isNull()
    assert "DejaVu" in dialog.font_label.text()
    assert Path(dialog.font_label.text().split(": ")[-1]).is_file()


def test_licence_table_lists_every_runtime_dependency(dialog):
    table = dialog.table
    rows = {
        _name(table.item(r, 0).text()): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    for name in ("pyside6-essentials", "shiboken6", "reportlab", "pyhanko", "cryptography", "holidays"):
        assert name in rows, name
    # Extras of pyHanko[opentype,pkcs11] are followed; test tools are not runtime dependencies.
    assert {"fonttools", "uharfbuzz", "python-pkcs11"} <= set(rows)
    assert not {"pytest", "ruff", "hypothesis"} & set(rows)
    assert all(version and licence for version, licence in rows.values())
    assert rows["reportlab"][1] == "BSD License"
    assert rows["pyside6-essentials"][1].startswith("LGPL-3.0")


def test_open_folder_button_opens_the_data_folder(dialog, qtbot, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(about_dialog, "open_folder", opened.append)
    qtbot.mouseClick(dialog.open_folder_button, about_dialog.Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "dados"]


def test_direct_dependencies_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {_name(r) for r in about_dialog.DIRECT_DEPENDENCIES} == {_name(r) for r in project["dependencies"]}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"License_Expression": "MIT", "License": "whatever"}, "MIT"),
        ({"License": "BSD license (see license.txt)", "Classifier": ["License :: OSI Approved :: BSD License"]},
         "BSD License"),
        ({"Classifier": ["License :: OSI Approved :: BSD License",
                         "License :: OSI Approved :: Apache Software License"]},
         "BSD License / Apache Software License"),
        ({"License": "Apache License 2.0\n\nLong text…"}, "Apache License 2.0"),
        ({"License": "UNKNOWN"}, about_dialog.UNKNOWN_LICENCE),
        ({}, about_dialog.UNKNOWN_LICENCE),
    ],
)  # fmt: skip
def test_licence_of(fields, expected):
    assert licence_of(_metadata(**fields)) == expected


def test_component_licences_skips_missing_distributions():
    assert component_licences(["surely-not-installed-package-xyz"]) == []
