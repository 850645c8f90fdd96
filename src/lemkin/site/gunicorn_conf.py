"""gunicorn's settings for ``lemkin serve``: its error and access logs are JSON lines like the application's.

Loaded with ``gunicorn --config python:lemkin.site.gunicorn_conf`` (see ``lemkin.commands.server``); the address
and the number of workers come from the command line.
"""

from __future__ import annotations

from lemkin.site.logs import FORMATTERS, console_handler

accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {"error": console_handler("ext://sys.stderr"), "access": console_handler("ext://sys.stdout")},
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
