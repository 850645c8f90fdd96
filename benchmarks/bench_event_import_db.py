"""End-to-end event import into the database (issue 5): ``lemkin.apps.watchlist.indicators.import_events`` on
1,000,000 synthetic UCDP GED rows, with a SQLite database (WAL) made for the run: validation, monthly
aggregation, the write of the monthly counts in one transaction, the refresh of an event-backed indicator and its
warning rule; then the same file again (the drift check against the stored vintage and the replacement of the
counts: the re-aggregation path). Prints times, their ratio to the 60 s target and peak memory (target 2 GB).

Run: ``.venv/bin/python benchmarks/bench_event_import_db.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_event_import import write_ged

TARGET_S, TARGET_GB = 60.0, 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="lemkin-bench-")
    path = Path(folder) / "ged.csv"
    started = time.perf_counter()
    generator = multiprocessing.Process(target=write_ged, args=(path, args.rows))
    generator.start()
    generator.join()
    print(
        f"generated {args.rows:,} GED rows ({path.stat().st_size / 1e6:.0f} MB): {time.perf_counter() - started:.1f} s"
    )

    os.environ["DJANGO_SETTINGS_MODULE"] = "lemkin.site.settings.dev"
    os.environ["LEMKIN_DATA_DIR"] = folder
    os.environ.pop("LEMKIN_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from lemkin.apps.watchlist import indicators
    from lemkin.apps.watchlist.models import Country, Indicator, MonthlyEventCount, Warning

    call_command("migrate", verbosity=0)
    sudan = Country.objects.create(iso3="SDN", name="Sudan", ccode=625)
    indicator = Indicator.objects.create(
        country=sudan,
        name="one-sided deaths",
        event_source="ucdp_ged",
        event_type="one_sided",
        measure="fatalities",
        created_by="bench",
    )
    indicators.add_rule("bench", indicator, "zscore", {"z": 3, "months": 12, "minimum": 10})

    t0 = time.perf_counter()
    first = indicators.import_events(path, "bench")
    first_s = time.perf_counter() - t0
    print(
        f"first import into SQLite:  {first_s:6.2f} s  ({first.event_import.n_monthly:,} monthly counts, "
        f"{len(first.warnings)} warnings)  = {first_s / TARGET_S:.3f} of the {TARGET_S:.0f} s target"
    )
    t0 = time.perf_counter()
    again = indicators.import_events(path, "bench", accept_drift=True)
    again_s = time.perf_counter() - t0
    print(f"re-import (drift check, counts replaced): {again_s:6.2f} s  ({len(again.drift)} drift lines)")
    assert MonthlyEventCount.objects.count() == first.event_import.n_monthly
    print(f"warnings stored: {Warning.objects.count()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"peak memory (max RSS): {peak:.2f} GB = {peak / TARGET_GB:.3f} of the {TARGET_GB:.0f} GB target")


if __name__ == "__main__":
    main()
