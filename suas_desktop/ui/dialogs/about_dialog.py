"""The "Sobre" dialog: name, icon, version, data folder, Python/Qt versions and every component's licence.

The licences are read at run time with :mod:`importlib.metadata` (the frozen build ships the metadata of
each runtime dependency, see ``build/suas_desktop.spec``), so the table always matches what is installed.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME, APP_SLUG, __version__
from suas_desktop.paths import resources_dir
from suas_desktop.ui.widgets import secondary_button

#: The app's direct runtime dependencies, as in pyproject.toml ``[project] dependencies`` (a test keeps
#: them in step). The table shows these and everything they need, extras included.
DIRECT_DEPENDENCIES = (
    "PySide6-Essentials",
    "platformdirs",
    "holidays",
    "openpyxl",
    "reportlab[accel]",
    "pyHanko[opentype,pkcs11]",
    "pyhanko-certvalidator",
    "pypdfium2",
)
#: The licence of SUAS Desktop itself (pyproject.toml).
APP_LICENCE = "MIT"
UNKNOWN_LICENCE = "não informada"
FONT_LICENCE_FILE = "LICENSE-DejaVu.txt"

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?$")
_EXTRA_MARKER = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


@dataclass(frozen=True)
class ComponentLicence:
    name: str
    version: str
    licence: str


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(metadata: importlib.metadata.PackageMetadata) -> str:
    """SPDX ``License-Expression``, else the licence classifiers, else the first line of ``License``."""
    expression = (metadata.get("License-Expression") or "").strip()
    if expression:
        return expression
    classifiers = [
        c.split("::")[-1].strip()
        for c in metadata.get_all("Classifier") or []
        if c.startswith("License ::") and c.split("::")[-1].strip() != "OSI Approved"
    ]
    if classifiers:
        return " / ".join(classifiers)
    text = (metadata.get("License") or "").strip()
    first = text.splitlines()[0].strip() if text else ""
    if not first or first.upper() == "UNKNOWN":
        return UNKNOWN_LICENCE
    return first if len(first) <= 80 else first[:79] + "…"


def _requirement(text: str) -> tuple[str, set[str], str]:
    """(name, extras, marker) of a ``Requires-Dist`` line."""
    match = _REQUIREMENT.match(text)
    if match is None:
        return "", set(), ""
    extras = {_normalize(e.strip()) for e in (match.group(2) or "").split(",") if e.strip()}
    return match.group(1), extras, (match.group(3) or "").strip()


def component_licences(roots: Iterable[str] = DIRECT_DEPENDENCIES) -> list[ComponentLicence]:
    """Name, version and licence of ``roots`` and of everything they require, sorted by name.

    A requirement behind an ``extra`` marker is followed only when that extra was asked for; any other
    marker is taken as met when the distribution is installed. Missing distributions are skipped.
    """
    found: dict[str, ComponentLicence] = {}
    extras_done: dict[str, set[str]] = {}
    todo = list(roots)
    while todo:
        name, extras, _ = _requirement(todo.pop())
        key = _normalize(name)
        if not key or (key in extras_done and extras <= extras_done[key]):
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        extras_done[key] = extras_done.get(key, set()) | extras
        meta = dist.metadata
        found[key] = ComponentLicence(meta.get("Name") or name, dist.version, licence_of(meta))
        for line in dist.requires or []:
            _, _, marker = _requirement(line)
            wanted = _EXTRA_MARKER.findall(marker)
            if wanted and not {_normalize(w) for w in wanted} & extras_done[key]:
                continue
            todo.append(line)
    return sorted(found.values(), key=lambda c: c.name.lower())


def open_folder(path: Path) -> bool:
    """Show ``path`` in the system's file manager (tests replace this function)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AboutDialog(QDialog):
    """Sobre o SUAS Desktop.

    Attributes:
        data_dir: the data folder shown (and opened by "Abrir Pasta").
        components: the rows of the licence table.
    """

    def __init__(self, parent: QWidget | None, data_dir: str | Path) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.components = component_licences()
        self.setWindowTitle(f"Sobre o {APP_NAME}")
        self.setMinimumSize(640, 560)

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(12)

        header = QHBoxLayout()
        header.setSpacing(16)
        self.icon_label = QLabel()
        icon = QPixmap(str(resources_dir() / "icons" / f"{APP_SLUG}.png"))
        if not icon.isNull():
            self.icon_label.setPixmap(
                icon.scaled(
                    64, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        self.icon_label.setAccessibleName(f"Ícone do {APP_NAME}")
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        self.title_label = QLabel(APP_NAME)
        self.title_label.setObjectName("screenTitle")
        titles.addWidget(self.title_label)
        self.version_label = QLabel(f"Versão {__version__}")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.version_label)
        description = QLabel(
            "Encerramento do exercício e transição de mandato da Assistência Social (SUAS) para "
            f"pequenos municípios. Software livre, licença {APP_LICENCE}. Funciona sem internet."
        )
        description.setObjectName("muted")
        description.setWordWrap(True)
        titles.addWidget(description)
        header.addLayout(titles, 1)
        root.addLayout(header)

        folder_row = QHBoxLayout()
        folder_caption = QLabel("Pasta de dados:")
        folder_caption.setObjectName("fieldLabel")
        self.folder_label = QLabel(str(self.data_dir))
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = secondary_button("Abrir Pasta")
        self.open_folder_button.setToolTip("Mostra a pasta de dados no gerenciador de arquivos")
        self.open_folder_button.clicked.connect(self.open_data_folder)
        folder_row.addWidget(folder_caption)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        root.addLayout(folder_row)

        self.runtime_label = QLabel(
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__} · "
            f"{platform.system()} {platform.release()}"
        )
        self.runtime_label.setObjectName("muted")
        self.runtime_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.runtime_label)

        heading = QLabel("Componentes de terceiros")
        heading.setObjectName("sectionTitle")
        root.addWidget(heading)
        self.table = QTableWidget(len(self.components), 3)
        self.table.setHorizontalHeaderLabels(["Componente", "Versão", "Licença"])
        self.table.setAccessibleName("Componentes de terceiros e suas licenças")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        table_header = self.table.horizontalHeader()
        table_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, component in enumerate(self.components):
            for column, text in enumerate((component.name, component.version, component.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        root.addWidget(self.table, 1)

        font_licence = resources_dir() / "fonts" / FONT_LICENCE_FILE
        self.font_label = QLabel(
            "Os relatórios em PDF usam as fontes DejaVu (derivadas da Bitstream Vera), de uso e "
            f"distribuição livres. Texto completo da licença: {font_licence}"
        )
        self.font_label.setObjectName("muted")
        self.font_label.setWordWrap(True)
        self.font_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.font_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Fechar")
        close.setDefault(True)
        self.open_folder_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)

    def open_data_folder(self) -> None:
        open_folder(self.data_dir)

    @classmethod
    def ask(cls, parent: QWidget | None, data_dir: str | Path) -> None:
        """Show the dialog modally (it only informs: nothing to return)."""
        dialog = cls(parent, data_dir)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
