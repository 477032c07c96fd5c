"""Links from a page of one app to pages of the apps above it, which it may not name.

A lower app's template asks for the links of a place, e.g. `{% links_to "client" client.pk %}`;
the wiring, on top, registers which pages each place links to (in its AppConfig.ready).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str


LINKS: defaultdict[str, list[Link]] = defaultdict(list)


def register_link(place: str, label: str | Promise, url_name: str) -> None:
    """Show a link to `url_name` wherever a page asks for the links of `place` (its URL takes that place's args)."""
    LINKS[place].append(Link(label, url_name))


def links_to(place: str, *args) -> list[tuple[str | Promise, str]]:
    """(label, URL) of each link registered for `place`, reversed with `args`."""
    return [(link.label, reverse(link.url_name, args=args)) for link in LINKS[place]]
