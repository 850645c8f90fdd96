"""Exercise material: the fictional demo world (and, beside it, the escalation model and red-team aid).

Everything here is fictional and marked EXERCISE; see :mod:`lemkin.core.exercise.world`.
"""

from lemkin.core.exercise.world import (
    COMPARTMENT,
    COUNTRIES,
    EXERCISE,
    PANEL_COLUMNS,
    REGION,
    DemoPerson,
    ExerciseCountry,
    demo_people,
    synthetic_panel,
    worked_case,
)

__all__ = [
    "COMPARTMENT",
    "COUNTRIES",
    "EXERCISE",
    "PANEL_COLUMNS",
    "REGION",
    "DemoPerson",
    "ExerciseCountry",
    "demo_people",
    "synthetic_panel",
    "worked_case",
]
