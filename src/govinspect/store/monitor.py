"""The monitor's repository: probes with their classified outcome, per-site alert state and
schedule, leases, the alert log, the outbox, subscriptions and maintenance windows.

Datetimes are stored naive local (like the rest of the store) and handed back timezone-aware.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from govinspect.monitor.alerts import Alert
from govinspect.monitor.notify import OutboxItem, Subscription
from govinspect.monitor.probe import ProbeResult
from govinspect.monitor.window import MaintenanceWindow
from govinspect.store.codec import json_ready
from govinspect.store.models import (
    AlertRecord,
    AlertSubscriptionRecord,
    MaintenanceWindowRecord,
    MonitorLeaseRecord,
    MonitorSiteRecord,
    OutboxRecord,
    ProbeRecord,
    now,
)

JOBS = ("probe", "light", "full")


def key_of(identity: str) -> str:
    """The primary key of an alert or outbox row: their ids carry URLs, too long for an index."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def to_db(value: dt.datetime | None) -> dt.datetime | None:
    """Naive local time, as the store keeps it."""
    if value is not None and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def from_db(value: dt.datetime | None) -> dt.datetime | None:
    """Timezone-aware (UTC) again."""
    return value.astimezone(dt.UTC) if value is not None else None


@dataclass(frozen=True)
class SubscriptionRow:
    id: int
    subscription: Subscription
    created_at: dt.datetime


@dataclass(frozen=True)
class Schedule:
    """Per-site overrides of the intervals (seconds); None = the settings' value."""

    probe_interval_s: float | None = None
    light_interval_s: float | None = None
    full_interval_s: float | None = None


def _outbox_item(r: OutboxRecord) -> OutboxItem:
    return OutboxItem(
        id=r.ref,
        channel=r.channel,
        title=r.title,
        body=r.body,
        created=from_db(r.created),
        status=r.status,  # type: ignore[arg-type]
        attempts=r.attempts,
        last_error=r.last_error,
        next_attempt=from_db(r.next_attempt),
        sent_at=from_db(r.sent_at),
    )


class MonitorRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- probes ---------------------------------------------------------------------------------

    def add_probe(self, site_id: int, result: ProbeResult, *, held: bool = False) -> None:
        self.session.add(
            ProbeRecord(
                site_id=site_id,
                at=to_db(result.at),
                outcome=result.outcome,
                latency_s=result.latency_s,
                status=result.status,
                error=None if result.outcome == "ok" else result.reason,
                vantage=result.vantage,
                final_url=result.final_url or result.url,
                held=held,
            )
        )
        # Write first: on SQLite this takes the write lock before any read of this transaction.
        self.session.flush()

    def probes(self, site_id: int, since: dt.datetime | None = None) -> list[ProbeResult]:
        """The monitor's stored probes (held ones left out), oldest first."""
        query = (
            select(ProbeRecord)
            .where(ProbeRecord.site_id == site_id, ProbeRecord.held.is_(False))
            .order_by(ProbeRecord.at, ProbeRecord.id)
        )
        if since is not None:
            query = query.where(ProbeRecord.at >= to_db(since))
        results = []
        for r in self.session.scalars(query):
            outcome = {"failed": "error"}.get(r.outcome, r.outcome)
            results.append(
                ProbeResult(
                    at=from_db(r.at),
                    url=r.final_url or "",
                    outcome=outcome,  # type: ignore[arg-type]
                    ok=outcome in ("ok", "challenged", "maintenance"),
                    status=r.status,
                    latency_s=r.latency_s or 0.0,
                    reason=r.error or "首页访问正常",
                    vantage=r.vantage,
                    final_url=r.final_url or "",
                )
            )
        return results

    def probe_count(self, site_id: int | None = None) -> int:
        query = select(func.count(ProbeRecord.id))
        if site_id is not None:
            query = query.where(ProbeRecord.site_id == site_id)
        return self.session.scalar(query) or 0

    def held_count(self, since: dt.datetime) -> int:
        """Probes held back since `since` because the vantage itself was failing."""
        query = select(func.count(ProbeRecord.id)).where(
            ProbeRecord.held.is_(True), ProbeRecord.at >= to_db(since)
        )
        return self.session.scalar(query) or 0

    # -- per-site state and schedule ------------------------------------------------------------

    def state(self, site_id: int, *, for_update: bool = False) -> dict[str, Any] | None:
        """The stored alert state. `for_update` locks the row until the unit of work ends (on
        PostgreSQL; SQLite's writer already holds the whole database), so two daemons stepping
        the same site one after the other never lose a step."""
        query = select(MonitorSiteRecord).where(MonitorSiteRecord.site_id == site_id)
        if for_update:
            query = query.with_for_update()
        rec = self.session.scalar(query)
        return dict(rec.state) if rec and rec.state else None

    def ensure_sites(self, site_ids: Iterable[int]) -> int:
        """Create the missing per-site rows (empty state), so later steps can lock an existing row."""
        known = set(self.session.scalars(select(MonitorSiteRecord.site_id)))
        missing = [i for i in dict.fromkeys(site_ids) if i not in known]
        for site_id in missing:
            self.session.add(MonitorSiteRecord(site_id=site_id, state={}))
        self.session.flush()
        return len(missing)

    def states(self) -> dict[int, dict[str, Any]]:
        return {r.site_id: dict(r.state) for r in self.session.scalars(select(MonitorSiteRecord)) if r.state}

    def _site(self, site_id: int) -> MonitorSiteRecord:
        rec = self.session.get(MonitorSiteRecord, site_id)
        if rec is None:
            rec = MonitorSiteRecord(site_id=site_id, state={})
            self.session.add(rec)
        return rec

    def save_state(self, site_id: int, state: dict[str, Any]) -> None:
        rec = self._site(site_id)
        rec.state = json_ready(state)
        rec.updated_at = now()

    def schedule(self, site_id: int) -> Schedule:
        rec = self.session.get(MonitorSiteRecord, site_id)
        if rec is None:
            return Schedule()
        return Schedule(rec.probe_interval_s, rec.light_interval_s, rec.full_interval_s)

    def schedules(self) -> dict[int, Schedule]:
        return {
            r.site_id: Schedule(r.probe_interval_s, r.light_interval_s, r.full_interval_s)
            for r in self.session.scalars(select(MonitorSiteRecord))
        }

    def set_schedule(self, site_id: int, schedule: Schedule) -> None:
        rec = self._site(site_id)
        rec.probe_interval_s = schedule.probe_interval_s
        rec.light_interval_s = schedule.light_interval_s
        rec.full_interval_s = schedule.full_interval_s

    # -- leases ---------------------------------------------------------------------------------

    def add_lease(self, site_id: int, job: str, slot: int, owner: str) -> None:
        """Insert the lease row; the unique (site, job, slot) makes a second insert fail."""
        self.session.add(MonitorLeaseRecord(site_id=site_id, job=job, slot=slot, owner=owner))
        self.session.flush()

    def lease_owners(self, job: str = "probe") -> list[tuple[int, int, str]]:
        rows = self.session.execute(
            select(MonitorLeaseRecord.site_id, MonitorLeaseRecord.slot, MonitorLeaseRecord.owner).where(
                MonitorLeaseRecord.job == job
            )
        )
        return [(a, b, c) for a, b, c in rows]

    def prune_leases(self, before: dt.datetime) -> int:
        result = self.session.execute(
            delete(MonitorLeaseRecord).where(MonitorLeaseRecord.taken_at < to_db(before))
        )
        return result.rowcount or 0

    # -- alerts and the outbox ------------------------------------------------------------------

    def add_alerts(self, site_id: int, alerts: Iterable[Alert]) -> None:
        for alert in alerts:
            if self.session.get(AlertRecord, key_of(alert.id)) is None:
                self.session.add(
                    AlertRecord(
                        id=key_of(alert.id),
                        site_id=site_id,
                        kind=alert.kind,
                        at=to_db(alert.at),
                        data=alert.to_dict(),
                    )
                )

    def alerts(self, since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[Alert]:
        query = select(AlertRecord).order_by(AlertRecord.at, AlertRecord.id)
        if since is not None:
            query = query.where(AlertRecord.at >= to_db(since))
        if until is not None:
            query = query.where(AlertRecord.at < to_db(until))
        return [Alert.from_dict(r.data) for r in self.session.scalars(query)]

    def enqueue(self, items: Iterable[OutboxItem]) -> int:
        """Insert the items not already in the outbox (same id = same alert and channel)."""
        added = 0
        for item in items:
            if self.session.get(OutboxRecord, key_of(item.id)) is not None:
                continue
            self.session.add(
                OutboxRecord(
                    id=key_of(item.id),
                    ref=item.id,
                    channel=item.channel,
                    title=item.title,
                    body=item.body,
                    created=to_db(item.created),
                    status=item.status,
                    attempts=item.attempts,
                    last_error=item.last_error,
                    next_attempt=to_db(item.next_attempt),
                    sent_at=to_db(item.sent_at),
                )
            )
            added += 1
        self.session.flush()
        return added

    def claim_due(self, at: dt.datetime, claim_s: float, limit: int = 100) -> list[OutboxItem]:
        """Pending items due at `at`, each claimed by pushing its next attempt `claim_s` ahead (a
        conditional UPDATE: only one daemon wins an item). An item whose sender died is due again
        when the claim runs out, so it is sent at least once."""
        when = to_db(at)
        due = or_(OutboxRecord.next_attempt.is_(None), OutboxRecord.next_attempt <= when)
        ids = self.session.scalars(
            select(OutboxRecord.id)
            .where(OutboxRecord.status == "pending", due)
            .order_by(OutboxRecord.created, OutboxRecord.id)
            .limit(limit)
        ).all()
        claimed = []
        until = to_db(at + dt.timedelta(seconds=claim_s))
        for item_id in ids:
            result = self.session.execute(
                update(OutboxRecord)
                .where(OutboxRecord.id == item_id, OutboxRecord.status == "pending", due)
                .values(next_attempt=until)
            )
            if result.rowcount == 1:
                claimed.append(item_id)
        self.session.flush()
        return [_outbox_item(r) for r in (self.session.get(OutboxRecord, i) for i in claimed) if r]

    def retry_pending_now(self) -> int:
        """Make every pending item due now (a daemon starting: the channel may have been fixed,
        and a claim left by a killed daemon must not wait out its time)."""
        result = self.session.execute(
            update(OutboxRecord).where(OutboxRecord.status == "pending").values(next_attempt=None)
        )
        return result.rowcount or 0

    def save_delivery(self, item: OutboxItem) -> None:
        rec = self.session.get(OutboxRecord, key_of(item.id))
        if rec is None:
            return
        rec.status, rec.attempts, rec.last_error = item.status, item.attempts, item.last_error
        rec.next_attempt, rec.sent_at = to_db(item.next_attempt), to_db(item.sent_at)

    def outbox(self, status: str | None = None, limit: int = 1000) -> list[OutboxItem]:
        query = select(OutboxRecord).order_by(OutboxRecord.created, OutboxRecord.id).limit(limit)
        if status is not None:
            query = query.where(OutboxRecord.status == status)
        return [_outbox_item(r) for r in self.session.scalars(query)]

    # -- subscriptions --------------------------------------------------------------------------

    def add_subscription(self, subscription: Subscription) -> int:
        rec = AlertSubscriptionRecord(
            channel=subscription.channel,
            sites=sorted(subscription.sites) if subscription.sites is not None else None,
            kinds=sorted(subscription.kinds) if subscription.kinds is not None else None,
            digest=subscription.digest,
        )
        self.session.add(rec)
        self.session.flush()
        return rec.id

    def subscriptions(self) -> list[SubscriptionRow]:
        rows = self.session.scalars(select(AlertSubscriptionRecord).order_by(AlertSubscriptionRecord.id))
        return [
            SubscriptionRow(
                r.id,
                Subscription(
                    r.channel,
                    frozenset(r.sites) if r.sites is not None else None,
                    frozenset(r.kinds) if r.kinds is not None else None,
                    r.digest,
                ),
                r.created_at,
            )
            for r in rows
        ]

    def remove_subscription(self, subscription_id: int) -> bool:
        rec = self.session.get(AlertSubscriptionRecord, subscription_id)
        if rec is None:
            return False
        self.session.delete(rec)
        return True

    # -- maintenance windows --------------------------------------------------------------------

    def add_maintenance(self, site_id: int, start: dt.datetime, end: dt.datetime, note: str = "") -> int:
        rec = MaintenanceWindowRecord(site_id=site_id, start=to_db(start), end=to_db(end), note=note)
        self.session.add(rec)
        self.session.flush()
        return rec.id

    def maintenance(self, site_id: int) -> list[MaintenanceWindow]:
        rows = self.session.scalars(
            select(MaintenanceWindowRecord).where(MaintenanceWindowRecord.site_id == site_id)
        )
        return [(from_db(r.start), from_db(r.end)) for r in rows]
