"""Logs never carry unmasked PII: every record of a ``zhongtai.*`` logger is scrubbed when it is made.

:func:`install_log_redaction` wraps the process's log-record factory once: the message (with its
arguments merged), a formatted traceback and stack info of records from ``zhongtai`` loggers pass
through the free-text scrubber with every PII class hidden, whatever handler later writes them.
Records of other libraries are left alone. :func:`redact` does the same to any text (an error
detail from a database driver, which may quote a cell).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from zhongtai.policy.maskers import PERSONAL_CLASSES, scrub_text

__all__ = ["install_log_redaction", "redact"]

_installed = False


def redact(text: str) -> str:
    """``text`` with embedded phones, e-mails, ID and card numbers masked."""
    return scrub_text(text, PERSONAL_CLASSES)


def install_log_redaction() -> None:
    """Scrub every ``zhongtai.*`` log record as it is created (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name == "zhongtai" or record.name.startswith("zhongtai."):
            record.msg = redact(record.getMessage())
            record.args = ()
            if record.exc_info and record.exc_info[0] is not None:
                record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
