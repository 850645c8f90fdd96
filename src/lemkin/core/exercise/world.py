"""The demo exercise world: fictional countries, a synthetic risk panel, demo people and a worked case.

EXERCISE. Everything in this module is fictional and exists so that ``make run`` shows a working system without
any download. The countries, their region, their people, their histories and every number in their panel are
invented; anything the demo loader builds from them must carry the EXERCISE marking.

No real country is ever given a made-up figure: the fictional countries have made-up names, three-letter codes
in ISO 3166's user-assigned ``X`` range (``XVA``, ``XOS``...; no ISO country code starts with X) and state codes
from 9001 up, a range the Correlates of War list never uses (its codes end at 990). The test suite checks that no
fictional name, code or state code resolves in the real country table (:mod:`lemkin.core.countries`).

Contents:

- :data:`COUNTRIES`: the countries of the fictional Velmar Basin, six with a distinct story (volcanic, rolling,
  stable, after a peace agreement, election crisis, shielded by a patron), the regional power that is the
  patron, and five background countries that give the panel enough history to fit a model on.
- :func:`synthetic_panel`: a country-year panel in exactly the columns of the Early Warning Project's prepared
  predictors file, from a documented random process with a fixed seed.
- :func:`demo_people`: demo accounts across agencies, roles, clearances and the worked case's compartment.
- :func:`worked_case`: the case profile of the most serious country, Varenia, in the case-profile format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
import yaml

EXERCISE = True
"""Marker: everything this package produces is exercise material."""

REGION = "Velmar Basin"
"""The fictional region all exercise countries belong to."""

COMPARTMENT = "KESTREL"
"""The need-to-know compartment of the worked case."""

DEFAULT_SEED = 20260101
"""The seed of the synthetic panel the demo world loads."""

PANEL_COLUMNS: tuple[str, ...] = (
    "ewp_name",
    "year",
    "widetargeting",
    "narrowtargeting",
    "v2csgender_binary",
    "v2mecenefm_binary",
    "partyban.new.0",
    "partyban.new.1",
    "partyban.new.2",
    "minorityrule",
    "judicialreform",
    "religiousfreedom",
    "pol_killing_approved",
    "freediscussion",
    "social_inequality",
    "even_civilrights",
    "repress_civilsoc",
    "social_power_dist",
    "ses_power_dist",
    "popsize.log2",
    "gdppcgrowth",
    "un_imr_sqrt",
    "efindex",
    "discrimpop",
    "reg.na",
    "reg.eap",
    "reg.sca",
    "reg.mna",
    "reg.eur",
    "ios.iccpr1",
    "battledeaths.log2",
    "coup.try.5yr",
    "mk_ongoing_count_log2",
    "mean_mk_onset_interaction",
    "mk_onset_prev_year",
    "newcountry",
    "mk_ever",
    "year_sq",
    "countryage.new.log2",
    "includesnonstate",
    "mk_onset_1or2",
    "mk_onset",
    "ccode",
    "mk_onset_1",
    "mk_onset_2",
)
"""The columns of EWP's ``prepared2024predictors-2025-09-03.csv``, in its order (see its README)."""

_FLOAT_COLUMNS = frozenset(
    {
        "freediscussion",
        "ses_power_dist",
        "popsize.log2",
        "gdppcgrowth",
        "un_imr_sqrt",
        "efindex",
        "discrimpop",
        "battledeaths.log2",
        "mk_ongoing_count_log2",
        "year_sq",
        "countryage.new.log2",
        "mk_onset_1",
        "mk_onset_2",
    }
)


@dataclass(frozen=True)
class ExerciseCountry:
    """One fictional country of the exercise world, with the traits the panel generator uses.

    ``situation`` is the story the panel tells about it: ``volcanic``, ``rolling``, ``stable``,
    ``post_agreement``, ``election_crisis``, ``patron_shielded``, ``regional_power`` or ``background``.
    ``base_risk`` is the long-run mean of its latent risk; ``prior_episodes`` counts mass-killing episodes
    before the panel starts.
    """

    code: str
    ccode: int
    name: str
    short_name: str
    situation: str
    regime: str
    population_m: float
    independence: int
    base_risk: float
    profile: str
    efindex: float
    discrimpop: float
    minority_rule: bool = False
    iccpr_protocol: bool = False
    prior_episodes: int = 0
    infant_mortality: float = 30.0
    patron: str | None = None
    region: str = REGION
    exercise: bool = field(default=True, init=False)


COUNTRIES: tuple[ExerciseCountry, ...] = (
    ExerciseCountry(
        code="XVA",
        ccode=9001,
        name="Republic of Varenia",
        short_name="Varenia",
        situation="volcanic",
        regime="hybrid",
        population_m=14.2,
        independence=1961,
        base_risk=0.2,
        efindex=0.64,
        discrimpop=0.18,
        prior_episodes=1,
        infant_mortality=41.0,
        profile=(
            "Coastal republic of 14 million. A power-sharing pact between the Lowland majority and the Sendari "
            "minority of the eastern hills held for two decades; the assassination of President Adeyo Marr in "
            "late 2024 broke it within weeks. Militias tied to the security services now hunt Sendari "
            "officials and villages. Fast-moving, days to weeks before violence becomes massive."
        ),
    ),
    ExerciseCountry(
        code="XOS",
        ccode=9002,
        name="Ostrel",
        short_name="Ostrel",
        situation="rolling",
        regime="autocracy",
        population_m=31.5,
        independence=1948,
        base_risk=0.9,
        efindex=0.71,
        discrimpop=0.27,
        minority_rule=True,
        prior_episodes=2,
        infant_mortality=52.0,
        profile=(
            "Military-led state of 31 million. For thirty years the junta has pressed the Merun highlanders "
            "off their land: forced resettlement, closed districts, periodic massacres. No single trigger, a "
            "slow and steady worsening; rolling crisis measured in years."
        ),
    ),
    ExerciseCountry(
        code="XTA",
        ccode=9003,
        name="Federation of Tarvos",
        short_name="Tarvos",
        situation="stable",
        regime="democracy",
        population_m=22.8,
        independence=1921,
        base_risk=-2.2,
        efindex=0.35,
        discrimpop=0.01,
        iccpr_protocol=True,
        infant_mortality=6.0,
        profile=(
            "Federal democracy of 23 million and the basin's largest donor. Independent courts, a free press "
            "and regular alternation in power; hosts the Velmar Basin Community and often mediates."
        ),
    ),
    ExerciseCountry(
        code="XDR",
        ccode=9004,
        name="Dravia",
        short_name="Dravia",
        situation="post_agreement",
        regime="hybrid",
        population_m=6.1,
        independence=1992,
        base_risk=0.0,
        efindex=0.58,
        discrimpop=0.12,
        prior_episodes=0,
        infant_mortality=33.0,
        profile=(
            "Young state of 6 million, independent in 1992 and at war with itself until the Lessing Accord of "
            "2019. Regional peacekeepers monitor the ceasefire line; demobilisation is behind schedule and "
            "spoilers on both sides reject the power-sharing formula."
        ),
    ),
    ExerciseCountry(
        code="XQU",
        ccode=9005,
        name="Republic of Quelmar",
        short_name="Quelmar",
        situation="election_crisis",
        regime="hybrid",
        population_m=18.9,
        independence=1960,
        base_risk=-0.3,
        efindex=0.69,
        discrimpop=0.05,
        iccpr_protocol=True,
        prior_episodes=0,
        infant_mortality=37.0,
        profile=(
            "Republic of 19 million whose five-yearly elections split along regional lines. Each vote brings "
            "riots; the December 2024 presidential result is disputed, the opposition has called its "
            "supporters to the streets and youth wings on both sides are arming."
        ),
    ),
    ExerciseCountry(
        code="XBZ",
        ccode=9006,
        name="Kingdom of Belzara",
        short_name="Belzara",
        situation="patron_shielded",
        regime="autocracy",
        population_m=9.4,
        independence=1955,
        base_risk=0.7,
        efindex=0.52,
        discrimpop=0.35,
        minority_rule=True,
        prior_episodes=1,
        infant_mortality=29.0,
        patron="XAR",
        profile=(
            "Monarchy of 9 million ruled by a minority court. Detains and disappears leaders of the Tashir "
            "majority's movement. Ardovia, its patron, supplies arms and blocks censure in every forum, so "
            "outside pressure has little grip."
        ),
    ),
    ExerciseCountry(
        code="XAR",
        ccode=9007,
        name="Ardovian Commonwealth",
        short_name="Ardovia",
        situation="regional_power",
        regime="autocracy",
        population_m=87.0,
        independence=1870,
        base_risk=-0.9,
        efindex=0.22,
        discrimpop=0.03,
        infant_mortality=14.0,
        profile=(
            "The basin's great power, 87 million, one-party rule with a large arms industry. Patron of "
            "Belzara; sits on every regional body and shields its clients."
        ),
    ),
    ExerciseCountry(
        code="XPE",
        ccode=9008,
        name="Pellmark",
        short_name="Pellmark",
        situation="background",
        regime="democracy",
        population_m=4.3,
        independence=1931,
        base_risk=-1.2,
        efindex=0.18,
        discrimpop=0.0,
        iccpr_protocol=True,
        infant_mortality=9.0,
        profile="Small trading democracy on the basin's northern shore. Background country of the exercise.",
    ),
    ExerciseCountry(
        code="XNE",
        ccode=9009,
        name="Nemoria",
        short_name="Nemoria",
        situation="background",
        regime="hybrid",
        population_m=27.6,
        independence=1962,
        base_risk=0.4,
        efindex=0.77,
        discrimpop=0.09,
        prior_episodes=1,
        infant_mortality=58.0,
        profile="Populous, poor and divided among a dozen language groups. Background country of the exercise.",
    ),
    ExerciseCountry(
        code="XSV",
        ccode=9010,
        name="Sulvanian Republic",
        short_name="Sulvania",
        situation="background",
        regime="autocracy",
        population_m=12.5,
        independence=1958,
        base_risk=0.8,
        efindex=0.61,
        discrimpop=0.21,
        prior_episodes=1,
        infant_mortality=47.0,
        profile="Oil state with a long insurgency in its south. Background country of the exercise.",
    ),
    ExerciseCountry(
        code="XCV",
        ccode=9011,
        name="Corvath",
        short_name="Corvath",
        situation="background",
        regime="hybrid",
        population_m=7.8,
        independence=1964,
        base_risk=-0.2,
        efindex=0.45,
        discrimpop=0.04,
        infant_mortality=26.0,
        profile="Landlocked highland state, coups every decade or so. Background country of the exercise.",
    ),
    ExerciseCountry(
        code="XIR",
        ccode=9012,
        name="Irrand",
        short_name="Irrand",
        situation="background",
        regime="autocracy",
        population_m=3.2,
        independence=1974,
        base_risk=1.1,
        efindex=0.83,
        discrimpop=0.31,
        minority_rule=True,
        prior_episodes=2,
        infant_mortality=63.0,
        profile="Small, closed, and chronically violent island state. Background country of the exercise.",
    ),
)
"""The exercise countries, most serious first. All fictional, all in the :data:`REGION`."""

_ELECTION_YEARS = frozenset(range(1994, 2025, 5))


def _shock(country: ExerciseCountry, year: int) -> float:
    """The scripted part of a country's latent risk in a year: the story its situation tells."""
    match country.situation:
        case "volcanic":  # calm for decades, then a sharp break at the end
            return {2022: 0.4, 2023: 0.9, 2024: 2.4}.get(year, 0.0)
        case "rolling":  # a slow, steady worsening
            return 0.025 * (year - 1990)
        case "post_agreement":  # war from independence to the 2019 accord, then a fragile peace
            return 1.4 if year < 2019 else -0.4
        case "election_crisis":  # spikes in election years, worst in the disputed 2024 vote
            return (1.9 if year == 2024 else 1.1) if year in _ELECTION_YEARS else 0.0
        case _:
            return 0.0


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


_AUTOCRACY = {"democracy": -1.0, "hybrid": 0.0, "autocracy": 1.0}


def synthetic_panel(seed: int = DEFAULT_SEED, start: int = 1990, end: int = 2024) -> pd.DataFrame:
    """EXERCISE. A synthetic country-year panel of the fictional countries, in the EWP panel's columns.

    The frame has exactly the columns of EWP's ``prepared2024predictors-2025-09-03.csv`` (same names, same
    order, same types: integer 0/1 columns for the binary predictors and ``mk_onset``/``mk_onset_1or2``,
    floats for the rest and for ``mk_onset_1``/``mk_onset_2``), one row per country and year from ``start``
    (or the country's independence, if later) to ``end``, rows ordered by country then year. Same seed, same
    frame, on any machine (NumPy's PCG64 generator, draws in a fixed order).

    The random process, per country ``i`` and year ``t``:

    1. **Latent risk** ``z[i,t] = base_risk[i] + shock[i,t] + u[i,t]``, where ``u`` is an AR(1) drift,
       ``u[t] = 0.8 u[t-1] + 0.35 e[t]`` with ``e`` standard normal (started from its stationary law), and
       ``shock`` is the country's scripted story (:func:`_shock`): Varenia's sudden break in 2022-2024,
       Ostrel's slow worsening, Dravia's war until the 2019 accord, Quelmar's election years.
    2. **Onsets** of mass-killing episodes: ``mk_onset[i,t] ~ Bernoulli(logistic(-4.0 + 1.3 z[i,t]))``, none
       while three episodes are already under way. Each episode lasts ``1 + Geometric(0.3)`` years.
    3. **Predictors** are noisy functions of ``z`` and of the country's traits (regime, minority rule,
       population, infant mortality, ethnic fractionalisation), so a model can learn the onset risk back from
       them: e.g. ``pol_killing_approved ~ Bernoulli(logistic(-3.0 + 2.0 z))``, ``freediscussion`` =
       ``logistic(1.4 - 1.2 z - 1.2 autocracy + noise)``, battle deaths drawn when an armed conflict is drawn
       (``log2(deaths + 1)``, at least ``log2(26)`` as in EWP), coup attempts with ``coup.try.5yr`` their
       five-year window. The fictional region is coded as EWP's baseline region (every ``reg.*`` dummy 0).
    4. **Derived columns** follow EWP's definitions: ``mk_onset_prev_year`` is last year's onset;
       ``mk_ongoing_count_log2 = log2(1 + episodes under way)``; ``mean_mk_onset_interaction`` counts episodes
       begun so far (including those before the panel), capped at 6; ``mk_ever`` says whether there has been
       one; ``countryage.new.log2 = log2(t - independence + 1)``; ``newcountry`` marks the first three years;
       ``year_sq = t**2``; ``includesnonstate = 1`` from 1989.
    5. **Outcomes**: ``mk_onset_1`` and ``mk_onset_2`` are the onsets of ``t+1`` and ``t+2`` (drawn for the two
       years after ``end`` as well, then withheld), ``mk_onset_1or2`` their maximum. As in EWP's file,
       ``mk_onset_2`` is missing for ``end - 1`` and ``end``, ``mk_onset_1`` for ``end``, and ``mk_onset_1or2``
       is coded 0 (not missing) for those two years: do not train on them.
    """
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    rng = np.random.Generator(np.random.PCG64(seed))
    rows: list[dict[str, Any]] = []
    for country in COUNTRIES:
        rows.extend(_country_rows(country, rng, start, end))
    frame = pd.DataFrame.from_records(rows, columns=list(PANEL_COLUMNS))
    for column in PANEL_COLUMNS:
        if column == "ewp_name":
            continue
        frame[column] = frame[column].astype("float64" if column in _FLOAT_COLUMNS else "int64")
    return frame


def _country_rows(country: ExerciseCountry, rng: np.random.Generator, start: int, end: int) -> list[dict[str, Any]]:
    """The rows of one country; draws come from ``rng`` in a fixed order (see :func:`synthetic_panel`)."""
    first = max(start, country.independence)
    years = list(range(first, end + 3))  # two extra years to draw the outcomes of the last two rows
    autoc = _AUTOCRACY[country.regime]
    u = rng.normal(0.0, 0.35 / math.sqrt(1 - 0.8**2))
    episodes: list[int] = []  # remaining years of each episode under way
    begun = country.prior_episodes
    coups: list[int] = []
    drawn: list[dict[str, Any]] = []
    for t in years:
        u = 0.8 * u + 0.35 * rng.normal()
        z = country.base_risk + _shock(country, t) + u
        episodes = [e - 1 for e in episodes if e > 1]
        onset = int(len(episodes) < 3 and rng.random() < _logistic(-4.0 + 1.3 * z))
        if onset:
            episodes.append(1 + int(rng.geometric(0.3)))
            begun += 1
        coups.append(int(rng.random() < _logistic(-3.4 + 0.7 * z + 0.4 * autoc)))
        drawn.append(_predictors(country, rng, t, z, autoc))
        drawn[-1].update(
            {
                "mk_onset": onset,
                "mk_ongoing_count_log2": math.log2(1 + min(len(episodes), 3)),
                "mean_mk_onset_interaction": min(begun, 6),
                "mk_ever": int(begun > 0),
                "coup.try.5yr": int(any(coups[-5:])),
            }
        )
    out: list[dict[str, Any]] = []
    for k, t in enumerate(years):
        if t > end:
            break
        row = drawn[k]
        row["mk_onset_prev_year"] = drawn[k - 1]["mk_onset"] if k > 0 else 0
        one = drawn[k + 1]["mk_onset"]
        two = drawn[k + 2]["mk_onset"]
        row["mk_onset_1"] = float(one) if t + 1 <= end else math.nan
        row["mk_onset_2"] = float(two) if t + 2 <= end else math.nan
        row["mk_onset_1or2"] = max(one, two) if t + 2 <= end else 0
        age = t - country.independence
        row.update(
            {
                "ewp_name": country.short_name,
                "ccode": country.ccode,
                "year": t,
                "year_sq": float(t * t),
                "countryage.new.log2": math.log2(age + 1),
                "newcountry": int(age <= 2),
                "includesnonstate": int(t >= 1989),
            }
        )
        out.append(row)
    return out


def _predictors(country: ExerciseCountry, rng: np.random.Generator, t: int, z: float, autoc: float) -> dict[str, Any]:
    """The 30-odd predictors of one country-year as noisy functions of the latent risk ``z``."""

    def coin(x: float) -> int:
        return int(rng.random() < _logistic(x))

    party = int(np.clip(1 - autoc + (rng.random() < 0.1) * rng.choice([-1, 1]), 0, 2))
    conflict = rng.random() < _logistic(-2.4 + 1.8 * z)
    deaths = 25.0 + math.exp(rng.normal(6.0, 1.6)) if conflict else 0.0
    imr = country.infant_mortality * math.exp(-0.025 * (t - 2024)) * math.exp(rng.normal(0.0, 0.03))
    population = country.population_m * 1e6 * (1.021 ** (t - 2024))
    return {
        "widetargeting": coin(-2.6 + 2.0 * z),
        "narrowtargeting": coin(-3.6 + 1.6 * z),
        "v2csgender_binary": coin(-1.8 + 0.6 * z + 0.6 * autoc),
        "v2mecenefm_binary": coin(0.6 - 0.7 * z - 0.9 * autoc),
        "partyban.new.0": int(party == 0),
        "partyban.new.1": int(party == 1),
        "partyban.new.2": int(party == 2),
        "minorityrule": int(country.minority_rule),
        "judicialreform": int(np.clip(round(1 - 0.5 * autoc + rng.normal(0.0, 0.5)), 0, 2)),
        "religiousfreedom": int(np.clip(round(3.6 - 1.0 * max(z, 0.0) - 0.8 * autoc + rng.normal(0, 0.4)), 0, 4)),
        "pol_killing_approved": coin(-3.0 + 2.0 * z),
        "freediscussion": round(
            float(np.clip(_logistic(1.4 - 1.2 * z - 1.2 * autoc + rng.normal(0.0, 0.3)), 0.006, 0.992)), 3
        ),
        "social_inequality": coin(-2.6 + 0.8 * z + (1.2 if country.minority_rule else 0.0)),
        "even_civilrights": coin(0.6 - 1.5 * z - 0.6 * autoc),
        "repress_civilsoc": coin(-3.4 + 1.8 * z + 0.5 * autoc),
        "social_power_dist": coin(0.8 - 0.7 * z - 0.5 * autoc),
        "ses_power_dist": round(float(np.clip(1.0 - 1.0 * z - 0.8 * autoc + rng.normal(0, 0.3), -2.889, 3.014)), 3),
        "popsize.log2": math.log2(population),
        "gdppcgrowth": float(np.clip(rng.normal(2.5 - 1.3 * max(z, 0.0), 3.0), -30.0, 30.0)),
        "un_imr_sqrt": float(np.clip(math.sqrt(imr), 1.15, 15.9)),
        "efindex": country.efindex,
        "discrimpop": country.discrimpop,
        "reg.na": 0,
        "reg.eap": 0,
        "reg.sca": 0,
        "reg.mna": 0,
        "reg.eur": 0,
        "ios.iccpr1": int(country.iccpr_protocol),
        "battledeaths.log2": math.log2(deaths + 1.0) if deaths else 0.0,
    }


# --- people ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    """EXERCISE. One demo account: who they are, where they sit, what they may see. No password here."""

    username: str
    full_name: str
    title: str
    agency: str  # NSC | STATE | DOD | IC | DOJ | TREASURY | USAID
    role: str  # analyst | planner | committee_member | deputy | principal | congressional_liaison | ...
    clearance: str  # U | C | S | TS
    compartments: tuple[str, ...] = ()
    exercise: bool = field(default=True, init=False)


def demo_people() -> list[DemoPerson]:
    """EXERCISE. The demo accounts, one per role, across the agencies; the loader gives each a random password.

    Read access is spread on purpose so a demo shows access control: the analyst, planner, deputy and principal
    are read into the worked case's compartment (:data:`COMPARTMENT`); the DoD and Treasury committee members,
    the congressional liaison and the auditor are not; the administrator manages accounts at UNCLASSIFIED.
    """
    return [
        DemoPerson("analyst", "Rowan Ellery", "Senior atrocity-risk analyst", "IC", "analyst", "TS", (COMPARTMENT,)),
        DemoPerson("planner", "Imogen Sato", "Crisis planning officer", "STATE", "planner", "S", (COMPARTMENT,)),
        DemoPerson("usaid", "Tomas Greer", "Prevention programme officer", "USAID", "planner", "C"),
        DemoPerson("committee", "Dana Kowalczyk", "Committee representative", "DOD", "committee_member", "S"),
        DemoPerson("treasury", "Priya Oduya", "Sanctions policy adviser", "TREASURY", "committee_member", "S"),
        DemoPerson("deputy", "Marcus Lindgren", "Deputy National Security Adviser", "NSC", "deputy", "TS",
                   (COMPARTMENT,)),
        DemoPerson("principal", "Helen Achterberg", "Principal (Cabinet level)", "NSC", "principal", "TS",
                   (COMPARTMENT,)),
        DemoPerson("liaison", "Samuel Okafor", "Congressional liaison", "STATE", "congressional_liaison", "S"),
        DemoPerson("admin", "Jo Brandt", "System administrator", "NSC", "administrator", "U"),
        DemoPerson("auditor", "Claire Moreau", "Inspector, audit and oversight", "DOJ", "auditor", "S"),
    ]  # fmt: skip


# --- the worked case -------------------------------------------------------------------------------------


@cache
def _case_text() -> str:
    return files("lemkin.core.exercise").joinpath("case.yaml").read_text(encoding="utf-8")


def worked_case() -> dict[str, Any]:
    """EXERCISE. The worked case of the most serious country (Varenia), as a case-profile dict.

    The dict follows the case-profile YAML format of ``shared/cases/README.md`` (read from ``case.yaml``
    beside this module, so the file and the function cannot disagree); ``country`` is the fictional code
    ``XVA``, and ``as_of`` a :class:`datetime.date` as YAML gives it. Each call returns a fresh copy.
    """
    data = yaml.safe_load(_case_text())
    if not isinstance(data, dict):
        raise TypeError("case.yaml must hold one mapping")
    return data
