"""A small, valid dataset cut from the Tongren example: one township, fast to plan."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import attrs

from advisors.calendar import WorkCalendar
from advisors.data.tomlwrite import dumps_toml

from ..conftest import TONGREN

TOWNSHIP = "longwu"
VILLAGES = 4


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(TONGREN / name, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(folder: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_tiny(folder: Path) -> Path:
    """Write the small dataset into ``folder`` (made); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(TONGREN / "policy.toml", folder / "policy.toml")
    header, townships = _rows("townships.csv")
    _write(folder, "townships.csv", header, [t for t in townships if t["id"] == TOWNSHIP])
    header, villages = _rows("villages.csv")
    villages = [v for v in villages if v["township"] == TOWNSHIP][:VILLAGES]
    _write(folder, "villages.csv", header, villages)
    village_ids = {v["id"] for v in villages}
    calendar = WorkCalendar.from_toml(TONGREN / "calendar.toml")
    festivals = [attrs.evolve(f, townships=tuple(t for t in f.townships if t == TOWNSHIP),
                              villages=tuple(v for v in f.villages if v in village_ids))
                 for f in calendar.festivals]
    festivals = [f for f, was in zip(festivals, calendar.festivals, strict=True)
                 if was.everywhere or not f.everywhere]
    calendar = attrs.evolve(calendar, festivals=tuple(festivals))
    (folder / "calendar.toml").write_text(dumps_toml(calendar.as_dict(), dates=True), "utf-8")
    header, assignments = _rows("assignments.csv")
    assignments = [a for a in assignments if a["village"] in village_ids]
    _write(folder, "assignments.csv", header, assignments)
    header, advisors = _rows("advisors.csv")
    wanted = {a["advisor"] for a in assignments}
    advisors = ([a for a in advisors if a["id"] in wanted]
                + [a for a in advisors if a["id"] not in wanted and a["hotline"] == "true"][:4])
    _write(folder, "advisors.csv", header, advisors)
    advisor_ids = {a["id"] for a in advisors}
    header, trainers = _rows("trainers.csv")
    _write(folder, "trainers.csv", header, trainers[:2])
    people_ids = advisor_ids | {t["id"] for t in trainers[:2]}
    header, unavailable = _rows("unavailability.csv")
    _write(folder, "unavailability.csv", header, [u for u in unavailable if u["who"] in people_ids])
    header, venues = _rows("venues.csv")
    _write(folder, "venues.csv", header, [v for v in venues if v["township"] == TOWNSHIP])
    header, people = _rows("people.csv")
    _write(folder, "people.csv", header, [p for p in people if p["village"] in village_ids])
    header, requests = _rows("requests.csv")
    _write(folder, "requests.csv", header, [r for r in requests if r["village"] in village_ids])
    return folder
