import pytest

from govinspect.registry import ImportFileError, InvalidURLError, normalize_url, read_sites


def test_normalize_url_accepts_bare_hosts_and_rejects_garbage():
    assert normalize_url("www.xx.gov.cn") == "http://www.xx.gov.cn/"
    assert normalize_url(" https://WWW.XX.gov.cn/index.html ") == "https://www.xx.gov.cn/index.html"
    for bad in ("", "ftp://x.gov.cn/", "http://", "not a url", "javascript:alert(1)"):
        with pytest.raises(InvalidURLError):
            normalize_url(bad)


def test_csv_with_chinese_headers_gbk_and_bad_rows(tmp_path):
    path = tmp_path / "sites.csv"
    text = "网站名称,首页网址,网站标识码\n青山县人民政府,www.qingshan.gov.cn,3601230001\n坏行,ftp://x,\n\n重复,http://www.qingshan.gov.cn/,\n白水县,http://www.baishui.gov.cn/,\n"
    path.write_bytes(text.encode("gbk"))
    targets, errors = read_sites(path)
    assert [(t.name, t.url, t.site_code) for t in targets] == [
        ("青山县人民政府", "http://www.qingshan.gov.cn/", "3601230001"),
        ("白水县", "http://www.baishui.gov.cn/", None),
    ]
    assert [e.row for e in errors] == [3, 5]
    assert "第3行" in errors[0].message and "重复" in errors[1].message


def test_xlsx_import(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "url", "地区"])
    sheet.append(["河西区人民政府", "http://www.hexi.gov.cn/", "河西区"])
    sheet.append([None, None, None])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    targets, errors = read_sites(path)
    assert [(t.name, t.meta) for t in targets] == [("河西区人民政府", {"region": "河西区"})]
    assert errors == []


def test_unreadable_files_raise_clear_errors(tmp_path):
    with pytest.raises(ImportFileError, match="找不到"):
        read_sites(tmp_path / "none.csv")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match="无法打开"):
        read_sites(corrupt)
    no_url = tmp_path / "nourl.csv"
    no_url.write_text("名称,备注\n甲,乙\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="网址列"):
        read_sites(no_url)
    other = tmp_path / "sites.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(ImportFileError, match="不支持"):
        read_sites(other)
