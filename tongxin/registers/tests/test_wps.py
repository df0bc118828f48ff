"""The WPS test helper (``wps.as_wps``) keeps every value and carries the WPS traits."""

import datetime
import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from .wps import as_wps

ID_NUMBER = "110101199003071234"
VARIANTS = [
    pytest.param({}, id="wps"),
    pytest.param({"strings": "inline"}, id="inline-strings"),
    pytest.param({"drop_refs": True}, id="implied-refs"),
]


def original() -> bytes:
    workbook = Workbook()
    households = workbook.active
    households.title = "住户"
    households.append(["户号", "户主", "登记日期", "身份证号", "备注"])
    households.append(["H-001", "张三", datetime.date(2023, 5, 1), ID_NUMBER, None])
    households.append(["H-002", None, datetime.datetime(2024, 1, 2, 8, 30), "11010119850101002X", "独居老人"])
    households.append([])  # a blank row in the middle
    households.append(["H-003", "王五", None, None, 3])
    residents = workbook.create_sheet("居民")
    residents.append(["姓名", "性别", "出生日期", "身份证号", "联系电话", "人数"])
    residents.append(["李四", "男", datetime.date(1990, 3, 7), ID_NUMBER, "13800138000", 2])
    residents.append(["赵六", None, None, "110101200001011234", None, 1.5])
    residents["H6"] = "备注：楼下"  # past the header's last column, after two missing rows
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()


def cells(content: bytes, **options) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty value by (row, column), sheet by sheet."""
    workbook = load_workbook(BytesIO(content), **options)
    found = {}
    for sheet in workbook:
        if options.get("read_only"):
            sheet.reset_dimensions()
        found[sheet.title] = {
            (r, c): value
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            for c, value in enumerate(row, start=1)
            if value is not None
        }
    workbook.close()
    return found


def parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


@pytest.mark.parametrize("options", VARIANTS)
def test_read_only_mode_with_reset_dimensions_reads_every_value(options):
    expected = cells(original())
    assert expected["住户"][(2, 4)] == ID_NUMBER and expected["住户"][(2, 3)] == datetime.datetime(2023, 5, 1)
    assert expected["居民"][(6, 8)] == "备注：楼下" and len(expected["住户"]) == 16
    assert cells(as_wps(original(), **options), read_only=True) == expected


@pytest.mark.parametrize("options", VARIANTS)
def test_normal_mode_reads_every_value(options):
    assert cells(as_wps(original(), **options)) == cells(original())


def test_read_only_mode_without_reset_dimensions_sees_only_a1():
    workbook = load_workbook(BytesIO(as_wps(original())), read_only=True)
    households = workbook["住户"]
    assert households.calculate_dimension() == "A1:A1"
    assert list(households.values) == [("户号",)]  # four rows and four columns lost
    households.reset_dimensions()
    rows = list(households.values)
    # Rows then end at their last value and the blank row is empty: an importer must pad.
    assert households.max_row is None and [len(row) for row in rows] == [5, 4, 5, 0, 5]
    workbook.close()


def test_the_file_carries_the_wps_traits():
    content = as_wps(original())
    files = parts(content)
    assert "<Application>WPS 表格</Application>" in files["docProps/app.xml"]
    assert "<vt:lpstr>住户</vt:lpstr><vt:lpstr>居民</vt:lpstr>" in files["docProps/app.xml"]
    assert 'name="KSOProductBuildVer"><vt:lpwstr>2052-' in files["docProps/custom.xml"]
    assert 'Target="docProps/custom.xml"' in files["_rels/.rels"]
    assert 'PartName="/docProps/custom.xml"' in files["[Content_Types].xml"]
    assert 'Target="worksheets/sheet1.xml"' in files["xl/_rels/workbook.xml.rels"]
    sheets = [files[name] for name in files if name.startswith("xl/worksheets/")]
    assert len(sheets) == 2
    for sheet in sheets:
        assert re.findall(r"<dimension [^>]*>", sheet) == ['<dimension ref="A1"/>']
        assert 't="s"' in sheet and "inlineStr" not in sheet and "<is>" not in sheet
    assert "<si><t>&#24352;&#19977;</t></si>" in files["xl/sharedStrings.xml"]  # 张三, once
    assert files["xl/sharedStrings.xml"].count(f"<t>{ID_NUMBER}</t>") == 1

    workbook = load_workbook(BytesIO(content))
    assert workbook.custom_doc_props["KSOProductBuildVer"].value.startswith("2052-")
    households = workbook["住户"]
    assert households["C2"].number_format == 'yyyy"年"m"月"d"日";@' and households["C2"].is_date
    assert households["C3"].number_format == "yyyy/m/d h:mm;@"
    assert households["D2"].number_format == "@" and households["D3"].number_format == "General"


def test_inline_strings_are_kept_when_asked():
    files = parts(as_wps(original(), strings="inline"))
    assert "xl/sharedStrings.xml" not in files
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert 't="s"' not in files[name] and 't="inlineStr"><is><t>' in files[name]
        assert '<dimension ref="A1"/>' in files[name]


def test_implied_refs_are_dropped_but_kept_after_gaps():
    sheet = parts(as_wps(original(), drop_refs=True))["xl/worksheets/sheet1.xml"]
    assert sheet.count("<row>") == 3 and '<row r="5">' in sheet  # row 4 is missing
    assert '<c r="C3"' in sheet and '<c r="E5"' in sheet  # after B3 and C5:D5, which are empty
    assert '<c r="D3"' not in sheet and '<c r="B5"' not in sheet
    assert '<c t="s"><v>0</v></c>' in sheet
