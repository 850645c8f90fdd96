"""``lemkin options`` and ``lemkin review``: run in a temporary directory, assert exit code and output; bad input
gives one line naming the file and field, a non-zero exit, and nothing on standard output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from lemkin.commands import BAD_INPUT
from lemkin.commands.planning import app
from lemkin.core.planning.catalog import load_catalog
from lemkin.core.planning.contract import package_to_json
from lemkin.core.planning.playbooks import apply_playbook, load_library
from lemkin.core.planning.profile import load_profile
from tests.core.planning.builders import case_data

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_options_json_for_a_real_case(cases_dir: Path, workdir: Path) -> None:
    result = runner.invoke(app, ["options", "--case", str(cases_dir / "kenya-2008.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["case"] == "kenya-2008"
    assert data["options"]
    assert data["excluded"]
    assert list(workdir.iterdir()) == []  # nothing written


def test_options_phase_and_markdown(cases_dir: Path, workdir: Path) -> None:
    result = runner.invoke(
        app, ["options", "--case", str(cases_dir / "kosovo-1998.yaml"), "--phase", "latent", "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Policy options: kosovo-1998")
    assert "## Phase: latent" in result.stdout
    assert "## Phase: escalating" not in result.stdout


def test_review_a_package_file(cases_dir: Path, workdir: Path) -> None:
    case = cases_dir / "kenya-2008.yaml"
    applied = apply_playbook(load_library().get("election-violence"), load_profile(case), load_catalog())
    package = workdir / "package.yaml"
    package.write_text(yaml.safe_dump(package_to_json(applied.package)), encoding="utf-8")
    result = runner.invoke(app, ["review", "--case", str(case), "--package", str(package)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"case": "kenya-2008", "findings": []}
    md = runner.invoke(app, ["review", "--case", str(case), "--package", str(package), "--format", "md"])
    assert "_No findings._" in md.stdout


def test_a_bad_profile_gives_one_line_naming_file_and_field(workdir: Path) -> None:
    bad = workdir / "bad.yaml"
    bad.write_text(yaml.safe_dump(case_data(tempo="fast")), encoding="utf-8")
    result = runner.invoke(app, ["options", "--case", str(bad)])
    assert result.exit_code == BAD_INPUT
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0]
    assert "tempo:" in lines[0]


@pytest.mark.parametrize(
    ("package_text", "expected"),
    [
        (
            "case: exercise-case\nphases: {escalating: [{tool: nope, actors: [], multilateral: true, start_day: 0}]}\n",
            "phases.escalating[0].tool",
        ),
        ("case: other\nphases: {}\n", "case: the package is for 'other'"),
        ("case: [unclosed\n", "YAML syntax"),
    ],
)
def test_a_bad_package_gives_one_line(workdir: Path, package_text: str, expected: str) -> None:
    case = workdir / "case.yaml"
    case.write_text(yaml.safe_dump(case_data()), encoding="utf-8")
    package = workdir / "package.yaml"
    package.write_text(package_text, encoding="utf-8")
    result = runner.invoke(app, ["review", "--case", str(case), "--package", str(package)])
    assert result.exit_code == BAD_INPUT
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert expected in result.stderr


def test_missing_file_and_bad_phase_fail_without_output(workdir: Path) -> None:
    missing = runner.invoke(app, ["options", "--case", str(workdir / "none.yaml")])
    assert missing.exit_code == BAD_INPUT
    assert missing.stdout == ""
    assert "cannot read" in missing.stderr
    case = workdir / "case.yaml"
    case.write_text(yaml.safe_dump(case_data()), encoding="utf-8")
    bad_phase = runner.invoke(app, ["options", "--case", str(case), "--phase", "late"])
    assert bad_phase.exit_code != 0
    assert bad_phase.stdout == ""


def test_output_is_identical_across_processes_and_hash_seeds(cases_dir: Path) -> None:
    """Determinism does not hang on set or dict order: two interpreters with different hash seeds agree."""
    script = "import sys; from lemkin.commands.planning import app; sys.argv = ['lemkin', *sys.argv[1:]]; app()"
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script, "options", "--case", str(cases_dir / "rwanda-1994.yaml")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["case"] == "rwanda-1994"
