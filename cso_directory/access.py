"""Who may see what in the directory. Every view, API endpoint and export asks here."""

from django.contrib.auth.models import AnonymousUser, User


def can_see_sensitive_attributes(user: User | AnonymousUser) -> bool:
    """Signed-in staff (anyone with a membership) see provider attributes the public never sees."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.memberships.exists()

