"""Every form a page offers, filled as it comes with one field at a time changed to an odd value
(too long, a number too large for any column, negative, markup), is answered with the page or a
client error, never a 500: the console's forms as an admin reaches them from the list of
workshops, and the questionnaire's pages as a participant who joined with a group's code meets
them. A form added later is held to it too (test_hardening_routes posts to every route)."""

import random
import re
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

from bench.browser import Form, parse_forms
from bench.questionnaire import fill
from survey.tokens import join_code
from tests.coding_helpers import coding_world
from tests.conftest import sign_in

ODD = ("x" * 5000, "9" * 30, "-1", '<b onclick="x">b</b>')
# Where a crawl stops: signing out, the accounts (an admin who suspends themself is signed out),
# and downloads (no form in them).
NOT_CRAWLED = re.compile(r"^/(auth|admin/users/)|\.(csv|xlsx|zip|json|html|sps|do|R|yaml)$")
FIELDS = 12
JOIN = {"mother": "Amina", "day": "12", "town": "Lahore", "siblings": "2"}


def test_no_console_form_fails_on_an_odd_value(app, make, client):
    world = coding_world(texts_per_cell=2)
    sign_in(client, make.user(admin=True, grants={world.workshop: ("organiser", "researcher")}))
    failures, posted = [], 0
    for path, action, form in _console_forms(
        client, ["/workshops", "/instruments", "/admin/audit"]
    ):
        for name, value in _variants(form, _values(form)):
            response = client.post(action, data=MultiDict(value))
            posted += 1
            if response.status_code >= 500:
                failures.append(f"{action} {name} (from {path}): {response.status_code}")
            elif response.status_code == 302:  # as a browser does: what it says is shown
                client.get(response.location)
    assert posted > 300 and failures == []


def test_no_questionnaire_page_fails_on_an_odd_value(app, make, client):
    workshop = make.workshop(open_waves=("pre",))
    code = join_code(workshop.group("nato"))
    page = client.get(f"/join/{code}", follow_redirects=True)
    failures, pages = [], []
    for _ in range(20):
        path = urlsplit(page.request.url).path
        if path.endswith("/thanks"):
            break
        if path == "/q/link":  # the personal link to keep, then the questionnaire
            page = client.get("/q/", follow_redirects=True)
            continue
        pages.append(path)
        action, form = _main_form(page.get_data(as_text=True), path)
        values = [(n, JOIN.get(n, v)) for n, v in fill(form, random.Random(1))]
        for name, value in _variants(form, values):
            response = client.post(action, data=MultiDict(value))
            if response.status_code >= 500:
                failures.append(f"{path} {name}: {response.status_code}")
        page = client.post(action, data=MultiDict(values), follow_redirects=True)
    assert failures == []
    assert len(pages) >= 6 and path.endswith("/thanks"), pages


def _console_forms(client, starts):
    """(page, address, form) for each POST form of each console page reached from `starts`,
    one page per shape of address (numbers aside)."""
    queue, shapes = list(starts), set()
    while queue:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(path).path)
        if shape in shapes:
            continue
        shapes.add(shape)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = href.replace("&amp;", "&")
            if href.startswith(("/workshops", "/instruments", "/admin")) and not (
                NOT_CRAWLED.search(urlsplit(href).path)
            ):
                queue.append(href)
        for form in parse_forms(html):
            action = urljoin(path, form.action or path)
            if form.method == "post" and not NOT_CRAWLED.search(urlsplit(action).path):
                yield path, action, form


def _main_form(html: str, path: str) -> tuple[str, Form]:
    """The address and the form of a page's questionnaire (not the language switch)."""
    (form,) = [f for f in parse_forms(html) if f.method == "post" and f.action != "/q/language"]
    return urljoin(path, form.action or path), form


def _values(form: Form) -> list[tuple[str, str]]:
    """The form as it comes, a select's first choice where it has none."""
    values = []
    for field in form.fields:
        if (field.type in ("radio", "checkbox") and not field.checked) or field.type == "file":
            continue
        values.append((field.name, field.value or (field.options[0] if field.options else "")))
    return values + [(name, value) for name, value, _ in form.buttons[:1] if name]


def _variants(form: Form, values: list[tuple[str, str]]):
    """(field, the values with that field changed to an odd value), for every odd value and
    every field but the CSRF token (the first FIELDS of them, by name: the translation review
    has hundreds of fields of one kind)."""
    names = {field.name for field in form.fields} - {"csrf_token"}
    for name in sorted(names)[:FIELDS]:
        for odd in ODD:
            yield name, [(n, v) for n, v in values if n != name] + [(name, odd)]
