"""Reading a register workbook into typed rows, with every bad cell reported.

This half of the import touches no database: it opens the file (Excel or WPS .xlsx),
finds the sheets and their header rows, and turns each row into a record, collecting a
:class:`Problem` (sheet, row number as Excel shows it, column, reason in Chinese and
English) for every cell it cannot read. ``registers.importer`` resolves the records
against the registers and writes them.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import get_language

from tongxin.core.privacy import id_number_hash
from tongxin.core.tags import TAG_BY_CODE
from tongxin.core.validators import id_birth_date, id_gender, normalise_id_number, normalise_phone
from tongxin.registers import layout
from tongxin.registers.layout import HOUSEHOLDS, PLACES, RESIDENTS, Sheet

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 800 * 1024 * 1024  # a 100,000-household workbook unpacks to about 60 MB
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
HEADER_ROWS_SCANNED = 10  # offices put a title row or two above the header


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; ``row`` is the row number Excel shows (None: the file)."""

    sheet: str
    row: int | None
    column: str
    zh: str
    en: str

    @property
    def message(self) -> str:
        return self.en if (get_language() or "zh-hans").startswith("en") else self.zh

    def __str__(self) -> str:
        where = f"{self.sheet} 第{self.row}行" if self.row else self.sheet
        return f"{where} {self.column}：{self.zh}" if self.column else f"{where}：{self.zh}"


def both(message) -> tuple[str, str]:
    """A translatable message in Chinese and in English."""
    with translation.override("zh-hans"):
        zh = str(message)
    with translation.override("en"):
        en = str(message)
    return zh, en


@dataclass
class PlaceRow:
    row: int
    code: str
    parent: str
    kind: str
    name: str
    address: str


@dataclass
class HouseholdRow:
    row: int
    place: str
    unit: str
    area: object  # Decimal | None
    tenure: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.place, self.unit)


@dataclass
class ResidentRow:
    row: int
    place: str
    unit: str
    name: str
    relation: str
    lives_here: bool | None  # None: not given (a new member lives here; a registered one keeps theirs)
    is_head: bool | None
    phone: str
    id_number: str
    birth_date: datetime.date | None
    gender: str
    tags: list[str]
    moved_in: datetime.date | None
    moved_out: datetime.date | None
    consent_by: str
    by_guardian: bool

    @property
    def household_key(self) -> tuple[str, str]:
        return (self.place, self.unit)

    @property
    def person_key(self) -> tuple:
        """Who this row is about: the ID number's blind index, else the name within the household."""
        if self.id_number:
            return ("id", id_number_hash(self.id_number))
        return ("name", self.place, self.unit, self.name)

    @property
    def current(self) -> bool:
        return self.moved_out is None


@dataclass
class Contents:
    places: list[PlaceRow] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    residents: list[ResidentRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.places or self.households or self.residents)


def file_problem(zh: str, en: str) -> Problem:
    return Problem("文件", None, "", zh, en)


def open_workbook(data: bytes):
    """The workbook, or a :class:`Problem` saying in plain words why the file cannot be read."""
    from openpyxl import load_workbook

    if len(data) > MAX_FILE_BYTES:
        return file_problem("文件超过 50 MB，请分成几个文件导入", "The file is over 50 MB; split it into several files")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return file_problem(
            "这是旧版 .xls（或 WPS 的 .et、加了密码的）文件："
            "请在 Excel 或 WPS 中“另存为” .xlsx 格式（不设密码）后再导入",
            "This is an old .xls (or WPS .et, or password-protected) file: save it as .xlsx without a password "
            "in Excel or WPS, then import it",
        )
    if data[:4] != b"PK\x03\x04":
        return file_problem("这不是 Excel 文件，请上传 .xlsx 文件", "This is not an Excel file; upload an .xlsx file")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                return file_problem("文件解压后过大，无法导入", "The file unpacks to too much data to import")
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        return file_problem(
            "文件已损坏或不是 .xlsx 格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再试",
            "The file is damaged or not in .xlsx format; open it in Excel or WPS, save it as .xlsx and try again",
        )


def _find_header(rows: list[tuple], sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column key → position) if the sheet's required headers are there."""
    wanted = {column.header: column.key for column in sheet.columns}
    required = {column.key for column in sheet.columns if column.required}
    for index, row in enumerate(rows[:HEADER_ROWS_SCANNED]):
        positions = {}
        for position, value in enumerate(row):
            key = wanted.get(layout.normal_header(value))
            if key and key not in positions:
                positions[key] = position
        if required <= set(positions):
            return index, positions
    return None


def _records(rows: list[tuple], header_index: int, positions: dict[str, int]):
    records = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {key: row[pos] if pos < len(row) else None for key, pos in positions.items()}
        if any(layout.as_text(value) != "" for value in values.values()):
            records.append((index + 1, values))  # Excel's row number
    return records


def _sheets(workbook, problems: list[Problem]) -> dict[str, list]:
    """Records per layout sheet title. A sheet is known by its title, or else by its header
    row (a file saved by hand as "Sheet1"): the most specific layout that matches wins."""
    found: dict[str, list] = {}
    titles = {sheet.title: sheet for sheet in layout.SHEETS}
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()  # WPS and others write a wrong <dimension>; read every row
        rows = list(worksheet.iter_rows(values_only=True))
        named = titles.get(worksheet.title.strip())
        for sheet in [named] if named else (RESIDENTS, HOUSEHOLDS, PLACES):
            header = _find_header(rows, sheet)
            if header is not None:
                found.setdefault(sheet.title, _records(rows, *header))
                break
            if named:
                present = {layout.normal_header(v) for row in rows[:HEADER_ROWS_SCANNED] for v in row}
                missing = [c.header for c in sheet.columns if c.required and c.header not in present]
                problems.append(Problem(
                    sheet.title, None, "", f"找不到表头，缺少列：{'、'.join(missing)}",
                    f"No header row found; missing columns: {', '.join(missing)}",
                ))
    return found


class RowReader:
    """Reads one row's cells, recording a :class:`Problem` for each bad one."""

    def __init__(self, sheet: Sheet, row: int, values: dict, problems: list[Problem], vocabularies: dict):
        self.sheet, self.row, self.values, self.problems = sheet, row, values, problems
        self.vocabularies = vocabularies
        self.ok = True

    def fail(self, key: str, zh: str, en: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.sheet.title, self.row, self.sheet.column(key).header, zh, en))

    def text(self, key: str, *, max_length: int = 100) -> str:
        value = layout.as_text(self.values.get(key))
        if not value and self.sheet.column(key).required:
            self.fail(key, "不能为空", "must not be empty")
        elif len(value) > max_length:
            self.fail(key, f"太长了（最多{max_length}个字）", f"too long (at most {max_length} characters)")
        return value

    def code(self, key: str) -> str:
        value = self.text(key, max_length=64)
        if value and not CODE_RE.match(value):
            self.fail(key, f"“{value}”不是有效的编码：只能用字母、数字、短横线和下划线",
                      f"{value!r} is not a valid code: letters, digits, - and _ only")
        return value

    def choice(self, key: str, vocabulary: str, default: str = "") -> str:
        value = layout.as_text(self.values.get(key))
        if not value:
            if self.sheet.column(key).required:
                self.fail(key, "不能为空", "must not be empty")
            return default
        found = self.vocabularies[vocabulary].get(value.lower())
        if found is None:
            offered = "、".join(layout.choices_zh(vocabulary)[:8])
            self.fail(key, f"“{value}”不是可选的值，请填写：{offered}", f"{value!r} is not one of: {offered}")
            return default
        return found

    def yes_no(self, key: str, default: bool | None) -> bool | None:
        try:
            return layout.as_yes_no(self.values.get(key), default)
        except ValueError as bad:
            self.fail(key, f"“{bad}”请填写“是”或“否”", f"{bad!r}: write 是 (yes) or 否 (no)")
            return default

    def date(self, key: str) -> datetime.date | None:
        try:
            value = layout.as_date(self.values.get(key))
        except (ValueError, OverflowError) as bad:
            self.fail(key, f"“{bad}”不是有效日期，请写成 2024-03-08", f"{bad!r} is not a date; write it as 2024-03-08")
            return None
        if value and value > timezone.localdate():
            self.fail(key, "日期不能晚于今天", "the date cannot be after today")
            return None
        if value and value.year < 1900:
            self.fail(key, "日期早于1900年，请检查", "the date is before 1900; please check it")
            return None
        return value

    def decimal(self, key: str):
        from decimal import Decimal, InvalidOperation

        text = layout.as_text(self.values.get(key)).replace("平方米", "").replace("㎡", "").replace("m²", "").strip()
        if not text:
            return None
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.fail(key, f"“{text}”不是数字", f"{text!r} is not a number")
            return None
        if not 0 < value < 100000:
            self.fail(key, "须为大于0的面积", "must be an area above 0")
            return None
        return value

    def _number(self, key: str, value: str, normalise) -> str:
        """A phone or ID number through its validator; masked values (from a masked export)
        count as not given, so they never overwrite what is registered."""
        if "*" in value:
            return ""
        try:
            return normalise(value)
        except ValidationError as bad:
            self.fail(key, *both(bad.message))
            return ""

    def phone(self, key: str) -> str:
        return self._number(key, layout.as_text(self.values.get(key)), normalise_phone)

    def id_number(self, key: str) -> str:
        raw = self.values.get(key)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            self.fail(
                key, "身份证号被 Excel 存成了数字，末几位可能已经丢失：请把这一列设为“文本”格式，重新填写后再导入",
                "The ID number was stored as a number, which loses its last digits: format the column as text, "
                "type it again and re-import",
            )
            return ""
        return self._number(key, layout.as_text(raw).replace(" ", ""), normalise_id_number)

    def tags(self, key: str) -> list[str]:
        found = []
        for word in TAG_SPLIT.split(layout.as_text(self.values.get(key))):
            if not word:
                continue
            code = self.vocabularies["tags"].get(word.lower())
            if code is None:
                offered = "、".join(layout.chinese(tag.label) for tag in TAG_BY_CODE.values())
                self.fail(key, f"没有“{word}”这个群体，可填：{offered}", f"No group called {word!r}; use: {offered}")
            elif code not in found:
                found.append(code)
        return found


def _rows(sheet: Sheet, build, records, problems, vocabularies) -> list:
    """``build(row number, cells)`` for each record; rows with a bad cell are left out (and reported)."""
    rows = []
    for number, values in records:
        cells = RowReader(sheet, number, values, problems, vocabularies)
        row = build(number, cells)
        if cells.ok:
            rows.append(row)
    return rows


def _place_row(number: int, cells: RowReader) -> PlaceRow:
    return PlaceRow(
        number, cells.code("code"), cells.code("parent"), cells.choice("kind", "kind"), cells.text("name"),
        cells.text("address", max_length=200),
    )


def _household_row(number: int, cells: RowReader) -> HouseholdRow:
    return HouseholdRow(
        number, cells.code("place"), cells.text("unit", max_length=40), cells.decimal("area"),
        cells.choice("tenure", "tenure"),  # blank: owner-occupied if new, unchanged if registered
    )


def _resident_row(number: int, cells: RowReader) -> ResidentRow:
    row = ResidentRow(
        number, cells.code("place"), cells.text("unit", max_length=40), cells.text("name", max_length=50),
        cells.choice("relation", "relation"), cells.yes_no("lives_here", None), cells.yes_no("is_head", None),
        cells.phone("phone"), cells.id_number("id_number"), cells.date("birth_date"),
        cells.choice("gender", "gender"), cells.tags("tags"), cells.date("moved_in"), cells.date("moved_out"),
        cells.text("consent_by", max_length=50), cells.yes_no("by_guardian", False),
    )
    if row.id_number:  # the number knows the birth date and gender: fill them in, or check them
        from_id = id_birth_date(row.id_number)
        if row.birth_date and row.birth_date != from_id:
            cells.fail("birth_date", f"与身份证号中的出生日期（{from_id}）不一致",
                       f"does not match the birth date in the ID number ({from_id})")
        row.birth_date = row.birth_date or from_id
        from_id_gender = id_gender(row.id_number)
        if row.gender and row.gender != from_id_gender:
            cells.fail("gender", "与身份证号中的性别不一致", "does not match the gender in the ID number")
        row.gender = row.gender or from_id_gender
    if row.moved_in and row.moved_out and row.moved_out < row.moved_in:
        cells.fail("moved_out", "迁出日期早于入住日期", "the move-out date is before the move-in date")
    return row


def read(data: bytes) -> Contents:
    """Everything the file holds, as records, and every problem with its cells."""
    contents = Contents()
    workbook = open_workbook(data)
    if isinstance(workbook, Problem):
        contents.problems.append(workbook)
        return contents
    try:
        vocabularies = layout.vocabularies()
        readers = ((PLACES, _place_row, "places"), (HOUSEHOLDS, _household_row, "households"),
                   (RESIDENTS, _resident_row, "residents"))
        found = _sheets(workbook, contents.problems)
        for sheet, reader, attribute in readers:
            if found.get(sheet.title):
                setattr(contents, attribute, _rows(sheet, reader, found[sheet.title], contents.problems, vocabularies))
    finally:
        workbook.close()
    if contents.empty and not contents.problems:
        contents.problems.append(file_problem(
            "文件中没有可导入的行：请使用导入模板，保留“地点”“住户”“居民”表的表头",
            "Nothing to import: use the import template and keep the header rows of its sheets",
        ))
    return contents
