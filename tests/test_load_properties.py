"""Property tests of the loaders: exact round trips, and nothing but DataError on bad input.

Invariants:
- any valid Dataset written as a folder (with or without a BOM) or as JSON
  reads back equal;
- whatever bytes any file of a folder holds, and whatever JSON a portal
  sends, loading either succeeds or raises DataError — never another
  exception.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import string
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisors import (
    Advisor,
    Attendance,
    DataError,
    Dataset,
    ExistingAssignment,
    Festival,
    Person,
    Township,
    Trainer,
    TravelTime,
    Unavailability,
    Venue,
    Village,
    WorkCalendar,
    dataset_from_dict,
    dataset_to_dict,
    read_folder,
    read_json,
    write_folder,
    write_json,
)
from advisors.limits import MAX_COUNT
from advisors.model import (
    ADVISOR_ROLES,
    PERSON_ROLES,
    PERSON_STATUSES,
    REQUEST_GROUPS,
    REQUEST_KINDS,
    SERVICE_CLASSES,
    TOWNSHIP_KINDS,
    Request,
)
from advisors.policy import Policy

from .conftest import TONGREN

# ADVISORS_FUZZ_EXAMPLES=2000 runs a longer search (the default keeps the suite quick).
FUZZ = int(os.environ.get("ADVISORS_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=max(40, FUZZ // 4), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ID_ALPHABET = string.ascii_letters + string.digits + "_.-"
# Text people type: CJK, Tibetan, and the characters CSV must quote (a field is one line:
# a newline is refused, see test_corpus).
TEXT_ALPHABET = st.one_of(
    st.sampled_from(list("隆务镇年都乎乡村社区才让卓玛 ,\"';；")),
    st.sampled_from(list("ཀཁགངཅཆཇཉཏཐདནཔཕབམཙཚཛཝཞཟའཡརལཤསཧཨ་།ིེོུ")),
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
)
LANGS = st.lists(st.sampled_from(["bo", "zh", "en", "mn", "ug", "mjg", "slr"]),
                 min_size=1, max_size=3, unique=True).map(tuple)


def clean(text: str) -> str:
    return text.strip()


names = st.text(TEXT_ALPHABET, min_size=1, max_size=12).map(clean).filter(bool)
optional_text = st.text(TEXT_ALPHABET, max_size=8).map(clean)
emails = st.just("") | st.from_regex(r"[a-z0-9._+-]{1,10}@[a-z0-9]{1,8}\.(org|cn)",
                                     fullmatch=True)
lat = st.floats(-90, 90, allow_nan=False)
lon = st.floats(-180, 180, allow_nan=False)
count = st.integers(0, MAX_COUNT)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A random valid dataset: unique ids in one namespace, every reference resolving."""
    ids = iter(draw(st.lists(st.text(ID_ALPHABET, min_size=1, max_size=10),
                             min_size=40, max_size=40, unique=True)))
    townships = [Township(next(ids), draw(names), draw(optional_text),
                          draw(st.sampled_from(["", *TOWNSHIP_KINDS])))
                 for _ in range(draw(st.integers(1, 3)))]
    villages = [
        Village(next(ids), draw(names), draw(st.sampled_from(townships)).id,
                draw(st.sampled_from(["village", "community"])),
                draw(st.sampled_from(SERVICE_CLASSES)), draw(LANGS), draw(lat), draw(lon),
                draw(st.none() | count), draw(optional_text))
        for _ in range(draw(st.integers(0, 5)))
    ]
    advisors = []
    for _ in range(draw(st.integers(0, 4))):
        role = draw(st.sampled_from(ADVISOR_ROLES))
        office = st.sampled_from([t.id for t in townships])  # 司法所 staff name their township
        advisors.append(Advisor(
            next(ids), draw(names), role, draw(names), draw(LANGS), draw(lat), draw(lon),
            draw(optional_text), draw(emails), draw(st.none() | count),
            draw(st.booleans()), draw(st.booleans()),
            draw(office if role == "justice_office" else st.just("") | office)))
    curriculum = Policy().training.curriculum
    trainers = [
        Trainer(next(ids), draw(names), draw(LANGS),
                tuple(draw(st.lists(st.sampled_from(curriculum), min_size=1, unique=True))),
                draw(lat), draw(lon), draw(count), draw(optional_text), draw(emails))
        for _ in range(draw(st.integers(0, 3)))
    ]
    people = [
        Person(next(ids), draw(names), draw(st.sampled_from(villages)).id,
               draw(st.sampled_from(PERSON_ROLES)), draw(st.sampled_from(PERSON_STATUSES)),
               draw(st.just(()) | LANGS), draw(optional_text), draw(st.none() | dates))
        for _ in range(draw(st.integers(0, 6) if villages else st.just(0)))
    ]
    venues = [
        Venue(next(ids), draw(names), draw(st.sampled_from(townships)).id, draw(lat), draw(lon),
              draw(count))
        for _ in range(draw(st.integers(0, 2)))
    ]
    assigned = draw(st.lists(st.sampled_from(villages), unique_by=lambda v: v.id)
                    if villages and advisors else st.just([]))
    assignments = [ExistingAssignment(v.id, draw(st.sampled_from(advisors)).id, draw(st.booleans()))
                   for v in assigned]
    workers = [*advisors, *trainers]
    unavailability = []
    for _ in range(draw(st.integers(0, 3) if workers else st.just(0))):
        start = draw(dates)
        unavailability.append(Unavailability(
            draw(st.sampled_from(workers)).id, start,
            start + dt.timedelta(days=draw(st.integers(0, 30))), draw(optional_text)))
    attendance = [
        Attendance(draw(names), draw(st.sampled_from(people)).id,
                   draw(st.floats(0, 24 * 366, allow_nan=False)))
        for _ in range(draw(st.integers(0, 3) if people else st.just(0)))
    ]
    requests = [
        Request(next(ids), draw(st.sampled_from(villages)).id,
                draw(st.sampled_from(sorted(REQUEST_GROUPS))),
                draw(st.sampled_from(sorted(REQUEST_KINDS))), draw(dates),
                draw(st.just(()) | LANGS), draw(optional_text))
        for _ in range(draw(st.integers(0, 3) if villages else st.just(0)))
    ]
    located = [*villages, *advisors, *trainers, *venues]
    travel = [
        TravelTime(draw(st.sampled_from(located)).id, draw(st.sampled_from(located)).id,
                   draw(st.floats(0, 10_000, allow_nan=False)))
        for _ in range(draw(st.integers(0, 3) if located else st.just(0)))
    ]
    festivals = tuple(
        Festival(draw(names), start, start + dt.timedelta(days=draw(st.integers(0, 9))),
                 draw(optional_text), draw(optional_text),
                 tuple(draw(st.lists(st.sampled_from([t.id for t in townships]), unique=True))),
                 tuple(draw(st.lists(st.sampled_from([v.id for v in villages]), unique=True))
                       if villages else ()))
        for start in draw(st.lists(dates, max_size=2))
    )
    policy = Policy.from_dict({
        "road_factor": draw(st.floats(1, 3)),
        "visits": {"per_month": {"community": draw(st.integers(0, 9)), "suburban": 2,
                                 "remote": 1}},
        "hotline": {"required_languages": list(draw(st.just(()) | LANGS))},
    })
    return Dataset.build(
        townships=townships, villages=villages, advisors=advisors, trainers=trainers,
        people=people, venues=venues, assignments=assignments, unavailability=unavailability,
        requests=requests, attendance=attendance, travel=travel, policy=policy,
        calendar=WorkCalendar(festivals=festivals),
    )


@SETTINGS
@given(datasets(), st.booleans())
def test_folder_round_trip(dataset: Dataset, bom: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(dataset, Path(tmp) / "d", bom=bom)
        again = read_folder(Path(tmp) / "d")
    assert again == dataset
    assert again.policy == dataset.policy and again.calendar == dataset.calendar


@SETTINGS
@given(datasets())
def test_json_round_trip(dataset: Dataset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_json(dataset, Path(tmp) / "d.json")
        again = read_json(Path(tmp) / "d.json")
    assert again == dataset
    # and through plain data, as a portal would send it
    plain = json.loads(json.dumps(dataset_to_dict(dataset)))
    assert dataset_from_dict(plain) == dataset


@SETTINGS
@given(datasets())
def test_folder_and_json_agree(dataset: Dataset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(dataset, Path(tmp) / "d")
        write_json(read_folder(Path(tmp) / "d"), Path(tmp) / "d.json")
        assert read_json(Path(tmp) / "d.json") == dataset


# --- arbitrary input ----------------------------------------------------------------------

FILES = ["townships.csv", "villages.csv", "advisors.csv", "trainers.csv", "people.csv",
         "venues.csv", "assignments.csv", "unavailability.csv", "attendance.csv", "travel.csv",
         "policy.toml", "calendar.toml"]


def small_example(root: Path) -> Path:
    """A few rows of each Tongren file: enough for every reader path, quick to copy."""
    folder = root / "small"
    folder.mkdir()
    for path in TONGREN.iterdir():
        if path.suffix == ".csv":
            lines = path.read_text("utf-8").splitlines(keepends=True)
            keep = lines[:6] if path.name != "people.csv" else lines[:1]
            (folder / path.name).write_text("".join(keep), "utf-8")
        elif path.suffix == ".toml":
            shutil.copy(path, folder / path.name)
    return folder


def load_or_data_error(folder: Path) -> None:
    try:
        read_folder(folder)
    except DataError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.source and p.message


def corrupt_text(draw: st.DrawFn) -> bytes:
    alphabet = st.sampled_from(list(',"\n\r\t ;id名ཀ0.5-éx\x00\ufeff'))
    text: str = draw(st.text(alphabet, max_size=200))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


@st.composite
def file_contents(draw: st.DrawFn) -> bytes:
    """Bytes of every kind: random, text-like in many encodings, or a valid file mangled."""
    kind = draw(st.sampled_from(["binary", "text", "header"]))
    if kind == "binary":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return corrupt_text(draw)
    header = draw(st.sampled_from([
        "id,name,name_bo", "id,name,village,role,status,languages,phone,certified_on",
        "id,name,role,organization,languages,phone,email,lat,lon,capacity,hotline,active",
        "village,advisor,pinned", "who,start,end,reason", "session,person,hours",
        "from,to,minutes", "[visits]", "[[festival]]",
    ]))
    return (header + "\n").encode() + corrupt_text(draw)


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(FILES), file_contents())
def test_any_bytes_in_any_file_give_data_error_or_dataset(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_example(Path(tmp))
        (folder / name).write_bytes(content)
        load_or_data_error(folder)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=12,
)
KEYS = ["format", "townships", "villages", "advisors", "trainers", "people", "venues",
        "assignments", "unavailability", "attendance", "travel", "policy", "calendar",
        "extras"]


@st.composite
def json_documents(draw: st.DrawFn) -> Any:
    """Arbitrary JSON, often shaped like a dataset so that deeper code is reached."""
    if draw(st.booleans()):
        return draw(JSON)
    base = dataset_to_dict(draw(datasets()))
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(KEYS))
        if isinstance(base.get(key), list) and base[key] and draw(st.booleans()):
            record = draw(st.sampled_from(base[key]))
            if isinstance(record, dict) and record:
                record[draw(st.sampled_from(sorted(record)))] = draw(JSON)
        else:
            base[key] = draw(JSON)
    return base


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_documents())
def test_any_json_gives_data_error_or_dataset(document: Any) -> None:
    try:
        dataset = dataset_from_dict(document)
    except DataError as exc:
        assert exc.problems
    else:
        assert isinstance(dataset, Dataset)


# --- whitespace around cells --------------------------------------------------------------

SPACES = st.sampled_from([" ", "\t", "\u3000", "\xa0", "\u2003", "\n", "\r\n", "\x1f", ""])


@SETTINGS
@given(datasets(), st.data())
def test_padded_cells_read_as_trimmed(dataset: Dataset, data: st.DataObject) -> None:
    import csv
    import io

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "d"
        write_folder(dataset, folder)
        for path in folder.glob("*.csv"):
            rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
            padded = [rows[0]] + [[data.draw(SPACES) + cell + data.draw(SPACES) for cell in row]
                                  for row in rows[1:]]
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(padded)
            path.write_text(buf.getvalue(), "utf-8")
        assert read_folder(folder) == dataset
