"""Referral notifications and aftercare alerts are one mechanism: one notice shape, one read verb, one live event."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from aftercare.actions import record_check_in
from aftercare.models import Alert, CheckInStatus
from referrals.models import Notice, Notification
from referrals.notifications import announce, mark_read
from tests.aftercare.supervision_cast import build_cast, open_case

pytestmark = pytest.mark.django_db


def test_notifications_and_alerts_are_both_notices():
    assert issubclass(Notification, Notice)
    assert issubclass(Alert, Notice)


def test_one_verb_marks_a_users_notifications_read_and_leaves_others_alone(cast, referral):
    mine = Notification.objects.get(user=cast.caseworker_a, referral=referral)
    theirs = Notification.objects.create(user=cast.social_worker, referral=referral, verb="accept")
    assert mark_read(cast.caseworker_a, Notification, [mine.pk, theirs.pk]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert mark_read(cast.caseworker_a, Notification) == 0


def test_the_same_verb_resolves_alerts():
    supervision = build_cast()
    case = open_case(supervision, officer=supervision.officer)
    record_check_in(supervision.officer, case.check_ins.order_by("due_on").first(), status=CheckInStatus.MISSED)
    assert mark_read(supervision.officer, Alert) == 1
    assert not Alert.objects.filter(user=supervision.officer, read_at__isnull=True).exists()
    assert Alert.objects.filter(user=supervision.supervisor, read_at__isnull=True).count() == 1


def test_a_notice_is_announced_on_the_users_socket_group_after_commit(cast, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"user.{cast.caseworker_a.pk}", channel)
    with django_capture_on_commit_callbacks(execute=True):
        announce(cast.caseworker_a.pk, "alert.new", alert=7)
    assert async_to_sync(layer.receive)(channel) == {"type": "alert.new", "alert": 7}
