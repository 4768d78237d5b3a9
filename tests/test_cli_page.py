"""`govinspect page`: what the extractor understood of one page, from a file or a URL."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from govinspect.cli import app

runner = CliRunner()

# A TRS-style article saved as GBK, charset only in the meta tag.
ARTICLE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<meta name="PubDate" content="2026-11-21 17:02"><meta name="SiteIDCode" content="3301000001">
<title>县政府召开常务会议_某某县人民政府</title></head><body>
<div class="detail"><h1>县政府召开常务会议</h1><div class="info">发布时间：2026-11-03 09:30 来源：县政府办</div>
<div class="TRS_Editor"><p>11月2日，县政府召开第十五次常务会议，传达学习上级会议精神，研究部署冬季安全生产、
森林防火和民生保障等工作。会议要求，各乡镇、各部门要压实责任，强化督查，确保各项工作落到实处。</p></div></div>
<div class="footer"><a href="/ldxx/">领导信箱</a> 浙ICP备05000001号
<img src="/images/jiucuo.png" onclick="Link('3301000001')"><script src="/js/footer.js"></script></div>
</body></html>"""
FOOTER_JS = 'function Link(c){window.open("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code="+c);}'


def run(*args):
    return runner.invoke(app, ["page", *args], env={"HTTP_PROXY": "", "http_proxy": "", "NO_PROXY": "*"})


def test_file_is_decoded_like_a_fetched_page(tmp_path):
    path = tmp_path / "article.html"
    path.write_bytes(ARTICLE.encode("gbk"))
    result = run(str(path), "--as-of", "2026-11-22", "--format", "json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout.strip())
    assert page["schema"] == "govinspect.page/1"
    assert page["kind"] == "article"
    assert page["title"] == "县政府召开常务会议"
    assert page["published"]["date"] == "2026-11-03"
    assert page["published"]["source"] == "label"
    assert page["footer"]["site_code"] == {"shown": None, "declared": "3301000001"}
    assert page["footer"]["jiucuo_site_code"] == "3301000001"
    assert page["channels"] == [{"label": "领导信箱", "url": "/ldxx/", "working": True}]
    assert page["guide"] is None and page["items"] == []


def test_table_output_is_chinese(tmp_path):
    path = tmp_path / "article.html"
    path.write_bytes(ARTICLE.encode("gbk"))
    result = run(str(path), "--as-of", "2026-11-22")
    assert result.exit_code == 0
    for words in ("文章页", "发布日期", "页面标注", "元数据声明：3301000001", "领导信箱"):
        assert words in result.output


def test_bad_file_is_a_chinese_error(tmp_path):
    result = run(str(tmp_path / "missing.html"))
    assert result.exit_code == 2
    assert "不是可读取的文件" in result.output
    assert run(str(tmp_path)).exit_code == 2  # a folder
    assert run("x.html", "--format", "xml").exit_code == 2


@pytest.fixture
def server():
    routes = {
        "/a.html": ("text/html; charset=gbk", ARTICLE.encode("gbk")),
        "/js/footer.js": ("application/javascript", FOOTER_JS.encode()),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            content_type, body = routes.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_is_fetched_with_its_footer_script(server):
    result = run(f"{server}/a.html", "--as-of", "2026-11-22", "--format", "json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout.strip())
    assert page["url"] == f"{server}/a.html"
    assert page["published"]["date"] == "2026-11-03"
    # The 找错 handler is defined in the site's own script file, which the command read.
    assert page["footer"]["jiucuo"] == "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001"
    assert page["channels"][0]["url"] == f"{server}/ldxx/"
    # A page that cannot be fetched: Chinese error, exit 2, the others still described.
    result = run(f"{server}/missing.html", f"{server}/a.html", "--format", "json")
    assert result.exit_code == 2
    assert "无法获取页面" in result.output
