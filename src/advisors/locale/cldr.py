"""Dates, weekdays, months, times and numbers as people of a language write them.

Every such form in every output comes from Unicode CLDR through Babel, in
Chinese (``zh``), Tibetan (``bo``) and English (``en``) — none is written by
hand here. For Tibetan, only the data CLDR's ``bo`` locale itself holds is
used (weekday and month names, its date patterns ``full``/``long``/``medium``
and the skeletons ``MMMd``, ``MMMMd``, ``MMMEd``, ``yMMMd``, ``yMMMMd``):
what ``bo`` lacks and would inherit from CLDR's root locale (which is
English-flavoured, e.g. ``'week' W 'of' MMMM``) is never used for Tibetan.
Where a form has no Tibetan source, :func:`has_form` says so and the caller
shows the Chinese form instead — visibly Chinese, never made-up Tibetan.

Only a time's digits and the separators ``–`` and a space are ours: they
carry no words.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
from collections.abc import Sequence
from typing import Any, Final

import babel
import babel.dates
import babel.localedata
import babel.numbers

from . import REVIEW_MARK

__all__ = [
    "DATE_FORMS",
    "LOCALES",
    "PERIOD_FORMS",
    "day_of_month",
    "day_range",
    "draft_period_label",
    "format_date",
    "format_number",
    "format_percent",
    "format_time",
    "has_form",
    "has_period_form",
    "language_name",
    "month_label",
    "month_name",
    "period_kind",
    "period_label",
    "period_labels",
    "weekday_name",
    "when",
]

LOCALES: Final = {"zh": "zh", "bo": "bo", "en": "en"}
"""The CLDR locale of each output language."""

DATE_FORMS: Final[dict[str, tuple[str, str]]] = {
    # 2026年12月15日星期二 · 2026 ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་15, གཟའ་མིག་དམར་
    "full": ("format", "full"),
    "long": ("format", "long"),          # 2026年12月15日 · སྤྱི་ལོ་2026 ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་15
    "day": ("skeleton", "MMMMd"),        # 12月15日 · ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་15
    "day_weekday": ("skeleton", "MMMEd"),  # 12月15日周二 · ཟླ་༡༢ཚེས་15, མིག་དམར་
    "short": ("skeleton", "MMMd"),       # 12月15日 · ཟླ་༡༢ཚེས་15
}
"""Named date forms: a CLDR date format or a CLDR skeleton."""


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["zh"])


@functools.cache
def _own_data(lang: str) -> dict[str, object]:
    """The language's own CLDR data (no root)."""
    # Read the locale's own file: babel.localedata.load(merge_inherited=False) would
    # cache the unmerged data for every later Locale of that name.
    path = babel.localedata.resolve_locale_filename(_locale(lang))
    with open(path, "rb") as fh:
        raw: dict[str, object] = pickle.load(fh)
    return raw


@functools.cache
def _own(lang: str) -> dict[str, set[str]]:
    """The date formats and skeletons the language's own CLDR data defines (no root)."""
    raw: dict[str, Any] = _own_data(lang)
    return {"format": set(raw.get("date_formats", {})),
            "skeleton": set(raw.get("datetime_skeletons", {}))}


def has_form(lang: str, form: str) -> bool:
    """Whether ``lang``'s own CLDR data has the date ``form`` (Chinese and English: always)."""
    if lang != "bo":
        return lang in LOCALES
    kind, name = DATE_FORMS[form]
    return name in _own(lang)[kind]


def format_date(value: dt.date, lang: str = "zh", form: str = "day") -> str:
    """``value`` in the named ``form`` (see :data:`DATE_FORMS`).

    A form that Tibetan CLDR data lacks falls back to the Chinese one.
    """
    return _date_text(value.date() if isinstance(value, dt.datetime) else value, lang, form)


@functools.lru_cache(maxsize=4096)
def _date_text(day: dt.date, lang: str, form: str) -> str:
    """:func:`format_date` of a day (a plan formats the same few days thousands of times)."""
    if not has_form(lang, form):
        lang = "zh"
    kind, name = DATE_FORMS[form]
    if kind == "format":
        return babel.dates.format_date(day, name, locale=_locale(lang))
    return babel.dates.format_skeleton(name, day, locale=_locale(lang))


def _skeleton(value: dt.date, lang: str, skeleton: str) -> str:
    # A skeleton Tibetan's own data lacks is written the Chinese way (see the module doc).
    if lang == "bo" and skeleton not in _own(lang)["skeleton"]:
        lang = "zh"
    return babel.dates.format_skeleton(skeleton, value, locale=_locale(lang))


PERIOD_FORMS: Final[dict[str, str]] = {
    "month": "yMMMM",   # 2026年12月 · December 2026 (Tibetan: its own yMMM, 2026 ཟླ་༡༢)
    "quarter": "yQQQQ",  # 2026年第四季度 · 4th quarter 2026
    "year": "y",         # 2027年 · 2027
    "span": "long",      # two long dates
}
"""The CLDR skeleton (or date form) of each kind of planning period."""
_BO_PERIOD: Final = {"month": "yMMM"}  # Tibetan CLDR's own month-year skeleton


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def day_of_month(value: dt.date, lang: str = "zh") -> str:
    """The day of the month alone (``15日``, ``15``); Tibetan CLDR has no such form: Chinese."""
    if lang == "bo":
        lang = "zh"
    return babel.dates.format_skeleton("d", value, locale=_locale(lang))


def period_kind(start: dt.date, end: dt.date) -> str:
    """``month``, ``quarter`` or ``year`` for a whole one of them, else ``span``."""
    if start.day != 1:
        return "span"
    if end == _month_end(start.year, start.month):
        return "month"
    if start.month % 3 == 1 and end == _month_end(start.year, start.month + 2):
        return "quarter"
    if start.month == 1 and end == dt.date(start.year, 12, 31):
        return "year"
    return "span"


def has_period_form(kind: str, lang: str) -> bool:
    """Whether ``lang``'s own CLDR data writes a period of ``kind`` (Chinese, English: always).

    Tibetan CLDR has a month-year skeleton and long dates, but no year-quarter
    or year-alone form: those periods are written in Chinese for Tibetan pages.
    """
    if lang != "bo":
        return lang in LOCALES
    if kind == "span":
        return has_form(lang, "long")
    skeleton = _BO_PERIOD.get(kind)
    return skeleton is not None and skeleton in _own(lang)["skeleton"]


def period_label(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    """A planning period as ``lang`` writes it: ``2026年12月``, ``2026 ཟླ་༡༢``, ``December 2026``.

    A whole month, quarter or year gets its CLDR name; any other span its two
    dates. A form Tibetan lacks (:func:`has_period_form`) is written in Chinese.
    """
    kind = period_kind(start, end)
    if not has_period_form(kind, lang):
        lang = "zh"
    if kind == "span":
        return f"{format_date(start, lang, 'long')} – {format_date(end, lang, 'long')}"
    if lang == "zh" and kind == "quarter":
        # CLDR zh's yQQQQ skeleton writes "第4季度"; its quarter names are "第四季度".
        return (babel.dates.format_skeleton("y", start, locale=_locale(lang))
                + babel.dates.format_date(start, "QQQQ", locale=_locale(lang)))
    skeleton = _BO_PERIOD[kind] if lang == "bo" else PERIOD_FORMS[kind]
    return babel.dates.format_skeleton(skeleton, start, locale=_locale(lang))


def draft_period_label(start: dt.date, end: dt.date, lang: str) -> str | None:
    """A composed period label for a form ``lang``'s CLDR lacks, for drafts only; else ``None``.

    Tibetan CLDR names the quarters (``དུས་ཚིགས་བཞི་པ།``) but has no year-quarter
    pattern: the draft writes year and quarter name the way its own month-year
    skeleton (``y LLL``) writes year and month. A native speaker must confirm it.
    """
    if lang != "bo" or period_kind(start, end) != "quarter":
        return None
    if "quarters" not in _own_data(lang):
        return None
    return babel.dates.format_date(start, "y QQQQ", locale=_locale(lang))


def period_labels(start: dt.date, end: dt.date, langs: Sequence[str],
                  draft: bool = False) -> dict[str, str]:
    """The period in each of ``langs`` whose CLDR data writes it; Chinese when none does.

    A Tibetan page of a quarter shows the Chinese label once, not twice. With
    ``draft``, a composed form (:func:`draft_period_label`) is added, marked ⚠.
    """
    kind = period_kind(start, end)
    out: dict[str, str] = {}
    for lang in langs:
        if has_period_form(kind, lang):
            out[lang] = period_label(start, end, lang)
        elif draft and (composed := draft_period_label(start, end, lang)):
            out[lang] = REVIEW_MARK + composed
    if not any(has_period_form(kind, lang) for lang in out):
        out["zh"] = period_label(start, end, "zh")
    return out


def month_label(day: dt.date, lang: str = "zh", with_year: bool = False) -> str:
    """The month of ``day`` as a heading: ``12月`` · ``ཟླ་བ་བཅུ་གཉིས་པ་`` · ``December``.

    With the year: the month's :func:`period_label`.
    """
    return _month_text(day.year, day.month, lang, with_year)


@functools.lru_cache(maxsize=4096)
def _month_text(year: int, month: int, lang: str, with_year: bool) -> str:
    # every card and roster of a plan heads the same few months
    if with_year:
        return period_label(dt.date(year, month, 1), _month_end(year, month), lang)
    width = "wide" if lang != "zh" else "abbreviated"  # zh wide is 十二月; offices write 12月
    return str(babel.Locale.parse(_locale(lang)).months["stand-alone"][width][month])


def format_time(value: dt.datetime | dt.time, lang: str = "zh") -> str:
    """Clock time in the language's CLDR ``short`` time format (24-hour for zh and bo)."""
    clock = value.time() if isinstance(value, dt.datetime) else value
    if clock.tzinfo is not None:  # aware times equal across zones would share a cache entry
        return _clock_text.__wrapped__(clock, lang)
    return _clock_text(clock, lang)


@functools.lru_cache(maxsize=4096)
def _clock_text(clock: dt.time, lang: str) -> str:
    """:func:`format_time` of a clock time (the same few times recur all over a plan)."""
    if lang == "en":  # the English short format is 12-hour; offices here read 24-hour
        return babel.dates.format_skeleton("Hm", clock, locale=_locale(lang))
    return babel.dates.format_time(clock, "short", locale=_locale(lang))


def weekday_name(value: dt.date | int, lang: str = "zh", width: str = "wide") -> str:
    """CLDR weekday name (``星期二``, ``གཟའ་མིག་དམར་``, ``Tuesday``); ints are 0 = Monday."""
    index = value if isinstance(value, int) else value.weekday()
    names = babel.Locale.parse(_locale(lang)).days["format"][width]
    return str(names[index])


def month_name(month: int, lang: str = "zh", width: str = "wide") -> str:
    """CLDR month name (``十二月``, ``ཟླ་བ་བཅུ་གཉིས་པ``, ``December``)."""
    return str(babel.Locale.parse(_locale(lang)).months["format"][width][month])


def when(value: dt.datetime | dt.date, lang: str = "zh", form: str = "day") -> str:
    """A date, and its clock time for a datetime, as ``lang`` writes it (``12月3日 09:00``)."""
    text = format_date(value, lang, form)
    if isinstance(value, dt.datetime):
        text = f"{text} {format_time(value, lang)}"
    return text


def day_range(start: dt.datetime, end: dt.datetime, lang: str = "zh",
              form: str = "full") -> str:
    """``2026年12月15日星期二 09:00–12:00``: the day of ``start`` and both clock times."""
    return f"{format_date(start, lang, form)} {format_time(start, lang)}–{format_time(end, lang)}"


def format_number(value: float, lang: str = "zh") -> str:
    """A number with the language's CLDR digits and separators."""
    return babel.numbers.format_decimal(value, locale=_locale(lang))


def format_percent(value: float | None, lang: str = "zh", digits: int = 0) -> str:
    """A share 0..1 as a CLDR percentage (``42%``); ``—`` for none."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel.numbers.format_percent(value, pattern, locale=_locale(lang))


def language_name(tag: str, lang: str = "zh") -> str | None:
    """CLDR's name of the language ``tag`` in ``lang`` (``bo`` → ``藏语``); ``None`` if none."""
    name = babel.Locale.parse(_locale(lang)).languages.get(tag)
    return str(name) if name else None
