"""Gleditsch–Ward state codes → Correlates of War codes, for reading UCDP data through the one country table.

UCDP identifies countries with the Gleditsch–Ward (GW) numbering (GED's ``country_id``, ``gwnoa``, ``gwnob``),
while Lemkin's country table (:mod:`lemkin.core.countries`) keys on ISO 3166 and carries the Correlates of War
(COW) codes of the risk panel. Gleditsch and Ward built their list on COW's and kept COW's numeric codes wherever
the two agree; they differ for a handful of states whose continuity the two projects judge differently:

- Germany: GW 260 is the German Federal Republic from 1949 *and* unified Germany after 3 October 1990; COW
  uses 260 for the GFR (1955–1990) and 255 for Germany (to 1945, and again from 1990).
- Serbia: GW 345 is Yugoslavia (1918–2006) and GW 340 is Serbia (to 1915 and from June 2006); COW treats
  Yugoslavia and Serbia as one series under 345.
- Yemen: GW 678 is the Yemen Arab Republic *and* unified Yemen after 22 May 1990; COW ends 678 (YAR) in 1990
  and codes unified Yemen 679.

Source: Kristian S. Gleditsch and Michael D. Ward (1999), "A revised list of independent states since 1816",
*International Interactions* 25(4): 393–413, and the list's documentation (``iisystem.dat``). GW states with no
COW counterpart (pre-1945 entities such as Tibet, GW 711) and GW's separate list of microstates are outside this
mapping: UCDP GED has no events there, and any code that does not lead to a row of the country table is
reported as unknown by the importer, never guessed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

__all__ = ["GW_COW_DIFFERENCES", "gw_to_cow", "gw_to_cow_array"]

#: The GW codes whose COW code differs, with the date from which the second COW code applies.
#: ``gw: (cow_before, switch_date, cow_from_switch_date)``.
GW_COW_DIFFERENCES: dict[int, tuple[int, dt.date, int]] = {
    260: (260, dt.date(1990, 10, 3), 255),  # German Federal Republic → unified Germany
    340: (345, dt.date(1800, 1, 1), 345),  # Serbia → COW's Yugoslavia/Serbia series
    678: (678, dt.date(1990, 5, 22), 679),  # Yemen Arab Republic → unified Yemen
}


def gw_to_cow(gw: int, on: dt.date | None = None) -> int:
    """The COW code of Gleditsch–Ward state ``gw`` on date ``on`` (today's state of affairs when ``None``)."""
    gw = int(gw)
    if gw not in GW_COW_DIFFERENCES:
        return gw
    before, switch, after = GW_COW_DIFFERENCES[gw]
    return before if on is not None and on < switch else after


def gw_to_cow_array(gw: npt.ArrayLike, on: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Vectorised :func:`gw_to_cow`: ``gw`` integer codes, ``on`` the matching ``datetime64`` dates."""
    codes = np.asarray(gw, dtype=np.int64)
    dates = np.asarray(on, dtype="datetime64[D]")
    out = codes.copy()
    for code, (before, switch, after) in GW_COW_DIFFERENCES.items():
        hit = codes == code
        if hit.any():
            late = dates >= np.datetime64(switch, "D")
            out[hit] = np.where(late[hit], after, before)
    return out
