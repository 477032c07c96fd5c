from django import template

from accounts.languages import switcher_languages

register = template.Library()


@register.simple_tag
def portal_languages() -> list[tuple[str, str]]:
    """The languages the switcher offers, each in its own name."""
    return switcher_languages()
