"""Jinja2 templates (autoescape always on) and the signed-in user of a page request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from govinspect.report.labels import check_label, verdict_label
from govinspect.report.render import format_number, safe_href
from govinspect.web.accounts import User, session_user
from govinspect.web.security import CSRF_FIELD, csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


class LoginRequired(Exception):
    pass


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # crawled text is data, never markup: whatever the template's extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        verdict_label=lambda v: verdict_label(v or "") if v else "未检查",
        check_label=check_label,
        number=format_number,
        safe_href=safe_href,
        when=lambda d: d.strftime("%Y-%m-%d %H:%M") if isinstance(d, dt.datetime) else (str(d) if d else "—"),
    )
    return env


templates = Jinja2Templates(env=_environment())


def page_user(request: Request) -> User | None:
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        return None
    # The session lives in the database: a logout, a password change or reset, a deactivated
    # account or two idle hours end it wherever the cookie went.
    with request.app.state.store.unit_of_work() as uow:
        return session_user(uow, sid)


def require_user(request: Request) -> User:
    user = page_user(request)
    if user is None:
        raise LoginRequired()
    return user


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200):
    base = {
        "request": request,
        "user": context.get("user", page_user(request)),
        "csrf_field": CSRF_FIELD,
        "csrf": csrf_token(request),
        "nav": context.get("nav", ""),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
