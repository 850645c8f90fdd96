from django.urls import path

from . import views

app_name = "watchlist"
urlpatterns = [
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso3>/", views.country_detail, name="country-detail"),
]
