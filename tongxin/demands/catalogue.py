"""The starting catalogues (issue 6): categories, services on behalf and canned replies;
communities change them in the back office."""

CATEGORIES = [
    ("security", "安保", "Security", False),
    ("sanitation", "卫生", "Sanitation", False),
    ("greening", "绿化", "Greening", False),
    ("repairs", "维修", "Repairs", False),
    ("lighting", "亮化", "Lighting", False),
    ("parking", "停车", "Parking", False),
    ("property", "物业服务", "Property services", False),
    ("neighbours", "邻里纠纷", "Neighbour dispute", True),
    ("policy", "政策咨询", "Policy question", False),
    ("errand", "代办服务", "Services on behalf", False),
    ("wish", "微心愿", "Micro-wish", False),
    ("other", "其他", "Other", False),
]


#: The category whose reports name an item of the services-on-behalf catalogue (代办服务).
ERRAND = "errand"

#: Deadline tiers (``demands.deadlines``): small things the same day (当天的事情当天解决),
#: safety at once, repairs of water, power and gas within a day, services on behalf as complex.
TIERS = {"security": "emergency", "repairs": "utility", "lighting": "same_day", "sanitation": "same_day",
         "parking": "same_day", "errand": "complex"}


def seed(category_model) -> None:
    for order, (code, name, name_en, sensitive) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "sensitive": sensitive, "order": order * 10,
        })  # the tiers follow in their own step: migration 0002's model has no tier yet


def seed_tiers(category_model) -> None:
    for code, tier in TIERS.items():
        category_model.objects.filter(code=code, tier="ordinary").update(tier=tier)


#: The starting catalogue of services on behalf (代办). Offices and time limits differ by
#: city: communities edit them in the back office. (code, name, English name, papers, office, days)
ERRANDS = [
    ("pension-insurance", "城乡居民养老保险参保登记", "Residents' pension insurance enrolment",
     "身份证\n户口簿", "街道社会保障服务所", 5),
    ("medical-insurance", "城乡居民医保参保缴费", "Residents' medical insurance payment", "身份证\n户口簿",
     "街道社会保障服务所", 3),
    ("pension-certification", "养老金领取资格认证", "Pension entitlement check", "身份证", "区社会保险事业中心", 5),
    ("employment-registration", "就业失业登记", "Employment and unemployment registration",
     "身份证\n户口簿或居住证\n近期一寸照片", "街道就业服务站", 5),
    ("elderly-card", "老年人优待证办理", "Senior citizen card", "身份证\n户口簿\n近期一寸照片", "街道民政办", 10),
    ("old-age-allowance", "高龄津贴申请", "Old-age allowance", "身份证\n户口簿\n银行卡", "街道民政办", 15),
    ("disability-subsidies", "残疾人两项补贴申请", "Disability living and care subsidies",
     "身份证\n残疾人证\n户口簿\n银行卡", "街道残联", 15),
    ("minimum-living", "最低生活保障申请", "Minimum living allowance (低保)",
     "身份证\n户口簿\n家庭收入和财产情况说明\n银行卡", "街道民政办", 30),
    ("temporary-relief", "临时救助申请", "Temporary relief", "身份证\n户口簿\n困难情况说明", "街道民政办", 10),
    ("residence-permit", "居住证办理", "Residence permit", "身份证\n租房合同或房产证明\n近期一寸照片",
     "派出所", 15),
    ("birth-registration", "生育登记", "Birth registration", "夫妻双方身份证\n户口簿\n结婚证", "街道卫生健康办", 1),
    ("chronic-disease", "门诊慢特病认定", "Chronic disease outpatient recognition", "身份证\n医保卡\n病历及诊断证明",
     "区医疗保障局", 20),
    ("certificate", "各类证明开具", "Certificates (residence, family circumstances)", "身份证\n户口簿",
     "社区居委会", 1),
]

#: Ready answers staff pick instead of typing (category code, or None for every category).
CANNED_REPLIES = [
    (None, "已收到您的反映，网格员将在24小时内与您联系。"),
    (None, "已安排工作人员上门查看，处理结果会在这里告诉您。"),
    (None, "经核实已处理完毕，感谢您对社区工作的支持。"),
    (None, "您反映的问题不属于社区职责范围，已告知您应找的部门和办理方式。"),
    ("sanitation", "已通知保洁人员清理，今天内清理完毕。"),
    ("lighting", "已通知物业电工更换灯泡，请留意楼道照明。"),
    ("repairs", "已通知物业维修，维修人员将与您约定上门时间。"),
    ("parking", "已联系车主挪车，并在楼下张贴文明停车提示。"),
    ("property", "已转物业服务中心办理，物业将在规定时限内答复。"),
    ("errand", "材料已收齐，已帮您递交办理部门，办结后通知您领取。"),
    ("errand", "还缺少部分材料，请按清单补齐后联系网格员。"),
]


def seed_errands(errand_model, canned_model, category_model) -> None:
    for order, (code, name, name_en, papers, office, days) in enumerate(ERRANDS, start=1):
        errand_model.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "papers": papers, "office": office, "time_limit_days": days,
            "order": order * 10,
        })
    if canned_model.objects.exists():
        return
    categories = {c.code: c for c in category_model.objects.all()}
    canned_model.objects.bulk_create([
        canned_model(category=categories.get(code) if code else None, text=text, order=order * 10)
        for order, (code, text) in enumerate(CANNED_REPLIES, start=1)
    ])


def ensure_seeded() -> None:
    """Every starting catalogue, with the live models (demo data, tests that flushed them)."""
    from tongxin.demands.models import CannedReply, Category, ErrandItem

    seed(Category)
    seed_tiers(Category)
    seed_errands(ErrandItem, CannedReply, Category)
