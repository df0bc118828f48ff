"""The tree page's query count does not grow with the data (1,000 vs 100,000 households)."""

import pytest
from django.urls import reverse

from tongxin.core.services.places import cover, create_place
from tongxin.core.testing import bulk_households, count_queries

pytestmark = pytest.mark.django_db


def build(world, buildings: int) -> list:
    p = world.places
    entrances = []
    for b in range(buildings):
        building = create_place(parent=p["compound"], kind="building", code=f"s-b{b}", name=f"S{b}栋")
        for u in range(2):
            entrances.append(create_place(parent=building, kind="entrance", code=f"s-b{b}-u{u}", name=f"{u}单元"))
        cover(p["grid_a"], [building])
    return entrances


def page_queries(client, code) -> list[str]:
    with count_queries() as statements:
        response = client.get(reverse("place-detail", args=[code]))
    assert response.status_code == 200
    return statements


def test_tree_page_query_count_is_the_same_at_1000_and_100000_households(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(phone="13000000000", password="x"))
    entrances = build(world, 10)  # 20 entrances
    bulk_households(entrances, 50, start=0)  # 1,000 households
    small = {code: page_queries(client, code) for code in ("t-district", "t-community", "t-grid-a", "s-b0-u0")}
    bulk_households(entrances, 4950, start=50)  # 100,000 households in all
    large = {code: page_queries(client, code) for code in small}
    for code in small:
        assert 5 < len(small[code]) == len(large[code]) < 25, (code, small[code], large[code])
    response = client.get(reverse("place-detail", args=["t-community"]))
    assert response.context["counts"].households == 100_000 + 12
