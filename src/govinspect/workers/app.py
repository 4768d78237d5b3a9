"""The Celery application, configured from Settings (GOVINSPECT_BROKER_URL, GOVINSPECT_QUEUE ...).

Long tasks on purpose: a site takes minutes. A task is acknowledged only when it has finished
(acks_late) and given back to the broker when its worker dies (reject_on_worker_lost); a worker
holds one message at a time (prefetch 1) so nothing waits behind a long crawl on a busy worker.
"""

from __future__ import annotations

from celery import Celery

from govinspect.settings import Settings

INSPECT_TASK = "govinspect.inspect_site"


class BrokerError(RuntimeError):
    """The message broker cannot be reached (Chinese message)."""


def probe_queue(settings: Settings) -> str:
    """Probes get their own queue, so long inspections never delay them."""
    return f"{settings.queue}.probe"


def make_app(settings: Settings) -> Celery:
    app = Celery("govinspect", broker=settings.broker_url, backend=settings.result_backend)
    limit = float(settings.task_time_limit_s)
    transport: dict = {}
    if settings.broker_url.startswith(("redis://", "rediss://")):
        # Redis redelivers an unacknowledged task after the visibility timeout (1 h by default):
        # keep it above the time limit, or a long crawl would be started twice.
        transport["visibility_timeout"] = int(limit * 2)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=limit,
        task_soft_time_limit=max(1.0, limit - 60) if limit > 120 else limit * 0.9,
        worker_max_memory_per_child=settings.worker_max_memory_kb,
        task_default_queue=settings.queue,
        task_routes={"govinspect.probe_site": {"queue": probe_queue(settings)}},
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=settings.result_backend is None,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    app.govinspect_settings = settings  # the tasks read it (database URL, vantage, retries)
    from govinspect.workers.tasks import register

    register(app)
    return app


def check_broker(app: Celery, timeout_s: float = 5.0) -> None:
    """Connect once, or raise BrokerError saying which broker could not be reached."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout_s)
    except Exception as exc:
        shown = app.connection_for_write().as_uri()  # the password masked
        raise BrokerError(
            f"无法连接消息队列 {shown}：{exc}。请确认 RabbitMQ（或 Redis）已启动，"
            f"或用 GOVINSPECT_BROKER_URL 指定正确的地址"
        ) from exc
