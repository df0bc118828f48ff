"""The QR page on a cheap phone: under 100 KB on first load, nothing from another host.

Counted uncompressed (gzip would make it smaller), as the page asks for it: the HTML and
every stylesheet, script, icon and image it names. Fonts come from the phone itself.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tongxin.demands import services

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"')


def first_load(client, url: str) -> dict[str, int]:
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    sizes = {url: len(page.content)}
    for asset in ASSET.findall(html):
        assert not re.match(r"^(https?:)?//", asset), f"{asset} comes from another host"
        assert asset.startswith(settings.STATIC_URL), f"{asset} is not a static file"
        found = finders.find(asset.removeprefix(settings.STATIC_URL))
        assert found, f"{asset} is named by the page but not there"
        sizes[asset] = Path(found).stat().st_size
    return sizes


def test_the_qr_page_weighs_under_100_kb_on_first_load(world, client):
    url = reverse("qr-page", args=[services.qr_for(world.places["b1u1"]).token])
    sizes = first_load(client, url)
    assert len(sizes) >= 4  # the page, its stylesheet, its scripts, its icon: all counted
    total = sum(sizes.values())
    assert total < BUDGET, f"{total / 1024:.1f} KB: {sizes}"


def test_the_follow_up_page_stays_within_the_budget_too(world, client):
    demand = services.report(world.places["b1u1"], category=services.Category.objects.get(code="lighting"),
                             description="楼道灯坏了", key="w")
    assert sum(first_load(client, reverse("demand-track", args=[demand.tracking_code])).values()) < BUDGET
