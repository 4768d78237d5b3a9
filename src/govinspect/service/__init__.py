"""The one async service core every door calls (CLI, web app, workers, monitor).

Inspect (service/inspect.py), rescore (service/rescore.py), the registry (service/sites.py),
stored reports and runs (service/reports.py). Saving and rendering run off the event loop.
"""

from govinspect.service.inspect import (
    SiteOutcome,
    build_inspection,
    error_inspection,
    inspect_many,
    inspect_site,
    inspect_sites,
    load_history,
    open_renderer,
    save_outcome,
)
from govinspect.service.pages import PageError, describe_target, describe_target_async
from govinspect.service.reports import (
    finish_run,
    latest_per_site,
    render_reports,
    start_run,
    stored_reports,
    write_batch_summary,
)
from govinspect.service.rescore import RescoreError, rescore, rescore_async, rescore_inspection
from govinspect.service.sites import (
    ImportResult,
    UnknownSiteError,
    import_sites,
    list_sites,
    registered_site,
    reset_baseline,
    set_site_overrides,
    site_overrides,
)

__all__ = [
    "PageError",
    "describe_target",
    "describe_target_async",
    "ImportResult",
    "RescoreError",
    "SiteOutcome",
    "UnknownSiteError",
    "build_inspection",
    "error_inspection",
    "finish_run",
    "import_sites",
    "inspect_many",
    "inspect_site",
    "inspect_sites",
    "latest_per_site",
    "list_sites",
    "load_history",
    "open_renderer",
    "registered_site",
    "render_reports",
    "rescore",
    "rescore_async",
    "rescore_inspection",
    "reset_baseline",
    "save_outcome",
    "set_site_overrides",
    "site_overrides",
    "start_run",
    "stored_reports",
    "write_batch_summary",
]
