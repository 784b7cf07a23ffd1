"""Transferência: export and import ``.suas`` packages (pen drive), decide conflicts, see the history.

ux.md §B4: two big choices, Exportar Pacote / Importar Pacote, each a short wizard
(:mod:`suas_desktop.ui.dialogs.package_dialogs`). The page also shows this installation's fingerprint
(so the other side can compare it before trusting a package), the conflicts waiting for a decision and
the history of packages sent and received.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.errors import SuasError
from suas_desktop.services.regional_service import is_association
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.package_dialogs import (
    SCOPE_LABELS,
    ConflictsPanel,
    ExportDialog,
    PackageImportDialog,
    date_time_br,
    fingerprint_text,
    fixed_font_label,
    human_size,
    package_service,
)
from suas_desktop.ui.forms import scrolling_body
from suas_desktop.ui.pages.dashboard_page import CardEmpty, fill_table, make_table
from suas_desktop.ui.widgets import Card, MessageBar, ScreenHeader, primary_button

HISTORY_LIMIT = 50
DIRECTIONS = {
    "sent": "Enviado",
    "export": "Enviado",
    "exported": "Enviado",
    "received": "Recebido",
    "import": "Recebido",
    "imported": "Recebido",
}


def _get(entry: Any, *names: str, default: Any = "") -> Any:
    """A field of a history entry, whether the service returns objects or dicts."""
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value is not None and value != "":
            return value
    return default


def history_rows(entries: list[Any]) -> list[list[str]]:
    """Data, Sentido, Tipo, Outra instalação, Registros, Resultado."""
    rows = []
    for entry in entries:
        direction = str(_get(entry, "direction", default=""))
        peer = str(_get(entry, "peer_fingerprint", "peer", "fingerprint", default=""))
        records = _get(entry, "records", default="")
        if isinstance(records, dict):
            records = sum(records.values())
        if records == "" and _get(entry, "created", default=None) is not None:
            records = sum(int(_get(entry, k, default=0)) for k in ("created", "updated", "deleted"))
        size = _get(entry, "size", default=None)
        result = str(_get(entry, "result", "status", default=""))
        if not result and isinstance(size, int):
            result = f"Gravado e conferido ({human_size(size)})"
        rows.append(
            [
                date_time_br(str(_get(entry, "at", "date", "imported_at", "created_at", default=""))),
                DIRECTIONS.get(direction, direction.capitalize()),
                SCOPE_LABELS.get(
                    str(_get(entry, "scope", default="")), str(_get(entry, "scope", default=""))
                ),
                " ".join(fingerprint_text(peer).split()[:2]) if peer else "—",
                str(records),
                result,
            ]
        )
    return rows


class TransferPage(QWidget):
    #: Reads its data in ``__init__`` (MainWindow does not refresh it again when first shown).
    loads_on_init = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = package_service(ctx)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 8)
        root.setSpacing(8)
        root.addWidget(
            ScreenHeader(
                "Transferência",
                "Leve os dados para outro computador do município, ou os números para a associação regional, "
                "num pen drive.",
            )
        )
        self.message = MessageBar()
        root.addWidget(self.message)
        scroll, layout = scrolling_body((0, 8, 0, 16), 16)
        root.addWidget(scroll, 1)

        choices = QHBoxLayout()
        choices.setSpacing(16)
        self.export_card, self.export_button, self.export_text = self._choice(
            "Exportar Pacote",
            "Grave um pacote no pen drive: completo (com senha) para outro computador do mesmo município, "
            "ou regional (só números, sem dados pessoais) para a associação.",
        )
        self.import_card, self.import_button, self.import_text = self._choice(
            "Importar Pacote",
            "Receba um pacote de outro computador. Antes de gravar, o SUAS Desktop mostra o que vai mudar; "
            "nada é importado sem você confirmar.",
        )
        self.export_button.clicked.connect(self.export_package)
        self.import_button.clicked.connect(self.import_package)
        choices.addWidget(self.export_card, 1)
        choices.addWidget(self.import_card, 1)
        layout.addLayout(choices)

        self.conflicts_card = Card("Conflitos a decidir")
        conflicts_hint = QLabel(
            "O mesmo registro foi alterado aqui e no outro computador. Compare as duas versões e escolha "
            "qual fica; a escolha vai junto no próximo pacote."
        )
        conflicts_hint.setObjectName("muted")
        conflicts_hint.setWordWrap(True)
        self.conflicts_card.body.addWidget(conflicts_hint)
        self.conflicts = ConflictsPanel(ctx, self.service)
        self.conflicts_card.body.addWidget(self.conflicts)
        layout.addWidget(self.conflicts_card)

        fingerprint_card = Card("Impressão digital desta instalação")
        self.fingerprint = fixed_font_label("")
        self.fingerprint.setAccessibleName("Impressão digital desta instalação")
        fingerprint_card.body.addWidget(self.fingerprint)
        hint = QLabel(
            "Quem recebe um pacote deste computador pela primeira vez confere estes números com você "
            "(por telefone, por exemplo) antes de confiar nele."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        fingerprint_card.body.addWidget(hint)
        layout.addWidget(fingerprint_card)

        self.history_card = Card("Histórico de pacotes")
        self.history_table = make_table(
            ["Data", "Sentido", "Tipo", "Outra instalação", "Registros", "Resultado"],
            "Histórico de pacotes enviados e recebidos",
            (4,),
        )
        self.history_table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.history_card.body.addWidget(self.history_table)
        self.history_empty = CardEmpty(
            "Nenhum pacote enviado ou recebido ainda",
            "Os pacotes que você exportar ou importar aparecem aqui, com a data e o resultado.",
            "Exportar Pacote",
        )
        self.history_empty.button.clicked.connect(self.export_package)
        self.history_card.body.addWidget(self.history_empty)
        layout.addWidget(self.history_card)
        layout.addStretch(1)
        ctx.data_changed.connect(self._data_changed)
        self.refresh()

    def _choice(self, title: str, text: str):
        card = Card()
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        card.body.addWidget(heading)
        description = QLabel(text)
        description.setWordWrap(True)
        description.setObjectName("muted")
        card.body.addWidget(description)
        card.body.addStretch(1)
        button = primary_button(title)
        button.setMinimumHeight(48)
        button.setAccessibleDescription(text)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        card.body.addLayout(row)
        card.setAccessibleName(title)
        return card, button, description

    # ------------------------------------------------------------------ state
    def _data_changed(self, entity: str) -> None:
        if self.isVisible() and entity in ("*", "package", "municipality"):
            self.refresh()

    def refresh(self) -> None:
        try:
            self.fingerprint.setText(fingerprint_text(self.service.own_fingerprint()))
        except (SuasError, OSError):
            self.fingerprint.setText("Não foi possível ler a chave desta instalação.")
        association = self.ctx.workspace is not None and is_association(self.ctx.workspace)
        self.export_button.setEnabled(not association)
        if association:
            self.export_button.setToolTip("A pasta da associação regional só recebe pacotes.")
            self.export_text.setText(
                "Esta pasta de dados é da associação regional: ela recebe os pacotes regionais dos "
                "municípios e não exporta pacotes."
            )
        self.conflicts.refresh()
        self.conflicts_card.setVisible(bool(self.conflicts.records))
        self._refresh_history()

    def _refresh_history(self) -> None:
        history = getattr(self.service, "history", None)
        if history is None:
            # The package service of this version keeps no readable history yet.
            self.history_card.hide()
            return
        try:
            entries = list(history())[:HISTORY_LIMIT]
        except SuasError as exc:
            self.message.show_message(exc.message, "error")
            entries = []
        rows = history_rows(entries)
        fill_table(self.history_table, rows)
        self.history_table.setVisible(bool(rows))
        self.history_empty.setVisible(not rows)
        self.history_card.show()

    # ------------------------------------------------------------------ actions
    def export_package(self) -> None:
        result = ExportDialog.ask(self, self.ctx)
        if result is not None:
            self.message.show_message(
                f"Pacote gravado e conferido em {result.path} ({human_size(result.size)}).", "success"
            )
        self.refresh()

    def import_package(self) -> None:
        result = PackageImportDialog.ask(self, self.ctx)
        if result is not None:
            counts = result.plan.counts()
            kind = "warning" if counts["conflicts"] else "success"
            text = "Pacote importado."
            if counts["conflicts"]:
                text += f" {counts['conflicts']} conflito(s) esperam a sua decisão, abaixo."
            self.message.show_message(text, kind)
        self.refresh()
        if self.conflicts.records:
            self.conflicts.list.setFocus(Qt.FocusReason.OtherFocusReason)
