"""A small reader of rendered pages: each element with its attributes, ancestors and text."""

from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.all: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "ancestors": list(self._open), "text": ""}
        self.all.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open and self._open.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def ids(self) -> set[str]:
        return {element["attrs"]["id"] for element in self.all if element["attrs"].get("id")}

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            element
            for element in self.all
            if element["tag"] == tag and all(element["attrs"].get(name) == value for name, value in attrs.items())
        ]
