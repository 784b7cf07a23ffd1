"""Shared fixtures: every test gets its own data folder under tmp_path; Qt runs offscreen."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a screen (platform.md §2).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("SUAS_DESKTOP_DATA_DIR", None)

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from suas_desktop.domain.clock import FixedClock
from suas_desktop.paths import DataDirSource, DataLayout

GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "qtlog"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--kill-runs", type=int, default=50, help="runs of the SIGKILL crash test (normal suite: 50)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a QApplication as ``gui`` (``-m "not gui"`` runs the rest)."""
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def layout(tmp_path: Path) -> DataLayout:
    return DataLayout(tmp_path / "dados", DataDirSource.COMMAND_LINE)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 14, 30, tzinfo=UTC))


@pytest.fixture
def workspace(layout: DataLayout, clock: FixedClock) -> Iterator:
    from suas_desktop.services.workspace import open_workspace

    ws = open_workspace(layout, clock=clock, file_logging=False)
    yield ws
    ws.close()


@pytest.fixture
def db(workspace):
    return workspace.db
