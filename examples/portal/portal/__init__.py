"""A reference portal that embeds ``advisors``: live calendar feeds, rosters, notices, the plan.

Run it with ``python -m portal serve --source examples/tongren --period 2026-12``
(or ``make portal``); re-plan with ``python -m portal replan``. See
``docs/embedding.md``. The library is used through its public API only
(names in ``advisors.__all__``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .app import create_app
from .publish import Portal, Published
from .store import Store

__all__ = ["Portal", "Published", "Store", "create_app", "default_data_dir"]


def default_data_dir() -> Path:
    """``$ADVISORS_PORTAL_DATA``, else ``$XDG_DATA_HOME/advisors-portal`` (``~/.local/share``)."""
    explicit = os.environ.get("ADVISORS_PORTAL_DATA", "").strip()
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "advisors-portal"
