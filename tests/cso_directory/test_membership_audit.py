"""Adding, changing and removing a membership are audited like every other write, naming who did it."""

import pytest
from django.contrib.auth.models import User

from cso_directory.actions import add_membership, change_membership, invite_member, remove_membership
from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def events_about(user: User) -> list[tuple]:
    return [
        (event.actor, event.action, event.outcome, event.detail)
        for event in AuditEvent.objects.filter(action__startswith="membership.").order_by("pk")
        if event.detail.get("user") == user.pk
    ]


def test_a_membership_added_changed_and_removed_leaves_one_audit_event_each():
    coordinator = User.objects.create_user("coordinator")
    worker = User.objects.create_user("worker")
    bright, second = make_organisation(title="Bright Futures"), make_organisation(title="Second Chance")

    membership = add_membership(worker, bright, Role.CSO_CASEWORKER, actor=coordinator)
    add_membership(worker, bright, Role.CSO_CASEWORKER, actor=coordinator)  # already held: nothing changes
    change_membership(membership, organisation=second, role=Role.CSO_EDITOR, actor=coordinator)
    remove_membership(membership, actor=coordinator)

    assert events_about(worker) == [
        (
            coordinator,
            "membership.add",
            Decision.ALLOWED,
            {"user": worker.pk, "organisation": bright.pk, "role": Role.CSO_CASEWORKER},
        ),
        (
            coordinator,
            "membership.change",
            Decision.ALLOWED,
            {
                "user": worker.pk,
                "organisation": second.pk,
                "role": Role.CSO_EDITOR,
                "from_organisation": bright.pk,
                "from_role": Role.CSO_CASEWORKER,
            },
        ),
        (
            coordinator,
            "membership.remove",
            Decision.ALLOWED,
            {"user": worker.pk, "organisation": second.pk, "role": Role.CSO_EDITOR},
        ),
    ]


def test_an_invitation_is_audited_as_the_membership_it_adds():
    coordinator = User.objects.create_user("coordinator")
    bright = make_organisation(title="Bright Futures")

    membership = invite_member(username="new-worker", organisation=bright, role=Role.CSO_CASEWORKER, actor=coordinator)

    assert [action for _actor, action, _outcome, _detail in events_about(membership.user)] == ["membership.add"]
