"""The portal's URLs plus the floor: the cheapest page the server can answer, measured in the same run."""

from django.http import JsonResponse
from django.urls import path

from portal.wiring.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/floor", floor), *portal_urlpatterns]
