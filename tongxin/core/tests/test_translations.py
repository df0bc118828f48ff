"""Chinese first, English complete: every app's catalogue is whole and compiled.

Source strings are English; ``locale/zh_Hans`` of each app holds the Chinese. The test
re-extracts each app's strings (``makemessages`` on a copy) so a new string without a
translation fails here, not in front of a resident.
"""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tongxin.core.registry import mechanisms

APPS = [Path(config.path) for config in mechanisms()]


def catalogue(app: Path) -> Path:
    return app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("app", APPS, ids=[app.name for app in APPS])
def test_every_string_is_translated_and_compiled(app):
    po_path = catalogue(app)
    assert po_path.exists(), f"{app.name} has no Chinese catalogue"
    po = polib.pofile(str(po_path))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        else:
            got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            assert got == entry.msgstr, f"{app.name}: recompile {entry.msgid!r}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test installs it)")
@pytest.mark.parametrize("app", APPS, ids=[app.name for app in APPS])
def test_no_string_is_missing_from_the_catalogue(app, tmp_path):
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxin.settings"}
    subprocess.run(
        # django-admin, not ``python -m django``: the latter puts the copy on sys.path,
        # where an app's selectors.py would shadow the standard library's.
        [Path(sys.executable).parent / "django-admin", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(catalogue(copy))) if not e.obsolete}
    committed = {e.msgid for e in polib.pofile(str(catalogue(app))) if not e.obsolete}
    assert extracted <= committed, f"{app.name}: run makemessages and translate {sorted(extracted - committed)}"


@pytest.mark.parametrize(("msgid", "chinese"), [("Disabled", "残疾人"), ("Groups", "群体"), ("Place", "地点")])
def test_our_words_win_over_djangos_own_catalogue(msgid, chinese):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese


def test_a_string_shared_by_apps_has_one_translation():
    """Django merges the apps' catalogues, and for a string several apps use, the first app's
    (INSTALLED_APPS order) Chinese is shown everywhere. A different translation in another app
    is never shown, so that app's pages say something else than its author meant (a capacity
    field read 地点 instead of 名额). Same English, same Chinese; where the meaning differs,
    the English must differ too ("Places available", "Care categories")."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for app in APPS:
        for entry in polib.pofile(str(catalogue(app))).translated_entries():
            if entry.msgid_plural:
                continue
            first = seen.setdefault((entry.msgctxt, entry.msgid), (app.name, entry.msgstr))  # a context is its own
            if first[1] != entry.msgstr:
                clashes.append(f"{entry.msgid!r}: {first[0]} {first[1]!r} ≠ {app.name} {entry.msgstr!r}")
    assert not clashes, "\n".join(clashes)
