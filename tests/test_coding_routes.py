"""The coding pages: the screen (list and one at a time), filters and progress, blind double
coding, agreement and settling, the codebook, and who may do what."""

import re

import pytest

from survey.coding.codings import coded_answers
from survey.coding.queue import queued_answer
from survey.coding.settling import settle
from survey.extensions import db
from survey.models import AuditEvent, Coding, SettledCoding
from survey.organise.participants import withdraw_participant
from tests.coding_helpers import URDU, code, coding_world
from tests.conftest import csrf_token, page_token, sign_in


@pytest.fixture
def world(app, make):
    return coding_world()


@pytest.fixture
def people(make, world):
    ws = world.workshop
    return {
        "researcher": make.user("res@example.org", grants={ws: "researcher"}),
        "organiser": make.user("org@example.org", grants={ws: "organiser"}),
        "second": make.user("second@example.org", grants={ws: "researcher"}),
    }


def base(world) -> str:
    return f"/workshops/{world.workshop.slug}/coding"


def ticked(html: str, answer_id: int) -> set[str]:
    """The values of the ticked boxes of an answer."""
    found = set()
    for tag in re.findall(
        rf'<input type="checkbox" name="answer-{answer_id}(?:-none)?"[^>]*>', html
    ):
        if " checked" in tag:
            found.add(re.search(r'value="([^"]+)"', tag).group(1))
    return found


def test_the_list_shows_where_answers_come_from_and_never_who(client, world, people):
    sign_in(client, people["organiser"])
    html = client.get(f"{base(world)}/hope_text").get_data(as_text=True)
    assert "nato hope 1" in html and "pakistan hope 3" in html
    assert f'dir="auto" lang="ur">{URDU}<' in html
    assert "Academia" in html and "Urdu" in html and ">pre<" in html
    for participant in world.participants.values():
        assert participant.public_id not in html
    assert "<script>" not in html.split("</header>")[1].split('<script src="/assets/js/coding')[0]


def test_coding_a_page_saves_themes_no_theme_and_takes_codings_back(client, world, people):
    sign_in(client, people["organiser"])
    address = f"{base(world)}/hope_text"
    html = client.get(address).get_data(as_text=True)
    first, second, third = (world.answers[f"nato hope {i}"].id for i in (0, 1, 2))
    border, dialogue = world.themes["border"].id, world.themes["dialogue"].id
    data = {
        "csrf_token": csrf_token(html),
        "shown": [first, second, third],
        f"answer-{first}": [border, dialogue],
        f"answer-{second}-none": "none",
    }
    response = client.post(address, data=data)
    assert response.status_code == 302
    html = client.get(address).get_data(as_text=True)
    assert ticked(html, first) == {str(border), str(dialogue)}
    assert ticked(html, second) == {"none"} and ticked(html, third) == set()
    assert "2 of 12 answers coded" in re.sub(r"</?strong>", "", html)
    # Posting the first with nothing ticked takes its coding back.
    client.post(address, data={"csrf_token": csrf_token(html), "shown": [first]})
    assert db.session.query(Coding).filter_by(answer_id=first).count() == 0


def test_a_theme_not_offered_or_no_theme_beside_a_theme_is_refused(client, world, people, make):
    sign_in(client, people["organiser"])
    address = f"{base(world)}/hope_text"
    token = page_token(client, address)
    first = world.answers["nato hope 0"].id
    elsewhere = make.workshop()
    from survey.coding.themes import create_theme

    foreign = create_theme(elsewhere, "other", "Other")
    db.session.commit()
    for data in (
        {f"answer-{first}": [foreign.id]},
        {f"answer-{first}": ["x"]},
        {f"answer-{first}": [world.themes["border"].id], f"answer-{first}-none": "none"},
    ):
        response = client.post(address, data={"csrf_token": token, "shown": [first], **data})
        assert response.status_code == 422
    assert db.session.query(Coding).count() == 0


def test_one_at_a_time_saves_and_goes_on_to_the_next(client, world, people):
    sign_in(client, people["researcher"])
    response = client.get(f"{base(world)}/hope_text/next?show=todo&group=pakistan")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    answer_id = int(re.search(r"/answers/(\d+)\?", response.location).group(1))
    following = re.search(r'name="next" type="hidden" value="(\d+)"', page).group(1)
    assert 'data-key="1"' in page and "<kbd>0</kbd>" in page
    response = client.post(
        response.location,
        data={
            "csrf_token": csrf_token(page),
            "next": following,
            f"answer-{answer_id}": [world.themes["dialogue"].id],
        },
    )
    assert response.status_code == 302 and f"/answers/{following}?" in response.location
    assert "group=pakistan" in response.location and "show=todo" in response.location
    coded = coded_answers(world.workshop.id)[answer_id]
    assert coded.by_coder == {people["researcher"].id: frozenset({"dialogue"})}
    # The saved answer has left "not coded by me", but p still goes back to it, and saving it
    # again goes on to the first answer the filter shows.
    page = client.get(response.location).get_data(as_text=True)
    back = re.search(r'href="([^"]+)" rel="prev" data-key="p"', page).group(1).replace("&amp;", "&")
    assert f"/answers/{answer_id}?" in back and "show=todo" in back
    again = client.get(back).get_data(as_text=True)
    assert "This answer is outside the filter" in again
    assert f'name="next" type="hidden" value="{following}"' in again


def test_ids_that_are_not_answers_code_nothing_and_never_fail(client, world, people):
    sign_in(client, people["researcher"])
    address = f"{base(world)}/hope_text"
    token = page_token(client, address)
    first = world.answers["nato hope 0"].id
    border = world.themes["border"].id
    # 5,000 digits: more than Python turns into a number at all.
    for shown in ("99999999999999999999", "9" * 5000, "²", "-1", str(first + 10**6)):
        data = {"csrf_token": token, "shown": [shown], f"answer-{shown}": [border]}
        assert client.post(address, data=data).status_code == 302  # nothing shown, nothing saved
    one = f"{address}/answers/{first}"
    token = page_token(client, one)
    for target in ("²", "99999999999999999999", "9" * 5000):
        data = {"csrf_token": token, "next": target, f"answer-{first}": [border]}
        assert client.post(one, data=data).status_code == 422  # refused before anything is saved
    assert db.session.query(Coding).count() == 0


def test_filters_and_progress(client, world, people):
    me = people["organiser"]
    code(world, me, "nato hope 0", "border")
    code(world, people["researcher"], "nato hope 1", "dialogue")
    sign_in(client, me)
    address = f"{base(world)}/hope_text"
    mine = client.get(f"{address}?show=mine").get_data(as_text=True)
    assert "nato hope 0" in mine and "nato hope 1" not in mine and "1 answer shown" in mine
    uncoded = client.get(f"{address}?show=uncoded&group=nato").get_data(as_text=True)
    assert "nato hope 0" not in uncoded and "nato hope 1" not in uncoded
    assert "nato hope 2" in uncoded and "pakistan hope" not in uncoded
    assert "4 answers shown" in uncoded
    assert client.get(f"{address}?wave=post").get_data(as_text=True).count("coded-answer") == 0
    assert client.get(f"{address}?show=nonsense&group=x").status_code == 200
    home = re.sub(r"\s+", " ", client.get(base(world)).get_data(as_text=True))
    assert "<strong>2</strong> of 12 answers coded (1 by you)" in home
    assert "<strong>0</strong> of 12 answers coded (0 by you)" in home  # takeaway_text


def test_the_second_coder_codes_blind(client, world, people):
    first, second = people["researcher"], people["second"]
    text = "nato hope 2"
    code(world, first, text, "border", "dialogue")
    sign_in(client, first)
    page = client.get(f"{base(world)}/samples").get_data(as_text=True)
    response = client.post(
        f"{base(world)}/samples",
        data={
            "csrf_token": csrf_token(page),
            "question": "hope_text",
            "coder": second.id,
            "share": 100,
        },
    )
    assert response.status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    sign_in(client, second)
    html = client.get(f"{base(world)}/hope_text?show=sample").get_data(as_text=True)
    assert "12 answers shown" in html
    assert ticked(html, world.answers[text].id) == set()  # never the first coder's codes
    answer = client.get(
        f"{base(world)}/hope_text/answers/{world.answers[text].id}?show=sample"
    ).get_data(as_text=True)
    assert ticked(answer, world.answers[text].id) == set()
    assert "your double-coding sample: 0 of 12" in answer
    events = db.session.query(AuditEvent).filter_by(action="coding.sample").all()
    assert events and events[0].detail["answers"] == 12


def test_samples_are_drawn_in_every_cell(client, world, people):
    sign_in(client, people["researcher"])
    page = client.get(f"{base(world)}/samples").get_data(as_text=True)
    client.post(
        f"{base(world)}/samples",
        data={
            "csrf_token": csrf_token(page),
            "question": "hope_text",
            "coder": people["second"].id,
            "share": 20,
        },
    )
    html = client.get(f"{base(world)}/samples").get_data(as_text=True)
    assert "0 of 4" in html  # ceil(20 % of 6) in each of the two cells


def test_organisers_cannot_assign_samples_or_download_the_codings(client, world, people):
    sign_in(client, people["organiser"])
    assert client.get(f"{base(world)}/samples").status_code == 403
    assert client.get(f"{base(world)}/codings.csv").status_code == 403


def test_an_organiser_who_codes_settles_a_disagreement_too(client, world, people):
    a, b = people["researcher"], people["organiser"]
    code(world, a, "nato hope 0", "border")
    code(world, b, "nato hope 0", "dialogue")
    sign_in(client, b)
    page = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)
    assert "nato hope 0" in page and "Settle" in page
    answer = world.answers["nato hope 0"].id
    response = client.post(
        f"{base(world)}/hope_text/answers/{answer}/settle",
        data={"csrf_token": csrf_token(page), f"answer-{answer}": [world.themes["dialogue"].id]},
    )
    assert response.status_code == 302
    settled = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)
    assert "No disagreement waits to be settled." in settled


def test_agreement_disagreements_and_settling(client, world, people):
    a, b = people["researcher"], people["organiser"]
    for i in range(5):
        code(world, a, f"nato hope {i}", "border")
        code(world, b, f"nato hope {i}", *(("border",) if i < 4 else ("dialogue",)))
    sign_in(client, a)
    html = client.get(f"{base(world)}/agreement").get_data(as_text=True)
    assert "org@example.org and res@example.org" in html and "n = 5" in html
    assert "80 %" in html
    disagreements = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)
    assert "nato hope 4" in disagreements and "nato hope 3" not in disagreements
    answer = world.answers["nato hope 4"].id
    response = client.post(
        f"{base(world)}/hope_text/answers/{answer}/settle",
        data={
            "csrf_token": csrf_token(disagreements),
            f"answer-{answer}": [world.themes["border"].id, world.themes["dialogue"].id],
        },
    )
    assert response.status_code == 302
    assert coded_answers(world.workshop.id)[answer].final == frozenset({"border", "dialogue"})
    after = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)
    assert "No disagreement waits" in after and "Reopen" in after
    client.post(
        f"{base(world)}/hope_text/answers/{answer}/settle",
        data={"csrf_token": csrf_token(after), "action": "reopen"},
    )
    assert db.session.query(SettledCoding).count() == 0


def test_a_settled_answer_stays_listed_after_its_coders_agree_and_can_be_reopened(
    client, world, people
):
    a, b = people["researcher"], people["organiser"]
    code(world, a, "nato hope 0", "border")
    code(world, b, "nato hope 0", "dialogue")
    answer = world.answers["nato hope 0"].id
    settle(world.workshop, queued_answer(world.workshop, answer), [world.themes["security"]], a)
    code(world, a, "nato hope 0", "dialogue")  # the coders agree now; the settled coding stays
    db.session.commit()
    sign_in(client, a)

    page = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)

    assert coded_answers(world.workshop.id)[answer].final == frozenset({"security"})
    settled = page.split("<h2>Settled</h2>")[1]
    assert "nato hope 0" in settled and "Reopen" in settled
    client.post(
        f"{base(world)}/hope_text/answers/{answer}/settle",
        data={"csrf_token": csrf_token(page), "action": "reopen"},
    )
    assert coded_answers(world.workshop.id)[answer].final == frozenset({"dialogue"})


def test_themes_are_added_edited_and_deleted_only_when_unused(client, world, people):
    sign_in(client, people["organiser"])
    page = client.get(f"{base(world)}/themes").get_data(as_text=True)
    response = client.post(
        f"{base(world)}/themes",
        data={
            "csrf_token": csrf_token(page),
            "code": "economy",
            "label": "<b>Economy</b>",
            "description": "",
            "parent": 0,
        },
    )
    assert response.status_code == 302
    html = client.get(f"{base(world)}/themes").get_data(as_text=True)
    assert "&lt;b&gt;Economy&lt;/b&gt;" in html
    duplicate = client.post(
        f"{base(world)}/themes",
        data={"csrf_token": csrf_token(html), "code": "economy", "label": "Again", "parent": 0},
    )
    assert duplicate.status_code == 422 and "exists already" in duplicate.get_data(as_text=True)
    security = world.themes["security"]
    # Below its own sub-theme: refused, and so under a new code in the same save.
    for new_code in ("security", "safety"):
        cycle = client.post(
            f"{base(world)}/themes/{security.id}",
            data={
                "csrf_token": csrf_token(html),
                "code": new_code,
                "label": "Security",
                "parent": world.themes["border"].id,
            },
        )
        assert cycle.status_code == 422 and "cannot be its parent" in cycle.text, new_code
    db.session.expire_all()
    assert (security.code, security.parent_id) == ("security", None)
    code(world, people["organiser"], "nato hope 0", "dialogue")
    dialogue = world.themes["dialogue"].id
    refused = client.post(
        f"{base(world)}/themes/{dialogue}/delete", data={"csrf_token": csrf_token(html)}
    )
    assert refused.status_code == 302
    assert db.session.get(type(world.themes["dialogue"]), dialogue) is not None
    with_children = client.post(
        f"{base(world)}/themes/{security.id}/delete", data={"csrf_token": csrf_token(html)}
    )
    assert with_children.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(security), security.id) is not None  # it has a sub-theme


def test_withdrawal_takes_the_codings_with_it(world, people):
    text = "nato hope 0"
    code(world, people["organiser"], text, "border")
    withdraw_participant(world.participants[text], actor="cli")
    db.session.commit()
    assert db.session.query(Coding).count() == 0


def test_a_question_that_is_not_free_text_is_not_found(client, world, people):
    sign_in(client, people["organiser"])
    assert client.get(f"{base(world)}/warmth").status_code == 404
    assert client.get(f"{base(world)}/hope_text/answers/999999").status_code == 404
    takeaway = world.answers["nato takeaway 0"].id
    assert client.get(f"{base(world)}/hope_text/answers/{takeaway}").status_code == 404


def test_the_disagreements_page_reads_as_many_statements_for_one_as_for_many(
    client, world, people, count_statements
):
    """Every answer shown, open or settled, is read with the others, not one by one."""
    a, b = people["researcher"], people["organiser"]
    sign_in(client, a)
    texts = [f"{group} hope {i}" for group in ("nato", "pakistan") for i in range(1, 6)]
    statements = []
    for shown in (texts[:2], texts):
        for text in shown:
            code(world, a, text, "border")
            code(world, b, text, "dialogue")
        settle(world.workshop, queued_answer(world.workshop, world.answers[shown[0]].id), [], b)
        db.session.commit()  # nothing read before stays loaded
        with count_statements() as seen:
            html = client.get(f"{base(world)}/hope_text/disagreements").get_data(as_text=True)
        assert all(text in html for text in shown) and html.count("Reopen") == 1
        statements.append(len(seen.statements))
    assert statements[0] == statements[1], statements


def test_the_disagreements_hide_what_a_second_coder_still_codes_blind(client, world, people):
    from survey.coding.samples import assign_sample

    text = "pakistan hope 2"
    code(world, people["researcher"], text, "border")
    code(world, people["organiser"], text, "dialogue")
    assign_sample(world.workshop, "hope_text", people["second"], 100)
    db.session.commit()
    sign_in(client, people["second"])
    address = f"{base(world)}/hope_text/disagreements"
    assert text not in client.get(address).get_data(as_text=True)
    code(world, people["second"], text, "security")
    assert text in client.get(address).get_data(as_text=True)


def test_a_codebook_is_imported_from_the_themes_page_or_refused_whole(client, world, people):
    import io

    sign_in(client, people["organiser"])
    page = client.get(f"{base(world)}/themes").get_data(as_text=True)
    bad = b"theme,label,description,parent\neconomy,Economy,,\nbad code,X,,\n"
    response = client.post(
        f"{base(world)}/themes/import",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(bad), "themes.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "line 3: the code" in html
    assert "Economy" not in html.split("<h2>Add a theme")[0].split("</div>", 1)[1]
    good = b"theme,label,description,parent\neconomy,<i>Economy</i>,Trade,security\n"
    response = client.post(
        f"{base(world)}/themes/import",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(good), "themes.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    html = client.get(f"{base(world)}/themes").get_data(as_text=True)
    assert "1 added, 0 updated, 0 unchanged" in html and "&lt;i&gt;Economy&lt;/i&gt;" in html
    csv_text = client.get(f"{base(world)}/themes.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufefftheme,label,description,parent\r\n")
    assert "economy,<i>Economy</i>,Trade,security\r\n" in csv_text


def test_the_codings_file_is_for_researchers_and_spreadsheet_safe(client, world, people):
    code(world, people["organiser"], "nato hope 0", "border")
    sign_in(client, people["researcher"])
    response = client.get(f"{base(world)}/codings.csv")
    assert response.status_code == 200 and response.headers["X-Row-Count"] == "2"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffparticipant,wave,question,coder,theme\r\n")
    plain = client.get(f"{base(world)}/codings.csv?plain=1").get_data(as_text=True)
    assert plain.startswith("participant,")
    assert db.session.query(AuditEvent).filter_by(action="coding.export").count() == 2
