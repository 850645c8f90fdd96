"""Case profiles: one crisis at one moment of decision, read exactly per ``shared/cases/README.md``.

A profile gives what the chapter says the options depend on: the tempo ("volcanic" or "rolling"), the phase of
escalation, the time left, and "the geographical location, political character, and economic profile of the target
country", its patrons, neighbours and partners. Unknown fields and bad values are errors; ``CaseProfileError``
lists every problem, each naming the file and the field path. Optional fields left out stay ``None`` ("not
known"), which the options engine keeps apart from "known to be absent".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from lemkin.core.planning import _validate as v
from lemkin.core.planning.enums import Phase, Tempo


class Regime(StrEnum):
    DEMOCRACY = "democracy"
    HYBRID = "hybrid"
    AUTOCRACY = "autocracy"


class Degree(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class NeighboursStance(StrEnum):
    SUPPORTIVE = "supportive"
    MIXED = "mixed"
    SHIELDING = "shielding"


class PeaceProcess(StrEnum):
    NONE = "none"
    ONGOING = "ongoing"


class MilitaryAccess(StrEnum):
    NONE = "none"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"


class SecurityCouncil(StrEnum):
    OPEN = "open"
    CONTESTED = "contested"  # a patron may veto


class PartnerKind(StrEnum):
    STATE = "state"
    REGIONAL_ORGANISATION = "regional_organisation"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    NGO = "ngo"
    BUSINESS = "business"
    MEDIA = "media"
    DIASPORA = "diaspora"


class PartnerRelation(StrEnum):
    PATRON = "patron"
    NEIGHBOUR = "neighbour"
    DONOR = "donor"
    TRADE_PARTNER = "trade_partner"
    MEDIATOR = "mediator"
    ALLY = "ally"


@dataclass(frozen=True)
class CountryProfile:
    regime: Regime
    remote: bool
    economic_integration: Degree
    patrons: tuple[str, ...]
    neighbours_stance: NeighboursStance
    peace_process: PeaceProcess
    aid_dependence: Degree | None = None
    elite_assets_abroad: bool | None = None
    diaspora_networks: bool | None = None
    internal_groups: bool | None = None
    regional_organisations: tuple[str, ...] | None = None
    peacekeepers_present: bool | None = None
    us_military_access: MilitaryAccess | None = None


@dataclass(frozen=True)
class Victims:
    groups: tuple[str, ...]
    number: int | None = None
    locations: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Actors:
    decision_makers: tuple[str, ...]
    perpetrators: tuple[str, ...]
    victims: Victims
    third_parties: tuple[str, ...]


@dataclass(frozen=True)
class Partner:
    name: str
    kind: PartnerKind
    relation: PartnerRelation


@dataclass(frozen=True)
class Constraints:
    un_security_council: SecurityCouncil | None = None
    us_interests_at_stake: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CaseProfile:
    """A validated case profile. ``partners`` and ``constraints`` are ``None`` when the file leaves them out."""

    id: str
    title: str
    country: str
    as_of: dt.date
    sources: tuple[str, ...]
    tempo: Tempo
    phase: Phase
    country_profile: CountryProfile
    actors: Actors
    window_days: int | None = None
    partners: tuple[Partner, ...] | None = None
    constraints: Constraints | None = None

    def partners_with(self, relation: PartnerRelation) -> tuple[Partner, ...]:
        return tuple(partner for partner in self.partners or () if partner.relation is relation)


class CaseProfileError(ValueError):
    """A case profile that does not validate; ``problems`` lists every problem as ``field.path: message``."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))

    def one_line(self) -> str:
        """All problems on one line, for a command line's error message."""
        return f"{self.source}: " + "; ".join(self.problems)


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO3 = re.compile(r"[A-Z]{3}")
_TOP = {
    "required": ("id", "title", "country", "as_of", "sources", "tempo", "phase", "country_profile", "actors"),
    "optional": ("window_days", "partners", "constraints"),
}
_COUNTRY = {
    "required": ("regime", "remote", "economic_integration", "patrons", "neighbours_stance", "peace_process"),
    "optional": (
        "aid_dependence",
        "elite_assets_abroad",
        "diaspora_networks",
        "internal_groups",
        "regional_organisations",
        "peacekeepers_present",
        "us_military_access",
    ),
}


def _date(value: Any, path: str, problems: v.Problems) -> dt.date | None:
    if isinstance(value, dt.datetime):
        problems.add(path, f"expected a date YYYY-MM-DD without a time, got {value.isoformat()}")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(path, f"expected a date YYYY-MM-DD, got {v.show(value)}")
    return None


def _country_profile(raw: Any, problems: v.Problems) -> CountryProfile | None:
    path = "country_profile"
    data = v.mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems.items)
    v.keys(data, path, problems, _COUNTRY["required"], _COUNTRY["optional"])

    def at(key: str) -> str:
        return v.join(path, key)

    def opt(key: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
        return parse(data[key], at(key), problems, *args, **kwargs) if key in data else None

    regime = opt("regime", v.choice, Regime)
    remote = opt("remote", v.boolean)
    integration = opt("economic_integration", v.choice, Degree)
    patrons = opt("patrons", v.string_list, pattern=_ISO3, hint="an ISO 3166-1 alpha-3 code such as RUS")
    stance = opt("neighbours_stance", v.choice, NeighboursStance)
    peace = opt("peace_process", v.choice, PeaceProcess)
    profile = CountryProfile(
        regime=regime,
        remote=remote,
        economic_integration=integration,
        patrons=patrons,
        neighbours_stance=stance,
        peace_process=peace,
        aid_dependence=opt("aid_dependence", v.choice, Degree),
        elite_assets_abroad=opt("elite_assets_abroad", v.boolean),
        diaspora_networks=opt("diaspora_networks", v.boolean),
        internal_groups=opt("internal_groups", v.boolean),
        regional_organisations=opt("regional_organisations", v.string_list),
        peacekeepers_present=opt("peacekeepers_present", v.boolean),
        us_military_access=opt("us_military_access", v.choice, MilitaryAccess),
    )
    return profile if len(problems.items) == before else None


def _actors(raw: Any, problems: v.Problems) -> Actors | None:
    path = "actors"
    data = v.mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems.items)
    v.keys(data, path, problems, ("decision_makers", "perpetrators", "victims", "third_parties"))
    lists = {
        key: v.string_list(data[key], v.join(path, key), problems)
        for key in ("decision_makers", "perpetrators", "third_parties")
        if key in data
    }
    victims = None
    if "victims" in data:
        vpath = v.join(path, "victims")
        vdata = v.mapping(data["victims"], vpath, problems)
        if vdata is not None:
            v.keys(vdata, vpath, problems, ("groups",), ("number", "locations"))
            groups = v.string_list(vdata["groups"], v.join(vpath, "groups"), problems) if "groups" in vdata else None
            number = (
                v.integer(vdata["number"], v.join(vpath, "number"), problems, minimum=0)
                if ("number" in vdata)
                else None
            )
            locations = (
                v.string_list(vdata["locations"], v.join(vpath, "locations"), problems)
                if ("locations" in vdata)
                else None
            )
            if groups is not None:
                victims = Victims(groups=groups, number=number, locations=locations)
    if len(problems.items) != before or victims is None:
        return None
    return Actors(
        decision_makers=lists["decision_makers"] or (),
        perpetrators=lists["perpetrators"] or (),
        victims=victims,
        third_parties=lists["third_parties"] or (),
    )


def _partners(raw: Any, problems: v.Problems) -> tuple[Partner, ...] | None:
    if not isinstance(raw, list):
        problems.add("partners", f"expected a list, got {v.show(raw)}")
        return None
    before = len(problems.items)
    partners: list[Partner] = []
    for index, item in enumerate(raw):
        path = f"partners[{index}]"
        data = v.mapping(item, path, problems)
        if data is None:
            continue
        v.keys(data, path, problems, ("name", "kind", "relation"))
        name = v.string(data["name"], v.join(path, "name"), problems) if "name" in data else None
        kind = v.choice(data["kind"], v.join(path, "kind"), problems, PartnerKind) if "kind" in data else None
        relation = (
            v.choice(data["relation"], v.join(path, "relation"), problems, PartnerRelation)
            if ("relation" in data)
            else None
        )
        if name is not None and kind is not None and relation is not None:
            partners.append(Partner(name, kind, relation))
    return tuple(partners) if len(problems.items) == before else None


def _constraints(raw: Any, problems: v.Problems) -> Constraints | None:
    data = v.mapping(raw, "constraints", problems)
    if data is None:
        return None
    before = len(problems.items)
    v.keys(data, "constraints", problems, (), ("un_security_council", "us_interests_at_stake"))
    council = (
        v.choice(data["un_security_council"], "constraints.un_security_council", problems, SecurityCouncil)
        if ("un_security_council" in data)
        else None
    )
    interests = (
        v.string_list(data["us_interests_at_stake"], "constraints.us_interests_at_stake", problems)
        if ("us_interests_at_stake" in data)
        else None
    )
    return Constraints(council, interests) if len(problems.items) == before else None


def parse_profile(data: Any, *, source: str = "<case profile>") -> CaseProfile:
    """Validate plain data (as read from the YAML file or stored in the database) into a ``CaseProfile``."""
    problems = v.Problems()
    top = v.mapping(data, "", problems)
    if top is None:
        raise CaseProfileError(source, ["expected a mapping of case-profile fields"])
    v.keys(top, "", problems, _TOP["required"], _TOP["optional"])

    def opt(key: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
        return parse(top[key], key, problems, *args, **kwargs) if key in top else None

    case_id = opt("id", v.string, pattern=_SLUG, hint="a lowercase slug such as kenya-2008")
    title = opt("title", v.string)
    country = opt("country", v.string, pattern=_ISO3, hint="an ISO 3166-1 alpha-3 code such as KEN")
    as_of = opt("as_of", _date)
    sources = opt("sources", v.string_list)
    tempo = opt("tempo", v.choice, Tempo, allowed=(Tempo.VOLCANIC, Tempo.ROLLING))
    phase = opt("phase", v.choice, Phase)
    window = opt("window_days", v.integer, minimum=0)
    country_profile = _country_profile(top["country_profile"], problems) if "country_profile" in top else None
    actors = _actors(top["actors"], problems) if "actors" in top else None
    partners = _partners(top["partners"], problems) if "partners" in top else None
    constraints = _constraints(top["constraints"], problems) if "constraints" in top else None
    if problems:
        raise CaseProfileError(source, problems.items)
    assert country_profile is not None
    assert actors is not None
    return CaseProfile(
        id=case_id,
        title=title,
        country=country,
        as_of=as_of,
        sources=sources,
        tempo=tempo,
        phase=phase,
        country_profile=country_profile,
        actors=actors,
        window_days=window,
        partners=partners,
        constraints=constraints,
    )


def profile_from_yaml(text: str, *, source: str = "<case profile>") -> CaseProfile:
    """Parse YAML text (duplicate keys refused) and validate it."""
    try:
        data = v.load_yaml(text)
    except yaml.YAMLError as error:
        raise CaseProfileError(source, [v.yaml_error_line(error)]) from error
    return parse_profile(data, source=source)


def load_profile(path: Path) -> CaseProfile:
    """Read and validate the case profile in ``path``; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CaseProfileError(str(path), [f"cannot read: {error.strerror or error}"]) from error
    except UnicodeDecodeError as error:
        raise CaseProfileError(str(path), [f"not UTF-8 text ({error.reason})"]) from error
    return profile_from_yaml(text, source=str(path))


def profile_to_dict(profile: CaseProfile) -> dict[str, Any]:
    """The profile as plain data in the file format; optional fields that are ``None`` are left out.

    ``parse_profile(profile_to_dict(p)) == p`` holds, so the database can store the plain data.
    """

    def clean(value: Any) -> Any:
        if isinstance(value, StrEnum):
            return value.value
        if isinstance(value, tuple):
            return [clean(item) for item in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def section(obj: Any, names: Sequence[str]) -> dict[str, Any]:
        return {name: clean(getattr(obj, name)) for name in names if getattr(obj, name) is not None}

    cp = profile.country_profile
    result: dict[str, Any] = section(profile, ("id", "title", "country", "as_of", "sources", "tempo", "phase"))
    if profile.window_days is not None:
        result["window_days"] = profile.window_days
    result["country_profile"] = section(cp, _COUNTRY["required"] + _COUNTRY["optional"])
    result["actors"] = {
        "decision_makers": list(profile.actors.decision_makers),
        "perpetrators": list(profile.actors.perpetrators),
        "victims": section(profile.actors.victims, ("groups", "number", "locations")),
        "third_parties": list(profile.actors.third_parties),
    }
    if profile.partners is not None:
        result["partners"] = [section(partner, ("name", "kind", "relation")) for partner in profile.partners]
    if profile.constraints is not None:
        result["constraints"] = section(profile.constraints, ("un_security_council", "us_interests_at_stake"))
    return result
