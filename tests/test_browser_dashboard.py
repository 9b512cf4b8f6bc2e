"""The dashboards and the report in real Chromium: every chart draws under the CSP, hostile
text never runs, the filters work without JavaScript, the report opens with no network."""

import pytest

from survey.auth.users import user_by_email
from survey.extensions import db
from tests.browser_helpers import serious_violations, sign_in
from tests.coding_helpers import code, coding_world
from tests.conftest import sign_in as sign_in_client
from tests.dashboard_helpers import populate

pytestmark = pytest.mark.browser

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")
# Script tags, event handlers, javascript: links and Plotly's own label markup.
PAYLOADS = (
    "<script>alert('script')</script>",
    '<img src="x" onerror="alert(\'img\')">',
    "<a href=\"javascript:alert('link')\">click me</a>",
    '<span style="position:fixed;inset:0;background:red" onmouseover="alert(\'span\')">x</span>',
    '"><svg onload="alert(\'svg\')">',
    "javascript:alert('bare')",
)


def hover_every_chart(page) -> None:
    """Make Plotly draw a hover label on every chart (its text comes from the figure)."""
    page.evaluate(
        """() => document.querySelectorAll(".js-plotly-plot").forEach((plot) => {
            plot.data.forEach((trace, curve) => {
                if (!trace.x || !trace.x.length) { return; }
                const subplot = (trace.xaxis || "x") + (trace.yaxis || "y");
                Plotly.Fx.hover(plot, [{curveNumber: curve, pointNumber: 0}], subplot);
            });
        })"""
    )


def charts_drawn(page) -> tuple[int, int]:
    """(charts drawn, charts on the page), once each has been scrolled to as a reader would (a
    chart is drawn when it comes near the screen) and has been drawn."""
    charts = page.locator("[data-figure]")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for()
    return page.locator(".js-plotly-plot").count(), charts.count()


def drawn_now(page) -> int:
    return page.locator(".js-plotly-plot").count()


@pytest.fixture
def hostile(app, make):
    """A workshop whose group labels and free-text answers are attack strings."""
    ws = make.workshop(open_waves=("pre", "post"))
    ws.group("nato").label = PAYLOADS[3]  # labels hold at most 100 characters
    ws.group("pakistan").label = PAYLOADS[2]
    ws.title = PAYLOADS[0] + PAYLOADS[4]
    db.session.commit()
    texts = {
        "hope_text": PAYLOADS[5] + PAYLOADS[0],
        "takeaway_text": PAYLOADS[1],
        "view_change_text": PAYLOADS[4],
    }
    populate(ws, 8, seed=12, text=texts)
    user = make.user(grants={ws: "organiser"})
    return ws.slug, user.email


def test_every_page_draws_every_chart_on_a_phone(live_server, page, hostile):
    slug, email = hostile
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, email)
    for path in PAGES:
        page.goto(f"{live_server}/workshops/{slug}/dashboard{path}")
        drawn, expected = charts_drawn(page)
        assert drawn == expected, path
        if path in ("/trust", "/obstacles"):
            assert expected > 10
        hover_every_chart(page)
        if expected:
            assert page.locator(".hoverlayer .hovertext").count() >= 1, path
        assert page.locator("img[src='x'], svg[onload], a[href^='javascript:']").count() == 0
    assert dialogs == []
    assert page.console_errors == []  # CSP violations are console errors too
    page.goto(f"{live_server}/workshops/{slug}/dashboard/text")
    assert "alert('img')" in page.inner_text("main")  # shown as text, not run


def test_every_page_reads_with_a_keyboard_and_a_screen_reader_on_a_phone(
    live_server, browser, axe_source, hostile
):
    """Every table of numbers opened and every chart drawn: a table wider than the phone
    scrolls in a box that the keyboard can reach, and a drawn chart's buttons are not hidden
    inside an image; nothing offers to upload a chart to Plotly's cloud."""
    slug, email = hostile
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server, email)
    found = {}
    for path in PAGES:
        page.goto(f"{live_server}/workshops/{slug}/dashboard{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        _, charts = charts_drawn(page)
        found[path] = serious_violations(page, axe_source)
        assert (page.locator(".modebar-btn").count() > 0) == (charts > 0), path
        assert page.locator("[data-title^='Share chart']").count() == 0, path
        scrolling = page.locator(".table-scroll")
        for index in range(scrolling.count()):
            box = scrolling.nth(index)
            if box.evaluate("e => e.scrollWidth > e.clientWidth"):
                assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
    assert not any(found.values()), found
    context.close()


def test_filters_work_without_javascript(live_server, browser, hostile):
    slug, email = hostile
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/workshops/{slug}/dashboard/trust")
    page.select_option("select[name=sector]", "media")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "sector=media" in page.url
    assert "Sector = Media" in page.inner_text(".suppression-note")
    page.click("nav.tabs >> text=Perception")
    assert "/perception?sector=media" in page.url
    context.close()


def test_report_opens_offline_and_draws_every_chart(browser, client, hostile, tmp_path):
    slug, email = hostile
    sign_in_client(client, user_by_email(email))
    response = client.get(f"/workshops/{slug}/dashboard/report.html?include_text=1")
    assert response.status_code == 200
    path = tmp_path / "report.html"
    path.write_bytes(response.data)

    context = browser.new_context(viewport={"width": 360, "height": 740})
    blocked = []

    def only_the_file(route):
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors, dialogs = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    drawn, expected = charts_drawn(page)
    assert expected > 30 and drawn == expected
    hover_every_chart(page)
    assert errors == [] and dialogs == [] and blocked == []
    assert "alert('img')" in page.inner_text("#text")
    context.close()


def test_charts_are_drawn_as_they_come_near_the_screen_and_all_before_printing(
    live_server, page, hostile
):
    """Some twenty charts drawn at once kept a phone's page from answering for seconds: those
    far below the screen wait until the reader scrolls near them, and printing draws them all."""
    slug, email = hostile
    sign_in(page, live_server, email)
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{live_server}/workshops/{slug}/dashboard/trust")
    charts = page.locator("[data-figure]")
    charts.first.scroll_into_view_if_needed()
    charts.first.locator(".main-svg").first.wait_for()
    page.wait_for_timeout(300)  # what else is near the screen is drawn by now
    assert 1 <= drawn_now(page) < charts.count() - 5
    # A chart's place has its height before it is drawn: the page does not move as they come.
    waiting = charts.last
    assert waiting.evaluate("e => e.clientHeight") == int(waiting.get_attribute("data-height"))
    charts.last.scroll_into_view_if_needed()
    charts.last.locator(".main-svg").first.wait_for()
    assert drawn_now(page) < charts.count()  # the ones scrolled past quickly wait still
    page.goto(f"{live_server}/workshops/{slug}/dashboard/trust")
    page.pdf()  # printing: every chart drawn first
    assert drawn_now(page) == charts.count() > 10
    assert page.console_errors == []


def test_the_headline_reads_right_to_left_in_urdu_and_fits_a_phone(live_server, page, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 9, seed=14, post_share=1.0)
    user = make.user(grants={ws: "organiser"})
    sign_in(page, live_server, user.email)
    for path in ("?lang=ur", "/priorities", "/obstacles", "/trust"):
        page.goto(f"{live_server}/workshops/{ws.slug}/dashboard{path}")
        drawn, expected = charts_drawn(page)
        assert drawn == expected, path
        # Nothing wider than the phone: tables scroll inside their own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(f"{live_server}/workshops/{ws.slug}/dashboard?lang=ur")
    headline = page.locator("section.headline ul")
    assert headline.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert headline.get_attribute("lang") == "ur"
    assert "نیٹو کے شرکاء" in headline.inner_text()
    assert page.console_errors == []


def test_table_captions_wrap_within_their_scrolling_box_on_a_phone(live_server, page, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 9, seed=14, post_share=1.0)
    user = make.user(grants={ws: "organiser"})
    sign_in(page, live_server, user.email)
    for path in ("/trust", "/priorities"):
        page.goto(f"{live_server}/workshops/{ws.slug}/dashboard{path}")
        page.evaluate("document.querySelectorAll('details.numbers').forEach(d => d.open = true)")
        # A caption as wide as its table would run out of sight, cut mid-sentence.
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll caption')]
                .filter(c => c.getBoundingClientRect().right
                             > c.closest('.table-scroll').getBoundingClientRect().right + 1)
                .map(c => c.textContent.trim())"""
        )
        assert page.locator(".table-scroll caption").count() > 0, path
        assert overflowing == [], path


OVERLAPS = """(selectors) => {
    const boxes = [...document.querySelectorAll(selectors)]
        .map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0);
    const crossing = (a, b) => a.left < b.right && b.left < a.right
        && a.top < b.bottom && b.top < a.bottom;
    return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => crossing(a, b)))
        .length;
}"""
INSIDE = """([chart, selector]) => {
    const frame = document.querySelector(chart).getBoundingClientRect();
    return [...document.querySelectorAll(`${chart} ${selector}`)]
        .map((e) => e.getBoundingClientRect())
        .every((b) => b.left >= frame.left - 1 && b.right <= frame.right + 1);
}"""


def test_chart_labels_fit_a_phone_without_covering_each_other(live_server, page, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 30, seed=3, post_share=0.9)
    user = make.user(grants={ws: "organiser"})
    sign_in(page, live_server, user.email)
    base = f"{live_server}/workshops/{ws.slug}/dashboard"
    page.goto(base)
    charts_drawn(page)
    funnel = "#overview-funnel"
    # Group and wave upright on two lines, clear of the legend and of each other.
    assert page.locator(f"{funnel} .xtick text").count() == 4
    assert page.evaluate(
        f"""[...document.querySelectorAll('{funnel} .xtick text')]
            .every((e) => !(e.getAttribute('transform') || '').includes('rotate'))"""
    )
    assert page.evaluate(OVERLAPS, f"{funnel} .xtick text, {funnel} .legend") == 0
    page.goto(f"{base}/priorities")
    charts_drawn(page)
    # Each item's label (two lines on a phone) clear of the rules that close the rows off, and
    # of the other labels.
    ranks = "#priorities-ranks"
    assert page.locator(f"{ranks} .shapelayer path").count() > 5
    assert page.evaluate(OVERLAPS, f"{ranks} .annotation-text, {ranks} .shapelayer path") == 0
    page.goto(f"{base}/perception")
    charts_drawn(page)
    gap = "#perception-gap"
    # On a phone the markers alone: eight values have no room beside each other there, and
    # the table below holds them.
    assert page.locator(f"{gap} .point").count() == 8
    assert page.locator(f"{gap} .textpoint text").count() == 0
    assert page.locator("table", has_text="Thinks the other side trusts them").count() == 1
    page.set_viewport_size({"width": 1024, "height": 800})
    page.reload()
    charts_drawn(page)
    assert page.locator(f"{gap} .textpoint text").count() == 8  # two values at each of four
    assert page.evaluate(OVERLAPS, f"{gap} .textpoint text") == 0
    assert page.evaluate(INSIDE, [gap, ".textpoint text"])
    assert page.console_errors == []


def test_the_notes_of_withheld_numbers_stay_inside_their_charts_on_a_phone(live_server, page, make):
    """Under a filter whose every cell is withheld to protect a smaller group (one participant
    of no experience beside nine of five to nine and ten of less than two years, in each group
    and wave), every chart says so within its own frame at 360 px."""
    ws = make.workshop(open_waves=("pre", "post"), min_cell=5)
    bands = ("none",) + ("lt2",) * 10 + ("5to9",) * 9
    populate(ws, {"nato": 20, "pakistan": 20}, experiences=bands, post_share=1.0, seed=6)
    sign_in(page, live_server, make.user(grants={ws: "organiser"}).email)
    base = f"{live_server}/workshops/{ws.slug}/dashboard"
    for name in ("/trust", "/perception", "/priorities", "/obstacles"):
        page.goto(f"{base}{name}?experience=5to9")
        charts_drawn(page)
        notes = page.locator(".annotation-text", has_text="would reveal")
        assert notes.count() > 0, name
        assert every_note_inside(page), name
    assert page.console_errors == []


def test_the_theme_chart_says_which_cell_is_withheld_within_a_phone(live_server, page, make):
    world = coding_world(texts_per_cell=6)
    researcher = make.user(grants={world.workshop: "researcher"})
    for i in range(6):
        code(world, researcher, f"nato hope {i}", "border")
    for i in range(1, 5):  # four of Pakistan's coded: withheld
        code(world, researcher, f"pakistan hope {i}", "dialogue")
    sign_in(page, live_server, researcher.email)
    page.goto(f"{live_server}/workshops/{world.workshop.slug}/dashboard/themes")
    charts_drawn(page)
    assert page.locator(".annotation-text", has_text="suppressed (n < 5)").count() == 1
    assert every_note_inside(page)


def every_note_inside(page) -> bool:
    """Whether every chart's notes lie within the chart's width."""
    charts = page.locator("figure.chart").evaluate_all("(all) => all.map((e) => e.id)")
    return all(page.evaluate(INSIDE, [f"#{chart}", ".annotation-text"]) for chart in charts)
