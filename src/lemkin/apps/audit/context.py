"""Who is acting: set per request by the middleware and per command by the CLI; read by ``services.record``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The person (or process) behind a change."""

    username: str
    person_id: int | None = None
    agency: str = ""
    ip: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of(cls, person: Any, *, ip: str = "", request_id: str | None = None) -> Actor:
        if person is None or not getattr(person, "is_authenticated", False):
            return cls(username="anonymous", ip=ip, request_id=request_id or uuid.uuid4().hex)
        agency = person.agency.code if getattr(person, "agency_id", None) else ""
        return cls(
            username=person.get_username(),
            person_id=person.pk,
            agency=agency,
            ip=ip,
            request_id=request_id or uuid.uuid4().hex,
        )


SYSTEM = Actor(username="system")
_current: ContextVar[Actor | None] = ContextVar("lemkin_audit_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or SYSTEM


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Attribute every audit event inside the block to ``actor``."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
