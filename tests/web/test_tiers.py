"""Tiers move only through ``lemkin.apps.watchlist.tiers``: with a reason, named evidence, and full history."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.watchlist import tiers
from lemkin.apps.watchlist.models import (
    Country,
    Listing,
    ProposalStatus,
    RiskRun,
    TierChange,
    TierProposal,
    Watchlist,
)

AWL = Watchlist.ATROCITIES


@pytest.fixture
def varenia(db: Any) -> Country:
    return Country.objects.create(iso3="XVA", name="Republic of Varenia", is_exercise=True)


@pytest.fixture
def run(db: Any) -> RiskRun:
    return RiskRun.objects.create(
        created_by="test",
        model_name="best",
        model_resolved="elasticnet",
        input_name="p.csv",
        input_sha256="0" * 64,
        data_vintage="2025",
        base_year=2024,
        train_first=1990,
        train_last=2022,
        n_train=10,
        is_exercise=True,
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_tier_change_without_a_reason_is_refused_and_nothing_changes(varenia: Country, reason: str) -> None:
    with pytest.raises(tiers.TierError, match="needs a reason"):
        tiers.change_tier("ann", varenia, AWL, "high_and_rising", reason)
    assert not Listing.objects.exists()
    assert not TierChange.objects.exists()


def test_the_database_itself_refuses_a_change_without_a_reason(varenia: Country) -> None:
    change = tiers.change_tier("ann", varenia, AWL, "moderate_concern", "new militia recruitment reported")
    with pytest.raises(IntegrityError), transaction.atomic():
        TierChange.objects.filter(pk=change.pk).update(reason="")


def test_changes_keep_a_full_history_with_who_why_and_evidence(varenia: Country, run: RiskRun) -> None:
    tiers.change_tier("ann", varenia, AWL, "moderate_concern", "elections scheduled amid hate speech")
    tiers.change_tier("bob", varenia, AWL, "high_and_rising", "risk run places it first", "risk_run", run=run)
    history = list(TierChange.objects.filter(listing__country=varenia).order_by("pk"))
    assert [(c.from_tier.code, c.to_tier.code, c.changed_by, c.evidence) for c in history] == [
        ("not_listed", "moderate_concern", "ann", "judgment"),
        ("moderate_concern", "high_and_rising", "bob", "risk_run"),
    ]
    assert tiers.current_tier(varenia, AWL).code == "high_and_rising"
    assert tiers.current_tier(varenia, Watchlist.INSTABILITY).code == "not_listed"
    assert AuditEvent.objects.filter(name="TierChanged").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to": "catastrophic"}, "no such tier"),
        ({"to": "not_listed"}, "already Not listed"),
        ({"evidence": "rumour"}, "evidence 'rumour'"),
        ({"evidence": "risk_run"}, "name the run"),
    ],
)
def test_refused_changes_say_why(varenia: Country, kwargs: dict[str, str], message: str) -> None:
    arguments = {"to": "moderate_concern", "reason": "because", "evidence": "judgment", **kwargs}
    with pytest.raises(tiers.TierError, match=message):
        tiers.change_tier("ann", varenia, AWL, arguments["to"], arguments["reason"], arguments["evidence"])


def a_proposal(varenia: Country, run: RiskRun) -> TierProposal:
    return TierProposal.objects.create(
        run=run,
        country=varenia,
        watchlist=AWL,
        current_tier=tiers.tier("not_listed"),
        proposed_tier=tiers.tier("high_and_rising"),
        factors=["rank 1 of 12"],
        is_exercise=True,
    )


@pytest.mark.parametrize(
    ("decision", "amended_to", "status", "tier_after"),
    [
        ("accept", "", ProposalStatus.ACCEPTED, "high_and_rising"),
        ("amend", "moderate_concern", ProposalStatus.AMENDED, "moderate_concern"),
        ("reject", "", ProposalStatus.REJECTED, "not_listed"),
    ],
)
def test_every_decision_on_an_open_proposal(
    varenia: Country, run: RiskRun, decision: str, amended_to: str, status: str, tier_after: str
) -> None:
    proposal = tiers.decide("ann", a_proposal(varenia, run), decision, "checked against field reports", amended_to)
    assert proposal.status == status
    assert (proposal.decided_by, proposal.decision_reason) == ("ann", "checked against field reports")
    assert tiers.current_tier(varenia, AWL).code == tier_after


@pytest.mark.parametrize("first", ["accept", "amend", "reject"])
@pytest.mark.parametrize("second", ["accept", "amend", "reject"])
def test_a_decided_proposal_cannot_be_decided_again(varenia: Country, run: RiskRun, first: str, second: str) -> None:
    proposal = tiers.decide("ann", a_proposal(varenia, run), first, "reason", "moderate_concern")
    with pytest.raises(tiers.TierError, match="decided already"):
        tiers.decide("bob", proposal, second, "another reason", "moderate_concern")


@pytest.mark.parametrize(
    ("decision", "reason", "amended_to", "message"),
    [
        ("accept", "", "", "needs a reason"),
        ("amend", "reason", "", "other than the one proposed"),
        ("amend", "reason", "high_and_rising", "other than the one proposed"),
        ("escalate", "reason", "", "can only be"),
    ],
)
def test_failing_guards_leave_the_proposal_open(
    varenia: Country, run: RiskRun, decision: str, reason: str, amended_to: str, message: str
) -> None:
    proposal = a_proposal(varenia, run)
    with pytest.raises(tiers.TierError, match=message):
        tiers.decide("ann", proposal, decision, reason, amended_to)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert not TierChange.objects.exists()


def test_an_analyst_decides_a_proposal_on_the_page_and_a_planner_may_not(
    varenia: Country, run: RiskRun, a_person: Any, client_for: Any
) -> None:
    from django.urls import reverse

    proposal = a_proposal(varenia, run)
    url = reverse("watchlist:proposal-decide", kwargs={"proposal_id": proposal.pk})
    planner = client_for(a_person(roles=["planner"]))
    assert planner.post(url, {"decision": "accept", "reason": "r"}).status_code == 403
    analyst = client_for(a_person(roles=["analyst"], username="ann"))
    analyst.post(url, {"decision": "accept", "reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    analyst.post(url, {"decision": "accept", "reason": "matches the embassy's reporting"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    page = analyst.get(reverse("watchlist:watchlists")).content.decode()
    assert "Republic of Varenia" in page
    assert "High and rising" in page


def test_the_tier_page_refuses_a_change_without_a_reason(varenia: Country, a_person: Any, client_for: Any) -> None:
    from django.urls import reverse

    analyst = client_for(a_person(roles=["analyst"]))
    url = reverse("watchlist:country-tier", kwargs={"iso3": "XVA"})
    body = analyst.post(url, {"watchlist": AWL, "tier": "moderate_concern", "reason": " "}).content.decode()
    assert "needs a reason" in body
    assert not Listing.objects.exists()
    analyst.post(url, {"watchlist": AWL, "tier": "moderate_concern", "reason": "hate radio started broadcasting"})
    assert "hate radio started broadcasting" in analyst.get(url).content.decode()


def test_each_review_period_shows_a_trend_per_country(varenia: Country, a_person: Any, client_for: Any) -> None:
    """Deteriorated when the tier rose in the period; the previous period shows what held then."""
    import datetime as dt

    from django.urls import reverse

    from lemkin.apps.watchlist.models import TierChange

    ostrel = Country.objects.create(iso3="XOS", name="Ostrel", is_exercise=True)
    tiers.change_tier("ann", varenia, AWL, "moderate_concern", "first concerns")
    tiers.change_tier("ann", ostrel, AWL, "high_and_rising", "massacre reported")
    start, end = tiers.review_period(dt.date(2026, 11, 25))
    assert (start.date(), end.date()) == (dt.date(2026, 11, 1), dt.date(2027, 1, 1))
    earlier = start - dt.timedelta(days=20)
    TierChange.objects.filter(listing__country=varenia).update(changed_at=earlier)
    tiers.change_tier("ann", ostrel, AWL, "moderate_concern", "violence contained")
    TierChange.objects.filter(listing__country=ostrel, to_tier__code="high_and_rising").update(changed_at=earlier)
    reader = a_person(roles=["analyst"])
    assert tiers.period_trend(reader, varenia, AWL, start, end) == "unchanged"
    assert tiers.period_trend(reader, ostrel, AWL, start, end) == "improved"
    page = client_for(reader).get(reverse("watchlist:watchlists"), {"period": "2026-11"})
    body = page.content.decode()
    assert body.count('data-testid="trend">unchanged<') == 1
    assert body.count('data-testid="trend">improved<') == 1
