"""The staff API is assembled on top: the apps offer routers, the wiring owns the one NinjaAPI and mounts them."""

from ninja import NinjaAPI

import aftercare.api
import referrals.api
from portal.wiring.api import api


def test_the_apps_offer_routers_and_own_no_api_of_their_own():
    for module in (referrals.api, aftercare.api):
        assert not [name for name, value in vars(module).items() if isinstance(value, NinjaAPI)], module.__name__


def test_the_one_staff_api_is_the_wirings_and_serves_both_apps_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert isinstance(api, NinjaAPI)
    assert "/api/referrals/{referral_id}/transitions" in paths
    assert "/api/clients/{client_id}/notes" in paths
