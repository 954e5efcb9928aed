"""Write a dataset workbook: the template an office fills in, or a dataset as a workbook.

Every sheet has a frozen, bilingual header row (``名称 (name)``), column
widths that fit, an autofilter, and drop-down lists where a column takes a
fixed set of values — village kinds, service classes, roles, statuses,
true/false — or the id of a record on another sheet (township, village,
advisor, person). Languages get a list of suggestions that still accepts
other tags. A ``说明`` sheet explains the workbook in Chinese. The workbook
reads back (:func:`advisors_xlsx.reader.read_workbook`) to an equal Dataset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from advisors.data.columns import FILES, REQUIRED_FILES, format_cell
from advisors.data.dataset import COLLECTIONS, Dataset
from advisors.languages import chinese_names
from advisors.locale.codes import BOOLEAN_NAMES, CODE_SETS, code_name
from advisors.policy import Policy

from .aliases import COLUMN_LABELS, INSTRUCTIONS_SHEET, SHEET_LABELS
from .book import save_book, set_widths, style_header
from .cells import DATE_COLUMNS
from .settings import (
    FESTIVAL_COLUMNS,
    HOLIDAY_COLUMNS,
    POLICY_COLUMNS,
    festival_rows,
    holiday_rows,
    policy_rows,
)

__all__ = ["CHOICES", "REFERENCES", "header_text", "template_book", "write_template"]

SPARE_ROWS = 1000
"""Rows below the data that keep the drop-downs, for records still to be typed."""
CODED: dict[tuple[str, str], str] = {
    ("villages", "kind"): "village_kind",
    ("villages", "service_class"): "service_class",
    ("advisors", "role"): "advisor_role",
    ("people", "role"): "person_role",
    ("people", "status"): "person_status",
    ("holidays", "kind"): "holiday_kind",
}
"""Columns holding a code, and its field in :mod:`advisors.locale.codes`."""
FLAGS: frozenset[tuple[str, str]] = frozenset({
    ("advisors", "hotline"), ("advisors", "active"), ("assignments", "pinned")})
"""Yes/no columns, shown 是/否."""
BOOL = (BOOLEAN_NAMES[True], BOOLEAN_NAMES[False])
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    **{key: tuple(code_name(field, c) for c in CODE_SETS[field]) for key, field in CODED.items()},
    **dict.fromkeys(FLAGS, BOOL),
}
"""Drop-downs whose values are fixed, in Chinese: these (or the codes) are accepted."""
REFERENCES: dict[tuple[str, str], str] = {
    ("villages", "township"): "townships",
    ("venues", "township"): "townships",
    ("people", "village"): "villages",
    ("assignments", "village"): "villages",
    ("assignments", "advisor"): "advisors",
    ("attendance", "person"): "people",
}
"""Drop-downs listing the ids of another sheet (its first column)."""
TEXT_COLUMNS = frozenset({"id", "phone", "languages", "village", "township", "advisor", "who",
                          "person", "value", "session", "from", "to"})
LANGUAGE_COLUMNS = frozenset({"villages", "advisors", "trainers", "people"})
COMMON_LANGUAGES = ("汉语", "藏语", "藏语;汉语", "藏汉双语")

INSTRUCTIONS = (
    "本工作簿是 advisors（村（居）法律顾问、12348 热线值班、法律明白人培训排班）的数据表。",
    "填写后运行：advisors check 本文件.xlsx　检查数据；",
    "　　　　　　advisors plan 本文件.xlsx --out 输出文件夹　生成排班。",
    "",
    "填写规则：",
    "1. 每个工作表一行一条记录；第一行是表头，请不要修改或删除表头"
    "（可以调整列的顺序，可以增加自己的列，如\"备注\"，会原样保留）。",
    "2. 编号（id）只能用字母、数字、\"_\"、\".\"、\"-\"，在所有工作表中不得重复；"
    "其他表通过编号引用（例如村（社区）的\"所属乡镇\"填乡镇的编号）。",
    "3. 有下拉箭头的单元格请从下拉列表中选择；\"语言\"填语言名称，"
    "多种语言用分号分隔，如 藏语;汉语（也可写 藏汉双语，或语言代码 bo;zh）。",
    "4. 日期可以按 Excel 日期输入，也可以输入文字 2026-12-01、2026/12/1 或 2026年12月1日。",
    "5. 纬度、经度填十进制度数（例如 35.5169、102.0204）。",
    "6. 检查出的每个问题都会给出工作表和单元格，例如 villages!C14 表示 villages 表第 14 行 C 列。",
    "7. 必填的工作表：townships、villages、advisors、trainers、people；其余工作表可以留空。",
    "8. \"工作规则\"（policy）表：只在\"取值\"列填写与默认值不同的设置，留空即使用默认值。",
    "9. 节日（festivals）表填写当地节日（不安排走访和培训）；"
    "国家法定节假日和调休由程序自动获取，不必填写。",
    "",
    "各工作表：",
)
"""The instructions sheet's text, one line a row."""


def header_text(column: str) -> str:
    """The template's header for a column: ``名称 (name)``; the reader takes either part."""
    label = COLUMN_LABELS.get(column)
    return f"{label} ({column})" if label else column


def _cell_value(value: Any) -> Any:
    """What a cell holds: numbers and dates typed, everything else as the folder's text."""
    if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        return value
    return format_cell(value) or None


def _shown(title: str, columns: Sequence[str]) -> list[Any]:
    """Per column, how a value is shown: a code by its Chinese name, yes/no as 是/否."""
    def show(column: str) -> Any:
        field = CODED.get((title, column))
        if field is not None:
            return lambda v: code_name(field, v) if isinstance(v, str) else v
        if (title, column) in FLAGS:
            return lambda v: BOOLEAN_NAMES[v] if isinstance(v, bool) else v
        if column == "languages" and title in LANGUAGE_COLUMNS:
            return lambda v: chinese_names(v, ";") if isinstance(v, tuple) else v
        return None
    return [show(c) for c in columns]


def _sheet(book: Workbook, title: str, columns: Sequence[str],
           rows: Sequence[Sequence[Any]]) -> Worksheet:
    ws = book.create_sheet(title)
    ws.append([header_text(c) for c in columns])
    shown = _shown(title, columns)
    for r, row in enumerate(rows, start=2):
        values = [_cell_value(show(v) if show else v) for show, v in zip(shown, row,
                                                                          strict=False)]
        ws.append(values)
        for c, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                ws.cell(r, c).data_type = "s"  # a name typed "=..." is text, never a formula
    width = len(columns)
    style_header(ws, 1, width, wrap=False)
    ws.freeze_panes = "A2"
    last = get_column_letter(width)
    ws.auto_filter.ref = f"A1:{last}{max(2, len(rows) + 1)}"
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sample = [r[i - 1] for r in rows[:200]]
        if any(isinstance(v, dt.date) for v in sample) or column in DATE_COLUMNS:
            number_format = "yyyy-mm-dd"
        elif column in TEXT_COLUMNS:
            # Text, so that Excel keeps 0-led ids and long phone numbers as typed.
            number_format = "@"
        else:
            continue
        # The column's format applies to rows still to be typed; written cells get their own.
        ws.column_dimensions[letter].number_format = number_format
        for r in range(2, len(rows) + 2):
            ws[f"{letter}{r}"].number_format = number_format
    set_widths(ws, [[header_text(c), *(r[i] for r in rows[:500])]
                    for i, c in enumerate(columns)])
    return ws


def _validate(ws: Worksheet, collection: str, columns: Sequence[str], count: int,
              languages: Sequence[str]) -> None:
    end = count + SPARE_ROWS + 1
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        key = (collection, column)
        rule: DataValidation | None = None
        if key in CHOICES:
            rule = DataValidation(type="list", formula1='"' + ",".join(CHOICES[key]) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="不在列表中",
                                  error="请从下拉列表中选择：" + "、".join(CHOICES[key]))
        elif key in REFERENCES:
            target = REFERENCES[key]
            rule = DataValidation(type="list", formula1=f"{target}!$A$2:$A${end + 10000}",
                                  allow_blank=True, showErrorMessage=True, errorTitle="编号不存在",
                                  error=f"请填写 {target}（{SHEET_LABELS[target]}）表中已有的编号")
        elif column == "languages" and collection in LANGUAGE_COLUMNS:
            rule = DataValidation(type="list", formula1='"' + ",".join(languages) + '"',
                                  allow_blank=True, showErrorMessage=False)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{end}")
            ws.add_data_validation(rule)


def _languages(dataset: Dataset | None) -> list[str]:
    seen = dict.fromkeys(COMMON_LANGUAGES)
    if dataset is not None:
        for name in LANGUAGE_COLUMNS:
            for record in getattr(dataset, name):
                if record.languages:
                    seen.setdefault(chinese_names(record.languages, ";"))
    # An inline list holds at most 255 characters.
    out: list[str] = []
    for tag in seen:
        if len(",".join([*out, tag])) > 250:
            break
        out.append(tag)
    return out


def _instructions(book: Workbook) -> None:
    ws = book.active
    assert ws is not None
    ws.title = INSTRUCTIONS_SHEET
    for line in INSTRUCTIONS:
        ws.append([line])
    ws.append([])
    header = ["工作表", "中文名称", "必填", "列（中文名称 (列名)）"]
    ws.append(header)
    style_header(ws, ws.max_row, len(header), wrap=False)
    for name in (*COLLECTIONS, "festivals", "holidays", "policy"):
        if name in FILES:
            columns = [(c.name, c.required) for c in FILES[name].columns]
        else:
            columns = [(c, True) for c in {"festivals": FESTIVAL_COLUMNS,
                                           "holidays": HOLIDAY_COLUMNS,
                                           "policy": POLICY_COLUMNS}[name]]
        names = "，".join(header_text(c) + ("" if required else "（选填）")
                         for c, required in columns)
        ws.append([name, SHEET_LABELS[name], "是" if name in REQUIRED_FILES else "否", names])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 6
    ws.column_dimensions["D"].width = 120


def template_book(dataset: Dataset | None = None) -> Workbook:
    """The workbook: headers and drop-downs, and the dataset's records when one is given."""
    book = Workbook()
    _instructions(book)
    languages = _languages(dataset)
    for name in COLLECTIONS:
        spec = FILES[name]
        columns = [c.name for c in spec.columns]
        records = getattr(dataset, name) if dataset is not None else ()
        extra = dataset.extras.get(spec.filename, {}) if dataset is not None else {}
        extra_names = sorted({k for row in extra.values() for k in row})
        rows = []
        for i, record in enumerate(records):
            row = [getattr(record, c.target) for c in spec.columns]
            if extra_names:
                key = str(getattr(record, spec.key)) if spec.key else str(i)
                row += [extra.get(key, {}).get(n) for n in extra_names]
            rows.append(row)
        ws = _sheet(book, name, [*columns, *extra_names], rows)
        _validate(ws, name, columns, len(rows), languages)
    calendar = dataset.calendar if dataset is not None else None
    festivals = festival_rows(calendar) if calendar is not None else []
    _sheet(book, "festivals", FESTIVAL_COLUMNS, festivals)
    holidays = holiday_rows(calendar) if calendar is not None else []
    ws = _sheet(book, "holidays", HOLIDAY_COLUMNS, holidays)
    _validate(ws, "holidays", HOLIDAY_COLUMNS, len(holidays), languages)
    policy = dataset.policy if dataset is not None else Policy()
    _sheet(book, "policy", POLICY_COLUMNS, policy_rows(policy))
    return book


def write_template(path: str | Path, dataset: Dataset | None = None) -> None:
    """Write the workbook to ``path`` (atomically; the same input gives the same bytes)."""
    save_book(template_book(dataset), Path(path))
