"""Admin forms of the directory's pages, apart from cso_directory.admin_forms because the models use them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from cso_directory.access import can_change_organisation_kind
from portal.foundation.forms import order_choices_by_name


class ListingPageForm(WagtailAdminPageForm):
    """An organisation's or a service's page, with its translations: none into its original language. Its
    regions, categories and languages are offered by name in the editor's alphabet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                order_choices_by_name(field)

    def clean(self):
        cleaned_data = super().clean()
        original = cleaned_data.get("original_language")
        translations = self.formsets.get("translations")
        if original and translations is not None and translations.is_valid():
            for form in translations.forms:
                if form not in translations.deleted_forms and form.cleaned_data.get("language") == original:
                    form.add_error("language", _("This is the page's original language: choose another one."))
        return cleaned_data


class OrganisationPageForm(ListingPageForm):
    """An organisation's page: only its country's coordinators say what kind it is (CSO, prison...).

    For anyone else the field is disabled, so a posted kind is ignored and the saved one kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.instance.country or self.parent_page.specific.country
        if "kind" in self.fields and not can_change_organisation_kind(self.for_user, country):
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("Only the national coordinators change the kind of an organisation.")
