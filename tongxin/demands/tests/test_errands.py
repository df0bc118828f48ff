"""Services on behalf (代办): the catalogue, starting one from the QR page (a resident, or a
grid-point leader for someone who cannot), and what the resident is told to bring."""

import pytest
from django.urls import reverse

from tongxin.core.testing import login_for
from tongxin.demands import services
from tongxin.demands.models import Category, Demand, ErrandItem, Source

pytestmark = pytest.mark.django_db


def test_the_catalogue_comes_with_papers_office_and_time_limit():
    item = ErrandItem.objects.get(code="old-age-allowance")
    assert item.name == "高龄津贴申请" and item.office and item.time_limit_days > 0
    assert "身份证" in item.paper_list and ErrandItem.objects.count() >= 10


def test_a_resident_starts_a_service_on_behalf_from_the_qr_page(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    page = client.get(reverse("qr-page", args=[token])).content.decode()
    errand = Category.objects.get(code="errand")
    item = ErrandItem.objects.get(code="old-age-allowance")
    assert "高龄津贴申请" in page and f'data-when-category="{errand.pk}"' in page
    response = client.post(reverse("qr-page", args=[token]), {
        "form_key": "e1", "category": errand.pk, "errand": item.pk, "description": "我父亲今年满80岁，想申请高龄津贴",
        "phone": "13812345678",
    })
    demand = Demand.objects.get()
    assert demand.errand == item and demand.source == Source.QR and demand.recorded_by is None
    answer = client.get(response.url).content.decode()
    assert "街道民政办" in answer and "银行卡" in answer  # where it goes and what to bring
    assert "高龄津贴申请" in client.get(reverse("demand-track", args=[demand.tracking_code])).content.decode()


def test_an_item_counts_only_with_the_services_category(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    item = ErrandItem.objects.get(code="old-age-allowance")
    client.post(reverse("qr-page", args=[token]), {
        "form_key": "e2", "category": Category.objects.get(code="lighting").pk, "errand": item.pk,
        "description": "楼道灯坏了"})
    assert Demand.objects.get().errand is None


def test_a_grid_point_leader_files_for_an_elderly_resident(world, client):
    leader = login_for(world, "point", "grid_point_leader", place=world.places["b1"], phone="13100000021")
    token = services.qr_for(world.places["b1u1"]).token
    client.force_login(leader)
    page = client.get(reverse("qr-page", args=[token])).content.decode()
    assert 'name="on_behalf"' in page
    client.post(reverse("qr-page", args=[token]), {
        "form_key": "e3", "category": Category.objects.get(code="errand").pk,
        "errand": ErrandItem.objects.get(code="disability-subsidies").pk, "on_behalf": "1",
        "description": "3楼王奶奶行动不便，代她申请残疾人两项补贴", "name": "王秀英"})
    demand = Demand.objects.get()
    assert demand.recorded_by == leader and demand.source == Source.VISIT and demand.reporter_name == "王秀英"
    # someone with no role here sees no such box, and their report is their own
    client.force_login(world.users["worker_b"])
    other = services.qr_for(world.places["b1u2"]).token
    assert 'name="on_behalf"' not in client.get(reverse("qr-page", args=[other])).content.decode()
