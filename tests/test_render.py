"""Rendering: autoescaping, deployment overrides in the sandbox, the jinja2 hook, catalogs."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import attrs
import jinja2
import markupsafe
import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError

import advisors
from advisors import hookspecs
from advisors.errors import DataError
from advisors.locale import CATALOG_DIR, REVIEW_MARK, Catalog, Translator, parse_po
from advisors.output import ExportOptions, export
from advisors.output.html import notice_context
from advisors.output.render import Renderer, make_environment
from advisors.output.translations.glossary import GLOSSARY
from advisors.period import Period

from .test_exporters import publish, sample_events

TEMPLATES = Path(advisors.__file__).parent / "templates"
HOSTILE = "<script>alert('x')</script>"


class _Checker(html.parser.HTMLParser):
    """Counts tags and checks they nest (void elements excepted)."""

    VOID = frozenset({"meta", "br", "rect", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def _hostile_dataset(tongren: advisors.Dataset) -> advisors.Dataset:
    village_id = tongren.assignments[0].village
    villages = [attrs.evolve(v, name=HOSTILE) if v.id == village_id else v
                for v in tongren.villages]
    townships = [attrs.evolve(t, name=HOSTILE + "镇") if t.id == "longwu" else t
                 for t in tongren.townships]
    return attrs.evolve(tongren, villages=villages, townships=townships)


def test_html_outputs_escape_a_village_named_script(tongren: advisors.Dataset,
                                                    tmp_path: Path) -> None:
    ds = _hostile_dataset(tongren)
    export(publish(ds, sample_events(ds)), tmp_path,
           names=["roster-html", "notices", "report"])
    pages = [*(tmp_path / "rosters").glob("*.html"), *(tmp_path / "notices").glob("*.html"),
             tmp_path / "report.html"]
    hostile_seen = 0
    for page in pages:
        text = page.read_text("utf-8")
        assert "<script" not in text.lower(), page
        hostile_seen += "&lt;script&gt;" in text
        checker = _Checker()
        checker.feed(text)
        checker.close()
        assert checker.stack == [] and checker.scripts == 0, page
        assert text.startswith("<!DOCTYPE html>")
    assert hostile_seen >= 3


NAMES = st.text(alphabet=st.sampled_from('<>&"\'/ascript=法村'), min_size=1, max_size=20)


@settings(max_examples=25, deadline=None)
@given(NAMES.filter(str.strip))
def test_any_village_name_prints_as_text(tongren: advisors.Dataset, name: str) -> None:
    village = tongren.villages[0]
    ds = attrs.evolve(tongren, villages=[attrs.evolve(village, name=name) if v is village else v
                                         for v in tongren.villages])
    page = Renderer.create().render("notice.html",
                                    **notice_context(publish(ds, []), ds.villages[0]))
    body = page.split("<body>", 1)[1]
    assert str(markupsafe.escape(name.strip())) in body
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == [] and checker.scripts == 0


def test_roster_css_prints_on_a4_with_chinese_and_tibetan_fonts(tongren: advisors.Dataset,
                                                                tmp_path: Path) -> None:
    export(publish(tongren, sample_events(tongren)), tmp_path, names=["roster-html"])
    text = (tmp_path / "rosters" / "longwu.html").read_text("utf-8")
    assert "size: A4" in text
    for font in ("Noto Sans CJK SC", "Noto Serif Tibetan", "Microsoft Himalaya", "Jomolhari"):
        assert font in text
    assert '<span lang="bo">རོང་བོ</span>' in text  # the township's Tibetan name from the data


def test_deployment_template_overrides_and_is_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "sms.txt").write_text("custom {{ recipient }}", "utf-8")
    renderer = Renderer.create([tmp_path])
    assert renderer.sandboxed
    assert renderer.render("notifications/sms.txt", recipient="x") == "custom x"
    assert "<html" in renderer.env.get_template("_base.html").render(
        langs=["zh"], period=Period.parse("2026-12"), version=1, stamp="2026-11-30")


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ x.__class__.__base__.__subclasses__() }}",
    "{{ x.__init__.__globals__ }}",
    "{% set _ = items.append(1) %}",
])
def test_sandbox_refuses_unsafe_access_in_an_external_template(tmp_path: Path,
                                                               source: str) -> None:
    (tmp_path / "evil.html").write_text(source, "utf-8")
    renderer = Renderer.create([tmp_path])
    # the sandbox's SecurityError, told as bad input naming the template and its line
    with pytest.raises(DataError) as info:
        renderer.render("evil.html", x=object(), items=[])
    (problem,) = info.value.problems
    assert problem.source == str(tmp_path / "evil.html") and problem.line == 1
    assert problem.message == "template error: SecurityError"
    assert isinstance(info.value.__context__, SecurityError)


def test_bundled_templates_render_unsandboxed_by_default() -> None:
    assert not Renderer.create().sandboxed


def test_autoescape_is_on_for_html_and_off_for_text(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{{ v }}", "utf-8")
    (tmp_path / "a.txt").write_text("{{ v }}", "utf-8")
    renderer = Renderer.create([tmp_path])
    assert renderer.render("a.html", v="<b>") == "&lt;b&gt;"
    assert renderer.render("a.txt", v="<b>") == "<b>"


class _FilterPlugin:
    @hookspecs.hookimpl
    def prepare_jinja2_environment(self, env: jinja2.Environment) -> None:
        env.filters["shout"] = lambda s: str(s).upper() + "!"


def test_prepare_jinja2_environment_hook_is_called(tmp_path: Path) -> None:
    pm = pluggy.PluginManager("advisors")
    pm.add_hookspecs(hookspecs)
    pm.register(_FilterPlugin())
    env = make_environment([tmp_path], pm=pm)
    assert env.from_string("{{ 'hi'|shout }}").render() == "HI!"


def test_po_reader_handles_flags_context_multiline_and_escapes() -> None:
    entries = parse_po(
        '# comment\n'
        'msgid ""\nmsgstr "Language: bo\\n"\n\n'
        '#, fuzzy, python-format\n'
        'msgid "A"\nmsgstr "a1"\n\n'
        'msgctxt "menu"\nmsgid "B"\nmsgstr ""\n"line \\"1\\"\\n"\n"line 2"\n\n'
        'msgid "C"\nmsgid_plural "Cs"\nmsgstr[0] "c"\nmsgstr[1] "cs"\n'
    )
    assert [(e.msgid, e.msgstr, e.context, e.fuzzy) for e in entries] == [
        ("A", "a1", "", True),
        ("B", 'line "1"\nline 2', "menu", False),
        ("C", "c", "", False),
    ]
    with pytest.raises(ValueError, match=":2"):
        parse_po('msgid "x"\nbogus "y"\n')


def test_fuzzy_strings_are_omitted_unless_reviewing() -> None:
    entries = parse_po('#, fuzzy\nmsgid "Hello"\nmsgstr "BO-HELLO"\n\nmsgid "Bye"\n'
                       'msgstr "BO-BYE"\n')
    catalog = Catalog.from_entries("bo", entries)
    zh = Catalog.from_entries("zh", parse_po('msgid "Hello"\nmsgstr "你好"\n'))
    plain = Translator({"bo": catalog, "zh": zh})
    review = Translator({"bo": catalog, "zh": zh}, review=True)
    assert plain.bilingual("Hello", ["bo", "zh"]) == "你好"
    assert review.bilingual("Hello", ["bo", "zh"]) == f"{REVIEW_MARK}BO-HELLO / 你好"
    assert plain.get("Bye", "bo") == "BO-BYE"


def _template_msgids() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.*"):
        text = path.read_text("utf-8")
        found |= set(re.findall(r'(?:m\.bi|\bt)\(\s*"((?:[^"\\]|\\.)*)"', text))
    return found


def test_every_template_label_has_a_chinese_translation() -> None:
    zh = {e.msgid: e for e in parse_po((CATALOG_DIR / "zh.po").read_text("utf-8"))}
    missing = sorted(m for m in _template_msgids() if m not in zh or not zh[m].msgstr)
    assert missing == []


def test_tibetan_catalog_covers_the_same_messages_and_invents_nothing() -> None:
    zh = {e.msgid for e in parse_po((CATALOG_DIR / "zh.po").read_text("utf-8"))}
    bo = parse_po((CATALOG_DIR / "bo.po").read_text("utf-8"))
    assert {e.msgid for e in bo} == zh
    # Until a native speaker reviews them, Tibetan strings are empty, marked fuzzy, or copied
    # exactly from the glossary line their comment names.
    lines = GLOSSARY.read_text("utf-8").splitlines()
    for entry in bo:
        if entry.msgstr and not entry.fuzzy:
            number = int(re.match(r"glossary line (\d+) ", entry.source)[1])  # type: ignore[index]
            row = lines[number - 1].split("\t")
            assert entry.msgstr in row[1].split(" / ") and "exact match" in row[4], entry


def test_review_mode_reaches_the_templates(tongren: advisors.Dataset, tmp_path: Path) -> None:
    (tmp_path / "bo.po").write_text('#, fuzzy\nmsgid "Legal advisor"\nmsgstr "BO-ADV"\n',
                                    "utf-8")
    village = next(v for v in tongren.villages if "bo" in v.languages
                   and v.id in {a.village for a in tongren.assignments})
    for review, expected in ((False, False), (True, True)):
        out = tmp_path / f"out-{review}"
        export(publish(tongren, sample_events(tongren)), out,
               ExportOptions(locale_dirs=(tmp_path,), review=review), names=["notices"])
        text = (out / "notices" / f"{village.id}.html").read_text("utf-8")
        assert (f"{REVIEW_MARK}BO-ADV" in text) is expected
        assert "法律顾问" in text
