"""Event import: UCDP GED and ACLED files are validated whole, rejected with every problem, aggregated monthly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemkin.core.warning.events import (
    ACLED_COLUMNS,
    MONTHLY_COLUMNS,
    UCDP_GED_COLUMNS,
    EventImportError,
    aggregate_monthly,
    complete_months,
    detect_source,
    read_acled,
    read_events,
    read_ucdp_ged,
)
from lemkin.core.warning.gwcodes import gw_to_cow, gw_to_cow_array

from .conftest import acled_row, ged_row, write_csv

TODAY = dt.date(2025, 1, 1)


def problems_of(excinfo: pytest.ExceptionInfo[EventImportError]) -> set[tuple[int | None, str | None, str | None]]:
    return {(p.row, p.column, p.value) for p in excinfo.value.problems}


# ----------------------------------------------------------------------------------------------- UCDP GED


def test_ged_layout_is_the_published_order():
    """The column tuple is the published GED order (49 columns, id first, gwnob last)."""
    assert len(UCDP_GED_COLUMNS) == 49
    assert UCDP_GED_COLUMNS[:3] == ("id", "relid", "year")
    assert UCDP_GED_COLUMNS[-5:] == ("best", "high", "low", "gwnoa", "gwnob")


def test_ged_file_aggregates_by_country_month_and_type(write_ged):
    """Events count in the month they start; fatalities are the best estimate; types follow type_of_violence."""
    path = write_ged(
        [
            ged_row(1, best=5),
            ged_row(2, best=3, date_start="2023-04-30", date_end="2023-05-02"),
            ged_row(3, type_of_violence=1, best=10, date_start="2023-05-01", date_end="2023-05-01"),
            ged_row(4, type_of_violence=2, best=0, country="Somalia", country_id=520),
        ]
    )
    result = read_ucdp_ged(path, today=TODAY)
    assert result.source == "ucdp_ged"
    assert result.n_rows == 4
    assert len(result.sha256) == 64
    assert list(result.monthly.columns) == list(MONTHLY_COLUMNS)
    rows = {tuple(r[:3]): tuple(r[3:]) for r in result.monthly.itertuples(index=False)}
    assert rows == {
        ("SDN", "2023-04", "one_sided"): (2, 8),
        ("SDN", "2023-05", "state_based"): (1, 10),
        ("SOM", "2023-04", "non_state"): (1, 0),
    }
    assert result.months == ("2023-04", "2023-05")


def test_ged_columns_are_read_by_name_not_position(tmp_path: Path):
    """A file whose columns come in another order (and with an extra column) reads the same."""
    columns = [*reversed(UCDP_GED_COLUMNS), "extra"]
    path = write_csv(tmp_path / "ged.csv", columns, [{**ged_row(1), "extra": "x"}])
    result = read_ucdp_ged(path, today=TODAY)
    assert result.monthly.to_dict("records") == [
        {"iso3": "SDN", "month": "2023-04", "type": "one_sided", "events": 1, "fatalities": 5}
    ]


def test_ged_historical_names_and_gw_codes_resolve(write_ged):
    """UCDP's names and Gleditsch–Ward codes go through the one country table (GW 678, 345, 340 included)."""
    path = write_ged(
        [
            ged_row(1, country="Yemen (North Yemen)", country_id=678, gwnoa="678"),
            ged_row(
                2,
                country="Serbia (Yugoslavia)",
                country_id=345,
                year=1999,
                date_start="1999-04-01",
                date_end="1999-04-02",
            ),
            ged_row(3, country="Serbia (Yugoslavia)", country_id=340, gwnoa="340, 2"),
            ged_row(
                4,
                country="Russia (Soviet Union)",
                country_id=365,
                year=1990,
                date_start="1990-01-05",
                date_end="1990-01-05",
            ),
            ged_row(5, country="DR Congo (Zaire)", country_id=490),
        ]
    )
    result = read_ucdp_ged(path, today=TODAY)
    assert set(result.monthly["iso3"]) == {"YEM", "SRB", "RUS", "COD"}
    assert result.resolved_names["Serbia (Yugoslavia)"] == "SRB"


def test_wrong_layout_is_rejected_with_every_missing_column(tmp_path: Path):
    """An ACLED file given to the GED reader names every GED column it lacks, on the header row."""
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, [acled_row(1)])
    with pytest.raises(EventImportError) as excinfo:
        read_ucdp_ged(path, today=TODAY)
    missing = {p.column for p in excinfo.value.problems}
    assert {"id", "type_of_violence", "country_id", "date_start", "date_end", "best"} <= missing
    assert all(p.row == 1 for p in excinfo.value.problems)


def test_bad_ged_file_is_rejected_whole_with_every_problem(write_ged):
    """Unknown countries and codes, impossible dates, negative and non-numeric counts: all listed at once."""
    path = write_ged(
        [
            ged_row(1),  # a good row: still nothing is imported
            ged_row(2, country="Atlantis"),
            ged_row(3, country_id=99999),
            ged_row(4, country_id=345),  # Serbia's code on a row that names Sudan
            ged_row(5, date_start="2023-02-30", date_end="2023-03-01"),
            ged_row(6, date_start="2023-05-02", date_end="2023-05-01"),
            ged_row(7, date_start="2031-01-01", date_end="2031-01-01", year=2031),
            ged_row(8, best=-4),
            ged_row(9, deaths_civilians="many"),
            ged_row(10, type_of_violence=4),
            ged_row(11, year=2022),
            ged_row(1),  # duplicate id
            ged_row(13, high="2.5"),
            ged_row(14, country=""),
            ged_row(15, gwnoa="625, 12345"),
            ged_row(16, date_start="2023-04-15junk", date_end="2023-04-15T10:00"),
        ]
    )
    with pytest.raises(EventImportError) as excinfo:
        read_ucdp_ged(path, today=TODAY)
    assert problems_of(excinfo) == {
        (3, "country", "Atlantis"),
        (4, "country_id", "99999"),
        (5, "country_id", "345"),
        (6, "date_start", "2023-02-30"),
        (7, "date_end", "2023-05-01"),
        (8, "date_start", "2031-01-01"),
        (8, "date_end", "2031-01-01"),
        (9, "best", "-4"),
        (10, "deaths_civilians", "many"),
        (11, "type_of_violence", "4"),
        (12, "year", "2022"),
        (13, "id", "1"),
        (14, "high", "2.5"),
        (15, "country", ""),
        (16, "gwnoa", "625, 12345"),
        (17, "date_start", "2023-04-15junk"),
    }
    messages = {(p.row, p.column): p.message for p in excinfo.value.problems}
    assert "before date_start" in messages[(7, "date_end")]
    assert "future" in messages[(8, "date_start")]
    assert messages[(9, "best")] == "negative count"
    assert messages[(10, "deaths_civilians")] == "not a number"
    assert "first in row 2" in messages[(13, "id")]
    assert "Serbia" in messages[(5, "country_id")]
    assert "Sudan" in messages[(5, "country_id")]
    assert messages[(3, "country")].startswith("unknown country 'Atlantis'")
    assert str(excinfo.value).endswith(f"(and {len(excinfo.value.problems) - 1} more problems)")
    assert any(line.startswith("date_start: date in the future") for line in excinfo.value.summary())


def test_ragged_rows_are_reported_by_row(tmp_path: Path):
    """A row with a different number of fields from the header is a layout problem on that row."""
    path = tmp_path / "ged.csv"
    write_csv(path, UCDP_GED_COLUMNS, [ged_row(1), ged_row(2)])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("3,only,three\n")
    with pytest.raises(EventImportError) as excinfo:
        read_ucdp_ged(path, today=TODAY)
    assert [(p.row, p.column) for p in excinfo.value.problems] == [(4, None)]
    assert "3 fields" in excinfo.value.problems[0].message


def test_empty_ged_file_gives_empty_aggregate(write_ged):
    """A header without rows is a valid, empty import (not an error, not a crash)."""
    result = read_ucdp_ged(write_ged([]), today=TODAY)
    assert result.n_rows == 0
    assert list(result.monthly.columns) == list(MONTHLY_COLUMNS)
    assert result.monthly.empty
    assert result.months is None


def test_complete_months_counts_months_without_events_as_zeros():
    """Each country and type gets every month of the span, zero where the aggregate has no row; totals stay."""
    monthly = pd.DataFrame(
        {
            "iso3": ["SDN", "SDN", "MLI"],
            "month": ["2024-01", "2024-04", "2024-02"],
            "type": ["one_sided", "state_based", "one_sided"],
            "events": [3, 1, 2],
            "fatalities": [5, 1, 7],
        }
    )
    full = complete_months(monthly)
    assert list(full.columns) == list(MONTHLY_COLUMNS)
    assert len(full) == 3 * 4  # (SDN, one_sided), (SDN, state_based), (MLI, one_sided) x 2024-01..2024-04
    sdn = full[(full["iso3"] == "SDN") & (full["type"] == "one_sided")]
    assert sdn["events"].tolist() == [3, 0, 0, 0]
    assert full[["events", "fatalities"]].sum().tolist() == [6, 13]
    assert complete_months(monthly, first="2023-12", last="2024-06")["month"].nunique() == 7
    assert complete_months(monthly.iloc[0:0]).empty


# ---------------------------------------------------------------------------------------------------- ACLED


def test_acled_file_aggregates_with_common_types(write_acled):
    """ "Violence against civilians" becomes violence_against_civilians; both ACLED date forms are read."""
    path = write_acled(
        [
            acled_row(1, fatalities=2),
            acled_row(2, event_date="20 April 2023", fatalities=1),
            acled_row(3, event_type="Battles", fatalities=7),
            acled_row(4, event_type="Protests", fatalities=0, event_date="03 May 2023"),
            acled_row(5, country="Kosovo", iso=0, event_type="Riots"),
        ]
    )
    result = read_acled(path, today=TODAY)
    rows = {tuple(r[:3]): tuple(r[3:]) for r in result.monthly.itertuples(index=False)}
    assert rows == {
        ("SDN", "2023-04", "violence_against_civilians"): (2, 3),
        ("SDN", "2023-04", "battles"): (1, 7),
        ("SDN", "2023-05", "protests"): (1, 0),
        ("XKX", "2023-04", "riots"): (1, 2),
    }


def test_bad_acled_file_is_rejected_whole_with_every_problem(write_acled):
    """Unknown names and ISO codes, mismatches, bad dates, unknown types and negative fatalities, all listed."""
    path = write_acled(
        [
            acled_row(1),
            acled_row(2, country="Freedonia"),
            acled_row(3, iso=999),
            acled_row(4, iso=4),  # Afghanistan's code on a Sudan row
            acled_row(5, event_date="31 Febuary 2023"),
            acled_row(6, event_type="Alien landing"),
            acled_row(7, fatalities=-1),
            acled_row(8, fatalities="1e"),
            acled_row(9, event_date="2030-01-01", year=2030),
        ]
    )
    with pytest.raises(EventImportError) as excinfo:
        read_acled(path, today=TODAY)
    assert problems_of(excinfo) == {
        (3, "country", "Freedonia"),
        (4, "iso", "999"),
        (5, "iso", "4"),
        (6, "event_date", "31 Febuary 2023"),
        (7, "event_type", "Alien landing"),
        (8, "fatalities", "-1"),
        (9, "fatalities", "1e"),
        (10, "event_date", "2030-01-01"),
    }


def test_detect_source_and_read_events(write_ged, write_acled, tmp_path: Path):
    """The reader is chosen from the header; a file in neither layout is refused on row 1."""
    ged, acled = write_ged([ged_row(1)]), write_acled([acled_row(1)])
    assert detect_source(ged) == "ucdp_ged"
    assert detect_source(acled) == "acled"
    assert read_events(ged, today=TODAY).source == "ucdp_ged"
    assert read_events(acled, today=TODAY).source == "acled"
    other = write_csv(tmp_path / "other.csv", ["a", "b"], [{"a": 1, "b": 2}])
    with pytest.raises(EventImportError) as excinfo:
        read_events(other)
    assert excinfo.value.problems[0].row == 1


# ------------------------------------------------------------------------------------------ re-aggregation


def test_reaggregation_of_two_imports_counts_each_event_once(write_ged):
    """Re-aggregating overlapping imports counts an event id once, the later import winning."""
    first = read_ucdp_ged(write_ged([ged_row(1, best=5), ged_row(2, best=1)], "a.csv"), today=TODAY)
    second = read_ucdp_ged(write_ged([ged_row(2, best=4), ged_row(3, best=2)], "b.csv"), today=TODAY)
    combined = aggregate_monthly([first.events, second.events])
    assert combined.to_dict("records") == [
        {"iso3": "SDN", "month": "2023-04", "type": "one_sided", "events": 3, "fatalities": 11}
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SDN", "SOM", "MLI"]),
            st.dates(min_value=dt.date(1989, 1, 1), max_value=dt.date(2024, 12, 31)),
            st.sampled_from(["state_based", "non_state", "one_sided"]),
            st.integers(min_value=0, max_value=10_000),
        ),
        max_size=60,
    )
)
def test_aggregate_preserves_totals(rows):
    """Property: the monthly aggregate keeps every event and every death, and months are YYYY-MM."""
    events = pd.DataFrame(
        {
            "event_id": [str(i) for i in range(len(rows))],
            "iso3": [r[0] for r in rows],
            "date_start": pd.to_datetime([r[1] for r in rows]).astype("datetime64[s]"),
            "type": [r[2] for r in rows],
            "fatalities": [r[3] for r in rows],
        }
    )
    monthly = aggregate_monthly(events)
    assert int(monthly["events"].sum()) == len(rows)
    assert int(monthly["fatalities"].sum()) == sum(r[3] for r in rows)
    assert monthly["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert not monthly.duplicated(["iso3", "month", "type"]).any()


# ----------------------------------------------------------------------------------------------- GW codes


@pytest.mark.parametrize(
    ("gw", "on", "cow"),
    [
        (260, dt.date(1989, 1, 1), 260),  # West Germany before unification
        (260, dt.date(1991, 1, 1), 255),  # unified Germany
        (678, dt.date(1990, 5, 21), 678),  # Yemen Arab Republic
        (678, dt.date(1990, 5, 22), 679),  # unified Yemen
        (340, dt.date(2010, 1, 1), 345),  # Serbia
        (625, dt.date(2010, 1, 1), 625),  # Sudan: the same in both lists
        (678, None, 679),
    ],
)
def test_gw_to_cow(gw, on, cow):
    """The handful of GW codes that differ from COW map to COW's code for the date (Gleditsch & Ward 1999)."""
    assert gw_to_cow(gw, on) == cow


def test_gw_to_cow_array_matches_scalar():
    """The vectorised mapping agrees with the scalar one."""
    codes = [260, 260, 678, 678, 340, 625]
    days = ["1989-01-01", "1991-01-01", "1990-05-21", "1990-05-22", "2010-01-01", "2010-01-01"]
    expected = [gw_to_cow(c, dt.date.fromisoformat(d)) for c, d in zip(codes, days, strict=True)]
    assert gw_to_cow_array(codes, [f"{d}" for d in days]).tolist() == expected


def test_byte_order_mark_is_ignored(write_ged):
    """Spreadsheet exports often start with a UTF-8 byte order mark; the header still reads by name."""
    path = write_ged([ged_row(1)])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_ucdp_ged(path, today=TODAY).n_rows == 1


def test_ged_file_given_to_the_acled_reader_is_refused(write_ged):
    """The ACLED reader names the ACLED columns a GED file lacks."""
    with pytest.raises(EventImportError) as excinfo:
        read_acled(write_ged([ged_row(1)]), today=TODAY)
    assert {p.column for p in excinfo.value.problems} == {
        "event_id_cnty",
        "event_date",
        "event_type",
        "iso",
        "fatalities",
    }


def test_file_that_is_not_utf8_is_refused_with_a_reason(write_acled):
    """A Latin-1 export (an accented name as one byte) is refused with a reason, not a crash."""
    path = write_acled([acled_row(1), acled_row(2, country="Côte d'Ivoire", iso=384)])
    path.write_bytes(path.read_bytes().replace("Côte".encode(), "Côte".encode("latin-1")))
    with pytest.raises(EventImportError, match="not UTF-8"):
        read_acled(path, today=TODAY)
