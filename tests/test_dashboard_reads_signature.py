"""The data's signature moves whenever what the statistics read does."""

from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_version
from survey.extensions import db
from survey.models import ResponseStatus
from survey.models._types import utcnow


def test_data_version_moves_with_what_the_statistics_read(make):
    ws = make.workshop(open_waves=("pre", "post"))
    setting = workshop_setting(ws)
    p = make.participant(ws, "nato", sector="media")
    before = data_version(setting)
    response = make.response(
        p, ws.waves[0], {"trust_commitments": 4}, status=ResponseStatus.IN_PROGRESS
    )
    assert data_version(setting) == before  # in progress: not in the statistics yet
    response.status = ResponseStatus.SUBMITTED
    db.session.commit()
    submitted = data_version(setting)
    assert submitted != before
    p.sector = "academia"
    db.session.commit()
    resectored = data_version(setting)
    assert resectored != submitted
    p.withdrawn_at = utcnow()
    db.session.commit()
    assert data_version(setting) not in (before, submitted, resectored)
