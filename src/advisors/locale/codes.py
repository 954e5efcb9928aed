"""The Chinese name of every coded value, and the other names people type for it.

One table for the whole library: the dataset readers (CSV, JSON, and the
workbook plugin) accept a code, its Chinese name or any alias here; the
workbook's drop-downs and every output show the Chinese name. Codes stay the
stored form (files written back use them), names are what people read.

Languages are not here: :mod:`advisors.languages` owns their tags and aliases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from ..model import (
    ADVISOR_ROLE_NAMES,
    ADVISOR_ROLES,
    PERSON_ROLES,
    PERSON_STATUSES,
    REQUEST_GROUP_ALIASES,
    REQUEST_GROUPS,
    REQUEST_KIND_ALIASES,
    REQUEST_KINDS,
    SERVICE_CLASSES,
    TOWNSHIP_KIND_ALIASES,
    TOWNSHIP_KINDS,
    VILLAGE_KINDS,
)

__all__ = [
    "BOOLEAN_NAMES",
    "BOOLEAN_SPELLINGS",
    "CODE_ALIASES",
    "CODE_NAMES",
    "CODE_SETS",
    "choice_lookup",
    "code_name",
    "fold",
    "reverse",
]

def _inverted(aliases: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Alias → code (as the model keeps them) turned into code → its aliases."""
    out: dict[str, tuple[str, ...]] = {}
    for alias, code in aliases.items():
        out[code] = (*out.get(code, ()), alias)
    return out


CODE_SETS: Final[dict[str, tuple[str, ...]]] = {
    "village_kind": VILLAGE_KINDS,
    "service_class": SERVICE_CLASSES,
    "advisor_role": ADVISOR_ROLES,
    "person_role": PERSON_ROLES,
    "person_status": PERSON_STATUSES,
    "holiday_kind": ("holiday", "workday"),
    "township_kind": tuple(TOWNSHIP_KINDS),
    "request_group": tuple(REQUEST_GROUPS),
    "request_kind": tuple(REQUEST_KINDS),
    "service_kind": ("duty_day", "lecture", "home_visit", "consultation", "mediation",
                     "document_review", "legal_aid_referral"),
}
"""Every coded field: its codes, in the model's order."""

CODE_NAMES: Final[dict[str, dict[str, str]]] = {
    "village_kind": {"village": "行政村", "community": "社区"},
    "service_class": {"community": "社区", "suburban": "城郊", "remote": "偏远"},
    "advisor_role": {
        "lawyer": "律师",
        "legal_worker": "基层法律服务工作者",
        "notary": "公证员",
        "public_lawyer": "公职律师",
        "legal_aid": "法律援助律师",
        "justice_office": ADVISOR_ROLE_NAMES["justice_office"],
    },
    "township_kind": dict(TOWNSHIP_KINDS),
    "request_group": dict(REQUEST_GROUPS),
    "request_kind": dict(REQUEST_KINDS),
    "person_role": {"legal_savvy": "法律明白人", "cadre": "村干部", "liaison": "联络员"},
    "person_status": {"candidate": "培养对象", "active": "在册", "inactive": "已退出"},
    "holiday_kind": {"holiday": "休息日", "workday": "调休上班"},
    "service_kind": {"duty_day": "坐班", "lecture": "法治讲座", "home_visit": "入户走访",
                     "consultation": "法律咨询", "mediation": "矛盾调解",
                     "document_review": "合同/村规审查", "legal_aid_referral": "法律援助转介"},
}
"""The Chinese name of each code: what drop-downs and outputs show."""

CODE_ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "village_kind": {"village": ("村", "村庄", "村委会"),
                     "community": ("居委会", "社区居委会", "城镇社区")},
    "service_class": {"community": ("城镇", "城区"), "suburban": ("近郊", "城乡结合部"),
                      "remote": ("边远", "偏远村", "牧区")},
    "advisor_role": {
        "lawyer": ("执业律师", "社会律师"),
        "legal_worker": ("法律服务工作者", "基层法律工作者"),
        "notary": ("公证",),
        "public_lawyer": (),
        "legal_aid": ("法律援助", "法援律师", "法律援助人员"),
        "justice_office": ("司法所", "司法所干部", "司法助理员"),
    },
    "township_kind": _inverted(TOWNSHIP_KIND_ALIASES),
    "request_group": _inverted(REQUEST_GROUP_ALIASES),
    "request_kind": _inverted(REQUEST_KIND_ALIASES),
    "person_role": {"legal_savvy": ("明白人", "农村法律明白人"),
                    "cadre": ('村"两委"干部', "村两委干部", "两委干部", "干部"),
                    "liaison": ("村联络员", "联系人")},
    "person_status": {"candidate": ("候选", "候选人", "待认定", "培养"),
                      "active": ("在岗", "有效", "已认定", "正常"),
                      "inactive": ("退出", "停用", "无效", "不在岗")},
    "holiday_kind": {"holiday": ("放假", "假日", "节假日"), "workday": ("上班", "补班", "工作日")},
    "service_kind": {"duty_day": ("值班", "驻村值班", "坐班值班"),
                     "lecture": ("普法讲座", "讲座", "法律讲座"),
                     "home_visit": ("走访", "入户"), "consultation": ("咨询",),
                     "mediation": ("调解", "人民调解", "纠纷调解"),
                     "document_review": ("文书审查", "合同审查", "村规审查"),
                     "legal_aid_referral": ("法律援助", "援助转介", "转介")},
}
"""Other names people type for a code (besides the code and its Chinese name)."""

BOOLEAN_NAMES: Final[dict[bool, str]] = {True: "是", False: "否"}
"""How a yes/no cell is shown."""
BOOLEAN_SPELLINGS: Final[dict[bool, tuple[str, ...]]] = {
    True: ("true", "yes", "1", "y", "t", "是", "对", "有", "√", "✓"),
    False: ("false", "no", "0", "n", "f", "否", "不", "无", "×", "✗"),
}
"""Every accepted spelling of a boolean (case-folded)."""

_QUOTES = str.maketrans({"“": '"', "”": '"', "（": "(", "）": ")"})


def fold(text: str) -> str:
    """Case, spaces, full-width brackets and curly quotes folded: how names are compared."""
    return re.sub(r"\s+", "", text.translate(_QUOTES)).lower()


def choice_lookup(field: str) -> dict[str, str]:
    """Folded spelling → code for a coded field: each code, its Chinese name, its aliases."""
    lookup: dict[str, str] = {}
    for code in CODE_SETS[field]:
        for name in (code, CODE_NAMES[field][code], *CODE_ALIASES[field].get(code, ())):
            lookup.setdefault(fold(name), code)
    return lookup


def code_name(field: str, code: str) -> str:
    """The Chinese name of ``code`` (``lawyer`` → ``律师``); an unknown code as written."""
    return CODE_NAMES.get(field, {}).get(code, code)


def reverse(names: Mapping[str, str]) -> dict[str, str]:
    """Folded name → id of an id → name table (the policy's topic names, say)."""
    return {fold(name): ident for ident, name in names.items()}
