"""A workshop's dataset: submitted answers of participants who stay, as records and arrays."""

import numpy as np

from survey.analysis import Respondent
from survey.dashboard.filters import Filters
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.setting import workshop_setting
from survey.extensions import db
from survey.models import ResponseStatus
from survey.models._types import utcnow


def test_dataset_holds_submitted_answers_of_participants_who_stay(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    kept = make.participant(ws, "nato", sector="media")
    gone = make.participant(ws, "pakistan", sector="academia")
    unfinished = make.participant(ws, "pakistan")
    make.response(
        kept,
        pre,
        {
            "trust_commitments": 4,
            "trust_agenda": -9,
            "warmth": 70,
            "obstacle_legacy": 2,
            "experience": "5to9",
            "hope_text": "peace",
            "priorities": {"counter_terrorism": 2, "afghan_transition": 1},
        },
        language="ur",
    )
    make.response(kept, post, {"trust_commitments": 5})
    make.response(gone, pre, {"trust_commitments": 1})
    make.response(unfinished, pre, {"trust_commitments": 3}, status=ResponseStatus.IN_PROGRESS)
    gone.withdrawn_at = utcnow()
    db.session.commit()

    setting = workshop_setting(ws)
    data = load_dataset(setting)
    by_wave = {r.wave: r for r in data.respondents}
    assert set(by_wave) == {"pre", "post"}
    first = by_wave["pre"]
    assert first == Respondent(
        participant=kept.public_id,
        group="nato",
        wave="pre",
        language="ur",
        sector="media",
        experience="5to9",
        values={"trust_commitments": 4, "trust_agenda": -9, "warmth": 70},
        ranking={"counter_terrorism": 2, "afghan_transition": 1},
    )
    # The profile answer given once holds for the later wave too.
    assert by_wave["post"].experience == "5to9"
    assert by_wave["post"].values == {"trust_commitments": 5}
    row = [r.wave for r in data.respondents].index("pre")
    column = setting.numeric.index("obstacle_legacy")
    assert data.values[row, column] == 2
    assert np.isnan(data.values[row, setting.numeric.index("optimism")])
    assert list(data.language[data.selections(Filters(language="ur")).inside]) == ["ur"]


def test_dataset_of_an_empty_workshop(make):
    ws = make.workshop()
    data = load_dataset(workshop_setting(ws))
    assert data.respondents == () and data.values.shape[0] == 0
