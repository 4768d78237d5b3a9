"""Distributed mode: Celery tasks over the service core, PostgreSQL as the shared database.

    app = make_app(settings)                       # broker, queues, acks_late ... from settings
    run_id = submit_run(store, app, targets, settings, parameters)   # one task per site
    run_progress(store, run_id)                    # queued / running / done / failed / cancelled

A worker (`govinspect worker`) inspects one site of a run per task with `service.inspect_site`
and saves it in its own unit of work; the run's row per site (store run_tasks) makes saving
idempotent, so a task redelivered after a worker died stores one inspection, not two.
"""

from govinspect.workers.app import BrokerError, check_broker, make_app
from govinspect.workers.jobs import (
    RunProgress,
    cancel_run,
    inspect_run_task,
    record_failure,
    run_progress,
    run_settings,
    settings_data,
    submit_run,
)

__all__ = [
    "BrokerError",
    "RunProgress",
    "cancel_run",
    "check_broker",
    "inspect_run_task",
    "make_app",
    "record_failure",
    "run_progress",
    "run_settings",
    "settings_data",
    "submit_run",
]
