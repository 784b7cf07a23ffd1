"""Building blocks shared by the dialogs and pages: labels, the OK/Cancel row, a scrolling body.

They live here so that every form labels its fields, names its buttons and scrolls the same way (ux.md);
``municipality_form`` re-exports :func:`field_label` and :func:`help_label` for the modules that import
them from there.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def label(text: str, name: str = "") -> QLabel:
    """A word-wrapped label; ``name`` is the style sheet's object name (``screenTitle``, ``muted``...)."""
    widget = QLabel(text)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


def field_label(text: str, buddy: QWidget) -> QLabel:
    """The label above a field: Alt+letter focuses ``buddy``, and screen readers read it as its name."""
    widget = label(text, "fieldLabel")
    widget.setBuddy(buddy)
    buddy.setAccessibleName(text.replace("&", ""))
    return widget


def help_label(text: str) -> QLabel:
    return label(text, "muted")


def ok_cancel_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (named by the action, as ux.md asks) and Cancelar, wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancelar")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def scrolling_body(margins: tuple[int, int, int, int], spacing: int) -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless scroll area around a ``content`` widget; returns the area and the widget's layout."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget()
    body.setObjectName("content")
    layout = QVBoxLayout(body)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    scroll.setWidget(body)
    return scroll, layout
