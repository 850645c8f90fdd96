"""Hypothesis strategies: random *valid* case profiles, in the file format of shared/cases/README.md."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from lemkin.core.planning.enums import Phase
from lemkin.core.planning.profile import (
    Degree,
    MilitaryAccess,
    NeighboursStance,
    PartnerKind,
    PartnerRelation,
    PeaceProcess,
    Regime,
    SecurityCouncil,
)

_ISO3 = st.sampled_from(["RUS", "CHN", "FRA", "GBR", "USA", "IRN", "IND", "BRA", "ZAF", "TUR"])
_TEXT = st.text(alphabet="abcdefghij RTLM radio", min_size=1, max_size=20).filter(lambda s: s.strip() != "")


def _values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or the marker that the field is left out."""
    return st.one_of(st.just(None), strategy)


@st.composite
def profile_data(draw: st.DrawFn) -> dict[str, Any]:
    country: dict[str, Any] = {
        "regime": draw(_values(Regime)),
        "remote": draw(st.booleans()),
        "economic_integration": draw(_values(Degree)),
        "patrons": draw(st.lists(_ISO3, max_size=2, unique=True)),
        "neighbours_stance": draw(_values(NeighboursStance)),
        "peace_process": draw(_values(PeaceProcess)),
    }
    optional = {
        "aid_dependence": _values(Degree),
        "elite_assets_abroad": st.booleans(),
        "diaspora_networks": st.booleans(),
        "internal_groups": st.booleans(),
        "regional_organisations": st.lists(st.sampled_from(["AU", "ECOWAS", "OSCE", "ASEAN"]), max_size=2),
        "peacekeepers_present": st.booleans(),
        "us_military_access": _values(MilitaryAccess),
    }
    for key, strategy in optional.items():
        value = draw(_optional(strategy))
        if value is not None:
            country[key] = value
    data: dict[str, Any] = {
        "id": "generated-case",
        "title": "Generated case",
        "country": draw(_ISO3),
        "as_of": "2020-01-01",
        "sources": ["generated"],
        "tempo": draw(st.sampled_from(["volcanic", "rolling"])),
        "phase": draw(_values(Phase)),
        "country_profile": country,
        "actors": {
            "decision_makers": draw(st.lists(_TEXT, max_size=2)),
            "perpetrators": draw(st.lists(_TEXT, max_size=2)),
            "victims": {"groups": draw(st.lists(_TEXT, min_size=1, max_size=2))},
            "third_parties": draw(st.lists(_TEXT, max_size=2)),
        },
    }
    window = draw(_optional(st.integers(min_value=0, max_value=400)))
    if window is not None:
        data["window_days"] = window
    partners = draw(
        _optional(
            st.lists(
                st.fixed_dictionaries(
                    {"name": _TEXT, "kind": _values(PartnerKind), "relation": _values(PartnerRelation)}
                ),
                max_size=4,
            )
        )
    )
    if partners is not None:
        data["partners"] = partners
    council = draw(_optional(_values(SecurityCouncil)))
    if council is not None:
        data["constraints"] = {"un_security_council": council}
    return data
