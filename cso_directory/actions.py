"""Write verbs of the directory. Views, the admin and commands change memberships only here."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.languages import in_language_of
from cso_directory.access import is_self_grant, membership_requests_decidable_by, services_whose_capacity_user_may_set
from cso_directory.directory_cache import directory_changed
from cso_directory.models import Capacity, Membership, MembershipRequest, OrganisationPage, ServicePage
from cso_directory.site_tree import grant_logo_permissions, grant_page_permissions
from portal.foundation.audit import record_event
from portal.foundation.models import Decision
from portal.foundation.realtime import broadcast_on_commit, user_group
from portal.foundation.roles import Role

AnyUser = User | AnonymousUser
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")


def record_membership_event(actor: AnyUser | None, action: str, membership: Membership, **detail: object) -> None:
    """Memberships are audited like every other write; Wagtail's log keeps feeding the admin's history."""
    facts = {"user": membership.user_id, "organisation": membership.organisation_id, "role": membership.role}
    record_event(actor, action, membership, outcome=Decision.ALLOWED, **facts, **detail)


@transaction.atomic
def add_membership(
    user: User, organisation: OrganisationPage, role: Role, *, actor: AnyUser | None = None
) -> Membership:
    """Give `user` a role in `organisation`; a role that reads person data is never self-granted
    here (invite_member and change_membership turn such a grant into a request for approval)."""
    if is_self_grant(actor, user, role):
        raise PermissionDenied
    return grant_membership(user, organisation, role, actor=actor)


def grant_membership(
    user: User, organisation: OrganisationPage, role: Role | str, *, actor: AnyUser | None, **detail: object
) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        record_membership_event(actor, "membership.add", membership, **detail)
    sync_admin_groups(user)
    announce_access_changed(user)
    return membership


@transaction.atomic
def invite_member(
    *,
    username: str,
    organisation: OrganisationPage,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: AnyUser | None = None,
) -> Membership | MembershipRequest:
    """Give `username` a membership, creating the user if the name is new.

    A user asking themself for a role that reads person data gets a request awaiting a second
    person's approval instead, which grants nothing (request_membership).

    A new user gets no password: after commit they are emailed a link to set one. An existing
    user's name and email are left as they are, so nobody can redirect another user's mail.
    Who may invite whom is the caller's check (cso_directory.access.can_manage_user). Log entries
    name the user of Wagtail's log context: in the admin, the signed-in user.
    """
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        transaction.on_commit(lambda: send_password_set_link(user))
    if is_self_grant(actor, user, role):
        return request_membership(user, organisation, role)
    membership = add_membership(user, organisation, role, actor=actor)
    log(instance=membership, action="wagtail.create")
    return membership


@transaction.atomic
def change_membership(
    membership: Membership, *, organisation: OrganisationPage, role: Role, actor: AnyUser | None = None
) -> Membership | MembershipRequest:
    """Move a membership to another organisation or role. Changing one's own membership into a role
    that reads person data (or such a role into another organisation) only requests it: the
    membership stays as it is until a second person approves (request_membership)."""
    # Compared with what is stored: an admin form has already put the new values on `membership`.
    stored = Membership.objects.select_for_update().values("organisation_id", "role").get(pk=membership.pk)
    unchanged = stored["organisation_id"] == organisation.pk and stored["role"] == role
    if not unchanged and is_self_grant(actor, membership.user, role):
        membership.organisation_id, membership.role = stored["organisation_id"], stored["role"]
        return request_membership(membership.user, organisation, role, membership=membership)
    before = {"from_organisation": stored["organisation_id"], "from_role": stored["role"]}
    return apply_membership_change(membership, organisation=organisation, role=role, actor=actor, **before)


def apply_membership_change(
    membership: Membership,
    *,
    organisation: OrganisationPage,
    role: Role | str,
    actor: AnyUser | None,
    **detail: object,
) -> Membership:
    """Save the new organisation and role; `detail` (what it was before, who asked) goes into the audit."""
    membership.organisation = organisation
    membership.role = role
    membership.save(update_fields=["organisation", "role"])
    record_membership_event(actor, "membership.change", membership, **detail)
    sync_admin_groups(membership.user)
    announce_access_changed(membership.user)
    log(instance=membership, action="wagtail.edit")
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, actor: AnyUser | None = None) -> None:
    user = membership.user
    record_membership_event(actor, "membership.remove", membership)
    log(instance=membership, action="wagtail.delete", deleted=True)
    membership.delete()
    sync_admin_groups(user)
    announce_access_changed(user)


def record_request_event(actor: AnyUser | None, action: str, membership_request: MembershipRequest) -> None:
    facts = {
        "user": membership_request.user_id,
        "organisation": membership_request.organisation_id,
        "role": membership_request.role,
        "membership": membership_request.membership_id,
    }
    record_event(actor, action, membership_request, outcome=Decision.ALLOWED, **facts)


@transaction.atomic
def request_membership(
    user: User, organisation: OrganisationPage, role: Role, *, membership: Membership | None = None
) -> MembershipRequest:
    """The user asks for a role that reads person data (in a new membership, or by changing
    `membership`): recorded, audited, and granting nothing until approve_membership_request."""
    membership_request, created = MembershipRequest.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"membership": membership}
    )
    if created:
        record_request_event(user, "membership.request", membership_request)
    return membership_request


def check_may_decide(actor: AnyUser, membership_request: MembershipRequest) -> MembershipRequest:
    """The request, locked, if `actor` may decide it (never the requester); PermissionDenied otherwise."""
    decidable = membership_requests_decidable_by(actor).select_for_update(of=("self",))
    locked = decidable.filter(pk=membership_request.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


@transaction.atomic
def approve_membership_request(membership_request: MembershipRequest, *, actor: User) -> Membership:
    """A second coordinator of the country (or a superuser) grants what the user asked for."""
    membership_request = check_may_decide(actor, membership_request)
    record_request_event(actor, "membership.request.approve", membership_request)
    user, organisation, role = membership_request.user, membership_request.organisation, membership_request.role
    target = membership_request.membership
    membership_request.delete()
    held = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if held is not None:  # granted meanwhile, e.g. by another coordinator: nothing left to change
        return held
    approved = {"approved_request_of": user.pk}
    if target is not None:
        before = {"from_organisation": target.organisation_id, "from_role": target.role}
        return apply_membership_change(target, organisation=organisation, role=role, actor=actor, **before, **approved)
    membership = grant_membership(user, organisation, role, actor=actor, **approved)
    log(instance=membership, action="wagtail.create")
    return membership


@transaction.atomic
def refuse_membership_request(membership_request: MembershipRequest, *, actor: User) -> None:
    """A second coordinator of the country (or a superuser) turns the request down: nothing is granted."""
    membership_request = check_may_decide(actor, membership_request)
    record_request_event(actor, "membership.request.refuse", membership_request)
    membership_request.delete()


def announce_access_changed(user: User) -> None:
    """After commit, the user's open WebSockets re-check their access and close what they lost."""
    broadcast_on_commit(user_group(user.pk), {"type": "access.changed"})


def send_password_set_link(user: User) -> None:
    """Email a new user a one-time link to choose their password (Django's password reset token)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", args=[uidb64, default_token_generator.make_token(user)])
    context = {
        "username": user.get_username(),
        "site": settings.WAGTAIL_SITE_NAME,
        "url": settings.WAGTAILADMIN_BASE_URL + path,
    }
    with in_language_of(user):
        send_mail(
            subject=_("Your account on %(site)s") % context,
            message=_(
                "An account with the username %(username)s was created for you on %(site)s.\n\n"
                "Choose your password here (the link works once):\n%(url)s\n"
            )
            % context,
            from_email=None,
            recipient_list=[user.email],
        )


def editors_group(organisation: OrganisationPage) -> Group:
    """The group whose members may edit this organisation's page and services, never publish."""
    if organisation.editors is None:
        organisation.editors = Group.objects.create(name=f"Editors {organisation.hsds_id}")
        OrganisationPage.objects.filter(pk=organisation.pk).update(editors=organisation.editors)
    grant_page_permissions(organisation.editors, organisation, EDITOR_PAGE_PERMISSIONS)
    grant_logo_permissions(organisation.editors)
    return organisation.editors


def sync_admin_groups(user: User) -> None:
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


@transaction.atomic
def set_service_capacity(user: User, service: ServicePage, capacity: str) -> ServicePage:
    """Change whether a service takes referrals, at once and without a coordinator's approval.

    The live page and its latest revision (and the live revision, if older) get the new capacity,
    so that neither publishing a pending draft later nor this change undoes the other; nothing
    else of a pending draft is published.
    """
    if capacity not in Capacity.values:
        raise ValidationError(_("Choose a capacity: accepting referrals, waiting list or full."), code="invalid")
    if not services_whose_capacity_user_may_set(user).filter(pk=service.pk).exists():
        raise PermissionDenied
    service = ServicePage.objects.select_for_update(of=("self",)).get(pk=service.pk)
    previous = service.capacity
    ServicePage.objects.filter(pk=service.pk).update(capacity=capacity)
    service.capacity = capacity
    for revision in {service.get_latest_revision(), service.live_revision} - {None}:
        revision.content["capacity"] = capacity
        revision.save(update_fields=["content"])
    record_event(user, "directory.service_capacity_set", service, previous=previous, capacity=capacity)
    directory_changed()
    return service
