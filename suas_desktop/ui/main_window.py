"""The main window: header with the app and municipality, content area, status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.services.workspace import WorkspaceSummary

#: What the app is for, in plain language (ux.md §A3), shown while nothing is set up yet.
PURPOSE_ITEMS = (
    (
        "Encerramento do exercício",
        "Um checklist com prazo, fundamento legal e evidência de cada tarefa do fim do ano: "
        "conciliação bancária, saldos a reprogramar, prestação de contas ao FNAS e ao FEAS, parecer do CMAS.",
    ),
    (
        "Transição de mandato",
        "Tudo o que a equipe que sai precisa entregar à equipe que entra, reunido num dossiê "
        "assinado digitalmente pelos dois gestores.",
    ),
    (
        "Cadastros do órgão gestor",
        "Unidades e serviços, equipes, contas do FMAS, prestações de contas, parcerias, contratos, "
        "bens, conselho e demanda reprimida, num só lugar.",
    ),
    (
        "Pen drive seguro",
        "Pacotes criptografados e conferidos para levar os dados de um computador a outro e "
        "para a associação regional.",
    ),
)


class MainWindow(QMainWindow):
    def __init__(self, summary: WorkspaceSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle(APP_NAME)
        self.resize(1100, 720)
        self.setMinimumSize(800, 560)

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_header())
        root.addWidget(self._build_content(), 1)
        self.setCentralWidget(central)

        mode = "modo portátil, " if summary.portable else ""
        self.data_label = QLabel(f"Dados em {summary.data_dir} ({mode}salvos automaticamente)")
        self.data_label.setObjectName("muted")
        self.statusBar().addWidget(self.data_label)

        quit_action = QAction("Sair", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def _build_header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(24, 16, 24, 16)
        title = QLabel(APP_NAME)
        title.setObjectName("appTitle")
        self.municipality_label = QLabel("Nenhum município configurado")
        self.municipality_label.setObjectName("appSubtitle")
        self.municipality_label.setAccessibleName("Município")
        layout.addWidget(title)
        layout.addStretch(1)
        layout.addWidget(self.municipality_label)
        return header

    def _build_content(self) -> QWidget:
        content = QWidget()
        content.setObjectName("content")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(16)

        self.empty_title = QLabel("Boas-vindas ao SUAS Desktop")
        self.empty_title.setObjectName("screenTitle")
        intro = QLabel(
            "O SUAS Desktop ajuda o órgão gestor da Assistência Social de municípios pequenos a "
            "cumprir os prazos do fim do ano e a passar a gestão para a próxima equipe sem perder "
            "nenhum documento. Funciona sem internet e guarda os dados neste computador."
        )
        intro.setWordWrap(True)
        layout.addWidget(self.empty_title)
        layout.addWidget(intro)

        grid = QVBoxLayout()
        grid.setSpacing(16)
        for heading, text in PURPOSE_ITEMS:
            grid.addWidget(_card(heading, text))
        layout.addLayout(grid)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll


def _card(heading: str, text: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(24, 16, 24, 16)
    inner.setSpacing(4)
    title = QLabel(heading)
    title.setObjectName("sectionTitle")
    body = QLabel(text)
    body.setWordWrap(True)
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    inner.addWidget(title)
    inner.addWidget(body)
    frame.setAccessibleName(heading)
    return frame
