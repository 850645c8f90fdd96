"""Prioritisation respects capacity, explains every country in or out, and reports weight sensitivity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lemkin.core.warning.priority import Candidate, PriorityError, prioritise, sensitivity


def a_candidate(country: str, risk: float = 0.05, influence: float = 3, interests: float = 3) -> Candidate:
    """A listed country with analyst scores on the 1–5 scale."""
    return Candidate(country, risk, influence, interests, rationale=f"scores for {country}")


LIST = [
    a_candidate("AAA", risk=0.20, influence=1, interests=1),  # highest risk, little leverage
    a_candidate("BBB", risk=0.05, influence=5, interests=5),  # low risk, much leverage
    a_candidate("CCC", risk=0.02, influence=1, interests=1),  # low on everything
    a_candidate("DDD", risk=0.12, influence=4, interests=3),
    a_candidate("EEE", risk=0.08, influence=2, interests=4),
]


@pytest.mark.parametrize("capacity", [0, 1, 2, 3, 5, 9])
def test_slate_never_exceeds_capacity(capacity):
    """The slate has min(capacity, candidates) countries; everyone else is out."""
    slate = prioritise(LIST, capacity)
    assert len(slate.countries) == min(capacity, len(LIST))
    assert set(slate.countries) | set(slate.left_out) == {c.country for c in LIST}
    assert not set(slate.countries) & set(slate.left_out)


def test_slate_by_weights_worked_example():
    """With risk only, the riskiest two; with leverage only, the two with most U.S. influence and interests."""
    assert prioritise(LIST, 2, weights={"risk": 1}).countries == ("AAA", "DDD")
    assert prioritise(LIST, 2, weights={"influence": 1, "interests": 1}).countries == ("BBB", "DDD")
    equal = prioritise(LIST, 2)
    # min–max risk: AAA 1, DDD 0.556, EEE 0.333, BBB 0.167, CCC 0; scores are the means with the 0–1 scores
    assert equal.get("DDD").score == pytest.approx((0.5556 + 0.75 + 0.5) / 3, abs=1e-3)
    assert equal.get("BBB").score == pytest.approx((0.1667 + 1 + 1) / 3, abs=1e-3)
    assert equal.countries == ("BBB", "DDD")


def test_every_country_is_explained_with_its_margin():
    """In: margin to the best country out; out: margin to the last country in; both in words."""
    slate = prioritise(LIST, 2)
    last_in = min(r.score for r in slate.ranking if r.in_slate)
    best_out = max(r.score for r in slate.ranking if not r.in_slate)
    for r in slate.ranking:
        expected = r.score - best_out if r.in_slate else r.score - last_in
        assert r.margin == pytest.approx(expected)
        assert r.country in r.explanation
        assert f"{r.score:.3f}" in r.explanation
        assert ("in the slate" in r.explanation) == r.in_slate
        assert sum(r.contributions.values()) == pytest.approx(r.score)
    assert [r.rank for r in slate.ranking] == [1, 2, 3, 4, 5]
    assert slate.cutoff == pytest.approx(last_in)
    out = slate.get("CCC")
    assert "below the last country in (capacity 2)" in out.explanation


def test_ties_at_the_cutoff_go_to_higher_risk_and_say_so():
    """Equal scores at the cut-off: the riskier country is in, and both explanations name the tie."""
    tied = [a_candidate("XAA", 0.10, 3, 3), a_candidate("XBB", 0.20, 3, 3), a_candidate("XCC", 0.05, 5, 5)]
    slate = prioritise(tied, 2, weights={"influence": 1, "interests": 1})
    assert slate.countries == ("XCC", "XBB")
    assert "tied at the cut-off" in slate.get("XAA").explanation
    assert "tied at the cut-off" in slate.get("XBB").explanation


def test_countries_with_plans_are_kept_and_count_against_capacity():
    """keep: a country already carrying a plan stays in and takes a place."""
    slate = prioritise(LIST, 2, keep=["CCC"])
    assert "CCC" in slate.countries
    assert len(slate.countries) == 2
    assert "already carries a plan" in slate.get("CCC").explanation
    with pytest.raises(PriorityError, match="capacity"):
        prioritise(LIST, 1, keep=["CCC", "AAA"])


@pytest.mark.parametrize(
    ("candidates", "kwargs", "match"),
    [
        ([a_candidate("AAA", risk=1.5)], {}, "not a probability"),
        ([a_candidate("AAA", influence=6)], {}, "outside the 1-5 scale"),
        ([a_candidate("AAA", influence=2)], {"scale": "0-1"}, "outside the 0-1 scale"),
        ([a_candidate("AAA"), a_candidate("AAA")], {}, "listed twice"),
        ([a_candidate("AAA")], {"weights": {"risk": -1}}, "non-negative"),
        ([a_candidate("AAA")], {"weights": {"luck": 1}}, "unknown criteria"),
        ([a_candidate("AAA")], {"keep": ["XCC"]}, "not among the candidates"),
    ],
)
def test_bad_inputs_are_refused(candidates, kwargs, match):
    """Scores off their scale, duplicates and impossible weights are refused with a reason."""
    with pytest.raises(PriorityError, match=match):
        prioritise(candidates, 1, **kwargs)


def test_rank_scaling_uses_percentiles():
    """risk_scaling='rank' puts risk on percentile ranks (ties share theirs)."""
    slate = prioritise([a_candidate("A", 0.1), a_candidate("B", 0.1), a_candidate("C", 0.3)], 1, risk_scaling="rank")
    assert slate.get("C").criteria["risk"] == 1.0
    assert slate.get("A").criteria["risk"] == slate.get("B").criteria["risk"] == 0.25


def test_sensitivity_is_deterministic_and_bounded():
    """Same seed, same shares; each share is in [0, 1]; shares sum to the capacity per weighting."""
    one = sensitivity(LIST, 2, seed=7, n=500)
    two = sensitivity(LIST, 2, seed=7, n=500)
    assert one.share_in_slate == two.share_in_slate
    assert all(0 <= s <= 1 for s in one.share_in_slate.values())
    assert sum(one.share_in_slate.values()) == pytest.approx(2.0)
    assert one.base_slate == ("BBB", "DDD")
    assert one.share_in_slate["CCC"] == 0.0  # dominated: lowest on every criterion
    assert "CCC" not in one.contested
    assert one.lines()[0].startswith("500 weightings (dirichlet)")


def test_sensitivity_grid_covers_the_simplex():
    """A grid in steps of 0.25 has 15 weightings, including each criterion alone."""
    result = sensitivity(LIST, 1, method="grid", step=0.25)
    assert result.n_weightings == 15
    assert result.weight_ranges == {"risk": (0.0, 1.0), "influence": (0.0, 1.0), "interests": (0.0, 1.0)}
    assert result.share_in_slate["AAA"] > 0  # risk alone puts AAA first
    assert result.share_in_slate["BBB"] > 0  # leverage alone puts BBB first


def test_concentrated_weights_stay_near_the_base_slate():
    """A high concentration around the base weights reproduces the base slate almost always."""
    result = sensitivity(LIST, 2, weights={"risk": 1}, concentration=500, seed=1, n=300)
    assert result.share_in_slate["AAA"] > 0.95
    assert result.share_in_slate["DDD"] > 0.95


def test_kept_countries_are_in_every_weighting():
    """A kept country is in the slate under every weighting."""
    assert sensitivity(LIST, 2, keep=["CCC"], n=200).share_in_slate["CCC"] == 1.0


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=12, unique_by=lambda t: t
    ),
    st.integers(0, 12),
)
def test_slate_is_the_top_of_the_ranking(rows, capacity):
    """Property: the slate is exactly the first `capacity` countries of the ranking, and no one out beats anyone in."""
    candidates = [Candidate(f"C{i:02d}", r, inf, intr) for i, (r, inf, intr) in enumerate(rows)]
    slate = prioritise(candidates, capacity)
    assert slate.countries == tuple(r.country for r in slate.ranking[:capacity])
    ins = [r.score for r in slate.ranking if r.in_slate]
    outs = [r.score for r in slate.ranking if not r.in_slate]
    if ins and outs:
        assert min(ins) >= max(outs)
