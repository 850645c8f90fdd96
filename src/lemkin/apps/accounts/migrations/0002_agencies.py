"""The member agencies the chapter names for the Atrocities Prevention Committee (administrators may edit)."""

from django.db import migrations

AGENCIES = [
    ("NSC", "National Security Council", "Chairs the Atrocities Prevention Committee; NSC staff."),
    ("STATE", "Department of State", "Diplomacy, sanctions policy with Treasury, embassies, USUN."),
    ("DOD", "Department of Defense", "Includes the Joint Chiefs of Staff; military options and planning."),
    (
        "IC",
        "Intelligence Community",
        "Warning, indicators, heightened surveillance (ODNI and member agencies).",
    ),
    ("DOJ", "Department of Justice", "Legal authorities, accountability, war crimes and immigration cases."),
    ("TREASURY", "Department of the Treasury", "Financial sanctions and asset freezes."),
    ("USAID", "U.S. Agency for International Development", "Development and humanitarian assistance."),
]


def add_agencies(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for code, name, description in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name, "description": description})


def remove_agencies(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    Agency.objects.filter(code__in=[code for code, _, _ in AGENCIES], people__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(add_agencies, remove_agencies)]
