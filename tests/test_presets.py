"""Named presets: national defaults in the library, a region's rules with their sources."""

from __future__ import annotations

from pathlib import Path

import pytest

import advisors
from advisors.cli import run
from advisors.errors import DataError
from advisors.policy import Policy
from advisors.policy.presets import PRESETS


def test_the_library_defaults_are_national_and_the_preset_is_tibetan() -> None:
    assert Policy().hotline.required_languages == ()
    assert Policy().calendar.extended_days == {}
    qinghai = Policy.from_dict({"preset": "qinghai-tibetan-area"})
    assert qinghai.preset == "qinghai-tibetan-area"
    assert qinghai.hotline.required_languages == ("bo",)
    assert dict(qinghai.calendar.extended_days) == {"herding": 15}


def test_the_file_wins_over_the_preset_and_round_trips() -> None:
    policy = Policy.from_dict({"preset": "qinghai-tibetan-area",
                               "hotline": {"required_languages": ["bo", "zh"]},
                               "calendar": {"alarm_minutes": [60]}})
    assert policy.hotline.required_languages == ("bo", "zh")
    assert policy.calendar.extended_festivals == ("藏历新年",)  # the preset's, kept
    assert policy.calendar.alarm_minutes == (60,)
    assert Policy.from_dict(policy.as_dict()) == policy


def test_an_unknown_preset_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('preset = "tibet"\n', "utf-8")
    with pytest.raises(DataError) as err:
        Policy.from_toml(path)
    problem = err.value.problems[0]
    assert (problem.source, problem.field) == ("policy.toml", "preset")
    assert "qinghai-tibetan-area" in problem.expected


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_value_has_a_source_and_is_a_policy_key(name: str) -> None:
    preset = PRESETS[name]
    keys = {f"{s}.{k}" for s, values in preset.values.items() for k in values}
    assert keys == set(preset.sources) and all(preset.sources.values())
    Policy.from_dict({"preset": name})  # every value has the key's type


def test_init_with_a_preset_writes_it_with_its_sources(tmp_path: Path) -> None:
    code = run(["init", str(tmp_path / "d"), "--preset", "qinghai-tibetan-area"])
    assert code == 0
    text = (tmp_path / "d" / "policy.toml").read_text("utf-8")
    assert 'preset = "qinghai-tibetan-area"' in text and "法治日报" in text
    assert Policy.from_toml(tmp_path / "d" / "policy.toml") == Policy.from_dict(
        {"preset": "qinghai-tibetan-area"})


def test_the_tongren_example_uses_the_qinghai_preset(tongren: advisors.Dataset) -> None:
    assert tongren.policy.preset == "qinghai-tibetan-area"
    assert tongren.policy.hotline.required_languages == ("bo",)
