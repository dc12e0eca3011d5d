"""ConfinementPolicy / ResourceLimits validation, serialisation and the settings bridge."""

from __future__ import annotations

import json

import pytest

from athena_kernel.config import AthenaSettings
from athena_kernel.isolation.policy import (
    DEFAULT_REQUIRED,
    LAYERS,
    MIB,
    ConfinementPolicy,
    ResourceLimits,
    policy_from_settings,
)


def test_defaults_are_valid_and_round_trip_through_json() -> None:
    policy = ConfinementPolicy(scratch_dir="/tmp/s", read_paths=("/usr/share/zoneinfo",))
    data = json.loads(json.dumps(policy.to_dict()))
    assert ConfinementPolicy.from_dict(data) == policy
    assert data["required"] == sorted(DEFAULT_REQUIRED)
    assert policy.is_required("seccomp") and not policy.is_required("landlock")


def test_required_layers_exist() -> None:
    assert set(LAYERS) >= DEFAULT_REQUIRED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scratch_dir": "relative/dir"}, "absolute path"),
        ({"scratch_dir": "/s", "read_paths": "/usr"}, "sequence of paths"),
        ({"scratch_dir": "/s", "read_paths": ("usr",)}, "absolute paths"),
        ({"scratch_dir": "/s", "worker_uid": 0}, "non-root"),
        ({"scratch_dir": "/s", "required": {"selinux"}}, "unknown layer"),
        ({"scratch_dir": "/s", "required": "seccomp"}, "collection of layer names"),
        (
            {"scratch_dir": "/s", "required": {"seccomp"}, "disabled": {"seccomp"}},
            "both required and disabled",
        ),
    ],
)
def test_bad_policies_name_the_argument(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConfinementPolicy(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"memory_bytes": 0}, "memory_bytes"),
        ({"open_files": -1}, "open_files"),
        ({"cpu_seconds": 1.5}, "cpu_seconds"),
        ({"cpu_grace_seconds": -1}, "cpu_grace_seconds"),
    ],
)
def test_bad_limits_name_the_field(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ResourceLimits(**kwargs)


def test_from_dict_refuses_unknown_fields() -> None:
    data = ConfinementPolicy(scratch_dir="/s").to_dict()
    data["seccmop"] = False
    with pytest.raises(ValueError, match="seccmop"):
        ConfinementPolicy.from_dict(data)
    data = ConfinementPolicy(scratch_dir="/s").to_dict()
    data["limits"]["memroy_bytes"] = 1
    with pytest.raises(ValueError, match="memroy_bytes"):
        ConfinementPolicy.from_dict(data)


def test_with_changes_revalidates() -> None:
    policy = ConfinementPolicy(scratch_dir="/s")
    assert policy.with_changes(disabled=frozenset({"landlock"})).is_disabled("landlock")
    with pytest.raises(ValueError):
        policy.with_changes(disabled=frozenset({"seccomp"}))  # required by default


def test_policy_from_settings_uses_profile_limits() -> None:
    agent = policy_from_settings(AthenaSettings(environ={}, profile="agent"), "/s")
    human = policy_from_settings(AthenaSettings(environ={}, profile="human"), "/s")
    assert agent.limits.memory_bytes == 512 * MIB
    assert human.limits.memory_bytes == 2048 * MIB
    assert agent.limits.cpu_seconds is None  # cpu_limit_seconds = 0 means none
    settings = AthenaSettings(environ={"ATHENA_CPU_LIMIT_SECONDS": "30"})
    assert policy_from_settings(settings, "/s").limits.cpu_seconds == 30
