"""Accounts of the web app: users and roles, personal API tokens, the audit log, login throttling.

Every function takes a UnitOfWork (`with store.unit_of_work() as uow:`), so a change and its
audit entry are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from govinspect.store import InputError, UnitOfWork
from govinspect.store.models import (
    ApiTokenRecord,
    AuditRecord,
    LoginAttemptRecord,
    LoginSessionRecord,
    UserRecord,
    now,
)

ADMIN, SUPERVISOR, OPERATOR, VIEWER = "管理员", "监管人员", "网站主办单位", "只读"
ROLES = (ADMIN, SUPERVISOR, OPERATOR, VIEWER)
MIN_PASSWORD_LENGTH = 10
# Throttling: this many failed logins in the window lock the name (or the address) until it passes.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
TOKEN_PREFIX = "gvi_"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    regions: list[str] = field(default_factory=list)
    organisers: list[str] = field(default_factory=list)
    site_ids: list[int] = field(default_factory=list)

    @property
    def can_write(self) -> bool:
        """May start inspections (an operator: of their own sites)."""
        return self.role != VIEWER

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def _user(rec: UserRecord) -> User:
    return User(
        rec.id,
        rec.username,
        rec.role,
        list(rec.regions or []),
        list(rec.organisers or []),
        [int(i) for i in rec.site_ids or []],
    )


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")


def create_user(
    uow: UnitOfWork,
    username: str,
    password: str,
    role: str,
    *,
    regions: list[str] | None = None,
    organisers: list[str] | None = None,
    site_ids: list[int] | None = None,
    by: str = "系统",
) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise InputError("用户名不能为空，且不超过 64 个字符")
    if role not in ROLES:
        raise InputError(f"未知角色：{role}（可选：{'、'.join(ROLES)}）")
    check_password_strength(password)
    if uow.session.scalar(select(UserRecord.id).where(UserRecord.username == username)) is not None:
        raise InputError(f"用户名“{username}”已存在")
    rec = UserRecord(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        regions=[r for r in regions or [] if r],
        organisers=[o for o in organisers or [] if o],
        site_ids=list(site_ids or []),
        active=True,
    )
    uow.session.add(rec)
    uow.session.flush()
    audit(uow, by, "创建用户", username, {"role": role})
    return _user(rec)


# Sessions: a working day at most, and closed after two idle hours (a desk left unlocked).
SESSION_MAX_AGE = dt.timedelta(hours=8)
SESSION_IDLE = dt.timedelta(hours=2)
SESSION_TOUCH = dt.timedelta(minutes=1)  # last_seen_at is written at most this often


@dataclass(frozen=True)
class LoginSession:
    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    address: str
    user_agent: str
    current: bool = False


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def open_session(uow: UnitOfWork, user: User, address: str = "", user_agent: str = "") -> str:
    """A new server-side session; returns the random id the cookie carries (only its hash is kept)."""
    at = now()
    stale = (LoginSessionRecord.created_at < at - SESSION_MAX_AGE) | (
        LoginSessionRecord.last_seen_at < at - SESSION_IDLE
    )
    uow.session.execute(delete(LoginSessionRecord).where(stale))  # abandoned sessions, anyone's
    sid = secrets.token_urlsafe(32)
    uow.session.add(
        LoginSessionRecord(
            user_id=user.id, sid_hash=_sid_hash(sid), address=address[:64], user_agent=user_agent[:255]
        )
    )
    uow.session.flush()
    return sid


def session_user(uow: UnitOfWork, sid: str, at: dt.datetime | None = None) -> User | None:
    """The active user of a live session; an expired or idle session is deleted and gives None."""
    rec = uow.session.scalar(select(LoginSessionRecord).where(LoginSessionRecord.sid_hash == _sid_hash(sid)))
    if rec is None:
        return None
    at = at or now()
    if at - rec.created_at > SESSION_MAX_AGE or at - rec.last_seen_at > SESSION_IDLE:
        uow.session.delete(rec)
        return None
    if at - rec.last_seen_at > SESSION_TOUCH:
        rec.last_seen_at = at
    return get_user(uow, rec.user_id)


def end_session(uow: UnitOfWork, sid: str) -> None:
    uow.session.execute(delete(LoginSessionRecord).where(LoginSessionRecord.sid_hash == _sid_hash(sid)))


def end_sessions(uow: UnitOfWork, user_id: int, keep_sid: str | None = None) -> int:
    """Log the user out everywhere (but `keep_sid`'s browser); returns how many sessions ended."""
    query = delete(LoginSessionRecord).where(LoginSessionRecord.user_id == user_id)
    if keep_sid:
        query = query.where(LoginSessionRecord.sid_hash != _sid_hash(keep_sid))
    return uow.session.execute(query).rowcount or 0


def list_sessions(uow: UnitOfWork, user: User, current_sid: str | None = None) -> list[LoginSession]:
    """The user's live sessions, the newest first (expired ones are not shown)."""
    current = _sid_hash(current_sid) if current_sid else None
    at = now()
    rows = uow.session.scalars(
        select(LoginSessionRecord)
        .where(LoginSessionRecord.user_id == user.id)
        .order_by(LoginSessionRecord.created_at.desc(), LoginSessionRecord.id.desc())
    )
    return [
        LoginSession(r.id, r.created_at, r.last_seen_at, r.address, r.user_agent, r.sid_hash == current)
        for r in rows
        if at - r.created_at <= SESSION_MAX_AGE and at - r.last_seen_at <= SESSION_IDLE
    ]


def change_password(uow: UnitOfWork, user: User, current: str, new: str, keep_sid: str | None = None) -> None:
    """The user's own change: the current password is asked again (a stolen session cannot do it);
    every other session of the account ends, `keep_sid`'s goes on."""
    rec = uow.session.get(UserRecord, user.id)
    try:
        _hasher.verify(rec.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise InputError("当前密码不正确") from None
    check_password_strength(new)
    if new == current:
        raise InputError("新密码不能与当前密码相同")
    rec.password_hash = _hasher.hash(new)
    end_sessions(uow, user.id, keep_sid)
    audit(uow, user.username, "修改密码", user.username)


def _active_admins(uow: UnitOfWork) -> int:
    query = select(func.count(UserRecord.id)).where(UserRecord.role == ADMIN, UserRecord.active.is_(True))
    return uow.session.scalar(query) or 0


def update_user(
    uow: UnitOfWork,
    user_id: int,
    *,
    role: str,
    regions: list[str],
    organisers: list[str],
    active: bool,
    new_password: str = "",
    by: User,
) -> User:
    """An administrator's change of an account; the last active 管理员 cannot be demoted or
    deactivated (nobody could administer the app then), nor can an administrator lock themself out."""
    rec = uow.session.get(UserRecord, user_id)
    if rec is None:
        raise InputError("用户不存在")
    if role not in ROLES:
        raise InputError(f"未知角色：{role}（可选：{'、'.join(ROLES)}）")
    loses_admin = rec.role == ADMIN and rec.active and (role != ADMIN or not active)
    if loses_admin and rec.id == by.id:
        raise InputError("不能停用自己的管理员账号或取消自己的管理员角色")
    if loses_admin and _active_admins(uow) <= 1:
        raise InputError("这是最后一个在用的管理员账号，不能停用或改为其他角色")
    before = {"role": rec.role, "regions": rec.regions, "organisers": rec.organisers, "active": rec.active}
    rec.role, rec.active = role, active
    rec.regions = [r for r in regions if r]
    rec.organisers = [o for o in organisers if o]
    after = {"role": rec.role, "regions": rec.regions, "organisers": rec.organisers, "active": rec.active}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if new_password:
        check_password_strength(new_password)
        rec.password_hash = _hasher.hash(new_password)
        changes["password"] = "已重置"
    if new_password or not active:
        end_sessions(uow, rec.id)  # a reset or deactivated account is logged out everywhere
    uow.session.flush()
    if changes:
        audit(uow, by.username, "修改用户", rec.username, changes)
    return _user(rec)


def list_accounts(uow: UnitOfWork) -> list[tuple[User, bool]]:
    """Every account with whether it is active (the administrator's list shows deactivated ones)."""
    return [(_user(r), r.active) for r in uow.session.scalars(select(UserRecord).order_by(UserRecord.id))]


def count_users(uow: UnitOfWork) -> int:
    return uow.session.scalar(select(func.count(UserRecord.id))) or 0


def list_users(uow: UnitOfWork) -> list[User]:
    return [_user(r) for r in uow.session.scalars(select(UserRecord).order_by(UserRecord.id))]


def get_user(uow: UnitOfWork, user_id: int) -> User | None:
    rec = uow.session.get(UserRecord, user_id)
    return _user(rec) if rec is not None and rec.active else None


def authenticate(uow: UnitOfWork, username: str, password: str) -> User | None:
    """The user when the password is right; None otherwise (same answer for an unknown name)."""
    rec = uow.session.scalar(select(UserRecord).where(UserRecord.username == username.strip()))
    if rec is None or not rec.active:
        _hasher.hash(password)  # spend the same time as a real check: no user-name oracle
        return None
    try:
        _hasher.verify(rec.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(rec.password_hash):
        rec.password_hash = _hasher.hash(password)
    return _user(rec)


# -- throttling -----------------------------------------------------------------------------------


def login_throttled(uow: UnitOfWork, username: str, address: str, at: dt.datetime | None = None) -> bool:
    since = (at or now()) - THROTTLE_WINDOW
    recent = select(func.count(LoginAttemptRecord.id)).where(LoginAttemptRecord.at >= since)
    by_user = uow.session.scalar(recent.where(LoginAttemptRecord.username == username.strip())) or 0
    by_address = uow.session.scalar(recent.where(LoginAttemptRecord.address == address)) or 0
    return by_user >= MAX_FAILURES_PER_USER or by_address >= MAX_FAILURES_PER_ADDRESS


def record_failed_login(uow: UnitOfWork, username: str, address: str) -> None:
    uow.session.add(LoginAttemptRecord(username=username.strip()[:64], address=address[:64]))


def clear_failed_logins(uow: UnitOfWork, username: str) -> None:
    uow.session.execute(delete(LoginAttemptRecord).where(LoginAttemptRecord.username == username.strip()))


# -- personal API tokens --------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(uow: UnitOfWork, user: User, name: str) -> str:
    """A new token for `user`; the plain token is returned once and never stored."""
    name = name.strip()[:128] or "未命名"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    uow.session.add(ApiTokenRecord(user_id=user.id, name=name, token_hash=_digest(token)))
    audit(uow, user.username, "创建访问令牌", name)
    return token


def list_tokens(uow: UnitOfWork, user: User) -> list[TokenInfo]:
    rows = uow.session.scalars(
        select(ApiTokenRecord).where(ApiTokenRecord.user_id == user.id).order_by(ApiTokenRecord.id)
    )
    return [TokenInfo(r.id, r.name, r.created_at, r.last_used_at) for r in rows]


def revoke_token(uow: UnitOfWork, user: User, token_id: int) -> bool:
    rec = uow.session.get(ApiTokenRecord, token_id)
    if rec is None or rec.user_id != user.id:
        return False
    uow.session.delete(rec)
    audit(uow, user.username, "吊销访问令牌", rec.name)
    return True


def user_for_token(uow: UnitOfWork, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    rec = uow.session.scalar(select(ApiTokenRecord).where(ApiTokenRecord.token_hash == _digest(token)))
    if rec is None:
        return None
    rec.last_used_at = now()
    return get_user(uow, rec.user_id)


# -- audit log ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    username: str
    action: str
    target: str
    detail: dict[str, Any]


def audit(uow: UnitOfWork, username: str, action: str, target: str = "", detail: dict | None = None) -> None:
    uow.session.add(AuditRecord(username=username, action=action, target=target, detail=detail or {}))


def audit_entries(uow: UnitOfWork, limit: int = 200) -> list[AuditEntry]:
    rows = uow.session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit))
    return [AuditEntry(r.at, r.username, r.action, r.target, dict(r.detail or {})) for r in rows]
