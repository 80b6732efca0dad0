"""What a browser would submit: the fields of a rendered form, with their rendered values.

Tests that post hand-written dictionaries miss what a real browser adds: every rendered
field is sent, empty ones as "", a select without a blank option sends its first option,
and only checked radios and checkboxes are sent. `browser_fields` reproduces that from
the page's HTML so a test can fill in what a user would and post the rest untouched.
"""
from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: list[list[str]] = []  # [name, value] in document order
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form" and self.action is not None and (
                attrs.get("action", "").startswith(self.action) if self.action
                else "action" not in attrs):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and attrs.get("name") and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self.fields.append([attrs["name"], attrs.get("value", "on" if kind in (
                "checkbox", "radio") else "")])
        elif tag == "select" and attrs.get("name"):
            self.select = {"name": attrs["name"], "options": [], "selected": None}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": "", "selected": "selected" in attrs}
            self.select["options"].append(self.option)
        elif tag == "textarea" and attrs.get("name"):
            self.fields.append([attrs["name"], ""])
            self.textarea = self.fields[-1]

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.action = None  # only the first matching form
        elif tag == "option":
            self.option = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = next((o for o in options if o["selected"]), options[0] if options else None)
            if chosen is not None:
                value = chosen["value"] if chosen["value"] is not None else chosen["text"].strip()
                self.fields.append([self.select["name"], value])
            self.select = None


def browser_fields(html: str, action: str = "") -> list[list[str]]:
    """[name, value] pairs a browser submits for the first form whose action starts with
    `action` (with "": the first form without an action, which posts to the page itself)."""
    parser = _FormParser(action)
    parser.feed(html)
    return parser.fields


def fill(fields: list[list[str]], name: str, value: str, occurrence: int = 0) -> None:
    """Set the `occurrence`-th field called `name` (as a user typing into it)."""
    matches = [field for field in fields if field[0] == name]
    matches[occurrence][1] = value


def as_post(fields: list[list[str]]) -> dict[str, list[str]]:
    """The pairs as a dict of lists, for the Flask test client (order within a name kept)."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
