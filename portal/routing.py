"""WebSocket routes of every app, gathered for the ASGI application."""

from aftercare.routing import websocket_urlpatterns as aftercare_websockets

websocket_urlpatterns = [*aftercare_websockets]
