"""Helpers for the browser tests (Playwright pages on the live server); the `browser` and `page`
fixtures are in conftest.py."""

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
