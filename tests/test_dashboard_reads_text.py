"""Free-text answers read from the database: inside the filters, in an order that tells nothing."""

from survey.dashboard.filters import Filters
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.text import text_answers
from survey.models import ResponseStatus


def test_text_answers_respect_filters_and_say_nothing_of_who_or_when(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre = ws.waves[0]
    texts = ["zebra", "Apple", "mango"]
    for i, text in enumerate(texts):
        p = make.participant(ws, "nato", sector="media" if i else "academia")
        make.response(p, pre, {"hope_text": text, "experience": "lt2" if i == 2 else "none"})
    hidden = make.participant(ws, "nato", sector="media")
    make.response(hidden, pre, {"hope_text": "not submitted"}, status=ResponseStatus.IN_PROGRESS)
    setting = workshop_setting(ws)
    every = text_answers(setting, Filters(), ["hope_text"])
    assert [a.text for a in every] == ["Apple", "mango", "zebra"]
    assert {(a.group, a.wave) for a in every} == {("nato", "pre")}
    assert [a.text for a in text_answers(setting, Filters(sector="media"), ["hope_text"])] == [
        "Apple",
        "mango",
    ]
    assert [a.text for a in text_answers(setting, Filters(experience="lt2"), ["hope_text"])] == [
        "mango"
    ]
    assert text_answers(setting, Filters(language="fr"), ["hope_text"]) == []
    assert text_answers(setting, Filters(), []) == []
