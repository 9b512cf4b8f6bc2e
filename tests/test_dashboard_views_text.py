from survey.dashboard.filters import Filters
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.matching import matching
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.dashboard.reads.text import TEXT_PAGE
from survey.dashboard.views.text import free_text, page_count, workshop_free_text
from survey.extensions import db
from survey.linking import linking_hashes
from tests.dashboard_helpers import populate

TEXTS = {"hope_text": "Trust", "takeaway_text": "Talk", "view_change_text": "Listen"}


def test_blocks_follow_the_waves_that_ask_each_question(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, {"nato": 6, "pakistan": 6}, post_share=1.0, seed=1, text=TEXTS)
    blocks = free_text(workshop_setting(ws), Filters())
    where = [(b.question, b.group, b.wave) for b in blocks]
    assert where == [
        ("hope_text", "nato", "pre"),
        ("hope_text", "pakistan", "pre"),
        ("takeaway_text", "nato", "post"),
        ("takeaway_text", "pakistan", "post"),
        ("view_change_text", "nato", "post"),
        ("view_change_text", "pakistan", "post"),
    ]
    first = blocks[0]
    assert (first.respondents, first.suppressed, first.answers) == (6, False, ["Trust"] * 6)
    assert (
        first.question_text
        == "What is the single most important thing this workshop should achieve?"
    )
    chosen = free_text(
        workshop_setting(ws), Filters(), question="takeaway_text", group="pakistan", wave="post"
    )
    assert [(b.question, b.group, b.wave, len(b.answers)) for b in chosen] == [
        ("takeaway_text", "pakistan", "post", 6)
    ]
    assert free_text(workshop_setting(ws), Filters(), question="hope_text", wave="post") == []


def test_never_for_a_small_cell_or_a_small_complement(make):
    ws = make.workshop(open_waves=("pre",), min_cell=5)
    # NATO: 10, of which 5 in English and 5 in Urdu; Pakistan: 4.
    populate(ws, {"nato": 10, "pakistan": 4}, seed=2, text={"hope_text": "secret"})
    setting = workshop_setting(ws)
    nato, pakistan = free_text(setting, Filters(), question="hope_text")
    assert len(nato.answers) == 10 and not nato.suppressed
    assert pakistan.suppressed and pakistan.answers == [] and pakistan.respondents == 4
    urdu = free_text(setting, Filters(language="ur"), question="hope_text", group="nato")
    assert urdu[0].respondents == 5 and len(urdu[0].answers) == 5
    media = free_text(setting, Filters(sector="media"), question="hope_text", group="nato")
    # Sectors cycle over three values: 3 in media (complement 7), under min_cell itself.
    assert media[0].suppressed and media[0].answers == []


def test_answers_come_a_page_at_a_time_with_their_count(make):
    ws = make.workshop(open_waves=("pre",))
    words = [f"idea {chr(ord('a') + i)}" for i in range(12)]
    for word in reversed(words):
        make.response(make.participant(ws, "nato"), ws.waves[0], {"hope_text": word})
    setting = workshop_setting(ws)

    def page(number):
        (block,) = free_text(
            setting, Filters(), question="hope_text", group="nato", page=number, per_page=5
        )
        return block

    first, last, past = page(1), page(3), page(4)
    assert (first.answers, first.total, first.first) == (words[:5], 12, 1)
    assert (last.answers, last.total, last.first) == (words[10:], 12, 11)
    assert (past.answers, past.total) == ([], 12)
    assert page_count([first], per_page=5) == 3
    everything = free_text(setting, Filters(), question="hope_text", group="nato")[0]
    assert everything.answers == words and everything.total == 12


def test_the_experience_filter_follows_a_linking_code_pair_as_the_statistics_do(
    make, count_statements
):
    """Someone who lost their link and enrolled again answers the profile in one wave only; the
    statistics give their experience to both participants the linking code pairs, and so does
    the free text (its cell sizes too)."""
    ws = make.workshop(open_waves=("pre", "post"), min_cell=2)
    pre, post = ws.waves
    pairs = []
    for mother in ("Amina", "Bushra"):
        code = linking_hashes(ws, {"mother": mother, "day": "7", "town": "Lahore", "siblings": "2"})
        pair = make.participant(ws, "nato"), make.participant(ws, "nato")
        for participant in pair:
            for column, value in code.items():
                setattr(participant, column, value)
        pairs.append(pair)
    db.session.commit()
    for first, again in pairs:
        make.response(first, pre, {"experience": "5to9", "hope_text": f"Trust {first.id}"})
        make.response(again, post, {"takeaway_text": f"Talk {again.id}"})
    strangers = [make.participant(ws, "nato") for _ in range(2)]
    for stranger in strangers:
        make.response(stranger, post, {"experience": "lt2", "takeaway_text": "Other"})
    setting = workshop_setting(ws)
    links = matching(ws)[1]
    assert links == {again.id: first.id for first, again in pairs}
    counted = {
        band: sorted(
            (r.wave, r.participant)
            for r in load_dataset(setting, links).respondents
            if r.experience == band
        )
        for band in ("5to9", "lt2")
    }
    people = sorted(first.public_id for first, _ in pairs)
    assert counted == {
        "5to9": [("post", p) for p in people] + [("pre", p) for p in people],
        "lt2": sorted(("post", s.public_id) for s in strangers),
    }

    def shown(band: str) -> list[tuple[str, str, int, list[str]]]:
        blocks = workshop_free_text(
            setting,
            ws,
            Filters(experience=band),
            data_signature(setting),
            question=None,
            group="nato",
            wave=None,
            page=1,
            per_page=TEXT_PAGE,
        )
        return [(b.question, b.wave, b.respondents, b.answers) for b in blocks]

    trust = sorted(f"Trust {first.id}" for first, _ in pairs)
    talk = sorted(f"Talk {again.id}" for _, again in pairs)
    with count_statements() as seen:
        in_band = shown("5to9")
    # The pairs' answers are read once for the page, not once for each selection it counts.
    assert sum("GROUP BY response.participant_id" in s for s in seen.statements) == 1
    assert in_band == [
        ("hope_text", "pre", 2, trust),
        ("takeaway_text", "post", 2, talk),
        ("view_change_text", "post", 2, []),
    ]
    assert shown("lt2") == [
        ("hope_text", "pre", 0, []),
        ("takeaway_text", "post", 2, ["Other", "Other"]),
        ("view_change_text", "post", 2, []),
    ]
