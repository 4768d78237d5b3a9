"""Registry files staged between 预览 and 确认导入, kept in the database (not in one process's memory):
behind several server processes the confirmation may reach another one, and a restart loses nothing.
A staged file lives an hour; only the administrator who uploaded it can apply it, once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select

from govinspect.store import UnitOfWork
from govinspect.store.models import StagedImportRecord, now
from govinspect.web.accounts import User

STAGED_LIFETIME = dt.timedelta(hours=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stage_upload(uow: UnitOfWork, user: User, filename: str, suffix: str, data: bytes) -> str:
    """Keep the file; returns the token the preview page carries to the confirmation."""
    uow.session.execute(
        delete(StagedImportRecord).where(StagedImportRecord.created_at < now() - STAGED_LIFETIME)
    )
    token = secrets.token_urlsafe(16)
    uow.session.add(
        StagedImportRecord(
            token_hash=_hash(token), user_id=user.id, filename=filename[:255], suffix=suffix, data=data
        )
    )
    uow.session.flush()
    return token


def take_upload(uow: UnitOfWork, user: User, token: str) -> tuple[str, str, bytes] | None:
    """(filename, suffix, data) of the user's staged file, removed as it is taken; None when the token
    is unknown, another user's, or older than an hour."""
    rec = uow.session.scalar(select(StagedImportRecord).where(StagedImportRecord.token_hash == _hash(token)))
    if rec is None or rec.user_id != user.id:
        return None
    uow.session.delete(rec)
    if now() - rec.created_at > STAGED_LIFETIME:
        return None
    return rec.filename, rec.suffix, rec.data
