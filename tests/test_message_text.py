"""The bundled message templates in plain Python give the templates' own text.

Every message of a first plan, of a republished one (moved, new, dropped) and
of a review-mode one is compared with the same message rendered from the
templates (a deployment folder that is empty: the bundled templates, rendered
per person); and the plain-Python text must really have been used, else the
comparison proves nothing. Where a plugin replaces what the templates call
(``t``), the templates render every message and the plugin is honoured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pluggy
import pytest

import advisors
from advisors import hookspecs
from advisors.output import ExportOptions, Publication
from advisors.output.message_text import BundledText
from advisors.output.notifications import Notification, notifications
from advisors.output.render import Renderer

from .test_notifications import _moved_and_rebooked


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Publication:
    return advisors.make_plan(tongren, "2026-12").publication(tongren)


def _bodies(notes: list[Notification]) -> list[tuple[str, str, str, str]]:
    return [(n.recipient.key, n.channel, n.subject, n.body) for n in notes]


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    renders: list[str] = []
    render = Renderer.render

    def counting(self: Renderer, name: str, **context: Any) -> str:
        renders.append(name)
        return render(self, name, **context)

    monkeypatch.setattr(Renderer, "render", counting)
    return renders


@pytest.mark.parametrize("which", ["plan", "changes", "review"])
def test_every_message_is_the_templates_own(which: str, december: Publication,
                                            tongren: advisors.Dataset, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pub = _moved_and_rebooked(tongren)[1] if which == "changes" else december
    options = ExportOptions(review=which == "review")
    templates = ExportOptions(template_dirs=(tmp_path,), review=which == "review")
    whole = notifications(pub, templates.renderer(), options.translator())
    renders = _counted(monkeypatch)
    written: list[str] = []
    text = BundledText.__call__

    def counting(self: BundledText, channel: str, context: dict[str, Any]) -> str:
        written.append(channel)
        return text(self, channel, context)

    monkeypatch.setattr(BundledText, "__call__", counting)
    fast = notifications(pub, options.renderer(), options.translator())
    assert _bodies(fast) == _bodies(whole)
    # every message was written in plain Python (none fell back to the templates), which
    # rendered only the first of each shape, as a check
    assert len(written) == len(fast)
    shapes = {(n.channel, n.kind, n.recipient.kind) for n in fast}
    assert len(shapes) <= len(renders) < len(fast)
    assert {n.kind for n in fast} == {"changes" if which == "changes" else "plan"}


class _Quoting:
    @hookspecs.hookimpl
    def prepare_jinja2_environment(self, env: jinja2.Environment) -> None:
        t = env.globals["t"]
        env.globals["t"] = lambda *args, **kwargs: "«" + t(*args, **kwargs) + "»"


def test_a_plugin_that_replaces_what_the_templates_call_is_honoured(
        december: Publication) -> None:
    pm = pluggy.PluginManager("advisors")
    pm.add_hookspecs(hookspecs)
    pm.register(_Quoting())
    options = ExportOptions()
    renderer = Renderer.create(translator=options.translator(), pm=pm)
    assert not renderer.stock()
    notes = notifications(december, renderer, options.translator(), ("wechat",))
    # each message opens with the name line, a string of the catalog
    assert notes and all(n.body.startswith("«") for n in notes)


def test_a_renderer_is_stock_only_as_make_environment_left_it(tmp_path: Path) -> None:
    options = ExportOptions()
    assert options.renderer().stock(("when",), ("hhmm",))
    assert not ExportOptions(template_dirs=(tmp_path,)).renderer().stock()
    renderer = options.renderer()
    renderer.env.filters["hhmm"] = lambda value, lang="zh": "?"
    assert renderer.stock(("when",)) and not renderer.stock(("when",), ("hhmm",))
    renderer.env.globals["when"] = lambda value, lang="zh": "?"
    assert renderer.stock() and not renderer.stock(("when",))
    assert not Renderer(jinja2.Environment()).stock()
