from django.urls import path

from portal.foundation import converters  # noqa: F401 - registers <id:...>
from reporting import overview_views

app_name = "reporting"
urlpatterns: list = []

# The national coordinator's start page and the lists behind its figures.
urlpatterns += [
    path("overview/", overview_views.overview_start, name="overview_start"),
    path("overview/<str:country>/", overview_views.overview, name="overview"),
    path("overview/<str:country>/referrals/", overview_views.overview_referrals, name="overview_referrals"),
    path("overview/<str:country>/organisations/", overview_views.overview_organisations, name="overview_organisations"),
]
