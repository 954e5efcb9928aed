"""The policy and the calendar as sheets, so that one workbook is a whole dataset.

``policy`` (工作规则) has one row per setting: ``key`` (``visits.max_per_day``),
``value`` and, for reference, ``default``. An empty value keeps the default.
A value is read as a TOML value (``2``, ``true``, ``["bo"]``,
``{ remote = 1 }``); text that is not TOML (``09:00``, ``joint``) is taken as
text. The rows become the nested table ``policy.toml`` would give, and the
core's :meth:`advisors.Policy.from_dict` judges them.

``festivals`` (节日) has the columns of ``[[festival]]`` in ``calendar.toml``
(``townships`` and ``villages`` separated by ``;``); ``holidays`` (节假日调整) has ``date``,
``kind`` (``holiday`` or ``workday``) and ``name``. A year's full official
schedule (``[year.YYYY]``) is not given in a workbook: keep a folder for it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs

from advisors.calendar import WorkCalendar
from advisors.errors import DataError, Problem
from advisors.locale.codes import CODE_SETS, choice_lookup, fold
from advisors.policy import Policy

from .cells import Sheet, cell_text

__all__ = [
    "FESTIVAL_COLUMNS",
    "HOLIDAY_COLUMNS",
    "POLICY_COLUMNS",
    "SETTINGS_COLUMNS",
    "festival_rows",
    "holiday_rows",
    "policy_cell",
    "policy_rows",
    "read_calendar",
    "read_policy",
    "toml_value",
]

POLICY_COLUMNS: Final = ("key", "value", "default")
FESTIVAL_COLUMNS: Final = ("name", "name_bo", "name_en", "start", "end", "townships",
                           "villages")
HOLIDAY_COLUMNS: Final = ("date", "kind", "name")
SETTINGS_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "policy": POLICY_COLUMNS,
    "festivals": FESTIVAL_COLUMNS,
    "holidays": HOLIDAY_COLUMNS,
}
"""Columns of the sheets that are not record collections."""
HOLIDAY_KINDS: Final = CODE_SETS["holiday_kind"]
HOLIDAY_LOOKUP: Final = choice_lookup("holiday_kind")

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Any) -> str:
    """``value`` as a policy cell: TOML, except text that would not read back as other TOML."""
    if isinstance(value, str):
        try:
            tomllib.loads(f"v = {value}")
        except tomllib.TOMLDecodeError:
            if value == value.strip() and value and "\n" not in value:
                return value  # 09:00, joint, Asia/Shanghai: typed as is
        return json.dumps(value, ensure_ascii=False)
    return _literal(value)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are TOML escapes
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_literal(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _leaves(policy: Policy) -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every setting; a section is a table, a mapping a value."""
    plain = policy.as_dict()
    for field in attrs.fields(Policy):
        value = getattr(policy, field.name)
        if attrs.has(type(value)):
            for key, item in plain[field.name].items():
                yield f"{field.name}.{key}", item
        else:
            yield field.name, plain[field.name]


def policy_rows(policy: Policy) -> list[tuple[str, str, str]]:
    """(key, value, default) of every setting; value empty where it is the default."""
    defaults = dict(_leaves(Policy()))
    rows = []
    for key, value in _leaves(policy):
        default = defaults[key]
        rows.append((key, "" if value == default else toml_value(value), toml_value(default)))
    return rows


def _parse_value(raw: Any) -> Any:
    if isinstance(raw, bool) or raw is None:
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)  # Excel's 2.0 is the 2 a whole-number setting wants
    if isinstance(raw, int | float):
        return raw
    text = cell_text(raw)
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def read_policy(sheet: Sheet) -> Policy:
    """The policy the sheet's rows set; raises DataError located at the cells."""
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    key_col = sheet.header.index("key") if "key" in sheet.header else None
    value_col = sheet.header.index("value") if "value" in sheet.header else None
    if key_col is None or value_col is None:
        missing = "key" if key_col is None else "value"
        raise DataError([Problem(sheet.cell(sheet.header_row, None), "missing column",
                                 field=missing, expected="columns key, value (default)")])
    for r, values in sheet.rows:
        key = cell_text(values[key_col] if key_col < len(values) else None).strip()
        raw = values[value_col] if value_col < len(values) else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if not key:
            problems.append(Problem(sheet.cell(r, "key"), "empty required field", field="key",
                                    expected="a setting such as visits.max_per_day"))
            continue
        *path, last = key.split(".")
        table = data
        for part in path:
            table = table.setdefault(part, {})
            if not isinstance(table, dict):
                break
        else:
            table[last] = _parse_value(raw)
    if problems:
        raise DataError(problems)
    try:
        return Policy.from_dict(data, source="policy")
    except DataError as exc:
        raise DataError([attrs.evolve(p, source=policy_cell(sheet, p.field))
                         for p in exc.problems]) from None


def policy_cell(sheet: Sheet, field: str | None) -> str:
    """The value cell of the row whose key ``field`` is (or starts), else the sheet."""
    if not field or "key" not in sheet.header:
        return sheet.title
    key_col = sheet.header.index("key")
    best: tuple[int, int] | None = None
    for r, values in sheet.rows:
        key = cell_text(values[key_col] if key_col < len(values) else None).strip()
        matches = key and (field == key or field.startswith((key + ".", key + "[")))
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), r)
    if best is None:
        return sheet.title
    return sheet.cell(best[1], "value")


def festival_rows(calendar: WorkCalendar) -> list[list[Any]]:
    """The festivals as rows of :data:`FESTIVAL_COLUMNS` (dates as dates)."""
    return [[f.name, f.name_bo, f.name_en, f.start, f.end, ";".join(f.townships),
             ";".join(f.villages)]
            for f in calendar.festivals]


def holiday_rows(calendar: WorkCalendar) -> list[list[Any]]:
    """Extra days off and working days as rows of :data:`HOLIDAY_COLUMNS`."""
    rows: list[list[Any]] = [[d, "holiday", n] for d, n in sorted(calendar.extra_holidays.items())]
    rows += [[d, "workday", n] for d, n in sorted(calendar.extra_workdays.items())]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _records(sheet: Sheet | None, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if sheet is None:
        return []
    out = []
    for r, cells in sheet.text_rows():
        record = {name: cells[i].strip() for i, name in enumerate(sheet.header)
                  if name in columns and i < len(cells)}
        out.append((r, record))
    return out


def read_calendar(festivals: Sheet | None, holidays: Sheet | None) -> WorkCalendar:
    """The calendar of the two sheets; raises DataError located at the cells."""
    problems: list[Problem] = []
    items: list[dict[str, Any]] = []
    festival_at: list[int] = []
    for r, rec in _records(festivals, FESTIVAL_COLUMNS):
        item: dict[str, Any] = {"name": rec.get("name", ""), "name_bo": rec.get("name_bo", ""),
                                "name_en": rec.get("name_en", ""),
                                "start": rec.get("start", ""),
                                **{key: [t.strip() for t in
                                         rec.get(key, "").replace("；", ";").split(";")
                                         if t.strip()] for key in ("townships", "villages")}}
        if rec.get("end"):
            item["end"] = rec["end"]
        items.append(item)
        festival_at.append(r)
    data: dict[str, Any] = {"festival": items, "holiday": [], "workday": []}
    day_at: dict[str, list[int]] = {"holiday": [], "workday": []}
    for r, rec in _records(holidays, HOLIDAY_COLUMNS):
        kind = HOLIDAY_LOOKUP.get(fold(rec.get("kind", "")) or "holiday", "")
        if not kind:
            assert holidays is not None
            problems.append(Problem(holidays.cell(r, "kind"), "unknown kind", field="kind",
                                    value=rec.get("kind"),
                                    expected="休息日 (holiday) or 调休上班 (workday)"))
            continue
        label = "name" if kind == "holiday" else "reason"
        data[kind].append({"date": rec.get("date", ""), label: rec.get("name", "")})
        day_at[kind].append(r)
    try:
        calendar = WorkCalendar.from_dict(data, source="calendar")
    except DataError as exc:
        problems += [_calendar_cell(p, festivals, holidays, festival_at, day_at)
                     for p in exc.problems]
        raise DataError(problems) from None
    if problems:
        raise DataError(problems)
    return calendar


_INDEXED = re.compile(r"(festival|holiday|workday)\[(\d+)\]\.?(\w*)")


def _calendar_cell(problem: Problem, festivals: Sheet | None, holidays: Sheet | None,
                   festival_at: list[int], day_at: dict[str, list[int]]) -> Problem:
    found = _INDEXED.match(problem.field or "")
    if not found:
        return problem
    kind, index, key = found.group(1), int(found.group(2)), found.group(3)
    sheet, rows = (festivals, festival_at) if kind == "festival" else (holidays, day_at[kind])
    if sheet is None or index >= len(rows):
        return problem
    column = {"reason": "name"}.get(key, key) or None
    return attrs.evolve(problem, source=sheet.cell(rows[index], column), field=column)
