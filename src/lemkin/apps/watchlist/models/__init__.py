"""The watchlist's records, one module per part of the chapter's warning machinery."""

from .countries import Country
from .judgment import Judgment, Outcome, PriorityScore
from .risk import RiskForecast, RiskRun
from .tiers import Evidence, Listing, ProposalStatus, Tier, TierChange, TierProposal, Watchlist
from .warnings import (
    EmergencyMeetingProposal,
    EventImport,
    Indicator,
    MonthlyEventCount,
    Observation,
    RuleKind,
    SurveillanceRequest,
    SurveillanceStatus,
    Warning,
    WarningRule,
    WarningStatus,
    WarningStatusChange,
)

__all__ = [
    "Country",
    "EmergencyMeetingProposal",
    "EventImport",
    "Evidence",
    "Indicator",
    "Judgment",
    "Listing",
    "MonthlyEventCount",
    "Observation",
    "Outcome",
    "PriorityScore",
    "ProposalStatus",
    "RiskForecast",
    "RiskRun",
    "RuleKind",
    "SurveillanceRequest",
    "SurveillanceStatus",
    "Tier",
    "TierChange",
    "TierProposal",
    "Warning",
    "WarningRule",
    "WarningStatus",
    "WarningStatusChange",
    "Watchlist",
]
