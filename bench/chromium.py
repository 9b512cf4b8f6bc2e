"""A participant in real Chromium (Playwright, the system's browser): the network of a phone on
weak mobile data (DevTools' Network.emulateNetworkConditions), and a participant who answers
every page at once, with or without the questionnaire's script. Used by
bench/bench_weak_network.py and the browser tests."""

from __future__ import annotations

import os
import random
import time
from urllib.parse import urlsplit

from bench.browser import parse_forms
from bench.questionnaire import fill

EXECUTABLE = os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
#: 400 ms of latency, 400 kbit/s down and 200 kbit/s up (throughputs in bytes per second).
WEAK_NETWORK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 // 8,
    "uploadThroughput": 200_000 // 8,
}
#: The step shown: with the script every step of the wave is in the page, one shown at a time.
STEP_SHOWN = "section.step:not([hidden])"


def throttle(page, conditions: dict = WEAK_NETWORK) -> None:
    """Give the page's network these conditions, as DevTools does (a fresh context has an
    empty cache: a first visit)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", conditions)


def scripted(page) -> bool:
    """Whether the questionnaire's script runs on the page and has the wave's other steps (it
    then shows the next step at once); waits for them when it runs."""
    if page.locator("html[data-script]").count() == 0 or page.locator(".save-status").count() == 0:
        return False
    page.wait_for_selector(".save-status[data-mode]", state="attached")
    return page.locator(".save-status[data-mode=steps]").count() == 1


def press(page, button: str = ".step-buttons .next", *, wait: bool = True) -> None:
    """Press a button of the step shown. With the script the next step shows at once under its
    own address (the submit loads the thank-you page once every page is saved); without it the
    form is posted and the next page loaded. `wait=False`: press before the script has the
    other steps (it holds the press until they come)."""
    target = page.locator(f"{STEP_SHOWN} {button}")
    before = page.url
    if not wait or scripted(page):
        target.click()
        page.wait_for_url(lambda url: url != before)
    else:
        with page.expect_navigation():
            target.click()


def enter(page, values) -> None:
    """Answer as a person would: click the radio or check box, choose the rank, type the text
    (`values`: (name, value) pairs)."""
    for name, value in values:
        field = page.locator(f'{STEP_SHOWN} [name="{name}"]').first
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || 'text')")
        if kind in ("radio", "checkbox"):
            page.locator(f'{STEP_SHOWN} [name="{name}"][value="{value}"]').check()
        elif kind == "select":
            field.select_option(value)
        elif kind != "hidden":
            field.fill(value)


def answer_at_once(
    page,
    base: str,
    token: str,
    rng: random.Random,
    *,
    max_steps: int = 20,
    changes: list[float] | None = None,
) -> float:
    """Open the personal link, answer every page and press its forward button at once (never
    waiting for the script's steps or saves), and submit; the seconds from opening the link to
    the thank-you page. `changes` gets each page change's seconds, from the press to the next
    page shown (the last: to the thank-you page)."""
    started = time.perf_counter()
    page.goto(f"{base}/s/{token}", wait_until="commit")
    page.wait_for_selector(STEP_SHOWN)
    for _ in range(max_steps):
        section = page.locator(STEP_SHOWN)
        forms = [f for f in parse_forms(section.inner_html()) if f.method == "post"]
        if not forms:
            raise RuntimeError(f"no form at {page.url}")
        values = fill(forms[0], rng)
        button = next((pair for pair in values if pair[0] == "nav"), ("nav", "next"))
        enter(page, [pair for pair in values if pair[0] not in ("nav", "csrf_token", "ticket")])
        before = page.url
        pressed = time.perf_counter()
        page.locator(f'{STEP_SHOWN} button[name=nav][value="{button[1]}"]').click()
        page.wait_for_url(lambda url, before=before: url != before)
        done = urlsplit(page.url).path.endswith("/thanks")
        page.wait_for_selector("h1" if done else STEP_SHOWN)
        if changes is not None:
            changes.append(time.perf_counter() - pressed)
        if done:
            return time.perf_counter() - started
    raise RuntimeError(f"no thank-you page after {max_steps} pages (last {page.url})")
