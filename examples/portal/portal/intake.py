"""Requests for a home visit or a consultation, taken by a township office or the 12348 hotline.

An office token sees and records the requests of its own township only; the
hotline's token records for every village and sees what it recorded. The
requester's name, phone and the note stay in the portal's database and on
these signed-in pages: the library receives the request's village, group,
kind, date and languages, with the note as a private field, and no public
page or feed names a request.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any, Final

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from .auth import User, scoped
from .live import State, current_state, live
from .publish import request_of
from .republish import Republisher

__all__ = ["GROUP_LABELS", "REQUEST_KIND_LABELS", "blueprint"]

GROUP_LABELS: Final = {
    "elderly": "老年人 Elderly", "disabled": "残疾人 Disabled",
    "migrant_worker": "农民工（欠薪）Migrant worker owed wages",
    "military": "军人军属 Military family", "minor": "未成年人 Minor",
    "domestic_violence": "家庭暴力受害妇女 Woman facing domestic violence",
    "low_income": "经济困难群众 Low income", "other": "其他群众 Other"}
"""The priority groups of the seed plan (§五) and ``other``, as staff read them."""
REQUEST_KIND_LABELS: Final = {"home_visit": "上门服务 Home visit",
                              "consultation": "预约咨询 Consultation"}
LANGUAGE_LABELS: Final = {"": "与本村相同 As the village", "bo": "藏语 Tibetan",
                          "zh": "汉语 Chinese", "bo;zh": "藏汉双语 Tibetan and Chinese"}
LIMITS: Final = {"requester": 60, "phone": 30, "note": 500}

blueprint = Blueprint("intake", __name__, url_prefix="/work")



def villages_for(state: State, who: User) -> list[tuple[str, str]]:
    """``(id, name)`` of the villages ``who`` may record requests for."""
    return [(v.id, v.name) for v in sorted(state.dataset.villages, key=lambda v: v.id)
            if who.may_see_township(v.township)]


def check_request(state: State, who: User, values: Mapping[str, str]) -> dict[str, str]:
    """Problems of a request form, by field."""
    errors: dict[str, str] = {}
    if values["village"] not in dict(villages_for(state, who)):
        errors["village"] = "a village of your township"
    if values["grp"] not in GROUP_LABELS:
        errors["grp"] = "one of the listed groups"
    if values["kind"] not in REQUEST_KIND_LABELS:
        errors["kind"] = "home visit or consultation"
    if values["languages"] not in LANGUAGE_LABELS:
        errors["languages"] = "one of the listed languages"
    try:
        received = dt.date.fromisoformat(values["received_on"])
        if received > dt.date.today() + dt.timedelta(days=1):
            errors["received_on"] = "not in the future"
    except ValueError:
        errors["received_on"] = "a date YYYY-MM-DD"
    if not errors:  # the library's own checks of a request (group, kind, languages)
        try:
            request_of({**values, "ref": "web-check"})
        except (ValueError, TypeError) as exc:
            errors["_"] = str(exc)
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            errors[field] = f"at most {limit} characters"
        elif any(ord(c) < 32 and c not in "\n\t" for c in values[field]):
            errors[field] = "no control characters"
    return errors


def _booked(state: State, ref: str) -> str:
    """Where the published plan serves a request, in words."""
    booking = state.booking_of(ref)
    if booking is None:
        return "安排中 Being booked"
    if not booking.event or booking.date is None:
        return f"未能安排 Not booked: {booking.reason}"
    late = "" if booking.met else " (逾期 after the deadline)"
    return (f"{booking.date.isoformat()} · {state.advisor_name(booking.advisor)} · "
            f"{state.village_name(state.dataset.request_by_id[ref].village)}{late}"
            if ref in state.dataset.request_by_id else booking.date.isoformat())


@blueprint.route("/requests", methods=["GET", "POST"])
@scoped("office", "hotline")
def requests(who: User) -> Any:
    """Record a request; list the township's (the hotline: its own) requests."""
    state = current_state()
    records = live().records
    errors: dict[str, str] = {}
    status = 200
    values: dict[str, Any] = {"village": "", "grp": "elderly", "kind": "home_visit",
                              "received_on": dt.date.today().isoformat(), "languages": "",
                              "requester": "", "phone": "", "note": ""}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in values}
        errors = check_request(state, who, values)
        if not errors:
            village = state.dataset.village_by_id[values["village"]]
            submission = request.form.get("submission", "")[:64] or secrets.token_urlsafe(16)
            records.add_request({**values, "township": village.township}, who.label,
                                submission)
            republisher: Republisher = current_app.extensions["portal_republisher"]
            republisher.wanted()  # booked by the library in the background, at once
            flash("已登记，正在安排 Recorded; booking it now")
            return redirect(url_for("intake.requests"))
        status = 422
    if who.kind == "office":
        listed = records.requests(township=who.ident)
    else:
        listed = [r for r in records.requests() if r["recorded_by"] == who.label]
    shown = [{**r, "village_name": state.village_name(r["village"]),
              "group_label": GROUP_LABELS.get(r["grp"], r["grp"]),
              "kind_label": REQUEST_KIND_LABELS.get(r["kind"], r["kind"]),
              "booked": _booked(state, r["ref"])} for r in listed]
    return render_template(
        "requests.html", values=values, errors=errors, listed=shown,
        villages=villages_for(state, who), groups=GROUP_LABELS, kinds=REQUEST_KIND_LABELS,
        languages=LANGUAGE_LABELS, submission=secrets.token_urlsafe(16),
        version=state.version), status
