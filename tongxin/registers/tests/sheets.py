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


def synthetic(parent: str, households: int, *, prefix: str = "sx", per_entrance: int = 100, bad_every: int = 0):
    """A realistic register workbook: a building per 2×``per_entrance`` households under the place
    coded ``parent``, owners with ID numbers and phones, spouses, every tenth home rented with a
    tenant, party members, and elderly people living alone with their consent.

    With ``bad_every``, every n-th owner's phone is wrong. Returns (content, the (sheet, row,
    column) of every planted problem).
    """
    import datetime

    from tongxin.core.validators import id_check_digit

    book = Workbook(write_only=True)
    places, homes, people = (book.create_sheet(s.title) for s in (PLACES, HOUSEHOLDS, RESIDENTS))
    for worksheet, sheet in ((places, PLACES), (homes, HOUSEHOLDS), (people, RESIDENTS)):
        worksheet.append(sheet.headers)
    entrances = -(-households // per_entrance)
    for e in range(entrances):
        building = f"{prefix}-b{e // 2}"
        if e % 2 == 0:
            places.append([building, parent, "楼栋", f"{e // 2 + 1}栋", None])
        places.append([f"{building}-u{e % 2 + 1}", building, "单元", f"{e % 2 + 1}单元", None])
    planted, row = [], 1
    born = datetime.date(1940, 1, 1)
    for n in range(households):
        e = n // per_entrance
        entrance, unit = f"{prefix}-b{e // 2}-u{e % 2 + 1}", f"{n % per_entrance + 1:04d}"
        rented = n % 10 == 3
        homes.append([entrance, None, unit, 60 + n % 70, "出租" if rented else "自住"])
        first17 = f"420106{born + datetime.timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
        phone = f"139{n:08d}"
        row += 1
        if bad_every and n % bad_every == 0:
            phone = "12345"
            planted.append(("居民", row, "手机号"))
        tags = "党员" if n % 20 == 0 else ("独居老人" if n % 50 == 7 else None)
        people.append([entrance, unit, f"业主{n}", "业主", "否" if rented else "是", "是", phone,
                       first17 + id_check_digit(first17), None, None, tags, "2015-06-01", None,
                       f"业主{n}" if tags == "独居老人" else None, None])
        if n % 2 == 0 and not rented:
            row += 1
            people.append([entrance, unit, f"配偶{n}", "家庭成员", "是", "否", None, None, "1962-03-08", "女"])
        if rented:
            row += 1
            people.append([entrance, unit, f"租客{n}", "租户", "是", "否", f"137{n:08d}", None, None, None,
                           "流动人口", "2025-09-01"])
    out = BytesIO()
    book.save(out)
    return out.getvalue(), planted
