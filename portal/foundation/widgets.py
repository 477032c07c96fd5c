"""Form widgets shared by the apps' forms and filters."""

import django_filters
from django.utils.translation import gettext_lazy as _


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """Two date inputs, each with its own visible label; the field's label is their legend.

    Found by Django's form renderer in this app's templates (the project's templates/ folder is
    not on its path).
    """

    template_name = "portal/widgets/date_range.html"
    bound_labels = (_("From"), _("To"))

    def __init__(self, attrs=None):
        super().__init__({"type": "date", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.bound_labels, strict=True):
            subwidget["label"] = label
        return context
