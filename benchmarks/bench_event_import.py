"""Benchmark of event-data import (issue 5): 1,000,000 UCDP GED rows read, validated and aggregated to monthly
counts in under 60 s with peak memory under 2 GB, plus re-aggregation and a smaller ACLED file.

Run: ``.venv/bin/python benchmarks/bench_event_import.py [--rows N] [--acled-rows N]``. The rows are synthetic
(fixed seed), written in the published GED column order and in the ACLED export layout, into a temporary
directory that is removed afterwards; no real UCDP or ACLED record is used. Generation time is not measured.
The files are generated in a child process, so the peak memory reported (the maximum resident set size from
``resource.getrusage``) is that of the import itself. The drift check of the new aggregate against the previous
vintage (the same aggregate without its last year) is timed too, since every import runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lemkin.core.warning.drift import compare_vintages
from lemkin.core.warning.events import (
    ACLED_COLUMNS,
    UCDP_GED_COLUMNS,
    aggregate_monthly,
    read_acled,
    read_ucdp_ged,
)

TARGET_S = 60.0
TARGET_MAX_RSS_GB = 2.0
SEED = 20090101

#: (UCDP country name, Gleditsch–Ward code, ISO numeric) for the synthetic events.
COUNTRIES = [
    ("Sudan", 625, 729), ("Somalia", 520, 706), ("Nigeria", 475, 566), ("Mali", 432, 466),
    ("Afghanistan", 700, 4), ("Syria", 652, 760), ("Iraq", 645, 368), ("Yemen (North Yemen)", 678, 887),
    ("Myanmar (Burma)", 775, 104), ("DR Congo (Zaire)", 490, 180), ("Ethiopia", 530, 231), ("Colombia", 100, 170),
    ("Mexico", 70, 484), ("India", 750, 356), ("Pakistan", 770, 586), ("Philippines", 840, 608),
    ("Ukraine", 369, 804), ("Cameroon", 471, 120), ("Burkina Faso", 439, 854), ("Niger", 436, 562),
    ("South Sudan", 626, 728), ("Central African Republic", 482, 140), ("Mozambique", 541, 508),
    ("Libya", 620, 434), ("Israel", 666, 376), ("Nepal", 790, 524), ("Uganda", 500, 800), ("Kenya", 501, 404),
    ("Burundi", 516, 108), ("Algeria", 615, 12), ("Egypt", 651, 818), ("Chad", 483, 148), ("Haiti", 41, 332),
    ("Guatemala", 90, 320), ("Sri Lanka", 780, 144), ("Bangladesh", 771, 50),
]  # fmt: skip


def _dates(rng: np.random.Generator, n: int, first: str, last: str) -> np.ndarray:
    lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
    return lo + rng.integers(0, int((hi - lo).astype(int)), size=n).astype("timedelta64[D]")


def write_ged(path: Path, n: int, seed: int = SEED) -> None:
    """``n`` synthetic events in the GED layout (1989–2024; 'date_start' with GED's time suffix)."""
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(COUNTRIES), size=n)
    names = np.array([c[0] for c in COUNTRIES], dtype=object)[which]
    gw = np.array([c[1] for c in COUNTRIES])[which]
    start = _dates(rng, n, "1989-01-01", "2024-12-31")
    end = start + rng.integers(0, 3, size=n).astype("timedelta64[D]")
    best = rng.poisson(4, size=n)
    start_text = np.char.add(np.datetime_as_string(start, unit="D").astype(str), " 00:00:00.000")
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "relid": "SYN",
            "year": start.astype("datetime64[Y]").astype(int) + 1970,
            "active_year": 1,
            "code_status": "Clear",
            "type_of_violence": rng.integers(1, 4, size=n),
            "conflict_dset_id": 1,
            "conflict_new_id": 1,
            "conflict_name": "Synthetic conflict",
            "dyad_dset_id": 1,
            "dyad_new_id": 1,
            "dyad_name": "Actor A - Actor B",
            "side_a_dset_id": 1,
            "side_a_new_id": 1,
            "side_a": "Actor A",
            "side_b_dset_id": 2,
            "side_b_new_id": 2,
            "side_b": "Actor B",
            "number_of_sources": 1,
            "source_article": "Synthetic source article text, for benchmark only",
            "source_office": "",
            "source_date": "",
            "source_headline": "Synthetic headline",
            "source_original": "Synthetic",
            "where_prec": 1,
            "where_coordinates": "Town",
            "where_description": "Town",
            "adm_1": "Province",
            "adm_2": "District",
            "latitude": rng.uniform(-30, 40, size=n).round(4),
            "longitude": rng.uniform(-90, 120, size=n).round(4),
            "geom_wkt": "POINT (0 0)",
            "priogrid_gid": rng.integers(1, 259200, size=n),
            "country": names,
            "country_id": gw,
            "region": "Synthetic",
            "event_clarity": 1,
            "date_prec": 1,
            "date_start": start_text,
            "date_end": np.datetime_as_string(end, unit="D"),
            "deaths_a": 0,
            "deaths_b": 0,
            "deaths_civilians": best,
            "deaths_unknown": 0,
            "best": best,
            "high": best + 2,
            "low": best,
            "gwnoa": gw,
            "gwnob": "",
        },
        columns=list(UCDP_GED_COLUMNS),
    )
    frame.to_csv(path, index=False)


def write_acled(path: Path, n: int, seed: int = SEED + 1) -> None:
    """``n`` synthetic events in the ACLED export layout (dates in ACLED's '05 March 2024' form)."""
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(COUNTRIES), size=n)
    date = _dates(rng, n, "2018-01-01", "2024-12-31")
    types = np.array(["Battles", "Violence against civilians", "Explosions/Remote violence", "Riots", "Protests"])
    frame = pd.DataFrame({c: "" for c in ACLED_COLUMNS}, index=range(n))
    frame["event_id_cnty"] = np.char.add("SYN", np.arange(n).astype(str))
    frame["event_date"] = pd.to_datetime(date).strftime("%d %B %Y")
    frame["year"] = date.astype("datetime64[Y]").astype(int) + 1970
    frame["event_type"] = types[rng.integers(0, len(types), size=n)]
    frame["iso"] = np.array([c[2] for c in COUNTRIES])[which]
    frame["country"] = np.array([c[0] for c in COUNTRIES], dtype=object)[which]
    frame["fatalities"] = rng.poisson(1, size=n)
    frame["notes"] = "Synthetic event for benchmarking."
    frame.to_csv(path, index=False)


def peak_rss_gb() -> float:
    """Maximum resident set size so far, in GB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024**3 if sys.platform == "darwin" else 1024**2)


def _generate(folder: str, rows: int, acled_rows: int) -> None:
    write_ged(Path(folder) / "ged.csv", rows)
    write_acled(Path(folder) / "acled.csv", acled_rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--acled-rows", type=int, default=200_000)
    args = parser.parse_args(argv)
    today = dt.date(2025, 6, 30)
    with tempfile.TemporaryDirectory(prefix="lemkin-bench-") as tmp:
        ged_path, acled_path = Path(tmp) / "ged.csv", Path(tmp) / "acled.csv"
        t0 = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=_generate, args=(tmp, args.rows, args.acled_rows))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"generating the files failed (exit code {child.exitcode})")
        generated = time.perf_counter() - t0
        size_mb = ged_path.stat().st_size / 1e6

        t0 = time.perf_counter()
        ged = read_ucdp_ged(ged_path, today=today)
        import_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = aggregate_monthly(ged.events)
        reagg_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        acled = read_acled(acled_path, today=today)
        acled_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        combined = aggregate_monthly([ged.events, acled.events])
        combined_s = time.perf_counter() - t0

    previous = ged.monthly[ged.monthly["month"] < "2024-01"]
    t0 = time.perf_counter()
    drift = compare_vintages(previous, ged.monthly, entity=("iso3", "type"))
    drift_s = time.perf_counter() - t0

    assert again.equals(ged.monthly), "re-aggregation differs from the import's aggregate"
    assert int(ged.monthly["events"].sum()) == args.rows
    total = import_s + reagg_s
    print(f"generated {args.rows:,} GED rows ({size_mb:.0f} MB), {args.acled_rows:,} ACLED rows: {generated:.1f} s")
    print(f"GED read+validate+aggregate: {import_s:6.2f} s  ({ged.monthly.shape[0]:,} monthly rows)")
    print(f"GED re-aggregation:          {reagg_s:6.2f} s")
    print(f"GED import + re-aggregation: {total:6.2f} s  = {total / TARGET_S:.3f} of the {TARGET_S:.0f} s target")
    print(f"ACLED read+validate+aggregate ({args.acled_rows:,} rows): {acled_s:6.2f} s")
    print(f"GED+ACLED combined re-aggregation: {combined_s:6.2f} s ({combined.shape[0]:,} monthly rows)")
    print(f"drift check against the previous vintage: {drift_s:6.2f} s ({len(drift.items)} items)")
    rss = peak_rss_gb()
    print(f"peak memory (max RSS):       {rss:6.2f} GB = {rss / TARGET_MAX_RSS_GB:.3f} of the 2 GB target")
    return 0 if total <= TARGET_S and rss <= TARGET_MAX_RSS_GB else 1


if __name__ == "__main__":
    raise SystemExit(main())
