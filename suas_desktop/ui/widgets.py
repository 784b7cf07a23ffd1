"""Small reusable widgets: screen header, card, empty state, status chip, message bar, form field."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.cycle import Status

#: Status → (chip style name, icon text). Colour is never alone: the label is always printed.
STATUS_STYLE = {
    Status.PENDING: ("neutral", "○"),
    Status.IN_PROGRESS: ("info", "◔"),
    Status.DONE: ("success", "✓"),
    Status.NOT_APPLICABLE: ("neutral", "–"),
    Status.BLOCKED: ("warning", "!"),
}


def primary_button(text: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setProperty("primary", True)
    return button


def secondary_button(text: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setProperty("secondary", True)
    return button


class ScreenHeader(QWidget):
    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setObjectName("screenTitle")
        self.title.setAccessibleName(title)
        layout.addWidget(self.title)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.subtitle.setVisible(bool(subtitle))
        layout.addWidget(self.subtitle)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text))


class Card(QFrame):
    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 16, 16, 16)
        self.body.setSpacing(8)
        if title:
            heading = QLabel(title)
            heading.setObjectName("sectionTitle")
            self.body.addWidget(heading)
            self.setAccessibleName(title)


class EmptyState(QFrame):
    """ux.md: a positive title, one sentence on what to do and one action button."""

    action_clicked = Signal()

    def __init__(self, title: str, text: str, action: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 48, 32, 48)
        layout.setSpacing(8)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        layout.addWidget(body)
        self.button = primary_button(action) if action else None
        if self.button:
            self.button.clicked.connect(self.action_clicked)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            row.addStretch(1)
            layout.addLayout(row)


class StatusChip(QLabel):
    def __init__(self, status: Status = Status.PENDING, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_status(status)

    def set_status(self, status: Status) -> None:
        style, icon = STATUS_STYLE[status]
        self.setText(f"{icon}  {status.label}")
        self.setProperty("chip", style)
        self.setAccessibleName(f"Situação: {status.label}")
        self.style().unpolish(self)
        self.style().polish(self)


class MessageBar(QFrame):
    """A message between the title and the content; optional action (e.g. Desfazer); auto-hides."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.action = QPushButton()
        self.action.clicked.connect(self.action_clicked)
        self.action.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: str = "", timeout_ms: int = 10_000) -> None:
        self.setProperty("kind", kind)
        # The label's colour comes from a rule on the frame's property: repolish both.
        for widget in (self, self.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)


class FieldError(QLabel):
    """The message under a field (ux.md: red text with an icon, names the field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(f"✖ {text}" if text else "")
        self.setVisible(bool(text))
