"""A package: the measures chosen for a case, per escalation phase (what a playbook yields and review checks).

Each item names a catalog tool, who carries it out (``actors``: the United States, partners, a mediator), whether
it is multilateral, and the day it starts, counted from the case's ``as_of`` date. Reading and writing the package
file (YAML or JSON) is in ``contract.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lemkin.core.planning.enums import Phase


@dataclass(frozen=True)
class PackageItem:
    tool: str
    actors: tuple[str, ...] = ()
    multilateral: bool = False
    start_day: int = 0


@dataclass(frozen=True)
class Package:
    case: str
    phases: Mapping[Phase, tuple[PackageItem, ...]] = field(default_factory=dict)

    def items(self) -> Iterator[tuple[Phase, PackageItem]]:
        """Every item with its phase, phases in escalation order, items in their given order."""
        for phase in sorted(self.phases, key=lambda p: p.order):
            for item in self.phases[phase]:
                yield phase, item

    def tool_ids(self) -> frozenset[str]:
        return frozenset(item.tool for _, item in self.items())

    def __len__(self) -> int:
        return sum(len(items) for items in self.phases.values())


def combine(*packages: Package, case: str | None = None) -> Package:
    """Mix and match: merge packages phase by phase.

    The same tool twice in one phase becomes one item: the earliest start day, the actors of both (in first-seen
    order), multilateral if either was. Conflicts between the merged measures are for ``playbooks.find_conflicts``.
    """
    if not packages and case is None:
        raise ValueError("combine needs at least one package or a case id")
    case_id = case if case is not None else packages[0].case
    merged: dict[Phase, dict[str, PackageItem]] = {}
    for package in packages:
        for phase, item in package.items():
            slot = merged.setdefault(phase, {})
            if item.tool not in slot:
                slot[item.tool] = item
                continue
            old = slot[item.tool]
            actors = tuple(dict.fromkeys((*old.actors, *item.actors)))
            slot[item.tool] = PackageItem(
                item.tool, actors, old.multilateral or item.multilateral, min(old.start_day, item.start_day)
            )
    return Package(case_id, {phase: tuple(items.values()) for phase, items in merged.items()})
