from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<slug:slug>/", views.case_detail, name="case-detail"),
    path("<slug:slug>/options/", views.case_options, name="case-options"),
    path("<slug:slug>/playbook/", views.case_playbook, name="case-playbook"),
    path("<slug:slug>/review/", views.case_review, name="case-review"),
]
