import pytest
from django.test import Client, override_settings
from redis import Redis

from tests.aftercare.live_servers import redis_server

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


def redis_commands(redis: Redis) -> int:
    """How many commands the Redis server has answered since it started (INFO's commandstats), but for
    the CLIENT SETINFO with which redis-py opens each connection."""
    stats = redis.info("commandstats")
    return sum(figures["calls"] for name, figures in stats.items() if not name.startswith("cmdstat_client|"))


@pytest.mark.django_db
def test_healthz_asks_redis_one_command_per_host():
    """A health check must stay cheap under load: a load balancer pulls a server whose check is slow.
    The former round trip of a message through the layer cost eight Redis commands, each a turn of
    the server's busy event loop, and under 50 connections it outlasted its 2 s timeout (503)."""
    with redis_server() as server:
        layer = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [server.url]}}}
        with override_settings(CHANNEL_LAYERS=layer):
            redis = Redis.from_url(server.url)
            before = redis_commands(redis)
            response = Client().get("/healthz")
            # INFO itself counts once in the figures it returns.
            used = redis_commands(redis) - before - 1

    assert response.status_code == 200
    assert used == 1
