"""Colour and type tokens (ux.md §B1–B3, gov.br Design System palette) and the QSS built from them.

Widgets never carry hex literals: they use object names and dynamic properties styled here. The
light theme is the default; the dark one follows the system when it asks for dark. PDFs always
use the light tokens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

LIGHT = {
    "bg.window": "#FFFFFF",
    "bg.static": "#F8F8F8",
    "bg.raised": "#FFFFFF",
    "bg.sidebar": "#071D41",
    "border": "#CCCCCC",
    "border.control": "#888888",
    "text": "#333333",
    "text.muted": "#555555",
    "text.inverse": "#FFFFFF",
    "primary": "#1351B4",
    "primary.text": "#FFFFFF",
    "primary.hover": "#0C326F",
    "selection": "#D4E5FF",
    "selection.text": "#333333",
    "focus": "#C2850C",
    "focus.sidebar": "#FFBE2E",
    "info.bg": "#D4E5FF",
    "info.text": "#0C326F",
    "success.bg": "#E3F5E1",
    "success.text": "#154C21",
    "success.strong": "#168821",
    "warning.bg": "#FFF5C2",
    "warning.text": "#5C4809",
    "danger.bg": "#FDE0DB",
    "danger.text": "#8B0A03",
    "danger.strong": "#B50909",
    "neutral.bg": "#F0F0F0",
    "neutral.text": "#333333",
}

DARK = {
    **LIGHT,
    "bg.window": "#071D41",
    "bg.static": "#0C326F",
    "bg.raised": "#0C326F",
    "border": "#5C7AA8",
    "border.control": "#ADADAD",
    "text": "#FFFFFF",
    "text.muted": "#CCCCCC",
    "primary": "#C5D4EB",
    "primary.text": "#071D41",
    "primary.hover": "#FFFFFF",
    "selection": "#1351B4",
    "selection.text": "#FFFFFF",
    "focus": "#FFBE2E",
    "info.bg": "#0C326F",
    "info.text": "#81AEFC",
    "success.bg": "#0C326F",
    "success.text": "#70E17B",
    "warning.bg": "#0C326F",
    "warning.text": "#FFCD07",
    "danger.bg": "#0C326F",
    "danger.text": "#FF8D7B",
    "danger.strong": "#FF8D7B",
    "neutral.bg": "#0C326F",
    "neutral.text": "#CCCCCC",
}

#: Body text size in points (ux.md §B2: 10.5 pt = 14 px, the DS base).
BODY_PT = 10.5


def stylesheet(t: dict[str, str]) -> str:
    return f"""
QWidget {{ color: {t["text"]}; }}
QMainWindow, QWidget#content, QStackedWidget {{ background: {t["bg.window"]}; }}
QWidget#header {{ background: {t["bg.sidebar"]}; }}
QLabel#appTitle {{ color: {t["text.inverse"]}; font-size: 13pt; font-weight: 600; }}
QLabel#appSubtitle {{ color: {t["text.inverse"]}; }}
QLabel#screenTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: 12.6pt; font-weight: 600; }}
QLabel#kpi {{ font-size: 18pt; font-weight: 700; }}
QLabel#muted {{ color: {t["text.muted"]}; }}
QLabel#fieldLabel {{ font-weight: 600; }}
QLabel#fieldError {{ color: {t["danger.strong"]}; font-size: 9pt; }}
QFrame#card, QFrame#emptyState {{
    background: {t["bg.raised"]}; border: 1px solid {t["border"]}; border-radius: 8px;
}}
QFrame#card QLabel, QFrame#emptyState QLabel {{ border: none; background: transparent; }}
QFrame#notice {{ background: {t["info.bg"]}; border-radius: 8px; }}
QFrame#notice QLabel {{ color: {t["info.text"]}; }}
QFrame#messageBar {{ border-radius: 8px; background: {t["info.bg"]}; }}
QFrame#messageBar QLabel {{ color: {t["info.text"]}; }}
QFrame#messageBar[kind="success"] {{ background: {t["success.bg"]}; }}
QFrame#messageBar[kind="success"] QLabel {{ color: {t["success.text"]}; }}
QFrame#messageBar[kind="warning"] {{ background: {t["warning.bg"]}; }}
QFrame#messageBar[kind="warning"] QLabel {{ color: {t["warning.text"]}; }}
QFrame#messageBar[kind="error"] {{ background: {t["danger.bg"]}; }}
QFrame#messageBar[kind="error"] QLabel {{ color: {t["danger.text"]}; }}
QLabel[chip] {{ border-radius: 4px; padding: 2px 8px; font-weight: 600; }}
QLabel[chip="success"] {{ background: {t["success.bg"]}; color: {t["success.text"]}; }}
QLabel[chip="info"] {{ background: {t["info.bg"]}; color: {t["info.text"]}; }}
QLabel[chip="warning"] {{ background: {t["warning.bg"]}; color: {t["warning.text"]}; }}
QLabel[chip="danger"] {{ background: {t["danger.bg"]}; color: {t["danger.text"]}; }}
QLabel[chip="neutral"] {{ background: {t["neutral.bg"]}; color: {t["neutral.text"]}; }}

QListWidget#sidebar {{
    background: {t["bg.sidebar"]}; color: {t["text.inverse"]}; border: none; outline: none;
    font-size: 11pt; padding-top: 8px;
}}
QListWidget#sidebar::item {{ padding: 10px 16px; border-left: 4px solid transparent; color: {t["text.inverse"]}; }}
QListWidget#sidebar::item:selected {{
    background: #1351B4; border-left: 4px solid #FFFFFF; font-weight: 700; color: #FFFFFF;
}}
QListWidget#sidebar::item:hover {{ background: #0C326F; }}
QListWidget#sidebar:focus {{ border: 3px dashed {t["focus.sidebar"]}; }}

QPushButton {{
    min-height: 36px; padding: 0 20px; border-radius: 18px;
    border: 1px solid {t["primary"]}; background: {t["bg.window"]}; color: {t["primary"]}; font-weight: 600;
}}
QPushButton:hover {{ background: {t["selection"]}; }}
QPushButton[primary="true"] {{ background: {t["primary"]}; color: {t["primary.text"]}; border: 1px solid {t["primary"]}; }}
QPushButton[primary="true"]:hover {{ background: {t["primary.hover"]}; }}
QPushButton:disabled {{ color: {t["text.muted"]}; border-color: {t["border"]}; background: {t["bg.static"]}; }}
/* The focus border is 2 px wider than the normal one: take it back from the padding so text never moves. */
QPushButton:focus {{ border: 3px dashed {t["focus"]}; padding: 0 18px; }}
QPushButton[primary="true"]:focus {{ border: 3px dashed {t["bg.sidebar"]}; padding: 0 18px; }}

QLineEdit, QComboBox, QDateEdit, QSpinBox, QPlainTextEdit, QTextEdit {{
    min-height: 32px; border: 1px solid {t["border.control"]}; border-radius: 4px; padding: 0 8px;
    background: {t["bg.window"]}; color: {t["text"]};
}}
QPlainTextEdit, QTextEdit {{ padding: 4px 8px; }}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QSpinBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 3px dashed {t["focus"]};
}}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"],
QPlainTextEdit[invalid="true"], QSpinBox[invalid="true"] {{
    border: 2px solid {t["danger.strong"]};
}}
QTableView, QTreeView, QTreeWidget, QListWidget {{
    border: 1px solid {t["border"]}; background: {t["bg.window"]}; alternate-background-color: {t["bg.static"]};
    selection-background-color: {t["selection"]}; selection-color: {t["selection.text"]};
}}
QTableView:focus, QTreeView:focus, QTreeWidget:focus {{ border: 2px dashed {t["focus"]}; }}
QHeaderView::section {{
    background: {t["bg.static"]}; color: {t["text"]}; font-weight: 600; padding: 6px 8px;
    border: none; border-bottom: 1px solid {t["border"]};
}}
QProgressBar {{
    border: 1px solid {t["border"]}; border-radius: 4px; background: {t["bg.static"]}; text-align: center;
    min-height: 18px; color: {t["text"]};
}}
QProgressBar::chunk {{ background: {t["primary"]}; border-radius: 3px; }}
QStatusBar {{ background: {t["bg.static"]}; border-top: 1px solid {t["border"]}; }}
QStatusBar QLabel {{ padding: 2px 8px; }}
QStatusBar QPushButton {{ min-height: 20px; border: none; border-radius: 4px; padding: 0 8px; }}
QStatusBar QPushButton:focus {{ border: 2px dashed {t["focus"]}; padding: 0 6px; }}
QTabBar::tab {{ padding: 8px 16px; }}
QCheckBox::indicator, QRadioButton::indicator {{
    width: 16px; height: 16px; border: 2px solid {t["border.control"]}; background: {t["bg.window"]};
}}
QRadioButton::indicator {{ border-radius: 9px; }}
QCheckBox::indicator {{ border-radius: 3px; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{
    background: {t["primary"]}; border: 2px solid {t["primary"]};
}}
QCheckBox:focus, QRadioButton:focus {{ border: 2px dashed {t["focus"]}; }}
QGroupBox {{
    border: 1px solid {t["border"]}; border-radius: 8px; margin-top: 14px; padding: 12px 8px 8px 8px;
    font-weight: 600;
}}
QGroupBox::title {{ subcontrol-origin: margin; left: 12px; padding: 0 4px; color: {t["text"]}; }}
QTabBar::tab:selected {{ font-weight: 600; border-bottom: 3px solid {t["primary"]}; }}
"""


def is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


#: Local setting (database) that keeps the theme chosen in Configurações: "light", "dark" or "system".
THEME_KEY = "ui.theme"


def apply_choice(app: QApplication, choice: str | None) -> None:
    """Apply a saved choice ("light", "dark", "system"/None: follow the system)."""
    apply(app, dark={"light": False, "dark": True}.get(choice or "system"))


def apply(app: QApplication, *, dark: bool | None = None) -> None:
    tokens = DARK if (is_dark(app) if dark is None else dark) else LIGHT
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(BODY_PT)
    app.setFont(font)
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "bg.window",
        QPalette.ColorRole.Base: "bg.window",
        QPalette.ColorRole.AlternateBase: "bg.static",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.Button: "bg.static",
        QPalette.ColorRole.ToolTipBase: "bg.raised",
        QPalette.ColorRole.ToolTipText: "text",
        QPalette.ColorRole.PlaceholderText: "text.muted",
        QPalette.ColorRole.Highlight: "selection",
        QPalette.ColorRole.HighlightedText: "selection.text",
        QPalette.ColorRole.Link: "primary",
    }
    for role, token in roles.items():
        palette.setColor(role, QColor(tokens[token]))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(tokens))
