"""The register workbook: the export, and the template the import reads (``registers.layout``).

Sheets 地点 (the places: the exported place's ancestors and subtree, so the file rebuilds
the tree on an empty install), 住户 (households) and 居民 (one row per person per
household, former members with their 迁出日期). Phones and ID numbers are written masked
unless the viewer may see them unmasked, and then every person written is logged as read
(one statement per batch). Rows stream through openpyxl's write-only mode, a fixed number
of queries per 2,000 rows. Values are written in Chinese whatever the screen language.
"""

from io import BytesIO

from django.db.models import Prefetch
from django.utils import translation
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tongxin.core import access, privacy
from tongxin.core.models import Consent, HouseholdMember, PersonalDataRead, Place
from tongxin.core.places import full_names
from tongxin.core.roles import VIEW_PERSONAL
from tongxin.core.tags import TAG_BY_CODE
from tongxin.registers.layout import NO, SHEETS, YES, choices_zh
from tongxin.registers.selectors import households_under

BATCH = 2000


def _batches(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _yes(value: bool) -> str:
    return YES if value else NO


def write_registers(user, place: Place) -> tuple[str, bytes]:
    with translation.override("zh-hans"):
        return _write_registers(user, place)


def _write_registers(user, place: Place) -> tuple[str, bytes]:
    workbook = Workbook(write_only=True)
    places_sheet, households_sheet, residents_sheet = (workbook.create_sheet(sheet.title) for sheet in SHEETS)
    for worksheet, sheet in zip((places_sheet, households_sheet, residents_sheet), SHEETS, strict=True):
        worksheet.append(sheet.headers)
    tree = [*place.ancestors(), *place.subtree().order_by("path")]
    codes = {p.pk: p.code for p in tree}
    for node in tree:
        parent = codes.get(node.parent_id, "")
        places_sheet.append([node.code, parent, node.get_kind_display(), node.name, node.address])
    members = HouseholdMember.objects.select_related("person").prefetch_related(
        "person__tags", Prefetch("person__consents", queryset=Consent.objects.filter(withdrawn_on__isnull=True))
    ).order_by("valid_to", "-is_head", "id")
    queryset = (
        households_under(user, place).order_by("id")
        .select_related("place").prefetch_related(Prefetch("members", queryset=members))
    )
    for batch in _batches(queryset):
        names = full_names(list({h.place_id: h.place for h in batch}.values()))
        reads = []
        for household in batch:
            households_sheet.append([
                household.place.code, names[household.place_id], household.unit_number,
                float(household.floor_area) if household.floor_area is not None else None,
                household.get_tenure_display(),
            ])
            personal = access.can_see_path(user, VIEW_PERSONAL, household.place_path)
            for member in household.members.all():
                person = member.person
                current = member.valid_to is None
                # A former member may live elsewhere now: their numbers are not this household's to show.
                shown = personal and current
                id_number = privacy.id_number_of(person) if current else ""
                tags = [t.tag for t in person.tags.all()] if current else []
                if not personal:
                    tags = [t for t in tags if not TAG_BY_CODE[t].sensitive]
                consents = [c for c in person.consents.all() if c.tag in tags] if shown else []
                residents_sheet.append([
                    household.place.code, household.unit_number, person.name, member.get_relation_display(),
                    _yes(member.lives_here), _yes(member.is_head),
                    (person.phone if shown else privacy.mask_phone(person.phone)) if current else "",
                    id_number if shown else privacy.mask_id_number(id_number),
                    person.birth_date, person.get_gender_display() if person.gender else "",
                    "、".join(str(TAG_BY_CODE[t].label) for t in tags), member.valid_from, member.valid_to,
                    consents[0].given_by if consents else "",
                    _yes(consents[0].by_guardian) if consents else "",
                ])
                if shown and (person.phone or id_number):
                    reads.append(PersonalDataRead(
                        user=user, person=person, fields="phone,id_number", context=f"export {place.code}"
                    ))
        PersonalDataRead.objects.bulk_create(reads)
    out = BytesIO()
    workbook.save(out)
    return f"registers-{place.code}.xlsx", out.getvalue()


HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
TEXT = "@"


def template() -> bytes:
    """The empty import template: the three sheets, notes on every header, drop-downs for coded
    columns, text format for codes, phones and ID numbers, and a 填写说明 sheet with an example."""
    with translation.override("zh-hans"):
        workbook = Workbook()
        guide = workbook.active
        guide.title = "填写说明"
        guide.column_dimensions["A"].width = 110
        lines = [
            "同心 · 台账导入模板",
            "1. 按需填写“地点”“住户”“居民”三张表，不要改动表头；可以在右侧加自己的列（导入时不读取）。",
            "2. 带 * 的表头为必填。身份证号、手机号和编码列已设为文本格式，请勿改为数字格式。",
            "3. 整个文件检查无误才会导入；有问题时会列出每一处错误的表名、行号、列名和原因，什么都不会导入。",
            "4. 同一文件可以重复导入：已登记的地点、住户、居民会被对应上，不会重复登记。",
            "5. 导入只新增和更新，不删除：居民迁出请填写“迁出日期”。",
            "6. 出租房屋：住户“居住状态”填“出租”，房东作为“业主”且“在此居住”填“否”，租户“关系”填“租户”并填写入住日期。",
            "7. 独居老人、留守儿童、残疾人属于敏感个人信息，须本人单独同意（未满14周岁由监护人同意），请填写“同意人”。",
            "",
        ]
        for sheet in SHEETS:
            lines.append(f"【{sheet.title}】{sheet.note}")
            lines += [f"    {c.header}{'（必填）' if c.required else ''}：{c.note}" for c in sheet.columns if c.note]
        lines += ["", "示例（居民表的一行）：",
                  "    sq-01-3-2 | 301 | 王秀英 | 业主 | 是 | 是 | 13800001234 | 420106195603081224 | | "
                  "| 党员、独居老人 | 2010-05-01 | | 王秀英 | 否"]
        for line in lines:
            guide.append([line])
        guide["A1"].font = Font(bold=True, size=14)
        for sheet in SHEETS:
            worksheet = workbook.create_sheet(sheet.title)
            worksheet.append([f"{c.header}*" if c.required else c.header for c in sheet.columns])
            worksheet.freeze_panes = "A2"
            for index, column in enumerate(sheet.columns, start=1):
                letter = get_column_letter(index)
                cell = worksheet.cell(row=1, column=index)
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(horizontal="center")
                if column.note:
                    cell.comment = Comment(column.note, "同心")
                worksheet.column_dimensions[letter].width = column.width
                if column.text:
                    worksheet.column_dimensions[letter].number_format = TEXT
                    for row in range(2, 2002):  # Excel applies a column format only to new cells
                        worksheet.cell(row=row, column=index).number_format = TEXT
                offered = choices_zh(column.key)
                if offered:
                    validation = DataValidation(
                        type="list", formula1='"' + ",".join(offered) + '"', allow_blank=True, showErrorMessage=True,
                        errorTitle="请从列表中选择", error="请从下拉列表中选择：" + "、".join(offered),
                    )
                    validation.add(f"{letter}2:{letter}100000")
                    worksheet.add_data_validation(validation)
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()
