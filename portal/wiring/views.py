from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.foundation.roles import Role
from portal.wiring.health import channel_layer_status, database_status
from referrals.access import organisations_where

# Each role's first page after signing in, in this order when a user holds several roles.
# National coordinators start on their country's overview; CSO editors, who keep a listing, on the admin
# dashboard; international viewers on the network's figures.
START_PAGES = [
    ((Role.PRISON_SOCIAL_WORKER,), "referrals:client_list"),
    ((Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR), "aftercare:caseload"),
    ((Role.CSO_CASEWORKER,), "referrals:inbox"),
    ((Role.NATIONAL_COORDINATOR,), "reporting:overview_start"),
    ((Role.CSO_EDITOR,), "wagtailadmin_home"),
    ((Role.INTERNATIONAL_VIEWER,), "reporting:index"),
]


def start_page_for(user) -> str:
    """Where a user starts: their role's own page, or the public home page without a role."""
    for roles, url_name in START_PAGES:
        if organisations_where(user, *roles).exists():
            return reverse(url_name)
    return "/"


@login_required
@require_GET
def workspace(request):
    """Each role's starting page, where signing in lands too (settings.LOGIN_REDIRECT_URL)."""
    return redirect(start_page_for(request.user))


@never_cache
@require_GET
def healthz(request):
    # The channel layer first: the database connection is then held only from its check to the response.
    channel_layer = channel_layer_status()
    checks = {"database": database_status(), "channel_layer": channel_layer}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
