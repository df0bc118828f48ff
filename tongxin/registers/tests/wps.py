"""Make an openpyxl-written .xlsx look like one saved by WPS Office (WPS 表格), for importer tests.

We cannot run WPS here, so ``as_wps`` rewrites the zip to carry the traits of WPS-saved
files that public material shows. Each trait, and the evidence for it:

1. ``docProps/app.xml`` names WPS: ``<Application>WPS 表格</Application>`` (Chinese builds;
   "WPS Spreadsheets" abroad, "WPS Office 个人版" in older ones) with a ``工作表`` heading pair
   and the sheet names. Seen in WPS-saved fixtures kept in public code (a Rust OOXML crate's
   app.xml test; a Go package that embeds "file content from wps xlsx file").
2. ``docProps/custom.xml`` with WPS's ``KSOProductBuildVer`` ("2052-…": 2052 is zh-CN) and, in
   WPS 12, ``ICV`` and ``CalculationRule``; linked from ``_rels/.rels`` and
   ``[Content_Types].xml``. Same fixtures; tools tell WPS files apart by this property.
3. Every ``<dimension ref>`` says ``A1``. openpyxl's read-only mode trusts it and returns only
   cell A1 until ``ws.reset_dimensions()`` is called: reported for WPS files in
   https://github.com/langgenius/dify/issues/1039 (``<dimension ref="A1"/>`` also in
   https://github.com/pandas-dev/pandas/issues/39001; openpyxl docs, "Worksheet dimensions").
4. Strings live in ``xl/sharedStrings.xml`` (``t="s"``), as in the Go package's WPS file.
   openpyxl 3.1 writes every string inline (``t="inlineStr"``) and no shared strings at all, so
   this is the change that brings an openpyxl file closer to WPS, and it exercises the
   importer's shared-string path. ``strings="inline"`` keeps openpyxl's inline strings, as
   streaming writers make them (https://github.com/jmcnamara/libxlsxwriter/issues/76,
   https://github.com/mk-j/PHP_XLSXWriter/issues/91).
5. Dates are serial numbers under zh-CN date formats (``yyyy"年"m"月"d"日";@``,
   ``yyyy/m/d h:mm;@``), not openpyxl's ISO-style ``yyyy-mm-dd``; such codes are
   common in Chinese spreadsheet tools' format tables.
6. Long digit strings (ID numbers, 12+ digits) carry the text format ``@`` (numFmtId 49): WPS
   users format ID columns as 文本 so that 18-digit numbers keep all their digits.
7. Worksheet targets in ``xl/_rels/workbook.xml.rels`` are relative ("worksheets/sheet1.xml"),
   as WPS and Excel write them; openpyxl writes absolute ones.

Opt-in (``drop_refs=True``), not WPS: ``r`` is left off rows and cells whose place follows
from the previous one. Power BI, SpreadJS, DataGrip and others write such files
(https://github.com/tafia/calamine/pull/330, https://github.com/ironcalc/IronCalc/issues/1096,
https://github.com/ExcelDataReader/ExcelDataReader/pull/115); openpyxl counts rows and columns
on when ``r`` is missing. It is kept where a gap follows, or cells would shift.

Not imitated: ``xl/cellimages.xml`` (WPS in-cell pictures behind ``=DISPIMG(...)`` formulas),
which WPS writes only when a cell holds a picture.
"""

import io
import re
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
APPLICATION = "WPS 表格"
CUSTOM_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">\
<vt:lpwstr>2052-12.1.0.26895</vt:lpwstr></property>\
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV">\
<vt:lpwstr>4F1C0D9A2B7E4E6D8C3A5B1E2D7F9A60_12</vt:lpwstr></property>\
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="CalculationRule">\
<vt:i4>0</vt:i4></property></Properties>"""
# openpyxl's date formats (as they appear in styles.xml) -> zh-CN ones.
DATE_FORMATS = {
    "yyyy-mm-dd": "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@",
    "yyyy-mm-dd h:mm:ss": "yyyy/m/d h:mm;@",
}
TEXT_XF = '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'

ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def as_wps(xlsx: bytes, *, strings: str = "shared", drop_refs: bool = False) -> bytes:
    """Return ``xlsx`` (written by openpyxl) rewritten with the traits of a WPS-saved file."""
    if strings not in ("shared", "inline"):
        raise ValueError("strings must be 'shared' or 'inline'")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = {name: source.read(name).decode("utf-8") for name in source.namelist()}
    if "xl/sharedStrings.xml" in parts:
        raise ValueError("expected an openpyxl-written file (inline strings, no sharedStrings.xml)")

    text_style = _restyle(parts)
    table: dict[str, int] | None = {} if strings == "shared" else None
    sheets = [name for name in parts if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)]
    for name in sheets:
        parts[name] = _sheet(parts[name], table, text_style, drop_refs)
    if table:
        count = sum(parts[name].count(' t="s"') for name in sheets)
        items = "".join(f"<si>{inner}</si>" for inner in table)
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{len(table)}">{items}</sst>'
        )
        sst_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        _add_part(parts, "xl/_rels/workbook.xml.rels", "sharedStrings.xml", "/xl/sharedStrings.xml",
                  f"{REL}/sharedStrings", sst_type)

    names = [sheet.get("name") for sheet in ElementTree.fromstring(parts["xl/workbook.xml"]).iter(f"{{{MAIN}}}sheet")]
    parts["docProps/app.xml"] = _app_xml(names)
    parts["docProps/custom.xml"] = CUSTOM_XML
    _add_part(parts, "_rels/.rels", "docProps/custom.xml", "/docProps/custom.xml",
              f"{REL}/custom-properties", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace('Target="/xl/', 'Target="')

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, text in parts.items():
            target.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def _restyle(parts: dict[str, str]) -> int:
    """zh-CN date formats; add a text ("@") cell format and return its index."""
    styles = parts["xl/styles.xml"]
    for ours, theirs in DATE_FORMATS.items():
        styles = styles.replace(f'formatCode="{ours}"', f'formatCode="{theirs}"')
    cell_xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    index = len(re.findall(r"<xf\b", cell_xfs.group(1)))
    new = f'<cellXfs count="{index + 1}">{cell_xfs.group(1)}{TEXT_XF}</cellXfs>'
    parts["xl/styles.xml"] = styles[: cell_xfs.start()] + new + styles[cell_xfs.end():]
    return index


def _sheet(xml: str, table: dict[str, int] | None, text_style: int, drop_refs: bool) -> str:
    xml = re.sub(r"<dimension\b[^>]*/>", '<dimension ref="A1"/>', xml)
    last_row = 0

    def row(match: re.Match) -> str:
        nonlocal last_row
        attrs = dict(ATTR.findall(match.group(1)))
        number = int(attrs.get("r", last_row + 1))
        if drop_refs and number == last_row + 1:
            attrs.pop("r", None)
        last_row = number
        last_column = 0

        def cell(match: re.Match) -> str:
            nonlocal last_column
            attrs, body = dict(ATTR.findall(match.group(1))), match.group(2)
            column = _column(attrs["r"]) if "r" in attrs else last_column + 1
            if drop_refs and column == last_column + 1:
                attrs.pop("r", None)
            last_column = column
            if attrs.get("t") == "inlineStr":
                inline = re.fullmatch(r"<is>(.*)</is>", body or "", re.S)
                if inline is None:  # openpyxl writes '' as an inline string with no <is>
                    attrs.pop("t")
                    body = None
                else:
                    if "s" not in attrs and re.fullmatch(r"<t>\d{12,}</t>", inline.group(1)):
                        attrs["s"] = str(text_style)
                    if table is not None:
                        attrs["t"] = "s"
                        body = f"<v>{table.setdefault(inline.group(1), len(table))}</v>"
            return _element("c", attrs, body)

        body = match.group(2)
        return _element("row", attrs, None if body is None else CELL.sub(cell, body))

    return re.sub(r"<sheetData>(.*)</sheetData>", lambda m: f"<sheetData>{ROW.sub(row, m.group(1))}</sheetData>",
                  xml, flags=re.S)


def _element(tag: str, attrs: dict[str, str], body: str | None) -> str:
    head = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f"<{tag}{head}/>" if body is None else f"<{tag}{head}>{body}</{tag}>"


def _column(ref: str) -> int:
    number = 0
    for letter in re.match(r"[A-Z]+", ref).group():
        number = number * 26 + ord(letter) - 64
    return number


def _add_part(parts: dict[str, str], rels: str, target: str, part: str, rel_type: str, content_type: str) -> None:
    ids = [int(n) for n in re.findall(r'Id="rId(\d+)"', parts[rels])]
    link = f'<Relationship Id="rId{max(ids, default=0) + 1}" Type="{rel_type}" Target="{target}"/>'
    parts[rels] = parts[rels].replace("</Relationships>", link + "</Relationships>")
    override = f'<Override PartName="{part}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", override + "</Types>")


def _app_xml(sheet_names: list[str]) -> str:
    titles = "".join(f"<vt:lpstr>{escape(name)}</vt:lpstr>" for name in sheet_names)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application>"
        '<HeadingPairs><vt:vector size="2" baseType="variant">'
        f"<vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(sheet_names)}</vt:i4></vt:variant>"
        "</vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(sheet_names)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
        "</Properties>"
    )
