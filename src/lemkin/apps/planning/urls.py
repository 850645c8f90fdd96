from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("tools/", views.tool_list, name="tool-list"),
    path("tools/<slug:tool_id>/", views.tool_detail, name="tool-detail"),
]
