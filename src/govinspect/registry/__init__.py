"""The registry of supervised sites: import from CSV/XLSX and URL normalisation."""

from govinspect.registry.importer import (
    ImportFileError,
    InvalidURLError,
    RowError,
    SiteTarget,
    normalize_url,
    read_sites,
)

__all__ = ["ImportFileError", "InvalidURLError", "RowError", "SiteTarget", "normalize_url", "read_sites"]
