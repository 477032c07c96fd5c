from django import template

from aftercare.models import Alert
from portal.foundation.roles import Role
from referrals.access import organisations_where

register = template.Library()


@register.inclusion_tag("aftercare/includes/nav_links.html", takes_context=True)
def probation_nav_links(context):
    """Caseload and alerts links, for probation staff only; the alerts link counts the unread."""
    user = context["user"]
    show = organisations_where(user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR).exists()
    unread = Alert.objects.filter(user=user, read_at__isnull=True).count() if show else 0
    return {"show": show, "unread_alerts": unread}
