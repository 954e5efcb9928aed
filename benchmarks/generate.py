"""Seeded synthetic datasets in the ``advisors`` dataset-folder format.

Usage::

    python benchmarks/generate.py SCALE OUT_DIR [--seed N]

``SCALE`` is one of ``township`` (25 villages), ``prefecture`` (1,000),
``province`` (4,605, Qinghai's count) or ``national`` (615,000, China's village
and residents' committees). The same scale and seed always give byte-identical
files. Rows are streamed township by township, so memory stays flat even at
national scale.

Everything here is fictional: names are built from short lists, phones are
``1000000dddd``-style, e-mails are ``@example.org``.

Standard library only.
"""

# ruff: noqa: UP031  -- %-formatting of ids and coordinates on the hot path, on purpose

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import time
from pathlib import Path

__all__ = ["SCALES", "Scale", "generate"]


class Scale:
    """Parameters of one named scale."""

    __slots__ = (
        "community_share",
        "lat0",
        "lat1",
        "lon0",
        "lon1",
        "name",
        "people_max",
        "people_min",
        "villages",
    )

    def __init__(
        self,
        name: str,
        villages: int,
        box: tuple[float, float, float, float],
        community_share: float,
        people: tuple[int, int],
    ) -> None:
        self.name = name
        self.villages = villages
        self.lat0, self.lat1, self.lon0, self.lon1 = box
        self.community_share = community_share
        self.people_min, self.people_max = people


def _box_km(
    lat: float, lon: float, width_km: float, height_km: float
) -> tuple[float, float, float, float]:
    """A (lat0, lat1, lon0, lon1) box of the given size in km centred on (lat, lon)."""
    dlat = height_km / 2 / 111.32
    dlon = width_km / 2 / (111.32 * math.cos(math.radians(lat)))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)


# Township centres are drawn inside the box; villages scatter around them.
SCALES: dict[str, Scale] = {
    # One township around Tongren (隆务镇 is at about 35.52N 102.02E).
    "township": Scale("township", 25, _box_km(35.52, 102.02, 40, 40), 0.08, (3, 6)),
    # A prefecture like Huangnan: a 300 km box.
    "prefecture": Scale("prefecture", 1_000, _box_km(35.3, 101.6, 300, 300), 0.08, (3, 6)),
    # Qinghai-sized: about 800 km east-west by 600 km north-south.
    "province": Scale("province", 4_605, _box_km(36.0, 98.5, 800, 600), 0.08, (3, 6)),
    # China-like box; 113,000 of 615,000 units are residents' committees.
    "national": Scale("national", 615_000, (22.0, 48.0, 80.0, 125.0), 113 / 615, (3, 4)),
}

VILLAGES_PER_TOWNSHIP = (20, 30)
VILLAGE_RADIUS_KM = (15.0, 25.0)  # per township: villages lie within this radius of the centre
ADVISOR_RADIUS_KM = 8.0  # advisors' offices lie within this radius of the township centre
TRAINER_RADIUS_KM = 10.0
VILLAGES_PER_TRAINER = 60
MIN_TRAINERS = 3
TOTAL_SLACK = (1.15, 1.25)  # advisor capacity / villages, per township
LANGUAGE_SLACK = (1.15, 1.25)  # capacity of advisors able to serve a language group / its villages
UNAVAILABLE_SHARE = 0.04  # advisors with a span of leave in December 2026

# Village languages "of a Tibetan area": 65% bo, 15% bo;zh, 20% zh on average.
# Each township draws its Tibetan share uniformly in [0.6, 1.0] (mean 0.8),
# and 65/80 of its Tibetan-speaking villages are bo-only.
TIBETAN_SHARE = (0.6, 1.0)
BO_ONLY_OF_TIBETAN = 65 / 80
# Advisors drawn from 55% bo;zh, 10% bo, 35% zh, then topped up where a
# language group would otherwise lack capacity.
ADVISOR_MIX = (("bo;zh", 0.55), ("bo", 0.10), ("zh", 0.35))
ADVISOR_ROLES = (
    ("lawyer", 0.50),
    ("legal_worker", 0.30),
    ("public_lawyer", 0.10),
    ("notary", 0.05),
    ("legal_aid", 0.05),
)
TOPICS = (
    "civil_code",
    "land_contract",
    "marriage_family",
    "mediation",
    "domestic_violence",
    "legal_aid",
)
UNAVAILABILITY_REASONS = ("leave", "training", "court", "sick", "travel")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗韩冶祁"
GIVEN = (
    "明",
    "华",
    "强",
    "军",
    "平",
    "伟",
    "芳",
    "静",
    "丽",
    "敏",
    "秀英",
    "建国",
    "海燕",
    "志刚",
    "玉兰",
    "永福",
    "桂花",
    "文杰",
    "德胜",
    "春梅",
    "国庆",
    "小红",
    "学军",
    "晓东",
)
TIBETAN = (
    "才让",
    "卓玛",
    "多杰",
    "扎西",
    "拉毛",
    "旦正",
    "索南",
    "尼玛",
    "完玛",
    "周加",
    "吉先",
    "仁青",
    "公保",
    "华旦",
    "措吉",
    "桑杰",
    "德吉",
    "更藏",
    "久美",
    "当周",
    "加措",
    "南加",
    "东智",
)

HEADERS = {
    "townships": ("id", "name", "name_bo"),
    "villages": (
        "id",
        "name",
        "name_bo",
        "township",
        "kind",
        "service_class",
        "languages",
        "lat",
        "lon",
        "population",
    ),
    "advisors": (
        "id",
        "name",
        "role",
        "organization",
        "languages",
        "phone",
        "email",
        "lat",
        "lon",
        "capacity",
        "hotline",
    ),
    "trainers": ("id", "name", "languages", "topics", "lat", "lon", "max_sessions_per_month"),
    "people": ("id", "name", "village", "role", "status", "languages", "phone", "certified_on"),
    "venues": ("id", "name", "township", "lat", "lon", "capacity"),
    "unavailability": ("who", "start", "end", "reason"),
}

KM_PER_DEG = 111.32


def _township_sizes(rng: random.Random, total: int) -> list[int]:
    """Split ``total`` villages into townships of about 20–30 each."""
    lo, hi = VILLAGES_PER_TOWNSHIP
    count = max(1, round(total / ((lo + hi) / 2)))
    if count == 1:
        return [total]
    sizes = [rng.randint(lo, hi) for _ in range(count)]
    diff = total - sum(sizes)
    step = 1 if diff > 0 else -1
    floor, ceil = lo - 2, hi + 2
    while diff:
        i = rng.randrange(count)
        if floor <= sizes[i] + step <= ceil:
            sizes[i] += step
            diff -= step
    return sizes


def _advisor_quotas(
    total: float, need_bo: float, need_bi: float, need_zh: float
) -> tuple[float, float, float]:
    """Capacity to give bo;zh, bo-only and zh-only advisors of one township.

    Start from the overall advisor mix and move capacity between groups only
    as far as the township's language needs require.
    """
    base = dict(ADVISOR_MIX)
    bi, bo, zh = base["bo;zh"] * total, base["bo"] * total, base["zh"] * total
    share_bo = base["bo"] / (base["bo"] + base["bo;zh"])
    deficit = need_bo - (bi + bo)  # too few Tibetan speakers: zh-only → bo / bo;zh
    if deficit > 0:
        take = min(deficit, zh)
        zh -= take
        bo += take * share_bo
        bi += take * (1 - share_bo)
        bi += deficit - take
    deficit = need_zh - (bi + zh)  # too few Chinese speakers: bo-only → bo;zh
    if deficit > 0:
        take = min(deficit, bo)
        bo -= take
        bi += take
        zh += deficit - take
    deficit = need_bi - bi  # too few bilinguals: monolinguals → bo;zh
    if deficit > 0:
        take = min(deficit, zh)
        zh -= take
        bi += take
        deficit -= take
        take = min(deficit, bo)
        bo -= take
        bi += take
        bi += deficit - take
    return bi, bo, zh


def _weighted(items: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Values and cumulative weights for a quick threshold lookup."""
    values, cum, acc = [], [], 0.0
    for value, weight in items:
        acc += weight
        values.append(value)
        cum.append(acc)
    cum[-1] = float("inf")
    return tuple(values), tuple(cum)


def _pick(values: tuple[str, ...], cum: tuple[float, ...], r: float) -> str:
    for value, c in zip(values, cum, strict=True):
        if r < c:
            return value
    return values[-1]  # pragma: no cover


def generate(scale: str, out_dir: Path, seed: int = 0) -> dict[str, int]:
    """Write a synthetic dataset of ``scale`` into ``out_dir``; return row counts per file.

    Same ``scale`` and ``seed`` → byte-identical files.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    sc = SCALES[scale]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Separate streams so that, e.g., changing the people generator does not
    # move every village.
    rng = random.Random(f"advisors-bench:{scale}:{seed}:geo")
    prng = random.Random(f"advisors-bench:{scale}:{seed}:people")
    arng = random.Random(f"advisors-bench:{scale}:{seed}:advisors")

    random_ = rng.random
    prandom = prng.random
    arandom = arng.random

    # Lookup tables, built once.
    zh_names = tuple(s + g for s in SURNAMES for g in GIVEN)
    bo_names = tuple(a + b for a in TIBETAN for b in TIBETAN if a != b) + TIBETAN
    n_zh, n_bo = len(zh_names), len(bo_names)
    people_phones = tuple("1000001%04d" % i for i in range(10_000))
    advisor_phones = tuple("1000000%04d" % i for i in range(10_000))
    day0 = dt.date(2022, 1, 1)
    cert_dates = tuple(
        (day0 + dt.timedelta(days=i)).isoformat()
        for i in range((dt.date(2026, 10, 31) - day0).days + 1)
    )
    n_dates = len(cert_dates)
    adv_roles = _weighted(ADVISOR_ROLES)
    org_kind = {
        "lawyer": "律师事务所",
        "legal_worker": "法律服务所",
        "public_lawyer": "司法所",
        "notary": "公证处",
        "legal_aid": "法律援助中心",
    }
    lat_lo, lat_hi, lon_lo, lon_hi = sc.lat0, sc.lat1, sc.lon0, sc.lon1
    pmin, pmax = sc.people_min, sc.people_max
    community_share = sc.community_share

    counts = dict.fromkeys(HEADERS, 0)
    files = {}
    writers = {}
    try:
        for name, header in HEADERS.items():
            fh = open(out_dir / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            files[name] = fh
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            writers[name] = w
        w_town, w_vil, w_adv = writers["townships"], writers["villages"], writers["advisors"]
        w_trn, w_ppl, w_ven = writers["trainers"], writers["people"], writers["venues"]
        w_una = writers["unavailability"]

        sizes = _township_sizes(rng, sc.villages)
        vid = aid = pid = rid = uid = 0
        trainer_credit = 0.0
        last_centre = (0.0, 0.0, 1.0)

        def trainer_row(clat: float, clon: float, coslat: float) -> None:
            nonlocal rid
            rid += 1
            r = arandom()
            langs = "bo;zh" if r < 0.60 else ("zh" if r < 0.85 else "bo")
            name = (
                bo_names[int(arandom() * n_bo)]
                if langs != "zh"
                else zh_names[int(arandom() * n_zh)]
            )
            # 2–4 topics, always including topic (rid mod 6) so that every
            # topic has trainers once there are six or more.
            chosen = {(rid - 1) % len(TOPICS)}
            chosen.update(arng.sample(range(len(TOPICS)), arng.randint(1, 3)))
            while len(chosen) < 2:
                chosen.add(arng.randrange(len(TOPICS)))
            chosen = sorted(chosen)
            topics = ";".join(TOPICS[i] for i in chosen)
            dist = TRAINER_RADIUS_KM * math.sqrt(arandom())
            ang = 2 * math.pi * arandom()
            lat = clat + dist * math.sin(ang) / KM_PER_DEG
            lon = clon + dist * math.cos(ang) / (KM_PER_DEG * coslat)
            w_trn.writerow(
                (
                    "R%06d" % rid,
                    name,
                    langs,
                    topics,
                    "%.5f" % lat,
                    "%.5f" % lon,
                    arng.randint(4, 10),
                )
            )

        for t, size in enumerate(sizes, 1):
            tid = "T%05d" % t
            is_town = random_() < 0.3
            tname = ("第%d镇" if is_town else "第%d乡") % t
            w_town.writerow((tid, tname, ""))
            # Centre inside the box, kept a radius away from its edges.
            radius = rng.uniform(*VILLAGE_RADIUS_KM)
            clat = rng.uniform(lat_lo, lat_hi)
            clon = rng.uniform(lon_lo, lon_hi)
            coslat = math.cos(math.radians(clat))
            rlat = radius / KM_PER_DEG
            rlon = radius / (KM_PER_DEG * coslat)
            clat = (
                min(max(clat, lat_lo + rlat), lat_hi - rlat)
                if lat_hi - lat_lo > 2 * rlat
                else (lat_lo + lat_hi) / 2
            )
            clon = (
                min(max(clon, lon_lo + rlon), lon_hi - rlon)
                if lon_hi - lon_lo > 2 * rlon
                else (lon_lo + lon_hi) / 2
            )
            last_centre = (clat, clon, coslat)
            w_ven.writerow(
                (
                    "S%05d" % t,
                    tname + "司法所培训室",
                    tid,
                    "%.5f" % clat,
                    "%.5f" % clon,
                    rng.choice((30, 40, 50, 60, 80)),
                )
            )

            tib = rng.uniform(*TIBETAN_SHARE)
            n_bo_only = n_bilingual = n_zh_only = 0
            vrows = []
            prows = []
            n_comm = 0
            n_vil = 0
            for _ in range(size):
                vid += 1
                v = "V%06d" % vid
                community = random_() < community_share
                r = random_()
                if r < tib * BO_ONLY_OF_TIBETAN:
                    langs = "bo"
                    n_bo_only += 1
                elif r < tib:
                    langs = "bo;zh"
                    n_bilingual += 1
                else:
                    langs = "zh"
                    n_zh_only += 1
                # Communities sit in the town centre; villages anywhere in the disc.
                frac = math.sqrt(random_()) * (0.3 if community else 1.0)
                ang = 2 * math.pi * random_()
                lat = clat + frac * rlat * math.sin(ang)
                lon = clon + frac * rlon * math.cos(ang)
                if community:
                    n_comm += 1
                    vname = "%s%d社区" % (tname, n_comm)
                    kind = service = "community"
                    pop = int(rng.lognormvariate(8.3, 0.5))  # ~4,000
                else:
                    n_vil += 1
                    vname = "%s%d村" % (tname, n_vil)
                    kind = "village"
                    service = "suburban" if frac < 0.4 else "remote"
                    pop = int(rng.lognormvariate(6.9, 0.5))  # ~1,000
                vrows.append(
                    (v, vname, "", tid, kind, service, langs, "%.5f" % lat, "%.5f" % lon, pop)
                )

                # People: at least pmin, mostly legal-savvy and active.
                for _k in range(prng.randint(pmin, pmax)):
                    pid += 1
                    r = prandom()
                    role = "legal_savvy" if r < 0.78 else ("cadre" if r < 0.90 else "liaison")
                    r = prandom()
                    status = "active" if r < 0.82 else ("candidate" if r < 0.94 else "inactive")
                    r = prandom()
                    if langs == "bo":
                        plang = "bo" if r < 0.7 else "bo;zh"
                        tibetan_name = r < 0.97
                    elif langs == "zh":
                        plang = "zh" if r < 0.9 else "bo;zh"
                        tibetan_name = r >= 0.85
                    else:
                        plang = "bo;zh"
                        tibetan_name = r < 0.7
                    name = (
                        bo_names[int(prandom() * n_bo)]
                        if tibetan_name
                        else zh_names[int(prandom() * n_zh)]
                    )
                    phone = people_phones[pid % 10_000] if prandom() < 0.9 else ""
                    cert = (
                        cert_dates[int(prandom() * n_dates)]
                        if role == "legal_savvy" and status != "candidate"
                        else ""
                    )
                    prows.append(("P%07d" % pid, name, v, role, status, plang, phone, cert))
            w_vil.writerows(vrows)
            w_ppl.writerows(prows)
            counts["people"] += len(prows)

            # Advisors: enough capacity overall and for each language group
            # under "an advisor must speak all of the village's languages".
            s_total = arng.uniform(*TOTAL_SLACK)
            s_lang = arng.uniform(*LANGUAGE_SLACK)
            need_total = s_total * size
            need_bo = s_lang * (n_bo_only + n_bilingual)  # bo or bo;zh advisors
            need_bi = s_lang * n_bilingual  # bo;zh advisors
            need_zh = s_lang * (n_zh_only + n_bilingual)  # zh or bo;zh advisors
            q_bi, q_bo, q_zh = _advisor_quotas(need_total, need_bo, need_bi, need_zh)
            plan = []  # (languages, capacity)
            for alang, quota in (("bo;zh", q_bi), ("bo", q_bo), ("zh", q_zh)):
                got = 0
                while got < quota:
                    cap = arng.randint(3, 6)
                    left = quota - got
                    if got and left < 1.5:  # close enough: the slack absorbs it
                        break
                    if cap > left:  # trim the last one to limit overshoot
                        cap = max(3, math.ceil(left))
                    got += cap
                    plan.append((alang, cap))
            # Safety net for rounding: top up any group still short.
            cap_total = sum(c for _, c in plan)
            cap_bo = sum(c for lg, c in plan if lg != "zh")
            cap_zh = sum(c for lg, c in plan if lg != "bo")
            cap_bi = sum(c for lg, c in plan if lg == "bo;zh")
            while (
                cap_total < size
                or cap_bo < n_bo_only + n_bilingual
                or cap_zh < n_zh_only + n_bilingual
                or cap_bi < n_bilingual
            ):
                cap = arng.randint(3, 6)
                plan.append(("bo;zh", cap))
                cap_total += cap
                cap_bo += cap
                cap_zh += cap
                cap_bi += cap
            arng.shuffle(plan)
            for alang, cap in plan:
                aid += 1
                a = "A%06d" % aid
                role = _pick(*adv_roles, arandom())
                name = (
                    bo_names[int(arandom() * n_bo)]
                    if alang != "zh" and arandom() < 0.8
                    else zh_names[int(arandom() * n_zh)]
                )
                org = "%s%s" % (tname, org_kind[role])
                email = "" if arandom() < 0.4 else "%s@example.org" % a.lower()
                hotline = "true" if arandom() < (0.45 if role == "lawyer" else 0.1) else "false"
                dist = ADVISOR_RADIUS_KM * math.sqrt(arandom())
                ang = 2 * math.pi * arandom()
                lat = clat + dist * math.sin(ang) / KM_PER_DEG
                lon = clon + dist * math.cos(ang) / (KM_PER_DEG * coslat)
                w_adv.writerow(
                    (
                        a,
                        name,
                        role,
                        org,
                        alang,
                        advisor_phones[aid % 10_000],
                        email,
                        "%.5f" % lat,
                        "%.5f" % lon,
                        cap,
                        hotline,
                    )
                )
                if arandom() < UNAVAILABLE_SHARE:
                    uid += 1
                    start = arng.randint(1, 28)
                    end = min(31, start + arng.randint(0, 4))
                    w_una.writerow(
                        (
                            a,
                            "2026-12-%02d" % start,
                            "2026-12-%02d" % end,
                            UNAVAILABILITY_REASONS[int(arandom() * 5)],
                        )
                    )

            # Trainers: about one per 60 villages, near township centres.
            trainer_credit += size / VILLAGES_PER_TRAINER
            while trainer_credit >= 1.0:
                trainer_credit -= 1.0
                trainer_row(clat, clon, coslat)

        while rid < MIN_TRAINERS:
            trainer_row(*last_centre)
        if uid == 0 and aid:
            # Small scales: keep at least one span so that code paths run.
            uid += 1
            start = arng.randint(1, 28)
            w_una.writerow(
                (
                    "A%06d" % arng.randint(1, aid),
                    "2026-12-%02d" % start,
                    "2026-12-%02d" % min(31, start + 2),
                    "leave",
                )
            )

        counts["townships"] = counts["venues"] = len(sizes)
        counts["villages"] = vid
        counts["advisors"] = aid
        counts["trainers"] = rid
        counts["unavailability"] = uid
    finally:
        for fh in files.values():
            fh.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic advisors dataset folder.")
    parser.add_argument("scale", choices=tuple(SCALES))
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.scale, args.out_dir, args.seed)
    elapsed = time.perf_counter() - t0
    for name, n in counts.items():
        size = (args.out_dir / f"{name}.csv").stat().st_size
        print(f"{name + '.csv':22} {n:>10,} rows {size / 1e6:>9.2f} MB")
    print(f"{args.scale} seed={args.seed} in {elapsed:.2f} s → {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
