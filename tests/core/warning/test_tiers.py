"""Tier ladder, tier proposals from a risk run, and trends between review periods."""

from __future__ import annotations

import pytest

from lemkin.core.warning.tiers import (
    DEFAULT_LADDER,
    DEFAULT_POLICY,
    HIGH_AND_RISING,
    MODERATE_CONCERN,
    NOT_LISTED,
    Tier,
    TierCriterion,
    TierLadder,
    TierPolicy,
    propose_tiers,
    trend,
    trends,
)

POLICY = TierPolicy(
    DEFAULT_LADDER,
    (
        TierCriterion(MODERATE_CONCERN, min_probability=0.05, max_rank=4),
        TierCriterion(HIGH_AND_RISING, min_probability=0.15, min_change=0.02),
    ),
)
RUN = {"AAA": 0.20, "BBB": 0.16, "CCC": 0.06, "DDD": 0.01, "EEE": 0.02, "FFF": 0.03}
PREVIOUS = {"AAA": 0.10, "BBB": 0.155, "CCC": 0.06, "DDD": 0.01, "EEE": 0.02}


def test_default_ladder_names_the_chapters_tiers():
    """Not listed → moderate concern → high and rising, with the chapter's labels."""
    assert [t.key for t in DEFAULT_LADDER.tiers] == [NOT_LISTED, MODERATE_CONCERN, HIGH_AND_RISING]
    assert DEFAULT_LADDER.get(HIGH_AND_RISING).label == "High and rising"
    assert DEFAULT_POLICY.criterion(HIGH_AND_RISING).min_change is not None


@pytest.mark.parametrize(
    ("country", "proposed"),
    [
        ("AAA", HIGH_AND_RISING),  # 20 % and +10 points
        ("BBB", MODERATE_CONCERN),  # high, but rose only half a point
        ("CCC", MODERATE_CONCERN),  # 6 % ≥ 5 %
        ("EEE", NOT_LISTED),  # 2 %, rank 5
        ("FFF", MODERATE_CONCERN),  # rank 4 qualifies even at 3 %; no previous run
        ("DDD", NOT_LISTED),
    ],
)
def test_proposed_tier_table(country, proposed):
    """Each country's tier is the highest whose criterion its figures meet."""
    result = propose_tiers(RUN, previous=PREVIOUS, policy=POLICY)
    assert result.proposed_tiers[country] == proposed


def test_only_changes_are_proposed_with_reasons_and_factors():
    """Unchanged countries give no proposal; each proposal says what was met and missed, and why."""
    current = {"AAA": MODERATE_CONCERN, "BBB": MODERATE_CONCERN, "DDD": MODERATE_CONCERN, "ZZZ": HIGH_AND_RISING}
    factors = {"AAA": [("battle deaths", 0.4), ("coup attempt", -0.9), ("infant mortality", 0.1)]}
    result = propose_tiers(RUN, current=current, previous=PREVIOUS, policy=POLICY, factors=factors, n_factors=2)
    by_country = {p.country: p for p in result.proposals}
    assert set(by_country) == {"AAA", "CCC", "DDD", "FFF"}
    aaa = by_country["AAA"]
    assert (aaa.current, aaa.proposed, aaa.direction) == (MODERATE_CONCERN, HIGH_AND_RISING, "raise")
    assert aaa.change == pytest.approx(0.10)
    assert aaa.factors == (("coup attempt", -0.9), ("battle deaths", 0.4))
    assert "probability 20.0% ≥ 15.0%" in aaa.met
    ddd = by_country["DDD"]
    assert (ddd.direction, ddd.proposed) == ("lower", NOT_LISTED)
    assert any("rank 6 outside the top 4" in m for m in ddd.missed)
    assert "moderate_concern → not_listed" in ddd.reason
    assert result.unassessed == ["ZZZ"]  # listed but absent from the run: flagged, not changed


def test_a_rise_needs_a_previous_run():
    """Without a previous run a 'rising' criterion cannot be met, and the proposal says so."""
    result = propose_tiers({"AAA": 0.5}, policy=POLICY)
    (proposal,) = result.proposals
    assert proposal.proposed == MODERATE_CONCERN
    assert any("no previous run" in m for m in proposal.missed)


def test_relative_change_and_custom_ladder():
    """A four-tier ladder from settings with a relative rise criterion."""
    policy = TierPolicy.from_mapping(
        {
            "tiers": [{"key": "none"}, {"key": "watch"}, {"key": "concern"}, {"key": "critical"}],
            "criteria": {
                "watch": {"max_rank": 10},
                "concern": {"min_probability": 0.1},
                "critical": {"min_probability": 0.1, "min_change": 0.5, "relative_change": True},
            },
        }
    )
    result = propose_tiers({"A": 0.3, "B": 0.12}, previous={"A": 0.15, "B": 0.1}, policy=policy)
    assert result.proposed_tiers == {"A": "critical", "B": "concern"}


HYSTERESIS = TierPolicy(
    DEFAULT_LADDER,
    (
        TierCriterion(MODERATE_CONCERN, min_probability=0.04, hold_probability=0.03),
        TierCriterion(HIGH_AND_RISING, min_probability=0.10, min_change=0.01, hold_probability=0.08),
    ),
)


def test_a_country_hovering_at_a_threshold_is_proposed_once_not_every_run():
    """Risk that wavers around the entry level raises one proposal; it is not lowered while above the hold level."""
    tier, proposals = NOT_LISTED, []
    for p in (0.039, 0.041, 0.038, 0.042, 0.035, 0.041):
        result = propose_tiers({"AAA": p}, current={"AAA": tier}, policy=HYSTERESIS)
        proposals += [(x.current, x.proposed) for x in result.proposals]
        tier = result.proposed_tiers["AAA"]  # the analyst accepts every proposal
    assert proposals == [(NOT_LISTED, MODERATE_CONCERN)]
    lowered = propose_tiers({"AAA": 0.029}, current={"AAA": MODERATE_CONCERN}, policy=HYSTERESIS)
    (proposal,) = lowered.proposals
    assert proposal.proposed == NOT_LISTED
    assert "Moderate concern: probability 2.9% < 3.0% to stay" in proposal.missed


def test_high_and_rising_risk_that_stops_rising_keeps_its_tier_unless_the_policy_says_otherwise():
    """Staying high is enough to stay; a policy may demand the rise to stay as well."""
    run, previous = {"AAA": 0.12}, {"AAA": 0.12}
    current = {"AAA": HIGH_AND_RISING}
    assert propose_tiers(run, current=current, previous=previous, policy=HYSTERESIS).proposals == []
    kept_at_hold = propose_tiers({"AAA": 0.085}, current=current, previous=previous, policy=HYSTERESIS)
    assert kept_at_hold.proposed_tiers["AAA"] == HIGH_AND_RISING
    entering = propose_tiers(run, current={"AAA": MODERATE_CONCERN}, previous=previous, policy=HYSTERESIS)
    assert entering.proposed_tiers["AAA"] == MODERATE_CONCERN  # entering still needs the rise
    strict = TierPolicy.from_mapping(
        {
            "criteria": {
                MODERATE_CONCERN: {"min_probability": 0.04},
                HIGH_AND_RISING: {"min_probability": 0.10, "min_change": 0.01, "hold_needs_rise": True},
            }
        }
    )
    (lowered,) = propose_tiers(run, current=current, previous=previous, policy=strict).proposals
    assert (lowered.direction, lowered.proposed) == ("lower", MODERATE_CONCERN)


def test_the_default_policy_keeps_a_listed_country_a_little_below_its_entry_level():
    """Default: moderate concern from 4 % or the top 30, kept down to 3 % or the top 35."""
    run = {f"C{i:02d}": 0.30 - i * 0.005 for i in range(50)}  # C00 30 % ... C49 5.5 %, then the country
    run["AAA"] = 0.035  # rank 51
    assert propose_tiers(run, policy=DEFAULT_POLICY).proposed_tiers["AAA"] == NOT_LISTED
    kept = propose_tiers(run, current={"AAA": MODERATE_CONCERN}, policy=DEFAULT_POLICY)
    assert kept.proposed_tiers["AAA"] == MODERATE_CONCERN


@pytest.mark.parametrize(
    "bad",
    [
        lambda: TierLadder((Tier("a", "A"),)),
        lambda: TierCriterion("x"),
        lambda: TierCriterion("x", min_probability=2),
        lambda: TierCriterion("x", min_probability=0.05, hold_probability=0.06),
        lambda: TierCriterion("x", max_rank=10, hold_rank=8),
        lambda: TierCriterion("x", max_rank=10, hold_probability=0.01),
        lambda: TierCriterion("x", min_probability=0.05, hold_rank=0),
        lambda: TierPolicy(DEFAULT_LADDER, (TierCriterion(MODERATE_CONCERN, max_rank=3),)),
        lambda: propose_tiers({"A": 1.5}),
        lambda: propose_tiers({"A": 0.5}, current={"A": "bogus"}),
    ],
)
def test_bad_configuration_is_refused(bad):
    """Ladders, criteria and inputs that make no sense are refused."""
    with pytest.raises((ValueError, KeyError)):
        bad()


@pytest.mark.parametrize(
    ("previous", "current", "tolerance", "expected"),
    [
        (NOT_LISTED, HIGH_AND_RISING, 0.0, "deteriorated"),
        (HIGH_AND_RISING, MODERATE_CONCERN, 0.0, "improved"),
        (MODERATE_CONCERN, MODERATE_CONCERN, 0.0, "unchanged"),
        (0.10, 0.12, 0.0, "deteriorated"),
        (0.10, 0.104, 0.005, "unchanged"),
        (0.10, 0.09, 0.005, "improved"),
        (None, 0.1, 0.0, "new"),
    ],
)
def test_trend_table(previous, current, tolerance, expected):
    """Trend from two tiers (by ladder place) or two risk values (beyond a tolerance)."""
    assert trend(previous, current, tolerance=tolerance) == expected


def test_trend_refuses_mixed_inputs_and_maps_countries():
    """A tier cannot be compared with a number; trends() maps every current country."""
    with pytest.raises(TypeError):
        trend(MODERATE_CONCERN, 0.1)
    assert trends({"A": 0.1, "B": 0.2}, {"A": 0.2, "B": 0.1, "C": 0.3}) == {
        "A": "deteriorated",
        "B": "improved",
        "C": "new",
    }
