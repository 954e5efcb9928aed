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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import jinja2
import jinja2.sandbox
import pluggy

from ..locale import Translator

__all__ = ["WEEKDAYS_ZH", "Renderer", "make_environment", "page_language", "when_text"]

WEEKDAYS_ZH: Final = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
"""Chinese weekday names, Monday first."""

_AUTOESCAPE = jinja2.select_autoescape(
    enabled_extensions=("html", "htm", "xml", "svg"), default_for_string=True, default=False
)


def _date_zh(value: dt.date | dt.datetime) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _weekday_zh(value: dt.date | dt.datetime) -> str:
    return WEEKDAYS_ZH[value.weekday()]


def _hhmm(value: dt.datetime | dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def when_text(value: dt.datetime | dt.date, lang: str = "zh") -> str:
    """A date or time as people of ``lang`` write it (``12月3日 09:00``)."""
    clock = f" {value.hour:02d}:{value.minute:02d}" if isinstance(value, dt.datetime) else ""
    if lang == "zh":
        return f"{value.month}月{value.day}日{clock}"
    return f"{value:%Y-%m-%d}{clock}"


def _percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


_MARKUP = re.compile(r"<(style|script|title)\b.*?</\1>|<[^>]*>", re.S | re.I)
_SCRIPTS: Final = (
    ("bo", re.compile(r"[\u0F40-\u0FBC]+")),  # a Tibetan syllable's letters
    ("zh", re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]")),  # one Han character
    ("en", re.compile(r"[A-Za-z]+")),  # a Latin word
)
_ROOT_LANG = re.compile(r'<html lang="[^"]*"')


def page_language(html: str) -> str:
    """The language of most of a page's text: Tibetan syllables, Han characters, Latin words.

    A page is tagged with this language and the runs in other languages carry
    their own ``lang``, so that the Tibetan font rules apply to Tibetan text only
    (a Chinese page tagged ``bo`` prints its Chinese and digits in the wrong fonts).
    Ties go to Chinese, the language every township office reads.
    """
    text = _MARKUP.sub(" ", html)
    counts = {lang: len(pattern.findall(text)) for lang, pattern in _SCRIPTS}
    return max(counts, key=lambda lang: (counts[lang], lang == "zh"))


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
    env.filters.update(date_zh=_date_zh, weekday_zh=_weekday_zh, hhmm=_hhmm, percent=_percent)
    env.globals.update(
        t=translator.text,
        bi=translator.bilingual,
        each=translator.each,
        when=when_text,
    )
    if pm is None:
        from ..plugins import get_plugin_manager

        pm = get_plugin_manager()
    pm.hook.prepare_jinja2_environment(env=env)
    return env


@attrs.frozen
class Renderer:
    """Renders named templates with one environment (built once, reused per file)."""

    env: jinja2.Environment

    @classmethod
    def create(cls, template_dirs: Sequence[Path] = (), *, translator: Translator | None = None,
               pm: pluggy.PluginManager | None = None) -> Renderer:
        """A renderer over the bundled templates and a deployment's folders."""
        return cls(make_environment(template_dirs, translator=translator, pm=pm))

    @property
    def sandboxed(self) -> bool:
        """Whether templates render in the sandbox."""
        return isinstance(self.env, jinja2.sandbox.SandboxedEnvironment)

    def render(self, name: str, **context: Any) -> str:
        """Render the template ``name`` with ``context``.

        An HTML page's root ``lang`` is set to :func:`page_language` of what it shows.
        """
        text = self.env.get_template(name).render(**context)
        if name.endswith(".html"):
            text = _ROOT_LANG.sub(f'<html lang="{page_language(text)}"', text, count=1)
        return text
