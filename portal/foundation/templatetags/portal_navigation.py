from django import template

from portal.foundation import navigation

register = template.Library()


@register.inclusion_tag("portal/includes/links.html")
def links_to(place: str, *args):
    """The links the wiring registered for `place`, e.g. from a client's page to their case notes."""
    return {"links": navigation.links_to(place, *args)}
