"""Tiers on the watchlists and their changes: the only way a country's tier moves.

A change always has a reason and names its evidence (a risk run, a warning, an analyst's judgment); proposals from
risk runs move only when an analyst accepts, amends or rejects them, with a reason. Nothing changes tier silently.

The proposal workflow is a small state machine: ``TRANSITIONS`` holds its edges (open → accepted | amended |
rejected); a refused step raises ``TierError`` saying why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record

from .models import Country, Evidence, Listing, ProposalStatus, RiskRun, Tier, TierChange, TierProposal, Watchlist

NOT_LISTED = "not_listed"

#: The proposal workflow: from each status, the decisions allowed and the status each leads to.
TRANSITIONS: dict[str, dict[str, str]] = {
    ProposalStatus.OPEN: {
        "accept": ProposalStatus.ACCEPTED,
        "amend": ProposalStatus.AMENDED,
        "reject": ProposalStatus.REJECTED,
    },
    ProposalStatus.ACCEPTED: {},
    ProposalStatus.AMENDED: {},
    ProposalStatus.REJECTED: {},
}


class TierError(ValueError):
    """A refused tier change or decision; the message says why."""


def tier(code: str) -> Tier:
    found = Tier.objects.filter(code=code).first()
    if found is None:
        known = ", ".join(Tier.objects.values_list("code", flat=True))
        raise TierError(f"tier {code!r}: no such tier; known: {known}")
    return found


def current_tier(country: Country, watchlist: str) -> Tier:
    listing = Listing.objects.filter(country=country, watchlist=watchlist).select_related("tier").first()
    return listing.tier if listing else tier(NOT_LISTED)


def _actor(person: Any) -> str:
    return str(person.get_username()) if hasattr(person, "get_username") else str(person)


@transaction.atomic
def change_tier(
    person: Any,
    country: Country,
    watchlist: str,
    to: str,
    reason: str,
    evidence: str = Evidence.JUDGMENT,
    *,
    run: RiskRun | None = None,
    proposal: TierProposal | None = None,
) -> TierChange:
    """Move ``country`` to tier ``to`` on ``watchlist``; refused without a reason or when nothing would change."""
    if not reason or not reason.strip():
        raise TierError("a tier change needs a reason: say why, and on what evidence")
    if evidence not in Evidence.values:
        raise TierError(f"evidence {evidence!r}: use one of {', '.join(Evidence.values)}")
    if evidence == Evidence.RISK_RUN and run is None:
        raise TierError("evidence is a risk run: name the run")
    target = tier(to)
    listing = Listing.objects.select_for_update().filter(country=country, watchlist=watchlist).first()
    before = listing.tier if listing else tier(NOT_LISTED)
    if before.pk == target.pk:
        raise TierError(f"{country} is already {target.name} on the {watchlist} watchlist")
    marking = country.marking_fields()
    if listing is None:
        listing = Listing.objects.create(country=country, watchlist=watchlist, tier=target, **marking)
    else:
        listing.tier = target
        listing.save()
    change = TierChange.objects.create(
        listing=listing,
        from_tier=before,
        to_tier=target,
        changed_by=_actor(person),
        reason=reason.strip(),
        evidence=evidence,
        risk_run=run,
        proposal=proposal,
        **marking,
    )
    record(
        Action.TRANSITION,
        change,
        name="TierChanged",
        detail={"from": before.code, "to": target.code, "watchlist": watchlist, "evidence": evidence},
    )
    return change


@transaction.atomic
def decide(person: Any, proposal: TierProposal, decision: str, reason: str, amended_to: str = "") -> TierProposal:
    """Accept, amend (to another tier) or reject a proposal, with a reason. Accepting or amending changes the tier."""
    proposal = TierProposal.objects.select_for_update().get(pk=proposal.pk)
    allowed = TRANSITIONS[proposal.status]
    if decision not in allowed:
        raise TierError(
            f"proposal {proposal.pk} is {proposal.get_status_display().lower()}: "
            + (f"it can only be {', '.join(allowed)}ed" if allowed else "it has been decided already")
        )
    if not reason or not reason.strip():
        raise TierError("a decision on a proposal needs a reason")
    if decision == "amend":
        if not amended_to or amended_to == proposal.proposed_tier.code:
            raise TierError("amending means choosing a tier other than the one proposed")
        change_tier(
            person,
            proposal.country,
            proposal.watchlist,
            amended_to,
            reason,
            Evidence.RISK_RUN,
            run=proposal.run,
            proposal=proposal,
        )
    elif decision == "accept":
        change_tier(
            person,
            proposal.country,
            proposal.watchlist,
            proposal.proposed_tier.code,
            reason,
            Evidence.RISK_RUN,
            run=proposal.run,
            proposal=proposal,
        )
    proposal.status = allowed[decision]
    proposal.decided_by = _actor(person)
    proposal.decided_at = datetime.now(UTC)
    proposal.decision_reason = reason.strip()
    proposal.save()
    record(
        Action.TRANSITION,
        proposal,
        name=f"TierProposal{proposal.status.capitalize()}",
        detail={"decision": decision, "reason": reason.strip(), "amended_to": amended_to},
    )
    return proposal


def policy() -> Any:
    """The thresholds that turn a risk run into proposals: ``settings.LEMKIN_TIER_POLICY`` or the default."""
    from django.conf import settings

    from lemkin.core.warning.tiers import DEFAULT_POLICY, TierPolicy

    configured = getattr(settings, "LEMKIN_TIER_POLICY", None)
    return TierPolicy.from_mapping(configured) if configured else DEFAULT_POLICY


@transaction.atomic
def propose_from_run(run: RiskRun, watchlist: str = Watchlist.ATROCITIES) -> list[TierProposal]:
    """Proposals for every country whose tier the run's figures would change (thresholds on probability, rank
    and change); each carries the criteria met and the run's main factors. Nothing changes until decided."""
    from lemkin.core.warning.tiers import propose_tiers

    forecasts = list(run.forecasts.select_related("country"))
    by_code = {f.country.iso3: f for f in forecasts}
    current = {
        listing.country.iso3: listing.tier.code
        for listing in Listing.objects.filter(watchlist=watchlist, country__iso3__in=by_code).select_related(
            "country", "tier"
        )
    }
    previous = {code: f.previous_risk_2yr for code, f in by_code.items() if f.previous_risk_2yr is not None}
    proposals = propose_tiers(
        {code: f.risk_2yr for code, f in by_code.items()},
        current=current,
        previous=previous,
        policy=policy(),
        factors={code: [(str(n), float(v)) for n, v in f.factors] for code, f in by_code.items()},
    )
    stored = []
    for item in proposals.proposals:
        country = by_code[item.country].country
        facts = [*item.met, f"rank {item.rank}, probability {item.probability:.1%}"]
        facts += [f"factor {name} ({value:+.2f})" for name, value in item.factors]
        stored.append(
            TierProposal.objects.create(
                run=run,
                country=country,
                watchlist=watchlist,
                current_tier=tier(item.current),
                proposed_tier=tier(item.proposed),
                factors=facts,
                classification=max(run.classification, country.classification),
                compartment=run.compartment or country.compartment,
                is_exercise=run.is_exercise or country.is_exercise,
            )
        )
    record(Action.EVENT, run, name="TierProposalsMade", detail={"proposals": len(stored), "watchlist": watchlist})
    return stored


# --- review periods and trends ----------------------------------------------------------------------
#: The committee meets every other month, so a review period is two calendar months (Jan-Feb, Mar-Apr, ...).
PERIOD_MONTHS = 2
#: A change of the two-year risk smaller than this (absolute) does not count as a trend by itself.
RISK_TOLERANCE = 0.02


def review_period(day: Any) -> tuple[datetime, datetime]:
    """The review period containing ``day``: its first instant and the first instant of the next period."""
    first_month = (day.month - 1) // PERIOD_MONTHS * PERIOD_MONTHS + 1
    start = datetime(day.year, first_month, 1, tzinfo=UTC)
    month = first_month + PERIOD_MONTHS
    end = datetime(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)
    return start, end


def tier_at(country: Country, watchlist: str, moment: datetime) -> str:
    """The country's tier code just before ``moment``, from its history."""
    change = (
        TierChange.objects.filter(listing__country=country, listing__watchlist=watchlist, changed_at__lt=moment)
        .select_related("to_tier")
        .order_by("-changed_at", "-pk")
        .first()
    )
    return change.to_tier.code if change else NOT_LISTED


def period_trend(person: Any, country: Country, watchlist: str, start: datetime, end: datetime) -> str:
    """Deteriorated, improved or unchanged over the period: by tier; when the tier held, by the two-year risk of
    the latest run imported before the period against the latest run imported by its end."""
    from lemkin.core.warning.tiers import trend

    before, after = tier_at(country, watchlist, start), tier_at(country, watchlist, end)
    verdict = trend(before, after)
    if verdict != "unchanged":
        return verdict
    from .risk import visible_forecasts

    forecasts = visible_forecasts(person).filter(country=country).order_by("-run__created_at", "-run__pk")
    old = forecasts.filter(run__created_at__lt=start).first()
    new = forecasts.filter(run__created_at__lt=end).first()
    if old is None or new is None or old.pk == new.pk:
        return "unchanged"
    return trend(old.risk_2yr, new.risk_2yr, tolerance=RISK_TOLERANCE)
