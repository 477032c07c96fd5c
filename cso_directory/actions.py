"""Write verbs of the directory. Views, the admin and commands change memberships only here."""

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import Q

from cso_directory.models import Membership, OrganisationPage
from cso_directory.site_tree import grant_page_permissions
from portal.roles import Role

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")


@transaction.atomic
def add_membership(user: AbstractBaseUser, organisation: OrganisationPage, role: Role) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    sync_admin_groups(user)
    return membership


@transaction.atomic
def remove_membership(membership: Membership) -> None:
    user = membership.user
    membership.delete()
    sync_admin_groups(user)


def editors_group(organisation: OrganisationPage) -> Group:
    """The group whose members may edit this organisation's page and services, never publish."""
    if organisation.editors is None:
        organisation.editors = Group.objects.create(name=f"Editors {organisation.hsds_id}")
        OrganisationPage.objects.filter(pk=organisation.pk).update(editors=organisation.editors)
    grant_page_permissions(organisation.editors, organisation, EDITOR_PAGE_PERMISSIONS)
    return organisation.editors


def sync_admin_groups(user: AbstractBaseUser) -> None:
    """Make the user's Wagtail groups follow their memberships: editors and coordinators only."""
    for membership in user.memberships.filter(role=Role.CSO_EDITOR).select_related("organisation"):
        editors_group(membership.organisation)
    coordinator_countries = user.memberships.filter(role=Role.NATIONAL_COORDINATOR).values("organisation__country")
    wanted = Group.objects.filter(
        Q(edited_organisation__memberships__user=user, edited_organisation__memberships__role=Role.CSO_EDITOR)
        | Q(coordinated_country__country__in=coordinator_countries)
    )
    managed = Group.objects.filter(Q(edited_organisation__isnull=False) | Q(coordinated_country__isnull=False))
    user.groups.remove(*managed.exclude(pk__in=wanted))
    user.groups.add(*wanted)
