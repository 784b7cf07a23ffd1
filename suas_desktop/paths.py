"""Where the data lives: the data folder and its layout.

Order of precedence (interfaces.md): ``--data-dir`` > ``SUAS_DESKTOP_DATA_DIR`` > portable mode (a file
named ``PORTABLE`` beside the executable, or at the root of a source checkout, puts the data in
``dados/`` beside it so the app runs from a USB stick) > the per-user data folder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import platformdirs

from suas_desktop import APP_SLUG

ENV_DATA_DIR = "SUAS_DESKTOP_DATA_DIR"
PORTABLE_MARKER = "PORTABLE"
PORTABLE_DATA_FOLDER = "dados"
DATABASE_FILE = "suas-desktop.db"


class DataDirSource(Enum):
    COMMAND_LINE = "linha de comando (--data-dir)"
    ENVIRONMENT = f"variável de ambiente {ENV_DATA_DIR}"
    PORTABLE = "modo portátil"
    USER = "pasta de dados do usuário"


@dataclass(frozen=True)
class DataLayout:
    """Everything inside one data folder."""

    root: Path
    source: DataDirSource = DataDirSource.COMMAND_LINE

    @property
    def database(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def attachments(self) -> Path:
        """Evidence files stored once each, named by their SHA-256."""
        return self.root / "anexos"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def temp(self) -> Path:
        """Private scratch space (opened copies, undo stashes, import staging): emptied on every open."""
        return self.root / "tmp"

    @property
    def lock_file(self) -> Path:
        return self.root / ".suas-desktop.lock"

    @property
    def portable(self) -> bool:
        return self.source is DataDirSource.PORTABLE

    def ensure(self) -> None:
        """Create the folder tree (idempotent)."""
        for folder in (self.root, self.attachments, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)


def application_dir() -> Path:
    """The folder of the frozen executable, or the root of the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resolve_data_layout(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    app_dir: Path | None = None,
) -> DataLayout:
    """Pick the data folder by the documented precedence; nothing is created here."""
    env = os.environ if environ is None else environ
    if data_dir:
        return DataLayout(Path(data_dir).expanduser().resolve(), DataDirSource.COMMAND_LINE)
    if env.get(ENV_DATA_DIR):
        return DataLayout(Path(env[ENV_DATA_DIR]).expanduser().resolve(), DataDirSource.ENVIRONMENT)
    base = app_dir if app_dir is not None else application_dir()
    if (base / PORTABLE_MARKER).is_file():
        return DataLayout(base / PORTABLE_DATA_FOLDER, DataDirSource.PORTABLE)
    user_dir = platformdirs.user_data_dir(APP_SLUG, appauthor=False, roaming=False)
    return DataLayout(Path(user_dir), DataDirSource.USER)


def resources_dir() -> Path:
    """The shipped ``resources/`` folder (templates, deadlines): inside the frozen bundle or the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
