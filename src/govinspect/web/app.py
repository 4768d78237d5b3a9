"""The FastAPI application: pages (web/pages.py), the REST API (web/api.py), static files.

app = create_app(store, settings)      # then uvicorn.run(app, ...) — see `govinspect serve`
"""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.web.access import SiteNotFound
from govinspect.web.jobs import Jobs
from govinspect.web.security import CsrfError, SecurityHeaders
from govinspect.web.templating import LoginRequired, render
from govinspect.web.validation import chinese_errors, summary

WEB_DIR = Path(__file__).resolve().parent
SESSION_COOKIE = "govinspect_session"
SESSION_MAX_AGE_S = 8 * 3600  # a working day


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at this path (GET and POST may be two routes)."""
    methods: set[str] = set()
    for route in app.router.routes:
        if isinstance(route, APIRoute) and route.path_regex.fullmatch(path):
            methods |= route.methods
    return sorted(methods)


def create_app(
    store: Store, settings: Settings, *, secret_key: str | None = None, https_only: bool = False
) -> FastAPI:
    """The web app over `store`; inspections it starts use `settings` (no report files: the store
    keeps them and downloads are rendered on demand)."""
    from govinspect.web import (
        api,
        api_jiucuo,
        api_newmedia,
        api_runs,
        pages,
        pages_jiucuo,
        pages_newmedia,
        pages_rectify,
        pages_reports,
        pages_runs,
    )

    jobs = Jobs(store, replace(settings, out_dir=None))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        jobs.cancel_all()
        if hasattr(_app.state, "work_jobs"):  # 抽查 and 复查 jobs run in threads: ask them to stop
            await _app.state.work_jobs.stop_all()

    app = FastAPI(
        title="govinspect 政府网站检查 API",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN; the schema is enough
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.jobs = jobs
    key = secret_key or os.environ.get("GOVINSPECT_SECRET_KEY") or secrets.token_urlsafe(48)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",
        https_only=https_only,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(api.router)
    app.include_router(api_jiucuo.router)
    app.include_router(pages.router)
    app.include_router(api_runs.router)  # 抽查 and 整改 API
    app.include_router(api_newmedia.router)  # 政务新媒体 API
    for module in (pages_runs, pages_rectify, pages_reports):  # 抽查与通报, 整改, 问责 and 年度报表
        app.include_router(module.router)
    app.include_router(pages_jiucuo.router)
    app.include_router(pages_newmedia.router)  # 政务新媒体

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, exc: CsrfError):
        return render(request, "error.html", {"title": "请求被拒绝", "message": str(exc)}, status_code=403)

    @app.exception_handler(SiteNotFound)
    async def _not_found(request: Request, exc: SiteNotFound):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render(request, "error.html", {"title": "未找到", "message": str(exc)}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": chinese_errors(errors)}, status_code=422)
        context = {"title": "请求无法处理", "message": summary(errors)}
        return render(request, "error.html", context, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            headers = dict(exc.headers or {})
            if exc.status_code == 405:  # Starlette names only the first route's methods
                headers["Allow"] = ", ".join(_allowed_methods(app, request.url.path))
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
        message = exc.detail if isinstance(exc.detail, str) else "请求无法处理"
        if exc.status_code == 404 and exc.detail in (None, "", "Not Found"):
            message = "页面不存在"  # a Chinese detail (e.g. an expired preview) is said as it is
        context = {"title": f"错误 {exc.status_code}", "message": message}
        return render(request, "error.html", context, status_code=exc.status_code)

    return app
