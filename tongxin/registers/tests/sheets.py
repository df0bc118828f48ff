"""Building register workbooks for import tests: rows given as {header: value} dicts."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from tongxin.registers.layout import HOUSEHOLDS, PLACES, RESIDENTS


def workbook(*, places=(), households=(), residents=(), title_rows=0) -> bytes:
    book = Workbook()
    if places or households or residents:
        book.remove(book.active)
    for sheet, rows in ((PLACES, places), (HOUSEHOLDS, households), (RESIDENTS, residents)):
        if not rows:
            continue
        worksheet = book.create_sheet(sheet.title)
        for _ in range(title_rows):
            worksheet.append(["某某社区台账"])
        headers = sheet.headers + sorted({key for row in rows for key in row} - set(sheet.headers))
        worksheet.append(headers)
        for row in rows:
            worksheet.append([row.get(header) for header in headers])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(content))
    return {name: list(book[name].values) for name in book.sheetnames}


def household(place, unit, **more):
    return {"地点编码": place, "门牌号": unit, **more}


def resident(place, unit, name, relation="业主", **more):
    return {"地点编码": place, "门牌号": unit, "姓名": name, "关系": relation, **more}
