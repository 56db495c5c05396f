"""Reading a served form as a browser does: every field with the value the page gave it (hidden fields,
CSRF and submission tokens, checked boxes, selected options), so a scripted visitor posts what a person
would. Used by the load test (locustfile.py) and the stack's smoke test (docker/smoke.py)."""

import html.parser
import re


class _Form(html.parser.HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action, self.fields, self.inside, self.done, self.select = action, {}, False, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if (
            tag == "form"
            and not self.done
            and a.get("method", "").lower() == "post"
            and self.action in (a.get("action") or "")
        ):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            if a.get("type") == "checkbox":
                self.fields.setdefault(a["name"], [])
                if isinstance(self.fields[a["name"]], list):
                    self.fields[a["name"]].append(a.get("value", "on"))
                return
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.fields):
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def form(page: str, action: str = "") -> dict:
    """The fields of the first POST form whose action contains ``action``."""
    parser = _Form(action)
    parser.feed(page)
    if not parser.fields:
        raise ValueError(f"no form posting to {action!r}")
    return parser.fields


def links(page: str, pattern: str) -> list[str]:
    """Every href of the page matching the regular expression ``pattern``."""
    return [href for href in re.findall(r'href="([^"]+)"', page) if re.search(pattern, href)]
