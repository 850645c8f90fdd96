from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
    path("people/", views.person_list, name="person-list"),
    path("me/", views.profile, name="profile"),
    path("me/second-factor/", views.otp_setup, name="otp-setup"),
    path("verify/", views.otp_verify, name="otp-verify"),
]
