"""`govinspect monitor` as real processes: killed and restarted, and two at once on one database."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import select

from govinspect.store import Store
from govinspect.store.models import MonitorLeaseRecord, ProbeRecord
from govinspect.store.monitor import from_db

from .farm import DOWN, UP, always, farm
from .servers import free_port, receiver


def start_monitor(db: str, sites_csv, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "GOVINSPECT_MONITOR_LIGHT_INTERVAL": "0",
        "GOVINSPECT_MONITOR_FULL_INTERVAL": "0",
        "GOVINSPECT_TIMEOUT": "3",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govinspect",
            "monitor",
            "--sites",
            str(sites_csv),
            "--probe-interval",
            "0.2",
            "--db",
            db,
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def write_sites(path, base: str, paths: list[str]):
    path.write_text(
        "name,url\n" + "".join(f"{p.strip('/')}县人民政府网,{base}{p}\n" for p in paths), encoding="utf-8"
    )
    return path


def wait_for(condition, timeout_s: float = 30.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_killed_daemon_loses_no_probe_and_no_pending_alert(tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    hook = free_port()  # nobody listens yet: the down alert stays pending
    with farm({"/down/": always(DOWN), "/up/": always(UP)}) as (base, _hits):
        sites = write_sites(tmp_path / "sites.csv", base, ["/down/", "/up/"])
        store = Store(db)
        store.close()
        subprocess.run(
            [sys.executable, "-m", "govinspect", "alerts", "add", f"json://127.0.0.1:{hook}/a", "--db", db],
            check=True,
            capture_output=True,
        )
        first = start_monitor(db, sites)
        store = Store(db)
        try:

            def failed_delivery():
                with store.unit_of_work() as uow:
                    pending = uow.monitor.outbox("pending")
                    return uow.monitor.probe_count() >= 10 and any(i.last_error for i in pending)

            wait_for(failed_delivery)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            with store.unit_of_work() as uow:
                before = set(uow.session.scalars(select(ProbeRecord.id)))
                pending = uow.monitor.outbox("pending")
                states = uow.monitor.states()
                last_at = {
                    sid: max(
                        from_db(r.at)
                        for r in uow.session.scalars(select(ProbeRecord).where(ProbeRecord.site_id == sid))
                    )
                    for sid in states
                }
            assert [i.title for i in pending] == ["【网站无法访问】down县人民政府网"]
            # Nothing half-written: each site's state has seen exactly its last stored probe.
            for sid, state in states.items():
                assert dt.datetime.fromisoformat(state["history"][-1][0]) == last_at[sid]

            with receiver(port=hook) as (_port, accepted, _):
                second = start_monitor(db, sites, "--run-for", "3")
                assert second.wait(60) == 0, second.stderr.read().decode()
            with store.unit_of_work() as uow:
                after = set(uow.session.scalars(select(ProbeRecord.id)))
                assert uow.monitor.outbox("pending") == []
        finally:
            store.close()
    assert before < after
    assert [m["title"] for m in accepted] == ["【网站无法访问】down县人民政府网"]
    assert "HTTP 502" in accepted[0]["message"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_daemons_on_one_database_never_probe_a_site_twice_in_a_slot(tmp_path, backend, request):
    db = f"sqlite:///{tmp_path / 'm.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    paths = [f"/s{i}/" for i in range(5)]
    with farm({p: always(UP) for p in paths}) as (base, hits):
        sites = write_sites(tmp_path / "sites.csv", base, paths)
        Store(db).close()  # migrated once, before both start
        daemons = [start_monitor(db, sites, "--run-for", "4") for _ in range(2)]
        logs = []
        for d in daemons:
            d.wait(90)
            logs.append(d.stderr.read().decode())
        assert [d.returncode for d in daemons] == [0, 0], logs
        store = Store(db)
        try:
            with store.unit_of_work() as uow:
                rows = uow.session.execute(select(ProbeRecord.site_id, ProbeRecord.at)).all()
                leases = uow.session.execute(
                    select(MonitorLeaseRecord.site_id, MonitorLeaseRecord.slot, MonitorLeaseRecord.owner)
                ).all()
                urls = {s.id: s.url for s in uow.sites.list()}
        finally:
            store.close()
    probes = Counter(urls[site_id] for site_id, _at in rows)
    # Every stored probe was served; a probe cut off when --run-for ends may be served and not
    # stored (at most one in flight per daemon and site).
    for p in paths:
        assert probes[base + p] <= hits[p] <= probes[base + p] + len(daemons), (p, logs)
    times = sorted(at for _s, at in rows)
    span_s = (times[-1] - times[0]).total_seconds()
    # One probe per site per 0.2 s slot, not two: no slot of a site was leased twice (below), and
    # the probes follow the 0.2 s period. A probe's recorded start may lag its slot on a loaded
    # machine (the first by up to a slot, shortening the measured span): hence + 3, not + 2.
    assert Counter((site_id, slot) for site_id, slot, _o in leases).most_common(1)[0][1] == 1
    assert max(probes.values()) <= span_s / 0.2 + 3
    assert min(probes.values()) >= span_s / 0.2 * 0.5
    # Which daemon wins a slot depends on the phase of their ticks; the point is that each slot
    # went to one of them only (the unique lease), so every probe has its own lease row.
    assert {int(owner.rsplit(":", 2)[1]) for _s, _slot, owner in leases} <= {d.pid for d in daemons}
    leased = Counter(site_id for site_id, _slot, _o in leases)
    for site_id, stored in Counter(site_id for site_id, _at in rows).items():
        assert stored <= leased[site_id] <= stored + len(daemons), logs
