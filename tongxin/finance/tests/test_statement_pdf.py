"""The statement as an A4 PDF: public like its page, in Chinese, and the Chinese is real glyphs.

The glyph test rasterises the first page (poppler's ``pdftoppm``) and reads it back with
Tesseract's Simplified Chinese model: tofu boxes read as nothing, so the compound's name, 收入
and 支出 come back only if a CJK font drew them. A control renders the same HTML in a process
whose fontconfig knows no CJK font, and the same check must fail there: the test cannot pass
on tofu. Debian packages: ``scripts/system-deps.sh`` (poppler-utils, tesseract-ocr,
tesseract-ocr-chi-sim); a machine without them fails here rather than skipping."""

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tongxin.core.testing import login_for, two_grids
from tongxin.finance import selectors
from tongxin.finance.services import ledger, statements

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def statement():
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="1000")
    for direction, category, yuan in (("income", "停车费", "500"), ("spending", "保洁", "120.30")):
        entry = ledger.enter(staff, account, date=D(2026, 1, 5), direction=direction, category=category,
                             amount_yuan=yuan, description=f"{category}说明")
        ledger.approve(world.users["staff2"], entry)
    return statements.publish(staff, statements.generate(staff, account, 2026, 1))


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: run scripts/system-deps.sh"
    return found


def read_back(pdf: bytes, tmp_path: Path, env: dict | None = None) -> str:
    """The first page as an image, read by OCR; whitespace removed (OCR spaces CJK out)."""
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run([tool("pdftoppm"), "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, env=env)
    languages = subprocess.run([tool("tesseract"), "--list-langs"], capture_output=True, text=True).stdout.split()
    assert "chi_sim" in languages, "tesseract-ocr-chi-sim is missing: run scripts/system-deps.sh"
    text = subprocess.run([tool("tesseract"), str(tmp_path / "page.png"), "-", "-l", "chi_sim"],
                          capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def shows_chinese(text: str) -> bool:
    return all(word in text for word in ("测试小区", "收入", "支出", "收支公开"))


def test_the_pdf_is_public_a4_and_embeds_a_cjk_font(statement, client):
    response = client.get(f"/finance/statements/{statement.pk}/pdf/")   # no login
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)   # A4 in mm
    fonts = set()
    for page in reader.pages:
        found = page["/Resources"].get("/Font", {})
        fonts |= {str(found[key].get_object()["/BaseFont"]) for key in found}
    assert any("CJK" in name or "Noto Sans SC" in name for name in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    for shown in ("1379.70", "500.00", "120.30", "停车费", "保洁说明"):
        assert shown in text
    # A draft has no PDF, like it has no page.
    draft = statements.generate(statement.created_by, statement.account, 2026, 2)
    assert client.get(f"/finance/statements/{draft.pk}/pdf/").status_code == 404


def test_the_chinese_is_drawn_with_real_glyphs_not_tofu(statement, client, tmp_path):
    pdf = client.get(f"/finance/statements/{statement.pk}/pdf/").content
    text = read_back(pdf, tmp_path)
    assert shows_chinese(text), text
    assert "1379.70" in text


def test_the_glyph_check_fails_without_cjk_fonts(statement, tmp_path):
    """The control: the same HTML through the same renderer, in a process that sees no CJK font."""
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {**selectors.statement_view(statement), "printed_on": D(2026, 4, 1), "base": "http://x"}
    with translation.override("zh-hans"):
        (tmp_path / "page.html").write_text(render_to_string("finance/public/statement_pdf.html", context))
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    latin = [str(p) for p in Path("/usr/share/fonts/truetype/dejavu").glob("DejaVuSans*.ttf")]
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        + "".join(f"<dir>{d}</dir>" for d in [str(fonts), *{str(Path(p).parent) for p in latin}])
        + f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    script = ("import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tongxin.settings'); "
              "django.setup(); from tongxin.demands.posters import render_pdf; "
              "sys.stdout.buffer.write(render_pdf(open(sys.argv[1], encoding='utf-8').read()))")
    pdf = subprocess.run([sys.executable, "-c", script, str(tmp_path / "page.html")], env=env,
                         capture_output=True, check=True).stdout
    assert pdf.startswith(b"%PDF")
    text = read_back(pdf, tmp_path, env)
    assert not shows_chinese(text), text
    if latin:   # the page did render: only the Chinese is missing
        assert "1379.70" in text, text
