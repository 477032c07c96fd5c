from django.urls import path

from aftercare.consumers import ClientNotesConsumer

websocket_urlpatterns = [
    path("ws/clients/<uuid:client_id>/notes/", ClientNotesConsumer.as_asgi()),
]
