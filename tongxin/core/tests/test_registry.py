from pathlib import Path

import pytest
from django.urls import reverse

from tongxin import settings as project_settings
from tongxin.core import registry


def test_mechanisms_are_discovered_from_their_folders(tmp_path: Path):
    for name, files in {"alpha": ["__init__.py", "apps.py"], "beta": ["__init__.py"], "core": ["apps.py"]}.items():
        (tmp_path / name).mkdir()
        for file in files:
            (tmp_path / name / file).write_text("")
    assert project_settings._discover_mechanisms(tmp_path) == ["tongxin.alpha"]


def test_the_core_and_registers_are_registered():
    labels = [config.label for config in registry.mechanisms()]
    assert labels[0] == "core" and "registers" in labels


def test_role_permissions_merge_across_apps():
    merged = registry.role_permissions()
    assert "core.view_tree" in merged["grid_worker"]
    assert set(registry.all_permissions()) >= {"core.view_tree", "core.view_personal"}


def test_every_menu_entry_resolves():
    for entry in registry.menu_entries():
        assert reverse(entry.url_name)


def test_demo_loaders_run_in_declared_order():
    labels = [label for label, _load in registry.demo_loaders()]
    assert labels[0] == "registers"


@pytest.mark.django_db
def test_mechanism_api_routes_are_mounted(client):
    response = client.get("/api/v1/")
    assert response.status_code in (200, 401, 403)


def test_url_names_are_unique_outside_namespaces():
    """Two routes with one name make reverse() depend on the order apps are mounted."""
    from collections import Counter

    from django.urls import URLPattern, URLResolver, get_resolver

    def names(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from names(pattern.url_patterns, inner or None)
            elif isinstance(pattern, URLPattern) and pattern.name and "format" not in str(pattern.pattern):
                yield namespace, pattern.name  # format-suffix twins of API routes share a name by design

    counted = Counter(names(get_resolver().url_patterns))
    assert [key for key, n in counted.items() if n > 1] == []
