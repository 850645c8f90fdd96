"""SC-4 and SE-4 companions: no test backdoor in any settings module; production refuses to start unkeyed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SETTINGS = Path(__file__).resolve().parents[2] / "src" / "lemkin" / "site" / "settings"


def test_no_settings_module_holds_a_test_backdoor() -> None:
    pattern = re.compile(r"MockLogin|TEST_ONLY|AUTO_LOGIN|SKIP_AUTH|DISABLE_ACCESS", re.IGNORECASE)
    offenders = [path.name for path in SETTINGS.glob("*.py") if pattern.search(path.read_text())]
    assert not offenders


def test_production_settings_refuse_to_start_without_keys_and_hosts() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEMKIN_")}
    env["DJANGO_SETTINGS_MODULE"] = "lemkin.site.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "production settings need LEMKIN_SECRET_KEY" in result.stderr
