"""Why a village cannot be covered, in sentences: the reason, the nearest fix.

Each sentence is a :class:`~advisors.wording.Text` naming advisors, villages
and townships by id and languages by tag, so that the CLI and the report tell
it with names (:mod:`advisors.plan.telling`); its English form, with names
and ids, is what :class:`~advisors.assignment.Uncovered` and the diagnoses keep.
"""

from __future__ import annotations

import math

from ..wording import Langs, Ref, Text
from .facts import CoverageFacts

__all__ = ["LANGUAGE_NAMES", "advisor_ref", "farther_free", "langs_of", "unreachable_reason",
           "village_ref"]

LANGUAGE_NAMES: dict[str, str] = {
    "bo": "Tibetan (藏语)",
    "zh": "Chinese (汉语)",
    "mn": "Mongolian (蒙古语)",
    "ug": "Uyghur (维吾尔语)",
    "mjg": "Monguor (土族语)",
    "slr": "Salar (撒拉语)",
    "en": "English",
}
"""How a language is named in diagnoses."""


def _lang(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag, tag)


def langs_of(tags: tuple[str, ...]) -> Langs:
    """Language tags as a sentence's value, shown in English as diagnoses name them."""
    return Langs(tags, "+".join(_lang(t) for t in tags))


def advisor_ref(problem: CoverageFacts, ai: int) -> Ref:
    """An advisor as a sentence's value: ``name (id)`` in English."""
    a = problem.advisors[ai]
    return Ref("advisor", a.id, f"{a.name} ({a.id})")


def village_ref(problem: CoverageFacts, vi: int) -> Ref:
    """A village as a sentence's value: ``name (id)`` in English."""
    v = problem.villages[vi]
    return Ref("village", v.id, f"{v.name} ({v.id})")


def unreachable_reason(problem: CoverageFacts, vi: int,
                        load: list[int]) -> tuple[str, Text, Text]:
    """(reason, sentence, fix) for a village no advisor may serve."""
    v = problem.villages[vi]
    township = problem.dataset.township_by_id.get(v.township)
    at = {"township": Ref("township", v.township, township.name if township else ""),
          "village": village_ref(problem, vi)}
    langs = langs_of(v.languages)
    recruit = Text.of("recruit an advisor who speaks {langs}", langs=langs)
    if not problem.advisors:
        return ("none", Text.of("{township} {village}: there are no advisors.", **at),
                Text.of("add advisors"))
    speakers = [ai for ai in range(len(problem.advisors)) if problem.speaks(vi, ai)]
    if not speakers:
        return ("language", Text.of("{township} {village}: no advisor speaks {langs}.",
                                    langs=langs, **at), recruit)
    dist = sorted((problem.road_km(vi, ai), ai) for ai in speakers)
    in_reach = [(km, ai) for km, ai in dist if problem.why_not(vi, ai, km) != "distance"]
    active_in_reach = [(km, ai) for km, ai in in_reach if problem.active[ai]]
    if in_reach and not active_in_reach:
        km, ai = in_reach[0]
        a = problem.advisors[ai]
        return ("inactive", Text.of(
            "{township} {village}: the only advisors speaking {langs} within {limit:g} km are "
            "inactive, nearest {name} ({advisor}, {km:.1f} km).", langs=langs,
            limit=problem.max_km, name=a.name, advisor=Ref("advisor", a.id), km=km, **at),
            Text.of("reactivate {advisor}", advisor=advisor_ref(problem, ai)))
    if not active_in_reach:
        active = [(km, ai) for km, ai in dist if problem.active[ai]
                  and (vi, ai) not in problem.excluded]
        if not active:
            return ("inactive", Text.of("{township} {village}: every advisor speaking {langs} "
                                        "is inactive.", langs=langs, **at), recruit)
        km, ai = active[0]
        free = [(k2, a2) for k2, a2 in active if load[a2] < problem.capacity[a2]]
        fix = Text.of("a travel limit of {km:.0f} km would let {advisor} serve it", km=km,
                      advisor=advisor_ref(problem, ai))
        if free and free[0][1] != ai:
            k2, a2 = free[0]
            fix = Text.of("{fix}; {advisor}, who has free places, needs {km:.0f} km", fix=fix,
                          advisor=advisor_ref(problem, a2), km=k2)
        return ("distance", Text.of(
            "{township} {village}: no advisor speaking {langs} is within {limit:g} km; the "
            "nearest, {advisor}, is {km:.1f} km away.", langs=langs, limit=problem.max_km,
            advisor=advisor_ref(problem, ai), km=km, **at), fix)
    km, ai = active_in_reach[0]
    if all(problem.why_not(vi, x) == "own_township" for _, x in active_in_reach):
        return ("own_township", Text.of(
            "{township} {village}: the only advisors speaking {langs} within {limit:g} km are "
            "司法所 staff of other townships, who serve only their own, nearest {advisor}.",
            langs=langs, limit=problem.max_km, advisor=advisor_ref(problem, ai), **at),
            Text.of("find an advisor who is not 司法所 staff, or 司法所 staff of this township"))
    return ("excluded", Text.of(
        "{township} {village}: every advisor speaking {langs} within {limit:g} km is excluded "
        "for this village (conflict list), nearest {advisor}.", langs=langs,
        limit=problem.max_km, advisor=advisor_ref(problem, ai), **at),
        Text.of("find an advisor without a conflict of interest"))


def farther_free(problem: CoverageFacts, lacking: list[int], load: list[int]) -> Text | None:
    """The travel limit that would reach an advisor with free places, for the first village."""
    vi = lacking[0]
    best: tuple[float, int] | None = None
    for ai in range(len(problem.advisors)):
        if (load[ai] >= problem.capacity[ai] or not problem.speaks(vi, ai)
                or (vi, ai) in problem.excluded):
            continue
        km = problem.road_km(vi, ai)
        if best is None or (km, ai) < best:
            best = (km, ai)
    if best is None:
        return None
    km, ai = best
    return Text.of("or a travel limit of {km} km would let {advisor}, who has free places, "
                   "serve {village}", km=math.ceil(km), advisor=advisor_ref(problem, ai),
                   village=village_ref(problem, vi))
