"""The registry of supervised sites: import from CSV/XLSX and URL normalisation."""

from govinspect.registry.importer import (
    ImportFileError,
    InvalidURLError,
    OverridesError,
    RowError,
    SiteTarget,
    normalize_url,
    read_sites,
    validate_overrides,
)

__all__ = [
    "ImportFileError",
    "InvalidURLError",
    "OverridesError",
    "RowError",
    "SiteTarget",
    "normalize_url",
    "read_sites",
    "validate_overrides",
]
