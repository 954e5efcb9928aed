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
from typing import Final

import babel
import babel.dates
import babel.localedata
import babel.numbers

__all__ = [
    "DATE_FORMS",
    "LOCALES",
    "day_range",
    "format_date",
    "format_number",
    "format_percent",
    "format_time",
    "has_form",
    "language_name",
    "month_name",
    "period_label",
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
def _own(lang: str) -> dict[str, set[str]]:
    """The date formats and skeletons the language's own CLDR data defines (no root)."""
    # Read the locale's own file: babel.localedata.load(merge_inherited=False) would
    # cache the unmerged data for every later Locale of that name.
    path = babel.localedata.resolve_locale_filename(_locale(lang))
    with open(path, "rb") as fh:
        raw = pickle.load(fh)
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


def period_label(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    """A planning period as ``lang`` writes it: ``2026年12月``, ``2026 ཟླ་༡༢``, ``December 2026``.

    A whole month, quarter or year gets its CLDR name; any other span its two dates.
    """
    last = (dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            - dt.timedelta(days=1))
    if start.day == 1 and end == last:
        return _skeleton(start, lang, "yMMM" if lang == "bo" else "yMMMM")
    quarter_end = (dt.date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
                   - dt.timedelta(days=1))
    if start.day == 1 and start.month % 3 == 1 and end == quarter_end:
        return _skeleton(start, lang, "yQQQQ")
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and \
            start.year == end.year:
        return _skeleton(start, lang, "y")
    return f"{format_date(start, lang, 'long')} – {format_date(end, lang, 'long')}"


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
