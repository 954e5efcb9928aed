"""What the public may see: the plan without personal data, and the pages' link bar.

The library's exporters already give public pages (rosters, notice boards,
village and township feeds) only the fields the policy marks public. The
plan's JSON form is complete — it must read back to the same plan — so it
holds advisors' email addresses (as calendar attendees) and the ids of the
people in each training session. :func:`public_plan` removes those before
the portal serves it; the full form stays behind the administrator's token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

__all__ = ["PUBLIC_FORMAT", "decorate", "etag_of", "public_plan", "webcal"]

PUBLIC_FORMAT = "advisors-plan-public/1"
"""``format`` of the public plan JSON (it does not read back into a Plan)."""


def etag_of(data: bytes) -> str:
    """A strong validator: the first 128 bits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:32]


def _event(event: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["attendees"] = []
    out["organizer"] = None
    return out


def _published(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {**item, "event": _event(item["event"])}


def public_plan(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's JSON form without emails and without who attends which training."""
    out = dict(plan)
    out["format"] = PUBLIC_FORMAT
    out["events"] = [_published(e) for e in plan.get("events", ())]
    out["changes"] = [{**c, "current": _published(c["current"]),
                       "previous": _published(c.get("previous"))}
                      for c in plan.get("changes", ())]
    training = dict(plan.get("training", {}))
    training["sessions"] = [
        {**s, "participants": [], "participant_count": len(s.get("participants", ()))}
        for s in training.get("sessions", ())]
    # unmet needs and violations name the people concerned: counts only
    training["unmet"] = []
    training["unmet_count"] = len(plan.get("training", {}).get("unmet", ()))
    training["violations"] = [{k: v.get(k) for k in ("rule", "hard", "weight")}
                              for v in training.get("violations", ())]
    # who had which topic earlier in the year: people again
    training["history"] = {}
    out["training"] = training
    return out


def webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed URL (what phones subscribe to)."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme):]
    return url


_NAV_STYLE = ("font:14px/1.6 sans-serif;padding:6px 12px;margin:0 0 8px;"
              "border-bottom:1px solid #bbb;background:#f6f6f6")


def decorate(html: str, links: list[tuple[str, str]]) -> str:
    """Put the portal's link bar (hidden in print) at the top of an exported page."""
    items = Markup(" · ").join(Markup('<a href="{}">{}</a>').format(href, label)
                               for label, href in links)
    nav = Markup('<nav class="portal-nav" style="{}"><style>@media print{{.portal-nav'
                 '{{display:none}}}}</style>{}</nav>').format(_NAV_STYLE, items)
    start = html.find("<body")
    if start < 0:
        return str(nav) + html
    end = html.find(">", start) + 1
    return html[:end] + str(nav) + html[end:]
