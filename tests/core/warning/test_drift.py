"""Drift between vintages: vanished countries and columns, emptied and revised values, jumps; nothing silent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lemkin.core.warning.drift import compare_vintages, robust_z


def monthly(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """A monthly aggregate (iso3, month, type one_sided, events, fatalities)."""
    return pd.DataFrame(
        {
            "iso3": [r[0] for r in rows],
            "month": [r[1] for r in rows],
            "type": "one_sided",
            "events": [r[2] for r in rows],
            "fatalities": [r[3] for r in rows],
        }
    )


def history(country: str, events: list[int], start: int = 1) -> list[tuple[str, str, int, int]]:
    return [(country, f"2024-{m:02d}", e, e * 2) for m, e in enumerate(events, start=start)]


BASE = monthly(
    history("SDN", [3, 4, 3, 5, 4, 3, 4, 4]) + history("MLI", [1, 2, 1, 2, 1, 2, 2, 1]) + history("NER", [1])
)


def test_identical_vintages_have_no_drift():
    """The same table twice: nothing to report."""
    report = compare_vintages(BASE, BASE.copy(), entity=("iso3", "type"))
    assert report.items == []
    assert report.ok
    assert str(report) == "drift against the previous vintage: no drift"


def test_vanished_country_and_column_are_warnings():
    """A country and a column that disappear are both reported as warnings."""
    new = BASE[BASE["iso3"] != "NER"].drop(columns=["fatalities"])
    report = compare_vintages(BASE, new, entity=("iso3", "type"))
    assert not report.ok
    kinds = {(i.kind, i.entity, i.column) for i in report.warnings}
    assert ("entity_vanished", "NER", None) in kinds
    assert ("column_vanished", None, "fatalities") in kinds
    assert "iso3 NER is in the previous vintage but not in the new one" in str(report)


def test_vanished_type_within_a_country_is_reported():
    """A finer key (country and type) that disappears while the country stays is reported too."""
    row = pd.DataFrame([{"iso3": "SDN", "month": "2024-01", "type": "state_based", "events": 1, "fatalities": 1}])
    extra = pd.concat([BASE, row], ignore_index=True)
    report = compare_vintages(extra, BASE, entity=("iso3", "type"))
    assert [i.entity for i in report.of_kind("entity_vanished")] == ["SDN/state_based"]


def test_jump_far_beyond_history_is_found():
    """A new month far outside a country's own history is a jump; an ordinary month is not."""
    new = pd.concat([BASE, monthly([("SDN", "2024-09", 60, 8), ("MLI", "2024-09", 2, 4)])], ignore_index=True)
    report = compare_vintages(BASE, new, entity=("iso3", "type"), z=5)
    jumps = {(i.entity, i.column, i.time) for i in report.of_kind("jump")}
    assert jumps == {("SDN/one_sided", "events", "2024-09")}  # SDN's 8 deaths and MLI's month are ordinary
    (events_jump,) = [i for i in report.of_kind("jump") if i.column == "events"]
    assert events_jump.score == pytest.approx((60 - 4) / 1.0)  # median 4; MAD 0.5 → 0.74, mean AD 0.375; floor 1
    assert "median 4 over 8 periods" in events_jump.message


def test_short_histories_are_listed_as_unchecked():
    """A country with too little history is not judged, and the report says so."""
    new = pd.concat([BASE, monthly([("NER", "2024-02", 500, 1)])], ignore_index=True)
    report = compare_vintages(BASE, new, entity=("iso3", "type"))
    assert [i.entity for i in report.of_kind("unchecked")] == ["NER/one_sided"]
    assert report.of_kind("jump") == []


def test_revisions_and_emptied_values_are_reported():
    """A revised month is info; a value that became empty is a warning."""
    new = BASE.astype({"fatalities": float})
    new.loc[0, "events"] = 30
    new.loc[1, "fatalities"] = np.nan
    report = compare_vintages(BASE, new, entity=("iso3", "type"))
    (revised,) = report.of_kind("revised")
    assert (revised.entity, revised.time, revised.previous, revised.current) == ("SDN/one_sided", "2024-01", 3, 30)
    (vanished,) = report.of_kind("value_vanished")
    assert (vanished.column, vanished.time) == ("fatalities", "2024-02")
    assert vanished.severity == "warning"
    assert revised.severity == "info"


def test_added_country_and_column_are_info():
    """New countries and columns are noted, not warned about."""
    new = pd.concat([BASE, monthly([("TCD", "2024-01", 1, 1)])], ignore_index=True).assign(extra=1)
    report = compare_vintages(BASE, new, entity=("iso3", "type"))
    assert report.ok
    assert report.counts() == {"column_added": 1, "entity_added": 1, "unchecked": 1}


def test_cross_section_jump_against_other_countries_changes():
    """For a one-row-per-country table, a change far beyond the others' changes is a jump."""
    old = pd.DataFrame({"iso3": list("ABCDEFG"), "risk": [0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.2]})
    new = old.assign(risk=[0.11, 0.2, 0.29, 0.9, 0.2, 0.31, 0.2])
    report = compare_vintages(old, new, time=None, min_scale=0.01)
    assert [(i.kind, i.entity) for i in report.items] == [("jump", "D")]
    assert "from 0.1 to 0.9" in report.items[0].message


def test_missing_key_columns_are_refused():
    """Vintages without the key columns cannot be compared."""
    with pytest.raises(KeyError, match="month"):
        compare_vintages(BASE.drop(columns=["month"]), BASE)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40), st.floats(-1e6, 1e6))
def test_robust_z_is_shift_invariant(values, shift):
    """Property: shifting history and value together leaves the robust z-score unchanged."""
    history_values = np.array(values)
    value = float(history_values.mean())
    a = float(robust_z(value, history_values))
    b = float(robust_z(value + shift, history_values + shift))
    assert a == pytest.approx(b, abs=1e-6 * max(1.0, abs(shift)))
