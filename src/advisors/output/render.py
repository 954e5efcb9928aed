"""The jinja2 environment every exporter renders with.

* HTML (and XML/SVG) autoescaping is on everywhere, so a village named
  ``<script>`` prints as text; plain-text templates (SMS, WeChat, email
  bodies) are not escaped, since they are never shown as HTML.
* A deployment can point to its own template folders: a template found there
  replaces the bundled one of the same name (``roster.html``,
  ``notifications/sms.txt``…). Templates from outside the package are not
  trusted code, so as soon as such a folder is configured the environment is
  jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`: attribute
  access to ``__class__``, ``mro`` and other internals, and mutation of the
  values handed in, raise :class:`~jinja2.exceptions.SecurityError`.
* Plugins get the environment through the ``prepare_jinja2_environment``
  hook to add filters and globals.
* Undefined names raise, so a misspelt variable in an override fails loudly.
* Dates, weekdays, times, periods and numbers are formatted from CLDR
  (:mod:`advisors.locale.cldr`) in the language asked: ``when(d, lang)``,
  ``day_range(start, end, lang)``, ``d|date(lang, form)``, ``d|weekday(lang)``,
  ``t|hhmm(lang)``, ``x|percent``; per language of a page: ``periods(period, langs)``,
  ``dates(d, langs, form)``, ``months(d, langs, with_year)`` (macros ``m.period``,
  ``m.day``). No output prints a period code (``2026-12``) or an ISO date to people.
* An error in a deployment's template (syntax, an undefined name, a sandbox
  refusal) is a :class:`~advisors.errors.DataError` naming the template file
  and line, as bad input; only an error in a bundled template is a bug.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import jinja2
import jinja2.sandbox
import pluggy

from ..errors import DataError, Problem
from ..locale import REVIEW_MARK, Translator, cldr
from ..locale.terms import language_words
from ..model import Township, Village
from ..plugins import get_plugin_manager
from .translations.glossary import place_name

__all__ = ["WEEKDAYS_ZH", "Renderer", "make_environment", "page_language", "tibetan_name"]

WEEKDAYS_ZH: Final = tuple(cldr.weekday_name(i, "zh") for i in range(7))
"""Chinese weekday names from CLDR, Monday first."""

_AUTOESCAPE = jinja2.select_autoescape(
    enabled_extensions=("html", "htm", "xml", "svg"), default_for_string=True, default=False
)


def _date_zh(value: dt.date | dt.datetime) -> str:
    return cldr.format_date(value, "zh", "long")


def _weekday(value: dt.date | dt.datetime, lang: str = "zh") -> str:
    return cldr.weekday_name(value, lang)


def _hhmm(value: dt.datetime | dt.time, lang: str = "zh") -> str:
    return cldr.format_time(value, lang)


def _percent(value: float | None, digits: int = 0, lang: str = "zh") -> str:
    return cldr.format_percent(value, lang, digits)


def _day(value: dt.date | str) -> dt.date:
    # A stamp or a roster cell may hold an ISO date: people read it in words all the same.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _date(value: dt.date | str, lang: str = "zh", form: str = "day") -> str:
    return cldr.format_date(_day(value), lang, form)


def _dates(value: dt.date | str, langs: Sequence[str], form: str = "long") -> dict[str, str]:
    """``value`` in each of ``langs`` whose CLDR data has ``form``; Chinese when none has."""
    day = _day(value)
    out = {lang: cldr.format_date(day, lang, form) for lang in langs if cldr.has_form(lang, form)}
    return out or {"zh": cldr.format_date(day, "zh", form)}


def tibetan_name(record: Any, draft: bool = False) -> str:
    """The Tibetan name printed beside ``record``'s Chinese one; empty when there is none.

    The dataset's ``name_bo`` (confirmed by the data owner) first; for a township
    or village without one, the sourced glossary's (:func:`place_name`), a
    composed one only in drafts, marked ⚠.
    """
    own = record.get("name_bo") if isinstance(record, dict) else getattr(record, "name_bo", "")
    if own:
        return str(own)
    if not isinstance(record, (Township, Village)):
        return ""
    found = place_name(record.name, draft=draft)
    if found is None:
        return ""
    return REVIEW_MARK + found.text if found.fuzzy else found.text


def _months(value: dt.date, langs: Sequence[str], with_year: bool = False) -> dict[str, str]:
    """The month of ``value`` as a heading in each of ``langs`` (see :func:`cldr.month_label`)."""
    return {lang: cldr.month_label(value, lang, with_year) for lang in langs}


_MARKUP = re.compile(r"<(style|script|title)\b.*?</\1>|<[^>]*>", re.S | re.I)
_SCRIPTS: Final = (
    ("bo", re.compile(r"[\u0F40-\u0FBC]+"), False),  # a Tibetan syllable's letters
    ("zh", re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+"), True),  # Han characters
    ("en", re.compile(r"[A-Za-z]+"), False),  # a Latin word
)
"""Each script's pattern, and whether its characters count (Han) rather than its runs."""
_ROOT_LANG = re.compile(r'<html lang="[^"]*"')


def script_counts(html: str) -> dict[str, int]:
    """Tibetan syllables, Han characters and Latin words in what a page shows (its text
    outside tags, titles, styles and scripts); additive over pieces cut between tags."""
    text = _MARKUP.sub(" ", html)
    return {lang: sum(map(len, runs)) if each else len(runs)
            for lang, pattern, each in _SCRIPTS for runs in (pattern.findall(text),)}


def counts_language(counts: dict[str, int]) -> str:
    """The language with most of :func:`script_counts`; ties go to Chinese."""
    return max(counts, key=lambda lang: (counts[lang], lang == "zh"))


def root_language(html: str, lang: str) -> str:
    """``html`` with its root element's ``lang`` set to ``lang``."""
    return _ROOT_LANG.sub(f'<html lang="{lang}"', html, count=1)


def page_language(html: str) -> str:
    """The language of most of a page's text: Tibetan syllables, Han characters, Latin words.

    A page is tagged with this language and the runs in other languages carry
    their own ``lang``, so that the Tibetan font rules apply to Tibetan text only
    (a Chinese page tagged ``bo`` prints its Chinese and digits in the wrong fonts).
    Ties go to Chinese, the language every township office reads.
    """
    return counts_language(script_counts(html))


def make_environment(
    template_dirs: Sequence[Path] = (),
    *,
    translator: Translator | None = None,
    pm: pluggy.PluginManager | None = None,
    sandboxed: bool | None = None,
) -> jinja2.Environment:
    """The environment: deployment folders first, then the bundled templates.

    :param sandboxed: force the sandbox on or off; by default it is on exactly
        when ``template_dirs`` is not empty (templates from outside the package).
    :param pm: the plugin manager whose ``prepare_jinja2_environment`` runs;
        ``None`` uses the process's manager.
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in template_dirs]
    loaders.append(jinja2.PackageLoader("advisors.output", "templates"))
    use_sandbox = bool(template_dirs) if sandboxed is None else sandboxed
    cls: type[jinja2.Environment] = (
        jinja2.sandbox.ImmutableSandboxedEnvironment if use_sandbox else jinja2.Environment
    )
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_AUTOESCAPE,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    translator = translator or Translator.load()
    env.filters.update(date_zh=_date_zh, weekday_zh=_weekday, weekday=_weekday, hhmm=_hhmm,
                       percent=_percent, date=_date, number=cldr.format_number)

    def periods(period: Any, langs: Sequence[str]) -> dict[str, str]:
        """A period (``.start``, ``.end``) in words in each language of ``langs`` (CLDR)."""
        return cldr.period_labels(period.start, period.end, langs, draft=translator.review)

    def tibetan(record: Any) -> str:
        """The Tibetan name of ``record`` shown beside its Chinese one (:func:`tibetan_name`)."""
        return tibetan_name(record, translator.review)

    def languages(tags: str | Sequence[str], langs: Sequence[str]) -> dict[str, str]:
        """Languages (``bo;zh``) in words per language of ``langs`` (:func:`language_words`)."""
        return language_words(tags.split(";") if isinstance(tags, str) else tags, translator,
                              langs)

    env.globals.update(
        periods=periods,
        language_words=languages,
        tibetan_name=tibetan,
        dates=_dates,
        months=_months,
        day_of_month=cldr.day_of_month,
        t=translator.text,
        bi=translator.bilingual,
        each=translator.each,
        when=cldr.when,
        day_range=cldr.day_range,
    )
    # what the plugins' hook may replace: a plain-Python stand-in for a bundled template
    # (Renderer.stock) is only used where they did not
    env.extend(advisors_stock=(dict(env.globals), dict(env.filters)))
    if pm is None:
        pm = get_plugin_manager()
    pm.hook.prepare_jinja2_environment(env=env)
    return env


@attrs.frozen
class Renderer:
    """Renders named templates with one environment (built once, reused per file)."""

    env: jinja2.Environment
    template_dirs: tuple[Path, ...] = ()
    """The deployment's folders: errors in templates from there are bad input."""

    @classmethod
    def create(cls, template_dirs: Sequence[Path] = (), *, translator: Translator | None = None,
               pm: pluggy.PluginManager | None = None) -> Renderer:
        """A renderer over the bundled templates and a deployment's folders."""
        return cls(make_environment(template_dirs, translator=translator, pm=pm),
                   tuple(Path(d).resolve() for d in template_dirs))

    @property
    def sandboxed(self) -> bool:
        """Whether templates render in the sandbox."""
        return isinstance(self.env, jinja2.sandbox.SandboxedEnvironment)

    def stock(self, globals_: Sequence[str] = (), filters: Sequence[str] = ()) -> bool:
        """Whether templates render here as bundled, with :func:`make_environment`'s own
        ``t``, ``globals_`` and ``filters``.

        False with a deployment's folder, when a plugin replaced one of them, or for an
        environment made elsewhere: then only the templates themselves say what they give.
        A plain-Python stand-in for a bundled template is used only where this holds.
        """
        stock = getattr(self.env, "advisors_stock", None)
        if self.template_dirs or stock is None:
            return False
        return (all(self.env.globals.get(n) is stock[0].get(n, self) for n in (*globals_, "t"))
                and all(self.env.filters.get(n) is stock[1].get(n, self) for n in filters))

    def render(self, name: str, **context: Any) -> str:
        """Render the template ``name`` with ``context``.

        Raises :class:`DataError` (template file, line, what went wrong) when a
        deployment's template fails.
        An HTML page's root ``lang`` is set to :func:`page_language` of what it shows.
        """
        try:
            text = self.env.get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            where = _template_frame(exc, self.template_dirs)
            if where is None:
                raise
            raise DataError([Problem(where[0], f"template error: {type(exc).__name__}",
                                     line=where[1], value=str(exc.message or exc)[:200],
                                     expected="a template that renders (docs/outputs.md)")]
                            ) from None
        if name.endswith(".html"):
            text = root_language(text, page_language(text))
        return text


def _template_frame(exc: jinja2.TemplateError, dirs: Sequence[Path]
                    ) -> tuple[str, int | None] | None:
    """The deployment template file and line ``exc`` happened in; ``None`` if not in one."""
    def ours(filename: str | None) -> bool:
        return filename is not None and any(Path(filename).resolve().is_relative_to(d)
                                            for d in dirs)

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (exc.filename or exc.name or "template", exc.lineno) if ours(exc.filename) else None
    # jinja2 rewrites the traceback: template frames carry the template's file and line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if ours(frame.filename):
            return frame.filename, frame.lineno
    return None
