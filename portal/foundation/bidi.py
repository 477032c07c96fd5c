"""User-entered text in a page of either direction, set apart in a <bdi> so that a Latin name in an
Arabic sentence (or Arabic text in an English one) keeps its own direction and the punctuation
around it stays in place."""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def isolated(value) -> str:
    """`value` in a <bdi> element, escaped unless already safe; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


def with_isolated_values(message: str, **values) -> SafeString:
    """A translated `message` with %(name)s placeholders, filled with `values` each in a <bdi>."""
    pattern = str(conditional_escape(message)).replace("{", "{{").replace("}", "}}")
    return format_html(PLACEHOLDER.sub(r"{\1}", pattern), **{name: isolated(value) for name, value in values.items()})
