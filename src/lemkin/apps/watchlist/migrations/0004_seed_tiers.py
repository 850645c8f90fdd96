"""The chapter's tiers: countries of "moderate concern" and those at "high and rising" risk (administrators may
add rungs later); "not listed" is the floor."""

from django.db import migrations

TIERS = [
    ("not_listed", "Not listed", 0, "Not on the watchlist."),
    ("moderate_concern", "Moderate concern", 1, "The committee plans for these countries (crisis prevention plans)."),
    (
        "high_and_rising",
        "High and rising",
        2,
        "Heightened intelligence surveillance and monitoring of case-specific indicators and warnings.",
    ),
]


def seed(apps, schema_editor):
    Tier = apps.get_model("watchlist", "Tier")
    for code, name, rank, description in TIERS:
        Tier.objects.get_or_create(code=code, defaults={"name": name, "rank": rank, "description": description})


def unseed(apps, schema_editor):
    apps.get_model("watchlist", "Tier").objects.filter(code__in=[t[0] for t in TIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("watchlist", "0003_tiers"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(seed, unseed)]
