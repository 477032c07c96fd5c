"""Forms of the coordinators' member management in the Wagtail admin.

Wagtail passes the signed-in user as `for_user`; the organisations offered and the users that
may be invited follow from it (cso_directory.access).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cso_directory.access import can_manage_user, organisations_managed_by
from cso_directory.models import Capacity, Membership, OrganisationPage


class MembershipForm(WagtailAdminModelForm):
    """The organisation and role of a member; only organisations of the coordinator's countries are offered."""

    # Declared to get a plain select of the allowed organisations, not Wagtail's page chooser.
    organisation = forms.ModelChoiceField(queryset=OrganisationPage.objects.none(), label=_("organisation"))

    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_managed_by(self.for_user)

    def member(self):
        return self.instance.user if self.instance.user_id else None

    def clean(self):
        cleaned_data = super().clean()
        member = self.member()
        organisation = cleaned_data.get("organisation")
        role = cleaned_data.get("role")
        if member is not None and organisation is not None and role:
            duplicates = Membership.objects.filter(user=member, organisation=organisation, role=role)
            if duplicates.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    None,
                    _("%(username)s already has this role in this organisation.") % {"username": member.get_username()},
                )
        return cleaned_data


class MemberInvitationForm(MembershipForm):
    """A membership for a user named by username; a new username creates the user."""

    username = forms.CharField(label=_("username"), max_length=150, validators=[UnicodeUsernameValidator()])
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("email"),
        required=False,
        help_text=_(
            "Required for a new user, who is sent a link to choose a password. "
            "The name and email of an existing user are not changed."
        ),
    )
    field_order = ["username", "first_name", "last_name", "email", "organisation", "role"]

    existing_user = None

    def clean_username(self):
        username = self.cleaned_data["username"]
        self.existing_user = get_user_model().objects.filter(username=username).first()
        if self.existing_user is not None and not can_manage_user(self.for_user, self.existing_user):
            raise forms.ValidationError(
                _("The user %(username)s is managed outside your country, so you cannot add them here."),
                code="other_country",
                params={"username": username},
            )
        return username

    def clean(self):
        cleaned_data = super().clean()
        is_new_user = self.existing_user is None and "username" in cleaned_data
        if is_new_user and not cleaned_data.get("email"):
            self.add_error("email", _("A new user needs an email address to choose a password."))
        return cleaned_data

    def member(self):
        return self.existing_user


class ServiceCapacityForm(forms.Form):
    """Whether a service takes referrals now; saved at once, without approval."""

    capacity = forms.ChoiceField(label=_("capacity"), choices=Capacity.choices, widget=forms.RadioSelect)
