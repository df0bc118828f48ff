"""Importing places, households, residents and rentals from a register workbook.

The rules, decided once:

- **All or nothing.** The file is read and checked in full first; any problem (a bad
  cell, an unknown place, a row outside the importer's places, a missing consent) is
  reported with its sheet, row, column and reason, and nothing is written. The writes
  then run in one transaction; a refusal found while writing rolls everything back and
  is reported the same way.
- **Idempotent.** Places match by code, households by place code and unit number (the
  address), people by the blind index of their ID number, else by name within the same
  household. Importing the same file twice changes nothing the second time.
- **Adds and updates, never deletes.** A person or household missing from the file is
  left alone; a move-out is a 迁出日期 (the membership is closed and kept as history).
  Empty cells never blank a registered value; masked phones and IDs (138****1234, from a
  masked export) count as empty.
- **Scoped.** Every row needs ``core.manage_register`` at its place; a new place needs
  it at its parent.
- **Consent.** A consent-based group (独居老人, 留守儿童, 残疾人) needs a recorded consent
  or a 同意人 in the row; under 14 it must be a guardian's (``core.services.people``).
- **Counters.** Rows are written in bulk; the counters move by the difference between
  what the touched households and people counted before and after
  (``core.counts.contribution``), in the same transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from tongxin.core import access, counts, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import (
    HOUSEHOLD_KINDS,
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonTag,
    Place,
    Tenure,
)
from tongxin.core.privacy import id_number_hash, set_id_number
from tongxin.core.roles import MANAGE_REGISTER
from tongxin.core.services import people as people_services
from tongxin.core.services import places as place_services
from tongxin.core.tags import TAG_BY_CODE
from tongxin.registers import layout, reading
from tongxin.registers.layout import HOUSEHOLDS, PLACES, RESIDENTS
from tongxin.registers.reading import Problem

BATCH = 2000


@dataclass
class Outcome:
    """What an import did (or, for a check, would do), or why it did nothing."""

    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged_rows: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def summary(self) -> str:
        return self.summary_en() if (get_language() or "zh-hans").startswith("en") else self.summary_zh()

    def summary_zh(self) -> str:
        labels = {"places": "地点", "households": "住户", "people": "居民", "moves_in": "入住记录",
                  "moves_out": "迁出记录", "tags": "群体标记", "consents": "同意记录"}
        parts = [f"新增{labels[k]} {v}" for k, v in self.created.items() if v]
        parts += [f"更新{labels[k]} {v}" for k, v in self.updated.items() if v]
        parts.append(f"{self.unchanged_rows} 行无变化")
        return "，".join(parts)

    def summary_en(self) -> str:
        parts = [f"{v} {k.replace('_', ' ')} added" for k, v in self.created.items() if v]
        parts += [f"{v} {k.replace('_', ' ')} updated" for k, v in self.updated.items() if v]
        parts.append(f"{self.unchanged_rows} rows unchanged")
        return ", ".join(parts)


class Refused(Exception):
    """Problems found while writing: the transaction rolls back."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def import_registers(user, data: bytes, *, dry_run: bool = False, key: str | None = None) -> Outcome:
    """Check the workbook and, if nothing is wrong and this is not a dry run, import it."""
    contents = reading.read(data)
    outcome = Outcome(problems=list(contents.problems), dry_run=dry_run)
    if contents.empty:
        return outcome
    try:
        with transaction.atomic():
            if key is not None and not dry_run:
                once.claim(key, user)
            run = _Import(user, contents, outcome)
            run.resolve()  # rows that read well are checked too, so every bad row is reported at once
            if outcome.problems:
                raise Refused(outcome.problems)
            run.apply()
            if dry_run:
                transaction.set_rollback(True)
    except Refused as refused:
        outcome.problems = sorted(refused.problems, key=_problem_order)
        outcome.created, outcome.updated, outcome.unchanged_rows = Counter(), Counter(), 0
    except RefusedError as refusal:  # the form was already submitted
        outcome.problems = [reading.file_problem(refusal.message_zh, refusal.message_en)]
    except IntegrityError:
        outcome.problems = [reading.file_problem(
            "导入时登记信息被他人同时修改，没有导入任何内容，请重新导入",
            "The registers changed while importing; nothing was imported, please import again",
        )]
    return outcome


SHEET_ORDER = {PLACES.title: 0, HOUSEHOLDS.title: 1, RESIDENTS.title: 2}


def _problem_order(problem: Problem):
    return (SHEET_ORDER.get(problem.sheet, -1), problem.row or 0)


class _Import:
    """One import run: resolve every row against the registers, then write in bulk."""

    def __init__(self, user, contents: reading.Contents, outcome: Outcome):
        self.user, self.contents, self.outcome = user, contents, outcome
        self.today = timezone.localdate()
        self.places: dict[str, Place] = {}  # code → place (existing, or new once created)
        self.new_places: dict[str, str] = {}  # code → kind of the places this file adds
        self.households: dict[tuple[str, str], Household] = {}
        self.people: dict[tuple, Person] = {}  # person key → registered person, if any
        self.changed_rows: set[tuple[str, int]] = set()

    # --- helpers ---------------------------------------------------------------------

    def problem(self, sheet, row: int, key: str, zh: str, en: str) -> None:
        self.outcome.problems.append(Problem(sheet.title, row, sheet.column(key).header if key else "", zh, en))

    def may_manage(self, path: str) -> bool:
        return access.can_see_path(self.user, MANAGE_REGISTER, path)

    def changed(self, sheet, row: int) -> None:
        self.changed_rows.add((sheet.title, row))

    # --- resolving (reads only) ------------------------------------------------------

    def resolve(self) -> None:
        codes = {r.code for r in self.contents.places} | {r.parent for r in self.contents.places if r.parent}
        codes |= {r.place for r in self.contents.households} | {r.place for r in self.contents.residents}
        self.places = {p.code: p for p in Place.objects.filter(code__in=codes).select_related("parent")}
        self._resolve_places()
        self._resolve_households()
        self._resolve_people()

    def _resolve_places(self) -> None:
        seen: dict[str, int] = {}
        managed_new: dict[str, bool] = {}  # new place code → the importer may create under it
        for row in self.contents.places:
            if row.code in seen:
                self.problem(PLACES, row.row, "code", f"与第{seen[row.code]}行的编码重复",
                             f"same code as row {seen[row.code]}")
                continue
            seen[row.code] = row.row
            existing = self.places.get(row.code)
            if existing is not None:
                parent_code = existing.parent.code if existing.parent_id else ""
                if row.parent != parent_code:
                    self.problem(PLACES, row.row, "parent",
                        f"编码 {row.code} 已登记在另一个上级（{parent_code or '无'}）下；"
                        "移动地点请在系统中操作", f"{row.code} is registered under another parent "
                        f"({parent_code or 'none'}); move places on the screens")
                elif row.kind != existing.kind:
                    self.problem(PLACES, row.row, "kind", f"编码 {row.code} 已登记为另一种类型",
                                 f"{row.code} is registered as another kind")
                elif (row.name, row.address or existing.address) != (existing.name, existing.address):
                    if not self.may_manage(existing.path):
                        self.problem(PLACES, row.row, "code", "这个地点不在您负责的范围内",
                                     "this place is outside the places you look after")
                continue
            if not row.parent:
                allowed = access.ranges(self.user, MANAGE_REGISTER) == access.ALL
            elif row.parent in self.places:
                allowed = self.may_manage(self.places[row.parent].path)
            elif row.parent in managed_new:
                allowed = managed_new[row.parent]
            else:
                self.problem(PLACES, row.row, "parent",
                    f"找不到上级编码 {row.parent}：上级须已登记，或写在本表靠前的行",
                    f"No place has the code {row.parent}; it must be registered or on an earlier row")
                continue
            if not allowed:
                self.problem(PLACES, row.row, "parent", "上级地点不在您负责的范围内，不能在其下新增地点",
                             "the parent is outside the places you look after")
            managed_new[row.code] = allowed
            self.new_places[row.code] = row.kind

    def _household_place(self, sheet, row) -> bool:
        """Check the row's place exists (or is new in this file), holds households, and is the importer's."""
        place = self.places.get(row.place)
        if place is None and row.place not in self.new_places:
            self.problem(sheet, row.row, "place", f"找不到地点编码 {row.place}", f"No place has the code {row.place}")
            return False
        kind = place.kind if place else self.new_places[row.place]
        if kind not in HOUSEHOLD_KINDS:
            self.problem(sheet, row.row, "place", "这里不能直接登记住户：请填写单元、楼栋、村民小组或院落的编码",
                         "households sit under an entrance, building, villager group or courtyard")
            return False
        if place is not None and not self.may_manage(place.path):
            self.problem(sheet, row.row, "place", "这个地点不在您负责的范围内",
                         "this place is outside the places you look after")
            return False
        return True

    def _resolve_households(self) -> None:
        seen: dict[tuple, int] = {}
        for row in self.contents.households:
            if row.key in seen:
                self.problem(HOUSEHOLDS, row.row, "unit", f"与第{seen[row.key]}行是同一户（地点编码和门牌号相同）",
                             f"the same household as row {seen[row.key]}")
                continue
            seen[row.key] = row.row
            self._household_place(HOUSEHOLDS, row)
        place_ids = {p.pk for p in self.places.values()}
        registered = Household.objects.filter(place_id__in=place_ids, closed_on__isnull=True).select_related("place")
        for household in registered:
            self.households[(household.place.code, household.unit_number)] = household

    def _resolve_people(self) -> None:
        rows = self.contents.residents
        in_file = {r.key for r in self.contents.households}
        good = []
        for row in rows:
            if not self._household_place(RESIDENTS, row):
                continue
            if row.household_key not in in_file and row.household_key not in self.households:
                self.problem(RESIDENTS, row.row, "unit",
                    f"{row.place} {row.unit} 还没有登记：请先在“住户”表中填写这一户",
                    f"{row.place} {row.unit} is not registered; add it to the 住户 sheet")
                continue
            good.append(row)
        hashes = [key[1] for key in {r.person_key for r in good} if key[0] == "id"]
        by_hash = {}
        for start in range(0, len(hashes), BATCH):
            found = Person.objects.filter(id_number_hash__in=hashes[start:start + BATCH])
            by_hash.update({p.id_number_hash: p for p in found})
        household_ids = [h.pk for h in self.households.values()]
        by_name: dict[tuple, set] = defaultdict(set)
        person_by_id: dict[int, Person] = {}
        for start in range(0, len(household_ids), BATCH):
            members = HouseholdMember.objects.filter(
                household_id__in=household_ids[start:start + BATCH]
            ).select_related("person", "household__place")
            for member in members:
                home = member.household
                by_name[(home.place.code, home.unit_number, member.person.name)].add(member.person_id)
                person_by_id[member.person_id] = member.person
        first: dict[tuple, reading.ResidentRow] = {}
        homes: dict[tuple, int] = {}
        heads: dict[tuple, int] = {}
        for row in good:
            key = row.person_key
            person = by_hash.get(key[1]) if key[0] == "id" else None
            named = by_name.get((row.place, row.unit, row.name), set())
            if person is None and named:
                candidates = [person_by_id[pid] for pid in named]
                if key[0] == "id":
                    candidates = [c for c in candidates if not c.id_number_hash]
                if len(candidates) > 1:
                    self.problem(RESIDENTS, row.row, "name", "这一户有两位同名居民，请填写身份证号以区分",
                                 "two residents of this household share this name; give the ID number")
                    continue
                person = candidates[0] if candidates else None
            if person is not None and key[0] == "id" and person.name != row.name:
                self.problem(RESIDENTS, row.row, "name", "该身份证号已登记，但姓名不一致，请核对",
                             "this ID number is registered under another name; please check")
                continue
            earlier = first.get(key)
            if earlier is not None:
                clash = _clash(earlier, row)
                if clash:
                    self.problem(RESIDENTS, row.row, clash, f"与第{earlier.row}行的同一人信息不一致",
                                 f"disagrees with row {earlier.row} about the same person")
                    continue
            else:
                first[key] = row
            if person is not None:
                self.people.setdefault(key, person)
            if row.current and row.lives_here is not False:
                if key in homes:
                    self.problem(RESIDENTS, row.row, "lives_here",
                        f"同一人在第{homes[key]}行已登记在别处居住，只能有一处",
                        f"row {homes[key]} already gives this person a home; a person lives in one place")
                    continue
                homes[key] = row.row
            if row.current and row.is_head:
                if row.household_key in heads:
                    self.problem(RESIDENTS, row.row, "is_head", f"这一户在第{heads[row.household_key]}行已有户主",
                                 f"row {heads[row.household_key]} already names the head of this household")
                    continue
                heads[row.household_key] = row.row
            self._check_consent(row, person)

    def _check_consent(self, row, person: Person | None) -> None:
        needing = [t for t in row.tags if TAG_BY_CODE[t].needs_consent]
        if not needing or row.consent_by:
            if needing and people_services.under_14(row.birth_date or (person and person.birth_date)):
                if not row.by_guardian:
                    self.problem(RESIDENTS, row.row, "by_guardian",
                        "未满14周岁，须由监护人同意：请在“监护人同意”填“是”",
                        "under 14: a guardian must consent; write 是 in 监护人同意")
            return
        held = set()
        if person is not None:
            held = set(Consent.objects.filter(person=person, withdrawn_on__isnull=True).values_list("tag", flat=True))
            held |= set(person.tags.values_list("tag", flat=True))
        for tag in needing:
            if tag not in held:
                label = layout.chinese(TAG_BY_CODE[tag].label)
                self.problem(RESIDENTS, row.row, "consent_by",
                    f"登记“{label}”须本人单独同意（未满14周岁由监护人同意）：请填写同意人姓名",
                    f"recording {label} needs the person's separate consent: give who consented")
                return

    # --- writing ---------------------------------------------------------------------

    def apply(self) -> None:
        self._write_places()
        keys = {r.key for r in self.contents.households} | {r.household_key for r in self.contents.residents}
        before = counts.contribution(
            {self.households[k].pk for k in keys if k in self.households}, {p.pk for p in self.people.values()}
        )
        self._write_households()
        people = self._write_people()
        self._write_memberships(people)
        self._write_tags(people)
        after = counts.contribution({self.households[k].pk for k in keys}, {p.pk for p in people.values()})
        counts.bump_many(counts.difference(after, before))
        self.outcome.created, self.outcome.updated = +self.outcome.created, +self.outcome.updated  # drop zeros
        rows = len(self.contents.places) + len(self.contents.households) + len(self.contents.residents)
        self.outcome.unchanged_rows = rows - len(self.changed_rows)

    def _write_places(self) -> None:
        for row in self.contents.places:
            existing = self.places.get(row.code)
            if existing is None:
                try:
                    self.places[row.code] = place_services.create_place(
                        parent=self.places[row.parent] if row.parent else None, kind=row.kind, code=row.code,
                        name=row.name, address=row.address,
                    )
                except RefusedError as refusal:
                    problem = Problem(PLACES.title, row.row, "", refusal.message_zh, refusal.message_en)
                    raise Refused([problem]) from None
                self.outcome.created["places"] += 1
                self.changed(PLACES, row.row)
            elif (row.name, row.address or existing.address) != (existing.name, existing.address):
                existing.name, existing.address = row.name, row.address or existing.address
                existing.save(update_fields=["name", "address"])
                self.outcome.updated["places"] += 1
                self.changed(PLACES, row.row)

    def _write_households(self) -> None:
        new, changed = [], []
        for row in self.contents.households:
            household = self.households.get(row.key)
            if household is None:
                place = self.places[row.place]
                household = Household(place=place, place_path=place.path, unit_number=row.unit,
                                      floor_area=row.area, tenure=row.tenure or Tenure.OWNER_OCCUPIED)
                self.households[row.key] = household
                new.append(household)
                self.changed(HOUSEHOLDS, row.row)
                continue
            area = row.area if row.area is not None else household.floor_area
            tenure = row.tenure or household.tenure
            if (area, tenure) != (household.floor_area, household.tenure):
                household.floor_area, household.tenure = area, tenure
                changed.append(household)
                self.changed(HOUSEHOLDS, row.row)
        Household.objects.bulk_create(new, batch_size=BATCH)
        _update(Household, changed, ["floor_area", "tenure"])
        self.outcome.created["households"] += len(new)
        self.outcome.updated["households"] += len(changed)

    def _write_people(self) -> dict[tuple, Person]:
        """Every person the file names, registered: new ones created, details filled in."""
        people: dict[tuple, Person] = dict(self.people)
        new, new_keys, changed = [], [], {}
        for row in self.contents.residents:
            key = row.person_key
            person = people.get(key)
            if person is None:
                person = Person(name=row.name, phone=row.phone, birth_date=row.birth_date, gender=row.gender)
                if row.id_number:
                    set_id_number(person, row.id_number)
                people[key] = person
                new.append(person)
                new_keys.append(key)
                self.changed(RESIDENTS, row.row)
                continue
            if person.pk is None:
                continue  # new in this file: its first row gave the details
            updates = {"phone": row.phone, "birth_date": row.birth_date, "gender": row.gender}
            if row.id_number and not person.id_number_hash:
                person.id_number_hash = id_number_hash(row.id_number)
                set_id_number(person, row.id_number)
                changed[person.pk] = person
                self.changed(RESIDENTS, row.row)
            for name, value in updates.items():
                if value and getattr(person, name) != value:
                    setattr(person, name, value)
                    changed[person.pk] = person
                    self.changed(RESIDENTS, row.row)
        homes = {r.person_key: self.households[r.household_key] for r in self.contents.residents
                 if r.current and r.lives_here is not False}
        for key, person in zip(new_keys, new, strict=True):  # born with their home: no second write
            home = homes.get(key)
            if home is not None:
                person.household_id, person.home_path = home.pk, home.place_path
        Person.objects.bulk_create(new, batch_size=BATCH)
        _update(Person, changed.values(), ["phone", "birth_date", "gender", "id_number_encrypted", "id_number_hash"])
        self.outcome.created["people"] += len(new)
        self.outcome.updated["people"] += len(changed)
        return people

    def _write_memberships(self, people: dict[tuple, Person]) -> None:
        person_ids = sorted({p.pk for p in people.values()})
        existing: dict[tuple, list[HouseholdMember]] = defaultdict(list)
        homes_now: dict[int, list[HouseholdMember]] = defaultdict(list)
        for start in range(0, len(person_ids), BATCH):
            for member in HouseholdMember.objects.filter(person_id__in=person_ids[start:start + BATCH]):
                existing[(member.household_id, member.person_id, member.relation)].append(member)
                if member.valid_to is None and member.lives_here:
                    homes_now[member.person_id].append(member)
        new, closing, updated = [], {}, {}
        home_of: dict[int, Household | None] = {}  # person id → new home (None: moved out)
        heads: dict[int, int] = {}  # household id → head's person id
        for row in self.contents.residents:
            person, household = people[row.person_key], self.households[row.household_key]
            members = existing[(household.pk, person.pk, row.relation)]
            current = next((m for m in members if m.valid_to is None), None)
            if row.moved_out:
                if current is not None:
                    if row.moved_out < current.valid_from:
                        raise Refused([Problem(RESIDENTS.title, row.row, RESIDENTS.column("moved_out").header,
                                               f"迁出日期早于登记的入住日期 {current.valid_from}",
                                               f"before the registered move-in date {current.valid_from}")])
                    current.valid_to = row.moved_out
                    closing[current.pk] = current
                    if current.lives_here:
                        home_of.setdefault(person.pk, None)
                    self.changed(RESIDENTS, row.row)
                elif not any(m.valid_to == row.moved_out for m in members):
                    new.append(HouseholdMember(
                        household=household, person=person, relation=row.relation,
                        lives_here=row.lives_here is not False, valid_from=row.moved_in or row.moved_out,
                        valid_to=row.moved_out,
                    ))
                    self.changed(RESIDENTS, row.row)
                continue
            if row.is_head:
                heads[household.pk] = person.pk
            if current is None:
                lives = row.lives_here is not False  # a blank cell: a new member lives here
                current = HouseholdMember(
                    household=household, person=person, relation=row.relation, lives_here=lives,
                    is_head=bool(row.is_head), valid_from=row.moved_in or self.today,
                )
                new.append(current)
                members.append(current)
                self.changed(RESIDENTS, row.row)
            else:
                wanted = (  # a blank cell keeps what is registered
                    current.lives_here if row.lives_here is None else row.lives_here,
                    current.is_head if row.is_head is None else row.is_head,
                    row.moved_in or current.valid_from,
                )
                lives = wanted[0]
                if wanted != (current.lives_here, current.is_head, current.valid_from):
                    if current.lives_here and not lives:
                        home_of.setdefault(person.pk, None)
                    current.lives_here, current.is_head, current.valid_from = wanted
                    updated[current.pk] = current
                    self.changed(RESIDENTS, row.row)
            if lives:
                home_of[person.pk] = household
                for other in homes_now[person.pk]:
                    if other.household_id != household.pk:
                        other.valid_to = max(other.valid_from, row.moved_in or self.today)
                        closing[other.pk] = other
        # Other heads of the households that got one in the file step down.
        for start in range(0, len(heads), BATCH):
            chunk = list(heads)[start:start + BATCH]
            for member in HouseholdMember.objects.filter(household_id__in=chunk, valid_to__isnull=True, is_head=True):
                if member.person_id != heads[member.household_id] and member.pk not in updated:
                    member.is_head = False
                    updated[member.pk] = member
        # Close before opening, so "one home per person" holds at every statement.
        _update(HouseholdMember, closing.values(), ["valid_to"])
        _update(HouseholdMember, [m for m in updated.values() if m.pk not in closing],
                ["lives_here", "is_head", "valid_from"])
        HouseholdMember.objects.bulk_create(new, batch_size=BATCH)
        self.outcome.created["moves_in"] += sum(1 for m in new if m.valid_to is None)
        self.outcome.updated["moves_out"] += len(closing)
        self.outcome.created["moves_out"] += sum(1 for m in new if m.valid_to is not None)
        moved = []
        by_pk = {p.pk: p for p in people.values()}
        for person_id, household in home_of.items():
            person = by_pk[person_id]
            target = (household.pk, household.place_path) if household else (None, "")
            if (person.household_id, person.home_path) != target:
                person.household_id, person.home_path = target
                moved.append(person)
        _update(Person, moved, ["household_id", "home_path"])

    def _write_tags(self, people: dict[tuple, Person]) -> None:
        wanted: dict[int, set[str]] = defaultdict(set)
        consent_rows: dict[tuple[int, str], reading.ResidentRow] = {}
        for row in self.contents.residents:
            person = people[row.person_key]
            for tag in row.tags:
                wanted[person.pk].add(tag)
                if row.consent_by and TAG_BY_CODE[tag].needs_consent:
                    consent_rows.setdefault((person.pk, tag), row)
        ids = sorted(wanted)
        held, consented = set(), set()
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            held |= set(PersonTag.objects.filter(person_id__in=chunk).values_list("person_id", "tag"))
            consented |= set(Consent.objects.filter(person_id__in=chunk, withdrawn_on__isnull=True)
                             .values_list("person_id", "tag"))
        tags = [
            PersonTag(person_id=pid, tag=tag) for pid in ids for tag in sorted(wanted[pid]) if (pid, tag) not in held
        ]
        consents = [
            Consent(person_id=pid, tag=tag, given_by=row.consent_by, by_guardian=row.by_guardian,
                    given_on=self.today, recorded_by=self.user)
            for (pid, tag), row in consent_rows.items() if (pid, tag) not in consented and (pid, tag) not in held
        ]
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        PersonTag.objects.bulk_create(tags, batch_size=BATCH)
        self.outcome.created["tags"] += len(tags)
        self.outcome.created["consents"] += len(consents)
        for row in self.contents.residents:
            if any((people[row.person_key].pk, tag) not in held for tag in row.tags):
                self.changed(RESIDENTS, row.row)


def _update(model, objects, fields: list[str]) -> None:
    """Write changed fields with one UPDATE per distinct set of values, not per row
    (Django's ``bulk_update`` builds a CASE per row, which is slow at this size)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for obj in objects:
        groups[tuple(getattr(obj, name) for name in fields)].append(obj.pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), BATCH):
            model.objects.filter(pk__in=pks[start:start + BATCH]).update(**dict(zip(fields, values, strict=True)))


def _clash(earlier: reading.ResidentRow, row: reading.ResidentRow) -> str | None:
    """The first column where two rows about the same person disagree (both filled in)."""
    for key in ("name", "phone", "birth_date", "gender"):
        a, b = getattr(earlier, key), getattr(row, key)
        if a and b and a != b:
            return key
    return None
