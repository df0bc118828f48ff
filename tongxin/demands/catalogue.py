"""The starting catalogue of categories (issue 6); communities change it in the back office."""

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


def seed(category_model) -> None:
    for order, (code, name, name_en, sensitive) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sensitive": sensitive, "order": order * 10}
        )
