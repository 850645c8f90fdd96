"""Builders for small event files in the published UCDP GED and ACLED layouts.

Rows are generic and fictional (actors "Government of X", "Militia A"); no real UCDP or ACLED record is
reproduced, and ACLED's terms (no redistribution of raw data) are respected by writing our own rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from lemkin.core.warning.events import ACLED_COLUMNS, UCDP_GED_COLUMNS


def ged_row(n: int = 1, **overrides: object) -> dict[str, object]:
    """One one-sided UCDP GED event in Sudan on 2023-04-15 with 5 deaths, fields overridden by keyword."""
    row: dict[str, object] = dict.fromkeys(UCDP_GED_COLUMNS, "")
    row.update(
        id=n,
        relid=f"SUD-2023-3-{n}",
        year=2023,
        active_year=1,
        code_status="Clear",
        type_of_violence=3,
        conflict_new_id=100,
        conflict_name="Militia A - civilians",
        dyad_new_id=200,
        dyad_name="Militia A - civilians",
        side_a="Militia A",
        side_b="Civilians",
        number_of_sources=1,
        source_article="Generic wire report",
        where_prec=1,
        where_description="Town B",
        adm_1="Region C",
        latitude=13.5,
        longitude=25.3,
        geom_wkt="POINT (25.3 13.5)",
        priogrid_gid=150000,
        country="Sudan",
        country_id=625,
        region="Africa",
        event_clarity=1,
        date_prec=1,
        date_start="2023-04-15 00:00:00.000",
        date_end="2023-04-15 00:00:00.000",
        deaths_a=0,
        deaths_b=5,
        deaths_civilians=5,
        deaths_unknown=0,
        best=5,
        high=7,
        low=5,
        gwnoa="",
        gwnob="",
    )
    row.update(overrides)
    return row


def acled_row(n: int = 1, **overrides: object) -> dict[str, object]:
    """One ACLED-layout "Violence against civilians" event in Sudan on 2023-04-15 with 2 fatalities."""
    row: dict[str, object] = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty=f"XYZ{n}",
        event_date="2023-04-15",
        year=2023,
        time_precision=1,
        disorder_type="Political violence",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="Militia A",
        inter1=4,
        actor2="Civilians",
        inter2=7,
        interaction=47,
        civilian_targeting="Civilian targeting",
        iso=729,
        region="Northern Africa",
        country="Sudan",
        admin1="Region C",
        location="Town B",
        latitude=13.5,
        longitude=25.3,
        geo_precision=1,
        source="Generic source",
        source_scale="National",
        notes="Fictional test event.",
        fatalities=2,
        timestamp=1700000000,
    )
    row.update(overrides)
    return row


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> Path:
    """Write ``rows`` under a header of ``columns`` (keys outside the header are an error)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def write_ged(tmp_path: Path):
    """Write GED rows to ``tmp_path/ged.csv`` in the published column order."""

    def write(rows: Iterable[Mapping[str, object]], name: str = "ged.csv") -> Path:
        return write_csv(tmp_path / name, UCDP_GED_COLUMNS, rows)

    return write


@pytest.fixture
def write_acled(tmp_path: Path):
    """Write ACLED rows to ``tmp_path/acled.csv`` in the export's column order."""

    def write(rows: Iterable[Mapping[str, object]], name: str = "acled.csv") -> Path:
        return write_csv(tmp_path / name, ACLED_COLUMNS, rows)

    return write
