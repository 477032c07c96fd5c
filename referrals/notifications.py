"""Notices to users: who hears about a referral's step (an in-app notice at once, an email by background
job after commit), and the verbs every notice shares, referral notifications and aftercare alerts alike:
the live event on the user's sockets after commit, and marking notices read.
"""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from accounts.languages import in_language_of
from portal.foundation.bidi import with_isolated_values
from portal.foundation.realtime import broadcast_on_commit, user_group
from portal.foundation.roles import Role
from referrals.models import VERBS, Notice, Notification, Referral, Side, StrOrPromise

# Who hears about each step, and the subject of the notice: the steps' own from their
# declaration, and the two notices that are no step. Subjects name the service and the step,
# never the person (emails leave the portal).
AUDIENCES: dict[str, tuple[str, ...]] = {name: verb.notify for name, verb in VERBS.items()} | {
    "consent_withdrawn": (Side.RECEIVER,),
    "overdue": (Side.RECEIVER, Side.SENDER),
}
SUBJECTS: dict[str, StrOrPromise] = {name: verb.subject for name, verb in VERBS.items() if verb.notify} | {
    "consent_withdrawn": gettext_lazy("Consent withdrawn for a referral to %(service)s"),
    "overdue": gettext_lazy("Answer overdue for a referral to %(service)s"),
}


def recipients(referral: Referral, verb: str):
    users = get_user_model().objects.filter(is_active=True)
    receivers = users.filter(
        memberships__organisation=referral.receiving_organisation_id, memberships__role=Role.CSO_CASEWORKER
    )
    sender = users.filter(pk=referral.created_by_id)
    wanted = users.none()
    if Side.RECEIVER in AUDIENCES[verb]:
        wanted = wanted | receivers
    if Side.SENDER in AUDIENCES[verb]:
        wanted = wanted | sender
    return wanted.distinct()


def notify(referral: Referral, verb: str) -> list[Notification]:
    """Write the in-app notices now (same transaction) and queue their emails for after commit."""
    notices = Notification.objects.bulk_create(
        Notification(user=user, referral=referral, verb=verb) for user in recipients(referral, verb)
    )
    for notice in notices:
        transaction.on_commit(partial(send_notification_email.enqueue, notice.pk))
        # Live inbox badge: ids and the step only; the page fetches the rest through access checks.
        announce(notice.user_id, "referral.new", referral=str(referral.pk), verb=verb)
    return notices


def announce(user_id: int, event_type: str, **ids) -> None:
    """Tell the user's open pages of a new notice after commit: its type and ids only, never person data."""
    broadcast_on_commit(user_group(user_id), {"type": event_type, **ids})


def mark_read(user, kind: type[Notice], notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices of a kind read: those given, or all. Returns how many changed."""
    # Each kind names its own user field's reverse accessor, so `user` is not on Notice itself.
    unread = kind._default_manager.filter(Q(user=user), read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())


def subject_for(notice: Notification) -> str:
    return str(SUBJECTS[notice.verb]) % {"service": notice.referral.service.title}


def subject_shown(notice: Notification) -> SafeString:
    """The subject as a page shows it, the service's name set apart in a <bdi>."""
    return with_isolated_values(str(SUBJECTS[notice.verb]), service=notice.referral.service.title)


@task()
def send_notification_email(notification_id: int) -> None:
    notice = Notification.objects.select_related("user", "referral__service").get(pk=notification_id)
    if not notice.user.email:
        return
    with in_language_of(notice.user):
        send_mail(
            subject=subject_for(notice),
            message=_("Sign in to the portal to see the referral: %(url)s")
            % {"url": f"{settings.WAGTAILADMIN_BASE_URL}/referrals/{notice.referral_id}/"},
            from_email=None,
            recipient_list=[notice.user.email],
        )
