"""The register workbook: one layout for export now and for import (issue 4) next.

The headers are Chinese on purpose and do not follow the screen language: they are the
file format community offices exchange, and the importer will match them by name.

Sheet 住户 (households) and sheet 居民 (residents), Chinese headers, one row per household
or per person-in-household. Phones and ID numbers are written masked unless the viewer
may see them unmasked, and then every person written is logged as read (one statement).
Rows stream through openpyxl's write-only mode, a fixed number of queries per 2,000 rows.
"""

from io import BytesIO

from django.db.models import Prefetch
from openpyxl import Workbook

from tongxin.core import access, privacy
from tongxin.core.models import HouseholdMember, PersonalDataRead, Place
from tongxin.core.places import full_names
from tongxin.core.roles import VIEW_PERSONAL
from tongxin.core.tags import TAG_BY_CODE
from tongxin.registers.selectors import households_under

HOUSEHOLD_HEADER = ["地点编码", "地址", "门牌号", "建筑面积（平方米）", "居住状态"]
RESIDENT_HEADER = [
    "地点编码", "门牌号", "姓名", "关系", "在此居住", "户主",
    "手机号", "身份证号", "出生日期", "性别", "群体", "入住日期",
]
BATCH = 2000


def _batches(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].id


def write_registers(user, place: Place) -> tuple[str, bytes]:
    workbook = Workbook(write_only=True)
    households_sheet = workbook.create_sheet("住户")
    residents_sheet = workbook.create_sheet("居民")
    households_sheet.append(HOUSEHOLD_HEADER)
    residents_sheet.append(RESIDENT_HEADER)
    members = HouseholdMember.objects.filter(valid_to__isnull=True).select_related("person").prefetch_related(
        "person__tags"
    ).order_by("-is_head", "id")
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
                id_number = privacy.id_number_of(person)
                tags = [t.tag for t in person.tags.all()]
                if not personal:
                    tags = [t for t in tags if not TAG_BY_CODE[t].sensitive]
                residents_sheet.append([
                    household.place.code, household.unit_number, person.name, member.get_relation_display(),
                    "是" if member.lives_here else "否", "是" if member.is_head else "否",
                    person.phone if personal else privacy.mask_phone(person.phone),
                    id_number if personal else privacy.mask_id_number(id_number),
                    person.birth_date, person.get_gender_display() if person.gender else "",
                    "、".join(str(TAG_BY_CODE[t].label) for t in tags), member.valid_from,
                ])
                if personal and (person.phone or id_number):
                    reads.append(PersonalDataRead(
                        user=user, person=person, fields="phone,id_number", context=f"export {place.code}"
                    ))
        PersonalDataRead.objects.bulk_create(reads)
    out = BytesIO()
    workbook.save(out)
    return f"registers-{place.code}.xlsx", out.getvalue()
