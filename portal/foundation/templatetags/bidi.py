"""`{{ value|isolated }}`: user-entered text set apart in a <bdi> (portal.foundation.bidi); also for
values put into a translated sentence (`{% blocktranslate with name=token.name|isolated %}`)."""

from django import template

from portal.foundation import bidi

register = template.Library()
register.filter("isolated", bidi.isolated)
