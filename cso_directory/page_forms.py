"""Admin forms of the directory's pages, apart from cso_directory.admin_forms because the models use them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from cso_directory.access import can_change_organisation_kind


class OrganisationPageForm(WagtailAdminPageForm):
    """An organisation's page: only its country's coordinators say what kind it is (CSO, prison...).

    For anyone else the field is disabled, so a posted kind is ignored and the saved one kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.instance.country or self.parent_page.specific.country
        if "kind" in self.fields and not can_change_organisation_kind(self.for_user, country):
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("Only the national coordinators change the kind of an organisation.")
