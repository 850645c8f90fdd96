"""The country table: every name and code Lemkin meets resolves to one country, and the same one everywhere."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lemkin.core.countries import Country, UnknownCountry, all_countries, by_cow, by_iso3, resolve

EWP_PANEL = "prepared2024predictors-2025-09-03.csv"


def _ewp_pairs(ewp_dir: Path) -> dict[tuple[str, int], int]:
    """Each (ewp_name, ccode) pair of the real EWP panel, with the last year it appears."""
    pairs: dict[tuple[str, int], int] = {}
    with (ewp_dir / EWP_PANEL).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["ewp_name"], int(row["ccode"]))
            pairs[key] = max(pairs.get(key, 0), int(row["year"]))
    return pairs


def test_every_ewp_country_resolves_to_its_cow_code(ewp_dir: Path) -> None:
    """Importing the EWP panel must place every row on a country whose COW code is the row's ``ccode``."""
    pairs = _ewp_pairs(ewp_dir)
    assert len(pairs) == 173  # the README's count: a changed file should be looked at, not silently accepted
    problems = []
    for (name, ccode), last_year in sorted(pairs.items()):
        try:
            country = resolve(name)
        except UnknownCountry as exc:
            problems.append(f"{name!r}: {exc}")
            continue
        if country.cow != ccode:
            problems.append(f"{name!r} resolves to {country} with COW {country.cow}, panel says {ccode}")
        elif by_cow(ccode, year=last_year) != country:
            problems.append(f"by_cow({ccode}, {last_year}) is {by_cow(ccode, year=last_year)}, not {country}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "query",
    ["COD", "cod", "CD", "180", " Democratic Republic of the Congo ", "Congo-Kinshasa", "Zaire", "ZAR",
     "DR Congo (Zaire)", "Democratic Republic of Congo"],
)  # fmt: skip
def test_codes_and_spellings_of_one_country_agree(query: str) -> None:
    """ISO alpha-3, alpha-2, numeric, a former ISO code and the data sets' spellings all name the DRC."""
    assert resolve(query).iso3 == "COD"


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Burma/Myanmar", "MMR"),
        ("Bosnia-Herzegovina", "BIH"),
        ("Russia (Soviet Union)", "RUS"),
        ("Kyrgystan", "KGZ"),
        ("Trinidad & Tobago", "TTO"),
        ("Swaziland", "SWZ"),
        ("Turkey", "TUR"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Kosovo", "XKX"),
        ("Palestine", "PSE"),
        ("The Gambia", "GMB"),
        ("4", "AFG"),
        ("Socialist Republic of Viet-Nam", "VNM"),  # only the name patterns know this one
    ],
)
def test_alternative_spellings(query: str, iso3: str) -> None:
    """Spellings of EWP, UCDP, ACLED, ISO and CLDR, with or without accents and '&', find the country."""
    assert resolve(query).iso3 == iso3


@pytest.mark.parametrize(
    ("query", "iso3", "cow", "successor"),
    [
        ("Yugoslavia", "YUG", 345, "SRB"),
        ("USSR", "SUN", 365, "RUS"),
        ("Czechoslovakia", "CSK", 315, "CZE"),
        ("German Federal Republic", "GFR", 260, "DEU"),
        ("East Germany", "DDR", 265, "DEU"),
        ("Arab Republic of Yemen", "YAR", 678, "YEM"),
        ("People's Republic of Yemen", "YMD", 680, "YEM"),
        ("Republic of Vietnam", "RVN", 817, "VNM"),
    ],
)
def test_historical_states_resolve_with_their_cow_codes(query: str, iso3: str, cow: int, successor: str) -> None:
    """Cold War states in the risk data resolve to a historical row that names its successor."""
    country = resolve(query)
    assert (country.iso3, country.cow, country.successor) == (iso3, cow, successor)
    assert country.historical
    assert by_iso3(country.successor or "").iso3 == successor


@pytest.mark.parametrize(
    ("ccode", "year", "iso3"),
    [(345, None, "SRB"), (345, 1985, "YUG"), (345, 2010, "SRB"), (365, 1980, "SUN"), (365, 2000, "RUS"),
     (365, None, "RUS"), (2, None, "USA"), (315, None, "CSK"), (255, 1975, "DEU")],
)  # fmt: skip
def test_by_cow_picks_the_state_of_the_year(ccode: int, year: int | None, iso3: str) -> None:
    """Where COW uses one code for a historical state and its continuation, the year chooses the row."""
    assert by_cow(ccode, year=year).iso3 == iso3


def test_unknown_name_suggests_the_closest_countries() -> None:
    """A typo gets a useful error rather than a silent wrong match."""
    with pytest.raises(UnknownCountry, match="did you mean") as info:
        resolve("Germny")
    assert "Germany (DEU)" in info.value.suggestions
    assert info.value.query == "Germny"


def test_a_name_matching_two_countries_is_refused() -> None:
    """When only the name patterns match and they disagree, resolve() refuses and lists the candidates."""
    with pytest.raises(UnknownCountry, match="could be any of") as info:
        resolve("Sweden and Norway")
    assert set(info.value.suggestions) == {str(by_iso3("SWE")), str(by_iso3("NOR"))}


@pytest.mark.parametrize("query", ["Narnia", "", "ZZZ", "999"])
def test_nonsense_is_unknown(query: str) -> None:
    """Invented names and unassigned codes raise UnknownCountry."""
    with pytest.raises(UnknownCountry):
        resolve(query)


def test_unknown_codes_raise() -> None:
    """by_cow and by_iso3 raise the same error for codes nobody has."""
    with pytest.raises(UnknownCountry, match="Correlates of War"):
        by_cow(9001)
    with pytest.raises(UnknownCountry, match="alpha-3"):
        by_iso3("ZZZ")


def test_a_number_is_not_mistaken_for_a_name() -> None:
    """An integer is ambiguous (COW or ISO numeric?), so resolve() asks for by_cow() instead of guessing."""
    with pytest.raises(TypeError, match="by_cow"):
        resolve(365)  # type: ignore[arg-type]


def test_every_name_in_the_table_resolves_to_its_own_row() -> None:
    """No name, alias or code of one country is shadowed by another's."""
    problems = [
        f"{name!r} of {c} resolves to {resolve(name)}"
        for c in all_countries()
        for name in (*c.names, c.iso3, *(c.former_codes))
        if resolve(name) != c
    ]
    assert not problems, "\n".join(problems)


def test_table_shape() -> None:
    """Keys are unique, current countries carry full ISO codes, and COW codes point at one current state."""
    countries = all_countries()
    assert len({c.iso3 for c in countries}) == len(countries)
    current = [c for c in countries if not c.historical]
    iso = [c for c in current if c.code_kind == "iso3166-1"]
    assert len(iso) == 249
    assert all(c.iso2 and len(c.iso2) == 2 and c.numeric and len(c.numeric) == 3 for c in iso)
    cows = [c.cow for c in current if c.cow is not None]
    assert len(cows) == len(set(cows))
    assert all(isinstance(c, Country) and c.name and c.official_name for c in countries)
    assert all(c.successor is None or by_iso3(c.successor) for c in countries)
