from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import channel_layer_status, database_status


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status(), "channel_layer": channel_layer_status()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
