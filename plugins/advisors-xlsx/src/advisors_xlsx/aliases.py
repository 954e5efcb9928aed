"""Sheet and column names a workbook may use: the folder format's names, and Chinese ones.

Offices name their sheets and headers in Chinese (``村(社区)``, ``所属乡镇``);
the values in coded columns (``律师``, ``是``) are read by the core's one table,
:mod:`advisors.locale.codes`, like a CSV folder's.
the reader maps every alias here to the column of
:data:`advisors.data.columns.FILES`, so the columns' rules stay the core's.
A header may also be written ``名称 (name)`` — a label followed by the
column name in brackets — which is how the template writes them.
"""

from __future__ import annotations

import re
from typing import Final

from advisors.locale.codes import fold

__all__ = [
    "CALENDAR_SHEETS",
    "COLUMN_ALIASES",
    "COLUMN_LABELS",
    "POLICY_SHEET",
    "SHEET_ALIASES",
    "SHEET_LABELS",
    "canonical_column",
    "canonical_sheet",
]

POLICY_SHEET: Final = "policy"
"""Sheet with the operating rules that differ from the defaults (key, value)."""
CALENDAR_SHEETS: Final = ("festivals", "holidays")
"""Sheets with the calendar: local festivals; extra days off and working days."""
INSTRUCTIONS_SHEET: Final = "说明"
"""The template's instructions sheet (ignored by the reader)."""

SHEET_LABELS: Final[dict[str, str]] = {
    "townships": "乡镇(街道)",
    "villages": "村(社区)",
    "advisors": "法律顾问",
    "trainers": "培训师资",
    "people": "法律明白人",
    "venues": "培训场地",
    "assignments": "顾问分配",
    "unavailability": "不可用时间",
    "requests": "法律援助申请",
    "attendance": "培训签到",
    "travel": "路程时间",
    "policy": "工作规则",
    "festivals": "节日",
    "holidays": "节假日调整",
}
"""The Chinese name of each sheet (written in the template; read as an alias)."""

SHEET_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "townships": ("乡镇", "乡镇街道", "镇", "乡"),
    "villages": ("村(社区)", "村社区", "村", "村居", "行政村", "村(居)", "村庄"),
    "advisors": ("法律顾问", "村(居)法律顾问", "村居法律顾问", "顾问"),
    "trainers": ("培训师资", "培训师", "师资"),
    "people": ("法律明白人", "明白人", "人员"),
    "venues": ("培训场地", "场地"),
    "assignments": ("顾问分配", "分配", "现有分配", "签约"),
    "unavailability": ("不可用时间", "请假", "不可用", "请假时间"),
    "requests": ("法律援助申请", "优先服务申请", "预约申请", "上门服务申请"),
    "attendance": ("培训签到", "签到", "出勤", "考勤"),
    "travel": ("路程时间", "路程", "交通时间"),
    "policy": ("工作规则", "规则", "政策", "参数"),
    "festivals": ("节日", "民族节日", "当地节日"),
    "holidays": ("节假日调整", "节假日", "调休"),
}
"""Chinese names accepted for each sheet, besides its English name and label."""

_SHEET_LOOKUP: dict[str, str] = {}


_fold = fold
"""Case, spaces and full-width brackets folded, so ``村（社区）`` equals ``村(社区)``."""


for _name, _aliases in SHEET_ALIASES.items():
    for _alias in (_name, f"{_name}.csv", SHEET_LABELS[_name], *_aliases):
        _SHEET_LOOKUP.setdefault(_fold(_alias), _name)


def canonical_sheet(title: str) -> str | None:
    """The collection (or ``policy``, ``festivals``, ``holidays``) a sheet holds; ``None``."""
    return _SHEET_LOOKUP.get(_fold(title))


COLUMN_LABELS: Final[dict[str, str]] = {
    "id": "编号", "name": "名称", "name_bo": "藏文名称", "township": "所属乡镇",
    "kind": "类型", "service_class": "服务类别", "languages": "语言", "lat": "纬度",
    "lon": "经度", "population": "人口", "role": "身份", "organization": "所属单位",
    "phone": "电话", "email": "电子邮箱", "capacity": "容量", "hotline": "12348热线",
    "active": "在岗", "topics": "培训主题", "max_sessions_per_month": "每月最多场次",
    "village": "所属村(社区)", "status": "状态", "certified_on": "认定日期",
    "advisor": "法律顾问编号", "pinned": "固定", "who": "人员编号", "start": "开始日期",
    "end": "结束日期", "reason": "事由", "session": "培训场次", "person": "人员编号",
    "hours": "学时", "from": "起点", "to": "终点", "minutes": "分钟",
    "group": "服务对象类别", "received_on": "受理日期", "note": "备注(不公开)",
    "name_en": "英文名称", "townships": "适用乡镇", "villages": "适用村(社区)", "date": "日期",
    "key": "项目",
    "value": "取值", "default": "默认值",
}
"""The Chinese label of each column (written in the template; read as an alias)."""

_COMMON: Final[dict[str, tuple[str, ...]]] = {
    "id": ("编号", "代码", "编码"),
    "name": ("名称", "姓名", "名字"),
    "name_bo": ("藏文名称", "藏文名", "藏文"),
    "languages": ("语言", "工作语言", "使用语言"),
    "lat": ("纬度",),
    "lon": ("经度",),
    "phone": ("电话", "手机", "手机号", "联系电话", "手机号码"),
    "email": ("电子邮箱", "邮箱", "电子邮件"),
    "capacity": ("容量", "可服务村数", "人数上限"),
    "township": ("所属乡镇", "乡镇", "乡镇(街道)"),
    "village": ("所属村(社区)", "所属村", "村(社区)", "村"),
    "start": ("开始日期", "开始", "起始日期"),
    "end": ("结束日期", "结束", "截止日期"),
}

COLUMN_ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "townships": {},
    "villages": {"kind": ("类型", "村居类型"), "service_class": ("服务类别", "类别"),
                 "population": ("人口", "户籍人口")},
    "advisors": {"role": ("身份", "类别", "职业"),
                 "organization": ("所属单位", "单位", "律所", "执业机构"),
                 "hotline": ("12348热线", "热线", "值班"), "active": ("在岗", "有效", "启用")},
    "trainers": {"topics": ("培训主题", "主题", "专长"),
                 "max_sessions_per_month": ("每月最多场次", "每月场次"),
                 "advisor": ("法律顾问编号", "法律顾问", "顾问")},
    "people": {"role": ("身份", "类别"), "status": ("状态",),
               "certified_on": ("认定日期", "认证日期", "发证日期")},
    "venues": {},
    "assignments": {"advisor": ("法律顾问编号", "法律顾问", "顾问"),
                    "pinned": ("固定", "锁定")},
    "unavailability": {"who": ("人员编号", "人员", "编号"), "reason": ("事由", "原因")},
    "requests": {"group": ("服务对象类别", "类别", "群体"), "kind": ("服务方式", "方式"),
                 "received_on": ("受理日期", "申请日期"), "note": ("备注(不公开)", "备注")},
    "attendance": {"session": ("培训场次", "场次"), "person": ("人员编号", "法律明白人", "人员"),
                   "hours": ("学时", "小时")},
    "travel": {"from": ("起点", "出发地"), "to": ("终点", "目的地"),
               "minutes": ("分钟", "用时(分钟)", "时间(分钟)")},
    "festivals": {"name_en": ("英文名称", "英文名"), "townships": ("适用乡镇", "乡镇"),
                  "villages": ("适用村(社区)", "适用村")},
    "holidays": {"date": ("日期",), "kind": ("类型",), "name": ("名称", "说明", "事由")},
    "policy": {"key": ("项目", "参数"), "value": ("取值", "值"), "default": ("默认值",)},
}
"""Per sheet: column → Chinese names accepted for it (with the common ones)."""

_LABELLED = re.compile(r"(?s).*?[(（]\s*([A-Za-z_]+)\s*[)）]\s*")


def canonical_column(sheet: str, header: str, known: tuple[str, ...]) -> str:
    """The column a header cell names in ``sheet``; the header folded if it names none.

    ``known`` lists the sheet's columns; ``名称 (name)``, ``name`` and any alias
    of a known column map to it.
    """
    text = header.strip().lstrip("\ufeff")
    labelled = _LABELLED.fullmatch(text)
    if labelled and labelled.group(1).lower() in known:
        return labelled.group(1).lower()
    folded = _fold(text)
    if folded in known:
        return folded
    aliases = COLUMN_ALIASES.get(sheet, {})
    for column in known:
        names = (COLUMN_LABELS.get(column, ""), *aliases.get(column, ()),
                 *_COMMON.get(column, ()))
        if any(folded == _fold(n) for n in names if n):
            return column
    return text.lower()
