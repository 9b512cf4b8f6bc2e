"""Helpers for the browser tests (Playwright pages on the live server): signing in, the
accessibility scan, and a participant answering pages as a person would, with or without the
questionnaire's script; the `browser`, `page` and `axe_source` fixtures are in conftest.py."""

from sqlalchemy import select

from bench.chromium import STEP_SHOWN, enter, press, scripted
from survey.extensions import db
from survey.models import Answer, Response, StaffUser
from tests.factories import PASSWORD


def sign_in(page, base: str, user: StaffUser | str, password: str = PASSWORD) -> None:
    """Sign a browser page in through the sign-in form, as a person would, and wait for the
    page that follows."""
    page.goto(f"{base}/auth/login")
    page.fill("#email", user if isinstance(user, str) else user.email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def serious_violations(page, axe_source: str) -> list:
    """The serious and critical accessibility violations axe-core finds on the page (inject
    its script: the page's context needs bypass_csp)."""
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )


def stored(participant, wave: str = "pre") -> dict:
    """The participant's stored answers in a wave: (question, item) -> value."""
    db.session.rollback()  # see what the server's threads committed
    rows = db.session.execute(
        select(Answer.question, Answer.item, Answer.number, Answer.text)
        .join(Response)
        .where(Response.participant_id == participant.id, Response.wave.has(code=wave))
    )
    return {(q, i): n if n is not None else t for q, i, n, t in rows}


def response_of(participant) -> Response:
    """The participant's response as stored now."""
    db.session.rollback()
    return db.session.scalar(select(Response).where(Response.participant_id == participant.id))


def fill(page, data: dict) -> None:
    """Answer on the step shown as a person would: click the radio or check box, choose the
    rank, type the text."""
    enter(page, data.items())


#: The step shown, and pressing its buttons, as bench.chromium does for the benchmarks.
CURRENT = STEP_SHOWN
next_page = press


def settled(page) -> None:
    """Wait until every save the script has queued is confirmed by the server."""
    if scripted(page):
        page.wait_for_selector('.save-status[data-pending="0"]', state="attached")


def no_horizontal_scroll(page) -> bool:
    """Whether the page fits the screen's width."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def answer_pre(page, base: str, pages: dict) -> None:
    """Answer these pages of the pre wave in order, pressing Next on each."""
    for code, data in pages.items():
        assert page.url == f"{base}/q/pre/{code}", page.url
        assert no_horizontal_scroll(page), code
        fill(page, data)
        next_page(page)
