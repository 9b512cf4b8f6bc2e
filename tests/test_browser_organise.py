"""The organiser's path in real Chromium: sign in, create a workshop, import the roster, print
the QR cards, watch the live monitor count a response without reloading, read the console's
lists on a phone without scrolling sideways, and correct a workshop's and a participant's
details there."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Participant
from survey.organise.workshops import workshop_by_slug
from tests.browser_helpers import no_horizontal_scroll, serious_violations, sign_in

pytestmark = pytest.mark.browser

ROSTER = (
    "external_id,name,email,group,sector,language\n"
    "N1,Anna Schmidt,anna@example.org,nato,diplomatic,en\n"
    'N2,"Dubois, Claire",,nato,military,fr\n'
    "P1,عائشہ خان,aisha@example.org,pakistan,government,ur\n"
).encode()


def test_from_sign_in_to_cards_and_a_live_count(app, make, live_server, page):
    from playwright.sync_api import expect

    email = make.user("organiser@example.org").email
    db.session.commit()  # hold no transaction open while the server writes
    page.set_default_timeout(15_000)

    sign_in(page, live_server, email)
    expect(page.locator("h1")).to_have_text("Workshops")

    page.get_by_role("link", name="New workshop").click()
    # The dates are fields as wide as the others, not the browser's narrow default.
    title_width = page.locator("#title").bounding_box()["width"]
    assert page.locator("#starts_on").bounding_box()["width"] == title_width
    page.fill("#title", "Islamabad dialogue")
    page.fill("#slug", "isb")
    page.select_option("#timezone", "Asia/Karachi")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.locator("h1")).to_have_text("Islamabad dialogue")

    page.get_by_role("link", name="Import the roster").click()
    page.set_input_files(
        "input[type=file]", files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".summary")).to_contain_text("3 added")
    page.get_by_role("button", name="Import: add 3").click()
    expect(page.locator(".flash")).to_contain_text("3 added")
    expect(page.locator("table.participants tbody tr")).to_have_count(3)

    page.goto(f"{live_server}/workshops/isb/cards")
    cards = page.locator("article.card")
    expect(cards).to_have_count(3)
    expect(page.locator("article.card .card-qr svg")).to_have_count(3)
    expect(page.locator('article.card[lang="ur"][dir="rtl"]')).to_have_count(1)
    page.emulate_media(media="print")
    expect(page.locator(".workshop-nav")).to_be_hidden()
    expect(page.locator("form.cards-printed")).to_be_hidden()  # never on the printed sheets
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Mark these 3 cards printed").click()
    expect(page.locator(".flash")).to_contain_text("3 cards marked printed.")
    expect(page.get_by_text("Every card here is marked printed.")).to_be_visible()
    expect(cards).to_have_count(3)  # the same cards, to print again if need be

    page.goto(f"{live_server}/workshops/isb/monitor")
    submitted = page.locator('[data-count="groups.nato.waves.pre.submitted"]')
    expect(submitted).to_have_text("0")
    expect(page.locator('[data-count="groups.nato.invited"]').first).to_have_text("2")
    # On a phone (the page fixture is 360 px wide) every wave's counts fit without scrolling.
    widest = (
        "Math.max(...[...document.querySelectorAll('table.monitor')]"
        ".map(t => t.getBoundingClientRect().right))"
    )
    assert page.locator("table.monitor").count() == 2 and page.evaluate(widest) <= 360
    page.evaluate("window.__sameDocument = true")

    # A response arrives (written the way the questionnaire writes it).
    db.session.rollback()  # a fresh snapshot, with what the server wrote
    ws = workshop_by_slug("isb")
    nato = db.session.scalars(
        select(Participant).where(Participant.external_id == "N1", Participant.workshop == ws)
    ).one()
    make.response(nato, "pre")

    expect(submitted).to_have_text("1", timeout=20_000)  # the page polls every 5 s
    expect(page.locator('[data-count="total.waves.pre.started"]')).to_have_text("1")
    # Refreshed, the time still reads in the workshop's zone, not the laptop's.
    expect(page.locator("#monitor-status")).to_have_text(re.compile(r"as of \d\d:\d\d:\d\d PKT\."))
    assert page.evaluate("window.__sameDocument") is True  # updated in place, no reload
    assert page.console_errors == []


def test_a_printed_card_shows_its_whole_typeable_code_in_every_language(
    app, make, live_server, page
):
    """The longest instructions (French) and a contact must not push the code off the card."""
    workshop = make.workshop(
        "cards",
        title="NATO–Pakistan partnership after 2014: a dialogue in Islamabad",
        place="Islamabad",
    )
    workshop.contact_name = "Workshop secretariat (Aïcha Ndiaye)"
    workshop.contact_email = "secretariat@geneva-dialogue.org"
    workshop.contact_phone = "+41 22 123 45 67"
    cards = _printed_cards(page, live_server, make, workshop, "Marie-Christine Lefèvre-Dubois")
    for index in range(3):
        card = cards.nth(index).bounding_box()
        for part in (".card-code", ".card-contact", ".card-instructions"):
            box = cards.nth(index).locator(part).bounding_box()
            inside = (
                box["x"] >= card["x"] - 0.5
                and box["y"] >= card["y"] - 0.5
                and box["x"] + box["width"] <= card["x"] + card["width"] + 0.5
                and box["y"] + box["height"] <= card["y"] + card["height"] + 0.5
            )
            assert inside, (cards.nth(index).get_attribute("lang"), part, box, card)
        # The ways to reach the organisers are printed whole (a long name may give way).
        contact = cards.nth(index).locator(".card-contact").bounding_box()
        for part in (".contact-email", ".contact-phone"):
            box = cards.nth(index).locator(part).bounding_box()
            assert box["y"] + box["height"] <= contact["y"] + contact["height"] + 0.5, part
            assert (
                contact["x"] - 0.5
                <= box["x"]
                <= box["x"] + box["width"]
                <= contact["x"] + (contact["width"] + 0.5)
            ), part
        if cards.nth(index).get_attribute("lang") == "ur":
            # Latin title and name on the card's right-hand side, as the rest of its text.
            text = cards.nth(index).locator(".card-text").bounding_box()
            for part in (".card-workshop bdi", ".card-name bdi"):
                box = cards.nth(index).locator(part).bounding_box()
                assert abs(box["x"] + box["width"] - text["x"] - text["width"]) < 2, part


def test_a_long_title_and_place_never_push_the_code_off_a_printed_card(
    app, make, live_server, page
):
    """A card's printed height is fixed: the title, place and contact give way, the link and
    its typeable code stay whole at the foot of the card."""
    workshop = make.workshop(
        "long-cards",
        title="Second Track II Dialogue on Regional Security Cooperation between NATO Member "
        "States and Pakistan",
        place="Serena Hotel, Khayaban-e-Suhrawardy, Islamabad",
    )
    workshop.starts_on, workshop.ends_on = date(2025, 6, 29), date(2025, 7, 2)
    workshop.contact_name = "Professor Dr. Anne-Sophie Vandenberghe-Lefebvre"
    workshop.contact_email = "anne-sophie.vandenberghe@workshop-secretariat.example.org"
    workshop.contact_phone = "+92 300 1234567"
    cards = _printed_cards(page, live_server, make, workshop, "Marie-Christine de La Rochefoucauld")
    for index in range(3):
        card = cards.nth(index)
        outer = card.bounding_box()
        code = card.locator(".card-code").bounding_box()
        link = card.locator(".card-link").bounding_box()
        language = card.get_attribute("lang")
        assert code["y"] + code["height"] <= outer["y"] + outer["height"] + 0.5, language
        for part in (".card-text", ".card-contact"):
            box = card.locator(part).bounding_box()
            assert box["y"] + box["height"] <= link["y"] + 0.5, (language, part, box, link)


def test_on_a_phone_each_wave_shows_its_actions_without_scrolling_sideways(
    app, make, live_server, page
):
    """The waves table stacks its rows on a phone, each cell naming its column, and stays a
    table of rows and cells for screen readers; at a laptop's width it is a table again."""
    workshop = make.workshop("phone-waves", open_waves=("post",))
    email = make.user(grants={workshop: "organiser"}).email
    db.session.commit()
    sign_in(page, live_server, email)

    page.goto(f"{live_server}/workshops/{workshop.slug}")

    for action in ("Open now", "Close now…"):
        box = page.get_by_role("row").get_by_text(action).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (action, box)
    assert page.locator(".table-scroll").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert no_horizontal_scroll(page)
    pre = page.get_by_role("row", name=re.compile("^pre"))
    assert pre.get_by_role("rowheader").inner_text() == "pre"
    state = pre.get_by_role("cell").first
    label = "e => getComputedStyle(e, '::before').content"
    assert state.inner_text() == "scheduled" and state.evaluate(label) == '"State: "'
    assert page.get_by_role("columnheader", name="Opens").count() == 1  # read out...
    header = page.get_by_role("rowgroup").first
    assert header.bounding_box()["height"] <= 1  # ...but not shown

    page.set_viewport_size({"width": 1280, "height": 800})
    assert header.bounding_box()["height"] > 10
    assert state.evaluate(label) == "none"


def test_on_a_phone_the_console_tables_keep_their_links_in_sight(app, make, live_server, page):
    """The workshops, the participants, the e-mail counts and send log, the questionnaire
    library, the staff accounts and the audit log stack the same way: no table is wider than the
    screen, every link and button of a row is within its width, and the page does not scroll
    sideways."""
    workshop = make.workshop("phone-people")
    make.participant(workshop, "pakistan", name="Muhammad Ali Jinnah Memorial Fellow")
    make.user("second@example.org", grants={workshop: "researcher"})
    email = make.user(admin=True, grants={workshop: "organiser"}).email
    db.session.commit()
    sign_in(page, live_server, email)
    outside = """t => [...t.querySelectorAll('a, button, select')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.textContent.trim())"""

    for path, actions in (
        ("/workshops", (workshop.title,)),
        (f"/workshops/{workshop.slug}/participants", ("New link…", "Withdraw…")),
        (f"/workshops/{workshop.slug}/mail", ("pre", "post")),
        (f"/workshops/{workshop.slug}/mail/waves/pre", ("Muhammad Ali Jinnah Memorial Fellow",)),
        ("/instruments", ("nato-pakistan-2014",)),
        ("/admin/users", ("Give the role", "Make admin", "remove")),
        ("/admin/audit", ("auth.login",)),
    ):
        page.goto(f"{live_server}{path}")
        table = page.get_by_role("table")
        assert table.evaluate(outside) == [], path
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), path
        assert no_horizontal_scroll(page), path
        for action in actions:
            assert table.get_by_text(action).first.is_visible(), (path, action)
    # Pages whose widest things are a participant's long name: a choice of them, their card.
    long_name = "Muhammad Ali Jinnah Memorial Fellowship Programme Coordinator"
    make.participant(workshop, "nato", name=long_name, email="fellow@example.org")
    make.participant(workshop, "nato", name="Abdulrahmanibnhussainalqurayshialhashimi")
    db.session.commit()
    for path in (
        f"/workshops/{workshop.slug}/mail/messages/invitation/en",
        f"/workshops/{workshop.slug}/cards",
    ):
        page.goto(f"{live_server}{path}")
        assert no_horizontal_scroll(page), path


def _printed_cards(page, live_server, make, workshop, name: str):
    """The workshop's cards as printed, for three participants called `name`: in English,
    French and Urdu."""
    for language, group in (("en", "nato"), ("fr", "nato"), ("ur", "pakistan")):
        make.participant(workshop, group, language=language, name=name)
    email = make.user(grants={workshop: "organiser"}).email
    db.session.commit()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/workshops/{workshop.slug}/cards")
    page.emulate_media(media="print")
    cards = page.locator("article.card")
    assert cards.count() == 3
    return cards


def test_on_a_phone_console_fields_are_large_enough_not_to_zoom(app, make, live_server, page):
    """A phone's browser zooms into a field whose text is under 16 px when it is tapped: every
    field of the console's forms is at least that large, the phone number's too."""
    workshop = make.workshop("phone-fields")
    email = make.user(grants={workshop: "organiser"}).email
    db.session.commit()
    sign_in(page, live_server, email)
    fields = "main input:not([type=hidden]), main select, main textarea"
    for path in (f"/workshops/{workshop.slug}/contact", "/workshops/new"):
        page.goto(f"{live_server}{path}")
        small = page.evaluate(
            """selector => [...document.querySelectorAll(selector)]
                .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16).map(e => e.name)""",
            fields,
        )
        assert page.locator(fields).count() >= 3 and small == [], path
    assert page.goto(f"{live_server}/workshops/{workshop.slug}/contact").ok
    assert page.locator("main input[type=tel]").count() == 1


def test_on_a_phone_the_workshops_and_a_participants_details_are_corrected(
    app, make, live_server, browser, axe_source
):
    from playwright.sync_api import expect

    workshop = make.workshop("details-phone")
    person = make.participant(workshop, "pakistan", name="عائشہ خان", email="aisha@exmaple.org")
    email = make.user(grants={workshop: "organiser"}).email
    db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = phone.new_page()
    sign_in(page, live_server, email)
    fields = "main input:not([type=hidden]), main select"

    page.goto(f"{live_server}/workshops/{workshop.slug}")
    page.get_by_role("link", name="Change the details").click()
    assert serious_violations(page, axe_source) == [] and no_horizontal_scroll(page)
    assert page.evaluate(
        """s => [...document.querySelectorAll(s)]
            .every(e => parseFloat(getComputedStyle(e).fontSize) >= 16)""",
        fields,
    )
    page.fill("#place", "Islamabad")
    page.fill("#min_cell", "1")
    page.get_by_role("button", name="Save the details").click()
    expect(page.get_by_role("alert")).to_contain_text("Number must be between 2 and 100")
    page.fill("#min_cell", "6")
    page.get_by_role("button", name="Save the details").click()
    expect(page.get_by_role("status")).to_contain_text("The details are saved.")
    expect(page.locator("main")).to_contain_text("Islamabad")

    page.goto(f"{live_server}/workshops/{workshop.slug}/participants")
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text(f"Participant {person.public_id}")
    assert serious_violations(page, axe_source) == [] and no_horizontal_scroll(page)
    page.fill("#email", "aisha@example.org")
    page.select_option("#language", "ur")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{person.public_id} is saved.")
    expect(page.locator("main")).to_contain_text("aisha@example.org")
    phone.close()


def test_the_monitor_with_its_time_to_answer_reads_on_a_phone_and_a_laptop(
    app, make, live_server, browser, axe_source
):
    workshop = make.workshop("monitor-times", open_waves=("pre",))
    for minutes in (6, 9, 14):
        response = make.response(make.participant(workshop, "nato"), "pre")
        response.started_at = response.submitted_at - timedelta(minutes=minutes)
    email = make.user(grants={workshop: "organiser"}).email
    db.session.commit()
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(f"{live_server}/workshops/{workshop.slug}/monitor")
        times = page.get_by_role("region", name="Time to answer")
        assert times.get_by_role("cell").all_inner_texts() == [
            "3",
            "9 min",
            "8 min and 12 min",
        ]
        assert serious_violations(page, axe_source) == [] and no_horizontal_scroll(page)
        context.close()
