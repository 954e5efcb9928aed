"""Every HTML output is well-formed, declares language and charset, escapes hostile names."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.cli import run
from advisors.data import write_folder

HOSTILE = '<script>alert("x")</script>&\'村'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# SVG drawing elements may be written self-closing: <rect .../>
SVG_EMPTY = {"rect", "line", "circle", "path", "polyline", "polygon", "ellipse", "stop", "use"}


class Checker(HTMLParser):
    """Collects structural problems: unbalanced tags, duplicate ids, script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.doctype = False
        self.charset = False
        self.lang = ""
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        found = dict(attrs_)
        if tag == "script":
            self.problems.append("a <script> element")
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "meta" and (found.get("charset") or "").lower() == "utf-8":
            self.charset = True
        ident = found.get("id")
        if ident:
            if ident in self.ids:
                self.problems.append(f"duplicate id {ident!r}")
            self.ids.add(ident)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and tag not in SVG_EMPTY:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory, tongren: advisors.Dataset) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    village = tongren.villages[0]
    township = tongren.townships[0]
    dataset = attrs.evolve(
        tongren,
        villages=(attrs.evolve(village, name=HOSTILE), *tongren.villages[1:]),
        townships=(attrs.evolve(township, name=HOSTILE + "镇"), *tongren.townships[1:]),
    )
    write_folder(dataset, root / "data")
    out = root / "out"
    assert run(["plan", str(root / "data"), "--period", "2026-12", "--out", str(out),
                "--quiet"]) == 0
    return out


def test_every_html_output_is_well_formed_and_escapes_hostile_names(hostile_out: Path) -> None:
    pages = sorted(hostile_out.rglob("*.html"))
    assert len(pages) > 10
    hostile_seen = 0
    for page in pages:
        source = page.read_text("utf-8")
        checker = Checker()
        checker.feed(source)
        checker.close()
        where = page.relative_to(hostile_out)
        assert checker.problems == [], f"{where}: {checker.problems[:5]}"
        assert checker.stack == [], f"{where}: unclosed {checker.stack}"
        assert checker.doctype and checker.charset and checker.lang, where
        assert "<script>" not in source, where
        if HOSTILE in "".join(checker.text):
            hostile_seen += 1
    # the hostile village and township appear as text in rosters, notices and the report
    assert hostile_seen >= 3
