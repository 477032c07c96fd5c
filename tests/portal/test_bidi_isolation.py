"""User-entered text keeps its own direction: in an Arabic page every value a user typed (a client's
name, a note, an organisation's or service's name and description, a referral's note, a username, a
search query...) sits inside an element marked dir="auto" or a <bdi>, so a Latin name in a
right-to-left sentence, or Arabic text in a left-to-right one, reads in its own order.

The pages are those of tests/portal/test_untranslated_pages.py.
"""

from html.parser import HTMLParser

from cso_directory.models import DirectoryIndexPage
from tests.portal.page_parts import VOID_TAGS
from tests.portal.test_untranslated_pages import build_world, pages, render, typed_values
from tests.shared_casts import shared_fixture

world = shared_fixture(build_world, name="world")
# Not read as part of the page's text: what is not shown, and a select's options, each a line of its own
# in its list with nothing of the page beside it.
LEFT_OUT = {"head", "script", "style", "template", "option"}
SEARCHED = "Ali Hassan"


class UnisolatedText(HTMLParser):
    """The text nodes of a page's body that no dir="auto" element and no <bdi> encloses."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, isolated, left out)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        isolated, left_out = (self._open[-1][1], self._open[-1][2]) if self._open else (False, False)
        isolated = isolated or tag == "bdi" or dict(attrs).get("dir") == "auto"
        self._open.append((tag, isolated, left_out or tag in LEFT_OUT))

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _isolated, _left_out in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self._open and not self._open[-1][1] and not self._open[-1][2] and data.strip():
            self.texts.append(" ".join(data.split()))


def unisolated(html: str, values: list[str]) -> list[str]:
    texts = UnisolatedText(html).texts
    return sorted({value for value in values for text in texts if value in text})


def test_every_user_entered_value_on_the_main_pages_in_arabic_is_isolated(world):
    values = [value for value in typed_values(world) if len(value) > 2]  # shorter ones occur inside words
    found = {}
    for user, url in [*pages(world), (None, f"{DirectoryIndexPage.objects.first().url}?q={SEARCHED}")]:
        left = unisolated(render(user, url, "ar"), [*values, SEARCHED])
        if left:
            found[url] = left

    assert found == {}, "\n".join(f"{url}: {values}" for url, values in found.items())
