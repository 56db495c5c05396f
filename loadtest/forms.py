"""Reading a served form as a browser does: every field with the value the page gave it (hidden fields,
CSRF and submission tokens, checked boxes, selected options), so a scripted visitor posts what a person
would. Used by the load test (locustfile.py) and the stack's smoke test (docker/smoke.py)."""

import html.parser
import re


class _Forms(html.parser.HTMLParser):
    """Every POST form of a page: (action, fields)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self.current: dict | None = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {}
            self.forms.append((a.get("action") or "", self.current))
        fields = self.current
        if fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind == "checkbox":
                fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                fields.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and ("selected" in a or self.select not in fields):
            fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form":
            self.current = None


def form(page: str, action: str = "", *, having: str = "") -> dict:
    """The fields of the first POST form whose action contains ``action`` and that has a field ``having``
    (the page's navigation holds forms too: the language switch, logging out)."""
    parser = _Forms()
    parser.feed(page)
    for form_action, fields in parser.forms:
        if action in form_action and (not having or having in fields):
            return dict(fields)
    raise ValueError(f"no form posting to {action!r} with {having!r}")


def links(page: str, pattern: str) -> list[str]:
    """Every href of the page matching the regular expression ``pattern``."""
    return [href for href in re.findall(r'href="([^"]+)"', page) if re.search(pattern, href)]
