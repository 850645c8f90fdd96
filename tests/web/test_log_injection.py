"""AU-6: no log injection. Whatever a request carries, every log line is one JSON object and no entry is forged.

Hostile text (CR/LF, ANSI escapes, a fake JSON entry, 10 kB strings) goes into paths, sign-in names and form
fields; the log output of the application (in process, through the handlers ``LOGGING`` configures) and of
gunicorn in front of it (a real server, as ``lemkin serve`` starts it) is then read line by line.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

FORGED = '{"time": "2026-01-01T00:00:00+0000", "level": "CRITICAL", "logger": "lemkin", "message": "FORGED"}'
HOSTILE = [
    f"x\r\n{FORGED}",
    f"x\n{FORGED}\n",
    "x\x1b[2J\x1b[31mFORGED\x1b[0m",
    'x", "level": "CRITICAL", "message": "FORGED',
    "x" * 10_000 + "FORGED",
]
FIELDS = {"time", "level", "logger", "message"}


def entries(text: str) -> list[dict[str, Any]]:
    """Each line of ``text`` as JSON; a line that is not exactly one JSON object fails the test."""
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            entry = json.loads(line)
        except ValueError:
            pytest.fail(f"line {number} is not JSON: {line[:200]!r}")
        assert isinstance(entry, dict), f"line {number} is not one JSON object: {line[:200]!r}"
        assert entry.keys() >= FIELDS, f"line {number} lacks {FIELDS - entry.keys()}: {line[:200]!r}"
        parsed.append(entry)
    return parsed


class Collect(logging.Handler):
    """Counts the records the loggers emit, to compare with the lines written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def application_log() -> Iterator[tuple[io.StringIO, Collect]]:
    """The configured console handlers write into a buffer for the test; a collector counts the records."""
    buffer, collect = io.StringIO(), Collect()
    handlers = {
        h
        for name in ("", "django")
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler) and isinstance(h.formatter, JsonFormatter)  # not pytest's own
    }
    assert handlers, "LOGGING configures no JSON handler"
    streams = {h: h.stream for h in handlers}
    for handler in handlers:
        handler.stream = buffer  # not setStream(): it flushes the old stream, which another test may have closed
    loggers = [logging.getLogger(name) for name in ("", "django")]
    for logger in loggers:
        logger.addHandler(collect)
    yield buffer, collect
    for logger in loggers:
        logger.removeHandler(collect)
    for handler, stream in streams.items():
        handler.stream = stream


@pytest.mark.django_db
def test_hostile_text_in_requests_writes_one_json_entry_per_record(
    application_log: tuple[io.StringIO, Collect], a_person: Any
) -> None:
    buffer, collect = application_log
    a_person(username="ana")
    client, strict = Client(), Client(enforce_csrf_checks=True)
    for text in HOSTILE:
        client.get("/" + quote(text))  # 404: django.request logs the path
        strict.post("/" + quote(text[:2000]) + "/", {"name": text})  # refused by CSRF: django.security logs
        client.post(reverse("login"), {"username": text, "password": text, "acknowledge": "on"})
    lines = entries(buffer.getvalue())
    assert len(collect.records) >= 2 * len(HOSTILE)
    assert len(lines) == len(collect.records)  # one line a record: nothing split, nothing forged
    assert all(entry["message"] != "FORGED" and entry["level"] != "CRITICAL" for entry in lines)
    assert any("FORGED" in entry["message"] for entry in lines), "the hostile text was logged, escaped"


def test_the_server_in_front_writes_json_lines_too(served: Any) -> None:
    port, out, err = served.port, served.stdout, served.stderr
    for text in HOSTILE:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(
            "GET", "/" + quote(text[:4000]), headers={"Referer": "".join(c for c in text[:200] if c.isprintable())}
        )
        connection.getresponse().read()
        connection.close()
    time.sleep(0.5)  # the access log line is written after the answer
    access = entries(out.read_text())
    errors = entries(err.read_text())
    assert sum(e["logger"] == "gunicorn.access" for e in access) == len(HOSTILE)
    assert any(e["logger"] == "django.request" for e in errors)
    assert all(entry["message"] != "FORGED" and entry["level"] != "CRITICAL" for entry in access + errors)
