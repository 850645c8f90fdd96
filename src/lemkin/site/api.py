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


class LemkinAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # The operation id is the view function's name, which is also its URL name and its RULES key.
        return str(operation.view_func.__name__)


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
