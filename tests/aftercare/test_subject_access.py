"""Subject access: everything held about one client, in one ZIP (JSON and the consent evidence
files), for the national coordinators of the client's country only; audited; 404 for anyone else."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client as HttpClient
from django.utils import timezone

from aftercare.actions import add_case_note, add_goal
from aftercare.models import CaseNote, CheckIn, Goal, GoalReview, SupervisionCase
from cso_directory.actions import add_membership
from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from referrals.actions import create_referral, record_consent, send_referral, set_need
from referrals.models import Client, Consent, Need, Priority, Referral, ReferralEvent
from tests.aftercare.supervision_cast import build_cast, make_user, open_case
from tests.factories import make_organisation, pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")
NOTE = "Lives with her aunt; SUBJECT-ACCESS-NOTE."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


@pytest.fixture
def coordinators(cast):
    kz_office = make_organisation("KZ", title="Kazakhstan coordination office", kind="coordination")
    iq_office = make_organisation("IQ", title="Iraq coordination office", kind="coordination")
    kz = make_user("kz-coordinator")
    add_membership(kz, kz_office, Role.NATIONAL_COORDINATOR)
    iq = make_user("iq-coordinator")
    add_membership(iq, iq_office, Role.NATIONAL_COORDINATOR)
    return kz, iq


@pytest.fixture
def held(cast, tmp_path, monkeypatch):
    """A client with something of every kind held about them."""
    monkeypatch.setattr(Consent._meta.get_field("evidence"), "storage", FileSystemStorage(location=tmp_path))
    case = open_case(cast, first_name="Subjecta", officer=cast.officer)
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
    send_referral(cast.officer, create_referral(cast.officer, client, cast.service, need=need, note=NOTE))
    add_goal(cast.officer, case, pathway=pathway("education"), description=NOTE, need=need)
    add_case_note(cast.officer, client, body=NOTE)
    return client


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def export_of(response) -> dict:
    return json.loads(archive(response).read("client.json"))


def fields_of(model: type[models.Model]) -> set[str]:
    return {field.attname for field in model._meta.concrete_fields}


@pytest.mark.parametrize("path", ["/clients/{pk}/subject-access/", "/api/clients/{pk}/subject-access"])
def test_the_export_holds_every_field_of_every_record_about_the_client(coordinators, held, path):
    data = export_of(signed_in(coordinators[0]).get(path.format(pk=held.pk)))

    assert set(data["client"]) == fields_of(Client) | {"languages"}
    assert data["client"]["first_name"] == "Subjecta"
    for key, model in [
        ("consents", Consent),
        ("needs", Need),
        ("referrals", Referral),
        ("case_notes", CaseNote),
        ("access_log", AuditEvent),
    ]:
        assert data[key], key
        assert set(data[key][0]) >= fields_of(model), key
    assert set(data["referrals"][0]["events"][0]) == fields_of(ReferralEvent)
    assert set(data["supervision_case"]) >= fields_of(SupervisionCase)
    assert set(data["supervision_case"]["goals"][0]) >= fields_of(Goal)
    assert set(data["supervision_case"]["goals"][0]["reviews"][0]) == fields_of(GoalReview)
    assert set(data["supervision_case"]["check_ins"][0]) == fields_of(CheckIn)
    assert data["case_notes"][0]["body"] == NOTE


def test_the_consent_evidence_files_are_in_the_archive(coordinators, held):
    files = archive(signed_in(coordinators[0]).get(f"/clients/{held.pk}/subject-access/"))
    consent = Consent.objects.get(client=held)

    assert files.read(f"evidence/{consent.evidence.name}") == PNG


def test_the_export_is_audited_and_in_its_own_access_log(coordinators, held):
    data = export_of(signed_in(coordinators[0]).get(f"/api/clients/{held.pk}/subject-access"))

    event = AuditEvent.objects.get(action="client.subject_access_export", actor=coordinators[0])
    assert event.object_id == str(held.pk)
    assert "client.subject_access_export" in [row["action"] for row in data["access_log"]]


@pytest.mark.parametrize("who", ["iq_coordinator", "supervisor", "officer", "social_worker", "caseworker", "outsider"])
def test_everyone_else_gets_404_and_the_attempt_is_audited(coordinators, cast, held, who):
    user = coordinators[1] if who == "iq_coordinator" else getattr(cast, who)

    page = signed_in(user).get(f"/clients/{held.pk}/subject-access/")
    api = signed_in(user).get(f"/api/clients/{held.pk}/subject-access")

    assert (page.status_code, api.status_code) == (404, 404)
    assert AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED, object_id=str(held.pk)).count() == 2


def test_coordinators_find_the_download_on_the_access_log_page_supervisors_do_not(coordinators, cast, held):
    link = f'href="/clients/{held.pk}/subject-access/"'

    assert link in signed_in(coordinators[0]).get(f"/clients/{held.pk}/access-log/").content.decode()
    assert link not in signed_in(cast.supervisor).get(f"/clients/{held.pk}/access-log/").content.decode()
