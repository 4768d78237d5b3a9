"""`govinspect proofread`: text, .docx, .html, standard input, several files, bad files."""

import json

import docx
from typer.testing import CliRunner

from govinspect.cli import app

runner = CliRunner()

DRAFT = (
    "关于做好冬季安全生产工作的通知\n"
    "各乡镇人民政府：\n"
    "为认真贯切落实习近评同志关于安全生产的重要指示精神，大力培育发展大数局产业。\n"
    "本通知自发布之日起施行。\n"
)
PROMOTION = (
    "关于专家组：钱立衡，男，1962年出生，毕业于华夏管理学院，现任国际欧亚生命科学院院士、"
    "北方某大学客座教授、中华养生文化促进会名誉会长。"
)


def run(*args, stdin=None):
    return runner.invoke(app, ["proofread", *args], input=stdin)


def jsonl_of(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_text_file_table(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    for shown in (
        "贯切落实",
        "贯彻落实",
        "习近评",
        "习近平",
        "大数局",
        "大数据",
        "严重表述错误",
        "单项否决",
        "第3行",
    ):
        assert shown in result.stdout, shown
    assert "共发现3处问题" in result.stdout


def test_jsonl_fields_line_and_offset(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    rows = jsonl_of(run(str(path), "--format", "jsonl"))
    by_text = {r["text"]: r for r in rows}
    assert set(by_text) == {"贯切落实", "习近评", "大数局"}
    serious = by_text["习近评"]
    assert serious["check"] == "content.serious_error" and serious["severity"] == "veto"
    assert serious["suggestion"] == "习近平" and serious["line"] == 3
    assert DRAFT.splitlines()[2][serious["offset"] :].startswith("习近评")
    assert by_text["大数局"]["check"] == "content.typo" and 0.7 <= by_text["大数局"]["confidence"] <= 1
    assert set(serious) >= {"check", "severity", "text", "suggestion", "line", "offset", "confidence"}


def test_gbk_text_file(tmp_path):
    path = tmp_path / "draft-gbk.txt"
    path.write_bytes(DRAFT.encode("gbk"))
    rows = jsonl_of(run(str(path), "--format", "jsonl"))
    assert {r["text"] for r in rows} == {"贯切落实", "习近评", "大数局"}


def test_docx(tmp_path):
    document = docx.Document()
    for line in DRAFT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "备注"
    table.rows[0].cells[1].text = "请按排好值班人员"
    path = tmp_path / "draft.docx"
    document.save(path)
    rows = jsonl_of(run(str(path), "--format", "jsonl"))
    assert {r["text"] for r in rows} == {"贯切落实", "习近评", "大数局", "按排"}
    assert all(r["file"] == str(path) for r in rows)


def test_stdin():
    rows = jsonl_of(run("-", "--format", "jsonl", stdin=DRAFT))
    assert {r["text"] for r in rows} == {"贯切落实", "习近评", "大数局"}
    assert rows[0]["file"] == "标准输入"


def test_html_with_an_inserted_promotion(tmp_path):
    body = "".join(
        f"<p>{p}</p>"
        for p in [
            "11月18日，我县召开安全生产工作专题会议，部署下一阶段重点工作。",
            "会议指出，各乡镇、各部门要压紧压实安全生产责任。",
            PROMOTION,
            "县应急管理局负责同志参加会议。",
        ]
    )
    html = (
        "<html><head><title>我县召开安全生产工作专题会议</title></head><body>"
        "<h1>我县召开安全生产工作专题会议</h1><div class='article-content'>" + body + "</div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    rows = jsonl_of(run(str(path), "--format", "jsonl"))
    [promo] = [r for r in rows if r["check"] == "security.content_injection"]
    assert promo["text"].startswith("关于专家组") and promo["severity"] == "deduct"
    assert "<p>" not in promo["text"]


def test_several_files_and_a_clean_one(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("各地区各部门要认真贯彻落实党中央、国务院决策部署。\n", encoding="utf-8")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(DRAFT, encoding="utf-8")
    result = run(str(clean))
    assert result.exit_code == 0 and "未发现问题" in result.stdout
    rows = jsonl_of(run(str(clean), str(dirty), "--format", "jsonl"))
    assert {r["file"] for r in rows} == {str(dirty)}


def test_missing_file_is_a_chinese_error_exit_2(tmp_path):
    result = run(str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "文件不存在" in result.output


def test_broken_docx_and_binary_file_exit_2(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"this is not a zip file")
    result = run(str(broken))
    assert result.exit_code == 2 and "无法读取 Word 文件" in result.output
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    result = run(str(binary))
    assert result.exit_code == 2 and "无法读取文件" in result.output
    assert run(str(tmp_path)).exit_code == 2  # a directory


def test_bad_format_option(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    result = run(str(path), "--format", "xml")
    assert result.exit_code == 2 and "--format" in result.output
