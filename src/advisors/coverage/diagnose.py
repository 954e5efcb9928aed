"""Why villages cannot be covered: maximal coverage, Hall-type deficits, reasons, fixes.

A village is left uncovered for one of two kinds of reasons. Either no
advisor may serve it at all (nobody speaks its languages, nobody is within
the distance limit, the only ones are excluded or inactive), or every advisor
who may serve it is full. In the second case the uncovered villages, the
villages that compete with them for the same advisors, and those advisors
form a Hall-type deficit: ``n`` villages, ``m < n`` places. The deficits are
found from a *maximal* coverage by alternating paths (village → advisor who
may serve it → village that advisor serves → …): when no such path reaches
an advisor with a free place, no strategy can cover more (König's theorem),
and the villages and advisors the paths reach are the deficit.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Mapping

from ..assignment import Assignment, Diagnosis, Uncovered
from ..errors import AdvisorsError
from ..wording import Joined, Ref, Text, Value
from .facts import CoverageFacts
from .reasons import advisor_ref, farther_free, langs_of, unreachable_reason, village_ref

__all__ = ["alternating_reach", "augment", "build_assignment", "diagnose"]

def _loads(problem: CoverageFacts, choice: Mapping[int, int]) -> list[int]:
    load = list(problem.pinned_load)
    for ai in choice.values():
        load[ai] += 1
    return load


def _served(choice: Mapping[int, int]) -> dict[int, list[int]]:
    served: dict[int, list[int]] = {}
    for vi, ai in sorted(choice.items()):
        served.setdefault(ai, []).append(vi)
    return served


def alternating_reach(
    problem: CoverageFacts, choice: Mapping[int, int], start: list[int],
    load: list[int] | None = None, served: Mapping[int, list[int]] | None = None,
) -> tuple[list[int], list[int], list[tuple[int, int]] | None]:
    """Villages and advisors reachable from ``start`` by alternating paths.

    Uses every eligible advisor of each village reached. Returns (villages,
    advisors, path): ``path`` is an augmenting path as (village, advisor)
    moves when one reaches an advisor with a free place, else ``None``.
    ``load`` and ``served`` (advisor → villages, sorted) may be passed when
    the caller keeps them up to date.
    """
    if load is None:
        load = _loads(problem, choice)
    if served is None:
        served = _served(choice)
    parent_v: dict[int, tuple[int, int] | None] = {v: None for v in start}
    seen_a: dict[int, int] = {}
    queue = deque(start)
    while queue:
        vi = queue.popleft()
        for _, ai, _ in problem.candidates(vi, None)[0]:
            if ai in seen_a or choice.get(vi) == ai:
                continue
            seen_a[ai] = vi
            if load[ai] < problem.capacity[ai]:
                path = [(vi, ai)]
                while True:
                    link = parent_v[path[-1][0]]
                    if link is None:
                        break
                    path.append(link)
                return sorted(parent_v), sorted(seen_a), path
            for wi in served.get(ai, ()):
                if wi not in parent_v:
                    parent_v[wi] = (vi, ai)  # wi may move if vi takes ai's place... see augment
                    queue.append(wi)
    return sorted(parent_v), sorted(seen_a), None


def augment(problem: CoverageFacts, choice: Mapping[int, int]) -> dict[int, int]:
    """``choice`` extended until no further village can be covered (maximal coverage).

    Each augmenting path moves a chain of villages one advisor along and
    covers one more village; already covered villages stay covered.
    """
    out = dict(choice)
    missing = [vi for vi in problem.open if vi not in out and problem.candidates(vi, None)[0]]
    if not missing:
        return out
    load = _loads(problem, out)
    served = _served(out)
    for vi in missing:
        _, _, path = alternating_reach(problem, out, [vi], load, served)
        if path is None:
            continue
        # path: (last village, free advisor), then (previous village, advisor) links back
        # to the start; each village takes the advisor of its link.
        for wi, ai in path:
            old = out.get(wi)
            if old is not None:
                served[old].remove(wi)
                load[old] -= 1
            out[wi] = ai
            bisect.insort(served.setdefault(ai, []), wi)
            load[ai] += 1
    return out


def _deficits(problem: CoverageFacts, choice: Mapping[int, int],
              short: list[int]) -> tuple[list[tuple[Diagnosis, Text]], dict[int, Text]]:
    """Hall-type deficits among villages whose eligible advisors are all full."""
    villages, advisors, path = alternating_reach(problem, choice, short)
    assert path is None, "coverage is not maximal"  # strategies call augment first
    # Split the reached part into connected groups (villages linked by a shared advisor).
    parent = {vi: vi for vi in villages}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    adv_of: dict[int, list[int]] = {}
    reach = set(villages)
    for vi in villages:
        for _, ai, _ in problem.candidates(vi, None)[0]:
            adv_of.setdefault(ai, []).append(vi)
    for ai in advisors:
        group = [vi for vi in adv_of.get(ai, ()) if vi in reach]
        for vi in group[1:]:
            parent[find(vi)] = find(group[0])
    groups: dict[int, list[int]] = {}
    for vi in villages:
        groups.setdefault(find(vi), []).append(vi)
    short_set = set(short)
    load = _loads(problem, choice)
    spoken: dict[str, int] = {}  # language → active advisors speaking it: the rarest binds
    for a in problem.advisors:
        if a.active:
            for t in a.languages:
                spoken[t] = spoken.get(t, 0) + 1
    diagnoses: list[tuple[Diagnosis, Text]] = []
    fix_of: dict[int, Text] = {}
    for members in sorted(groups.values()):
        lacking = [vi for vi in members if vi in short_set]
        if not lacking:
            continue
        advs = sorted({ai for vi in members for _, ai, _ in problem.candidates(vi, None)[0]})
        places = sum(problem.free[ai] for ai in advs)
        vs = [problem.villages[vi] for vi in members]
        common = set(vs[0].languages).intersection(*(v.languages for v in vs[1:]))
        speakers = {t: spoken.get(t, 0) for t in sorted(common)}
        language = min(speakers, key=lambda t: (speakers[t], t)) if speakers else ""
        count: dict[str, int] = {}
        for v in vs:
            count[v.township] = count.get(v.township, 0) + 1
        towns = sorted(count, key=lambda t: (-count[t], t))
        names = [problem.dataset.township_by_id[t].name
                 if t in problem.dataset.township_by_id else t for t in towns]
        shown = [Ref("township", t, n) for t, n in zip(towns[:3], names[:3], strict=True)]
        head: Value = (Text.of("{townships} and {n} more", townships=Joined(shown),
                               n=len(names) - 3)
                if len(names) > 3 else Joined(shown))
        spoken_in = langs_of((language,))
        need = (Text.of("need {langs}", langs=spoken_in) if language
                else Text.of("need an advisor"))
        who = (Text.of("{langs}-speaking advisors", langs=spoken_in) if language
               else Text.of("advisors"))
        nearest: dict[int, list[int]] = {}
        for vi in lacking:
            _, ai = min((km, ai) for _, ai, km in problem.candidates(vi, None)[0])
            nearest.setdefault(ai, []).append(vi)
        fixes: list[Text] = []
        for ai, vis in sorted(nearest.items()):
            fix = Text.of("raise the capacity of {advisor} from {capacity} to {needed} (the "
                          "nearest advisor for {villages})", advisor=advisor_ref(problem, ai),
                          capacity=problem.capacity[ai], needed=load[ai] + len(vis),
                          villages=Joined([Ref("village", problem.villages[vi].id,
                                               problem.villages[vi].name) for vi in vis]))
            fixes.append(fix)
            for vi in vis:
                fix_of[vi] = fix
        farther = farther_free(problem, lacking, load)
        if farther is not None:
            fixes.append(farther)
        message = Text.of(
            "{head}: {n} villages {need}; {who} within {limit:g} km have {places} free places; "
            "{short} village cannot be covered: {villages}." if len(lacking) == 1 else
            "{head}: {n} villages {need}; {who} within {limit:g} km have {places} free places; "
            "{short} villages cannot be covered: {villages}.", head=head, n=len(members),
            need=need, who=who, limit=problem.max_km, places=places, short=len(lacking),
            villages=Joined([village_ref(problem, vi) for vi in lacking]))
        diagnoses.append((Diagnosis(
            township=towns[0], language=language, reason="capacity",
            villages=tuple(v.id for v in vs),
            advisors=tuple(problem.advisors[ai].id for ai in advs),
            free_places=places, shortfall=len(lacking), message=str(message),
            fixes=tuple(str(f) for f in fixes), text=message, fix_texts=tuple(fixes),
        ), message))
    return diagnoses, fix_of


def _check_choice(problem: CoverageFacts, choice: Mapping[int, int], strategy: str,
                  km: Mapping[int, float]) -> None:
    """Refuse a strategy's choice that breaks a hard rule: a plugin bug, said plainly."""
    pinned = sorted(vi for vi in choice if vi in problem.fixed) if problem.fixed else []
    if pinned:
        raise AdvisorsError(f"strategy {strategy!r} reassigned {problem.villages[pinned[0]].id}, "
                            "which is pinned")
    broken = problem.rule_broken(choice, km)
    if broken is not None:
        vi, why = broken
        raise AdvisorsError(f"strategy {strategy!r} gave {problem.villages[vi].id} to "
                            f"{problem.advisors[choice[vi]].id}, which breaks the {why} rule")
    load = _loads(problem, choice)
    for ai, n in enumerate(load):
        if n > max(problem.capacity[ai], problem.pinned_load[ai]):
            raise AdvisorsError(f"strategy {strategy!r} gave {problem.advisors[ai].id} {n} "
                                f"villages, above capacity {problem.capacity[ai]}")


def build_assignment(problem: CoverageFacts, choice: Mapping[int, int], strategy: str,
                     notes: tuple[str, ...]) -> Assignment:
    """The full Assignment of a choice of advisors for the open villages.

    A choice that does not cover as many villages as possible is first
    completed by alternating paths, so that what is reported uncovered
    really cannot be covered (a no-op for the built-in strategies).
    """
    # Road km of every pair, computed once (checks, distances and the cost all need it).
    km = problem.road_kms(choice)
    _check_choice(problem, choice, strategy, km)
    grown = augment(problem, choice)
    if len(grown) > len(choice):  # paths moved villages only if they covered more
        km.update((vi, problem.road_km(vi, ai)) for vi, ai in grown.items()
                  if choice.get(vi) != ai)
    choice = grown
    warnings: list[str] = []
    for vi, ai in sorted(problem.fixed.items()):
        why = problem.why_not(vi, ai)
        if why is not None:
            v, a = problem.villages[vi], problem.advisors[ai]
            detail = {"distance": f"{problem.road_km(vi, ai):.1f} km > {problem.max_km:g} km",
                      "language": f"village needs {'+'.join(v.languages)}, advisor speaks "
                                  f"{'+'.join(a.languages)}"}.get(why, why)
            warnings.append(f"pinned contract {v.id} → {a.id} kept although it breaks the "
                            f"{why} rule ({detail})")
    for ai, n in enumerate(problem.pinned_load):
        if n > problem.capacity[ai]:
            a = problem.advisors[ai]
            warnings.append(f"pinned contracts give {a.id} {n} villages, above capacity "
                            f"{problem.capacity[ai]}")
    for vi, ai in sorted(problem.existing.items()):
        why = problem.why_not(vi, ai)
        if why is not None:
            warnings.append(f"contract {problem.villages[vi].id} → {problem.advisors[ai].id} "
                            f"can no longer stand ({why} rule); the village is reassigned")

    full = dict(choice)
    full.update(problem.fixed)
    load = _loads(problem, choice)
    uncovered: list[Uncovered] = []
    diagnoses: list[Diagnosis] = []
    short: list[int] = []
    for vi in [vi for vi in problem.open if vi not in choice]:
        if problem.candidates(vi, None)[0]:  # cached by augment() above
            short.append(vi)
            continue
        reason, text, fix = unreachable_reason(problem, vi, load)
        v = problem.villages[vi]
        uncovered.append(Uncovered.said(v.id, reason, text, fix))
        diagnoses.append(Diagnosis(v.township, "", reason, (v.id,), (), 0, 1, str(text),
                                   (str(fix),), text, (fix,) if fix is not None else ()))
    if short:
        found, fix_of = _deficits(problem, choice, short)
        diagnoses.extend(d for d, _ in found)
        for d, text in found:
            for vid in d.villages:
                vi = problem.village_index[vid]
                if vi in fix_of:
                    uncovered.append(Uncovered.said(vid, "capacity", text, fix_of[vi]))
    uncovered.sort(key=lambda u: u.village)
    vids = [v.id for v in problem.villages]  # sorted by id, as the Assignment keeps them
    aids = [a.id for a in problem.advisors]
    chosen: list[str | None] = [None] * len(vids)
    for vi, ai in full.items():
        chosen[vi] = aids[ai]
    advisor_of = dict(zip(vids, chosen, strict=True))
    placed = sorted(full)
    kms = [km[vi] if vi in km else problem.road_km(vi, full[vi]) for vi in placed]
    distance = dict(zip([vids[vi] for vi in placed], problem.rounded_km(kms), strict=True))
    return Assignment(
        advisor_of=advisor_of,
        strategy=strategy,
        distance_km=distance,
        pinned=tuple(problem.villages[vi].id for vi in problem.fixed),
        uncovered=tuple(uncovered),
        diagnoses=tuple(diagnoses),
        warnings=tuple(warnings),
        cost=round(problem.objective(choice, km), 3),
        notes=notes,
    )


def diagnose(problem: CoverageFacts) -> Assignment:
    """Before any strategy runs: which villages cannot be covered, and why.

    A quick maximal coverage (first fit on the cheapest candidates, then
    alternating paths) with no attention to cost; its ``uncovered`` and
    ``diagnoses`` are exact — every strategy leaves the same number of villages
    out, for the same reasons.
    """
    load = list(problem.pinned_load)
    choice: dict[int, int] = {}
    for vi in problem.open:
        for _, ai, _ in problem.candidates(vi)[0]:
            if load[ai] < problem.capacity[ai]:
                choice[vi] = ai
                load[ai] += 1
                break
    return build_assignment(problem, augment(problem, choice), "diagnosis", ())
