"""Retention: `manage.py apply_retention` erases what is held about clients whose case closed
longer ago than their country keeps records, keeping only what the indicators count."""

import datetime
import io
import uuid

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from aftercare.actions import add_case_note, add_goal
from aftercare.models import CaseNote, Goal, SupervisionCase
from portal.foundation.models import AuditEvent, IdempotentRequest
from referrals.actions import create_referral, record_consent, send_referral, set_need, take_referral_step
from referrals.models import Client, Consent, Need, Priority, Referral, ReferralEvent, ReferralStatus
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")
NAME = "Retentionkanary"
NOTE = "Stays with her aunt in Almaty; CANARY-NOTE-9d1e."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def retention_periods(settings):
    settings.RETENTION_YEARS_AFTER_CLOSE = {"KZ": 5}
    settings.RETENTION_YEARS_DEFAULT = 10


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(Consent._meta.get_field("evidence"), "storage", storage)
    return storage


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def client_with_a_history(cast, first_name: str, *, closed_on: datetime.date | None, finish_referral=True) -> Client:
    """A client with a need, consent with evidence, a referral, a goal and a note, whose case closed on `closed_on`."""
    case = open_case(cast, first_name=first_name, last_name=NAME, risk_notes=NOTE, contact_route=NOTE)
    client = case.client
    need = set_need(cast.social_worker, client, category=pathway("education"), priority=Priority.HIGH, details=NOTE)
    record_consent(
        cast.social_worker,
        client,
        given_on=timezone.localdate(),
        method="signed_form",
        organisation_kinds=["cso"],
        evidence=SimpleUploadedFile("form.png", PNG, "image/png"),
    )
    referral = send_referral(cast.officer, create_referral(cast.officer, client, cast.service, need=need, note=NOTE))
    if finish_referral:
        steps = (("accept", {"note": NOTE}), ("start", {}), ("complete", {"outcome": "achieved", "note": NOTE}))
        for step, fields in steps:
            referral = take_referral_step(cast.caseworker, referral, step, **fields)
    add_goal(cast.officer, case, pathway=pathway("education"), description=NOTE, need=need)
    add_case_note(cast.officer, client, body=NOTE)
    SupervisionCase.objects.filter(pk=case.pk).update(closed_on=closed_on)
    return Client.objects.get(pk=client.pk)


@pytest.fixture
def apply_retention(django_capture_on_commit_callbacks):
    """Run the command; what it does after commit (deleting files) runs too."""

    def run(*args: str) -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_retention", *args, stdout=out)
        return out.getvalue()

    return run


def test_a_client_past_the_period_is_erased_with_notes_needs_consent_and_files(cast, storage, apply_retention):
    client = client_with_a_history(cast, "Erasable", closed_on=years_ago(5, days=1))
    evidence = Consent.objects.get(client=client).evidence.name
    assert storage.exists(evidence)

    output = apply_retention()

    erased = Client.objects.get(pk=client.pk)
    assert (erased.first_name, erased.last_name, erased.other_names, erased.name_key) == ("", "", "", "")
    assert erased.name_search == ""
    assert (erased.risk_notes, erased.contact_route) == ("", "")
    assert erased.birth_date == datetime.date(client.birth_date.year, 1, 1)
    assert (erased.country, erased.sex, erased.reference) == (client.country, client.sex, client.reference)
    assert not CaseNote.objects.filter(client=client).exists()
    assert not Need.objects.filter(client=client).exists()
    assert not Consent.objects.filter(client=client).exists()
    assert not storage.exists(evidence)
    referral = Referral.objects.get(client=client)
    assert (referral.status, referral.outcome) == (ReferralStatus.COMPLETED, "achieved")
    assert NOTE not in str([referral.note, referral.response_note, referral.outcome_note, referral.disclosed])
    assert not ReferralEvent.objects.filter(referral=referral).exclude(note="").exists()
    assert Goal.objects.get(case__client=client).description == ""
    case = SupervisionCase.objects.get(client=client)
    assert (case.handover_note, case.handover_summary) == ("", {})
    assert client.reference in output


def test_each_erasure_is_audited_once_without_names(cast, storage, apply_retention):
    client = client_with_a_history(cast, "Erasable", closed_on=years_ago(6))

    apply_retention()
    apply_retention()

    event = AuditEvent.objects.get(action="client.erase")
    assert event.object_id == str(client.pk)
    assert event.channel == "command"
    assert NAME not in str(event.detail)
    assert "Erasable" not in str(event.detail)


def test_clients_within_the_period_or_with_an_open_referral_or_case_are_untouched(cast, storage, apply_retention):
    recent = client_with_a_history(cast, "Recent", closed_on=years_ago(4))
    pending = client_with_a_history(cast, "Pending", closed_on=years_ago(6), finish_referral=False)
    still_open = client_with_a_history(cast, "Open", closed_on=None)

    apply_retention()

    for client in (recent, pending, still_open):
        assert Client.objects.get(pk=client.pk).last_name == NAME
        assert CaseNote.objects.filter(client=client, body=NOTE).exists()
        assert storage.exists(Consent.objects.get(client=client).evidence.name)
    assert not AuditEvent.objects.filter(action="client.erase").exists()


def test_a_country_without_its_own_period_keeps_records_for_the_default(cast, storage, settings, apply_retention):
    settings.RETENTION_YEARS_AFTER_CLOSE = {"IQ": 1}
    client = client_with_a_history(cast, "Defaulted", closed_on=years_ago(6))

    apply_retention()

    assert Client.objects.get(pk=client.pk).last_name == NAME


def test_a_dry_run_lists_who_would_be_erased_and_changes_nothing(cast, storage, apply_retention):
    client = client_with_a_history(cast, "Erasable", closed_on=years_ago(6))

    output = apply_retention("--dry-run")

    assert client.reference in output
    assert NAME not in output
    assert Client.objects.get(pk=client.pk).last_name == NAME
    assert CaseNote.objects.filter(client=client).exists()
    assert storage.exists(Consent.objects.get(client=client).evidence.name)
    assert not AuditEvent.objects.filter(action="client.erase").exists()


def test_answers_kept_for_idempotency_keys_are_deleted_once_past_their_days(cast, apply_retention, settings):
    settings.IDEMPOTENCY_KEY_DAYS = 7
    answer = {"id": "c0ffee", "first_name": NAME}

    def stored(days_ago: int) -> IdempotentRequest:
        kept = IdempotentRequest.objects.create(
            user=cast.officer, key=uuid.uuid4(), operation="POST /clients", fingerprint="f", status=201, answer=answer
        )
        IdempotentRequest.objects.filter(pk=kept.pk).update(created_at=timezone.now() - datetime.timedelta(days_ago))
        return kept

    old, recent = stored(days_ago=8), stored(days_ago=6)

    output = apply_retention()

    assert not IdempotentRequest.objects.filter(pk=old.pk).exists()
    assert IdempotentRequest.objects.filter(pk=recent.pk).exists()
    assert "Deleted 1 answers kept for idempotency keys." in output
