"""The second factor on WebSockets: a session that still owes its code opens no socket as its user."""

import pytest
from asgiref.sync import sync_to_async
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.foundation.realtime import CLOSE_UNAUTHENTICATED
from portal.wiring.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-1"


@pytest.fixture(autouse=True)
async def own_channel_layer():
    yield
    layer = channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    if layer is not None:
        await layer.close_pools()
    await sync_to_async(connections.close_all)()


@sync_to_async
def session_after_the_password(verified: bool) -> str:
    """A session cookie of someone with an authenticator app, after the password (and the code if `verified`)."""
    user = User.objects.create_user("staff", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    http = HttpClient()
    assert http.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 302
    if verified:
        code = f"{TOTP(device.bin_key).token():06d}"
        assert http.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    return http.cookies["sessionid"].value


async def close_code_of(cookie: str) -> int | None:
    headers = [(b"origin", b"http://testserver"), (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    try:
        accepted, code = await communicator.connect()
    finally:
        await communicator.disconnect()
    return None if accepted else code


async def test_a_session_owing_its_code_opens_no_socket():
    assert await close_code_of(await session_after_the_password(verified=False)) == CLOSE_UNAUTHENTICATED


async def test_a_session_that_gave_its_code_opens_its_socket():
    assert await close_code_of(await session_after_the_password(verified=True)) is None
