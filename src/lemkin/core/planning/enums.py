"""The planning framework's vocabulary, named from chapter 4 of *Preventing Genocide* (2008).

Table 1 sorts tools by functional type (diplomatic, economic, legal, military) and by whether they act
cooperatively or coercively; Table 2 sorts targeted measures by target group; the text speaks of "volcanic" and
"rolling" genocide and of rising levels of crisis escalation. These enums are the single spelling of those terms in
code, in the catalog file, in case profiles and in the JSON contract (values are the contract's strings).
"""

from __future__ import annotations

from enum import StrEnum


class TargetGroup(StrEnum):
    """The four target groups of Table 2 (and of the policy options assessment, (a) to (d))."""

    DECISION_MAKERS = "decision_makers"  # those planning, authorising and fomenting: affect their calculus
    PERPETRATORS = "perpetrators"  # those likely to carry it out: reduce their operational effectiveness
    VICTIMS = "victims"  # the potential victims: improve their chances of survival
    THIRD_PARTIES = "third_parties"  # other domestic and foreign actors: mobilise them to play a positive role

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Phase(StrEnum):
    """Escalation phases, in order: "latent or emerging genocidal situations", escalation, mass atrocities."""

    LATENT = "latent"
    EMERGING = "emerging"
    ESCALATING = "escalating"
    MASS_ATROCITIES = "mass_atrocities"

    @property
    def order(self) -> int:
        return list(Phase).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Tempo(StrEnum):
    """The chapter's "volcanic" (rapid) and "rolling" (slowly evolving) genocide; tools may suit both."""

    VOLCANIC = "volcanic"
    ROLLING = "rolling"
    BOTH = "both"  # catalog only: a case profile is either volcanic or rolling


class ToolType(StrEnum):
    """The rows of Table 1."""

    DIPLOMATIC = "diplomatic"
    ECONOMIC = "economic"
    LEGAL = "legal"
    MILITARY = "military"


class Mode(StrEnum):
    """The columns of Table 1: whether a tool affects behaviour cooperatively or coercively."""

    COOPERATIVE = "cooperative"
    COERCIVE = "coercive"


class Lever(StrEnum):
    """Points of leverage a tool needs; each is read from the case profile (see ``options.case_levers``).

    The chapter: "the geographical location, political character, and economic profile of the target country all
    determine which levers of influence ... are available".
    """

    AID_DEPENDENCE = "aid_dependence"
    ELITE_ASSETS_ABROAD = "elite_assets_abroad"
    TRADE_TIES = "trade_ties"
    UN_SECURITY_COUNCIL = "un_security_council"  # a Council route no patron can veto
    REGIONAL_ORGANISATION = "regional_organisation"
    MILITARY_ACCESS = "military_access"
    PEACEKEEPERS_PRESENT = "peacekeepers_present"
    NEGOTIATION_UNDER_WAY = "negotiation_under_way"
    PATRON = "patron"  # a great-power patron exists to be pressed
    DIASPORA_NETWORKS = "diaspora_networks"
    INTERNAL_GROUPS = "internal_groups"

    @property
    def label(self) -> str:
        return "UN Security Council route" if self is Lever.UN_SECURITY_COUNCIL else self.value.replace("_", " ")


class CostBand(StrEnum):
    """Ordinal cost to the United States, an estimate of the catalog's authors, or unknown."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    UNKNOWN = "unknown"


class Tag(StrEnum):
    """What a tool *is* for the guideline review (Recommendations 4-4, 4-5 and the sanctions guidelines)."""

    SANCTION = "sanction"  # a penalty the sanctions guidelines govern
    THREAT = "threat"  # a threat whose credibility needs a prepared follow-through (4-4)
    RHETORIC = "rhetoric"  # condemnation and naming: "aggressive rhetoric matched with meager action" (4-4)
    INCENTIVE = "incentive"  # an inducement; rewarding "bad people" for "good behavior" is reviewed, not barred
    NEGOTIATION = "negotiation"  # a negotiating channel (4-5: one channel, not hostage to a peace process)
    ACCOUNTABILITY = "accountability"  # records evidence so acts do not go "unnoticed or unrecorded" (4-5)
    PROTECTS_VICTIMS = "protects_victims"  # improves the potential victims' chances of survival
    ENGAGES_PATRON = "engages_patron"  # engages a patron with influence on the perpetrators (4-5)
    ENGAGES_NEIGHBOURS = "engages_neighbours"  # engages neighbours and regional actors (4-5)
    COUNTER_INCITEMENT = "counter_incitement"  # acts on broadcasts inciting violence (jamming, counter-broadcast)
    USE_OF_FORCE = "use_of_force"  # the chapter prefers to halt escalation "without having to threaten or use" force


class Guideline(StrEnum):
    """The guidelines a package is reviewed against."""

    REC_4_4 = "4-4"  # credible threats, no rigid escalatory ladder, do not dismiss rewards for good behaviour
    REC_4_5 = "4-5"  # engage those with influence, not hostage to a peace process, one voice
    SANCTIONS = "sanctions"  # "Guidelines for Imposing Sanctions"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def order(self) -> int:
        return list(Severity).index(self)
