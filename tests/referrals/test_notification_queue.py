"""Notification emails as background jobs: queued in PostgreSQL, sent by the worker process."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from referrals.models import Notification
from tests.referrals.conftest import sent_referral

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes its database connection after each job, as a separate process would:
# the data must be committed, so this test is transactional.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_sending_a_referral_queues_the_email_and_the_worker_sends_it(cast, canary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = sent_referral(cast, canary)

    notice = Notification.objects.get(referral=referral, verb="send")
    assert notice.user == cast.caseworker_a
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert [message.to for message in mail.outbox] == [["caseworker-a@example.org"]]
    assert "Literacy classes" in mail.outbox[0].subject
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert canary.last_name not in body and canary.first_name not in body


@override_settings(TASKS=DATABASE_QUEUE)
def test_nothing_is_queued_when_the_write_rolls_back(cast, canary, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            sent_referral(cast, canary)
            raise RuntimeError("the request failed after sending")
    assert callbacks == []
    assert DBTaskResult.objects.count() == 0
    assert Notification.objects.count() == 0
