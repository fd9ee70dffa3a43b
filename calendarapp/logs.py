"""Feed tokens and the head's approval links are credentials: logs show /feeds/…ics and
/approve/…, never the token."""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/feeds/)[^/\s?\"]{8,}(\.ics)")
APPROVAL_IN_PATH = re.compile(r"(/approve/)[^/\s?\"]{8,}")


def mask(text: str) -> str:
    return APPROVAL_IN_PATH.sub(r"\1…", TOKEN_IN_PATH.sub(r"\1…\2", text))


class MaskFeedTokens(logging.Filter):
    """For the development server's request log (werkzeug) and any other logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only needed in production
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """`gunicorn --logger-class calendarapp.logs.GunicornLogger`: the access log, masked."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}
