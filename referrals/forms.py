"""Forms of the staff workspace. They validate input only; the verbs in actions.py do the writing."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cso_directory.models import Language, OrganisationKind, Region, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.foundation.forms import model_choice_field, order_choices_by_name
from referrals.access import clients_visible_to, prisons_of
from referrals.models import (
    REFERABLE_KINDS,
    Client,
    ConsentMethod,
    DeclineReason,
    Need,
    Outcome,
    Priority,
    Referral,
    ReferralVerb,
    Sex,
    text_limit,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE_INPUT = forms.Textarea(attrs={"rows": 3})

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TOO_LARGE = _("The file is larger than 5 MB.")
# The first bytes of each accepted evidence format, and the extension the stored file gets.
EVIDENCE_SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
EVIDENCE_EXTENSIONS = {"pdf", "png", "jpg", "jpeg"}
SHAREABLE_KINDS = [(kind.value, kind.label) for kind in REFERABLE_KINDS]


def pathways():
    return TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID).order_by("name")


class ClientForm(forms.ModelForm):
    """A new client. `create_client` checks permission and duplicates; this checks the input."""

    class Meta:
        model = Client
        fields = [
            "prison",
            "first_name",
            "last_name",
            "other_names",
            "sex",
            "birth_date",
            "expected_release_date",
            "region_of_return",
            "languages",
            "contact_route",
            "mother",
            "risk_notes",
        ]
        widgets = {
            "birth_date": DATE_INPUT,
            "expected_release_date": DATE_INPUT,
            "languages": forms.CheckboxSelectMultiple,
            "contact_route": NOTE_INPUT,
            "risk_notes": NOTE_INPUT,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prisons = prisons_of(user)
        model_choice_field(self, "prison").queryset = prisons
        model_choice_field(self, "prison").empty_label = None
        model_choice_field(self, "region_of_return").queryset = Region.objects.filter(
            country__in=prisons.values("country")
        )
        order_choices_by_name(model_choice_field(self, "region_of_return"))
        model_choice_field(self, "mother").queryset = clients_visible_to(user).filter(sex=Sex.FEMALE)
        model_choice_field(self, "languages").queryset = Language.objects.all()

    def offer_confirmation(self) -> None:
        """After possible duplicates were found: let the user say this is someone else."""
        self.fields["confirmed_new"] = forms.BooleanField(label=_("This is a different person"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        prison, region = cleaned.get("prison"), cleaned.get("region_of_return")
        if prison and region and region.country != prison.country:
            self.add_error("region_of_return", _("Choose a region of the prison's country."))
        return cleaned


class NeedForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Pathway"), queryset=TaxonomyTerm.objects.none())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    details = forms.CharField(
        label=_("Details"), required=False, widget=NOTE_INPUT, max_length=text_limit(Need, "details")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_need_%s")
        super().__init__(*args, **kwargs)
        model_choice_field(self, "category").queryset = pathways()
        order_choices_by_name(model_choice_field(self, "category"))


def evidence_extension(upload) -> str:
    """The file's real type from its first bytes; refuses anything but PDF, PNG and JPEG."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(EVIDENCE_TOO_LARGE, code="too_large")
    head = upload.read(16)
    upload.seek(0)
    extension = next((ext for signature, ext in EVIDENCE_SIGNATURES.items() if head.startswith(signature)), None)
    claimed = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension is None or claimed not in EVIDENCE_EXTENSIONS:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."), code="bad_type")
    return extension


class ConsentForm(forms.Form):
    share_basic_profile = forms.BooleanField(
        label=_("Basic profile (first name, sex, age band, languages)"), required=False, initial=True
    )
    share_contact_route = forms.BooleanField(label=_("How to reach the person"), required=False)
    share_needs_details = forms.BooleanField(label=_("Details of the needs"), required=False)
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation it may be shared with"),
        choices=SHAREABLE_KINDS,
        widget=forms.CheckboxSelectMultiple,
        initial=[OrganisationKind.CSO],
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("How it was obtained"), choices=ConsentMethod.choices)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Optional: a scan or photo of the signed form. PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        # A fresh name: an uploaded file's own name may carry the person's name.
        upload.name = f"{uuid.uuid4().hex}.{evidence_extension(upload)}"
        return upload


class ReferralForm(forms.Form):
    """Send a referral: the need previewed, a note, and where allowed an override or the children."""

    need = forms.ModelChoiceField(queryset=Need.objects.none(), required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the service"),
        required=False,
        max_length=text_limit(Referral, "note"),
        widget=NOTE_INPUT,
        help_text=_("The service reads this note. Write nothing about offences or risks."),
    )

    def __init__(self, *args, client, children=None, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "need").queryset = client.needs.all()
        if may_override:
            self.fields["override_reason"] = step_field("override_reason")
        if children is not None and children.exists():
            self.fields["children"] = forms.ModelMultipleChoiceField(
                label=_("Refer her children together with her"),
                queryset=children,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )


class NeedPreviewForm(forms.Form):
    """The GET form on the referral page: which need the preview shows."""

    need = forms.ModelChoiceField(label=_("Need this referral is for"), queryset=Need.objects.none(), required=False)

    def __init__(self, *args, client, **kwargs):
        kwargs.setdefault("auto_id", "id_preview_%s")  # the send form on the same page has a `need` too
        super().__init__(*args, **kwargs)
        model_choice_field(self, "need").queryset = client.needs.select_related("category")
        model_choice_field(self, "need").empty_label = _("No specific need")


def step_field(name: str) -> forms.Field:
    """The form field of a field a referral step takes (see `ReferralVerb.fields`)."""
    match name:
        case "note":
            limit = text_limit(Referral, "response_note")
            return forms.CharField(label=_("Note"), required=False, widget=NOTE_INPUT, max_length=limit)
        case "reason":
            return forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
        case "outcome":
            return forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
        case "override_reason":
            return forms.CharField(
                label=_("Send without consent, for this reason"),
                required=False,
                max_length=text_limit(Referral, "consent_override_reason"),
                widget=NOTE_INPUT,
                help_text=_("Only where the law permits it. The reason is recorded and audited."),
            )
    raise ValueError(f"No form field for the step field {name!r}.")


class TransitionForm(forms.Form):
    """One step of a referral, with the fields its declaration names. `expected_version` makes a
    stale form fail with a conflict."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, verb: ReferralVerb, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"id_{verb.name}_%s")  # several step forms share one page
        super().__init__(*args, **kwargs)
        self.verb = verb.name
        self.submit_label = verb.label
        for name in verb.fields:
            self.fields[name] = step_field(name)
