"""Helpers for the participant tests: complete answers for each page, and a participant's
browser as a test client that carries the page's CSRF token and resume ticket like a form."""

import re
from html.parser import HTMLParser

from survey.extensions import db
from survey.instruments import shipped_instrument
from survey.tokens import current_invitation, invitation_token

# The shipped instrument's own codes, so the helpers follow the instrument file.
INSTRUMENT = shipped_instrument("nato-pakistan-2014")
TRUST = INSTRUMENT.scores["trust"].items
RANKING_ITEMS = tuple(str(item.code) for item in INSTRUMENT.question("priorities").items)
OBSTACLES = tuple(q.code for q in INSTRUMENT.questions if q.code.startswith("obstacle_"))


def ranking(order=RANKING_ITEMS) -> dict[str, str]:
    """Form data ranking the items in the given order (1 = first)."""
    return {f"priorities-{item}": str(rank) for rank, item in enumerate(order, start=1)}


PRE = {
    "consent": {"agree": "y"},
    "profile": {"sector": "media", "experience": "lt2", "prior_dialogue": "yes"},
    "trust": dict.fromkeys(TRUST, "4"),
    "overall": {"trust_direct": "3", "warmth": "60", "meta_trust": "2"},
    "priorities": ranking(),
    "obstacles": dict.fromkeys(OBSTACLES, "3"),
    "outlook": {
        "optimism": "4",
        "network_effect": "5",
        "expect_understanding": "4",
        "hope_text": "Mutual understanding.",
    },
}
POST = {
    "trust": dict.fromkeys(TRUST, "5"),
    "overall": {"trust_direct": "4", "warmth": "70", "meta_trust": "3"},
    "priorities": ranking(reversed(RANKING_ITEMS)),
    "obstacles": dict.fromkeys(OBSTACLES, "2"),
    "outlook": {
        "optimism": "5",
        "network_effect": "4",
        "eval_interests": "4",
        "eval_differences": "5",
        "eval_followup": "5",
        "eval_overall": "5",
        "takeaway_text": "Regular channels.",
        "view_change_text": "",
    },
}


def token_of(participant) -> str:
    token = invitation_token(current_invitation(participant))
    db.session.commit()
    return token


def hidden(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else None


class _Forms(HTMLParser):
    """A page's forms as a browser posts them: each one's action and its hidden and ticked
    fields, and the form the language buttons belong to."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: dict[str, tuple[str, list]] = {}
        self.open: str | None = None
        self.language: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.open = attrs.get("id") or f"form {len(self.forms)}"
            self.forms[self.open] = (attrs["action"], [])
        elif tag == "input" and self.open and ("checked" in attrs or attrs["type"] == "hidden"):
            self.forms[self.open][1].append((attrs["name"], attrs["value"]))
        elif tag == "button" and attrs.get("name") == "language":
            self.language = attrs.get("form") or self.open

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = None


class Respondent:
    """A participant's browser: opens their link, reads pages, posts forms from the last page."""

    def __init__(self, client):
        self.client = client
        self.html = ""

    def open(self, token: str):
        return self.client.get(f"/s/{token}")

    def get(self, path: str):
        response = self.client.get(path)
        self.html = response.get_data(as_text=True)
        return response

    def post(
        self,
        path: str,
        data: dict,
        *,
        nav: str | None = "next",
        from_page: bool = True,
        headers: dict | None = None,
    ):
        """Post as the page's form would: with its CSRF token and resume ticket."""
        form = dict(data)
        if nav is not None:
            form.setdefault("nav", nav)
        if from_page:
            form.setdefault("csrf_token", hidden(self.html, "csrf_token") or "")
            ticket = hidden(self.html, "ticket")
            if ticket:
                form.setdefault("ticket", ticket)
        response = self.client.post(path, data=form, headers=headers)
        if response.status_code != 302 and not response.is_json:
            self.html = response.get_data(as_text=True)
        return response

    def switch_language(self, language: str, changed: dict | None = None):
        """Press a language button of the last page as a browser without the script does: post
        the form it belongs to, with `changed` fields as the participant left them."""
        forms = _Forms(self.html)
        action, fields = forms.forms[forms.language]
        form = {**dict(fields), **(changed or {}), "language": language}
        response = self.client.post(action, data=form)
        if response.status_code != 302:
            self.html = response.get_data(as_text=True)
        return response

    def answer(self, wave: str, page: str, data: dict, nav: str = "next"):
        """Open a page and post answers on it."""
        assert self.get(f"/q/{wave}/{page}").status_code == 200, self.html[:500]
        return self.post(f"/q/{wave}/{page}", data, nav=nav)

    def complete(self, wave: str, pages: dict, *, submit: bool = True):
        """Answer every page of `pages` in order, then submit from the review page."""
        for page, data in pages.items():
            response = self.answer(wave, page, data)
            assert response.status_code == 302, (page, response.status_code, self.html[:2000])
        if submit:
            self.get(f"/q/{wave}/review")
            return self.post(f"/q/{wave}/review", {}, nav="submit")
        return None
