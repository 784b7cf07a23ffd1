"""Colour and type tokens (ux.md §B1–B3, gov.br Design System) and the QSS built from them.

Widgets never carry hex literals: they use object names and properties styled here.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

LIGHT = {
    "bg.window": "#FFFFFF",
    "bg.static": "#F8F8F8",
    "bg.sidebar": "#071D41",
    "border": "#CCCCCC",
    "border.control": "#888888",
    "text": "#333333",
    "text.muted": "#555555",
    "text.inverse": "#FFFFFF",
    "primary": "#1351B4",
    "primary.hover": "#0C326F",
    "selection": "#D4E5FF",
    "focus": "#C2850C",
    "focus.dark": "#FFBE2E",
    "info.bg": "#D4E5FF",
    "info.text": "#0C326F",
    "error.text": "#B50909",
}

#: Body text size in points (ux.md §B2: 10.5 pt = 14 px, the DS base).
BODY_PT = 10.5


def stylesheet(t: dict[str, str] = LIGHT) -> str:
    return f"""
QWidget {{ color: {t["text"]}; }}
QMainWindow, QWidget#content {{ background: {t["bg.window"]}; }}
QWidget#header {{ background: {t["bg.sidebar"]}; }}
QLabel#appTitle {{ color: {t["text.inverse"]}; font-size: 15pt; font-weight: 600; }}
QLabel#appSubtitle {{ color: {t["text.inverse"]}; }}
QLabel#screenTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: 12.6pt; font-weight: 600; }}
QLabel#muted {{ color: {t["text.muted"]}; }}
QFrame#card {{ background: {t["bg.window"]}; border: 1px solid {t["border"]}; border-radius: 8px; }}
QFrame#notice {{ background: {t["info.bg"]}; border-radius: 8px; }}
QFrame#notice QLabel {{ color: {t["info.text"]}; }}
QPushButton {{
    min-height: 40px; padding: 0 24px; border-radius: 20px;
    border: 3px solid transparent; background: {t["bg.window"]}; color: {t["primary"]};
    font-weight: 600;
}}
QPushButton[primary="true"] {{ background: {t["primary"]}; color: {t["text.inverse"]}; }}
QPushButton[primary="true"]:hover {{ background: {t["primary.hover"]}; }}
QPushButton:focus {{ border: 3px dashed {t["focus"]}; }}
QStatusBar {{ background: {t["bg.static"]}; border-top: 1px solid {t["border"]}; }}
"""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(BODY_PT)
    app.setFont(font)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(LIGHT["bg.window"]))
    palette.setColor(QPalette.ColorRole.Base, QColor(LIGHT["bg.window"]))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(LIGHT["bg.static"]))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(LIGHT["text"]))
    palette.setColor(QPalette.ColorRole.Text, QColor(LIGHT["text"]))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(LIGHT["text"]))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(LIGHT["selection"]))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(LIGHT["text"]))
    palette.setColor(QPalette.ColorRole.Link, QColor(LIGHT["primary"]))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet())
