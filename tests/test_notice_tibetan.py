"""Notice boards of Tibetan-speaking villages: Tibetan dates beside Chinese, printed on one page.

The whole example is planned once; every notice of a village whose languages
include Tibetan must carry each service day's CLDR Tibetan date and weekday.
One such notice is printed with headless Chromium: the PDF is one A4 page and
embeds a Tibetan font (``pdffonts``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.locale import cldr
from advisors.output import export
from advisors.output.html import notice_context
from advisors.output.render import Renderer
from advisors.plan.plan import Plan, make_plan

from .system_tools import BROWSERS, FLAGS, FONTS, INSTALL_SECONDS, system_font, system_tool


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Plan:
    return make_plan(tongren, "2026-12")


@pytest.fixture(scope="module")
def notices(tongren: advisors.Dataset, december: Plan,
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notices")
    export(december.publication(tongren), out, names=["notices"])
    return out / "notices"


def _tibetan_villages(ds: advisors.Dataset) -> list[advisors.Village]:
    return [v for v in ds.villages if "bo" in v.languages]


def test_every_tibetan_village_notice_has_tibetan_dates_and_weekdays(
        tongren: advisors.Dataset, december: Plan, notices: Path) -> None:
    pub = december.publication(tongren)
    villages = _tibetan_villages(tongren)
    assert villages, "the example has Tibetan-speaking villages"
    checked = 0
    for village in villages:
        html = (notices / f"{village.id}.html").read_text("utf-8")
        for visit in notice_context(pub, village)["visits"]:
            day = visit["begins"]
            assert f'<span lang="bo">{cldr.format_date(day, "bo", "full")}</span>' in html
            assert cldr.weekday_name(day, "bo") in html and cldr.format_date(day, "zh") in html
            checked += 1
    assert checked >= len(villages)
    chinese_only = next(v for v in tongren.villages if "bo" not in v.languages)
    assert 'lang="bo"' not in (notices / f"{chinese_only.id}.html").read_text("utf-8").split(
        "<body>")[1].split('class="muted"')[0]


def test_advisor_tibetan_name_shows_on_tibetan_notices_only(
        tongren: advisors.Dataset, december: Plan) -> None:
    tibetan = _tibetan_villages(tongren)[0]
    chinese = next(v for v in tongren.villages if "bo" not in v.languages
                   and v.id in december.assignment.advisor_of)
    named = {december.assignment.advisor_of[v.id] for v in (tibetan, chinese)}
    data = attrs.evolve(tongren, advisors=[
        attrs.evolve(a, name_bo="ཚེ་རིང་") if a.id in named else a for a in tongren.advisors])
    pub = december.publication(data)
    renderer = Renderer.create()
    shown = renderer.render("notice.html", **notice_context(pub, tibetan))
    assert '<span lang="bo">ཚེ་རིང་</span>' in shown
    hidden = renderer.render("notice.html", **notice_context(pub, chinese))
    assert "ཚེ་རིང་" not in hidden


@pytest.fixture(scope="module")
def chromium() -> str:
    return system_tool("Chromium", BROWSERS, ("chromium", *FONTS, "poppler-utils"),
                       INSTALL_SECONDS)


def test_a_tibetan_notice_prints_on_one_page_with_a_tibetan_font(
        chromium: str, tongren: advisors.Dataset, notices: Path, tmp_path: Path) -> None:
    tibetan = system_font("a Tibetan font", "bo", ("fonts-tibetan-machine",), INSTALL_SECONDS)
    system_font("a Chinese font", "zh-cn", ("fonts-wqy-microhei",), INSTALL_SECONDS)
    pdffonts = system_tool("pdffonts", ("pdffonts",), ("poppler-utils",), INSTALL_SECONDS)
    pdfinfo = system_tool("pdfinfo", ("pdfinfo",), ("poppler-utils",), INSTALL_SECONDS)
    village = max(_tibetan_villages(tongren),
                  key=lambda v: (notices / f"{v.id}.html").stat().st_size)  # the fullest one
    pdf = tmp_path / "notice.pdf"
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", (notices / f"{village.id}.html").as_uri()],
        capture_output=True, text=True, timeout=90, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(r"^Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info, re.MULTILINE), info
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    embedded = re.sub(r"[\s_-]", "", fonts).casefold()
    families = {re.sub(r"[\s_-]", "", f.split(",")[0]).casefold() for f in tibetan.splitlines()}
    assert any(f in embedded for f in families), f"none of {tibetan!r} embedded:\n{fonts}"
