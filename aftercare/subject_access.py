"""Everything held about one client, for a subject-access request: one ZIP of `client.json` and
the consent evidence files (under `evidence/`).

Every concrete field of every record is exported as stored, so a field added to a model is
exported without anyone remembering to (tests/aftercare/test_subject_access.py checks it).
The caller checked the user may export it: `referrals.access.get_client_for_subject_access`.
"""

import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse

from aftercare.models import SupervisionCase
from referrals.access import access_log_of
from referrals.models import Client


def record(instance: Model, **related: Any) -> dict[str, Any]:
    """Every concrete field of `instance` as stored (files by their name), plus `related`."""
    values = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        values[field.attname] = value.name if isinstance(value, FieldFile) else value
    return values | related


def supervision_case_of(client: Client) -> dict[str, Any] | None:
    case = SupervisionCase.objects.filter(client=client).first()
    if case is None:
        return None
    goals = [record(goal, reviews=[record(review) for review in goal.reviews.all()]) for goal in case.goals.all()]
    return record(case, goals=goals, check_ins=[record(check_in) for check_in in case.check_ins.all()])


def everything_held_about(client: Client) -> dict[str, Any]:
    referrals = client.referrals.prefetch_related("events")
    return {
        "client": record(client, languages=[language.code for language in client.languages.all()]),
        "consents": [record(consent) for consent in client.consents.all()],
        "needs": [record(need) for need in client.needs.all()],
        "referrals": [record(referral, events=[record(e) for e in referral.events.all()]) for referral in referrals],
        "supervision_case": supervision_case_of(client),
        "case_notes": [record(note) for note in client.case_notes.order_by("sequence")],
        "access_log": [record(event) for event in access_log_of(client).order_by("at", "id")],
    }


def subject_access_archive(client: Client) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = everything_held_about(client)
        archive.writestr("client.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for consent in client.consents.exclude(evidence=""):
            with consent.evidence.open("rb") as evidence:
                archive.writestr(f"evidence/{consent.evidence.name}", evidence.read())
    return buffer.getvalue()


def subject_access_response(client: Client) -> HttpResponse:
    """The archive as a download: the page and the API send the same."""
    response = HttpResponse(subject_access_archive(client), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{client.reference}.zip"'
    return response
