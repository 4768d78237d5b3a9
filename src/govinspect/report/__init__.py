"""Report renderers: the govinspect.report/1 JSON, self-contained HTML, Excel and Word."""

from govinspect.report.render import (
    DEFAULT_FORMATS,
    FORMATS,
    SUMMARY_FILENAME,
    SUMMARY_FILENAMES,
    render_html,
    render_json,
    render_site,
    render_summary_html,
    report_filename,
    write_report_files,
    write_reports,
    write_summary,
)

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "SUMMARY_FILENAME",
    "SUMMARY_FILENAMES",
    "render_html",
    "render_json",
    "render_site",
    "render_summary_html",
    "report_filename",
    "write_report_files",
    "write_reports",
    "write_summary",
]
