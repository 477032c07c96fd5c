import pytest
from django.test import override_settings

# Nothing listens on port 1, so connecting is refused at once.
UNREACHABLE_REDIS = {
    "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
}


@pytest.mark.django_db
def test_healthz_is_ok_with_database_and_channel_layer_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_the_channel_layer_when_redis_is_unreachable(client):
    # Channels drops its cached layers when CHANNEL_LAYERS changes, so the override takes effect.
    with override_settings(CHANNEL_LAYERS=UNREACHABLE_REDIS):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == "ok"
    assert body["channel_layer"].startswith("down: ")


def test_healthz_answers_get_only(client):
    response = client.post("/healthz")

    assert response.status_code == 405
