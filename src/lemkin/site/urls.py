"""The URL map. Every named URL needs a rule in ``lemkin.apps.accounts.access.RULES`` (deny by default)."""

from django.urls import include, path

from lemkin.apps.accounts import views as account_views

from . import views
from .api import api

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health", views.health, name="health"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("lemkin.apps.accounts.urls")),
    path("audit/", include("lemkin.apps.audit.urls")),
    path("watchlist/", include("lemkin.apps.watchlist.urls")),
    path("planning/", include("lemkin.apps.planning.urls")),
    path("cases/", include("lemkin.apps.cases.urls")),
    path("api/", api.urls),
]

handler403 = "lemkin.site.views.forbidden"
handler404 = "lemkin.site.views.not_found"
handler500 = "lemkin.site.views.server_error"
