"""Named loggers per subsystem and the log file set-up.

Logs never carry personal data: code logs ids and counts, never names, CPFs or free text typed by
users. :class:`PersonalDataFilter` is a second line of defence that masks anything that looks like a
CPF, NIS, CNPJ, phone number or e-mail address before a record reaches a handler.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

init = logging.getLogger("suas_desktop.init")
storage = logging.getLogger("suas_desktop.storage")
services = logging.getLogger("suas_desktop.services")
documents = logging.getLogger("suas_desktop.documents")
ui = logging.getLogger("suas_desktop.ui")

LOG_FILE_NAME = "suas-desktop.log"

_PERSONAL_PATTERNS = [
    re.compile(r"\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b"),  # CPF
    re.compile(r"\b\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}\b"),  # CNPJ
    re.compile(r"\b\d{3}\.?\d{5}\.?\d{2}-?\d\b"),  # NIS/PIS
    re.compile(r"\(?\b\d{2}\)?\s?9?\d{4}-?\d{4}\b"),  # phone
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail
]


def mask_personal_data(text: str) -> str:
    for pattern in _PERSONAL_PATTERNS:
        text = pattern.sub("***", text)
    return text


class PersonalDataFilter(logging.Filter):
    """Masks personal identifiers in the final message (args included) of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_file_logging(logs_dir: Path, *, level: int = logging.INFO) -> logging.Handler:
    """Attach a rotating log file under ``logs_dir`` to the project's root logger; returns the handler."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        logs_dir / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger("suas_desktop")
    root.setLevel(level)
    # Replace a handler from an earlier call (tests open many data folders in one process).
    for old in [h for h in root.handlers if getattr(h, "_suas_file_handler", False)]:
        root.removeHandler(old)
        old.close()
    handler._suas_file_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return handler
