"""Benchmark of the planning framework (issue 4): options plus review for one case (target < 50 ms) and options plus
review for 200 generated case profiles (target < 5 s on one core), with each figure's ratio to its target.

Run: ``.venv/bin/python benchmarks/bench_planning.py``. Catalog and playbook loading is timed separately (it is
done once per process and cached). Profiles are generated with a fixed seed so runs are comparable.
"""

from __future__ import annotations

import copy
import random
import statistics
import time
from pathlib import Path
from typing import Any

from lemkin.core.planning.catalog import load_catalog
from lemkin.core.planning.enums import Phase
from lemkin.core.planning.options import generate_options
from lemkin.core.planning.playbooks import apply_playbook, load_library, suggest_playbooks
from lemkin.core.planning.profile import CaseProfile, load_profile, parse_profile, profile_to_dict
from lemkin.core.planning.review import review_package

CASES = Path(__file__).resolve().parents[1].parent / "shared" / "cases"
ONE_CASE_TARGET_S = 0.050
MANY_TARGET_S = 5.0
MANY = 200


def options_and_review(profile: CaseProfile) -> int:
    """The work measured: options for the case, its first suggested playbook applied, and the review."""
    catalog = load_catalog()
    library = load_library()
    result = generate_options(profile, catalog)
    applied = apply_playbook(library.get(suggest_playbooks(profile, library)[0]), profile, catalog)
    review = review_package(profile, applied.package, catalog)
    return len(result.options) + len(review.findings)


def generated_profiles(base: dict[str, Any], count: int, seed: int = 20081) -> list[CaseProfile]:
    rng = random.Random(seed)
    profiles = []
    for index in range(count):
        data = copy.deepcopy(base)
        data["id"] = f"generated-{index}"
        data["tempo"] = rng.choice(["volcanic", "rolling"])
        data["phase"] = rng.choice([phase.value for phase in Phase])
        data["window_days"] = rng.randint(0, 365)
        cp = data["country_profile"]
        cp["economic_integration"] = rng.choice(["low", "medium", "high"])
        cp["aid_dependence"] = rng.choice(["low", "medium", "high"])
        cp["elite_assets_abroad"] = rng.random() < 0.5
        cp["patrons"] = rng.sample(["RUS", "CHN", "FRA", "IRN"], rng.randint(0, 2))
        cp["peacekeepers_present"] = rng.random() < 0.3
        cp["peace_process"] = rng.choice(["none", "ongoing"])
        cp["us_military_access"] = rng.choice(["none", "limited", "substantial"])
        data["constraints"] = {"un_security_council": rng.choice(["open", "contested"])}
        profiles.append(parse_profile(data))
    return profiles


def line(label: str, seconds: float, target: float) -> str:
    return f"{label:<52} {seconds * 1000:10.2f} ms   target {target * 1000:8.0f} ms   ratio {seconds / target:6.3f}"


def main() -> None:
    started = time.perf_counter()
    load_catalog()
    load_library()
    print(f"{'load catalog and playbooks (once per process)':<52} {(time.perf_counter() - started) * 1000:10.2f} ms")

    for case_id in ("kenya-2008", "kosovo-1998", "rwanda-1994"):
        profile = load_profile(CASES / f"{case_id}.yaml")
        runs = []
        for _ in range(30):
            start = time.perf_counter()
            options_and_review(profile)
            runs.append(time.perf_counter() - start)
        print(line(f"options + review, {case_id} (median of 30)", statistics.median(runs), ONE_CASE_TARGET_S))

    base = profile_to_dict(load_profile(CASES / "kenya-2008.yaml"))
    profiles = generated_profiles(base, MANY)
    start = time.perf_counter()
    for profile in profiles:
        generate_options(profile, load_catalog())
    options_only = time.perf_counter() - start
    print(line(f"options, {MANY} generated profiles", options_only, MANY_TARGET_S))
    start = time.perf_counter()
    for profile in profiles:
        options_and_review(profile)
    both = time.perf_counter() - start
    print(line(f"options + playbook + review, {MANY} generated profiles", both, MANY_TARGET_S))


if __name__ == "__main__":
    main()
