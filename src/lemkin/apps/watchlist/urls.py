from django.urls import path

from . import export_views, judgment_views, views, warning_views

app_name = "watchlist"
urlpatterns = [
    path("", views.watchlists, name="watchlists"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso3>/tier/", views.country_tier, name="country-tier"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/<int:proposal_id>/", views.proposal_decide, name="proposal-decide"),
    path("countries/<str:iso3>/", views.country_detail, name="country-detail"),
    path("map/", export_views.world_map, name="world-map"),
    path("export/", export_views.export, name="export"),
    path("countries/<str:iso3>/indicators/", warning_views.country_indicators, name="country-indicators"),
    path("countries/<str:iso3>/judgments/", judgment_views.country_judgments, name="country-judgments"),
    path("warnings/", warning_views.warning_list, name="warning-list"),
    path("warnings/<int:warning_id>/", warning_views.warning_detail, name="warning-detail"),
    path("surveillance/<int:request_id>/", warning_views.surveillance_update, name="surveillance-update"),
    path("judgments/scores/", judgment_views.judgment_scores, name="judgment-scores"),
    path("priorities/", judgment_views.prioritisation, name="prioritisation"),
    path("risk/", views.risk_run_list, name="risk-run-list"),
    path("risk/<int:run_id>/", views.risk_run_detail, name="risk-run-detail"),
]
