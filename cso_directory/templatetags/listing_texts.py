from django import template

register = template.Library()


@register.filter
def in_language(listing, language: str):
    """A listing's texts in `language` where translated, else in its original language (`ShownTexts`)."""
    return listing.translated(language)
