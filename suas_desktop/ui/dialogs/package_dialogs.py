"""Transferência: export a ``.suas`` package, import one (dry run first), decide conflicts.

ux.md §B4: each direction is a short wizard. Export: tipo de pacote → destino (pen drives first) →
senha (only the complete package) → gravação with progress → where the file is, its size, this
installation's fingerprint, "pode remover o pen drive". Import: escolher o arquivo → senha (when the
package asks) → confirm an unknown signer by its fingerprint → the dry-run summary ("Serão adicionados
12 registros, …") BEFORE anything is written → Importar Pacote → conflicts side by side.

Nothing here stores a passphrase: it lives in the line edit and in the closure of the running task only,
and the fields are cleared as soon as the task ends.
"""

from __future__ import annotations

import getpass
import inspect
import os
import shutil
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.passphrase import ADVICE, weakness
from suas_desktop.domain.register_fields import format_value
from suas_desktop.domain.registers import REGISTERS
from suas_desktop.domain.sync import SYNC_COLUMNS
from suas_desktop.errors import Cancelled, SuasError
from suas_desktop.services import package_format as pf
from suas_desktop.services import usb_write
from suas_desktop.services.package_service import (
    ConflictRecord,
    ExportResult,
    ImportResult,
    MergePlan,
    PackageService,
)
from suas_desktop.ui import forms
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.widgets import FieldError, MessageBar, secondary_button

PACKAGE_FILTER = "Pacotes do SUAS Desktop (*.suas);;Todos os arquivos (*)"
DRIVE_REMOVABLE = 2  # GetDriveTypeW

#: Tables that are not registers, in the words users know.
TABLE_LABELS = {
    "cycle": "Ciclos de checklist",
    "cycle_item": "Itens de checklist",
    "cycle_event": "Datas-chave dos ciclos",
    "attachments": "Anexos (evidências)",
    "municipal_holiday": "Feriados municipais",
    "municipality": "Dados do município",
    "signed_document": "Documentos assinados",
    "regional_summary": "Resumos de municípios",
}
#: Columns of the non-register tables, in words.
COLUMN_LABELS = {
    "name": "Nome",
    "title": "Título",
    "kind": "Tipo",
    "status": "Situação",
    "status_reason": "Motivo da situação",
    "responsible": "Responsável",
    "notes": "Observações",
    "note": "Observação",
    "day": "Data",
    "recurring": "Repete todo ano",
    "reference_year": "Ano de referência",
    "state": "Andamento do ciclo",
    "file_name": "Arquivo",
    "size": "Tamanho",
    "media_type": "Tipo de arquivo",
    "event": "Data-chave",
    "norm": "Norma",
    "published": "Publicada em",
    "changed_by": "Alterada por",
    "uf": "UF",
    "ibge_code": "Código IBGE",
    "population": "População",
    "managing_body": "Órgão gestor",
    "manager_name": "Gestor(a)",
    "cmas_president_name": "Presidente do CMAS",
    "due_override": "Prazo informado",
    "signer": "Quem assinou",
    "signed_at": "Assinado em",
}
CONFLICT_KINDS = {
    "edit": "Alterado nos dois computadores",
    "incoming_delete": "Excluído no outro computador e alterado neste",
    "local_delete": "Excluído neste computador e alterado no outro",
    "duplicate": "Cadastrado nos dois computadores (registro repetido)",
    "orphan": "Depende de um registro que não existe neste computador",
}
SCOPE_LABELS = {"full": "Completo", "regional": "Regional"}


# ================================================================== small helpers
def package_service(ctx: AppContext) -> PackageService:
    """The context's package service when it has one, else one over the open workspace."""
    service = getattr(ctx.services, "packages", None)
    if service is not None:
        return service
    assert ctx.workspace is not None, "Transferência precisa da pasta de dados aberta"
    return PackageService(ctx.workspace)


def accepts(function: Callable[..., Any], name: str) -> bool:
    """Whether ``function`` takes the keyword ``name`` (progress reporting, when a service offers it)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def human_size(size: int) -> str:
    """1,2 MB / 320 KB / 12,5 GB with the pt-BR decimal comma."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def fingerprint_text(value: str) -> str:
    """Hex digits in groups of 4 (``3F2A 9C01 …``); an already grouped text stays as it is."""
    digits = "".join(c for c in value.upper() if c in string.hexdigits)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def date_time_br(iso: str) -> str:
    """``2026-11-25T14:30:00Z`` → ``25/11/2026 11:30`` (local time)."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return iso or ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%d/%m/%Y %H:%M}"


def fixed_font_label(text: str) -> QLabel:
    label = QLabel(text)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 12.0))
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def table_label(table: str) -> str:
    if table in REGISTERS:
        return REGISTERS[table].label
    return TABLE_LABELS.get(table, table.replace("_", " ").capitalize())


def column_label(table: str, column: str) -> str:
    if table in REGISTERS:
        try:
            return REGISTERS[table].field(column).label
        except KeyError:
            pass
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def value_text(table: str, column: str, value: Any) -> str:
    if value is None or value == "":
        return "(vazio)"
    if table in REGISTERS:
        try:
            return format_value(REGISTERS[table].field(column), value) or "(vazio)"
        except KeyError:
            pass
    if isinstance(value, int) and column in ("recurring", "is_custom", "superseded"):
        return "Sim" if value else "Não"
    return str(value)


def record_title(table: str, row: dict[str, Any] | None) -> str:
    if not row:
        return "(registro excluído)"
    if table in REGISTERS and REGISTERS[table].title_field:
        title = row.get(REGISTERS[table].title_field)
        if title:
            return value_text(table, REGISTERS[table].title_field, title)
    for column in ("name", "title", "description", "number", "case_code", "item", "file_name", "system"):
        if row.get(column):
            return str(row[column])
    return f"registro {str(row.get('id', ''))[:8]}"


def field_rows(
    table: str, local: dict[str, Any] | None, incoming: dict[str, Any] | None
) -> list[tuple[str, str, str, bool]]:
    """(campo, valor deste computador, valor do pacote, differs) — data fields first, then who/when."""
    present: list[str] = []
    for row in (local, incoming):
        for column in row or {}:
            if column not in SYNC_COLUMNS and column not in present:
                present.append(column)
    order = list(REGISTERS[table].field_names) if table in REGISTERS else []
    columns = [c for c in order if c in present] + [c for c in present if c not in order]
    # The fields that differ come first: they are what the person has to decide about.
    columns.sort(key=lambda c: (local or {}).get(c) == (incoming or {}).get(c) and bool(local and incoming))
    out = []
    for column in columns:
        mine = value_text(table, column, local.get(column)) if local else "(excluído neste computador)"
        theirs = value_text(table, column, incoming.get(column)) if incoming else "(excluído no pacote)"
        differs = (local or {}).get(column) != (incoming or {}).get(column) or not (local and incoming)
        out.append((column_label(table, column), mine, theirs, differs))
    changed = [
        ("Alterado em", lambda r: date_time_br(str(r.get("updated_at", "")))),
        ("Alterado por", lambda r: str(r.get("updated_by", ""))),
    ]
    for label, get in changed:
        mine = get(local) if local else "—"
        theirs = get(incoming) if incoming else "—"
        out.append((label, mine, theirs, False))
    return out


def count_phrase(count: int, one: str, many: str, none: str) -> str:
    if count == 0:
        return none
    return f"1 {one}" if count == 1 else f"{count} {many}"


def plan_sentence(counts: dict[str, int]) -> str:
    """ "Serão adicionados 12 registros, atualizados 3, nenhum removido; 1 conflito."."""
    created, updated = counts.get("created", 0), counts.get("updated", 0)
    deleted, conflicts = counts.get("deleted", 0), counts.get("conflicts", 0)
    if created == 0:
        head = "Nenhum registro será adicionado"
    elif created == 1:
        head = "Será adicionado 1 registro"
    else:
        head = f"Serão adicionados {created} registros"
    upd = (
        "nenhum atualizado"
        if updated == 0
        else ("1 atualizado" if updated == 1 else f"atualizados {updated}")
    )
    rem = "nenhum removido" if deleted == 0 else ("1 removido" if deleted == 1 else f"removidos {deleted}")
    con = count_phrase(
        conflicts, "conflito para você decidir", "conflitos para você decidir", "nenhum conflito"
    )
    return f"{head}, {upd}, {rem}; {con}."


def done_sentence(counts: dict[str, int]) -> str:
    parts = [
        count_phrase(counts.get("created", 0), "registro adicionado", "registros adicionados", ""),
        count_phrase(counts.get("updated", 0), "atualizado", "atualizados", ""),
        count_phrase(counts.get("deleted", 0), "removido", "removidos", ""),
    ]
    parts = [p for p in parts if p]
    text = ", ".join(parts) if parts else "nenhuma mudança nos dados"
    conflicts = counts.get("conflicts", 0)
    if conflicts:
        text += "; " + count_phrase(conflicts, "conflito espera", "conflitos esperam", "") + " a sua decisão"
    return f"Pacote importado: {text}."


# ================================================================== removable drives
@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    removable: bool = True


def _free_text(path: Path) -> str:
    try:
        return f" — {human_size(shutil.disk_usage(path).free)} livres"
    except OSError:
        return ""


def _linux_drives() -> list[Drive]:
    user = os.environ.get("USER") or ""
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # pragma: no cover - no user name at all
            user = ""
    roots = [Path("/media") / user, Path("/run/media") / user] if user else []
    roots += [Path("/media"), Path("/mnt")]
    found: list[Drive] = []
    seen: set[Path] = set()
    for root in roots:
        try:
            children = sorted(root.iterdir())
        except OSError:
            continue
        for child in children:
            try:
                if not child.is_dir() or not os.path.ismount(child):
                    continue
                real = child.resolve()
            except OSError:
                continue
            if real in seen or not os.access(child, os.W_OK):
                continue
            seen.add(real)
            found.append(Drive(child, f"{child.name} ({child}){_free_text(child)}"))
    return found


def _windows_drives() -> list[Drive]:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    found = []
    for index, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << index):
            continue
        root = f"{letter}:\\"
        if kernel32.GetDriveTypeW(root) != DRIVE_REMOVABLE:
            continue
        name = ctypes.create_unicode_buffer(261)
        ok = kernel32.GetVolumeInformationW(root, name, 261, None, None, None, None, 0)
        if not ok:
            continue  # a card reader without a card
        label = name.value or "Pen drive"
        found.append(Drive(Path(root), f"{label} ({letter}:){_free_text(Path(root))}"))
    return found


def removable_drives() -> list[Drive]:
    """Pen drives and memory cards mounted now (Linux: /media, /run/media, /mnt; Windows: removable)."""
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            return _windows_drives()
        except (OSError, AttributeError):
            return []
    return _linux_drives()


def _is_on(path: Path, drives: list[Drive]) -> bool:
    try:
        resolved = path.resolve()
    except OSError:
        return False
    for drive in drives:
        try:
            if resolved == drive.path.resolve() or drive.path.resolve() in resolved.parents:
                return True
        except OSError:
            continue
    return False


# ================================================================== wizard frame
class _Wizard(QDialog):
    """A QDialog with a title, "Etapa N de M — título", a message bar, stacked pages and the buttons."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: {title}")
        self.setMinimumSize(640, 520)
        self._busy = False
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(8)
        heading = forms.label(title, "screenTitle")
        root.addWidget(heading)
        self.step_label = forms.label("", "muted")
        root.addWidget(self.step_label)
        self.message = MessageBar()
        root.addWidget(self.message)
        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)
        self.buttons = QDialogButtonBox()
        # Voltar sits at the left, apart from the box, as in every wizard (Voltar | Avançar, Cancelar).
        self.back_button = secondary_button("Voltar")
        self.next_button: QPushButton = self.buttons.addButton(
            "Avançar", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.next_button.setProperty("primary", True)
        self.close_button = self.buttons.addButton("Fechar", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Cancelar", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addWidget(self.buttons, 1)
        root.addLayout(row)

    @staticmethod
    def _page(*widgets: QWidget) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        for widget in widgets:
            layout.addWidget(widget)
        return page, layout

    def _scrolled(self, page: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page.setObjectName("content")
        scroll.setWidget(page)
        return scroll

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.back_button, self.next_button, self.close_button):
            button.setEnabled(not busy)

    def reject(self) -> None:
        if self._busy:
            return  # the progress dialog has its own Cancelar
        self._forget_secrets()
        super().reject()

    def accept(self) -> None:
        self._forget_secrets()
        super().accept()

    def _forget_secrets(self) -> None:
        """Clear every passphrase field (subclasses)."""


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhSensitiveData
    )
    return edit


# ================================================================== export
class ExportDialog(_Wizard):
    """Exportar Pacote. ``result_value`` holds the ExportResult once the file is written and checked."""

    SCOPE, DESTINATION, PASSPHRASE, DONE = range(4)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Exportar Pacote", parent)
        self.ctx = ctx
        self.service = package_service(ctx)
        self.result_value: ExportResult | None = None
        self.drives: list[Drive] = []
        self._other_folder: Path | None = None
        profile = ctx.services.municipalities.profile()
        self._municipality = profile.name if profile else ""
        self.pages.addWidget(self._build_scope_page())
        self.pages.addWidget(self._build_destination_page())
        self.pages.addWidget(self._build_passphrase_page())
        self.pages.addWidget(self._scrolled(self._build_done_page()))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next_step)
        self.rescan()
        self._go(self.SCOPE)

    # ------------------------------------------------------------------ pages
    def _build_scope_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("Que tipo de pacote você quer gravar?", "sectionTitle"))
        self.scope_group = QButtonGroup(self)
        self.scope_full = QRadioButton("&Completo")
        self.scope_regional = QRadioButton("&Regional")
        self.scope_full.setChecked(True)
        for button, text in (
            (
                self.scope_full,
                "Para outro computador do mesmo município. Leva todos os dados, inclusive dados pessoais "
                "e anexos, e por isso é sempre protegido por senha.",
            ),
            (
                self.scope_regional,
                "Para a associação regional. Leva só números (totais por serviço, situação dos checklists "
                "e das prestações de contas), sem dados pessoais; não precisa de senha.",
            ),
        ):
            self.scope_group.addButton(button)
            button.setAccessibleDescription(text)
            layout.addWidget(button)
            help_text = forms.label(text, "muted")
            help_text.setContentsMargins(28, 0, 0, 8)
            layout.addWidget(help_text)
        self.scope_group.buttonToggled.connect(lambda *_: self._suggest_name())
        layout.addStretch(1)
        return page

    def _build_destination_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("Onde gravar o pacote?", "sectionTitle"))
        self.drive_list = QListWidget()
        self.drive_list.setAccessibleName("Destino do pacote")
        self.drive_list.setMinimumHeight(120)
        self.drive_list.setWordWrap(True)
        layout.addWidget(forms.field_label("&Destino (pen drives aparecem primeiro)", self.drive_list))
        layout.addWidget(self.drive_list, 1)
        self.no_drive = forms.label(
            "ℹ Nenhum pen drive encontrado. Conecte o pen drive e clique em Procurar Novamente.",
        )
        self.no_drive.setObjectName("muted")
        layout.addWidget(self.no_drive)
        row = QHBoxLayout()
        self.rescan_button = secondary_button("Procurar Novamente")
        self.rescan_button.clicked.connect(self.rescan)
        self.folder_button = secondary_button("Escolher Outra Pasta…")
        self.folder_button.clicked.connect(lambda: self.choose_folder())  # noqa: PLW0108 - drop clicked(bool)
        row.addWidget(self.rescan_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.destination_error = FieldError()
        layout.addWidget(self.destination_error)
        self.file_name = QLineEdit()
        layout.addWidget(forms.field_label("&Nome do arquivo", self.file_name))
        layout.addWidget(self.file_name)
        self.file_name_error = FieldError()
        layout.addWidget(self.file_name_error)
        layout.addWidget(
            forms.label(
                "O arquivo é gravado, lido de volta e conferido antes de o SUAS Desktop dizer que terminou.",
                "muted",
            )
        )
        self._suggest_name()
        return page

    def _build_passphrase_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("Proteja o pacote com uma senha", "sectionTitle"))
        layout.addWidget(
            forms.label(
                "O pacote completo leva dados pessoais. Se o pen drive for perdido, só a senha protege "
                "esses dados (Lei Geral de Proteção de Dados, LGPD).",
                "muted",
            )
        )
        self.passphrase = _password_edit()
        layout.addWidget(forms.field_label("&Senha do pacote", self.passphrase))
        layout.addWidget(self.passphrase)
        self.strength = forms.label("", "muted")
        self.strength.setAccessibleName("Força da senha")
        layout.addWidget(self.strength)
        self.passphrase_error = FieldError()
        layout.addWidget(self.passphrase_error)
        self.confirmation = _password_edit()
        layout.addWidget(forms.field_label("&Repita a senha", self.confirmation))
        layout.addWidget(self.confirmation)
        self.confirmation_error = FieldError()
        layout.addWidget(self.confirmation_error)
        self.show_passphrase = QCheckBox("&Mostrar a senha")
        self.show_passphrase.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_passphrase)
        layout.addWidget(forms.label(ADVICE, "muted"))
        layout.addWidget(
            forms.label(
                "A senha não fica guardada em lugar nenhum: anote-a e entregue-a a quem vai importar "
                "o pacote por outro meio.",
                "muted",
            )
        )
        layout.addStretch(1)
        self.passphrase.textChanged.connect(self._update_strength)
        self._update_strength("")
        return page

    def _build_done_page(self) -> QWidget:
        page, layout = self._page()
        self.done_title = forms.label("✓ Pacote gravado e conferido.", "sectionTitle")
        layout.addWidget(self.done_title)
        self.done_where = forms.label("")
        self.done_where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.done_where)
        self.done_details = forms.label("")
        layout.addWidget(self.done_details)
        layout.addWidget(forms.label("Impressão digital desta instalação", "fieldLabel"))
        self.done_fingerprint = fixed_font_label("")
        self.done_fingerprint.setAccessibleName("Impressão digital desta instalação")
        layout.addWidget(self.done_fingerprint)
        layout.addWidget(
            forms.label(
                "Na primeira importação, quem receber o pacote confere estes números com você "
                "(por telefone, por exemplo).",
                "muted",
            )
        )
        self.done_remove = forms.label("")
        self.done_remove.setObjectName("fieldLabel")
        layout.addWidget(self.done_remove)
        row = QHBoxLayout()
        self.open_folder_button = secondary_button("Abrir Pasta")
        self.open_folder_button.clicked.connect(self.open_folder)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ navigation
    @property
    def scope(self) -> str:
        return "full" if self.scope_full.isChecked() else "regional"

    def _steps(self) -> list[int]:
        steps = [self.SCOPE, self.DESTINATION]
        return [*steps, self.PASSPHRASE] if self.scope == "full" else steps

    def _go(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.message.hide()
        steps = self._steps()
        titles = {
            self.SCOPE: "Tipo de pacote",
            self.DESTINATION: "Destino",
            self.PASSPHRASE: "Senha",
        }
        done = index == self.DONE
        if done:
            self.step_label.setText("Concluído")
        else:
            self.step_label.setText(f"Etapa {steps.index(index) + 1} de {len(steps)} — {titles[index]}")
        last = not done and index == steps[-1]
        self.back_button.setVisible(not done and index != steps[0])
        self.next_button.setVisible(not done)
        self.next_button.setText("Exportar Pacote" if last else "Avançar")
        self.cancel_button.setVisible(not done)
        self.close_button.setVisible(done)
        if done:
            self.close_button.setDefault(True)
        focus = {
            self.SCOPE: self.scope_full if self.scope_full.isChecked() else self.scope_regional,
            self.DESTINATION: self.drive_list,
            self.PASSPHRASE: self.passphrase,
            self.DONE: self.close_button,
        }[index]
        focus.setFocus()

    def back(self) -> None:
        steps = self._steps()
        current = self.pages.currentIndex()
        if current in steps and steps.index(current) > 0:
            self._go(steps[steps.index(current) - 1])

    def next_step(self) -> None:
        steps = self._steps()
        current = self.pages.currentIndex()
        if current == self.DESTINATION and not self._check_destination():
            return
        if current == self.PASSPHRASE and not self._check_passphrase():
            return
        if current == steps[-1]:
            self.export()
            return
        self._go(steps[steps.index(current) + 1])

    # ------------------------------------------------------------------ destination
    def rescan(self) -> None:
        self.drives = removable_drives()
        self.drive_list.clear()
        for drive in self.drives:
            item = QListWidgetItem(f"🖫 {drive.label}")
            item.setData(Qt.ItemDataRole.UserRole, str(drive.path))
            self.drive_list.addItem(item)
        if self._other_folder is not None:
            self._add_folder_item(self._other_folder)
        self.no_drive.setVisible(not self.drives)
        if self.drive_list.count():
            self.drive_list.setCurrentRow(0)

    def _add_folder_item(self, folder: Path) -> None:
        item = QListWidgetItem(f"📁 Pasta: {folder}{_free_text(folder)}")
        item.setData(Qt.ItemDataRole.UserRole, str(folder))
        self.drive_list.addItem(item)
        self.drive_list.setCurrentItem(item)

    @staticmethod
    def ask_folder(parent: QWidget) -> str:
        return QFileDialog.getExistingDirectory(
            parent, "Escolher a pasta onde gravar o pacote", str(Path.home())
        )

    def choose_folder(self, folder: str | Path | None = None) -> None:
        folder = folder or self.ask_folder(self)
        if not folder:
            return
        self._other_folder = Path(folder)
        for row in range(self.drive_list.count()):
            if self.drive_list.item(row).text().startswith("📁"):
                self.drive_list.takeItem(row)
                break
        self._add_folder_item(self._other_folder)
        self.destination_error.show_error("")

    def destination(self) -> Path | None:
        item = self.drive_list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _suggest_name(self) -> None:
        if not hasattr(self, "file_name"):
            return
        kind = "completo" if self.scope == "full" else "regional"
        day = self.ctx.today().strftime("%d-%m-%Y")
        who = self._municipality or "pacote"
        self.file_name.setText(usb_write.suggested_name(f"{who} {kind} {day}"))

    def _target(self) -> Path | None:
        folder = self.destination()
        name = self.file_name.text().strip()
        if folder is None or not name:
            return None
        if not name.lower().endswith(pf.FILE_SUFFIX):
            name += pf.FILE_SUFFIX
        return folder / name

    def _check_destination(self) -> bool:
        ok = True
        if self.destination() is None:
            self.destination_error.show_error(
                "Escolha onde gravar: conecte o pen drive e clique em Procurar Novamente, "
                "ou clique em Escolher Outra Pasta."
            )
            ok = False
        else:
            self.destination_error.show_error("")
        name = self.file_name.text().strip()
        problems = usb_write.name_problems(name) if name else ["Informe o nome do arquivo."]
        if problems:
            self.file_name_error.show_error(f"{problems[0]} Exemplo: pacote-2026.suas.")
            ok = False
        else:
            self.file_name_error.show_error("")
        if not ok:
            (self.drive_list if self.destination() is None else self.file_name).setFocus()
        return ok

    # ------------------------------------------------------------------ passphrase
    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirmation.setEchoMode(mode)

    def _update_strength(self, text: str) -> None:
        if not text:
            self.strength.setText("Use pelo menos 12 caracteres ou 4 palavras.")
            return
        why = weakness(text, avoid=(self._municipality,) if self._municipality else ())
        self.strength.setText("✓ Senha forte o bastante." if why is None else f"⚠ Ainda fraca: {why}")

    def _check_passphrase(self) -> bool:
        text = self.passphrase.text()
        why = weakness(text, avoid=(self._municipality,) if self._municipality else ())
        self.passphrase_error.show_error(f"Senha do pacote: {why}" if why else "")
        mismatch = not why and self.confirmation.text() != text
        self.confirmation_error.show_error(
            "Repita a senha: as duas senhas não são iguais. Digite a mesma senha nos dois campos."
            if mismatch
            else ""
        )
        if why:
            self.passphrase.setFocus()
        elif mismatch:
            self.confirmation.setFocus()
        return not why and not mismatch

    def _forget_secrets(self) -> None:
        self.passphrase.clear()
        self.confirmation.clear()

    # ------------------------------------------------------------------ export
    @staticmethod
    def confirm_overwrite(parent: QWidget, path: Path) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(APP_NAME)
        box.setText(f"Já existe um arquivo “{path.name}” nesta pasta. Substituir esse arquivo?")
        box.setInformativeText("O arquivo antigo será apagado e não poderá ser recuperado.")
        replace = box.addButton("Substituir Arquivo", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is replace

    def export(self) -> None:
        target = self._target()
        if target is None or not self._check_destination():
            self._go(self.DESTINATION)
            return
        if self.scope == "full" and not self._check_passphrase():
            return
        if target.exists() and not self.confirm_overwrite(self, target):
            return
        scope = self.scope
        passphrase = self.passphrase.text() if scope == "full" else None
        service, actor = self.service, self.ctx.actor
        label = f"Gravando o pacote {target.name}…"

        def work(progress, cancel) -> ExportResult:
            progress(0, 0, label)
            extra = {"progress": progress} if accepts(service.export, "progress") else {}
            return service.export(target, actor=actor, scope=scope, passphrase=passphrase, **extra)

        self._set_busy(True)
        self.message.show_message(label, "info", timeout_ms=0)
        self.ctx.runner.start(
            work, on_success=self._exported, on_failure=self._failed, parent=self, title=label
        )

    def _exported(self, result: ExportResult) -> None:
        self._set_busy(False)
        self._forget_secrets()
        self.result_value = result
        self.done_where.setText(f"Arquivo: {result.path}")
        details = [f"Tamanho: {human_size(result.size)}."]
        if result.scope == "full":
            records = sum(result.records.values())
            details.append(
                f"Leva {records} registro(s) e {result.attachments} anexo(s). Protegido por senha: "
                "entregue a senha a quem vai importar por outro meio (não no mesmo pen drive)."
            )
        else:
            details.append("Pacote regional: só números, sem dados pessoais e sem senha.")
        self.done_details.setText(" ".join(details))
        self.done_fingerprint.setText(fingerprint_text(result.fingerprint))
        if _is_on(result.path, self.drives):
            self.done_remove.setText(
                "Você já pode remover o pen drive: antes de retirá-lo, use “Remover com segurança” "
                "(ou “Ejetar”) no sistema."
            )
        else:
            self.done_remove.setText(
                "Se esta pasta for um pen drive, use “Remover com segurança” (ou “Ejetar”) antes de "
                "retirá-lo."
            )
        self._go(self.DONE)
        self.ctx.notify("package")

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.message.show_message("Exportação cancelada. Nenhum arquivo foi gravado.", "warning")
            return
        self.message.hide()
        show_error(self, exc)

    @staticmethod
    def open_url(url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def open_folder(self) -> None:
        if self.result_value is not None:
            self.open_url(QUrl.fromLocalFile(str(self.result_value.path.parent)))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext) -> ExportResult | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_value


# ================================================================== import
class PackageImportDialog(_Wizard):
    """Importar Pacote: the dry-run summary comes first; ``result_value`` is set once applied."""

    FILE, PASSPHRASE, TRUST, SUMMARY, DONE = range(5)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Importar Pacote", parent)
        self.ctx = ctx
        self.service = package_service(ctx)
        self.path: Path | None = None
        self.plan: MergePlan | None = None
        self.signer: pf.SignerInfo | None = None
        self.result_value: ImportResult | None = None
        self._trust = False
        self._encrypted = False
        self.pages.addWidget(self._build_file_page())
        self.pages.addWidget(self._build_passphrase_page())
        self.pages.addWidget(self._build_trust_page())
        self.pages.addWidget(self._scrolled(self._build_summary_page()))
        self.pages.addWidget(self._scrolled(self._build_done_page()))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next_step)
        self.rescan()
        self._go(self.FILE)

    # ------------------------------------------------------------------ pages
    def _build_file_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("Qual pacote você quer importar?", "sectionTitle"))
        layout.addWidget(
            forms.label(
                "Primeiro o SUAS Desktop confere o pacote e mostra o que vai mudar. Nada é gravado antes "
                "de você clicar em Importar Pacote.",
                "muted",
            )
        )
        self.file_list = QListWidget()
        self.file_list.setMinimumHeight(120)
        self.file_list.setWordWrap(True)
        self.file_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.file_list.itemActivated.connect(lambda _: self.next_step())
        layout.addWidget(forms.field_label("&Pacotes encontrados nos pen drives", self.file_list))
        layout.addWidget(self.file_list, 1)
        self.no_files = forms.label(
            "ℹ Nenhum pacote encontrado nos pen drives. Conecte o pen drive e clique em Procurar Novamente, "
            "ou escolha o arquivo em outra pasta.",
            "muted",
        )
        layout.addWidget(self.no_files)
        row = QHBoxLayout()
        self.rescan_button = secondary_button("Procurar Novamente")
        self.rescan_button.clicked.connect(self.rescan)
        self.choose_button = secondary_button("Escolher Outro Arquivo…")
        self.choose_button.clicked.connect(lambda: self.choose_file())  # noqa: PLW0108 - drop clicked(bool)
        row.addWidget(self.rescan_button)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.file_error = FieldError()
        layout.addWidget(self.file_error)
        return page

    def _build_passphrase_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("Este pacote é protegido por senha", "sectionTitle"))
        self.passphrase_file = forms.label("", "muted")
        layout.addWidget(self.passphrase_file)
        self.passphrase = _password_edit()
        layout.addWidget(forms.field_label("&Senha do pacote", self.passphrase))
        layout.addWidget(self.passphrase)
        self.passphrase_error = FieldError()
        layout.addWidget(self.passphrase_error)
        self.show_passphrase = QCheckBox("&Mostrar a senha")
        self.show_passphrase.toggled.connect(
            lambda shown: self.passphrase.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        layout.addWidget(self.show_passphrase)
        layout.addWidget(
            forms.label(
                "Informe a senha combinada com quem criou o pacote. Maiúsculas, minúsculas e acentos contam.",
                "muted",
            )
        )
        layout.addStretch(1)
        return page

    def _build_trust_page(self) -> QWidget:
        page, layout = self._page()
        self.trust_title = forms.label(
            "Este pacote vem de uma instalação que este computador ainda não conhece", "sectionTitle"
        )
        layout.addWidget(self.trust_title)
        self.trust_origin = forms.label("")
        layout.addWidget(self.trust_origin)
        layout.addWidget(forms.label("Impressão digital da chave de quem enviou", "fieldLabel"))
        self.trust_fingerprint = fixed_font_label("")
        self.trust_fingerprint.setAccessibleName("Impressão digital da chave de quem enviou")
        layout.addWidget(self.trust_fingerprint)
        self.trust_changed = forms.label(
            "⚠ Atenção: a chave desta instalação mudou desde o último pacote recebido dela. Isso acontece "
            "quando o SUAS Desktop foi reinstalado; se ninguém reinstalou, não confie.",
        )
        self.trust_changed.setObjectName("fieldError")
        layout.addWidget(self.trust_changed)
        layout.addWidget(
            forms.label(
                "Ligue para quem enviou o pacote e peça que leia a impressão digital que aparece em "
                "Transferência, no computador de origem. Só clique em Confiar Nesta Instalação se os "
                "números forem exatamente iguais. Nada é gravado antes de você ver o resumo.",
            )
        )
        layout.addStretch(1)
        return page

    def _build_summary_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(forms.label("O que vai mudar neste computador", "sectionTitle"))
        self.summary_origin = forms.label("", "muted")
        layout.addWidget(self.summary_origin)
        self.summary = forms.label("")
        self.summary.setObjectName("fieldLabel")
        self.summary.setAccessibleName("Resumo da importação")
        layout.addWidget(self.summary)
        self.summary_table = QTableWidget(0, 5)
        self.summary_table.setHorizontalHeaderLabels(
            ["Cadastro", "Novos", "Atualizados", "Removidos", "Conflitos"]
        )
        self.summary_table.setAccessibleName("Mudanças por cadastro")
        _plain_table(self.summary_table)
        layout.addWidget(self.summary_table)
        self.summary_conflicts = forms.label("")
        layout.addWidget(self.summary_conflicts)
        self.summary_warnings = forms.label("")
        self.summary_warnings.setObjectName("fieldError")
        layout.addWidget(self.summary_warnings)
        self.summary_backup = forms.label(
            "Antes de importar, o SUAS Desktop faz uma cópia de segurança automática. Se algo der errado, "
            "nada é alterado.",
            "muted",
        )
        layout.addWidget(self.summary_backup)
        layout.addStretch(1)
        return page

    def _build_done_page(self) -> QWidget:
        page, layout = self._page()
        self.done_title = forms.label("", "sectionTitle")
        layout.addWidget(self.done_title)
        self.done_details = forms.label("", "muted")
        layout.addWidget(self.done_details)
        self.conflicts = ConflictsPanel(self.ctx, self.service)
        layout.addWidget(self.conflicts)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ navigation
    def _go(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        titles = {
            self.FILE: (1, "Escolher o pacote"),
            self.PASSPHRASE: (2, "Senha"),
            self.TRUST: (2, "Conferir quem enviou"),
            self.SUMMARY: (3, "Conferir as mudanças"),
        }
        done = index == self.DONE
        if done:
            self.step_label.setText("Concluído")
        else:
            number, title = titles[index]
            self.step_label.setText(f"Etapa {number} de 3 — {title}")
        self.back_button.setVisible(index in (self.PASSPHRASE, self.TRUST, self.SUMMARY))
        self.next_button.setVisible(not done)
        self.next_button.setEnabled(True)
        self.next_button.setText(
            {
                self.FILE: "Conferir Pacote",
                self.PASSPHRASE: "Abrir Pacote",
                self.TRUST: "Confiar Nesta Instalação",
                self.SUMMARY: "Importar Pacote",
            }.get(index, "Avançar")
        )
        self.cancel_button.setVisible(not done)
        self.cancel_button.setText("Cancelar")
        self.close_button.setVisible(done)
        # Trusting a key is a decision: Enter must not take it.
        self.next_button.setAutoDefault(index != self.TRUST)
        self.next_button.setDefault(index not in (self.TRUST, self.DONE))
        if index == self.TRUST:
            self.cancel_button.setDefault(True)
        if index == self.PASSPHRASE:
            self.passphrase.setFocus()
        elif index == self.FILE:
            self.file_list.setFocus()
        elif done:
            self.close_button.setDefault(True)
            self.close_button.setFocus()

    def back(self) -> None:
        current = self.pages.currentIndex()
        if current == self.SUMMARY and self._encrypted:
            self._go(self.PASSPHRASE)
        else:
            self._go(self.FILE)

    def next_step(self) -> None:
        current = self.pages.currentIndex()
        if current == self.FILE:
            item = self.file_list.currentItem()
            if item is None:
                self.file_error.show_error(
                    "Escolha um pacote da lista ou clique em Escolher Outro Arquivo para procurá-lo."
                )
                return
            self.choose_file(item.data(Qt.ItemDataRole.UserRole))
        elif current == self.PASSPHRASE:
            self.submit_passphrase()
        elif current == self.TRUST:
            self.trust_signer()
        elif current == self.SUMMARY:
            self.apply()

    # ------------------------------------------------------------------ file
    def rescan(self) -> None:
        self.file_list.clear()
        for drive in removable_drives():
            try:
                found = sorted(p for p in drive.path.iterdir() if p.suffix.lower() == pf.FILE_SUFFIX)
            except OSError:
                continue
            for path in found:
                try:
                    stat = path.stat()
                except OSError:
                    continue
                when = datetime.fromtimestamp(stat.st_mtime)
                item = QListWidgetItem(
                    f"{path.name}\n{drive.label.split(' — ')[0]} · {human_size(stat.st_size)} · "
                    f"gravado em {when:%d/%m/%Y %H:%M}"
                )
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                self.file_list.addItem(item)
        self.no_files.setVisible(self.file_list.count() == 0)
        if self.file_list.count():
            self.file_list.setCurrentRow(0)

    @staticmethod
    def ask_package_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Escolher pacote para importar", str(Path.home()), PACKAGE_FILTER
        )
        return path

    def choose_file(self, path: str | Path | None = None) -> None:
        path = path or self.ask_package_path(self)
        if not path:
            return
        self.path = Path(path)
        self.file_error.show_error("")
        self.passphrase.clear()
        self.passphrase_error.show_error("")
        self._trust = False
        self._encrypted = False
        self.check()

    # ------------------------------------------------------------------ dry run
    def check(self) -> None:
        """Open the package and plan the merge without writing anything."""
        assert self.path is not None
        service, path = self.service, self.path
        passphrase = self.passphrase.text() or None
        trust = self._trust
        label = f"Conferindo o pacote {path.name}…"

        def work(progress, cancel) -> MergePlan:
            progress(0, 0, label)
            extra = {"progress": progress} if accepts(service.preview, "progress") else {}
            return service.preview(path, passphrase=passphrase, trust_signer=trust, **extra)

        self._set_busy(True)
        self.ctx.runner.start(
            work, on_success=self._checked, on_failure=self._check_failed, parent=self, title=label
        )

    def _check_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.message.show_message("Conferência cancelada. Nada foi alterado.", "warning")
            return
        reason = getattr(exc, "reason", "")
        if isinstance(exc, pf.UnknownSigner):
            self.signer = exc.signer
            signer = exc.signer
            self.trust_origin.setText(
                f"Município: {signer.municipality_name} (código IBGE {signer.municipality}). "
                f"Pacote: {self.path.name if self.path else ''}."
            )
            self.trust_fingerprint.setText(fingerprint_text(signer.display))
            self.trust_changed.setVisible(exc.changed)
            self._go(self.TRUST)
            return
        if reason == "needs_passphrase":
            self._encrypted = True
            self.passphrase_file.setText(f"Pacote: {self.path.name if self.path else ''}.")
            self.passphrase_error.show_error("")
            self._go(self.PASSPHRASE)
            return
        if reason == "wrong_passphrase":
            self._encrypted = True
            self.passphrase_error.show_error(
                "Senha incorreta: o pacote não foi aberto. Confira a senha com quem criou o pacote "
                "(maiúsculas, minúsculas e acentos contam)."
            )
            self._go(self.PASSPHRASE)
            self.passphrase.selectAll()
            return
        self._go(self.FILE)
        show_error(self, exc)

    def submit_passphrase(self) -> None:
        if not self.passphrase.text():
            self.passphrase_error.show_error("Informe a senha do pacote, combinada com quem o enviou.")
            self.passphrase.setFocus()
            return
        self.passphrase_error.show_error("")
        self.check()

    def trust_signer(self) -> None:
        """The person compared the fingerprint: plan again as if trusted (stored only on import)."""
        self._trust = True
        self.check()

    def _checked(self, plan: MergePlan) -> None:
        self._set_busy(False)
        self.plan = plan
        self._fill_summary(plan)
        self._go(self.SUMMARY)
        can_import = plan.changes and not plan.already_imported
        self.next_button.setVisible(can_import)
        if not can_import:
            self.cancel_button.setText("Fechar")

    def _fill_summary(self, plan: MergePlan) -> None:
        kind = SCOPE_LABELS.get(plan.scope, plan.scope)
        self.summary_origin.setText(
            f"Pacote {kind.lower()} de {plan.municipality_name}, criado em {date_time_br(plan.created_at)}. "
            f"Assinado pela chave {fingerprint_text(plan.signer)}."
        )
        if plan.already_imported:
            self.summary.setText("Este pacote já foi importado neste computador. Não há nada a fazer.")
        elif not plan.changes:
            self.summary.setText(
                "Nada novo: este computador já tem tudo o que o pacote traz. Não há nada a importar."
            )
        else:
            self.summary.setText(plan_sentence(plan.counts()))
        per_table: dict[str, Counter] = {}
        for key, refs in (
            ("created", plan.created),
            ("updated", plan.updated),
            ("deleted", plan.deleted),
            ("conflicts", plan.conflicts),
        ):
            for ref in refs:
                per_table.setdefault(ref.table, Counter())[key] += 1
        rows = sorted(per_table.items(), key=lambda kv: table_label(kv[0]))
        self.summary_table.setRowCount(len(rows))
        for r, (table, counter) in enumerate(rows):
            self.summary_table.setItem(r, 0, QTableWidgetItem(table_label(table)))
            for c, key in enumerate(("created", "updated", "deleted", "conflicts"), start=1):
                item = QTableWidgetItem(str(counter.get(key, 0)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary_table.setItem(r, c, item)
        _fit_height(self.summary_table)
        self.summary_table.setVisible(bool(rows))
        if plan.conflicts:
            lines = [
                f"• {table_label(c.table)}: {record_title(c.table, c.local or c.incoming)} — "
                f"{CONFLICT_KINDS.get(c.kind, c.kind).lower()}"
                for c in plan.conflicts[:10]
            ]
            more = len(plan.conflicts) - len(lines)
            if more > 0:
                lines.append(f"• e mais {more}")
            self.summary_conflicts.setText(
                "Conflitos (nada é substituído: depois da importação você escolhe a versão de cada um):\n"
                + "\n".join(lines)
            )
        self.summary_conflicts.setVisible(bool(plan.conflicts))
        self.summary_warnings.setText("\n".join(f"⚠ {w}" for w in plan.warnings))
        self.summary_warnings.setVisible(bool(plan.warnings))
        self.summary_backup.setVisible(plan.changes and not plan.already_imported)

    # ------------------------------------------------------------------ apply
    def apply(self) -> None:
        if self.path is None or self.plan is None:
            return
        service, path, actor = self.service, self.path, self.ctx.actor
        passphrase = self.passphrase.text() or None
        trust = self._trust
        label = f"Importando o pacote {path.name}…"

        def work(progress, cancel) -> ImportResult:
            progress(0, 0, label)
            extra = {"progress": progress} if accepts(service.import_package, "progress") else {}
            return service.import_package(
                path, passphrase=passphrase, actor=actor, trust_signer=trust, **extra
            )

        self._set_busy(True)
        self.ctx.runner.start(
            work, on_success=self._imported, on_failure=self._import_failed, parent=self, title=label
        )

    def _imported(self, result: ImportResult) -> None:
        self._set_busy(False)
        self._forget_secrets()
        self.result_value = result
        counts = result.plan.counts()
        self.done_title.setText(("⚠ " if counts["conflicts"] else "✓ ") + done_sentence(counts))
        details = []
        if result.backup is not None:
            details.append(f"Cópia de segurança feita antes da importação: {result.backup.name}.")
        if counts["conflicts"]:
            details.append(
                "Em cada conflito abaixo, compare as duas versões e escolha qual fica. Você também pode "
                "decidir depois, em Transferência."
            )
        self.done_details.setText(" ".join(details))
        self.done_details.setVisible(bool(details))
        self.conflicts.refresh()
        self.conflicts.setVisible(bool(counts["conflicts"]))
        if counts["conflicts"]:
            self.resize(max(self.width(), 860), max(self.height(), 720))
        self._go(self.DONE)
        self.ctx.notify("*")

    def _import_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.message.show_message("Importação cancelada. Nada foi alterado.", "warning")
            return
        if isinstance(exc, pf.PackageRejected) and exc.reason in ("needs_passphrase", "wrong_passphrase"):
            self._check_failed(exc)
            return
        show_error(self, exc)

    def _forget_secrets(self) -> None:
        self.passphrase.clear()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext) -> ImportResult | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_value


# ================================================================== conflicts
def _plain_table(table: QTableWidget) -> None:
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


def _fit_height(table: QTableWidget, max_rows: int | None = None) -> None:
    """As tall as its rows (the page scrolls, not the table); up to ``max_rows`` when given."""
    table.resizeRowsToContents()
    rows = table.rowCount() if max_rows is None else min(table.rowCount(), max_rows)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(rows))
    table.setFixedHeight(height + 2 * table.frameWidth() + 4)
    scrolls = max_rows is not None and table.rowCount() > max_rows
    table.setVerticalScrollBarPolicy(
        Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    )


class ConflictsPanel(QWidget):
    """Open conflicts: the list, the two versions side by side and one decision per conflict."""

    def __init__(self, ctx: AppContext, service: PackageService | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = service or package_service(ctx)
        self.records: list[ConflictRecord] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.message = MessageBar()
        layout.addWidget(self.message)
        self.list = QTableWidget(0, 3)
        self.list.setHorizontalHeaderLabels(["Registro", "Cadastro", "O que aconteceu"])
        self.list.setAccessibleName("Conflitos a decidir")
        _plain_table(self.list)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.itemSelectionChanged.connect(self._show_selected)
        layout.addWidget(forms.field_label("&Registros em conflito", self.list))
        layout.addWidget(self.list)
        self.compare = QTableWidget(0, 3)
        self.compare.setHorizontalHeaderLabels(["Campo", "Valor deste computador", "Valor do pacote"])
        self.compare.setAccessibleName("As duas versões do registro, lado a lado")
        _plain_table(self.compare)
        self.compare.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.compare.setWordWrap(True)
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.compare.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.compare_label = forms.field_label("&Comparação (≠ marca os campos diferentes)", self.compare)
        layout.addWidget(self.compare_label)
        layout.addWidget(self.compare)
        row = QHBoxLayout()
        self.keep_local_button = secondary_button("Manter Este Computador")
        self.keep_incoming_button = secondary_button("Usar o Pacote")
        self.keep_local_button.setToolTip("Fica a versão deste computador; a do pacote é descartada.")
        self.keep_incoming_button.setToolTip(
            "Fica a versão que veio no pacote; a deste computador é descartada."
        )
        self.keep_local_button.clicked.connect(lambda: self.resolve("local"))
        self.keep_incoming_button.clicked.connect(lambda: self.resolve("incoming"))
        row.addStretch(1)
        row.addWidget(self.keep_local_button)
        row.addWidget(self.keep_incoming_button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.records = self.service.conflicts()
        except SuasError as exc:
            self.records = []
            self.message.show_message(exc.message, "error")
        self.list.setRowCount(len(self.records))
        for r, c in enumerate(self.records):
            values = [
                record_title(c.table, c.local or c.incoming),
                table_label(c.table),
                CONFLICT_KINDS.get(c.kind, c.kind),
            ]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.list.setItem(r, col, item)
        _fit_height(self.list, max_rows=6)
        has = bool(self.records)
        for widget in (self.compare, self.compare_label, self.keep_local_button, self.keep_incoming_button):
            widget.setVisible(has)
        if has:
            self.list.selectRow(0)
        else:
            self.compare.setRowCount(0)

    def selected(self) -> ConflictRecord | None:
        rows = self.list.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()]

    def _show_selected(self) -> None:
        conflict = self.selected()
        if conflict is None:
            self.compare.setRowCount(0)
            return
        rows = field_rows(conflict.table, conflict.local, conflict.incoming)
        self.compare.setRowCount(len(rows))
        for r, (label, mine, theirs, differs) in enumerate(rows):
            name = QTableWidgetItem(f"≠ {label}" if differs else label)
            font = name.font()
            font.setBold(differs)
            name.setFont(font)
            self.compare.setItem(r, 0, name)
            for c, text in ((1, mine), (2, theirs)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differs:
                    item.setFont(font)
                self.compare.setItem(r, c, item)
        _fit_height(self.compare)

    def resolve(self, keep: str, conflict: ConflictRecord | None = None) -> bool:
        conflict = conflict or self.selected()
        if conflict is None:
            return False
        try:
            self.service.resolve_conflict(conflict.id, keep=keep, actor=self.ctx.actor)
        except SuasError as exc:
            show_error(self, exc)
            return False
        which = "deste computador" if keep == "local" else "do pacote"
        self.refresh()
        self.message.show_message(
            f"Conflito resolvido: ficou a versão {which} em {table_label(conflict.table)} › "
            f"{record_title(conflict.table, conflict.local or conflict.incoming)}.",
            "success",
        )
        self.ctx.notify(conflict.table)
        return True
