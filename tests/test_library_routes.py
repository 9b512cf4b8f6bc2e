"""The instrument library in the console: upload with a check before anything is stored,
a version's page, preview in any group and language, downloads, the translation review
(corrections make a new version; languages marked reviewed), the diff, who sees what, and
switching a wave's version."""

import copy
import io
import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.instruments import instrument_from_definition
from survey.instruments.library import library
from survey.instruments.loader import definition_from_file
from survey.instruments.store import store
from survey.models import (
    AuditEvent,
    InstrumentVersion,
    ResponseStatus,
    TranslationReview,
    VersionOrigin,
)
from survey.models.instruments import _parsed_instrument
from tests.conftest import csrf_token, page_token, sign_in
from tests.instrument_workbooks import (
    TRUST_KEEPS_UR,
    TRUST_KEEPS_UR_CORRECTED,
    UR,
    authored,
    workbook_bytes,
)


@pytest.fixture
def admin(make, client):
    """An admin, signed in: organisers of a workshop are tested apart (a workshop stores the
    shipped questionnaire it uses as a version, which these tests want still unstored)."""
    user = make.user("organiser@example.org", admin=True)
    sign_in(client, user)
    return user


def test_the_library_is_for_admins_and_organisers(app, make, client):
    workshop = make.workshop("read")
    sign_in(client, make.user("researcher@example.org", grants={workshop: "researcher"}))
    assert "Questionnaires" not in client.get("/workshops").get_data(as_text=True)
    assert client.get("/instruments").status_code == 403
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    sign_in(client, make.user("organiser@example.org", grants={workshop: "organiser"}))
    assert "Questionnaires" in client.get("/workshops").get_data(as_text=True)
    assert client.get("/instruments").status_code == 200


def upload(client, data: bytes, name: str = "lahore.xlsx"):
    page = client.get("/instruments").get_data(as_text=True)
    return client.post(
        "/instruments/upload",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, check_page: str):
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', check_page).group(1)
    return client.post(
        "/instruments/upload/confirm",
        data={"csrf_token": csrf_token(check_page), "payload": payload},
    )


def imported(client) -> InstrumentVersion:
    check = upload(client, workbook_bytes(authored()))
    assert check.status_code == 200, check.get_data(as_text=True)
    confirm(client, check.get_data(as_text=True))
    return InstrumentVersion.query.filter_by(key="lahore-2027").one()


def test_the_library_lists_the_shipped_instrument(app, admin, client):
    page = client.get("/instruments").get_data(as_text=True)
    assert "NATO–Pakistan partnership after 2014" in page
    assert 'href="/instruments/nato-pakistan-2014/shipped"' in page
    assert 'enctype="multipart/form-data"' in page


def test_an_upload_is_checked_then_stored_on_confirmation(app, admin, client):
    response = upload(client, workbook_bytes(authored()))
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Importing stores it as <strong>lahore-2027@1</strong>" in page
    assert "pre: 8 questions on 2 pages" in page
    assert InstrumentVersion.query.count() == 0  # nothing stored by the check

    stored = confirm(client, page)

    version = InstrumentVersion.query.one()
    assert stored.status_code == 302 and stored.location == "/instruments/lahore-2027/1"
    assert (version.label, version.origin, version.created_by_id) == (
        "lahore-2027@1",
        VersionOrigin.IMPORTED,
        admin.id,
    )
    assert AuditEvent.query.filter_by(action="instrument.import").count() == 1
    again = upload(client, workbook_bytes(authored())).get_data(as_text=True)
    assert "stored already, as" in again


def test_a_bad_upload_names_every_problem_and_stores_nothing(app, admin, client):
    sheets = authored()
    del sheets["survey"][1][UR]
    sheets["survey"][8]["type"] = "rank regions"
    response = upload(client, workbook_bytes(sheets))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 problems: nothing was stored" in page
    assert "lahore.xlsx: survey, row 3, column D (label::Urdu (ur)): missing translation" in page
    assert "the choice list &#39;regions&#39; does not exist" in page
    assert 'name="payload"' not in page
    assert InstrumentVersion.query.count() == 0


def test_a_file_that_is_not_a_questionnaire_is_refused(app, admin, client):
    for data, name in ((b"\x00\x01 not text", "x.bin"), (b"PK\x03\x04junk", "x.xlsx")):
        response = upload(client, data, name)
        assert response.status_code == 422
    response = upload(client, b"Questions for the workshop\n", "notes.txt")
    assert response.status_code == 422
    assert "XLSForm workbook (.xlsx), YAML (.yaml, .yml) or JSON (.json), not a .txt file" in (
        response.get_data(as_text=True)
    )
    assert InstrumentVersion.query.count() == 0


def test_a_yaml_file_with_aliases_is_refused_at_once(app, admin, client):
    nested = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    nested += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 9)]
    response = upload(client, "\n".join(["key: bomb", *nested]).encode(), "bomb.yaml")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "an alias (*l0) is not allowed" in page
    assert InstrumentVersion.query.count() == 0


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[" * 5000 + "]" * 5000, "deep.yaml"),
        ("[" * 5000 + "]" * 5000, "deep.json"),
        ('{"a":' * 5000 + "1" + "}" * 5000, "deep.json"),
    ],
)
def test_a_file_nested_too_deep_is_refused(app, admin, client, text, name):
    response = upload(client, text.encode(), name)
    assert response.status_code == 422
    assert "nested more than 32 levels deep" in response.get_data(as_text=True)
    assert InstrumentVersion.query.count() == 0


def test_an_upload_larger_than_the_limit_is_refused(app, admin, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, b"x" * 4096, "big.yaml")
    assert response.status_code == 413


def test_a_forged_confirmation_is_refused(app, admin, client):
    page = client.get("/instruments").get_data(as_text=True)
    response = client.post(
        "/instruments/upload/confirm",
        data={"csrf_token": csrf_token(page), "payload": "forged"},
    )
    assert response.status_code == 400
    assert InstrumentVersion.query.count() == 0


def test_a_version_page_links_its_preview_downloads_and_review(app, admin, client):
    imported(client)
    page = client.get("/instruments/lahore-2027/1").get_data(as_text=True)
    assert '/instruments/lahore-2027/1/preview/pre/india/ur" hreflang="ur">Urdu</a>' in page
    assert "/instruments/lahore-2027/1/download/xlsform" in page
    assert "/instruments/lahore-2027/1/review" in page
    assert "/workshops/new?instrument=lahore-2027@1" in page


def test_a_version_is_previewed_as_either_group_in_any_language(app, admin, client):
    imported(client)
    before = db.session.execute(db.text("select count(*) from response")).scalar()
    page = client.get("/instruments/lahore-2027/1/preview/pre/pakistan/ur/views")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'lang="ur" dir="rtl"' in html
    assert "بھارت اپنے وعدے رکھتا ہے۔" in html  # {other} of Pakistan, in Urdu
    posted = client.post(
        "/instruments/lahore-2027/1/preview/pre/pakistan/ur/views",
        data={"csrf_token": csrf_token(html), "trust_keeps": "4", "nav": "next"},
    )
    assert posted.status_code == 302
    assert posted.location.endswith("/instruments/lahore-2027/1/preview/pre/pakistan/ur/plans")
    assert db.session.execute(db.text("select count(*) from response")).scalar() == before
    assert client.get("/instruments/lahore-2027/1/preview/pre/pakistan/de").status_code == 404
    assert client.get("/instruments/lahore-2027/1/preview/later/india/en").status_code == 404


def test_downloads_give_files_that_read_back_the_same(app, admin, client):
    version = imported(client)
    for fmt, name in (("yaml", "lahore-2027-1.yaml"), ("xlsform", "lahore-2027-1.xlsx")):
        response = client.get(f"/instruments/lahore-2027/1/download/{fmt}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert definition_from_file(response.data, name) == version.instrument.definition
    shipped = client.get("/instruments/nato-pakistan-2014/shipped/download/xlsform")
    assert shipped.headers["Content-Disposition"].endswith('filename="nato-pakistan-2014.xlsx"')
    assert client.get("/instruments/lahore-2027/1/download/pdf").status_code == 404


def test_the_review_shows_every_text_side_by_side_source_first(app, admin, client):
    imported(client)
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)
    header = re.search(r"<thead><tr><th scope=\"col\">Text</th>(.*?)</tr></thead>", page).group(1)
    assert re.findall(r"\((\w+)\)</th>", header) == ["en", "ur", "fr"]
    assert (
        'name="t:pages.0.questions.0.texts:ur" lang="ur" dir="rtl"' in page
        and TRUST_KEEPS_UR in page
    )
    assert "Mark ur as reviewed" in page and "Mark en as reviewed" not in page


def test_a_correction_makes_a_new_version_and_leaves_the_old_one(app, admin, client):
    version = imported(client)
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)

    saved = client.post(
        "/instruments/lahore-2027/1/review",
        data={
            "csrf_token": csrf_token(page),
            "t:pages.0.questions.0.texts:ur": TRUST_KEEPS_UR_CORRECTED,
        },
    )

    assert saved.status_code == 302 and saved.location == "/instruments/lahore-2027/2/review"
    db.session.expire_all()
    old, new = InstrumentVersion.query.order_by(InstrumentVersion.version).all()
    assert old.id == version.id
    assert old.instrument.question("trust_keeps").text("ur") == TRUST_KEEPS_UR
    assert new.instrument.question("trust_keeps").text("ur") == TRUST_KEEPS_UR_CORRECTED
    assert (new.origin, new.based_on_id) == (VersionOrigin.CORRECTED, old.id)
    diff = client.get("/instruments/lahore-2027/diff?before=1&after=2").get_data(as_text=True)
    assert "Only wording or translations changed (1 change)" in diff
    assert "question trust_keeps" in diff and "text (ur)" in diff


def test_a_correction_that_breaks_the_questionnaire_is_refused(app, admin, client):
    imported(client)
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)
    response = client.post(
        "/instruments/lahore-2027/1/review",
        data={"csrf_token": csrf_token(page), "t:pages.0.questions.0.texts:ur": "{دوسرا} غلط"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 problem: nothing was stored" in html
    assert "malformed placeholder" in html
    assert "{دوسرا} غلط" in html  # what was typed is kept
    assert InstrumentVersion.query.count() == 1


def test_marking_a_language_reviewed_records_who_and_when(app, admin, client):
    imported(client)
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)
    response = client.post(
        "/instruments/lahore-2027/1/review/ur", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    review = TranslationReview.query.one()
    assert (review.language, review.reviewer_email) == ("ur", "organiser@example.org")
    assert review.reviewed_at is not None
    assert "by organiser@example.org" in client.get(response.location).get_data(as_text=True)
    # Reviews of languages a correction leaves alone carry over to the new version.
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)
    client.post(
        "/instruments/lahore-2027/1/review",
        data={"csrf_token": csrf_token(page), "t:pages.0.questions.0.texts:fr": "{other} tient."},
    )
    new = InstrumentVersion.query.filter_by(version=2).one()
    assert [r.language for r in new.reviews] == ["ur"]


def test_the_shipped_file_is_stored_when_reviewed(app, admin, client):
    page = client.get("/instruments/nato-pakistan-2014/shipped/review").get_data(as_text=True)
    response = client.post(
        "/instruments/nato-pakistan-2014/shipped/review/ur", data={"csrf_token": csrf_token(page)}
    )
    assert response.location == "/instruments/nato-pakistan-2014/1/review"
    assert InstrumentVersion.query.one().origin == VersionOrigin.SHIPPED


def test_staff_see_only_the_instruments_of_their_workshops(app, make, client):
    owner = make.user("owner@example.org", grants={make.workshop("owned"): "organiser"})
    sign_in(client, owner)
    imported(client)
    client.post(
        "/auth/logout",
        data={"csrf_token": page_token(client, "/instruments")},
    )
    stranger = make.user("stranger@example.org", grants={make.workshop("other"): "organiser"})
    sign_in(client, stranger)
    assert "lahore-2027" not in client.get("/instruments").get_data(as_text=True)
    for path in (
        "/instruments/lahore-2027/1",
        "/instruments/lahore-2027/1/review",
        "/instruments/lahore-2027/1/download/yaml",
        "/instruments/lahore-2027/diff",
    ):
        assert client.get(path).status_code == 404, path
    # Nor can they store a version under the key.
    refused = upload(client, workbook_bytes(authored())).get_data(as_text=True)
    assert "belongs to an instrument of other workshops" in refused
    # An organiser of a workshop that uses it sees it.
    ws = make.workshop("lahore", instrument_key="lahore-2027@1")
    colleague = make.user("colleague@example.org", grants={ws: "organiser"})
    client.post(
        "/auth/logout",
        data={"csrf_token": page_token(client, "/instruments")},
    )
    sign_in(client, colleague)
    assert client.get("/instruments/lahore-2027/1").status_code == 200


def _corrected(shipped, version: str, **changes):
    """A correction of `shipped` stored as a new version: its author's `version`, and these
    top-level entries of the definition changed."""
    corrected = copy.deepcopy(shipped.instrument.definition) | changes
    corrected["version"] = version
    stored, _new = store(_instrument(corrected), origin=VersionOrigin.CORRECTED, based_on=shipped)
    db.session.commit()
    return stored


def test_a_wave_switches_version_only_while_it_has_no_response(app, make, client):
    ws = make.workshop("switch", open_waves=())
    user = make.user("org@example.org", grants={ws: "organiser"})
    sign_in(client, user)
    shipped = ws.wave("pre").instrument_version
    _corrected(shipped, "2014.2")
    page = client.get("/workshops/switch/waves/post").get_data(as_text=True)
    assert "nato-pakistan-2014@2" in page

    ok = client.post(
        "/workshops/switch/waves/post/version",
        data={"csrf_token": csrf_token(page), "version": "nato-pakistan-2014@2"},
    )

    # Neither wave has a response: the pre wave, on the same version, moves with it (a
    # translation corrected before fieldwork reaches both waves that ask the text).
    assert ok.status_code == 302
    assert "for the post and pre waves" in client.get(ok.location).text
    db.session.expire_all()
    assert {w.code: w.instrument_version.label for w in ws.waves} == {
        "pre": "nato-pakistan-2014@2",
        "post": "nato-pakistan-2014@2",
    }
    assert [e.detail for e in AuditEvent.query.filter_by(action="wave.version")] == [
        {"wave": "post", "from": "nato-pakistan-2014@1", "to": "nato-pakistan-2014@2"},
        {"wave": "pre", "from": "nato-pakistan-2014@1", "to": "nato-pakistan-2014@2"},
    ]
    _corrected(ws.wave("pre").instrument_version, "2014.3")
    make.response(make.participant(ws), "pre", status=ResponseStatus.IN_PROGRESS)
    page = client.get("/workshops/switch/waves/pre").get_data(as_text=True)
    assert "The wave has responses: it keeps nato-pakistan-2014@2" in page
    refused = client.post(
        "/workshops/switch/waves/pre/version",
        data={"csrf_token": csrf_token(page), "version": "nato-pakistan-2014@3"},
        follow_redirects=True,
    )
    assert "the pre wave has responses: its version nato-pakistan-2014@2 is frozen" in (
        refused.get_data(as_text=True)
    )
    alone = client.post(
        "/workshops/switch/waves/post/version",
        data={"csrf_token": csrf_token(page), "version": "nato-pakistan-2014@3"},
        follow_redirects=True,
    )
    assert "for the post wave." in alone.text
    db.session.expire_all()
    assert {w.code: w.instrument_version.label for w in ws.waves} == {
        "pre": "nato-pakistan-2014@2",
        "post": "nato-pakistan-2014@3",
    }


def test_a_wave_keeps_its_version_when_shared_items_would_differ(app, make, client):
    ws = make.workshop("shared", open_waves=())
    user = make.user("org@example.org", grants={ws: "organiser"})
    sign_in(client, user)
    changed = copy.deepcopy(ws.wave("pre").instrument_version.instrument.definition)
    changed["pages"][1]["questions"][5]["reversed"] = False
    store(_instrument(changed), origin=VersionOrigin.IMPORTED)
    make.response(make.participant(ws), "pre", status=ResponseStatus.IN_PROGRESS)
    db.session.commit()
    page = client.get("/workshops/shared/waves/post").get_data(as_text=True)
    response = client.post(
        "/workshops/shared/waves/post/version",
        data={"csrf_token": csrf_token(page), "version": "nato-pakistan-2014@2"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "The post wave keeps its version: the items this wave shares with the other waves" in (
        html
    )
    assert (
        "trust_agenda: reversed differs between nato-pakistan-2014@1 (pre) and"
        " nato-pakistan-2014@2 (post)"
    ) in html
    db.session.expire_all()
    assert ws.wave("post").instrument_version.label == "nato-pakistan-2014@1"


def _instrument(definition):
    return instrument_from_definition(definition)


def test_lists_of_versions_show_them_without_parsing_a_definition(
    app, make, client, count_statements
):
    """The library, the new workshop's choice of questionnaire and a wave's choice of version
    list every version from what is stored beside its definition: parsing one takes some 20 ms,
    and a library grows by a version with every correction."""
    ws = make.workshop("many", open_waves=())
    sign_in(client, make.user("org@example.org", admin=True))
    count = 40  # more than the parsed definitions a process keeps
    _corrections(ws.wave("pre").instrument_version, count)
    newest = f"nato-pakistan-2014@{count}"
    pages = {
        "/instruments?all=nato-pakistan-2014": [
            f"After 2014, take {count} <code>nato-pakistan-2014</code>",
            f'<td role="cell" data-label="Author\'s version">2014.{count}</td>',
            '<td role="cell" data-label="Author\'s version">2014.1</td>',
            '<td role="cell" data-label="Languages">en, fr, ur</td>',
            '<td role="cell" data-label="Languages">en, ur, fr</td>',
        ],
        "/workshops/new": [
            f'<option value="{newest}">After 2014, take {count} – {newest} (corrected)</option>',
            "NATO–Pakistan partnership after 2014 – nato-pakistan-2014@1 (shipped)</option>",
        ],
        "/workshops/many/waves/pre": [f'<option value="{newest}">'],
    }
    for path, shown in pages.items():
        _parsed_instrument.cache_clear()
        db.session.remove()
        with count_statements() as seen:
            page = client.get(path).get_data(as_text=True)
        assert len(seen.statements) <= 10, (path, seen.statements)  # not one per version
        for text in shown:
            assert text in page, (path, text)
        # The wave's page reads its own version, for its questions: nothing else.
        assert _parsed_instrument.cache_info().misses <= (path.count("/waves/")), path


def test_the_library_lists_the_newest_versions_and_every_one_on_request(app, make, client):
    ws = make.workshop("many", open_waves=())
    sign_in(client, make.user("org@example.org", admin=True))
    _corrections(ws.wave("pre").instrument_version, 12)
    listed = client.get("/instruments").get_data(as_text=True)
    versions = re.findall(r'href="/instruments/nato-pakistan-2014/(\d+)"', listed)
    assert versions == [str(n) for n in range(3, 13)]  # the newest ten, oldest first
    assert "The newest 10 of its 12 versions." in listed
    # The shipped file is version 1, older than the ten listed: still not offered apart.
    assert "nato-pakistan-2014 (shipped)" not in listed
    every = client.get("/instruments?all=nato-pakistan-2014#nato-pakistan-2014")
    html = every.get_data(as_text=True)
    assert re.findall(r'href="/instruments/nato-pakistan-2014/(\d+)"', html) == [
        str(n) for n in range(1, 13)
    ]
    assert "The newest" not in html
    assert 'href="/instruments?all=nato-pakistan-2014#nato-pakistan-2014"' in listed


def test_the_library_reads_only_the_versions_it_lists(app, make, count_statements):
    ws = make.workshop("many", open_waves=())
    _corrections(ws.wave("pre").instrument_version, 12)
    db.session.commit()
    db.session.expunge_all()
    with count_statements() as seen:
        (entry,) = library(None, newest=3)
    assert [version.version for version in entry.versions] == [10, 11, 12]
    assert entry.stored == 12
    assert entry.shipped_stored  # version 1, not among those read
    assert len(seen.statements) <= 4  # versions, their reviews and authors, the shipped file
    assert len([o for o in db.session if isinstance(o, InstrumentVersion)]) == 3
    (whole,) = library(None, newest=3, whole="nato-pakistan-2014")
    assert [version.version for version in whole.versions] == list(range(1, 13))
    (every,) = library(None)
    assert len(every.versions) == every.stored == 12


def test_a_shipped_file_not_stored_is_offered_apart(app, make):
    make.workshop("many", open_waves=())
    shipped = db.session.scalar(select(InstrumentVersion))
    shipped.checksum = "0" * 64  # as if another definition had been stored under the key
    db.session.commit()
    (entry,) = library(None, newest=10)
    assert entry.stored == 1 and not entry.shipped_stored


def _corrections(shipped, count: int) -> None:
    """Versions 2 to `count` of the shipped questionnaire stored as corrections, each with its
    own author's version and title (the last with its languages in another order)."""
    definition = shipped.instrument.definition
    for n in range(2, count + 1):
        titles = {**definition["titles"], "en": f"After 2014, take {n}"}
        languages = ["en", "fr", "ur"] if n == count else definition["languages"]
        _corrected(shipped, f"2014.{n}", titles=titles, languages=languages)
    db.session.expire_all()
