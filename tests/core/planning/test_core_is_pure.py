"""The planning core imports no web framework (DESIGN.md: ``core`` never imports ``apps`` or Django), so it runs as
a plain library; checked on the source, not on what happens to be imported."""

from __future__ import annotations

import ast
from pathlib import Path

import lemkin.core.planning

PACKAGE = Path(lemkin.core.planning.__file__).parent


def test_no_module_of_the_planning_core_imports_django_or_the_apps() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 9
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "ninja", "lemkin.apps", "lemkin.site")), (module.name, name)


def test_data_files_ship_inside_the_package() -> None:
    assert (PACKAGE / "catalog.yaml").is_file()
    assert (PACKAGE / "playbooks.yaml").is_file()
