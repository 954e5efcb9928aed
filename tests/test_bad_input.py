"""Bad input of every class the safety issue lists: the real CLI answers exit 2, located.

Each case edits one value of a small valid dataset (cut from the Tongren
example), runs ``advisors plan`` as a user does, and checks the answer: exit
2, the file and line (or key) and field named, no traceback, nothing written.
The open-ended class — any text in any text field — is a hypothesis property.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .corpus.cli import assert_refused, dataset, plan, set_cell

# --- one value in one CSV cell -----------------------------------------------------------

CELLS = [
    # integers too large for the solvers
    ("advisors.csv", "capacity", "1e20", "[capacity]"),
    ("advisors.csv", "capacity", "99999999999999999999", "[capacity]"),
    ("venues.csv", "capacity", "100000000000", "[capacity]"),
    ("trainers.csv", "max_sessions_per_month", "9" * 25, "[max_sessions_per_month]"),
    ("villages.csv", "population", "1e30", "[population]"),
    # a newline or a control character in a name (ICS headers, openpyxl)
    ("advisors.csv", "name", "才让\n多杰", "[name]"),
    ("advisors.csv", "name", "才让\x01多杰", "[name]"),
    ("advisors.csv", "organization", "律\x0b所", "[organization]"),
    ("villages.csv", "name", "隆务\u2028村", "[name]"),
    ("townships.csv", "name", "镇\x7f", "[name]"),
    ("people.csv", "name", "a\x1bb", "[name]"),
    ("people.csv", "name", "a\rb", ""),  # a bare CR ends the line: the row is told broken
    ("trainers.csv", "phone", "100\n00", "[phone]"),
    # field length limits (a 50 MB name planned into gigabytes of output)
    ("advisors.csv", "name", "名" * 5000, "[name]"),
    ("venues.csv", "name", "x" * 100_000, "[name]"),
    # one email address, not two, not a header
    ("advisors.csv", "email", "a@example.org, b@example.org", "[email]"),
    ("advisors.csv", "email", "a@example.org\r\nBcc: b@example.org", "[email]"),
    ("trainers.csv", "email", "Name <a@example.org>", "[email]"),
    ("advisors.csv", "email", "\u202e@example.org", "[email]"),
    # 3_5.5 is not 35.5
    ("villages.csv", "lat", "3_5.5", "[lat]"),
    ("advisors.csv", "capacity", "1_0", "[capacity]"),
    # dates no calendar needs
    ("unavailability.csv", "end", "9999-12-31", "[end]"),
]


@pytest.mark.parametrize(("filename", "column", "value", "field"), CELLS,
                         ids=[f"{c[0]}:{c[1]}:{c[2][:12]!r}" for c in CELLS])
def test_bad_cell_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             filename: str, column: str, value: str, field: str) -> None:
    data = dataset(tmp_path)
    line = set_cell(data, filename, 0, column, value)
    outcome = plan(data, tmp_path / "out", capsys)
    assert_refused(outcome, f"{filename}:{line}", field)


def test_cells_beyond_the_header_are_refused(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    lines = (data / "villages.csv").read_text("utf-8").splitlines()
    lines[2] += ",stray"
    (data / "villages.csv").write_text("\n".join(lines) + "\n", "utf-8")
    assert_refused(plan(data, tmp_path / "out", capsys), "villages.csv:3", "stray")


# --- policy.toml and calendar.toml ----------------------------------------------------------

POLICY = [
    ("road_factor = inf\n", "[road_factor]"),
    ("road_factor = nan\n", "[road_factor]"),
    ("speed_kmh = 1e300\n", "[speed_kmh]"),
    ('timezone = "Mars/Olympus"\n', "[timezone]"),
    ("[assignment]\ndefault_capacity = 99999999999999999999\n", "[assignment.default_capacity]"),
    ('[hotline]\nshifts = [["14:00", "08:00"]]\n', "[hotline.shifts[0]]"),
    ('[visits]\nstart = "17:00"\nend = "09:00"\n', "[visits.start/end]"),
    ('[training]\nsession_start = "12:30"\nsession_end = "09:30"\n',
     "[training.session_start/session_end]"),
    ("[calendar]\nalarm_minutes = [99999999999]\n", "[calendar.alarm_minutes[0]]"),
    ("[calendar]\ncancelled_retention_days = 999999\n", "[calendar.cancelled_retention_days]"),
    ('[ledger]\nwrong_advisor = "maybe"\n', "[ledger.wrong_advisor]"),
    ('[calendar]\norganizer_email = "a@example.org, b@example.org"\n',
     "[calendar.organizer_email]"),
    ('[calendar]\nuid_domain = "a b\\nc"\n', "[calendar.uid_domain]"),
    ('[calendar]\norganizer_name = "司法局\\r\\nBcc: x@example.org"\n',
     "[calendar.organizer_name]"),
]


@pytest.mark.parametrize(("toml", "field"), POLICY, ids=[p[1] for p in POLICY])
def test_bad_policy_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               toml: str, field: str) -> None:
    data = dataset(tmp_path)
    text = (data / "policy.toml").read_text("utf-8")
    if toml.startswith("[hotline]"):  # the file has this section: replace its shifts
        text = text.replace('shifts = [["08:00", "14:00"]]', toml.split("\n", 1)[1].strip())
    elif toml.startswith("["):
        text = text + "\n" + toml
    else:
        text = toml + text
    (data / "policy.toml").write_text(text, "utf-8")
    assert_refused(plan(data, tmp_path / "out", capsys), "policy.toml", field)


CALENDAR = [
    ('[[festival]]\nname = "x"\nstart = 2026-12-02\nend = 2026-12-03\ntownships = ["nowhere"]\n',
     "townships]", "nowhere"),
    ("[year.20266]\nholidays = []\nworkdays = []\n", "[year.20266]", ""),
    ("[year.1850]\nholidays = []\nworkdays = []\n", "[year.1850]", ""),
    ("[year.2026]\nholidays = [2031-01-01]\nworkdays = []\n", "[year.2026.holidays]", "2031"),
    ('[[festival]]\nname = "x"\nstart = 9999-12-30\nend = 9999-12-31\n', ".end]", ""),
    ('[[festival]]\nname = "a\\u0001b"\nstart = 2026-12-02\nend = 2026-12-03\n', ".name]", ""),
]


@pytest.mark.parametrize(("toml", "field", "value"), CALENDAR, ids=[c[1] for c in CALENDAR])
def test_bad_calendar_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 toml: str, field: str, value: str) -> None:
    data = dataset(tmp_path)
    text = (data / "calendar.toml").read_text("utf-8").replace("year = {}\n", "")
    (data / "calendar.toml").write_text(text + "\n" + toml, "utf-8")
    assert_refused(plan(data, tmp_path / "out", capsys), "calendar.toml", field, value)


# --- a deployment's templates -----------------------------------------------------------------

TEMPLATES = [
    ("line one\n{% if %}\n", 2, "TemplateSyntaxError"),
    ("line one\nline two\n{{ no_such_name }}\n", 3, "UndefinedError"),
    ("x\n{{ village.__class__.__mro__ }}\n", 2, "SecurityError"),
    ("x\n{{ persons.append(1) }}\n", 2, "SecurityError"),
]


@pytest.mark.parametrize(("text", "line", "kind"), TEMPLATES, ids=[t[2] + str(t[1])
                                                                     for t in TEMPLATES])
def test_template_errors_name_the_template_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int,
        kind: str) -> None:
    data = dataset(tmp_path)
    folder = tmp_path / "mytemplates"
    folder.mkdir()
    (folder / "notice.html").write_text(text, "utf-8")
    outcome = plan(data, tmp_path / "out", capsys, "--templates", str(folder))
    assert_refused(outcome, f"notice.html:{line}", kind)


# --- weird --previous files -------------------------------------------------------------------

PREVIOUS = [
    ("[]", "$.format"),
    ("{}", "$.format"),
    ("[" * 100_000 + "]" * 100_000, "not a file an earlier run wrote"),
    ('{"format": "advisors-plan/1"}', "$.version"),
    ("not json at all", "not JSON"),
    ('{"format": "advisors-plan/1", "version": 1e999}', "$.version"),
    ("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "previous.json"),
]


@pytest.mark.parametrize(("text", "located"), PREVIOUS, ids=[p[1][:20] for p in PREVIOUS])
def test_weird_previous_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   text: str, located: str) -> None:
    data = dataset(tmp_path)
    previous = tmp_path / "previous.json"
    previous.write_text(text, "utf-8")
    outcome = plan(data, tmp_path / "out", capsys, "--previous", str(previous))
    assert_refused(outcome, "previous.json", located)


# --- arbitrary text in every text field -------------------------------------------------------

TEXT_FIELDS = [
    ("townships.csv", "name"), ("townships.csv", "name_bo"),
    ("villages.csv", "name"), ("villages.csv", "name_bo"),
    ("advisors.csv", "name"), ("advisors.csv", "organization"), ("advisors.csv", "phone"),
    ("advisors.csv", "email"),
    ("trainers.csv", "name"), ("trainers.csv", "phone"), ("trainers.csv", "email"),
    ("people.csv", "name"), ("people.csv", "phone"),
    ("venues.csv", "name"), ("unavailability.csv", "reason"),
]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(TEXT_FIELDS),
       text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)
       | st.sampled_from(["a\nb", "a,b", '"', "\x00", "=1+1", "../../x", "a" * 600, "\ufeff",
                          "<script>", "x@y.z, w@v.u", "\r\n", " ", "\u202e", "\U0001f600"]))
def test_any_text_in_any_field_is_planned_or_refused(
        tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
        field: tuple[str, str], text: str) -> None:
    root = tmp_path_factory.mktemp("text")
    data = dataset(root)
    set_cell(data, *field[:1], 0, field[1], text)
    outcome = plan(data, root / "out", capsys)
    assert outcome.code in (0, 2, 3), outcome.err
    assert "Traceback" not in outcome.err and "internal error" not in outcome.err
    if outcome.code == 2:
        assert not outcome.wrote and field[0] in outcome.err
