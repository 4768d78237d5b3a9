"""`govinspect serve`: no default password — it refuses to start without one (exit 2, Chinese)."""

from __future__ import annotations

from typer.testing import CliRunner

from govinspect.cli import app, ensure_admin
from govinspect.store import Store
from govinspect.web import accounts


def test_serve_refuses_to_start_without_an_admin_password(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVINSPECT_ADMIN_PASSWORD", raising=False)
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    result = CliRunner().invoke(app, ["serve", "--db", db, "--port", "0"], input="")
    assert result.exit_code == 2
    assert "GOVINSPECT_ADMIN_PASSWORD" in result.output and "管理员密码" in result.output
    with Store(db) as store, store.unit_of_work() as uow:
        assert accounts.count_users(uow) == 0


def test_first_start_creates_the_admin_once(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'serve.db'}") as store:
        assert ensure_admin(store, "a-long-admin-password", interactive=False) == "admin"
        assert ensure_admin(store, "another-password-x", interactive=False) is None
        with store.unit_of_work() as uow:
            assert accounts.authenticate(uow, "admin", "a-long-admin-password") is not None
            assert accounts.authenticate(uow, "admin", "another-password-x") is None
