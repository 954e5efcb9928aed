"""The public function of the 12348 hotline: build the problem, look the strategy up, staff it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from ..constraints import with_constraints
from ..data.dataset import Dataset
from ..geo import Timetable
from ..period import Period
from ..plugins import installed_constraints, scheduler
from .facts import HotlineRota, PastShift, read_history
from .problem import HotlineProblem

__all__ = ["hotline_rota"]


def hotline_rota(dataset: Dataset, period: Period | str,
                 history: Iterable[PastShift] | Path | str | None = None,
                 previous: HotlineRota | None = None, strategy: str = "auto",
                 pinned: Iterable[str] = (), busy: Timetable | None = None) -> HotlineRota:
    """Staff every 12348 hotline shift of ``period``.

    ``history`` is the past rotas (rows, or a CSV/JSON file ``date,start,end,lawyer``):
    fairness counts them, and their shifts in the period's months count toward
    the monthly cap. With ``previous``, every shift that can stay is kept;
    ``pinned`` shift ids stay even if a rule now breaks (the analysis says which).
    The rota's ``analysis`` includes the matches of installed constraint plugins.
    ``busy`` holds the lawyers' other bookings (service days, lectures,
    training): a lawyer takes a shift only when it and the travel to it fit.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    if isinstance(history, str | Path):
        history = read_history(Path(history))
    solver = scheduler("hotline", strategy)
    problem = HotlineProblem(dataset, period, tuple(history or ()), previous, tuple(pinned),
                             busy)
    assert callable(solver)
    rota: HotlineRota = solver(problem)
    analysis, changed = with_constraints(installed_constraints(), "hotline", problem, rota)
    return attrs.evolve(rota, analysis=analysis) if changed else rota
