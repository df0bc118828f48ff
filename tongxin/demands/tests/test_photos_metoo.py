from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tongxin.demands import services
from tongxin.demands.models import Category, Demand, MeToo

pytestmark = pytest.mark.django_db


def photo(size=(3000, 2000), fmt="JPEG", exif=True, name="p.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0112] = 6  # taken with the phone turned: rotate 90°
        data.get_ifd(0x8825).update({1: "N", 2: (30.0, 35.0, 0.0)})  # GPS: where the resident lives
        image.save(out, fmt, exif=data.tobytes())
    else:
        image.save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def lights():
    return Category.objects.get(code="lighting")


def test_a_photo_is_turned_upright_resized_and_loses_its_location(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    response = client.post(reverse("qr-page", args=[token]), {
        "form_key": "p1", "category": lights().pk, "description": "楼道灯坏了", "photos": [photo()],
        "phone": "13812345678",
    })
    assert response.status_code == 302
    stored = Demand.objects.get().photos.get()
    with Image.open(stored.image.open("rb")) as image:
        assert image.size == (1067, 1600)  # upright (portrait) and at most 1600 px
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)  # no orientation, no GPS
    demand = Demand.objects.get()
    url = reverse("demand-photo-resident", args=[demand.tracking_code, stored.pk])
    assert client.get(url).status_code == 200  # the reporter's own browser
    stranger = type(client)()
    assert stranger.get(url).status_code == 404
    stranger.force_login(world.users["worker_b"])
    assert stranger.get(reverse("demand-photo", args=[demand.pk, stored.pk])).status_code == 404
    stranger.force_login(world.users["worker_a"])
    assert stranger.get(reverse("demand-photo", args=[demand.pk, stored.pk]))["Content-Type"] == "image/jpeg"


def test_fake_huge_and_too_many_photos_are_refused_and_nothing_is_filed(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    url = reverse("qr-page", args=[token])
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    body = client.post(url, {"form_key": "p2", "category": lights().pk, "description": "灯坏", "photos": [fake]})
    assert body.status_code == 400 and "不是照片" in body.content.decode()
    four = [photo((40, 40), exif=False) for _ in range(4)]
    body = client.post(url, {"form_key": "p3", "category": lights().pk, "description": "灯坏", "photos": four})
    assert "最多上传3张" in body.content.decode()
    assert not Demand.objects.exists()


def test_one_sender_flooding_is_slowed_down_but_the_neighbours_are_not(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    url = reverse("qr-page", args=[token])
    for n in range(3):
        sent = client.post(url, {"form_key": f"f{n}", "category": lights().pk, "description": f"灯坏{n}"})
        assert sent.status_code == 302
    flood = client.post(url, {"form_key": "f9", "category": lights().pk, "description": "灯坏9"})
    assert flood.status_code == 400 and "频繁" in flood.content.decode()
    neighbour = type(client)(REMOTE_ADDR="10.0.0.2")
    assert neighbour.post(url, {"form_key": "g1", "category": lights().pk, "description": "灯坏"}).status_code == 302
    assert Demand.objects.count() == 4


def test_similar_open_demands_nearby_are_shown_redacted_and_me_too_counts_once(world, client):
    place = world.places["b1u1"]
    first = services.report(place, category=lights(), description="3单元5楼楼道灯坏了，王秀英家门口一片黑",
                            name="王秀英", phone="13812345678", key="s1")
    services.report(place, category=Category.objects.get(code="neighbours"), description="5楼楼道灯坏了邻居吵架",
                    key="s2")  # sensitive: never shown
    token = services.qr_for(world.places["b1u2"]).token  # the other entrance of the same building
    body = client.get(reverse("qr-similar", args=[token]), {"description": "楼道灯坏了很黑"}).content.decode()
    assert "楼道灯坏了" in body and "王秀英" not in body and "3单元" not in body and "吵架" not in body
    assert "我也遇到" in body
    far = services.qr_for(world.places["b2u1"]).token  # another building: not shown
    elsewhere = client.get(reverse("qr-similar", args=[far]), {"description": "楼道灯坏了很黑"})
    assert "楼道灯" not in elsewhere.content.decode()
    me_too = reverse("qr-me-too", args=[token, first.tracking_code])
    done = client.post(me_too, {"phone": "13900001111"})
    assert "2 位居民" in done.content.decode() or "2 residents" in done.content.decode()
    client.post(me_too, {"phone": "13900001111"})  # again: counted once
    assert MeToo.objects.count() == 1 and services.affected(first) == 2
    other = type(client)(REMOTE_ADDR="10.0.0.3")
    track = reverse("demand-track", args=[first.tracking_code])
    other.post(track, {"what": "confirm", "phone": "13900001111"})  # a "me too" phone follows it too
    assert "一片黑" in other.get(track).content.decode()
    assert client.post(reverse("qr-me-too", args=[far, first.tracking_code])).status_code == 404
