"""The register workbook's layout: one definition for the export, the template and the import.

Sheet and column names are Chinese on purpose and do not follow the screen language:
they are the file format community offices exchange. Values are written in Chinese
(自住, 业主, 是) and read back in Chinese, in English or as the stored codes, so a file
exported by an English screen or typed by hand imports the same.

Columns are matched by header name, not by position: offices insert their own columns
(备注, 楼长签字) and the importer ignores what it does not know.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import translation

from tongxin.core.models import Gender, MemberRelation, PlaceKind, Tenure
from tongxin.core.tags import TAGS


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    text: bool = False  # kept as text in the template (codes, phones, ID numbers keep their digits)
    choices: tuple[str, ...] = ()  # a drop-down in the template
    note: str = ""
    width: int = 12


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    note: str

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


YES, NO = "是", "否"

PLACES = Sheet("地点", (
    Column("地点编码", "code", required=True, text=True, width=18,
           note="每个地点唯一的编码，字母、数字和短横线，例如 hb-jz-ss-01；已有地点按编码对应"),
    Column("上级编码", "parent", text=True, width=18, note="上级地点的编码；上级须已在系统中或在本表中靠前的行"),
    Column("类型", "kind", required=True, note="区县、街道、社区、村、小区、村民小组、院落、楼栋、单元、设施等"),
    Column("名称", "name", required=True, width=16, note="例如 3栋、2单元、幸福小区"),
    Column("地址", "address", width=30),
), "地点表可选：只在需要新增楼栋、单元等地点时填写。")

HOUSEHOLDS = Sheet("住户", (
    Column("地点编码", "place", required=True, text=True, width=18, note="住户所在单元、楼栋、村民小组或院落的编码"),
    Column("地址", "address", width=40, note="仅供查看，导入时不读取"),
    Column("门牌号", "unit", required=True, text=True, note="同一地点内不重复，例如 301"),
    Column("建筑面积（平方米）", "area", width=14, note="可不填；填写时须为正数"),
    Column("居住状态", "tenure", note="自住、出租或空置；不填为自住"),
), "一行一户：按“地点编码＋门牌号”对应已登记的住户，重复导入不会重复登记。")

RESIDENTS = Sheet("居民", (
    Column("地点编码", "place", required=True, text=True, width=18),
    Column("门牌号", "unit", required=True, text=True, note="住户须已登记，或在“住户”表中"),
    Column("姓名", "name", required=True),
    Column("关系", "relation", required=True, note="业主、家庭成员或租户"),
    Column("在此居住", "lives_here", note="是或否；不填为是。业主不住在此处（如出租）填否"),
    Column("户主", "is_head", note="是或否；一户只有一位户主"),
    Column("手机号", "phone", text=True, width=14, note="11位手机号；带 * 的打码号码视为未填写"),
    Column("身份证号", "id_number", text=True, width=22,
           note="18位，请把该列设为“文本”格式，否则 Excel 会丢掉末几位；按身份证号对应已登记的居民"),
    Column("出生日期", "birth_date", width=12, note="例如 1956-03-08；不填时从身份证号读出"),
    Column("性别", "gender", note="男或女；不填时从身份证号读出"),
    Column("群体", "tags", width=20, note="多个用顿号分隔，例如 党员、志愿者"),
    Column("入住日期", "moved_in", width=12, note="不填为导入当天"),
    Column("迁出日期", "moved_out", width=12, note="已迁出的租户、成员填写，记录保留为历史"),
    Column("同意人", "consent_by", note="独居老人、留守儿童、残疾人须本人单独同意，填写同意人姓名"),
    Column("监护人同意", "by_guardian", note="未满14周岁者须由监护人同意，填是"),
), "一行一人一户：按身份证号对应已登记的居民（没有身份证号时按同一户内的姓名对应）。"
   "导入只新增和更新，不删除：迁出请填写迁出日期。")

SHEETS = (PLACES, HOUSEHOLDS, RESIDENTS)


def _labels(choices) -> dict[str, str]:
    """Every way a value may be written (Chinese label, English label, code) → code."""
    found = {}
    for code, label in choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(label).strip().lower()] = code
        found[str(code).lower()] = code
    return found


def chinese(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


TENURE_ALIASES = {"自有": Tenure.OWNER_OCCUPIED, "自居": Tenure.OWNER_OCCUPIED, "出租屋": Tenure.RENTED,
                  "租赁": Tenure.RENTED, "闲置": Tenure.VACANT, "空房": Tenure.VACANT}
RELATION_ALIASES = {"房主": MemberRelation.OWNER, "产权人": MemberRelation.OWNER, "房东": MemberRelation.OWNER,
                    "家属": MemberRelation.FAMILY, "成员": MemberRelation.FAMILY, "家人": MemberRelation.FAMILY,
                    "租客": MemberRelation.TENANT, "承租人": MemberRelation.TENANT}
GENDER_ALIASES = {"m": Gender.MALE, "f": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}
YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是"}


def vocabularies() -> dict[str, dict[str, str]]:
    """Accepted spellings per coded column (built per call: labels follow the catalogues)."""
    return {
        "tenure": {**_labels(Tenure.choices), **TENURE_ALIASES},
        "relation": {**_labels(MemberRelation.choices), **RELATION_ALIASES},
        "gender": {**_labels([c for c in Gender.choices if c[0]]), **GENDER_ALIASES},
        "kind": {**_labels(PlaceKind.choices), "县": PlaceKind.DISTRICT, "区": PlaceKind.DISTRICT,
                 "镇": PlaceKind.TOWN, "乡": PlaceKind.TOWN},
        "tags": {**_labels((tag.code, tag.label) for tag in TAGS), "志愿者": "volunteer", "退役军人": "veteran"},
    }


def choices_zh(key: str) -> tuple[str, ...]:
    """The Chinese values offered in the template's drop-down for a coded column."""
    sources = {"tenure": Tenure.choices, "relation": MemberRelation.choices,
               "gender": [c for c in Gender.choices if c[0]], "kind": PlaceKind.choices}
    if key in ("lives_here", "is_head", "by_guardian"):
        return (YES, NO)
    return tuple(chinese(label) for _code, label in sources.get(key, ()))


# --- Reading cell values (Excel, WPS and hand-typed text) -------------------------------

DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def as_text(value) -> str:
    """A cell as text: whole numbers lose their ``.0``; dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def as_date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number, or text like 2020-1-5 / 2020年1月5日 / 20200105.

    Raises ``ValueError`` when the cell holds something that is not a real date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000000 <= value <= 21001231:  # typed as 20200105 in a number cell
            return as_date(str(int(value)))
        if 1 <= value < 100000:  # an Excel serial day number (WPS writes these for unformatted dates)
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise ValueError(value)
    text = as_text(value)
    match = DATE_TEXT.match(text) or COMPACT_DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


def as_yes_no(value, default: bool | None) -> bool | None:
    """Raises ``ValueError`` for anything but a yes or a no."""
    text = as_text(value).lower()
    if not text:
        return default
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(text)


def normal_header(value) -> str:
    """Headers compare without spaces and with half- and full-width brackets alike."""
    return re.sub(r"\s+", "", as_text(value)).replace("(", "（").replace(")", "）").replace("*", "")
