from django.urls import path

from portal.foundation import converters  # noqa: F401 - registers <id:...>
from reporting import overview_views, views

app_name = "reporting"
urlpatterns: list = [
    path("dashboards/", views.index, name="index"),
    path("dashboards/<slug:group>/", views.dashboard, name="dashboard"),
    path("dashboards/<slug:group>/<slug:table>.<slug:file_format>", views.export, name="export"),
    # The national coordinator's start page and the lists behind its figures.
    path("overview/", overview_views.overview_start, name="overview_start"),
    path("overview/<str:country>/", overview_views.overview, name="overview"),
    path("overview/<str:country>/referrals/", overview_views.overview_referrals, name="overview_referrals"),
    path("overview/<str:country>/organisations/", overview_views.overview_organisations, name="overview_organisations"),
]
