"""The service ledger (一村一卷，一事一记): what advisors really did, and what villagers said.

A deployment keeps two files next to its dataset (the dataset loader ignores
them; this module reads them):

``services.csv`` — one row per service actually given::

    advisor,village,date,start,end,kind,people_served,consultations,appointment,note,villagers
    adv-01,longwu-siheji,2026-10-09,09:00,17:00,duty_day,14,land_contract:3;debt:1,,村委会坐班,

``feedback.csv`` — villagers' satisfaction scores::

    advisor,village,date,score
    adv-01,longwu-siheji,2026-10-20,5

Every cell is checked and every problem located (``services.csv:14
[kind]``); references to unknown advisors and villages are errors too.
Villagers' names (``villagers``) are optional, dropped on reading unless the
policy's ``[ledger] keep_names`` says otherwise, and never reach a public
output: only counts do. Portals can hand rows as mappings
(:func:`services_from_rows`) or a JSON list of objects with the same keys.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ..data.columns import Column, FileSpec, _choice, _count, _date, _ident, _one_of, _text
from ..data.dataset import Dataset
from ..data.records import csv_locator, parse_rows
from ..data.text import csv_rows, decode
from ..errors import DataError, ProblemList
from ..locale.codes import CODE_SETS
from ..policy import minutes_of, parse_hhmm

__all__ = [
    "FEEDBACK",
    "SERVICES",
    "SERVICE_KINDS",
    "VISIT_KINDS",
    "Feedback",
    "ServiceRecord",
    "feedback_from_rows",
    "read_feedback",
    "read_services",
    "services_from_rows",
]

SERVICE_KINDS: Final = CODE_SETS["service_kind"]
"""Kinds of service a ledger row records."""
VISIT_KINDS: Final = ("duty_day", "lecture")
"""Kinds that are a service day in the village, matched against planned visits."""
SCORES: Final = (1, 2, 3, 4, 5)
"""Accepted satisfaction scores."""


def _topics(raw: str) -> dict[str, int]:
    """``land_contract:3;debt:1`` → ``{"debt": 1, "land_contract": 3}``."""
    out: dict[str, int] = {}
    for part in raw.replace("；", ";").replace("：", ":").split(";"):
        if not part.strip():
            continue
        topic, sep, count = part.partition(":")
        topic = _ident(topic.strip())
        out[topic] = out.get(topic, 0) + (_count(count.strip()) if sep else 1)
    return dict(sorted(out.items()))


def _hhmm(raw: str) -> str:
    """``09:00``; spreadsheets also write ``9:00`` and ``09:00:00``, read as ``09:00``."""
    parts = raw.replace("：", ":").split(":")
    if len(parts) == 3 and parts[2] == "00":
        parts = parts[:2]
    if len(parts) == 2 and len(parts[0]) == 1:
        parts[0] = "0" + parts[0]
    text = ":".join(parts)
    parse_hhmm(text)
    return text


def _names(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.replace("；", ";").split(";") if p.strip())


def _score(raw: str) -> int:
    value = _count(raw)
    if value not in SCORES:
        raise ValueError
    return value


def _sorted_map(value: Mapping[str, int]) -> Mapping[str, int]:
    return dict(sorted(value.items()))


@attrs.frozen
class ServiceRecord:
    """One service actually given, as the ledger records it."""

    advisor: str
    village: str
    date: dt.date
    start: str
    """Local time ``HH:MM``."""
    end: str
    kind: str
    """One of :data:`SERVICE_KINDS`."""
    people_served: int | None = None
    """Villagers served; ``None`` when the row leaves it empty (an incomplete record)."""
    consultations: Mapping[str, int] = attrs.field(factory=dict, converter=_sorted_map)
    """Consultations by topic id."""
    note: str = ""
    """Free text: what was done; never a villager's name in public output."""
    villagers: tuple[str, ...] = ()
    """Names of villagers served, only when the policy keeps them; never public."""
    appointment: str = ""
    """For a home visit: the portal's opaque id of the planned appointment it keeps."""
    source: str = "services"
    """Where the record was read (file name) — for located warnings."""
    line: int | None = None
    """Line in ``source`` (the header is line 1)."""

    @property
    def ref(self) -> str:
        """``services.csv:14`` — where to find the record."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    @property
    def is_visit(self) -> bool:
        """A service day in the village (duty day or lecture)."""
        return self.kind in VISIT_KINDS

    @property
    def minutes(self) -> tuple[int, int]:
        """Start and end in minutes after midnight."""
        return minutes_of(self.start), minutes_of(self.end)

    @property
    def key(self) -> tuple[dt.date, str, str, str, str, int]:
        """Sort order: date, start, advisor, village, kind, line."""
        return (self.date, self.start, self.advisor, self.village, self.kind, self.line or 0)

    def as_dict(self, *, private: bool = False) -> dict[str, Any]:
        """Plain form; villagers' names only with ``private=True``."""
        out: dict[str, Any] = {
            "advisor": self.advisor, "village": self.village, "date": self.date.isoformat(),
            "start": self.start, "end": self.end, "kind": self.kind,
            "people_served": self.people_served, "consultations": dict(self.consultations),
            "note": self.note, "appointment": self.appointment, "ref": self.ref}
        if private:
            out["villagers"] = list(self.villagers)
        return out


@attrs.frozen
class Feedback:
    """One villager's satisfaction score (1–5) for an advisor's service."""

    advisor: str
    village: str
    date: dt.date
    score: int
    source: str = "feedback"
    """File the score was read from."""
    line: int | None = None
    """Line in ``source``."""


def _col(name: str, parse: Any, expected: str) -> Column:
    return Column(name, parse, expected)


def _opt(name: str, parse: Any, expected: str, default: Any = "") -> Column:
    return Column(name, parse, expected, required=False, default=default)


SERVICES: Final = FileSpec("services", ServiceRecord, (
    _col("advisor", _ident, "an advisor id"),
    _col("village", _ident, "a village id"),
    _col("date", _date, "a date YYYY-MM-DD"),
    _col("start", _hhmm, "a time of day HH:MM"),
    _col("end", _hhmm, "a time of day HH:MM"),
    _col("kind", _choice("service_kind"), _one_of("service_kind")),
    _opt("people_served", _count, "a whole number ≥ 0", None),
    Column("consultations", _topics, "topic:count pairs separated by ';'", required=False,
           default={}),
    _opt("note", _text, "text"),
    _opt("villagers", _names, "names separated by ';'", ()),
    _opt("appointment", _text, "the appointment's id"),
), key=None)
"""Columns of ``services.csv`` (documented in ``docs/ledger.md``)."""

FEEDBACK: Final = FileSpec("feedback", Feedback, (
    _col("advisor", _ident, "an advisor id"),
    _col("village", _ident, "a village id"),
    _col("date", _date, "a date YYYY-MM-DD"),
    _col("score", _score, "a whole number 1 to 5"),
), key=None)
"""Columns of ``feedback.csv``."""


def _check_refs(records: Sequence[ServiceRecord | Feedback], dataset: Dataset,
                problems: ProblemList) -> list[Any]:
    kept = []
    for r in records:
        ok = True
        if r.advisor not in dataset.advisor_by_id:
            problems.add(r.source, "unknown advisor", line=r.line, field="advisor",
                         value=r.advisor, expected="an id from advisors.csv")
            ok = False
        if r.village not in dataset.village_by_id:
            problems.add(r.source, "unknown village", line=r.line, field="village",
                         value=r.village, expected="an id from villages.csv")
            ok = False
        if isinstance(r, ServiceRecord) and r.minutes[1] <= r.minutes[0]:
            problems.add(r.source, "ends before it starts", line=r.line, field="end",
                         value=r.end, expected=f"a time after {r.start}")
            ok = False
        if ok:
            kept.append(r)
    return kept


def _parse(spec: FileSpec, header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]],
           source: str, problems: ProblemList) -> list[Any]:
    parsed = parse_rows(spec, header, rows, csv_locator(source), problems)
    return [attrs.evolve(r, source=source, line=line)
            for r, line in zip(parsed.records, parsed.lines, strict=True)]


def _dict_rows(spec: FileSpec, rows: Iterable[Mapping[str, Any]]
               ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header = [c.name for c in spec.columns]
    out = []
    for i, row in enumerate(rows):
        cells = []
        for name in header:
            value = row.get(name)
            if isinstance(value, Mapping):
                value = ";".join(f"{k}:{v}" for k, v in value.items())
            elif isinstance(value, list | tuple):
                value = ";".join(str(v) for v in value)
            cells.append("" if value is None else str(value))
        out.append((i + 1, cells))
    return header, out


def _finish(records: list[Any], dataset: Dataset, problems: ProblemList) -> list[Any]:
    kept = _check_refs(records, dataset, problems)
    problems.raise_if_any()
    if not dataset.policy.ledger.keep_names:
        kept = [attrs.evolve(r, villagers=()) if getattr(r, "villagers", ()) else r
                for r in kept]
    return sorted(kept, key=lambda r: (r.date, getattr(r, "start", ""), r.advisor, r.village,
                                       r.line or 0))


def services_from_rows(rows: Iterable[Mapping[str, Any]], dataset: Dataset,
                       source: str = "services") -> list[ServiceRecord]:
    """Records from mappings with the columns of ``services.csv`` (a portal's API).

    Raises DataError listing every problem, located by ``source`` and row number.
    """
    problems = ProblemList()
    header, body = _dict_rows(SERVICES, rows)
    return _finish(_parse(SERVICES, header, body, source, problems), dataset, problems)


def feedback_from_rows(rows: Iterable[Mapping[str, Any]], dataset: Dataset,
                       source: str = "feedback") -> list[Feedback]:
    """Scores from mappings with the columns of ``feedback.csv``."""
    problems = ProblemList()
    header, body = _dict_rows(FEEDBACK, rows)
    return _finish(_parse(FEEDBACK, header, body, source, problems), dataset, problems)


def _read(spec: FileSpec, path: Path, dataset: Dataset) -> list[Any]:
    problems = ProblemList()
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            problems.add(path.name, "not valid JSON", value=str(exc)[:80],
                         expected="a list of objects")
            problems.raise_if_any()
        if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
            problems.add(path.name, "not a list of objects", expected="a list of objects")
            problems.raise_if_any()
        header, body = _dict_rows(spec, data)
        return _finish(_parse(spec, header, body, path.name, problems), dataset, problems)
    text = decode(path.read_bytes(), path.name, problems)
    if text is None:
        raise DataError(problems.items)
    header, rows = csv_rows(text, path.name, problems)
    if not header:
        return []
    return _finish(_parse(spec, header, rows, path.name, problems), dataset, problems)


def read_services(path: Path | str, dataset: Dataset) -> list[ServiceRecord]:
    """Read ``services.csv`` (or ``.json``); a missing file is an empty ledger.

    Raises DataError listing every bad cell and unknown reference, located.
    """
    path = Path(path)
    return _read(SERVICES, path, dataset) if path.exists() else []


def read_feedback(path: Path | str, dataset: Dataset) -> list[Feedback]:
    """Read ``feedback.csv`` (or ``.json``); a missing file means no scores."""
    path = Path(path)
    return _read(FEEDBACK, path, dataset) if path.exists() else []
