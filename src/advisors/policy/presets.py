"""Named presets: a region's operating rules on top of the library's national defaults.

The library's defaults are neutral: they hold anywhere in China (or are one
county's practice, said so next to the key). A region's own rules — a
Tibetan speaker on every 12348 shift, Losar closing herding townships until
正月十五 — live in a named preset, each value with its source, chosen with
``preset = "qinghai-tibetan-area"`` in ``policy.toml`` or
``advisors init --preset qinghai-tibetan-area``. Keys the file sets win over
the preset's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

__all__ = ["PRESETS", "Preset", "with_preset"]


@attrs.frozen
class Preset:
    """A named set of policy values, each with where it comes from."""

    name: str
    title: str
    """What the preset is for, in one line."""
    values: Mapping[str, Mapping[str, Any]]
    """Section → key → value, as in ``policy.toml``."""
    sources: Mapping[str, str]
    """``section.key`` → the source of its value, or "assumption"."""


QINGHAI_TIBETAN_AREA: Final = Preset(
    "qinghai-tibetan-area",
    "Tibetan areas of Qinghai (Huangnan, Tongren): bilingual service, Losar",
    {
        "assignment": {"default_capacity": 4},
        "hotline": {"required_languages": ["bo"]},
        "calendar": {"extended_festivals": ["藏历新年"], "extended_days": {"herding": 15}},
        "training": {"instruction": "first", "new_candidates_per_village_year": 1},
    },
    {
        "assignment.default_capacity": "法治日报 2021-03-01 (青海大力培养汉藏双语村居法律顾问): "
                                       "4,605 villages and communities, 1,346 advisors, ≈3.4 each",
        "hotline.required_languages": "assumption: in a Tibetan area a Tibetan speaker answers "
                                      "every 12348 shift (Qinghai trains bilingual advisors, "
                                      "法治日报 2021-03-01)",
        "calendar.extended_festivals": "practitioner's review (DOMAIN.md): in herding areas "
                                       "Losar effectively closes work until 正月十五",
        "calendar.extended_days": "正月十五 is the 15th day from Losar's first day "
                                  "(practitioner's review, DOMAIN.md)",
        "training.instruction": "practitioner's review (DOMAIN.md): a bilingual trainer teaches "
                                "one mixed session; split by language only when needed",
        "training.new_candidates_per_village_year": "Qinghai: each village selects at least 1 "
                                                    "new candidate a year (DOMAIN.md)",
    },
)

PRESETS: Final[Mapping[str, Preset]] = {QINGHAI_TIBETAN_AREA.name: QINGHAI_TIBETAN_AREA}
"""Every bundled preset by name."""


def with_preset(data: Mapping[str, Any], preset: Preset) -> dict[str, Any]:
    """``data`` (a policy table) on top of ``preset``'s values: the file's keys win."""
    out: dict[str, Any] = {k: dict(v) for k, v in preset.values.items()}
    for key, value in data.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out
