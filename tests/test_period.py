"""Planning periods as people write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors import DataError
from advisors.period import Period

D = dt.date


@pytest.mark.parametrize("text, start, end, label", [
    ("2026-12", D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
    ("2027-2", D(2027, 2, 1), D(2027, 2, 28), "2027-02"),
    ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "2028-02"),
    ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), "2026-Q4"),
    ("2027q1", D(2027, 1, 1), D(2027, 3, 31), "2027-Q1"),
    ("2027", D(2027, 1, 1), D(2027, 12, 31), "2027"),
    ("2026-12-01..2027-02-28", D(2026, 12, 1), D(2027, 2, 28), "2026-12-01..2027-02-28"),
    (" 2026-12 ", D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
])
def test_parse(text: str, start: dt.date, end: dt.date, label: str) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.label, str(p)) == (start, end, label, label)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-12", "december", "",
                                  "2027-03-01..2027-02-01", "2026-02-30..2026-03-01"])
def test_bad_periods_are_data_errors(text: str) -> None:
    with pytest.raises(DataError) as info:
        Period.parse(text)
    assert info.value.problems[0].field == "period"


def test_months_and_quarters_of_a_span() -> None:
    p = Period.parse("2026-11-15..2027-04-10")
    months = p.months()
    assert [m.label for m in months] == ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03",
                                         "2027-04"]
    assert months[0].start == D(2026, 11, 15) and months[-1].end == D(2027, 4, 10)
    assert [q.label for q in p.quarters()] == ["2026-Q4", "2027-Q1", "2027-Q2"]
    assert D(2027, 1, 1) in p and D(2027, 4, 11) not in p and "2027-01-01" not in p


@settings(max_examples=80, deadline=None)
@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)), st.integers(0, 800))
def test_months_and_quarters_partition_the_days(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    p = Period.parse(f"{start}..{end}")
    assert len(p.days) == length + 1
    for parts in (p.months(), p.quarters()):
        days = [d for part in parts for d in part.days]
        assert days == p.days  # in order, no gap, no overlap
        assert all(part.start.month == part.end.month or part in p.quarters()
                   for part in parts)
    assert all(m.start.month == m.end.month and m.start.year == m.end.year for m in p.months())


def test_periods_order_by_dates() -> None:
    assert Period.parse("2026-11") < Period.parse("2026-12") < Period.parse("2027")
