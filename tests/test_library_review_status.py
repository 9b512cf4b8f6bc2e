"""The translation review's status table: each language's recorded status in words, the source
language needing no review, and the button to mark a translation reviewed beside its review."""

import copy
import re
from html import unescape

import pytest

from survey.instruments import instrument_from_definition, shipped_instrument
from survey.instruments.store import store
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def admin(make, client):
    user = make.user("organiser@example.org", admin=True)
    sign_in(client, user)
    return user


def rows(html: str) -> dict[str, list[str]]:
    """The status table's rows by language code: the text of each cell, tags removed."""
    table = html.split('<table class="review-status">')[1].split("</table>")[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        found[re.search(r"\((\w+)\)", cells[0]).group(1)] = cells
    return found


def test_statuses_read_as_words_and_the_source_needs_no_review(app, admin, client):
    version, _new = store(shipped_instrument("nato-pakistan-2014"))
    page = client.get(f"/instruments/nato-pakistan-2014/{version.version}/review")
    html = page.get_data(as_text=True)
    table = rows(html)
    assert list(table) == ["en", "ur", "fr"]
    assert "needs-native-review" not in str(table)
    assert table["ur"][1] == "Needs a native speaker's review" == table["fr"][1]
    assert table["en"][1:] == ["Source text", "not needed for the source"]
    assert table["ur"][2] == "not yet Mark ur as reviewed"
    # Every translated text is there to review, the words findings use included.
    for text_id in ("groups.1.sentence_forms.*.participants", "neutral_forms.*.other"):
        assert f'name="t:{text_id}:fr"' in html
    assert 'name="t:scores.trust.phrases:ur"' in html

    client.post(
        f"/instruments/nato-pakistan-2014/{version.version}/review/ur",
        data={"csrf_token": csrf_token(html)},
    )
    table = rows(client.get(f"/instruments/nato-pakistan-2014/{version.version}/review").text)
    assert table["ur"][1] == "Reviewed"  # what the file said is no longer the news
    assert table["ur"][2].startswith("by organiser@example.org, ") and "Mark" not in table["ur"][2]
    assert table["fr"][1:] == ["Needs a native speaker's review", "not yet Mark fr as reviewed"]
    facts = client.get(f"/instruments/nato-pakistan-2014/{version.version}").text
    languages = unescape(re.search(r"<dt>Languages</dt><dd>(.*?)</dd>", facts).group(1))
    assert languages.startswith(
        "en: the source; ur (right to left): reviewed by organiser@example.org, "
    )
    assert languages.endswith("; fr: needs a native speaker's review")


def test_a_status_of_its_own_is_shown_as_written(app, admin, client):
    document = copy.deepcopy(shipped_instrument("nato-pakistan-2014").definition)
    document["metadata"]["translations"] = {"ur": {"status": "machine-translated"}}
    version, _new = store(instrument_from_definition(document))
    table = rows(client.get(f"/instruments/nato-pakistan-2014/{version.version}/review").text)
    assert table["ur"][1] == "Machine translated"
    assert table["fr"][1] == "not recorded"


@pytest.mark.parametrize(
    ("recorded", "urdu"),
    [
        ({"ur": "reviewed"}, "Reviewed, says the file"),
        ({"ur": ["reviewed"], "fr": {"status": 3}}, "not recorded"),
        ("reviewed", "not recorded"),
        (["ur"], "not recorded"),
    ],
)
def test_free_form_metadata_of_any_shape_never_breaks_the_pages(app, admin, client, recorded, urdu):
    document = copy.deepcopy(shipped_instrument("nato-pakistan-2014").definition)
    document["metadata"]["translations"] = recorded
    version, _new = store(instrument_from_definition(document))
    for page in ("", "/review"):
        response = client.get(f"/instruments/nato-pakistan-2014/{version.version}{page}")
        assert response.status_code == 200, page
    assert rows(response.text)["ur"][1] == urdu
