import pytest

from tongxin.cli import main
from tongxin.core.errors import RefusedError
from tongxin.core.models import DemoRun
from tongxin.core.places import full_name, resolve_place
from tongxin.core.services.places import create_place

pytestmark = pytest.mark.django_db


def test_a_place_is_found_by_code_or_unique_name(world):
    assert resolve_place("t-b1") == world.places["b1"]
    assert resolve_place("测试小区") == world.places["compound"]
    assert full_name(world.places["b1u1"]) == "测试区 / 测试街道 / 测试社区 / 测试小区 / 1栋 / 1单元"


def test_an_ambiguous_name_is_refused_with_the_matches(world):
    with pytest.raises(RefusedError) as refused:
        resolve_place("1单元")
    assert refused.value.code == "place_ambiguous"
    assert "t-b1-u1" in refused.value.message_zh and "t-b2-u1" in refused.value.message_zh
    assert "测试小区 / 2栋 / 1单元" in refused.value.message_en


def test_the_tree_command_prints_counts(world, capsys):
    assert main(["tree", "测试社区", "--depth", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("测试社区 [t-community]") and "12 户" in out[0]
    assert any(line.strip().startswith("第一网格 [t-grid-a]") and "6 户" in line for line in out)


def test_the_tree_command_refuses_an_ambiguous_place(world, capsys):
    assert main(["tree", "1单元"]) == 2
    err = capsys.readouterr().err
    assert "t-b1-u1" in err and "t-b2-u1" in err


def test_an_unknown_place_is_explained(world, capsys):
    assert main(["tree", "没有这个地方"]) == 2
    assert "找不到地点" in capsys.readouterr().err


def test_demo_loads_once(db, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr("tongxin.core.registry.demo_loaders", lambda: [("fake", lambda out: calls.append(1))])
    create_place(parent=None, kind="district", code="x", name="区")
    assert main(["demo", "--quiet"]) == 0
    assert main(["demo", "--quiet"]) == 0
    assert calls == [1]
    assert DemoRun.objects.filter(app_label="fake").count() == 1


def test_manage_passes_through_to_django(capsys):
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out
