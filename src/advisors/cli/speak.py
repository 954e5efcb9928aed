"""The command line in the user's language: Chinese under a Chinese locale, English otherwise.

The language is ``--lang`` when given (before the command), else the POSIX
locale variables in their order of precedence: ``LC_ALL``, ``LC_MESSAGES``,
``LANG`` (``zh_CN.UTF-8`` → Chinese). The texts come from the gettext catalog
``locale/cli.zh.po`` read by the same machinery as the exporters' catalogs;
English is the message id itself. Help texts are looked up by command name
(context ``command``) and by the option's English help (context ``option``);
a text the catalog lacks stays English rather than disappear.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import click

from ..errors import Problem
from ..locale import Catalog, load_catalog

__all__ = ["LANGUAGES", "choose_language", "click_message", "data_error_text", "language",
           "problem_text", "say", "solver_note_text", "speak_click", "translate_commands", "using"]

LANGUAGES: Final = ("zh", "en")
"""Languages the command line speaks."""

_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("advisors_cli_lang",
                                                                default="en")


def choose_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """``zh`` or ``en``: the ``--lang`` option before the command, else the locale."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "zh" if argv[i + 1].lower().startswith("zh") else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.split("=", 1)[1].lower().startswith("zh") else "en"
        if not arg.startswith("-"):
            break  # the command: options after it are the command's own
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def language() -> str:
    """The language the command line speaks now."""
    return _LANGUAGE.get()


class using:
    """Speak ``lang`` inside the block."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._token: contextvars.Token[str] | None = None

    def __enter__(self) -> str:
        self._token = _LANGUAGE.set(self.lang)
        return self.lang

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _LANGUAGE.reset(self._token)


def _catalog() -> Catalog:
    return load_catalog(language(), domain="cli")


def lookup(msgid: str, context: str = "ui") -> str | None:
    """The translation of ``msgid`` in the current language; ``None`` in English or if missing."""
    if language() == "en":
        return None
    return _catalog().lookup(msgid, context=context)


def say(msgid: str, /, context: str = "ui", **values: Any) -> str:
    """``msgid`` in the current language with ``{placeholders}`` filled (English if missing)."""
    text = lookup(msgid, context) or msgid
    return text.format_map(values) if values else text


# --- data problems -------------------------------------------------------------------------

_EXPECTED_PATTERNS: Final = (
    (re.compile(r"one of (?P<choices>.+)"), "one of {choices}"),
    (re.compile(r"a topic of the policy's curriculum: (?P<topics>.+)"),
     "a topic of the policy's curriculum: {topics}"),
    (re.compile(r"an id not already used \(first used in (?P<where>.+)\)"),
     "an id not already used (first used in {where})"),
)


def _expected(text: str) -> str:
    return by_pattern(text, "expected", _EXPECTED_PATTERNS)


_PROBLEM_PATTERNS: Final = (
    (re.compile(r"the output folder would replace the input (?P<source>.+)"),
     "the output folder would replace the input {source}"),
    (re.compile(r"the folder holds files an earlier run did not write \((?P<shown>.+)\); "
                r"it would be replaced whole"),
     "the folder holds files an earlier run did not write ({shown}); it would be replaced whole"),
    # the ledger's findings (ledger/effective.py)
    (re.compile(r"service by an advisor who does not serve (?P<village>\S+) "
                r"\(the village's advisor is (?P<advisor>\S+)\)"),
     "service by an advisor who does not serve {village} (the village's advisor is {advisor})"),
    (re.compile(r"service by an advisor who does not serve (?P<village>\S+) "
                r"\(no advisor of record\)"),
     "service by an advisor who does not serve {village} (no advisor of record)"),
    (re.compile(r"service day matches no planned visit of (?P<village>\S+) within "
                r"(?P<days>\d+) days"),
     "service day matches no planned visit of {village} within {days} days"),
    (re.compile(r"overlaps (?P<ref>\S+) \((?P<what>.+)\)"), "overlaps {ref} ({what})"),
)


_NOTICE_PATTERNS: Final = (
    (re.compile(r"recovered (?P<target>.+) from (?P<name>.+), left by an interrupted run"),
     "recovered {target} from {name}, left by an interrupted run"),
    (re.compile(r"removed (?P<name>.+), the previous output an interrupted run left"),
     "removed {name}, the previous output an interrupted run left"),
    (re.compile(r"removed (?P<name>.+), the half-written output of an interrupted run"),
     "removed {name}, the half-written output of an interrupted run"),
)


def by_pattern(text: str, context: str,
                patterns: Sequence[tuple[re.Pattern[str], str]]) -> str:
    """``text`` translated whole, else by the first pattern it matches, else as it is."""
    found = lookup(text, context)
    if found:
        return found
    for pattern, msgid in patterns:
        match = pattern.fullmatch(text)
        if match:
            return say(msgid, context, **match.groupdict())
    return text


def _problem_message(text: str) -> str:
    return by_pattern(text, "problem", _PROBLEM_PATTERNS)


def notice_text(sentence: str) -> str:
    """A note of the output folder's recovery (an interrupted run's leftovers), translated."""
    return say("note: {sentence}", sentence=by_pattern(sentence, "notice", _NOTICE_PATTERNS))


_SOLVER_PATTERNS: Final = (
    (re.compile(r"solved on the candidate graph: (?P<k>\d+) cheapest eligible advisors per "
                r"village, (?P<n>\d+) independent components? \(largest (?P<m>\d+) villages\)"),
     "solved on the candidate graph: {k} cheapest eligible advisors per village, {n} "
     "independent components (largest {m} villages)"),
    (re.compile(r"solved on the candidate graph: (?P<k>\d+) cheapest eligible advisors per "
                r"village; shortest augmenting paths \((?P<work>.+)\)"),
     "solved on the candidate graph: {k} cheapest eligible advisors per village; shortest "
     "augmenting paths ({work})"),
    (re.compile(r"candidates widened to every eligible advisor for (?P<n>\d+) villages "
                r"\(up to (?P<m>\d+) candidates\)"),
     "candidates widened to every eligible advisor for {n} villages (up to {m} candidates)"),
    (re.compile(r"optimal over all (?P<pairs>[\d,]+) eligible pairs \(certificate: no negative "
                r"reduced cost; (?P<priced>[\d,]+) villages' pairs priced, (?P<added>[\d,]+) "
                r"pairs added, (?P<rounds>\d+) solves\)"),
     "optimal over all {pairs} eligible pairs (certificate: no negative reduced cost; "
     "{priced} villages' pairs priced, {added} pairs added, {rounds} solves)"),
    (re.compile(r"optimal over every eligible pair within (?P<km>[\d.]+) km \(certificate: no "
                r"negative reduced cost; (?P<priced>[\d,]+) villages' pairs priced, "
                r"(?P<added>[\d,]+) pairs added, (?P<rounds>\d+) solves\)"),
     "optimal over every eligible pair within {km} km (certificate: no negative reduced cost; "
     "{priced} villages' pairs priced, {added} pairs added, {rounds} solves)"),
    (re.compile(r"local improvement: (?P<n>\d+) moves"), "local improvement: {n} moves"),
)


def solver_note_text(note: str) -> str:
    """A coverage strategy's note on how it solved, translated (context ``solver``)."""
    return say("note: {sentence}", sentence=by_pattern(note, "solver", _SOLVER_PATTERNS))


def data_error_text(problems: Sequence[Problem]) -> str:
    """Every problem of a DataError, one a line, under a count, in the current language."""
    options = bool(problems) and all(p.source.startswith("--") for p in problems)
    if language() == "en":
        count = len(problems)
        head = (f"{count} problem{'s' if count != 1 else ''} "
                f"{'with the options' if options else 'in the data'}:")
    elif options:
        head = say("{count} problems with the options:", count=len(problems))
    else:
        head = say("{count} problems in the data:", count=len(problems))
    return "\n".join([head, *(f"  {problem_text(p)}" for p in problems)])


def problem_text(problem: Problem) -> str:
    """One problem as a sentence in the current language; file, line and field stay as written."""
    if language() == "en":
        return str(problem)
    where = problem.source + (f":{problem.line}" if problem.line is not None else "")
    text = where + (f" [{problem.field}]" if problem.field else "")
    text += "：" + _problem_message(problem.message)
    if problem.value is not None:
        text += "（" + say("got {value}", value=repr(problem.value)) + "）"
    if problem.expected:
        text += "；" + say("expected {expected}", expected=_expected(problem.expected))
    return text


# --- click ---------------------------------------------------------------------------------

_CLICK_ERRORS: Final = (
    (re.compile(r"Missing option (?P<name>.+)\."), "Missing option {name}."),
    (re.compile(r"Missing argument (?P<name>.+)\."), "Missing argument {name}."),
    (re.compile(r"No such option: (?P<name>.+)"), "No such option: {name}"),
    (re.compile(r"No such option (?P<name>'[^']+')\. Did you mean (?P<hint>.+)\?"),
     "No such option {name}. Did you mean {hint}?"),
    (re.compile(r"No such option (?P<name>'[^']+')\."), "No such option: {name}"),
    (re.compile(r"No such command (?P<name>.+?)\. Did you mean (?P<hint>.+)\?"),
     "No such command {name}. Did you mean {hint}?"),
    (re.compile(r"No such command (?P<name>.+)\."), "No such command {name}."),
    (re.compile(r"(?s)Invalid value for (?P<name>[^:]+): (?P<reason>.+)"),
     "Invalid value for {name}: {reason}"),
    (re.compile(r"Got unexpected extra arguments? \((?P<args>.+)\)"),
     "Got unexpected extra arguments ({args})"),
    (re.compile(r"Option (?P<name>.+) requires an argument\."),
     "Option {name} requires an argument."),
    (re.compile(r"(?P<path>.+) exists and is not empty; use --force to replace it"),
     "{path} exists and is not empty; use --force to replace it"),
)


def click_message(message: str) -> str:
    """A click usage error's message in the current language (as written if unknown)."""
    if language() == "en":
        return message
    for pattern, msgid in _CLICK_ERRORS:
        match = pattern.fullmatch(message.strip())
        if match:
            values = dict(match.groupdict())
            if "reason" in values:
                values["reason"] = _reason(values["reason"])
            return say(msgid, **values)
    return message


def _reason(reason: str) -> str:
    # A DataError raised by an option's parser (an unknown period) says its own problem.
    return reason


class _Formatter(click.HelpFormatter):
    """Click's help layout with its headings in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, say("Usage:") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(say(heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        # Options' help, click's own (--help, --version) included, by its English text.
        super().write_dl([(term, _option_help(text)) for term, text in rows], col_max,
                         col_spacing)


def _option_help(text: str) -> str:
    if language() == "en" or not text:
        return text
    extra = ""
    match = re.fullmatch(r"(?s)(.*?)(\s+\[.*\])", text)  # click's "[default: …]  [required]"
    if match and lookup(match[1], "option"):
        text, extra = match[1], match[2]
    for english in ("[required]", "[default: ", "[env var: "):
        extra = extra.replace(english, say(english))
    return (lookup(text, "option") or text) + extra


def speak_click() -> None:
    """Click's own help headings follow the current language (installed once, by the CLI)."""
    click.Context.formatter_class = _Formatter


_ENGLISH_HELP = "_advisors_english_help"


def translate_commands(group: click.Group) -> None:
    """Give ``group`` and its commands their help in the current language.

    The commands are shared objects: their English help is kept aside, so that
    a later run in English gets it back. Options are translated as they are
    printed (:class:`_Formatter`)."""
    commands: list[tuple[str, click.Command]] = [("advisors", group)]
    commands += sorted(group.commands.items())
    for name, command in commands:
        if not hasattr(command, _ENGLISH_HELP):
            setattr(command, _ENGLISH_HELP, (command.help, command.short_help))
        english, short = getattr(command, _ENGLISH_HELP)
        help_text = lookup(name, "command")
        command.help, command.short_help = (help_text, None) if help_text else (english, short)
