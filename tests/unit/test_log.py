"""Logs never carry personal data, even if a message slips one in."""

from __future__ import annotations

import logging

from suas_desktop import log


def test_filter_masks_identifiers(tmp_path):
    handler = log.setup_file_logging(tmp_path)
    logger = logging.getLogger("suas_desktop.test")
    logger.warning(
        "cpf %s nis %s tel %s mail %s",
        "123.456.789-09",
        "123.45678.90-1",
        "(38) 99876-5432",
        "maria@example.org",
    )
    logger.warning("cnpj 12.345.678/0001-95 and plain 12345678909")
    handler.flush()
    text = (tmp_path / log.LOG_FILE_NAME).read_text(encoding="utf-8")
    for secret in (
        "123.456.789-09",
        "123.45678.90-1",
        "99876-5432",
        "maria@example.org",
        "12.345.678/0001-95",
        "12345678909",
    ):
        assert secret not in text
    assert text.count("***") >= 6
    logging.getLogger("suas_desktop").removeHandler(handler)
    handler.close()
