"""Figures about the Tongren example in the docs are generated from the example itself.

The example README's file table and built-in situations, and the hotline
paragraph of ``docs/scheduling.md``, sit between ``<!-- generated: … -->``
markers; this test recomputes them from ``examples/tongren`` and fails when
the text is stale. ``python -m tests.test_example_figures`` rewrites them.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.hotline.problem import HotlineProblem
from advisors.period import Period
from advisors.policy import Policy

from .conftest import ROOT, TONGREN
from .test_docs import BLOCK, regenerate


@cache
def _tongren() -> advisors.Dataset:
    return advisors.read_folder(TONGREN)


def _langs(tags: tuple[str, ...]) -> str:
    return ";".join(tags)


def files_table() -> str:
    d = _tongren()
    trainer_langs = Counter(_langs(t.languages) for t in d.trainers)
    inactive = sum(not a.active for a in d.advisors)
    office = sum(a.role == "justice_office" for a in d.advisors)
    villages = sum(v.kind == "village" for v in d.villages)
    pinned = sum(a.pinned for a in d.assignments)
    span = (min(u.start for u in d.unavailability), max(u.end for u in d.unavailability))
    months = sorted({r.received_on.strftime("%Y-%m") for r in d.requests})
    rows = [
        "| file | rows | what |", "|---|---|---|",
        f"| `townships.csv` | {len(d.townships)} | the 3 towns and 8 townships, with their "
        "kind where known |",
        f"| `villages.csv` | {len(d.villages)} | {villages} administrative villages + "
        f"{len(d.villages) - villages} communities |",
        f"| `advisors.csv` | {len(d.advisors)} | village legal advisors ({office} of them 司法所 "
        f"staff; {inactive} `active=false`) |",
        f"| `trainers.csv` | {len(d.trainers)} | trainers ("
        + ", ".join(f"{n} `{k}`" for k, n in sorted(trainer_langs.items(),
                                                     key=lambda kv: (-kv[1], kv[0]))) + ") |",
        f"| `people.csv` | {len(d.people)} | legal-savvy persons, two-committee cadres, "
        "liaison officers |",
        f"| `assignments.csv` | {len(d.assignments)} | existing advisor contracts, "
        f"{pinned} pinned |",
        f"| `unavailability.csv` | {len(d.unavailability)} | absences, "
        f"{span[0]:%Y-%m-%d} – {span[1]:%Y-%m-%d} |",
        f"| `requests.csv` | {len(d.requests)} | legal-aid priority requests, "
        f"{', '.join(months)} (notes private) |",
        f"| `venues.csv` | {len(d.venues)} | one training room per township + the city "
        "centre |",
        f"| `calendar.toml` | {len(d.calendar.festivals)} festivals | Losar, the Rebgong "
        "sixth-month festival, 於菟 (年都乎村 only) |",
    ]
    return "\n".join(rows)


def hotline_lines() -> str:
    d = _tongren()
    hot = [a for a in d.advisors if a.hotline and a.active]
    bo = [a for a in hot if "bo" in a.languages]
    active = [a for a in d.advisors if a.active]
    capacity = sum(d.capacity(a) for a in active)
    bo_capacity = sum(d.capacity(a) for a in active if "bo" in a.languages)
    need_bo = sum("bo" in v.languages for v in d.villages)
    return (f"- {len(hot)} active advisors take 12348 hotline shifts; {len(bo)} of them speak "
            f"Tibetan.\n"
            f"- Active capacity is {capacity} in total; Tibetan speakers hold {bo_capacity} of "
            f"it, for the {need_bo} villages that need `bo`.")


def request_lines() -> str:
    d = _tongren()
    december = advisors.schedule_visits(d, advisors.assign(d), "2026-12")
    on_visits = sum(1 for b in december.bookings if b.met and b.event.startswith("visit/"))
    roles = {a.id: a.role for a in d.advisors}
    homes = december.home_visits
    by_aid = sum(roles[h.advisor] == "legal_aid" for h in homes)
    january = advisors.schedule_visits(d, advisors.assign(d), "2027-01")
    (unmet,) = [b for b in january.bookings if not b.met and b.reason]
    request = d.request_by_id[unmet.request]
    village = d.village_by_id[request.village]
    return (f"- {len(d.requests)} legal-aid priority requests (`requests.csv`): in December "
            f"{on_visits} booked on a service day, {len(homes)} on an extra home visit "
            f"({by_aid} by legal-aid staff); `{unmet.request}` ({village.name}, received "
            f"{request.received_on}) cannot be met by {unmet.deadline}: the January plan "
            f"(`advisors plan examples/tongren --period 2027-01`) reports \"Request not met "
            f"in time\" and why — {unmet.reason}.")


def hotline_paragraph() -> str:
    d = _tongren()
    preset = Policy.from_dict({"preset": d.policy.preset})  # the library's shifts, every day
    problem = HotlineProblem(attrs.evolve(d, policy=preset), Period.parse("2026-12"))
    seats = len(problem.slots) * preset.hotline.lawyers_per_shift
    bo = [a for a in d.advisors if a.hotline and a.active and "bo" in a.languages]
    most = preset.hotline.max_shifts_per_month
    return (f"The Tongren example under its preset alone (`{d.policy.preset}`: the library's "
            f"two shifts a day, weekends open) cannot staff December: {seats} seats need a "
            f"Tibetan speaker, and its {len(bo)} Tibetan-speaking hotline lawyers may take "
            f"{most} shifts a month each ({len(bo) * most}). The rota says so, seat by seat, "
            "and exits 3; the example's own `policy.toml` staffs Tongren's share only.")


GENERATED: dict[Path, dict[str, Callable[[], str]]] = {
    TONGREN / "README.md": {"example:files": files_table, "example:hotline": hotline_lines,
                            "example:requests": request_lines},
    ROOT / "docs" / "scheduling.md": {"example:hotline_december": hotline_paragraph},
}


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(ROOT)))
def test_example_figures_are_current(path: Path) -> None:
    text = path.read_text("utf-8")
    assert {m["key"] for m in BLOCK.finditer(text)} == set(GENERATED[path])
    assert regenerate(text, GENERATED[path]) == text, (
        f"{path.relative_to(ROOT)} is stale against the example: "
        "run `python -m tests.test_example_figures`")


if __name__ == "__main__":
    for path, blocks in GENERATED.items():
        path.write_text(regenerate(path.read_text("utf-8"), blocks), "utf-8")
        print(f"regenerated {path.relative_to(ROOT)}", file=sys.stderr)
