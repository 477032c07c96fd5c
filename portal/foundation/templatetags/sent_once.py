"""`{% form_key %}` in a form whose view is `sent_once`: a hidden field with a fresh key each time the
form is shown, so the same form sent twice writes once (portal.foundation.idempotency)."""

import uuid

from django import template
from django.utils.html import format_html

from portal.foundation.idempotency import FORM_KEY

register = template.Library()


@register.simple_tag
def form_key() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_KEY, uuid.uuid4())
