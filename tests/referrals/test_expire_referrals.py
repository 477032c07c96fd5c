"""`manage.py expire_referrals`: sent referrals nobody answered in time expire, and their referrer hears of it."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from referrals.deadlines import add_working_days, response_due
from referrals.models import Notification, Referral, ReferralEvent, ReferralStatus
from tests.factories import make_service
from tests.referrals.api_cast import build_cast, referral_in
from tests.shared_casts import shared_fixture

THURSDAY = datetime.date(2026, 1, 1)
FRIDAY = datetime.date(2026, 1, 2)
WEDNESDAY = datetime.date(2026, 1, 7)


cast = shared_fixture(build_cast, name="cast")


def due_on(referral: Referral, day: datetime.date) -> Referral:
    # Sending stamps today's deadline; moving it is how a test lets days pass.
    Referral.objects.filter(pk=referral.pk).update(response_due=day)
    return referral


def expire_referrals(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_referrals", stdout=out)
    return out.getvalue()


def test_a_referral_unanswered_past_the_grace_days_expires_and_its_referrer_is_told(
    cast, django_capture_on_commit_callbacks
):
    overdue = due_on(referral_in(cast, ReferralStatus.SENT), datetime.date(2020, 1, 6))

    output = expire_referrals(django_capture_on_commit_callbacks)

    assert output == "Expired 1 referral(s).\nAnnounced 0 overdue referral(s).\n"
    expired = Referral.objects.get(pk=overdue.pk)
    assert (expired.status, expired.version) == (ReferralStatus.EXPIRED, overdue.version + 1)
    assert ReferralEvent.objects.filter(referral=overdue, verb="expire", actor=None).count() == 1
    assert Notification.objects.filter(user=cast.social_worker, referral=overdue, verb="expire").count() == 1
    [email] = mail.outbox
    assert email.to == [cast.social_worker.email]
    assert email.subject == "Referral to Literacy classes expired without an answer"
    assert cast.client.last_name not in email.subject + email.body


def test_answered_and_not_yet_due_referrals_are_left_alone(cast, django_capture_on_commit_callbacks):
    long_ago = datetime.date(2020, 1, 6)
    answered = due_on(referral_in(cast, ReferralStatus.ACCEPTED), long_ago)
    # Each to another service: a second open referral of the client to one service is refused.
    draft = referral_in(cast, ReferralStatus.DRAFT, make_service(cast.service.organisation, title="Welding"))
    due_today = due_on(
        referral_in(cast, ReferralStatus.SENT, make_service(cast.service.organisation, title="Cooking")),
        timezone.localdate(),
    )

    output = expire_referrals(django_capture_on_commit_callbacks)

    assert output == "Expired 0 referral(s).\nAnnounced 0 overdue referral(s).\n"
    statuses = dict(Referral.objects.values_list("pk", "status"))
    assert statuses == {
        answered.pk: ReferralStatus.ACCEPTED,
        draft.pk: ReferralStatus.DRAFT,
        due_today.pk: ReferralStatus.SENT,
    }
    assert not Notification.objects.filter(verb="expire").exists()
    assert mail.outbox == []


def test_running_twice_expires_once(cast, django_capture_on_commit_callbacks):
    due_on(referral_in(cast, ReferralStatus.SENT), datetime.date(2020, 1, 6))

    first = expire_referrals(django_capture_on_commit_callbacks)
    second = expire_referrals(django_capture_on_commit_callbacks)

    assert first.startswith("Expired 1 referral(s).\n")
    assert second.startswith("Expired 0 referral(s).\n")
    assert len(mail.outbox) == 1


def test_a_referral_just_past_its_deadline_is_announced_overdue_once_not_expired(
    cast, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = due_on(referral_in(cast, ReferralStatus.SENT), yesterday)

    first = expire_referrals(django_capture_on_commit_callbacks)
    second = expire_referrals(django_capture_on_commit_callbacks)

    assert first == "Expired 0 referral(s).\nAnnounced 1 overdue referral(s).\n"
    assert second == "Expired 0 referral(s).\nAnnounced 0 overdue referral(s).\n"
    assert Referral.objects.get(pk=overdue.pk).status == ReferralStatus.SENT
    told = set(Notification.objects.filter(referral=overdue, verb="overdue").values_list("user", flat=True))
    assert cast.social_worker.pk in told
    assert told - {cast.social_worker.pk}, "the receiving caseworkers are told too"
    assert all("Answer overdue" in email.subject for email in mail.outbox)


def test_with_no_grace_days_a_referral_expires_the_day_after_its_deadline(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_EXPIRY_GRACE_WORKING_DAYS = {"KZ": 0}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = due_on(referral_in(cast, ReferralStatus.SENT), yesterday)

    output = expire_referrals(django_capture_on_commit_callbacks)

    assert output == "Expired 1 referral(s).\nAnnounced 0 overdue referral(s).\n"
    assert Referral.objects.get(pk=overdue.pk).status == ReferralStatus.EXPIRED


def test_a_sent_referral_is_due_five_working_days_later(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    assert referral.response_due == add_working_days(timezone.localdate(), 5, "KZ")


@pytest.mark.parametrize(
    ("country", "start", "days", "due"),
    [
        ("IQ", THURSDAY, 1, datetime.date(2026, 1, 4)),  # Iraq rests on Friday and Saturday: Sunday
        ("KZ", THURSDAY, 1, FRIDAY),
        ("IQ", WEDNESDAY, 2, datetime.date(2026, 1, 11)),  # Thursday, then Sunday
        ("KZ", WEDNESDAY, 2, datetime.date(2026, 1, 9)),  # Thursday, Friday
        ("TJ", FRIDAY, 1, datetime.date(2026, 1, 5)),  # Central Asia rests on Saturday and Sunday
        ("IQ", FRIDAY, 1, datetime.date(2026, 1, 4)),  # sent on a rest day: the first working day after
        ("IQ", THURSDAY, 5, datetime.date(2026, 1, 8)),  # Sun, Mon, Tue, Wed, Thu
        ("KG", WEDNESDAY, 5, datetime.date(2026, 1, 14)),
    ],
)
def test_working_days_skip_each_countrys_weekend(country, start, days, due):
    assert add_working_days(start, days, country) == due


def test_each_country_may_set_its_own_number_of_working_days(settings):
    settings.REFERRAL_RESPONSE_WORKING_DAYS = {"IQ": 2}

    assert response_due(WEDNESDAY, "IQ") == datetime.date(2026, 1, 11)
    assert response_due(WEDNESDAY, "KZ") == datetime.date(2026, 1, 14)  # the default five
