"""Shared test fixtures. Public data sets are read from ``../shared`` beside the checkout, never copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("LEMKIN_SHARED_DIR", REPO_DIR.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``shared/`` folder beside the checkout (data sets, case profiles, the chapter)."""
    if not SHARED_DIR.is_dir():
        raise RuntimeError(f"shared folder not found at {SHARED_DIR}; set LEMKIN_SHARED_DIR")
    return SHARED_DIR


@pytest.fixture(scope="session")
def ewp_dir(shared_dir: Path) -> Path:
    """The Early Warning Project 2025 data (see its README for provenance and terms)."""
    return shared_dir / "data" / "ewp-2025"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` belong to the PostgreSQL pass (``make test`` runs it when
    LEMKIN_TEST_POSTGRES_URL is set, as CI does), tests marked ``sqlite`` to the SQLite pass; in the other pass
    they are deselected, not skipped."""
    other = "sqlite" if os.environ.get("LEMKIN_DATABASE_URL", "").startswith("postgres") else "postgres"
    kept = [item for item in items if item.get_closest_marker(other) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
