from django.urls import path  # noqa: F401 - the reporting pages are added here

from portal.foundation import converters  # noqa: F401 - registers <id:...>

app_name = "reporting"
urlpatterns: list = []
