"""Markup for the monitor tests: a home page, and the WAF challenge pages of the render tests."""

from pathlib import Path

HOME = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>'
    + "".join(f'<a href="/xw/{i}.html">关于开展政府网站检查工作的通知{i}</a>' for i in range(30))
    + "</body></html>"
)

# WAF challenge pages, shared with the render tests (tests/render/fixtures).
RENDER_FIXTURES = Path(__file__).resolve().parents[1] / "render" / "fixtures"


def render_fixture(name: str) -> str:
    return (RENDER_FIXTURES / name).read_text(encoding="utf-8")


JSL_521 = render_fixture("jsl_521.html")
