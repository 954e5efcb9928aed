"""The advisor's service log from a phone, and the liaison officer's satisfaction scores.

``/work/log`` lists the signed-in advisor's planned visits; one tap opens the
service form prefilled with the visit's date, village and hours. The row is
validated by the library (:meth:`portal.live.Live.check_service`) and its
problems shown next to their fields. ``/work/month/<YYYY-MM>`` is the
advisor's record of a month, each entry correctable (audited).

``/work/feedback`` is the liaison officer's page: the service days held in
their township, each with a form for the villagers' score (the fields of
``feedback.csv``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any, Final

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .auth import User, scoped
from .live import State, current_state, live

__all__ = ["KIND_LABELS", "blueprint"]

KIND_LABELS: Final = {"duty_day": "坐班 Duty day", "lecture": "法治讲座 Legal lecture",
                      "home_visit": "入户走访 Home visit", "consultation": "法律咨询 Consultation",
                      "mediation": "矛盾调解 Mediation",
                      "document_review": "合同/村规审查 Document review",
                      "legal_aid_referral": "法律援助转介 Legal-aid referral"}
"""What a person reads for each service kind (the ledger's kinds)."""

blueprint = Blueprint("work", __name__, url_prefix="/work")



def _villages_of(state: State, advisor: str) -> list[str]:
    return sorted(v for v, a in state.plan.assignment.advisor_of.items() if a == advisor)


def _appointments(state: State, advisor: str) -> list[str]:
    return state.appointments_of(advisor)


def _form_values(state: State, advisor: str, form: Mapping[str, str]) -> dict[str, Any]:
    topics = state.dataset.policy.ledger.topic_names
    counts = []
    for topic in topics:
        raw = form.get(f"topic_{topic}", "").strip()
        if raw and raw != "0":
            counts.append(f"{topic}:{raw}")
    return {"advisor": advisor, "village": form.get("village", "").strip(),
            "date": form.get("date", "").strip(), "start": form.get("start", "").strip(),
            "end": form.get("end", "").strip(), "kind": form.get("kind", "").strip(),
            "people_served": form.get("people_served", "").strip(),
            "consultations": ";".join(counts), "disputes": form.get("disputes", "").strip(),
            "appointment": form.get("appointment", "").strip(),
            "note": form.get("note", "").strip(), "visit": form.get("visit", "").strip()}


def _check(state: State, advisor: str, values: dict[str, Any]) -> dict[str, str]:
    """The library's verdict on the row, plus the portal's scope and the disputes count."""
    row = {k: values[k] for k in ("advisor", "village", "date", "start", "end", "kind",
                                  "people_served", "consultations", "appointment", "note")}
    errors = live().check_service(row)
    if values["village"] not in _villages_of(state, advisor) and "village" not in errors:
        errors["village"] = "not one of your villages in the published plan"
    raw = values["disputes"] or "0"
    if not raw.isdigit() or len(raw) > 4:
        errors["disputes"] = "a whole number ≥ 0"
    if values["appointment"] and values["appointment"] not in _appointments(state, advisor):
        errors["appointment"] = "one of the appointments booked for you"
    return errors


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """The validated form as the database keeps it."""
    people = values["people_served"]
    return {**values, "people_served": int(people) if people != "" else None,
            "disputes": int(values["disputes"] or 0)}


def _render_form(state: State, who: User, values: Mapping[str, Any], errors: Mapping[str, str],
                 *, action: str, history: list[dict[str, Any]] | None = None,
                 status: int = 200) -> tuple[str, int]:
    topics = dict(state.dataset.policy.ledger.topic_names)
    chosen = {}
    for part in str(values.get("consultations", "")).split(";"):
        topic, _, count = part.partition(":")
        if topic:
            chosen[topic] = count or "1"
    villages = [(v, state.village_name(v)) for v in _villages_of(state, who.ident)]
    return render_template(
        "log_form.html", values=values, errors=errors, kinds=KIND_LABELS, topics=topics,
        chosen=chosen, villages=villages, appointments=_appointments(state, who.ident),
        action=action, history=history or [], version=state.version), status


@blueprint.get("/log")
@scoped("advisor")
def log(who: User) -> str:
    """The advisor's planned visits, newest month first, each one tap from the form."""
    state = current_state()
    logged = {s["visit"] for s in live().records.services(advisor=who.ident) if s["visit"]}
    items = [{"id": v.id, "date": v.date, "start": v.start, "end": v.end,
              "village": state.village_name(v.village),
              "what": KIND_LABELS["lecture" if v.lecture else "duty_day"],
              "appointments": len(v.appointments), "logged": v.id in logged}
             for v in state.visits_of(who.ident)]
    items += [{"id": h.id, "date": h.date, "start": h.start, "end": h.end,
               "village": state.village_name(h.village), "what": KIND_LABELS["home_visit"],
               "appointments": 1, "logged": h.id in logged}
              for h in state.home_visits_of(who.ident)]
    items.sort(key=lambda i: (i["date"], i["start"], i["id"]))
    return render_template("log.html", visits=items, name=state.advisor_name(who.ident),
                           month=state.plan.period.start.strftime("%Y-%m"),
                           version=state.version)


@blueprint.route("/log/new", methods=["GET", "POST"])
@scoped("advisor")
def new_service(who: User) -> Any:
    """Record a service (one tap from a planned visit: date, village, hours prefilled)."""
    state = current_state()
    if request.method == "POST":
        values = _form_values(state, who.ident, request.form)
        errors = _check(state, who.ident, values)
        if errors:
            values["submission"] = request.form.get("submission", "")
            return _render_form(state, who, values, errors, action=url_for("work.new_service"),
                                status=422)
        submission = request.form.get("submission", "")[:64] or secrets.token_urlsafe(16)
        live().records.add_service(_stored(values), who.label, submission)
        flash("已保存 Saved")
        return redirect(url_for("work.month", month=values["date"][:7]))
    values = {"village": "", "date": dt.date.today().isoformat(), "start": "09:00",
              "end": "17:00", "kind": "duty_day", "people_served": "", "consultations": "",
              "disputes": "0", "appointment": "", "note": "", "visit": ""}
    wanted = request.args.get("visit", "")
    for visit in state.visits_of(who.ident):
        if visit.id == wanted:
            values.update(village=visit.village, date=visit.date.isoformat(),
                          start=visit.start, end=visit.end, visit=visit.id,
                          kind="lecture" if visit.lecture else "duty_day")
    for home in state.home_visits_of(who.ident):
        if home.id == wanted:
            values.update(village=home.village, date=home.date.isoformat(), start=home.start,
                          end=home.end, visit=home.id, kind="home_visit",
                          appointment=home.request)
    values["submission"] = secrets.token_urlsafe(16)
    return _render_form(state, who, values, {}, action=url_for("work.new_service"))


@blueprint.get("/month/<month>")
@scoped("advisor")
def month(who: User, month: str) -> str:
    """The advisor's record of one month, each entry correctable."""
    try:
        dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        abort(404)
    state = current_state()
    entries = [{**s, "village_name": state.village_name(s["village"]),
                "kind_label": KIND_LABELS.get(s["kind"], s["kind"])}
               for s in live().records.services(advisor=who.ident, month=month)]
    return render_template("month.html", entries=entries, month=month,
                           name=state.advisor_name(who.ident), version=state.version)


@blueprint.route("/log/<int:ident>/edit", methods=["GET", "POST"])
@scoped("advisor")
def edit_service(who: User, ident: int) -> Any:
    """Correct an entry of one's own record; every change lands in the audit trail."""
    state = current_state()
    records = live().records
    stored = records.service(ident)
    if stored is None or stored["advisor"] != who.ident:
        abort(404)
    action = url_for("work.edit_service", ident=ident)
    history = records.audit("service", ident)
    if request.method == "POST":
        values = _form_values(state, who.ident, request.form)
        values["visit"] = stored["visit"]
        errors = _check(state, who.ident, values)
        if errors:
            return _render_form(state, who, values, errors, action=action, history=history,
                                status=422)
        records.update_service(ident, _stored(values), who.label)
        flash("已更正 Corrected")
        return redirect(url_for("work.month", month=values["date"][:7]))
    values = {k: ("" if v is None else str(v)) for k, v in stored.items()}
    return _render_form(state, who, values, {}, action=action, history=history)


@blueprint.route("/feedback", methods=["GET", "POST"])
@scoped("liaison")
def feedback(who: User) -> Any:
    """Satisfaction for the service days held in the liaison officer's township."""
    state = current_state()
    records = live().records
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        row = {k: request.form.get(k, "").strip() for k in ("advisor", "village", "date",
                                                            "score")}
        village = state.dataset.village_by_id.get(row["village"])
        errors = live().check_feedback(row)
        if village is None or not who.may_see_township(village.township):
            errors.setdefault("village", "not a village of your township")
        if not errors:
            submission = request.form.get("submission", "")[:64] or secrets.token_urlsafe(16)
            records.add_feedback({**row, "score": int(row["score"])}, who.label, submission)
            flash("已记录 Recorded")
            return redirect(url_for("work.feedback"))
        status = 422
    mine = {v.id for v in state.dataset.villages if v.township == who.ident}
    scored = {(f["advisor"], f["village"], f["date"]) for f in records.feedback()}
    held = [{**s, "village_name": state.village_name(s["village"]),
             "advisor_name": state.advisor_name(s["advisor"]),
             "kind_label": KIND_LABELS.get(s["kind"], s["kind"]),
             "scored": (s["advisor"], s["village"], s["date"]) in scored,
             "submission": secrets.token_urlsafe(16)}
            for s in records.services() if s["village"] in mine]
    return render_template("feedback.html", held=held, errors=errors,
                           version=state.version), status
