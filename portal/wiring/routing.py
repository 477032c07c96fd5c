"""WebSocket routes of every app, gathered for the ASGI application; any other path is refused cleanly."""

from django.urls import path, re_path

from aftercare.routing import websocket_urlpatterns as aftercare_websockets
from portal.wiring.consumers import NotFoundConsumer, UserEventsConsumer

websocket_urlpatterns = [
    *aftercare_websockets,
    path("ws/me/", UserEventsConsumer.as_asgi()),
    re_path(r"", NotFoundConsumer.as_asgi()),
]
