"""Staff accounts, their per-workshop grants, their two-step sign-in, password resets and
tokens for the API."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow
from survey.models.workshop import Workshop


class Role(enum.StrEnum):
    ORGANISER = "organiser"
    RESEARCHER = "researcher"


class StaffUser(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Part of the session cookie; bumping it (logout, password change) ends every session.
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step sign-in (survey.auth.two_step): the authenticator app's shared secret (base32),
    # since when it is asked for, and the last time step whose code was taken (a code is taken
    # once).
    two_step_secret: Mapped[str | None] = mapped_column(String(32))
    two_step_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    two_step_last_step: Mapped[int | None]
    # A password reset asked for by e-mail (survey.auth.reset): the SHA-256 of the link's token
    # and when the link was sent (it works for an hour, once).
    reset_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grants: Mapped[list["Grant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def two_step(self) -> bool:
        return self.two_step_secret is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def roles_in(self, workshop: Workshop) -> set[Role]:
        return {g.role for g in self.grants if g.workshop_id == workshop.id}


class Grant(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "workshop_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[StaffUser] = relationship(back_populates="grants")
    workshop: Mapped[Workshop] = relationship()


class RecoveryCode(db.Model):
    """One of a staff member's single-use codes for signing in without their authenticator
    app; only the SHA-256 of each is kept."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")


class ApiToken(db.Model):
    """A staff member's token for scripts that read the JSON API (`Authorization: Bearer`),
    with the staff member's roles; only its SHA-256 is kept (survey.auth.api_tokens)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship()
