"""The bundled notice board in plain Python gives the template's own page.

Every card of a first plan, of a plan republished after an advisor's week away
(one-off moves), of a review-mode plan and of a whole year (days listed a
month per line) is compared with the same card rendered by jinja2 from
``notice.html``; and the plain-Python page must really have been used. A
deployment's own ``notice.html`` is rendered as it is.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import advisors
from advisors.output import ExportOptions, Publication, export
from advisors.output.html import notice_context
from advisors.output.notice_html import NoticePages
from advisors.plan.plan import make_plan

from .test_message_text import _counted
from .test_promises import _absent_week


def _publication(which: str, tongren: advisors.Dataset) -> Publication:
    if which == "year":
        return make_plan(tongren, "2027").publication(tongren)
    if which == "no lectures":  # a long period, days a month per line, and no ★ to explain
        policy = attrs.evolve(tongren.policy, visits=attrs.evolve(tongren.policy.visits,
                                                                  lectures_per_quarter=0))
        quiet = attrs.evolve(tongren, policy=policy)
        return make_plan(quiet, "2027").publication(quiet)
    first = make_plan(tongren, "2026-12")
    if which != "moved":
        return first.publication(tongren)
    _, away = _absent_week(tongren, first)
    second = make_plan(away, "2026-12", previous=first)
    assert second.visits.moves  # the cards say which day moved
    return second.publication(away)


@pytest.mark.parametrize("which", ["plan", "moved", "review", "year", "no lectures"])
def test_every_card_is_the_templates_own(which: str, tongren: advisors.Dataset,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pub = _publication(which, tongren)
    renderer = ExportOptions(review=which == "review").renderer()
    contexts = [notice_context(pub, v) for v in sorted(pub.dataset.villages, key=lambda v: v.id)]
    whole = [renderer.render("notice.html", **c) for c in contexts]
    renders = _counted(monkeypatch)
    page = NoticePages(renderer)
    assert [page(c) for c in contexts] == whole
    if which == "no lectures":  # the month-per-line list, which once failed without a lecture
        long = [c for c in contexts if len(c["visits"]) > 6]
        assert long and not any(v["lecture"] for c in long for v in c["visits"])
    # the template rendered only the first card of each shape, as a check
    assert 0 < len(renders) < len(contexts) / 4


def test_a_deployments_notice_is_rendered_as_it_is(tongren: advisors.Dataset,
                                                   tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.html").write_text(
        "<p>{{ village.name }} · {{ persons|length }}</p>\n", "utf-8")
    pub = make_plan(tongren, "2026-12").publication(tongren)
    export(pub, tmp_path / "out", ExportOptions(template_dirs=(tmp_path / "templates",)),
           names=["notices"])
    for village in tongren.villages:
        text = (tmp_path / "out" / "notices" / f"{village.id}.html").read_text("utf-8")
        assert text == f"<p>{village.name} · {len(notice_context(pub, village)['persons'])}</p>\n"
