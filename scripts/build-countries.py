#!/usr/bin/env python3
"""Build ``src/lemkin/core/countries.csv``, Lemkin's one country table, from published code lists.

Run once (and again only when a source changes)::

    .venv/bin/pip install pycountry==26.2.16 countrycode==0.6.0
    .venv/bin/python scripts/build-countries.py

Neither package is a runtime dependency: ``lemkin.core.countries`` reads only the generated CSV.

Sources
-------
- ISO 3166-1 (current countries: alpha-3, alpha-2, numeric, names) and ISO 3166-3 (withdrawn codes) from
  ``pycountry`` 26.2.16, which ships Debian's iso-codes database (https://salsa.debian.org/iso-codes-team/
  iso-codes, LGPL-2.1-or-later).
- Correlates of War state codes (``ccode``), abbreviations and names: Correlates of War Project, *State System
  Membership List, v2016* (https://correlatesofwar.org/data-sets/state-system-membership/), as carried by the
  ``countrycode`` 0.6.0 code list (Arel-Bundock, Enevoldsen and Yetman, "countrycode: An R package to convert
  country names and country codes", Journal of Open Source Software 3(28), 2018; GPL-3.0-or-later), whose
  columns ``cown``/``cowc``/``cow.name`` follow that list. The same code list gives the alternative English names
  (CLDR, UN, Polity, V-Dem spellings) and the English name regular expressions used as a last matching step.
- The membership years of the historical states below, and the one COW state the code list lacks (German
  Federal Republic, 260), are typed from the COW v2016 list (``states2016.csv``) by hand.
- Alternative spellings used by the data sets Lemkin imports: the Early Warning Project's ``ewp_name`` values
  (2025 Statistical Risk Assessment panel), UCDP GED ``country`` names and ACLED ``country`` names.

Decisions
---------
- One row per country. A COW code belongs to one row, except where COW treats a historical state and today's
  state as one series: 345 (Yugoslavia, continued by Serbia) and 365 (Russia, including the Soviet Union). There
  the historical row carries its years and ``lemkin.core.countries.by_cow(code, year=...)`` picks the row.
- Historical states have no current ISO code. Their ``iso3`` is the ISO 3166-3 withdrawn code where one exists
  (``CSK``, ``DDR``, ``YMD``, ``YUG``, ``SUN``), otherwise the COW abbreviation (``YAR``, ``RVN``, ``GFR``...),
  checked here not to collide with any ISO 3166-1 or 3166-3 code; ``code_kind`` says which.
- Kosovo has no ISO 3166-1 code; it gets the user-assigned ``XK``/``XKX`` used by the European Commission and
  the IMF (``code_kind`` = ``user-assigned``).
"""

from __future__ import annotations

import csv
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src" / "lemkin" / "core" / "countries.csv"
COLUMNS = [
    "iso3",
    "iso2",
    "numeric",
    "name",
    "official_name",
    "cow",
    "cow_abbr",
    "code_kind",
    "first_year",
    "last_year",
    "successor",
    "former_codes",
    "aliases",
    "regex",
]

# Short display names where the ISO/CLDR name is awkward ("Congo, The Democratic Republic of the").
DISPLAY_NAMES = {
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "MMR": "Myanmar",
    "PSE": "Palestine",
    "CIV": "Côte d'Ivoire",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "FSM": "Micronesia",
    "VAT": "Vatican City",
    "MKD": "North Macedonia",
    "CZE": "Czechia",
    "TUR": "Türkiye",
    "RUS": "Russia",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "FLK": "Falkland Islands",
}


# Historical COW states (no current ISO 3166-1 code): code, name, COW code, COW abbreviation, first and last
# year of membership (COW v2016), successor (ISO alpha-3 of the state that continued or absorbed it), the ISO
# 3166-3 code where one exists (then it is the row's code), extra aliases, and a matching expression.
@dataclass(frozen=True)
class Historical:
    code: str
    name: str
    cow: int
    cow_abbr: str
    first_year: int
    last_year: int
    successor: str
    kind: str  # "iso3166-3" or "cow"
    aliases: tuple[str, ...] = ()
    regex: str = ""


HISTORICAL = [
    Historical("GFR", "German Federal Republic", 260, "GFR", 1955, 1990, "DEU", "cow",
               ("West Germany", "Federal Republic of Germany (1949-1990)", "Germany West"),
               r"west.?germany|german.?federal.?rep|germany.?west"),
    Historical("DDR", "German Democratic Republic", 265, "GDR", 1954, 1990, "DEU", "iso3166-3",
               ("East Germany", "GDR", "Germany East"), ""),
    Historical("CSK", "Czechoslovakia", 315, "CZE", 1918, 1992, "CZE", "iso3166-3", (), ""),
    Historical("YUG", "Yugoslavia", 345, "YUG", 1878, 2006, "SRB", "iso3166-3",
               ("Socialist Federal Republic of Yugoslavia", "Federal Republic of Yugoslavia",
                "Serbia and Montenegro", "SFRY", "FRY"),
               r"yugoslavia|serbia.and.montenegro"),
    Historical("SUN", "Soviet Union", 365, "RUS", 1922, 1991, "RUS", "iso3166-3",
               ("USSR", "Union of Soviet Socialist Republics"),
               r"soviet.?union|u\.?s\.?s\.?r|socialist.?republics"),
    Historical("ZAN", "Zanzibar", 511, "ZAN", 1963, 1964, "TZA", "cow", (), ""),
    Historical("YAR", "Yemen Arab Republic", 678, "YAR", 1926, 1990, "YEM", "cow",
               ("North Yemen", "Arab Republic of Yemen"), ""),
    Historical("YMD", "Yemen People's Republic", 680, "YPR", 1967, 1990, "YEM", "iso3166-3",
               ("South Yemen", "People's Republic of Yemen", "People's Democratic Republic of Yemen"), ""),
    Historical("RVN", "Republic of Vietnam", 817, "RVN", 1954, 1975, "VNM", "cow", ("South Vietnam",), ""),
    Historical("KRE", "Korea (1887-1905)", 730, "KOR", 1887, 1905, "", "cow",
               ("Korean Empire", "Joseon"), r"korean.?empire|joseon"),
    Historical("AUH", "Austria-Hungary", 300, "AUH", 1816, 1918, "", "cow", (), ""),
    Historical("HAN", "Hanover", 240, "HAN", 1837, 1866, "DEU", "cow", (), ""),
    Historical("BAV", "Bavaria", 245, "BAV", 1816, 1871, "DEU", "cow", (), ""),
    Historical("BAD", "Baden", 267, "BAD", 1816, 1871, "DEU", "cow", (), ""),
    Historical("SAX", "Saxony", 269, "SAX", 1816, 1867, "DEU", "cow", (), ""),
    Historical("WRT", "Wuerttemburg", 271, "WRT", 1816, 1871, "DEU", "cow", ("Württemberg",), ""),
    Historical("HSE", "Hesse Electoral", 273, "HSE", 1816, 1866, "DEU", "cow", (), ""),
    Historical("HSG", "Hesse Grand Ducal", 275, "HSG", 1816, 1867, "DEU", "cow", (), ""),
    Historical("MEC", "Mecklenburg Schwerin", 280, "MEC", 1843, 1867, "DEU", "cow", (), ""),
    Historical("PAP", "Papal States", 327, "PAP", 1816, 1860, "ITA", "cow", (), r"papal.?st"),
    Historical("SIC", "Two Sicilies", 329, "SIC", 1816, 1861, "ITA", "cow", (), ""),
    Historical("MOD", "Modena", 332, "MOD", 1842, 1860, "ITA", "cow", (), ""),
    Historical("PMA", "Parma", 335, "PMA", 1851, 1860, "ITA", "cow", (), ""),
    Historical("TUS", "Tuscany", 337, "TUS", 1816, 1860, "ITA", "cow", (), ""),
]  # fmt: skip

# COW codes the countrycode list gives differently from the COW v2016 series Lemkin follows (EWP does too).
COW_OVERRIDES: dict[str, int | None] = {
    "SRB": 345,  # COW's 345 "Yugoslavia" series continues as Serbia after 2006; EWP codes Serbia 345.
    "VAT": None,  # countrycode maps the Holy See to COW 327, the Papal States (1816-1860): a different state.
}
# Regular expressions replaced because a historical row above now owns part of the countrycode pattern.
REGEX_OVERRIDES = {
    "RUS": r"\brussia",
    "VAT": r"holy.?see|vatican",
    "KOR": r"^(?!.*d.*p.*r)(?!.*democrat)(?!.*dem.*rep)(?!.*people)(?!.*north)(?!.*empire)(?!.*joseon)"
    r".*\bkorea(?!.*d.*p.*r)(?!.*dem.*rep)",
}

# ISO 3166-3 withdrawn codes kept as former codes of one current country (the country renamed, same territory).
FORMER_ISO_CODES = {
    "BUR": "MMR",  # Burma
    "DHY": "BEN",  # Dahomey
    "HVO": "BFA",  # Upper Volta
    "ZAR": "COD",  # Zaire
    "TMP": "TLS",  # East Timor
    "RHO": "ZWE",  # Southern Rhodesia
    "VDR": "VNM",  # Democratic Republic of Viet-Nam
    "BYS": "BLR",  # Byelorussian SSR
    "NHB": "VUT",  # New Hebrides
    "AFI": "DJI",  # French Afars and Issas
    "SCG": "YUG",  # Serbia and Montenegro (2003-2006), the last form of COW's Yugoslavia series
}

# Spellings used by the data sets Lemkin imports, keyed by our code. EWP: every ewp_name of the 2025 panel that
# is not already an ISO/CLDR/UN/COW name. UCDP GED and ACLED: their country names where they differ.
EXTRA_ALIASES = {
    # Early Warning Project (ewp_name)
    "MMR": ["Burma/Myanmar", "Myanmar (Burma)", "Burma"],
    "COD": ["Democratic Republic of Congo", "DR Congo (Zaire)", "DR Congo", "DRC", "Congo-Kinshasa", "Zaire"],
    "COG": ["Republic of Congo", "Congo-Brazzaville", "Congo, Republic of"],
    "VNM": ["Democratic Republic of Vietnam", "Vietnam (North Vietnam)", "North Vietnam"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "KGZ": ["Kyrgystan", "Kyrgyz Republic"],
    "MKD": ["Macedonia", "Macedonia, FYR", "FYR Macedonia", "Former Yugoslav Republic of Macedonia"],
    "GMB": ["The Gambia", "Gambia, The"],
    "CPV": ["Cape Verde"],
    "SWZ": ["Eswatini", "Swaziland", "eSwatini", "Kingdom of eSwatini (Swaziland)"],
    "TLS": ["Timor-Leste", "East Timor"],
    "CZE": ["Czech Republic"],
    "USA": ["United States of America", "United States", "USA", "US"],
    "GBR": ["United Kingdom", "UK", "Great Britain", "Britain"],
    "PRK": ["North Korea", "Korea, North", "DPRK"],
    "KOR": ["South Korea", "Korea, South", "Republic of Korea", "ROK"],
    # UCDP GED
    "BIH": ["Bosnia-Herzegovina", "Bosnia"],
    "KHM": ["Cambodia (Kampuchea)", "Kampuchea"],
    "MDG": ["Madagascar (Malagasy)", "Malagasy Republic"],
    "RUS": ["Russia (Soviet Union)", "Russian Federation"],
    "SRB": ["Serbia (Yugoslavia)"],
    "YEM": ["Yemen (North Yemen)", "Republic of Yemen"],
    "ZWE": ["Zimbabwe (Rhodesia)", "Rhodesia"],
    "SUR": ["Surinam"],
    "BFA": ["Burkina Faso (Upper Volta)", "Upper Volta"],
    "BEN": ["Dahomey"],
    "TZA": ["Tanzania"],
    # ACLED
    "PSE": ["Palestine", "Occupied Palestinian Territory", "State of Palestine"],
    "TUR": ["Turkey", "Turkiye"],
    "VAT": ["Vatican City", "Holy See"],
    "STP": ["Sao Tome and Principe"],
    "GGY": ["Bailiwick of Guernsey"],
    "JEY": ["Bailiwick of Jersey"],
    "BES": ["Caribbean Netherlands"],
    "BLM": ["Saint-Barthelemy"],
    "MAF": ["Saint-Martin"],
    "XKX": ["Republic of Kosovo"],
}


def norm(text: str) -> str:
    """The matching key of a name: accents removed, case folded, punctuation and spacing unified.

    Kept identical to ``lemkin.core.countries._norm`` (the build checks uniqueness with this key).
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ").replace("’", "'").replace("`", "'")
    text = re.sub(r"[^\w']+", " ", text)
    return " ".join(text.split())


@dataclass
class Row:
    iso3: str
    iso2: str = ""
    numeric: str = ""
    name: str = ""
    official_name: str = ""
    cow: int | None = None
    cow_abbr: str = ""
    code_kind: str = "iso3166-1"
    first_year: int | None = None
    last_year: int | None = None
    successor: str = ""
    former_codes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    regex: str = ""

    def add_alias(self, name: object) -> None:
        if isinstance(name, str) and name.strip() and name.strip() not in self.aliases:
            self.aliases.append(name.strip())


def load_codelist() -> list[dict[str, object]]:
    """The countrycode package's code list, one dict per row (the package ships it as a pickled dict)."""
    path = files("countrycode") / "data" / "codelist.pickle"
    with path.open("rb") as f:
        columns = pickle.load(f)  # noqa: S301 - data file of a pinned, installed package, read at build time
    n = len(columns["country.name.en"])
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


def _present(value: object) -> bool:
    return value is not None and value == value and value != ""  # NaN != NaN


def build() -> list[Row]:
    """Assemble the rows (current ISO countries, Kosovo, historical COW states) and check their consistency."""
    rows: dict[str, Row] = {}
    for c in pycountry.countries:
        row = Row(
            iso3=c.alpha_3,
            iso2=c.alpha_2,
            numeric=c.numeric,
            name=DISPLAY_NAMES.get(c.alpha_3, getattr(c, "common_name", None) or c.name),
            official_name=getattr(c, "official_name", None) or c.name,
        )
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            row.add_alias(n)
        rows[row.iso3] = row
    rows["XKX"] = Row(
        iso3="XKX", iso2="XK", name="Kosovo", official_name="Republic of Kosovo", code_kind="user-assigned"
    )
    by_cow_name: dict[int, dict[str, object]] = {}
    for entry in load_codelist():
        iso3 = entry["iso3c"] if _present(entry["iso3c"]) else ("XKX" if entry["country.name.en"] == "Kosovo" else "")
        cow = int(entry["cown"]) if _present(entry["cown"]) else None  # type: ignore[call-overload]
        if cow is not None:
            by_cow_name[cow] = entry
        if not iso3 or iso3 not in rows:
            continue
        row = rows[str(iso3)]
        row.cow = cow
        row.cow_abbr = str(entry["cowc"]) if cow is not None else ""
        row.regex = str(entry["country.name.en.regex"]) if _present(entry["country.name.en.regex"]) else ""
        # The Holy See's COW/Polity/V-Dem names are those of the Papal States, which COW_OVERRIDES separates.
        own_cow_names = iso3 not in COW_OVERRIDES or COW_OVERRIDES[str(iso3)] is not None
        for col in ("country.name.en", "iso.name.en", "un.name.en", "cow.name", "p4.name", "vdem.name"):
            if own_cow_names or col in ("country.name.en", "iso.name.en", "un.name.en"):
                row.add_alias(entry.get(col))
    for iso3, cow in COW_OVERRIDES.items():
        rows[iso3].cow = cow
        rows[iso3].cow_abbr = str(by_cow_name[cow]["cowc"]) if cow is not None else ""
    for iso3, pattern in REGEX_OVERRIDES.items():
        rows[iso3].regex = pattern
    iso_codes = {c.alpha_3 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.historic_countries}
    for h in HISTORICAL:
        withdrawn = pycountry.historic_countries.get(alpha_3=h.code) if h.kind == "iso3166-3" else None
        if h.kind == "cow" and h.code in iso_codes:
            raise SystemExit(f"pseudo code {h.code} for {h.name} collides with an ISO 3166 code")
        if h.kind == "iso3166-3" and withdrawn is None:
            raise SystemExit(f"{h.code} is not an ISO 3166-3 code")
        # Only the code list's own historical rows (no ISO code) lend their names: 365 there is today's Russia.
        entry = by_cow_name.get(h.cow, {})
        if entry and _present(entry["iso3c"]):
            entry = {}
        row = Row(
            iso3=h.code,
            iso2=withdrawn.alpha_2 if withdrawn else "",
            numeric=getattr(withdrawn, "numeric", "") or "" if withdrawn else "",
            name=h.name,
            official_name=withdrawn.name if withdrawn else h.name,
            cow=h.cow,
            cow_abbr=h.cow_abbr,
            code_kind=h.kind,
            first_year=h.first_year,
            last_year=h.last_year,
            successor=h.successor,
            regex=h.regex or (str(entry["country.name.en.regex"]) if entry else ""),
        )
        row.add_alias(h.name)
        if withdrawn:
            row.add_alias(withdrawn.name)
        if entry:
            for col in ("country.name.en", "cow.name", "p4.name", "vdem.name"):
                row.add_alias(entry.get(col))
        for a in h.aliases:
            row.add_alias(a)
        rows[row.iso3] = row
    for old, new in FORMER_ISO_CODES.items():
        former = pycountry.historic_countries.get(alpha_3=old)
        if former is None:
            raise SystemExit(f"{old} is not an ISO 3166-3 code")
        rows[new].former_codes.append(old)
        rows[new].add_alias(former.name)
    for iso3, names in EXTRA_ALIASES.items():
        for n in names:
            rows[iso3].add_alias(n)
    _check(list(rows.values()))
    return sorted(rows.values(), key=lambda r: (r.code_kind != "iso3166-1", r.name))


def _check(rows: list[Row]) -> None:
    """Refuse to write a table where one code or one name would point at two countries."""
    seen: dict[str, str] = {}
    for r in rows:
        keys = {r.iso3, r.iso2, r.numeric, *r.former_codes} - {""}
        keys |= {norm(a) for a in (r.name, r.official_name, *r.aliases)}
        for k in keys:
            key = norm(k)
            if key in seen and seen[key] != r.iso3:
                # A name shared by two rows is dropped from the later one, loudly.
                print(f"note: {k!r} names {seen[key]} and {r.iso3}; kept for {seen[key]}")
                r.aliases = [a for a in r.aliases if norm(a) != key]
                continue
            seen[key] = r.iso3
    cows = [r.cow for r in rows if r.cow is not None and not r.last_year]
    dup = {c for c in cows if cows.count(c) > 1}
    if dup:
        raise SystemExit(f"COW codes on two current rows: {sorted(dup)}")


def write(rows: list[Row]) -> None:
    header = (
        "# Lemkin country table, generated by scripts/build-countries.py; do not edit by hand.\n"
        "# Sources: ISO 3166-1 and ISO 3166-3 via pycountry 26.2.16 (Debian iso-codes, LGPL-2.1-or-later);\n"
        "# Correlates of War Project, State System Membership List v2016 (COW codes, abbreviations, names,\n"
        "# years), via the countrycode 0.6.0 code list (Arel-Bundock et al., JOSS 2018; GPL-3.0-or-later), which\n"
        "# also gives alternative names and name patterns; EWP, UCDP and ACLED spellings listed in the script.\n"
        "# Lists inside a cell are separated by '|'. Blank first_year/last_year: a current country.\n"
    )
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(header)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            aliases = [a for a in r.aliases if norm(a) not in {norm(r.name), norm(r.official_name)}]
            w.writerow(
                [
                    r.iso3,
                    r.iso2,
                    r.numeric,
                    r.name,
                    r.official_name,
                    "" if r.cow is None else r.cow,
                    r.cow_abbr,
                    r.code_kind,
                    r.first_year or "",
                    r.last_year or "",
                    r.successor,
                    "|".join(r.former_codes),
                    "|".join(aliases),
                    r.regex,
                ]
            )


if __name__ == "__main__":
    table = build()
    write(table)
    print(f"wrote {len(table)} countries to {OUT}")
