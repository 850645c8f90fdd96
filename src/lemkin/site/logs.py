"""Log lines are one JSON object each, for the application and for the server in front of it (AU-6).

Text that arrives with a request (a path, a user name, a header) ends up in log messages. Written as plain text, a
CR/LF in it starts a new line that a reader or a log collector takes for an entry of its own, and an ANSI escape
rewrites what a terminal shows. Inside a JSON string both are escaped (``\\r\\n``, ``\\u001b``), so every line is
exactly one entry with the fields below, whatever the message holds. The formatter is python-json-logger's.

``lemkin.site.settings.base.LOGGING`` uses :data:`FORMATTERS` for Django's loggers and Lemkin's own;
``lemkin.site.gunicorn_conf`` uses it for gunicorn's error and access logs.
"""

from __future__ import annotations

from typing import Any

#: Fields of every line: time (ISO 8601, UTC offset), level, logger name, message; extras a caller passes follow.
FORMATTERS: dict[str, dict[str, Any]] = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    }
}


def console_handler(stream: str = "ext://sys.stderr") -> dict[str, Any]:
    """A handler writing JSON lines to ``stream``."""
    return {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}
