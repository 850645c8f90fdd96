"""The HTTP API under ``/api/`` (django-ninja); its OpenAPI document is ``/api/openapi.json``.

Each app contributes a router from its ``api`` module. Access: the same ``RULES`` as the pages (operation ids
are the view names ``api:<operation>``), enforced by ``AccessControlMiddleware`` before any operation runs;
records are filtered with the same ``visible_to`` rule.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.security import django_auth

from lemkin import __version__
from lemkin.apps.accounts.api import router as accounts_router
from lemkin.apps.audit.api import router as audit_router
from lemkin.apps.cases.api import router as cases_router
from lemkin.apps.planning.api import router as planning_router
from lemkin.apps.watchlist.api import router as watchlist_router

#: The body of every refusal and error the API answers: ``detail`` is a sentence, or the list of invalid inputs.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]}},
    "required": ["detail"],
}

#: Answers any operation may give before it runs: the access-control point refuses (401 not signed in or
#: second factor missing, 403 roles or CSRF check); these are documented on every operation.
ACCESS_RESPONSES = {
    "401": "Not signed in, or the second factor not given",
    "403": "Refused: the person's roles do not include this operation, or the CSRF check failed",
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


class LemkinAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # The operation id is the view function's name, which is also its URL name and its RULES key.
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The document, with the error answers every operation can give (so clients and the schema test know
        them): the access-control point's refusals everywhere, 404 where a path names a record (a record one may
        not see answers exactly like a missing one), 400 everywhere (a body that cannot be parsed, or a NUL
        character anywhere in the request), 422 where the operation takes input."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation["responses"]
                for status, description in ACCESS_RESPONSES.items():
                    responses.setdefault(status, _error(description))
                parameters = operation.get("parameters", [])
                if any(p["in"] == "path" for p in parameters):
                    responses.setdefault("404", _error("No such record, or one the person may not see"))
                responses.setdefault("400", _error("The request cannot be read: a body that does not parse, or a NUL"))
                if parameters or "requestBody" in operation:
                    responses.setdefault("422", _error("Invalid input"))
        return schema


api = LemkinAPI(
    title="Lemkin API",
    version=__version__,
    description="Decision support for atrocity prevention. Every operation is access-controlled and audited.",
    urls_namespace="api",
    docs_url=None,
    auth=django_auth,
)
api.add_router("/accounts/", accounts_router, tags=["accounts"])
api.add_router("/watchlist/", watchlist_router, tags=["watchlist"])
api.add_router("/planning/", planning_router, tags=["planning"])
api.add_router("/cases/", cases_router, tags=["cases"])
api.add_router("/audit/", audit_router, tags=["audit"])
