"""schemathesis against /api/openapi.json: no server errors, responses as the schema says.

The token is a 只读 account's, so POST /api/sites/{id}/inspections answers 403 and no crawl
ever starts (the tests never touch the internet). The app is built at collection time because
schemathesis parametrizes from its schema."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from govinspect.settings import Settings
from govinspect.web import create_app
from webutil import api_token, seeded_store

pytestmark = pytest.mark.filterwarnings("ignore")

_DIR = Path(tempfile.mkdtemp(prefix="govinspect-api-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
STORE, _IDS = seeded_store(f"sqlite:///{_DIR / 'api.db'}")
atexit.register(STORE.close)
# The public 找错 endpoint is rate limited per address: schemathesis sends far more than a citizen.
APP = create_app(STORE, Settings(out_dir=None, jiucuo_public_limit=1_000_000))
HEADERS = {"Authorization": f"Bearer {api_token(STORE, 'viewer')}"}

schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_has_no_server_errors(case):
    case.call_and_validate(headers=HEADERS)
