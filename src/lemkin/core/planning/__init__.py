"""The standard planning framework of chapter 4 (Recommendation 4-2): catalog, case profiles, options, playbooks,
guideline review. Pure Python, no Django: the web app stores catalog and cases and calls these functions.

Typical use::

    catalog = load_catalog()
    profile = load_profile(Path("kenya-2008.yaml"))
    options = generate_options(profile, catalog)
    applied = apply_playbook(load_library().get("election-violence"), profile, catalog)
    review = review_package(profile, applied.package, catalog)
"""

from lemkin.core.planning.catalog import Catalog, CatalogError, Tool, catalog_from_data, load_catalog
from lemkin.core.planning.contract import (
    ContractError,
    PackageError,
    load_package,
    options_to_json,
    package_from_data,
    package_to_json,
    review_to_json,
)
from lemkin.core.planning.enums import Guideline, Lever, Mode, Phase, Severity, TargetGroup, Tempo, ToolType
from lemkin.core.planning.options import OptionsResult, generate_options
from lemkin.core.planning.package import Package, PackageItem, combine
from lemkin.core.planning.playbooks import apply_playbook, find_conflicts, load_library, suggest_playbooks
from lemkin.core.planning.profile import CaseProfile, CaseProfileError, load_profile, parse_profile
from lemkin.core.planning.review import FINDINGS, Review, review_package

__all__ = [
    "FINDINGS",
    "CaseProfile",
    "CaseProfileError",
    "Catalog",
    "CatalogError",
    "ContractError",
    "Guideline",
    "Lever",
    "Mode",
    "OptionsResult",
    "Package",
    "PackageError",
    "PackageItem",
    "Phase",
    "Review",
    "Severity",
    "TargetGroup",
    "Tempo",
    "Tool",
    "ToolType",
    "apply_playbook",
    "catalog_from_data",
    "combine",
    "find_conflicts",
    "generate_options",
    "load_catalog",
    "load_library",
    "load_package",
    "load_profile",
    "options_to_json",
    "package_from_data",
    "package_to_json",
    "parse_profile",
    "review_package",
    "review_to_json",
    "suggest_playbooks",
]
