"""Country-year panels: load, validate, and select complete cases.

The reference layout is the Early Warning Project's prepared-predictors file
(``EarlyWarningProject/2025-Statistical-Risk-Assessment`` commit 548cad77,
``3.Modeling/prepared2024predictors-2025-09-03.csv``; the 39 predictors are ``predictornames.fullest`` in
``3.Modeling/model_3Sep2025.R``). Any other panel loads through a column mapping from the canonical names
below to its own column names.

Validation collects every problem before giving up (a :class:`PanelError` carrying :class:`Problem` rows), so a
user fixes a file in one pass. Row numbers are the line numbers of the CSV file (the header is line 1).

Missing predictor values: EWP fits and forecasts on complete cases only, and so do we. Missing values are
allowed in the file (written ``NA`` or left empty), counted per column in :attr:`Panel.missing`, and
:meth:`Panel.complete_cases` says how many rows it dropped and for which columns.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "EWP_PREDICTORS",
    "ID_COLUMNS",
    "OUTCOMES",
    "Panel",
    "PanelError",
    "Problem",
    "Selection",
    "load_panel",
    "validate_frame",
]

#: The 39 predictors of EWP's 2025 model, in EWP's order.
EWP_PREDICTORS: tuple[str, ...] = (
    "widetargeting", "narrowtargeting", "v2csgender_binary", "v2mecenefm_binary", "partyban.new.0",
    "partyban.new.1", "partyban.new.2", "minorityrule", "judicialreform", "religiousfreedom",
    "pol_killing_approved", "freediscussion", "social_inequality", "even_civilrights", "repress_civilsoc",
    "social_power_dist", "ses_power_dist", "popsize.log2", "gdppcgrowth", "un_imr_sqrt", "efindex",
    "discrimpop", "reg.na", "reg.eap", "reg.sca", "reg.mna", "reg.eur", "ios.iccpr1", "battledeaths.log2",
    "coup.try.5yr", "mk_ongoing_count_log2", "mean_mk_onset_interaction", "mk_onset_prev_year", "newcountry",
    "mk_ever", "year_sq", "year", "countryage.new.log2", "includesnonstate",
)  # fmt: skip
#: Identifiers: EWP's country name, Correlates of War code, year.
ID_COLUMNS: tuple[str, ...] = ("ewp_name", "ccode", "year")
#: Outcomes: onset this year, next year, the year after, and in either of the next two (the modelled one).
OUTCOMES: tuple[str, ...] = ("mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2")
#: Outcomes that are legitimately missing at the end of the panel (not yet observed).
_OUTCOMES_MAY_BE_MISSING = frozenset({"mk_onset_1", "mk_onset_2"})
_NA_TOKENS = frozenset({"", "NA", "NaN", "nan", "N/A"})
_MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where (row = file line, column) and what."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{', '.join(where) or 'file'}: {self.message}{value}"


class PanelError(ValueError):
    """The panel cannot be used; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        first = str(self.problems[0]) if self.problems else "invalid panel"
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}{first}{more}")


@dataclass(frozen=True)
class Selection:
    """Rows chosen for fitting or forecasting, and an account of the rows dropped for missing values."""

    frame: pd.DataFrame
    n_candidates: int
    dropped_by_column: dict[str, int]

    @property
    def n_dropped(self) -> int:
        """Rows left out because at least one required value was missing."""
        return self.n_candidates - len(self.frame)


@dataclass
class Panel:
    """A validated country-year panel in canonical column names, with its provenance."""

    frame: pd.DataFrame
    predictors: tuple[str, ...]
    source: str = "<memory>"
    sha256: str = ""
    vintage: str = ""
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, int]:
        """First and last year in the panel."""
        return int(self.frame["year"].min()), int(self.frame["year"].max())

    def complete_cases(
        self,
        *,
        years: tuple[int | None, int | None] = (None, None),
        outcomes: Sequence[str] = (),
        predictors: Sequence[str] | None = None,
    ) -> Selection:
        """Rows in ``years`` (inclusive) complete on ``predictors`` (default: all) and ``outcomes``.

        Training uses ``outcomes=OUTCOMES`` (EWP's ``complete.cases`` over predictors and all four outcomes);
        forecasting uses no outcomes, since the future is not yet observed.
        """
        frame = self.frame
        lo, hi = years
        mask = np.ones(len(frame), dtype=bool)
        if lo is not None:
            mask &= (frame["year"] >= lo).to_numpy()
        if hi is not None:
            mask &= (frame["year"] <= hi).to_numpy()
        window = frame.loc[mask]
        required = [*(self.predictors if predictors is None else predictors), *outcomes]
        isna = window[required].isna()
        dropped = {str(col): int(n) for col, n in isna.sum().items() if n}
        return Selection(window.loc[~isna.any(axis=1).to_numpy()], len(window), dropped)


def _vintage_from_name(path: Path) -> str:
    match = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return match.group(1) if match else ""


def load_panel(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    predictors: Sequence[str] = EWP_PREDICTORS,
    extra_columns: str = "error",
    vintage: str | None = None,
) -> Panel:
    """Read and validate a country-year panel CSV.

    ``mapping`` maps canonical names (``ewp_name``, ``ccode``, ``year``, the outcomes and the predictors) to
    the file's column names; unmapped names are expected under their canonical name. ``extra_columns`` is
    ``"error"`` (unknown columns are problems) or ``"ignore"``. The vintage is the date in the file name
    (EWP names files ``...-YYYY-MM-DD.csv``) unless given. Raises :class:`PanelError` listing every problem.
    """
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise PanelError([Problem(None, None, None, f"cannot read file: {exc.strerror}")], str(path)) from exc
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PanelError([Problem(None, None, None, f"not a readable CSV file: {exc}")], str(path)) from exc
    frame = validate_frame(raw, mapping=mapping, predictors=predictors, extra_columns=extra_columns,
                           source=str(path))  # fmt: skip
    missing = {str(col): int(n) for col, n in frame[list(predictors)].isna().sum().items() if n}
    return Panel(
        frame=frame,
        predictors=tuple(predictors),
        source=str(path),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        vintage=vintage if vintage is not None else _vintage_from_name(path),
        missing=missing,
    )


def validate_frame(
    raw: pd.DataFrame,
    *,
    mapping: Mapping[str, str] | None = None,
    predictors: Sequence[str] = EWP_PREDICTORS,
    extra_columns: str = "error",
    source: str | None = None,
) -> pd.DataFrame:
    """Check a frame of strings (as read from CSV) and return it typed, in canonical column names.

    Collects every problem: missing or unknown columns, values of the wrong type, duplicate country-years,
    outcomes outside {0, 1}, years out of order within a country. Raises :class:`PanelError` if any.
    """
    if extra_columns not in {"error", "ignore"}:
        raise ValueError("extra_columns must be 'error' or 'ignore'")
    mapping = dict(mapping or {})
    canonical = [*ID_COLUMNS, *OUTCOMES, *(p for p in predictors if p not in ID_COLUMNS)]
    file_name = {name: mapping.get(name, name) for name in canonical}
    problems: list[Problem] = []
    columns = [str(c) for c in raw.columns]
    seen: set[str] = set()
    for col in columns:
        if col in seen:
            problems.append(Problem(1, col, None, "column appears more than once"))
        seen.add(col)
    for name in canonical:
        if file_name[name] not in seen:
            alias = f" (canonical name {name!r})" if file_name[name] != name else ""
            problems.append(Problem(1, file_name[name], None, f"required column is missing{alias}"))
    if extra_columns == "error":
        known = set(file_name.values())
        for col in columns:
            if col not in known and not (col == "" or col.startswith("Unnamed:")):
                problems.append(Problem(1, col, None, "unknown column"))
    if problems:
        raise PanelError(problems, source)

    lines = np.arange(len(raw)) + 2  # header is line 1
    out = pd.DataFrame(index=raw.index)
    for name in canonical:
        text = raw[file_name[name]].astype(str).str.strip()
        is_na = text.isin(_NA_TOKENS).to_numpy()
        if name == "ewp_name":
            for i in np.flatnonzero(is_na):
                problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "country name is empty"))
            out[name] = text
            continue
        values = pd.to_numeric(text.where(~is_na), errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy() & ~is_na)
        for i in bad:
            problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "not a number"))
        numeric = values.to_numpy(dtype=float)
        required = name in ID_COLUMNS or (name in OUTCOMES and name not in _OUTCOMES_MAY_BE_MISSING)
        if required:
            for i in np.flatnonzero(is_na):
                problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "value is missing"))
        if name in ("ccode", "year"):
            frac = np.flatnonzero(np.isfinite(numeric) & (numeric != np.round(numeric)))
            for i in frac:
                problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "not a whole number"))
        if name in OUTCOMES:
            outside = np.flatnonzero(np.isfinite(numeric) & ~np.isin(numeric, (0.0, 1.0)))
            for i in outside:
                problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "outcome must be 0 or 1"))
        infinite = np.flatnonzero(np.isinf(numeric))
        for i in infinite:
            problems.append(Problem(int(lines[i]), file_name[name], text.iloc[i], "value is infinite"))
        out[name] = numeric
    if not problems:
        out["ccode"] = out["ccode"].astype(np.int64)
        out["year"] = out["year"].astype(np.int64)
        problems.extend(_check_order(out, lines, file_name))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise PanelError(problems[:_MAX_PROBLEMS], source)
    out.index = pd.RangeIndex(len(out))
    return out


def _check_order(frame: pd.DataFrame, lines: np.ndarray, file_name: Mapping[str, str]) -> list[Problem]:
    """Duplicate country-years and years that go backwards within a country's rows."""
    problems: list[Problem] = []
    duplicated = frame.duplicated(subset=["ccode", "year"], keep="first").to_numpy()
    for i in np.flatnonzero(duplicated).tolist():
        problems.append(
            Problem(
                int(lines[i]),
                file_name["year"],
                str(frame["year"].iat[i]),
                f"duplicate country-year (ccode {frame['ccode'].iat[i]}, year {frame['year'].iat[i]})",
            )
        )
    previous = frame.groupby("ccode", sort=False)["year"].shift(1).to_numpy()
    years = frame["year"].to_numpy()
    backwards = np.flatnonzero(~np.isnan(previous) & (years < previous))
    for i in backwards.tolist():
        problems.append(
            Problem(
                int(lines[i]),
                file_name["year"],
                str(years[i]),
                f"year out of order: follows {int(previous[i])} for the same country",
            )
        )
    names = frame.groupby("ccode", sort=False)["ewp_name"].nunique()
    for ccode in names[names > 1].index:
        j = int(np.flatnonzero(frame["ccode"].to_numpy() == ccode)[0])
        problems.append(
            Problem(
                int(lines[j]),
                file_name["ewp_name"],
                str(frame["ewp_name"].iat[j]),
                f"ccode {ccode} is used with more than one country name",
            )
        )
    return problems
