"""WebSocket routes of every app, gathered for the ASGI application; any other path is refused cleanly."""

from django.urls import re_path

from aftercare.consumers import NotFoundConsumer
from aftercare.routing import websocket_urlpatterns as aftercare_websockets

websocket_urlpatterns = [*aftercare_websockets, re_path(r"", NotFoundConsumer.as_asgi())]
