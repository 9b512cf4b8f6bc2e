"""The workshop with its groups and waves, read for its dashboard Setting."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.dashboard.setting import Setting, setting_of
from survey.extensions import db
from survey.models import Wave, Workshop


def workshop_setting(workshop: Workshop) -> Setting:
    """The workshop's groups, waves, instrument, analysis spec and labels (one statement)."""
    workshop = (
        db.session.scalars(
            select(Workshop)
            .where(Workshop.id == workshop.id)
            .options(
                joinedload(Workshop.groups),
                joinedload(Workshop.waves).joinedload(Wave.instrument_version),
            )
            .execution_options(populate_existing=True)
        )
        .unique()
        .one()
    )
    return setting_of(workshop)
