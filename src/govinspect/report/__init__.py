"""Report renderers: the govinspect.report/1 JSON and self-contained, printable HTML pages."""

from govinspect.report.render import (
    FORMATS,
    SUMMARY_FILENAME,
    render_html,
    render_json,
    render_summary_html,
    report_filename,
    write_reports,
    write_summary,
)

__all__ = [
    "FORMATS",
    "SUMMARY_FILENAME",
    "render_html",
    "render_json",
    "render_summary_html",
    "report_filename",
    "write_reports",
    "write_summary",
]
