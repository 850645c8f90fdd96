"""MK-1 (the combine rule) and the marking parser: banners are computed, never typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lemkin.core.markings import Level, Marking, MarkingError, combine, parse

compartments = st.frozensets(st.sampled_from(["KESTREL", "HERON", "OSPREY-2", "TALON"]), max_size=3)
markings = st.builds(Marking, st.sampled_from(list(Level)), compartments, st.booleans())


@given(st.lists(markings, max_size=30))
def test_the_banner_is_the_highest_level_the_union_of_compartments_and_exercise_if_any(
    portions: list[Marking],
) -> None:
    banner = combine(portions)
    assert banner.level == max((p.level for p in portions), default=Level.UNCLASSIFIED)
    assert banner.compartments == frozenset().union(*(p.compartments for p in portions))
    assert banner.exercise == any(p.exercise for p in portions)
    assert all(banner.dominates(p) for p in portions)


@given(markings)
def test_a_banner_parses_back_to_its_marking(marking: Marking) -> None:
    assert parse(marking.banner) == marking


@given(markings, markings)
def test_dominance_needs_both_the_level_and_every_compartment(ceiling: Marking, record: Marking) -> None:
    expected = ceiling.level >= record.level and record.compartments <= ceiling.compartments
    assert ceiling.dominates(record) == expected


def test_examples_read_as_people_write_them() -> None:
    secret = Marking(Level.SECRET, frozenset({"KESTREL"}))
    assert (secret.banner, secret.portion) == ("SECRET//KESTREL", "(S//KESTREL)")
    exercise = Marking(Level.UNCLASSIFIED, exercise=True)
    assert (exercise.banner, exercise.portion) == ("EXERCISE — UNCLASSIFIED", "(X-U)")
    assert combine([]) == Marking()


@pytest.mark.parametrize(
    ("text", "message"),
    [("RESTRICTED", "level 'RESTRICTED' is not one of"), ("SECRET//kestrel", "compartment 'kestrel'")],
)
def test_bad_markings_are_refused_with_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(MarkingError, match=message):
        parse(text)
