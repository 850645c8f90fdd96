"""Drift between two vintages of a table: what vanished, what appeared, what was revised, what jumped.

Every import is checked against the previous vintage of the same data before anything is written (issue 5:
"countries or columns that vanished, values that jumped far beyond their history ... nothing is dropped
silently"). The table is either

- a **panel**: entity columns (e.g. ``iso3`` and ``type``), a time column (e.g. ``month`` or ``year``) and value
  columns, such as the monthly event aggregate of :mod:`lemkin.core.warning.events` or a country-year risk panel;
- a **cross-section**: entity columns and value columns, one row per entity (``time=None``), such as a table of
  country scores.

:func:`compare_vintages` reports, as :class:`DriftItem` rows with readable messages:

``column_vanished`` / ``column_added``
    a column of the previous vintage is missing from the new one (warning), or a new one appeared (info);
``entity_vanished`` / ``entity_added``
    a country (the first entity column) or a finer entity key present before is absent now (warning), or new;
``value_vanished``
    a cell that had a value before is empty now, for the same entity and time (warning);
``revised``
    a value for the same entity and time changed by more than ``revision_tolerance`` (info: data sets revise);
``jump``
    a new value lies far outside the entity's own history: its robust z-score, ``|x − median| / (1.4826 · MAD)``
    over the entity's values in the previous vintage, is at least ``z`` (warning). For a cross-section the
    history is each entity's previous value, so each entity's change is scored against the changes of all the
    other entities in that column instead;
``unchecked``
    entities whose history is too short (fewer than ``min_history`` values) to judge a jump (info), listed so
    that nothing escapes the check unnoticed.

The robust z-score follows Iglewicz and Hoaglin (1993), *How to Detect and Handle Outliers*, ASQC Quality Press
(the "modified z-score", with 1.4826 · MAD estimating the standard deviation for normal data). When the MAD is 0
(a flat history, common for monthly counts that are mostly zero) the scale falls back to 1.2533 times the mean
absolute deviation from the median, and never below ``min_scale``, so one event after a run of zeros is not an
infinite jump.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["DriftItem", "DriftReport", "compare_vintages", "robust_z"]

Kind = Literal[
    "column_vanished",
    "column_added",
    "entity_vanished",
    "entity_added",
    "value_vanished",
    "revised",
    "jump",
    "unchecked",
]
_WARNINGS: frozenset[str] = frozenset({"column_vanished", "entity_vanished", "value_vanished", "jump"})
_MAD_TO_SD = 1.4826
_MEAN_AD_TO_SD = 1.2533


@dataclass(frozen=True)
class DriftItem:
    """One finding. ``entity`` is the entity key as text (``"SDN"`` or ``"SDN/one_sided"``); ``time`` the period."""

    kind: Kind
    message: str
    entity: str | None = None
    column: str | None = None
    time: str | None = None
    previous: float | None = None
    current: float | None = None
    score: float | None = None

    @property
    def severity(self) -> Literal["warning", "info"]:
        """``warning`` for losses and jumps (a reviewer must look), ``info`` for additions and revisions."""
        return "warning" if self.kind in _WARNINGS else "info"

    def __str__(self) -> str:
        return f"[{self.severity}] {self.message}"


@dataclass
class DriftReport:
    """The findings of one comparison, warnings first, and what was compared."""

    items: list[DriftItem] = field(default_factory=list)
    entity_columns: tuple[str, ...] = ()
    time_column: str | None = None
    value_columns: tuple[str, ...] = ()
    z: float = 0.0

    @property
    def warnings(self) -> list[DriftItem]:
        """Items a reviewer must look at before the import is written."""
        return [i for i in self.items if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing vanished and nothing jumped."""
        return not self.warnings

    def of_kind(self, kind: Kind) -> list[DriftItem]:
        """Items of one kind."""
        return [i for i in self.items if i.kind == kind]

    def counts(self) -> dict[str, int]:
        """Number of items per kind."""
        return dict(Counter(i.kind for i in self.items))

    def lines(self) -> list[str]:
        """Readable lines: a summary, then every item."""
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts().items()) or "no drift"
        return [f"drift against the previous vintage: {counts}", *(str(i) for i in self.items)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def robust_z(value: float | np.ndarray, history: np.ndarray, min_scale: float = 1.0) -> float | np.ndarray:
    """Robust z-score of ``value`` against ``history``: ``(value − median) / scale`` (see the module notes)."""
    history = np.asarray(history, dtype=float)
    history = history[~np.isnan(history)]
    median = float(np.median(history))
    deviations = np.abs(history - median)
    scale = max(_MAD_TO_SD * float(np.median(deviations)), _MEAN_AD_TO_SD * float(deviations.mean()), min_scale)
    return (np.asarray(value, dtype=float) - median) / scale


def _key(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    key = frame[columns[0]].astype(str)
    for column in columns[1:]:
        key = key + "/" + frame[column].astype(str)
    return key


def _num(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def compare_vintages(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    *,
    entity: Sequence[str] = ("iso3",),
    time: str | None = "month",
    values: Sequence[str] | None = None,
    z: float = 5.0,
    min_history: int = 6,
    min_scale: float = 1.0,
    revision_tolerance: float = 0.0,
) -> DriftReport:
    """Compare ``current`` against ``previous`` and report every difference worth a reviewer's eye.

    ``entity`` names the key columns (the first is the country), ``time`` the period column or ``None`` for a
    cross-section, ``values`` the numeric columns to check (default: the numeric columns of ``previous`` that are
    neither entity nor time). ``z`` is the robust z-score at which a new value counts as a jump, ``min_history``
    the fewest earlier values an entity needs for that judgment, ``min_scale`` the smallest scale of the
    z-score, and ``revision_tolerance`` the absolute change below which a revised value is not reported.
    """
    entity = tuple(entity)
    ids = (*entity, *((time,) if time else ()))
    missing_ids = [c for c in ids if c not in previous.columns or c not in current.columns]
    if missing_ids:
        raise KeyError(f"both vintages need the key columns {list(ids)}; missing {missing_ids}")
    if values is None:
        values = [c for c in previous.select_dtypes("number").columns if c not in ids]
    report = DriftReport(entity_columns=entity, time_column=time, value_columns=tuple(values), z=z)
    items = report.items

    for column in previous.columns:
        if column not in current.columns:
            items.append(DriftItem("column_vanished", f"column {column!r} is missing from the new vintage",
                                   column=str(column)))  # fmt: skip
    for column in current.columns:
        if column not in previous.columns:
            items.append(DriftItem("column_added", f"new column {column!r}", column=str(column)))
    checked = [c for c in values if c in current.columns]

    _entities(previous, current, entity, items)
    if time is None:
        _cross_section(previous, current, entity, checked, z, min_scale, revision_tolerance, items)
    else:
        _panel(previous, current, entity, time, checked, z, min_history, min_scale, revision_tolerance, items)
    items.sort(key=lambda i: (i.severity != "warning", i.kind, i.entity or "", i.column or "", i.time or ""))
    return report


def _entities(previous: pd.DataFrame, current: pd.DataFrame, entity: tuple[str, ...], items: list[DriftItem]) -> None:
    first = entity[0]
    before, after = set(previous[first].astype(str)), set(current[first].astype(str))
    for e in sorted(before - after):
        items.append(DriftItem("entity_vanished", f"{first} {e} is in the previous vintage but not in the new one",
                               entity=e))  # fmt: skip
    for e in sorted(after - before):
        items.append(DriftItem("entity_added", f"{first} {e} is new in this vintage", entity=e))
    if len(entity) > 1:
        gone = set(_key(previous, entity)) - set(_key(current, entity))
        for key in sorted(k for k in gone if k.split("/")[0] in after):
            items.append(DriftItem("entity_vanished", f"{'/'.join(entity)} {key} is no longer in the new vintage",
                                   entity=key))  # fmt: skip


def _overlap(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    keys: list[str],
    entity: tuple[str, ...],
    time: str | None,
    columns: Sequence[str],
    tolerance: float,
    items: list[DriftItem],
) -> None:
    """Cells present in both vintages: values that vanished and values that were revised."""
    merged = previous[[*keys, *columns]].merge(current[[*keys, *columns]], on=keys, suffixes=("_old", "_new"))
    if merged.empty:
        return
    label = _key(merged, entity)
    when = merged[time].astype(str) if time else None
    for column in columns:
        old, new = merged[f"{column}_old"], merged[f"{column}_new"]
        vanished = old.notna() & new.isna()
        old_f = pd.to_numeric(old, errors="coerce")
        new_f = pd.to_numeric(new, errors="coerce")
        revised = old.notna() & new.notna() & ((new_f - old_f).abs() > tolerance)
        checks: tuple[tuple[Kind, pd.Series], ...] = (("value_vanished", vanished), ("revised", revised))
        for kind, mask in checks:
            if kind == "revised" and time is None:
                continue  # a cross-section's changes are judged as jumps, not as revisions
            for i in np.flatnonzero(mask.to_numpy()).tolist():
                at = f" in {when.iat[i]}" if when is not None else ""
                what = "became empty" if kind == "value_vanished" else f"revised to {new.iat[i]}"
                items.append(
                    DriftItem(
                        kind,
                        f"{label.iat[i]} {column}{at}: {old.iat[i]} {what}",
                        entity=str(label.iat[i]),
                        column=column,
                        time=None if when is None else str(when.iat[i]),
                        previous=_num(old.iat[i]),
                        current=_num(new.iat[i]),
                    )
                )


def _panel(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    entity: tuple[str, ...],
    time: str,
    columns: Sequence[str],
    z: float,
    min_history: int,
    min_scale: float,
    tolerance: float,
    items: list[DriftItem],
) -> None:
    keys = [*entity, time]
    _overlap(previous, current, keys, entity, time, columns, tolerance, items)
    seen = _key(current, keys).isin(set(_key(previous, keys)))
    new_rows = current[~seen.to_numpy()]
    if new_rows.empty:
        return
    history = {str(k): g for k, g in previous.assign(_key=_key(previous, entity)).groupby("_key", sort=False)}
    fresh = new_rows.assign(_key=_key(new_rows, entity))
    short: set[str] = set()
    for key, rows in fresh.groupby("_key", sort=True):
        past = history.get(str(key), previous.iloc[0:0])
        for column in columns:
            series = pd.to_numeric(past[column], errors="coerce").dropna().to_numpy(dtype=float)
            if len(series) < min_history:
                short.add(str(key))
                continue
            new_values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
            scores = np.asarray(robust_z(new_values, series, min_scale))
            median = float(np.median(series))
            for value, score, when in zip(new_values, scores, rows[time].astype(str), strict=True):
                if not np.isnan(score) and abs(score) >= z:
                    items.append(DriftItem(
                        "jump",
                        f"{key} {column} in {when} is {value:g}, far from its history (median {median:g} over "
                        f"{len(series)} periods; robust z = {score:.1f}, threshold {z:g})",
                        entity=str(key), column=column, time=when, current=float(value), score=float(score),
                    ))  # fmt: skip
    for key in sorted(short):
        items.append(DriftItem("unchecked", f"{key}: fewer than {min_history} earlier values, new values not "
                               "checked for jumps", entity=key))  # fmt: skip


def _cross_section(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    entity: tuple[str, ...],
    columns: Sequence[str],
    z: float,
    min_scale: float,
    tolerance: float,
    items: list[DriftItem],
) -> None:
    keys = list(entity)
    _overlap(previous, current, keys, entity, None, columns, tolerance, items)
    merged = previous[[*keys, *columns]].merge(current[[*keys, *columns]], on=keys, suffixes=("_old", "_new"))
    label = _key(merged, entity)
    for column in columns:
        change = (pd.to_numeric(merged[f"{column}_new"], errors="coerce")
                  - pd.to_numeric(merged[f"{column}_old"], errors="coerce")).to_numpy(dtype=float)  # fmt: skip
        known = ~np.isnan(change)
        if known.sum() < 3:
            continue
        # each change against the *other* entities' changes, so a lone outlier does not widen its own yardstick
        idx = np.flatnonzero(known)
        scores = np.full(len(change), np.nan)
        for i in idx.tolist():
            scores[i] = float(robust_z(change[i], change[idx[idx != i]], min_scale))
        for i in np.flatnonzero(known & (np.abs(np.nan_to_num(scores)) >= z)).tolist():
            old, new = merged[f"{column}_old"].iat[i], merged[f"{column}_new"].iat[i]
            items.append(DriftItem(
                "jump",
                f"{label.iat[i]} {column} changed from {old} to {new}, far beyond the other changes "
                f"(robust z = {scores[i]:.1f}, threshold {z:g})",
                entity=str(label.iat[i]), column=column, previous=_num(old), current=_num(new), score=float(scores[i]),
            ))  # fmt: skip
