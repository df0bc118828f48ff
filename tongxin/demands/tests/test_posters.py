"""Door posters (seed 004): one A4 page per door, its QR code and its people, phones masked."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse

from tongxin.cli import main
from tongxin.core.models import Organisation, OrganisationPlace
from tongxin.core.services.people import create_person
from tongxin.core.services.places import create_place
from tongxin.core.services.roles import assign_role, end_role
from tongxin.core.testing import count_queries
from tongxin.demands import posters
from tongxin.demands.models import QrCode

pytestmark = pytest.mark.django_db
SINCE = datetime.date(2024, 1, 1)


def pdf_of(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def font_names(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    return names


def property_company(place, *, code="wuye", relation="manages"):
    company = Organisation.objects.create(code=code, name=f"{code}物业", kind="property_company", started_on=SINCE)
    OrganisationPlace.objects.create(organisation=company, place=place, relation=relation, valid_from=SINCE)
    return company


def contacts(world):
    """The people of seed 004 around building 1, and property staff of the compound's manager."""
    p = world.places
    assign_role(create_person(name="王党组", phone="13912345678"), "party_group_leader", place=p["compound"])
    assign_role(create_person(name="李中心户", phone="13812340001"), "party_member_household", place=p["b1u1"])
    assign_role(create_person(name="钱单元长", phone="13812340002"), "building_chief", place=p["b1u2"])
    assign_role(create_person(name="孙物管", phone="13612345678"), "property_staff",
                organisation=property_company(p["compound"]))
    helper = property_company(p["compound"], code="fuwu", relation="serves")  # serves, does not manage
    assign_role(create_person(name="周服务", phone="13612340000"), "property_staff", organisation=helper)
    gone = assign_role(create_person(name="吴离任", phone="13512340000"), "building_chief", place=p["b1"])
    end_role(gone)


def test_a_compound_prints_one_page_per_door_with_its_people_and_masked_phones(world, client):
    contacts(world)
    client.force_login(world.users["staff"])
    response = client.get(reverse("demand-posters", args=["t-compound"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="posters-t-compound.pdf"'
    reader = pdf_of(response.content)
    pages = texts(reader)
    assert len(pages) == 5  # the compound's gate and four entrances, by path
    gate, b1u1, b1u2, b2u1, _b2u2 = pages
    tokens = dict(QrCode.objects.values_list("place__code", "token"))
    assert f"/q/{tokens['t-compound']}/" in gate and f"/q/{tokens['t-b1-u1']}/" in b1u1
    assert "测试小区" in gate and "1栋 1单元" in b1u1 and "2栋 1单元" in b2u1 and "测试社区" in b1u1
    assert "扫码反映问题、提出建议" in b1u1 and "Scan to report a problem or make a suggestion" in b1u1
    # Nearest first: the compound's party group leader on every door; the entrance's own
    # people on theirs; the building chief of building 1 on both its entrances, except
    # where the entrance has its own; an ended assignment nowhere.
    assert all("王党组" in page and "139****5678" in page for page in pages)
    assert "李中心户" in b1u1 and "李中心户" not in b1u2
    assert "chief_b1" in b1u1 and "钱单元长" in b1u2 and "chief_b1" not in b1u2 and "chief_b1" not in b2u1
    assert all("孙物管" in page and "136****5678" in page for page in pages)
    everything = "".join(pages)
    assert "周服务" not in everything and "吴离任" not in everything
    for full in ("13912345678", "13812340001", "13100000005", "13612345678"):
        assert full not in everything  # a public door: never a full number
    assert any("Noto" in name or "CJK" in name or "WenQuanYi" in name for name in font_names(reader))


def test_a_door_alone_is_one_page_and_a_building_its_entrances(world, client):
    client.force_login(world.users["worker_a"])
    one = pdf_of(client.get(reverse("demand-posters", args=["t-b1-u2"])).content)
    assert len(one.pages) == 1 and "1栋 2单元" in one.pages[0].extract_text()
    two = texts(pdf_of(client.get(reverse("demand-posters", args=["t-b1"])).content))
    assert len(two) == 2 and "1栋 1单元" in two[0] and "1栋 2单元" in two[1]


def test_a_grid_prints_the_doors_of_the_places_it_covers(world, client):
    client.force_login(world.users["worker_a"])  # grid A covers building 1 only
    pages = texts(pdf_of(client.get(reverse("demand-posters", args=["t-grid-a"])).content))
    assert len(pages) == 2 and all("1栋" in page for page in pages)


def test_staff_outside_the_place_get_404(world, client):
    client.force_login(world.users["worker_b"])
    for code in ("t-b1-u1", "t-b1", "t-compound", "no-such-place"):
        assert client.get(reverse("demand-posters", args=[code])).status_code == 404
    client.force_login(world.users["worker_a"])  # grid A covers building 1, not the whole compound
    assert client.get(reverse("demand-posters", args=["t-compound"])).status_code == 404
    client.force_login(world.users["chief_b1"])  # a building chief does not dispatch
    assert client.get(reverse("demand-posters", args=["t-b1-u1"])).status_code == 404
    client.logout()
    assert client.get(reverse("demand-posters", args=["t-b1-u1"])).status_code == 302
    assert not QrCode.objects.exists()


def test_too_many_doors_for_the_web_page_points_to_the_command(world, client, monkeypatch):
    monkeypatch.setattr(posters, "MAX_WEB_PAGES", 3)
    client.force_login(world.users["staff"])
    response = client.get(reverse("demand-posters", args=["t-compound"]))
    assert response.status_code == 400 and "tongxin posters t-compound" in response.content.decode()


def _compound(world, code: str, buildings: int):
    """A compound managed by a property company, each building with a chief, each entrance a household."""
    compound = create_place(parent=world.places["community"], kind="compound", code=code, name=f"{code}小区")
    company = property_company(compound, code=f"{code}-wy")
    assign_role(create_person(name=f"{code}物管", phone="13600000000"), "property_staff", organisation=company)
    for b in range(buildings):
        building = create_place(parent=compound, kind="building", code=f"{code}-b{b}", name=f"{b + 1}栋")
        assign_role(create_person(name=f"{code}楼长{b}", phone="13700000000"), "building_chief", place=building)
        for u in range(2):
            entrance = create_place(parent=building, kind="entrance", code=f"{code}-b{b}-u{u}", name=f"{u + 1}单元")
            assign_role(create_person(name=f"{code}户{b}{u}", phone="13800000000"), "party_member_household",
                        place=entrance)
    return compound


def test_queries_do_not_grow_with_the_pages(world, client):
    small, large = _compound(world, "qs", 1), _compound(world, "ql", 3)
    client.force_login(world.users["staff"])
    counted = {}
    for compound in (small, large):
        with count_queries() as statements:
            response = client.get(reverse("demand-posters", args=[compound.code]))
        assert response.status_code == 200
        counted[compound.code] = len(statements)
    assert len(pdf_of(response.content).pages) == 7  # the gate and six entrances
    assert counted["qs"] == counted["ql"], counted


def test_the_builder_runs_a_fixed_number_of_statements(world, django_assert_num_queries):
    doors = list(posters.poster_places(_compound(world, "qf", 3)))
    posters.posters_for(doors, "https://tx.example.cn")  # the QR codes exist from now on
    with django_assert_num_queries(5):
        # the doors' ancestors; the people at the doors, buildings and compound; the
        # organisations managing them; their property staff; the QR tokens
        made = posters.posters_for(doors, "https://tx.example.cn")
    assert [[len(role.people) for role in poster.roles] for poster in made][1] == [0, 1, 1, 1]


def test_nothing_is_fetched_from_outside(world, monkeypatch):
    import urllib.request

    fetched = []
    real_open = urllib.request.OpenerDirector.open

    def recording_open(self, url, *args, **kwargs):
        fetched.append(getattr(url, "full_url", url))
        return real_open(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", recording_open)
    html = posters.poster_html([world.places["b1u1"]], "https://tx.example.cn").replace(
        "</body>", '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname"></body>'
    )
    posters.render_pdf(html)
    assert fetched and all(url.startswith("data:") for url in fetched), fetched


def test_the_command_writes_the_pdf(world, tmp_path, monkeypatch, capsys):
    out = tmp_path / "doors.pdf"
    assert main(["posters", "t-b1", "-o", str(out), "--base", "https://tx.example.cn"]) == 0
    reader = pdf_of(out.read_bytes())
    token = QrCode.objects.get(place__code="t-b1-u1").token
    assert len(reader.pages) == 2 and f"https://tx.example.cn/q/{token}/" in reader.pages[0].extract_text()
    monkeypatch.chdir(tmp_path)
    assert main(["posters", "t-b2-u1"]) == 0
    assert len(pdf_of((tmp_path / "posters-t-b2-u1.pdf").read_bytes()).pages) == 1
    assert "1 posters" in capsys.readouterr().out


def test_the_workbench_links_to_the_posters_of_the_chosen_place(world, client):
    client.force_login(world.users["worker_a"])
    url = reverse("demand-workbench")
    posters_url = reverse("demand-posters", args=["t-b1"])
    assert posters_url in client.get(url, {"place": "t-b1"}).content.decode()
    assert "/demands/posters/" not in client.get(url).content.decode()
    assert "/demands/posters/" not in client.get(url, {"place": "t-b2"}).content.decode()

