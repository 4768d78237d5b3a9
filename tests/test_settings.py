"""One settings object: defaults, GOVINSPECT_* variables, then options (None keeps the value)."""

import datetime as dt
from pathlib import Path

import pytest

from govinspect.settings import Settings, SettingsError


def test_defaults_are_the_documented_ones():
    s = Settings.from_env({})
    assert s.database_url == "sqlite:///govinspect.db" and s.out_dir == Path("reports")
    assert s.formats == ("json", "html") and s.rubric == "gov-2019"
    assert s.fetch.timeout_s == 15.0 and s.crawl.max_pages == 400 and s.crawl.probes == 3
    assert s.probe_timeout_s is None  # then the rubric's probe_timeout_s


def test_environment_variables_and_nested_fields():
    s = Settings.from_env(
        {
            "GOVINSPECT_DATABASE_URL": "postgresql+psycopg://u@db/g",
            "GOVINSPECT_FORMATS": "json,xlsx",
            "GOVINSPECT_TIMEOUT": "7.5",
            "GOVINSPECT_MAX_PAGES": "50",
            "GOVINSPECT_FETCH_PER_HOST": "2",
            "GOVINSPECT_CRAWL_FOLLOW_LINKS": "true",
            "GOVINSPECT_ROBOTS": "off",
            "GOVINSPECT_SITE_CONCURRENCY": "8",
        }
    )
    assert s.database_url == "postgresql+psycopg://u@db/g" and s.formats == ("json", "xlsx")
    assert s.fetch.timeout_s == 7.5 and s.crawl.probe_timeout_s == 7.5 and s.probe_timeout_s == 7.5
    assert s.crawl.max_pages == 50 and s.fetch.per_host == 2 and s.crawl.follow_links is True
    assert s.fetch.respect_robots is False and s.site_concurrency == 8


def test_options_override_and_none_keeps_the_value():
    s = Settings.from_env({"GOVINSPECT_MAX_PAGES": "50"})
    assert s.with_options(max_pages=None).crawl.max_pages == 50
    assert s.with_options(max_pages=10, as_of=dt.date(2026, 1, 2)).crawl.max_pages == 10
    assert s.with_options(as_of=dt.date(2026, 1, 2)).effective_as_of() == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    "env",
    [{"GOVINSPECT_TIMEOUT": "快"}, {"GOVINSPECT_FORMATS": "pdf"}, {"GOVINSPECT_RENDER": "sometimes"}],
)
def test_bad_values_are_a_chinese_error(env):
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
