"""Helpers for the browser tests (Playwright pages on the live server); the `browser`, `page`
and `axe_source` fixtures are in conftest.py."""

from survey.models import StaffUser
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


def no_horizontal_scroll(page) -> bool:
    """Whether the page fits its viewport's width (nothing to scroll sideways on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
