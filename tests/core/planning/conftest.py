"""Fixtures for the planning framework tests: the catalog, the chapter's text and the real cases in
``../shared/cases`` (read in place, never copied). Builders by intent are in ``builders.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lemkin.core.planning.catalog import Catalog, load_catalog
from lemkin.core.planning.profile import CaseProfile, load_profile


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def cases_dir(shared_dir: Path) -> Path:
    return shared_dir / "cases"


@pytest.fixture(scope="session")
def real_case(cases_dir: Path) -> Callable[[str], CaseProfile]:
    """Load one of the historical case profiles by id (``kenya-2008``, ``kosovo-1998``, ``rwanda-1994``)."""

    def load(case_id: str) -> CaseProfile:
        return load_profile(cases_dir / f"{case_id}.yaml")

    return load


@pytest.fixture(scope="session")
def chapter_text(shared_dir: Path) -> str:
    return (shared_dir / "seed" / "000_2a6b43d82c0d6903.txt").read_text(encoding="utf-8")
