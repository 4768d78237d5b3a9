"""Chinese, user-facing descriptions of fetch failures, with a short reason code for statistics."""

from __future__ import annotations

import errno
import socket
import ssl

import aiohttp


def seconds(value: float) -> str:
    """15.0 -> "15", 0.5 -> "0.5"."""
    return f"{value:g}"


def timeout_message(timeout_s: float) -> str:
    return f"连接超时（超过{seconds(timeout_s)}秒未响应）"


def http_message(status: int) -> str:
    return f"HTTP {status}"


def _detail(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _os_error(exc: OSError | None) -> tuple[str, str] | None:
    if isinstance(exc, socket.gaierror):
        return "dns", "域名无法解析"
    if isinstance(exc, ConnectionRefusedError):
        return "refused", "连接被拒绝"
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return "reset", "连接被中断"
    code = getattr(exc, "errno", None)
    if code in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "unreachable", "网络不可达"
    if code == errno.ECONNREFUSED:
        return "refused", "连接被拒绝"
    if code in (errno.ECONNRESET, errno.EPIPE):
        return "reset", "连接被中断"
    return None


def describe(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    """(reason code, Chinese message) for an exception raised by one HTTP exchange."""
    if isinstance(exc, TimeoutError):  # aiohttp's timeouts subclass it too
        return "timeout", timeout_message(timeout_s)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return "proxy", f"代理服务器错误（代理返回 HTTP {exc.status}）"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return "proxy", f"代理服务器错误（无法连接代理 {exc.host}:{exc.port}）"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "dns", f"域名无法解析（{exc.host}）"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return "tls", f"HTTPS证书无效（{_detail(exc.certificate_error)}）"
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return "tls", f"HTTPS安全连接失败（{_detail(exc)}）"
    if isinstance(exc, aiohttp.ClientConnectorError):
        known = _os_error(exc.os_error)
        if known:
            reason, message = known
            return reason, f"{message}（{exc.host}:{exc.port}）"
        return "connect", f"无法建立连接（{exc.host}:{exc.port}，{_detail(exc.os_error)}）"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "reset", "连接被中断（服务器提前关闭了连接）"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "payload", f"连接被中断（响应内容不完整或损坏：{_detail(exc)}）"
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return "invalid_url", f"网址无效（{_detail(exc)}）"
    if isinstance(exc, aiohttp.ClientResponseError):
        return "bad_response", f"服务器响应格式错误（{_detail(exc)}）"
    if isinstance(exc, OSError):
        known = _os_error(exc)
        if known:
            reason, message = known
            return reason, f"{message}（{_detail(exc)}）"
    return "other", f"访问失败（{type(exc).__name__}：{_detail(exc)}）"
