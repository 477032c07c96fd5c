"""Forms of the supervision workspace. They validate input only; the verbs in actions.py do the writing."""

import uuid
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftercare.actions import limit_message, text_limit
from aftercare.models import (
    CaseNote,
    CheckIn,
    CheckInStatus,
    Goal,
    GoalReview,
    GoalStatus,
    NoteVisibility,
    SupervisionCase,
)
from cso_directory.models import OrganisationKind, OrganisationPage
from portal.foundation.forms import model_choice_field, order_choices_by_name
from portal.foundation.roles import Role
from referrals.forms import pathways
from referrals.models import Client, Outcome

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE_INPUT = forms.Textarea(attrs={"rows": 3})
RECORDED_STATUSES = [
    (status.value, status.label) for status in (CheckInStatus.ATTENDED, CheckInStatus.MISSED, CheckInStatus.RESCHEDULED)
]


def probation_offices_of_country(country: str):
    return OrganisationPage.objects.live().filter(kind=OrganisationKind.PROBATION, country=country).order_by("title")


def officers_of(office_ids):
    """Users who are probation officers in one of the given offices."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__organisation__in=office_ids, memberships__role=Role.PROBATION_OFFICER
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class NamedLimitsMixin(forms.BaseForm):
    """A text over its limit is refused with a message naming the field and the limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is not None:
                field.error_messages["max_length"] = limit_message(field.label, field.max_length)


class OfficerLabelMixin:
    """Officers listed by name, falling back to the user name."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class OfficerChoiceField(OfficerLabelMixin, forms.ModelChoiceField):
    pass


class HandoverForm(NamedLimitsMixin, forms.Form):
    probation_office = forms.ModelChoiceField(label=_("Probation office"), queryset=OrganisationPage.objects.none())
    release_date = forms.DateField(label=_("Release date"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note to the probation office"),
        required=False,
        max_length=text_limit(SupervisionCase, "handover_note"),
        widget=NOTE_INPUT,
        help_text=_("What the probation officer should know on the first day."),
    )

    def __init__(self, *args, client: Client, **kwargs):
        kwargs.setdefault("initial", {"release_date": client.expected_release_date})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["probation_office"]).queryset = probation_offices_of_country(
            client.country
        )


class AssignOfficerForm(forms.Form):
    officer = OfficerChoiceField(label=_("Probation officer"), queryset=get_user_model().objects.none())

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = officers_of([office_id])


class GoalForm(NamedLimitsMixin, forms.ModelForm):
    """A goal on a pathway, answering one of the client's needs if the officer says which."""

    class Meta:
        model = Goal
        fields = ["pathway", "need", "description", "target_date"]
        widgets = {"description": NOTE_INPUT, "target_date": DATE_INPUT}

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pathway"]).queryset = pathways()
        order_choices_by_name(model_choice_field(self, "pathway"))
        cast(forms.ModelChoiceField, self.fields["need"]).queryset = client.needs.select_related("category")


class GoalReviewForm(NamedLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    achievement = forms.ChoiceField(
        label=_("Achievement"), choices=[("", _("Not assessed yet")), *Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=text_limit(GoalReview, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def check_in_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=text_limit(CheckIn, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckInForm(NamedLimitsMixin, forms.Form):
    due_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = check_in_note_field()


class RecordCheckInForm(NamedLimitsMixin, forms.Form):
    """Attended, missed or rescheduled: one submit button per outcome, a new date for rescheduling."""

    status = forms.ChoiceField(label=_("Outcome"), choices=RECORDED_STATUSES)
    rescheduled_to = forms.DateField(label=_("New date (if rescheduled)"), required=False, widget=DATE_INPUT)
    note = check_in_note_field()

    @property
    def detail_fields(self):
        """The fields typed in; the outcome comes from the button pressed."""
        return [self["rescheduled_to"], self["note"]]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("status") == CheckInStatus.RESCHEDULED and not cleaned.get("rescheduled_to"):
            self.add_error("rescheduled_to", _("Choose the new date."))
        if cleaned.get("status") != CheckInStatus.RESCHEDULED:
            cleaned["rescheduled_to"] = None
        return cleaned


class NoteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Note %(sequence)d by %(author)s") % {
            "sequence": obj.sequence,
            "author": obj.author.get_full_name() or obj.author.get_username(),
        }


class CaseNoteForm(NamedLimitsMixin, forms.Form):
    """A new note, or an amendment of one the user can see. The key makes a resubmitted form add nothing."""

    body = forms.CharField(
        label=_("Note"), max_length=text_limit(CaseNote, "body"), widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=NoteVisibility.choices, initial=NoteVisibility.TEAM, widget=forms.RadioSelect
    )
    amends = NoteChoiceField(
        label=_("Amends"),
        required=False,
        queryset=CaseNote.objects.none(),
        empty_label=_("Nothing: this is a new note"),
        help_text=_("Notes are never edited: to correct one, add a note that amends it. Both stay visible."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, notes, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)
        model_choice_field(self, "amends").queryset = notes.select_related("author").order_by("-sequence")

    def offer_to_amend(self, notes) -> None:
        """List only these notes as choices when the form is shown (a client may have thousands);
        a submitted form was already checked against every note the user can see."""
        model_choice_field(self, "amends").queryset = notes.select_related("author").order_by("-sequence")
