"""Logs of zhongtai code never carry unmasked PII, whatever the handler."""

from __future__ import annotations

import logging

import pytest

from zhongtai.policy import install_log_redaction, redact


def test_messages_arguments_and_tracebacks_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    log = logging.getLogger("zhongtai.ingest.demo")
    with caplog.at_level(logging.INFO, logger="zhongtai"):
        log.info("row %s rejected: phone %s", 7, "13800138000")
        try:
            raise ValueError("cannot parse 110101199003071234 / alice@example.com")
        except ValueError:
            log.exception("failed")
    text = caplog.text
    assert "138****8000" in text
    assert "13800138000" not in text
    assert "110101199003071234" not in text
    assert "alice@" not in text
    assert "1****************4" in text


def test_other_libraries_records_are_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    with caplog.at_level(logging.INFO, logger="thirdparty"):
        logging.getLogger("thirdparty").info("13800138000")
    assert "13800138000" in caplog.text


def test_redact_masks_every_class() -> None:
    assert redact("tel 13800138000, card 6222021234567890123") == "tel 138****8000, card 62**********0123"
