"""The Tibetan catalog comes only from the sourced glossary; review sheets merge back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors.cli import run
from advisors.errors import DataError
from advisors.locale import CATALOG_DIR, Entry, Translator, load_catalog, parse_po
from advisors.output.translations.coverage import catalog_coverage, outputs_of
from advisors.output.translations.glossary import GLOSSARY, Term, fill_from_glossary, read_glossary
from advisors.output.translations.pofile import format_po
from advisors.output.translations.review import merge_review, review_rows

SHARED = Path("/work/shared/tibetan-glossary.tsv")


def _term(zh: str, bo: str, confidence: str = "exact match in source") -> Term:
    return Term(zh, bo, "", "https://example.org/src", confidence, 7)


def test_an_exact_term_is_sourced_an_inferred_one_fuzzy_and_the_rest_empty() -> None:
    entries = {e.msgid: e for e in fill_from_glossary(
        {"Law": "法律", "Time": "时间", "Other": "其他"},
        [_term("法律", "ཁྲིམས་ལུགས་"), _term("时间", "དུས་ཚོད།", "inferred component")])}
    assert entries["Law"].msgstr == "ཁྲིམས་ལུགས་" and not entries["Law"].fuzzy
    assert entries["Law"].status == "sourced" and "example.org" in entries["Law"].source
    assert entries["Time"].fuzzy and entries["Time"].status == "fuzzy"
    assert entries["Other"].status == "missing" and entries["Other"].msgstr == ""


def test_a_composition_of_sourced_parts_stays_fuzzy_and_names_each_part() -> None:
    [entry] = fill_from_glossary({"County court": "县法院"},
                                 [_term("县", "རྫོང་།"), _term("法院", "ཁྲིམས་ཁང་")])
    assert entry.fuzzy and entry.msgstr == "རྫོང་ཁྲིམས་ཁང་"
    assert sum(c.startswith("source:") for c in entry.comments) == 2
    [partial] = fill_from_glossary({"County office": "县办公室"}, [_term("县", "རྫོང་།")])
    assert partial.msgstr == ""  # one unsourced part: nothing


def test_a_reviewed_entry_outranks_the_glossary() -> None:
    held = Entry("Law", "ཁྲིམས།", comments=("reviewed-by: 才让 2026-12-01",))
    [entry] = fill_from_glossary({"Law": "法律"}, [_term("法律", "ཁྲིམས་ལུགས་")], {"Law": held})
    assert entry is held


def test_the_bundled_catalog_is_exactly_what_the_glossary_gives() -> None:
    if SHARED.is_file():
        assert GLOSSARY.read_bytes() == SHARED.read_bytes(), "bundled glossary is stale"
    chinese = {m: e.msgstr for (_, m), e in load_catalog("zh").entries.items()}
    bundled = parse_po((CATALOG_DIR / "bo.po").read_text("utf-8"))
    expected = fill_from_glossary(chinese, read_glossary())
    assert sorted(bundled, key=lambda e: e.msgid) == expected
    tibetan = [e for e in bundled if e.msgstr]
    assert tibetan, "the glossary covers at least one string"
    for entry in tibetan:
        assert entry.source, f"{entry.msgid}: Tibetan without a recorded source"


def test_po_comments_and_flags_round_trip() -> None:
    entries = [Entry("A", "ཀ", fuzzy=True, comments=("source: x \"y\"", "needs review")),
               Entry("B\n", "ཁ\t", comments=("reviewed-by: 卓玛 2026-12-02",))]
    again = parse_po(format_po("bo", entries))
    assert again == entries
    assert again[1].reviewer == "卓玛 2026-12-02" and again[1].status == "reviewed"


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_COMMENT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                   max_size=30).map(lambda t: " ".join(t.split()))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_TEXT.filter(bool), st.tuples(_TEXT, st.booleans(),
                                                     st.lists(_COMMENT, max_size=3)),
                       max_size=5))
def test_any_catalog_reads_back_as_written(messages: dict[str, tuple[str, bool, list[str]]]
                                           ) -> None:
    entries = [Entry(m, text, fuzzy=fuzzy, comments=tuple(notes))
               for m, (text, fuzzy, notes) in sorted(messages.items())]
    assert parse_po(format_po("bo", entries)) == entries


def test_coverage_counts_and_names_the_outputs_of_missing_strings() -> None:
    coverage = catalog_coverage("bo")
    assert sum(coverage.counts.values()) == len(coverage.rows) == len(load_catalog("zh").entries)
    row = next(r for r in coverage.rows if r.msgid == "Village legal advisor notice board")
    assert row.status == "missing" and row.outputs == ("notice boards",)
    assert "calendars" in outputs_of("Legal advisor service day: {village}")
    assert catalog_coverage("en").counts["missing"] == 0


def test_translations_command_prints_coverage_with_sources(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["translations", "--lang", "bo"]) == 0
    out = capsys.readouterr().out
    coverage = catalog_coverage("bo").counts
    assert f"{coverage['fuzzy']} fuzzy, {coverage['missing']} missing" in out
    assert "source: glossary line" in out and "Chinese only in: notice boards" in out
    assert "CLDR bo via Babel" in out


def _sheet(**overrides: str) -> dict[str, str]:
    row = dict(zip(("english", "chinese", "tibetan", "status", "source", "outputs", "reviewer",
                    "date"), review_rows()[0], strict=True))
    return {**row, **overrides}


def test_a_reviewed_row_is_used_and_a_draft_stays_out_until_reviewed(tmp_path: Path) -> None:
    rows = [_sheet(english="Time", tibetan="དུས་ཚོད།", reviewer="卓玛", date="2026-12-02"),
            _sheet(english="Legal advisor", tibetan="ཁྲིམས་ལུགས་", reviewer="")]
    summary = merge_review(enumerate(rows, start=2), tmp_path, source="review.xlsx",
                           today=dt.date(2026, 12, 3))
    assert (summary.reviewed, summary.drafts) == (1, 1)
    entries = {e.msgid: e for e in parse_po((tmp_path / "bo.po").read_text("utf-8"))}
    assert entries["Time"].reviewer == "卓玛 2026-12-02" and "glossary" in entries["Time"].source
    assert entries["Legal advisor"].fuzzy
    translator = Translator.load(extra_dirs=[tmp_path])
    assert translator.get("Time", "bo") == "དུས་ཚོད།"
    assert translator.get("Legal advisor", "bo") is None
    assert Translator.load(extra_dirs=[tmp_path], review=True).get(
        "Legal advisor", "bo") == "⚠ཁྲིམས་ལུགས་"
    assert (CATALOG_DIR / "bo.po").read_text("utf-8").count("卓玛") == 0  # package untouched


def test_bad_sheet_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [_sheet(english="No such id"), _sheet(english="Time", tibetan="时间"),
            _sheet(english="Name", tibetan="", reviewer="卓玛"),
            _sheet(english="Date", tibetan="ཉིན།", reviewer="x", date="yesterday")]
    with pytest.raises(DataError) as info:
        merge_review(enumerate(rows, start=2), tmp_path, source="review.xlsx")
    assert [(p.line, p.field) for p in info.value.problems] == [
        (2, "english"), (3, "tibetan"), (4, "tibetan"), (5, "date")]
    assert "review.xlsx:3" in str(info.value)
    assert not (tmp_path / "bo.po").exists()
