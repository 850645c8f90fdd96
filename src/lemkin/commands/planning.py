"""``lemkin options`` and ``lemkin review``: the planning framework on the command line.

Thin by design: read the files, call ``lemkin.core.planning``, print JSON (the documented contract) or Markdown.
Bad input gives one line on standard error naming the file and the fields, exit code 2, and nothing on standard
output.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lemkin.commands import bad_input
from lemkin.core.planning import contract
from lemkin.core.planning.catalog import CatalogError, load_catalog
from lemkin.core.planning.enums import Phase
from lemkin.core.planning.options import generate_options
from lemkin.core.planning.profile import CaseProfileError, load_profile
from lemkin.core.planning.review import review_package

app = typer.Typer(help="Policy options and guideline review (the standard planning framework).", no_args_is_help=True)


class OutputFormat(StrEnum):
    JSON = "json"
    MD = "md"


_fail = bad_input  # one line on standard error, exit code 2, nothing on standard output


def options(
    case: Annotated[Path, typer.Option("--case", help="Case profile YAML (format: shared/cases/README.md).")],
    phase: Annotated[
        Phase | None, typer.Option("--phase", help="One phase; default: the case's phase and every later one.")
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="json (the contract) or md.")] = OutputFormat.JSON,
) -> None:
    """Ranked options per target group and phase, with reasons, and the excluded tools with reasons."""
    try:
        catalog = load_catalog()
        profile = load_profile(case)
    except CaseProfileError as error:
        raise _fail(f"invalid case profile {error.one_line()}") from None
    except CatalogError as error:
        raise _fail(f"invalid catalog {error.source}: {'; '.join(error.problems)}") from None
    result = generate_options(profile, catalog, phase)
    if format is OutputFormat.JSON:
        typer.echo(contract.dumps(contract.options_to_json(result)))
    else:
        typer.echo(contract.options_to_markdown(result), nl=False)


def review(
    case: Annotated[Path, typer.Option("--case", help="Case profile YAML.")],
    package: Annotated[Path, typer.Option("--package", help="Package file (YAML or JSON) of chosen measures.")],
    format: Annotated[OutputFormat, typer.Option("--format", help="json (the contract) or md.")] = OutputFormat.JSON,
) -> None:
    """Review a package of chosen measures against Recommendations 4-4, 4-5 and the sanctions guidelines."""
    try:
        catalog = load_catalog()
        profile = load_profile(case)
        chosen = contract.load_package(package, catalog)
    except CaseProfileError as error:
        raise _fail(f"invalid case profile {error.one_line()}") from None
    except contract.PackageError as error:
        raise _fail(f"invalid package {error.one_line()}") from None
    except CatalogError as error:
        raise _fail(f"invalid catalog {error.source}: {'; '.join(error.problems)}") from None
    if chosen.case != profile.id:
        raise _fail(f"{package}: case: the package is for {chosen.case!r} but {case} is {profile.id!r}")
    result = review_package(profile, chosen, catalog)
    if format is OutputFormat.JSON:
        typer.echo(contract.dumps(contract.review_to_json(result)))
    else:
        typer.echo(contract.review_to_markdown(result), nl=False)


app.command("options")(options)
app.command("review")(review)
