from django.urls import path

from portal.foundation import converters  # noqa: F401 - registers <id:...>
from reporting import views

app_name = "reporting"
urlpatterns: list = [
    path("dashboards/", views.index, name="index"),
    path("dashboards/<slug:group>/", views.dashboard, name="dashboard"),
    path("dashboards/<slug:group>/<slug:table>.<slug:file_format>", views.export, name="export"),
]
