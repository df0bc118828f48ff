"""Public holidays and make-up working days (调休) as published by the State Council.

Seeded by a migration; later years are added by the administrator in the back office
(calendar days) when the State Council publishes them, usually in November.
"""

import datetime

# 国务院办公厅关于2026年部分节假日安排的通知
HOLIDAYS_2026 = {
    "元旦": (["2026-01-01", "2026-01-02", "2026-01-03"], ["2026-01-04"]),
    "春节": ([f"2026-02-{d}" for d in range(15, 24)], ["2026-02-14", "2026-02-28"]),
    "清明节": (["2026-04-04", "2026-04-05", "2026-04-06"], []),
    "劳动节": ([f"2026-05-0{d}" for d in range(1, 6)], ["2026-05-09"]),
    "端午节": (["2026-06-19", "2026-06-20", "2026-06-21"], []),
    "中秋节": (["2026-09-25", "2026-09-26", "2026-09-27"], []),
    "国庆节": ([f"2026-10-0{d}" for d in range(1, 8)], ["2026-09-20", "2026-10-10"]),
}



def seed(calendar_day_model) -> None:
    for name, (off, worked) in HOLIDAYS_2026.items():
        for kind, dates in (("holiday", off), ("workday", worked)):
            for value in dates:
                calendar_day_model.objects.get_or_create(
                    date=datetime.date.fromisoformat(value), defaults={"kind": kind, "name": name}
                )
