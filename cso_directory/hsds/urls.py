from django.urls import path

from cso_directory.hsds.api import api

urlpatterns = [path("", api.urls)]
