"""Event data: read UCDP GED and ACLED CSV exports, validate the whole file, aggregate to monthly counts.

Two published layouts are read, always by header name, never by position:

- **UCDP Georeferenced Event Dataset (GED)**, CSV (CC BY 4.0). Sundberg, Ralph and Erik Melander (2013),
  "Introducing the UCDP Georeferenced Event Dataset", *Journal of Peace Research* 50(4); the column list is in
  :data:`UCDP_GED_COLUMNS`. Countries are the ``country`` name (resolved through the country table) and the
  Gleditsch–Ward ``country_id`` (mapped to COW by :mod:`lemkin.core.warning.gwcodes`); the two must agree.
- **ACLED** event export, CSV (Raleigh, Linke, Hegre and Karlsen (2010), "Introducing ACLED", *Journal of Peace
  Research* 47(5)). ACLED's terms forbid passing raw data on: Lemkin stores only the monthly aggregates.
  Countries are the ``country`` name and the ISO 3166 numeric ``iso``; the two must agree. ACLED gives Kosovo
  ``iso`` 0 (it has no ISO code); 0 therefore means "no code", and the name alone decides.

**Validation before anything else.** A file is read completely and every problem is collected with its row (the
record's row number as a spreadsheet shows it: the header is row 1, the first event row 2; this is the file line
too unless a quoted field spans lines), column and value: missing columns (a wrong layout), unknown country names
or codes, names and codes that disagree, unparseable dates, an end before the start, dates in the future, a year
that is not the date's year, unknown violence or event types, non-numeric, fractional or negative counts and
fatalities, missing or duplicated event ids. Any problem raises :class:`EventImportError` listing all of them,
and nothing is returned: a file is imported whole or not at all.

**Aggregation.** Events become monthly counts per country and type: ``iso3, month, type, events, fatalities``
(see :func:`aggregate_monthly`). An event counts in the month it starts (GED ``date_start``, ACLED
``event_date``). Fatalities are UCDP's ``best`` estimate and ACLED's ``fatalities``. Types:

========================  ============================================================
UCDP ``type_of_violence``  type
========================  ============================================================
1                          ``state_based`` (state-based armed conflict)
2                          ``non_state`` (non-state conflict)
3                          ``one_sided`` (one-sided violence: an organised actor against civilians)
========================  ============================================================

ACLED ``event_type`` is written in snake case (:data:`ACLED_TYPES`): "Violence against civilians" becomes the
common type ``violence_against_civilians``, "Battles" ``battles``, "Explosions/Remote violence"
``explosions_remote_violence``, and so on; an event type outside the list is a problem, never dropped. UCDP's
``one_sided`` and ACLED's ``violence_against_civilians`` answer the same question (deliberate violence against
civilians) with different thresholds (UCDP counts only fatal events by organised actors), so they are kept as
separate series and :data:`CIVILIAN_TARGETING_TYPES` names both for indicators that want either.

Performance: the happy path is vectorised pandas (``pyarrow`` CSV engine when installed, explicit string dtypes,
only the needed columns); country names and codes are resolved once per distinct value. Python loops run only
over problems found. ``benchmarks/bench_event_import.py`` measures one million GED rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lemkin.core.countries import Country, UnknownCountry, by_cow, by_iso3, resolve
from lemkin.core.risk.panel import Problem
from lemkin.core.warning.gwcodes import gw_to_cow, gw_to_cow_array

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_TYPES",
    "CIVILIAN_TARGETING_TYPES",
    "MONTHLY_COLUMNS",
    "UCDP_GED_COLUMNS",
    "UCDP_TYPES",
    "EventImport",
    "EventImportError",
    "Problem",
    "aggregate_monthly",
    "complete_months",
    "detect_source",
    "read_acled",
    "read_events",
    "read_ucdp_ged",
]

Source = Literal["ucdp_ged", "acled"]

#: UCDP GED CSV columns, in the published order.
UCDP_GED_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

#: ACLED export columns (the order of the current export; read by name all the same).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: UCDP ``type_of_violence`` → Lemkin type.
UCDP_TYPES: dict[int, str] = {1: "state_based", 2: "non_state", 3: "one_sided"}

#: ACLED ``event_type`` → Lemkin type.
ACLED_TYPES: dict[str, str] = {
    "Battles": "battles",
    "Violence against civilians": "violence_against_civilians",
    "Explosions/Remote violence": "explosions_remote_violence",
    "Riots": "riots",
    "Protests": "protests",
    "Strategic developments": "strategic_developments",
}

#: The types that record deliberate violence against civilians, one per source.
CIVILIAN_TARGETING_TYPES: frozenset[str] = frozenset({"one_sided", "violence_against_civilians"})

#: Columns of the monthly aggregate.
MONTHLY_COLUMNS: tuple[str, ...] = ("iso3", "month", "type", "events", "fatalities")

# Columns each reader needs (a file missing any of them has the wrong layout).
_UCDP_COUNTS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low")
_UCDP_REQUIRED = ("id", "year", "type_of_violence", "country", "country_id", "date_start", "date_end",
                  *_UCDP_COUNTS, "gwnoa", "gwnob")  # fmt: skip
_ACLED_REQUIRED = ("event_id_cnty", "event_date", "year", "event_type", "iso", "country", "fatalities")


class EventImportError(ValueError):
    """An event file cannot be imported; ``problems`` lists every problem found (row, column, value, message)."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.message))
        self.source = source
        first = str(self.problems[0]) if self.problems else "invalid event file"
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        super().__init__(f"{source + ': ' if source else ''}{first}{more}")

    def summary(self) -> list[str]:
        """One line per kind of problem (column and message) with its count and first rows, for a long list."""
        groups: dict[tuple[str, str], list[int | None]] = {}
        for p in self.problems:
            groups.setdefault((p.column or "", p.message), []).append(p.row)
        lines = []
        for (column, message), rows in groups.items():
            shown = ", ".join(str(r) for r in rows[:5] if r is not None)
            where = f" (rows {shown}{', ...' if len(rows) > 5 else ''})" if shown else ""
            lines.append(f"{column or 'file'}: {message}: {len(rows)}{where}")
        return lines


@dataclass(frozen=True)
class EventImport:
    """A validated event file: its provenance, the normalised events and their monthly aggregate.

    ``events`` has one row per event: ``event_id``, ``iso3``, ``date_start``, ``date_end`` (``datetime64``),
    ``type``, ``fatalities``. ``monthly`` is :func:`aggregate_monthly` of it. ``resolved_names`` records how each
    country name in the file was read (``"Serbia (Yugoslavia)" → "SRB"``), so a reviewer can check it.
    """

    source: Source
    path: str
    sha256: str
    n_rows: int
    events: pd.DataFrame = field(repr=False)
    monthly: pd.DataFrame = field(repr=False)
    resolved_names: dict[str, str] = field(default_factory=dict)

    @property
    def months(self) -> tuple[str, str] | None:
        """First and last month with events (``YYYY-MM``), or ``None`` for a file without events."""
        if self.monthly.empty:
            return None
        return str(self.monthly["month"].min()), str(self.monthly["month"].max())


# --------------------------------------------------------------------------------------------------- reading


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh), [])


def detect_source(path: str | Path) -> Source:
    """Which layout a file has, from its header: ``ucdp_ged`` or ``acled``; :class:`EventImportError` if neither."""
    header = set(_header(Path(path)))
    if {"type_of_violence", "country_id", "best"} <= header:
        return "ucdp_ged"
    if {"event_id_cnty", "event_type", "fatalities"} <= header:
        return "acled"
    # Neither: name what is missing from the layout the header comes closest to.
    layouts = {"UCDP GED": UCDP_GED_COLUMNS, "ACLED": ACLED_COLUMNS}
    name, columns = max(layouts.items(), key=lambda item: len(header & set(item[1])) / len(item[1]))
    missing = [column for column in columns if column not in header]
    if len(missing) < len(columns) / 2:
        problems = [Problem(1, c, None, f"missing column {c!r}: the file is not in the {name} layout") for c in missing]
        raise EventImportError(problems, str(path))
    problem = Problem(1, None, None, "the header is neither the UCDP GED nor the ACLED layout")
    raise EventImportError([problem], str(path))


def _layout_problems(header: Sequence[str], required: Sequence[str], layout: str) -> list[Problem]:
    problems = [
        Problem(1, name, None, f"column {name!r} appears {header.count(name)} times in the header")
        for name in sorted({h for h in header if header.count(h) > 1})
    ]
    problems += [
        Problem(1, name, None, f"missing column {name!r}: the file is not in the {layout} layout")
        for name in required
        if name not in header
    ]
    return problems


def _shape_problems(path: Path, n_columns: int) -> list[Problem]:
    """Rows whose number of fields differs from the header's (found by a plain CSV pass, error path only)."""
    problems = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for number, record in enumerate(csv.reader(fh), start=1):
            if number > 1 and len(record) != n_columns and record:
                problems.append(
                    Problem(number, None, None, f"row has {len(record)} fields, the header has {n_columns}")
                )
    return problems or [Problem(None, None, None, "the file is not readable as CSV")]


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> EventImportError:
    where = f"byte {exc.start}"
    problem = Problem(None, None, None, f"the file is not UTF-8 text ({where}); export it again as UTF-8 CSV")
    return EventImportError([problem], str(path))


def _read_columns(path: Path, columns: Sequence[str], layout: str) -> pd.DataFrame:
    """Read ``columns`` as text (empty cells as ``""``); :class:`EventImportError` for a wrong layout or shape."""
    try:
        header = _header(path)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    problems = _layout_problems(header, columns, layout)
    if problems:
        raise EventImportError(problems, str(path))
    engine: Literal["pyarrow", "c"] = "pyarrow" if importlib.util.find_spec("pyarrow") else "c"
    try:
        frame = pd.read_csv(
            path,
            engine=engine,
            usecols=list(columns),
            dtype=dict.fromkeys(columns, str),
            keep_default_na=False,
            encoding="utf-8-sig" if engine == "c" else "utf-8",  # pyarrow drops a UTF-8 byte order mark itself
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        try:
            problems = _shape_problems(path, len(header))
        except UnicodeDecodeError as bad_text:
            raise _not_utf8(path, bad_text) from exc
        raise EventImportError(problems, str(path)) from exc
    return frame.reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ validation


class _Checker:
    """Collects problems for one file; every check is vectorised and loops only over the bad rows."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.problems: list[Problem] = []

    def add(self, mask: np.ndarray, column: str, message: str | Callable[[str], str]) -> None:
        """Record a problem for every row where ``mask`` is true."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        values = self.frame[column].to_numpy()[idx]
        for i, value in zip(idx.tolist(), values.tolist(), strict=True):
            text = message(value) if callable(message) else message
            self.problems.append(Problem(i + 2, column, value, text))

    def present(self, column: str) -> np.ndarray:
        """Mask of non-empty cells; empty ones are reported as missing values."""
        stripped = self.frame[column].str.strip()
        self.frame[column] = stripped
        empty = (stripped == "").to_numpy()
        self.add(empty, column, "missing value")
        return ~empty

    def integers(self, column: str, *, minimum: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
        """The column as int64 and a mask of valid cells; reports missing values, non-numbers, fractions and
        values below ``minimum`` (a "negative count" when ``minimum`` is 0)."""
        ok = self.present(column)
        text = self.frame[column]
        # fast path: plain integers convert in bulk; anything else goes through the slower, forgiving parser
        plain = text.str.fullmatch(r"[+-]?\d{1,15}").to_numpy(dtype=bool, na_value=False)
        numbers = np.full(len(text), np.nan)
        if plain.any():
            numbers[plain] = text[plain].astype("int64").to_numpy(dtype=float)
        if not plain.all():
            rest = ~plain
            numbers[rest] = pd.to_numeric(text[rest], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        nan = np.isnan(numbers)
        self.add(nan & ok, column, "not a number")
        fraction = ~nan & (numbers != np.round(numbers))
        self.add(fraction, column, "not a whole number")
        valid = ~nan & ~fraction
        if minimum is not None:
            low = valid & (numbers < minimum)
            self.add(low, column, "negative count" if minimum == 0 else f"must be at least {minimum}")
            valid &= ~low
        return np.where(valid, numbers, 0).astype(np.int64), valid

    def dates(self, column: str, formats: Sequence[str], today: dt.date) -> pd.Series:
        """The column parsed with the first matching format; unparseable dates and future dates are problems."""
        ok = self.present(column)
        text = self.frame[column]
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
        for fmt in formats:
            todo = parsed.isna().to_numpy() & ok
            if not todo.any():
                break
            candidate = text[todo]
            if fmt == "%Y-%m-%d":  # GED writes "2021-03-04 00:00:00.000" in some versions; only a time may follow
                rest = candidate.str.slice(10)
                odd = (rest != "") & ~rest.str.fullmatch(r"[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
                candidate = candidate.str.slice(0, 10).where(~odd, "")
            parsed[todo] = pd.to_datetime(candidate, format=fmt, errors="coerce").astype("datetime64[s]")
        bad = parsed.isna().to_numpy() & ok
        self.add(bad, column, "not a date (expected " + " or ".join(formats) + ")")
        future = (parsed > pd.Timestamp(today)).to_numpy()
        self.add(future, column, f"date in the future (after {today.isoformat()})")
        return parsed

    def unique_ids(self, column: str) -> None:
        """Event ids must be present and unique."""
        ok = self.present(column)
        ids = self.frame[column]
        dup = ids.duplicated(keep="first").to_numpy() & ok
        if dup.any():
            first = ids[ok].drop_duplicates(keep="first")
            first_row = pd.Series(first.index.to_numpy() + 2, index=first.to_numpy())
            self.add(dup, column, lambda v: f"duplicate event id (first in row {first_row.get(v)})")

    def year_matches(self, column: str, dates: pd.Series) -> None:
        """The ``year`` column must be the year of the event date."""
        years, valid = self.integers(column)
        date_years = dates.dt.year.to_numpy(dtype=float, na_value=np.nan)
        bad = valid & ~np.isnan(date_years) & (years != date_years)
        self.add(bad, column, "year is not the year of the event date")

    def countries(
        self, column: str, resolver: Callable[[str], Country] = resolve
    ) -> tuple[np.ndarray, dict[str, Country]]:
        """Resolve each distinct name once; unknown names are problems. Returns iso3 per row ('' if unknown)."""
        ok = self.present(column)
        codes, uniques = pd.factorize(self.frame[column])
        found: dict[str, Country] = {}
        iso3 = np.empty(len(uniques), dtype=object)
        errors: dict[str, str] = {}
        for i, name in enumerate(uniques.tolist()):
            try:
                country = resolver(name) if name else None
            except UnknownCountry as exc:
                errors[name] = str(exc)
                country = None
            iso3[i] = country.iso3 if country else ""
            if country:
                found[name] = country
        per_row = iso3[codes] if len(uniques) else np.array([], dtype=object)
        unknown = (per_row == "") & ok
        self.add(unknown, column, lambda v: errors.get(v, f"unknown country {v!r}"))
        return per_row, found


def _related(a: str, b: str) -> bool:
    """Two iso3 codes name the same country or a state and its successor (Yugoslavia/Serbia, USSR/Russia)."""
    if a == b:
        return True
    ca, cb = by_iso3(a), by_iso3(b)
    return ca.successor == b or cb.successor == a


def _agreement(checker: _Checker, name_iso3: np.ndarray, code_iso3: np.ndarray, code_column: str) -> None:
    """The country code of each row must name the same country as its name (or its predecessor/successor)."""
    both = (name_iso3 != "") & (code_iso3 != "")
    if not both.any():
        return
    pairs = pd.Series(name_iso3[both] + "/" + code_iso3[both])
    verdict = {key: not _related(*key.split("/")) for key in pd.unique(pairs.to_numpy()).tolist()}
    bad = np.zeros(len(name_iso3), dtype=bool)
    bad[np.flatnonzero(both)] = pairs.map(verdict).to_numpy(dtype=bool)
    for i in np.flatnonzero(bad).tolist():
        value = str(checker.frame[code_column].iat[i])
        checker.problems.append(
            Problem(
                i + 2,
                code_column,
                value,
                f"code {value} is {by_iso3(code_iso3[i]).name} ({code_iso3[i]}) but the row names "
                f"{by_iso3(name_iso3[i]).name} ({name_iso3[i]})",
            )
        )


def _gw_iso3(checker: _Checker, column: str, dates: pd.Series) -> np.ndarray:
    """Map a Gleditsch–Ward code column to iso3 through COW (one lookup per distinct code and year)."""
    frame = checker.frame
    codes, valid = checker.integers(column, minimum=1)
    day = dates.to_numpy(dtype="datetime64[D]")
    cow = gw_to_cow_array(codes, np.where(np.isnat(day), np.datetime64("2100-01-01"), day))
    year = np.where(np.isnat(day), -1, day.astype("datetime64[Y]").astype(np.int64) + 1970)
    keys = pd.DataFrame({"cow": cow, "year": year})[valid]
    iso3 = np.full(len(frame), "", dtype=object)
    if keys.empty:
        return iso3
    distinct = keys.drop_duplicates()
    table: dict[tuple[int, int], str] = {}
    for c, y in zip(distinct["cow"].tolist(), distinct["year"].tolist(), strict=True):
        try:
            table[(c, y)] = by_cow(c, None if y < 0 else y).iso3
        except UnknownCountry:
            table[(c, y)] = ""
    mapped = [table[k] for k in zip(keys["cow"].tolist(), keys["year"].tolist(), strict=True)]
    iso3[np.flatnonzero(valid)] = mapped
    checker.add(valid & (iso3 == ""), column, "unknown Gleditsch–Ward country code")
    return iso3


def _gw_lists(checker: _Checker, column: str) -> None:
    """``gwnoa``/``gwnob``: empty, or comma-separated Gleditsch–Ward codes of known states."""
    values = checker.frame[column].str.strip()
    distinct = [v for v in pd.unique(values.to_numpy()).tolist() if v]
    bad: dict[str, str] = {}
    for value in distinct:
        for token in str(value).split(","):
            token = token.strip()
            try:
                by_cow(gw_to_cow(int(float(token))))
            except (ValueError, UnknownCountry):
                bad[value] = f"unknown Gleditsch–Ward code {token!r} in the list"
                break
    if bad:
        checker.add(values.isin(list(bad)).to_numpy(), column, lambda v: bad[v])


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else dt.datetime.now(tz=dt.UTC).date()


def read_ucdp_ged(path: str | Path, *, today: dt.date | None = None) -> EventImport:
    """Read and validate a UCDP GED CSV file; return its events and monthly aggregate, or raise for every problem.

    ``today`` (default: the current UTC date) bounds the dates: an event after it is a problem.
    """
    path = Path(path)
    frame = _read_columns(path, _UCDP_REQUIRED, "UCDP GED")
    check = _Checker(frame)
    day = _today(today)
    check.unique_ids("id")
    violence, valid_violence = check.integers("type_of_violence", minimum=None)
    check.add(
        valid_violence & ~np.isin(violence, list(UCDP_TYPES)),
        "type_of_violence",
        "type_of_violence must be 1 (state-based), 2 (non-state) or 3 (one-sided)",
    )
    start = check.dates("date_start", ("%Y-%m-%d",), day)
    end = check.dates("date_end", ("%Y-%m-%d",), day)
    check.add((end < start).to_numpy(), "date_end", "date_end is before date_start")
    check.year_matches("year", start)
    counts = {column: check.integers(column)[0] for column in _UCDP_COUNTS}
    name_iso3, names = check.countries("country")
    code_iso3 = _gw_iso3(check, "country_id", start)
    _agreement(check, name_iso3, code_iso3, "country_id")
    for column in ("gwnoa", "gwnob"):
        _gw_lists(check, column)
    if check.problems:
        raise EventImportError(check.problems, str(path))
    labels = pd.Index([UCDP_TYPES[k] for k in sorted(UCDP_TYPES)], dtype=str)
    types = pd.Categorical.from_codes((violence - 1).astype(np.int64), categories=labels)
    events = pd.DataFrame(
        {
            "event_id": frame["id"],
            "iso3": pd.Categorical(name_iso3.astype(str)),
            "date_start": start,
            "date_end": end,
            "type": types,
            "fatalities": counts["best"],
        }
    )
    return EventImport(
        source="ucdp_ged",
        path=str(path),
        sha256=_sha256(path),
        n_rows=len(frame),
        events=events,
        monthly=aggregate_monthly(events),
        resolved_names={name: c.iso3 for name, c in names.items()},
    )


def _acled_iso(checker: _Checker) -> np.ndarray:
    """ACLED ``iso`` (ISO 3166 numeric) → iso3; 0 means "no ISO code" (ACLED's Kosovo) and yields ''."""
    numbers, valid = checker.integers("iso")
    frame = checker.frame
    valid &= numbers > 0
    iso3 = np.full(len(frame), "", dtype=object)
    distinct = pd.unique(numbers[valid]).tolist()
    table: dict[int, str] = {}
    for n in distinct:
        try:
            table[n] = resolve(str(n)).iso3
        except UnknownCountry:
            table[n] = ""
    iso3[valid] = [table[n] for n in numbers[valid].tolist()]
    checker.add(valid & (iso3 == ""), "iso", "unknown ISO 3166 numeric country code")
    return iso3


def read_acled(path: str | Path, *, today: dt.date | None = None) -> EventImport:
    """Read and validate an ACLED CSV export; return its events and monthly aggregate, or raise for every problem.

    ``event_date`` may be ISO (``2024-03-05``, the API's form) or ACLED's export form (``05 March 2024``).
    """
    path = Path(path)
    frame = _read_columns(path, _ACLED_REQUIRED, "ACLED")
    check = _Checker(frame)
    day = _today(today)
    check.unique_ids("event_id_cnty")
    date = check.dates("event_date", ("%Y-%m-%d", "%d %B %Y"), day)
    check.year_matches("year", date)
    etype = frame["event_type"].str.strip()
    frame["event_type"] = etype
    known = ", ".join(repr(k) for k in ACLED_TYPES)
    check.add(
        check.present("event_type") & ~etype.isin(list(ACLED_TYPES)).to_numpy(),
        "event_type",
        f"unknown ACLED event type (known: {known})",
    )
    fatalities, _ = check.integers("fatalities")
    name_iso3, names = check.countries("country")
    code_iso3 = _acled_iso(check)
    _agreement(check, name_iso3, code_iso3, "iso")
    if check.problems:
        raise EventImportError(check.problems, str(path))
    categories = list(dict.fromkeys(ACLED_TYPES.values()))
    events = pd.DataFrame(
        {
            "event_id": frame["event_id_cnty"],
            "iso3": pd.Categorical(name_iso3.astype(str)),
            "date_start": date,
            "date_end": date,
            "type": pd.Categorical(etype.map(ACLED_TYPES), categories=categories),
            "fatalities": fatalities,
        }
    )
    return EventImport(
        source="acled",
        path=str(path),
        sha256=_sha256(path),
        n_rows=len(frame),
        events=events,
        monthly=aggregate_monthly(events),
        resolved_names={name: c.iso3 for name, c in names.items()},
    )


def read_events(path: str | Path, source: Source | None = None, *, today: dt.date | None = None) -> EventImport:
    """Read a UCDP GED or ACLED file, choosing the reader from ``source`` or, when ``None``, from the header."""
    kind = source or detect_source(path)
    reader = read_ucdp_ged if kind == "ucdp_ged" else read_acled
    return reader(path, today=today)


# ----------------------------------------------------------------------------------------------- aggregation


def aggregate_monthly(events: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Monthly counts of events and fatalities per country and type, from normalised event frames.

    ``events`` is an :attr:`EventImport.events` frame, or several of them (re-aggregation after a new import;
    rows with the same ``event_id`` and type are counted once, the later frame winning). The result has the
    columns :data:`MONTHLY_COLUMNS`, ``month`` as ``YYYY-MM`` text, sorted by country, month and type, with
    only the months that have events (a missing month means no recorded events, not missing data).
    """
    frames = [events] if isinstance(events, pd.DataFrame) else list(events)
    if len(frames) > 1:
        combined = pd.concat([f.astype({"iso3": str, "type": str}) for f in frames], ignore_index=True)
        combined = combined.drop_duplicates(subset=["event_id", "type"], keep="last")
    elif frames:
        combined = frames[0]
    else:
        combined = pd.DataFrame(columns=["event_id", "iso3", "date_start", "type", "fatalities"])
    if combined.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("events", "fatalities") else str)
                             for c in MONTHLY_COLUMNS})  # fmt: skip
    start = combined["date_start"].to_numpy(dtype="datetime64[M]")
    month_index = start.astype(np.int64)  # months since 1970-01
    grouped = (
        pd.DataFrame(
            {
                "iso3": combined["iso3"],
                "month": month_index,
                "type": combined["type"],
                "fatalities": combined["fatalities"].to_numpy(dtype=np.int64),
            }
        )
        .groupby(["iso3", "month", "type"], observed=True, sort=True)["fatalities"]
        .agg(["size", "sum"])
        .reset_index()
    )
    months = grouped["month"].to_numpy()
    labels = pd.Series(np.datetime_as_string(np.unique(months).astype("datetime64[M]"), unit="M"))
    month_text = labels.to_numpy()[np.searchsorted(np.unique(months), months)]
    return pd.DataFrame(
        {
            "iso3": grouped["iso3"].astype(str).to_numpy(),
            "month": month_text.astype(str),
            "type": grouped["type"].astype(str).to_numpy(),
            "events": grouped["size"].to_numpy(dtype=np.int64),
            "fatalities": grouped["sum"].to_numpy(dtype=np.int64),
        }
    )


def complete_months(monthly: pd.DataFrame, first: str | None = None, last: str | None = None) -> pd.DataFrame:
    """``monthly`` with a zero row for every month without events, for each country and type it holds.

    A monthly aggregate keeps only the months that have events (see :func:`aggregate_monthly`); for comparing
    vintages the empty months must count as zeros, or a country with a few violent months has a history of
    those months alone (too short to judge, and with a median far above its usual zero), and a month whose
    events all vanished from a new vintage leaves no row to compare. The months run from ``first`` to ``last``
    (``YYYY-MM``; by default the table's own first and last month), the span the vintage covers.
    """
    if monthly.empty:
        return monthly.copy()
    span = pd.period_range(first or monthly["month"].min(), last or monthly["month"].max(), freq="M")
    months = pd.Index(span.strftime("%Y-%m"), name="month")
    pairs = monthly[["iso3", "type"]].drop_duplicates()
    grid = pairs.merge(months.to_frame(index=False), how="cross")
    full = grid.merge(monthly, on=["iso3", "month", "type"], how="left")
    counts = {c: full[c].fillna(0).astype(np.int64) for c in ("events", "fatalities")}
    full = full.assign(**counts)
    return full[list(MONTHLY_COLUMNS)].sort_values(["iso3", "month", "type"], ignore_index=True)
