"""What the header of every page shows a signed-in user, worked out on first use and once per request."""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import User
from django.utils.functional import SimpleLazyObject

from aftercare.models import Alert
from portal.foundation.roles import Role

PROBATION_ROLES = {Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR}
# The roles reporting.access shows figures to.
REPORT_ROLES = {Role.NATIONAL_COORDINATOR, Role.CSO_CASEWORKER, Role.CSO_EDITOR, Role.INTERNATIONAL_VIEWER}
# Coordinators and international viewers are told of no referral: their workspace is figures, without notifications.
ROLES_WITHOUT_NOTICES = {Role.NATIONAL_COORDINATOR, Role.INTERNATIONAL_VIEWER}


@dataclass
class Navigation:
    user: User | None  # None when nobody is signed in

    @cached_property
    def roles(self) -> set[str]:
        """The user's roles, in one query (none for anonymous or disabled users)."""
        if self.user is None or not self.user.is_active:
            return set()
        return set(self.user.memberships.values_list("role", flat=True).distinct())

    @property
    def workspace(self) -> bool:
        return bool(self.roles)

    @property
    def notices(self) -> bool:
        return bool(self.roles - ROLES_WITHOUT_NOTICES)

    @property
    def probation(self) -> bool:
        return bool(self.roles & PROBATION_ROLES)

    @property
    def reports(self) -> bool:
        return bool(self.roles & REPORT_ROLES)

    @cached_property
    def unread_alerts(self) -> int:
        if self.user is None or not self.probation:
            return 0
        return Alert.objects.filter(user=self.user, read_at__isnull=True).count()


def navigation(request) -> dict:
    """`navigation` in every template: the header's links, queried only if a page shows the header."""
    return {"navigation": SimpleLazyObject(lambda: navigation_of(request))}


def navigation_of(request) -> Navigation:
    """One Navigation per request, however many templates ask."""
    if not hasattr(request, "portal_navigation"):
        request.portal_navigation = Navigation(request.user if request.user.is_authenticated else None)
    return request.portal_navigation
