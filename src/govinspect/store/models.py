"""SQLAlchemy 2 typed ORM models: sites, their inspections (append-only history), findings, columns.

Datetimes are naive local time, like `Inspection.started_at` from the service layer.
Any change here needs a new Alembic revision in `migrations/versions/` (a test compares them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import (
    true as sa_true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint/index names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_SITE_STATUS = "正常"


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SiteRecord(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    host: Mapped[str] = mapped_column(String(255))
    site_code: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(255))
    organiser: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(
        String(32), default=DEFAULT_SITE_STATUS, server_default=DEFAULT_SITE_STATUS
    )
    # Registry (基本信息数据库) fields of the supervision workflow (revision 0004).
    region_code: Mapped[str | None] = mapped_column(String(32))
    supervisor: Mapped[str | None] = mapped_column(String(255))  # 主管单位
    status_since: Mapped[dt.date | None] = mapped_column(Date)  # when 关停/迁移 took effect
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_destination: Mapped[str | None] = mapped_column(Text)  # where a migrated site's content went
    opened: Mapped[dt.date | None] = mapped_column(Date)  # 开设日期
    contacts: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # 联系人, 联系电话, 电子邮箱
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)
    # Per-site extraction overrides where the heuristics fail (columns, selectors); see registry.
    overrides: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    inspections: Mapped[list[InspectionRecord]] = relationship(back_populates="site")


class InspectionRecord(Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # The batch (抽查, 自查, monitor cycle) this inspection belongs to; None for a lone one.
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    rubric: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    vetoes: Mapped[list[str]] = mapped_column(JSON)
    availability: Mapped[dict[str, Any]] = mapped_column(JSON)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The full govinspect.report/1 dict, so nothing the report showed is lost.
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The crawl (model.site_model_to_data), kept so the site can be re-scored without crawling.
    site_model: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    site: Mapped[SiteRecord] = relationship(back_populates="inspections")
    findings: Mapped[list[FindingRecord]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="FindingRecord.id"
    )
    columns: Mapped[list[ColumnRecord]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="ColumnRecord.id"
    )


class FindingRecord(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    check_id: Mapped[str] = mapped_column(String(64), index=True)
    # Stable across inspections (check id + normalised location): a re-check says fixed / not fixed.
    key: Mapped[str | None] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    points: Mapped[float] = mapped_column(Float)
    url: Mapped[str] = mapped_column(Text)
    column_name: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)

    inspection: Mapped[InspectionRecord] = relationship(back_populates="findings")


class ColumnRecord(Base):
    __tablename__ = "columns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    latest: Mapped[dt.date | None] = mapped_column(Date)
    items: Mapped[int] = mapped_column(Integer)

    inspection: Mapped[InspectionRecord] = relationship(back_populates="columns")


class PageCacheRecord(Base):
    """Validators of pages seen before, for incremental re-inspection (conditional requests)."""

    __tablename__ = "page_cache"
    __table_args__ = (UniqueConstraint("site_id", "url", name="uq_page_cache_site_id_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    # What was extracted from the page, so an unchanged page need not be parsed again.
    extract: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)


class BaselineRecord(Base):
    """The home page as last accepted (structure and text fingerprint), for security.defacement."""

    __tablename__ = "site_baselines"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)


class RunRecord(Base):
    """A batch of inspections: a supervision sample (抽查), a self-check (自查), a monitor cycle."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # store.RUN_KINDS
    started_by: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)  # as-of, rubric, budget ...
    status: Mapped[str] = mapped_column(String(16), default="running", server_default="running")


class ProbeRecord(Base):
    """One availability probe of a site's home page (site.unreachable over a week of probes)."""

    __tablename__ = "probes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # "ok" or "failed"
    latency_s: Mapped[float | None] = mapped_column(Float)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    vantage: Mapped[str] = mapped_column(String(64), default="local", server_default="local")
    # The monitor's probes (0005): the classified outcome is in `outcome` ("ok"/"failed" before),
    # `error` holds the Chinese reason of any outcome but "ok"; `held` marks a cycle in which most
    # sites failed at the network level (the vantage, not the sites): not counted, not alerted.
    final_url: Mapped[str | None] = mapped_column(String(2048))
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


# -- the web app (migration 0006): accounts, personal API tokens, audit log, login throttling ------


class UserRecord(Base):
    """An account of the web app. role: 管理员 / 监管人员 / 网站主办单位 / 只读 (web/accounts.py)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    role: Mapped[str] = mapped_column(String(16))
    # A supervisor sees the sites of these regions (sites.region).
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An operator sees the sites of these organisers (sites.organiser) and these site ids.
    organisers: Mapped[list[str]] = mapped_column(JSON, default=list)
    site_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ApiTokenRecord(Base):
    """A personal API token; only its SHA-256 is stored (the token is shown once, when created)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginSessionRecord(Base):
    """A signed-in browser session (web/accounts.py): the cookie carries a random id, only its
    SHA-256 is stored; deleting the row logs that browser out wherever the cookie went."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")


class StagedImportRecord(Base):
    """A registry file uploaded for preview, kept until the administrator confirms it (web/staging.py):
    in the database, so the confirmation may reach any server process, and survives a restart."""

    __tablename__ = "staged_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    suffix: Mapped[str] = mapped_column(String(8))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class AuditRecord(Base):
    """Who changed what, when (registry, accounts, tokens, inspections started)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LoginAttemptRecord(Base):
    """Failed logins, for throttling by user name and by client address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)


# --- the supervision workflow (revision 0004) ---------------------------------------------------


class RunSiteRecord(Base):
    """A site drawn into a run (抽查) and whether its inspection is stored yet (for resume)."""

    __tablename__ = "run_sites"
    __table_args__ = (UniqueConstraint("run_id", "site_id", name="uq_run_sites_run_id_site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), index=True
    )


class RectifyTaskRecord(Base):
    """整改任务 of a failing site; notes and re-checks kept as JSON, every step in rectify_events."""

    __tablename__ = "rectify_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(Integer)  # the inspection the findings come from
    opened: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    deadline_estimated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), index=True)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rechecks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class RectifyEventRecord(Base):
    __tablename__ = "rectify_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("rectify_tasks.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


class JiucuoMessageRecord(Base):
    """我为政府网站找错 message; every status change in jiucuo_changes."""

    __tablename__ = "jiucuo_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    submitted: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    site_code: Mapped[str] = mapped_column(String(32))
    problem_type: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(255))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    result: Mapped[str] = mapped_column(Text)
    reject_reason: Mapped[str] = mapped_column(String(32))
    duplicate_of: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class JiucuoChangeRecord(Base):
    __tablename__ = "jiucuo_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("jiucuo_messages.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(255))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)


class AccountabilityRecord(Base):
    """问责: one measure against one person."""

    __tablename__ = "accountability"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    person: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str] = mapped_column(String(255))
    form: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class AnnualValueRecord(Base):
    """A hand-entered annual-report cell; appended on every `set`, the newest one counts."""

    __tablename__ = "annual_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # supervision | work
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(255))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class RunTaskRecord(Base):
    """One site of a distributed run: its task's state, so progress and idempotent saving come
    from the database (a redelivered task finds its site done and stores nothing more)."""

    __tablename__ = "run_tasks"
    __table_args__ = (UniqueConstraint("run_id", "url", name="uq_run_tasks_run_id_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    # The SiteTarget (name, site_code, meta, overrides) the task inspects.
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    inspection_id: Mapped[int | None] = mapped_column(Integer)
    worker: Mapped[str | None] = mapped_column(String(255))  # Celery hostname of the last attempt
    vantage: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)


class NewMediaAccountRecord(Base):
    """A 政务新媒体 account of the registry (newmedia/registry.py)."""

    __tablename__ = "newmedia_accounts"
    __table_args__ = (UniqueConstraint("platform", "account_id", name="uq_newmedia_accounts_platform"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(Text)
    organiser: Mapped[str] = mapped_column(String(255), default="")
    feed_url: Mapped[str] = mapped_column(String(2048), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    record_no: Mapped[str] = mapped_column(String(64), default="")
    record_date: Mapped[str] = mapped_column(String(10), default="")
    status: Mapped[str] = mapped_column(String(16), default="运行", server_default="运行")
    connector: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)


class NewMediaCheckRecord(Base):
    """One check of one 政务新媒体 account: what its connector saw and the findings (to_dict)."""

    __tablename__ = "newmedia_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[str] = mapped_column(String(255), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    status: Mapped[str] = mapped_column(String(16))  # connector status: ok, blocked, partial ...
    verdict: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


# -- the monitor (migration 0005) -----------------------------------------------------------------


class MonitorSiteRecord(Base):
    """A monitored site: its alert state (monitor.alerts.SiteMonitorState as JSON) and its
    per-site schedule overrides (None: the settings' interval)."""

    __tablename__ = "monitor_sites"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    probe_interval_s: Mapped[float | None] = mapped_column(Float)
    light_interval_s: Mapped[float | None] = mapped_column(Float)
    full_interval_s: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)


class MonitorLeaseRecord(Base):
    """Who does a site's job in a slot: the unique row is the lease; a conflict = another daemon has it."""

    __tablename__ = "monitor_leases"
    __table_args__ = (UniqueConstraint("site_id", "job", "slot", name="uq_monitor_leases_site_id_job_slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    job: Mapped[str] = mapped_column(String(16))  # probe | light | full
    slot: Mapped[int] = mapped_column(BigInteger)
    owner: Mapped[str] = mapped_column(String(128))
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)


class AlertRecord(Base):
    """Every alert raised (monitor.alerts.Alert as JSON), for the daily digest and the status."""

    __tablename__ = "alerts"

    # sha256 of Alert.id (stable per transition; it holds URLs, too long for a key), full id in data
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class OutboxRecord(Base):
    """A message to deliver (monitor.notify.OutboxItem); leaves 'pending' only by being sent.
    `next_attempt` doubles as the claim: a daemon sending an item pushes it into the future first."""

    __tablename__ = "alert_outbox"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of OutboxItem.id
    ref: Mapped[str] = mapped_column(Text)  # OutboxItem.id: routing the same alert twice gives the same
    channel: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AlertSubscriptionRecord(Base):
    """Where alerts go: an apprise URL, optionally only some sites (home URLs) and kinds, or a digest."""

    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(Text)
    sites: Mapped[list[str] | None] = mapped_column(JSON)
    kinds: Mapped[list[str] | None] = mapped_column(JSON)
    digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class MaintenanceWindowRecord(Base):
    """A declared maintenance window or 临时关停 (with 报备): no alerts, probes not counted."""

    __tablename__ = "maintenance_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
