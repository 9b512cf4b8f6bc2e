"""Completing whole questionnaires as a careful participant would, with any browser of
bench.browser: the page's questionnaire form, valid answers for each of its fields, the button
that goes forward, and the outcome (what was sent, whether it was acknowledged). Page after page
as a browser without JavaScript does (complete_questionnaire), or as the page's script does
(complete_with_script: the wave's steps once, then background saves)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bench.browser import JSON_REQUEST, Browser, Field, Form, Page, parse_forms

NON_RESPONSE_SUFFIX = "-nr"  # the "prefer not to answer" box of a number (respond.fields)
# Fields of a questionnaire form that are not answers.
NOT_ANSWERS = frozenset({"csrf_token", "ticket", "nav", "language", "agree"})
# Words on the buttons that move a questionnaire forward, and those that do not.
FORWARD = re.compile(r"next|continue|submit|send|agree|start|save|finish|confirm", re.I)
BACKWARD = re.compile(r"back|previous|prev|language|lang|change|edit|stop|later", re.I)


def forward_button(form: Form) -> tuple[str, str] | None:
    """The (name, value) of the button that goes forward; None when it carries no name."""
    scored = []
    for name, value, text in form.buttons:
        words = f"{name} {value} {text}"
        if BACKWARD.search(words) and not FORWARD.search(f"{name} {value}"):
            continue
        scored.append((0 if FORWARD.search(words) else 1, name, value))
    if not scored:
        return None
    _, name, value = min(scored)
    return (name, value) if name else None


def main_form(forms: Sequence[Form], path: str) -> Form | None:
    """The page's questionnaire form: a POST form back to the page itself (not the language
    switch), else the POST form with the most fields."""
    posts = [f for f in forms if f.method == "post"]
    if not posts:
        return None
    return max(
        posts,
        key=lambda f: (
            urlsplit(f.action).path in ("", path),
            sum(1 for x in f.fields if x.type != "hidden"),
        ),
    )


def fill(form: Form, rng: random.Random) -> list[tuple[str, str]]:
    """Answers for every field of the form, valid as a careful participant would give them."""
    values: list[tuple[str, str]] = []
    radios: dict[str, list[Field]] = {}
    checkboxes: dict[str, list[Field]] = {}
    selects = [f for f in form.fields if f.tag == "select"]
    ranking = _ranking_selects(selects)
    for f in form.fields:
        if f.type == "radio":
            radios.setdefault(f.name, []).append(f)
        elif f.type == "checkbox":
            checkboxes.setdefault(f.name, []).append(f)
        elif f.type == "hidden":
            values.append((f.name, f.value))
        elif f.tag == "select":
            if f.name not in ranking:
                choices = [o for o in f.options if o] or f.options
                values.append((f.name, rng.choice(choices) if choices else ""))
        elif f.tag == "textarea":
            limit = int(f.attrs.get("maxlength") or 200)
            values.append((f.name, "Regular contact between the two sides."[:limit]))
        elif f.type == "number" or f.attrs.get("inputmode") == "numeric":
            low = int(f.attrs.get("min") or f.attrs.get("data-min") or 0)
            high = int(f.attrs.get("max") or f.attrs.get("data-max") or low + 100)
            values.append((f.name, str(rng.randint(low, high))))
        else:
            values.append((f.name, _text_value(f)))
    for name, group in radios.items():
        # Mostly real answers; the non-response code now and then, as in the field.
        real = [f.value for f in group if f.value != "-9"] or [f.value for f in group]
        values.append((name, "-9" if rng.random() < 0.02 and len(real) < len(group) else ""))
        if not values[-1][1]:
            values[-1] = (name, rng.choice(real))
    for group in checkboxes.values():
        if len(group) == 1:  # a single box: consent is given, "prefer not to answer" is not
            if not group[0].name.endswith(NON_RESPONSE_SUFFIX):
                values.append((group[0].name, group[0].value))
        else:
            for f in rng.sample(group, rng.randint(1, len(group))):
                values.append((f.name, f.value))
    ranks = list(range(1, len(ranking) + 1))
    rng.shuffle(ranks)
    values.extend((name, str(rank)) for name, rank in zip(ranking, ranks, strict=True))
    button = forward_button(form)
    if button:
        values.append(button)
    return values


def _ranking_selects(selects: Sequence[Field]) -> list[str]:
    """Names of the selects that rank K items with the ranks 1..K (one rank each)."""
    for f in selects:
        ranks = sorted(o for o in f.options if o)
        if ranks and ranks == [str(r) for r in range(1, len(ranks) + 1)]:
            group = [g.name for g in selects if sorted(o for o in g.options if o) == ranks]
            if len(group) == len(ranks):
                return group
    return []


def _text_value(f: Field) -> str:
    return "Lahore"[: int(f.attrs.get("maxlength") or 20)]


class FlowError(RuntimeError):
    """The questionnaire did not go as a participant's would (unexpected page or status)."""


@dataclass
class Outcome:
    token: str
    acknowledged: bool = False  # the thank-you page was received
    finished: bool = False  # the link said there was nothing left to answer
    posts: int = 0
    error: str | None = None
    answers: dict[str, str] = field(default_factory=dict)  # last value sent per field name

    def expected_rows(self) -> set[tuple[str, str, str]]:
        """The answers the database should hold: (question, item, value) as sent."""
        rows = set()
        for name, value in self.answers.items():
            if name in NOT_ANSWERS or name.endswith(NON_RESPONSE_SUFFIX):
                continue
            question, _, item = name.partition("-")  # a ranking's select: question-item
            rows.add((question, item, value))
        return rows


def is_thanks(page: Page) -> bool:
    """The thank-you page, which acknowledges a stored submission."""
    return "thank" in page.path.lower()


# Where a personal link leads when no wave is open for the participant; after a submission
# whose acknowledgement was lost, it says that everything has been answered.
NOTHING_OPEN_PATH = "/q/"


def complete_questionnaire(
    browser: Browser,
    token: str,
    rng: random.Random,
    *,
    outcome: Outcome | None = None,
    max_steps: int = 30,
) -> Outcome:
    """Open the personal link and answer page after page until the thank-you page (resuming
    where the server says the participant stopped; `outcome` carries over from an attempt
    that failed)."""
    outcome = outcome or Outcome(token)
    page = browser.get(f"/s/{token}")
    for _ in range(max_steps):
        if page.status != 200:
            raise FlowError(f"{page.status} at {page.url}")
        if is_thanks(page):
            outcome.acknowledged = True
            return outcome
        if page.path == NOTHING_OPEN_PATH:
            outcome.finished = True
            return outcome
        form = main_form(parse_forms(page.body), page.path)
        if form is None:
            raise FlowError(f"no form at {page.url}")
        values = fill(form, rng)
        outcome.answers.update(values)
        page = browser.post(urljoin(page.url, form.action or page.url), values)
        outcome.posts += 1
    raise FlowError(f"no thank-you page after {max_steps} pages (last {page.url})")


#: Where the page names the wave's steps for its script (templates/respond/_layout.html).
STEPS_URL = re.compile(r'data-steps="([^"]+)"')
TOKENS = ("csrf_token", "ticket")


def complete_with_script(
    browser: Browser,
    token: str,
    rng: random.Random,
    *,
    outcome: Outcome | None = None,
    saves: list | None = None,
) -> Outcome:
    """Open the personal link and answer every page as the questionnaire's script does
    (docs/background-saves.md): fetch the wave's steps once, send each page's answers as the
    page's own form POST asking for JSON, with the page's next revision, then submit the same
    way (its answer brings the thank-you page). Each save's (seconds, status) goes to `saves`."""
    outcome = outcome or Outcome(token)
    page = browser.get(f"/s/{token}")
    if page.status != 200:
        raise FlowError(f"{page.status} at {page.url}")
    if is_thanks(page) or page.path == NOTHING_OPEN_PATH:
        outcome.finished = True
        return outcome
    found = STEPS_URL.search(page.body)
    form = main_form(parse_forms(page.body), page.path)
    if found is None or form is None:
        raise FlowError(f"no questionnaire at {page.url}")
    tokens = [(f.name, f.value) for f in form.fields if f.name in TOKENS]
    steps = browser.get(found.group(1), headers=JSON_REQUEST)
    if steps.status != 200:
        raise FlowError(f"{steps.status} for the steps at {page.url}")
    wave = steps.json()
    revisions = wave["revisions"]
    for step in parse_forms(wave["html"]):
        page_code = urlsplit(step.action).path.rsplit("/", 1)[-1]
        values = fill(step, rng)
        fields = [*values, *tokens]
        if page_code != "review":
            outcome.answers.update(values)
            revisions[page_code] = revisions.get(page_code, 0) + 1
            fields.append(("revision", str(revisions[page_code])))
        started = time.perf_counter()
        reply = browser.post(step.action, fields, headers=JSON_REQUEST)
        status = reply.json().get("status") if reply.body.startswith("{") else reply.status
        outcome.posts += 1
        if saves is not None:
            saves.append((time.perf_counter() - started, status))
        if page_code == "review":
            if status != "submitted":
                raise FlowError(f"submit: {status}")
            # The thank-you page comes with the answer (the script shows it); else fetch it.
            answer = reply.json()
            if "page" in answer:
                outcome.acknowledged = bool(answer["page"])
            else:
                thanks = browser.get(answer["next"])
                outcome.acknowledged = thanks.status == 200 and is_thanks(thanks)
            return outcome
        if status != "saved":
            raise FlowError(f"{reply.status} {status} saving {page_code}")
    raise FlowError(f"no review step at {page.url}")
