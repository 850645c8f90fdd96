from django.urls import path

from . import views

app_name = "watchlist"
urlpatterns = [
    path("", views.watchlists, name="watchlists"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso3>/tier/", views.country_tier, name="country-tier"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/<int:proposal_id>/", views.proposal_decide, name="proposal-decide"),
    path("countries/<str:iso3>/", views.country_detail, name="country-detail"),
    path("risk/", views.risk_run_list, name="risk-run-list"),
    path("risk/<int:run_id>/", views.risk_run_detail, name="risk-run-detail"),
]
