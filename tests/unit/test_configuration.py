"""Settings: precedence, profiles, environment variables, and the reference in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from traitlets.config import Config

from athena_kernel.config import AthenaSettings, settings_reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_profile_defaults() -> None:
    agent = AthenaSettings(environ={})
    human = AthenaSettings(environ={}, profile="human")
    assert (agent.max_output_chars, agent.cell_timeout) == (2000, 30.0)
    assert (human.max_output_chars, human.cell_timeout) == (100_000, 600.0)
    assert agent.summarize_binary_outputs and not human.summarize_binary_outputs


def test_environment_wins_over_config() -> None:
    config = Config()
    config.AthenaSettings.cell_timeout = 10.0
    config.AthenaSettings.profile = "agent"
    env = {"ATHENA_CELL_TIMEOUT": "42", "ATHENA_PROFILE": "human", "ATHENA_STORE": "/tmp/x.db"}
    settings = AthenaSettings(config=config, environ=env)
    assert settings.cell_timeout == 42.0
    assert settings.profile == "human"
    assert settings.max_output_chars == 100_000  # follows the profile the environment chose
    assert settings.resolved_store_path() == "/tmp/x.db"


def test_list_settings_from_environment() -> None:
    settings = AthenaSettings(environ={"ATHENA_ALLOWED_MODULES": "math, json ,re"})
    assert settings.allowed_modules == ["math", "json", "re"]


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="ATHENA_CELL_TIMEOUT"):
        AthenaSettings(environ={"ATHENA_CELL_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="ATHENA_PROFILE"):
        AthenaSettings(environ={"ATHENA_PROFILE": "robot"})


def test_every_setting_has_help_and_is_documented() -> None:
    text = DOC.read_text()
    block = re.search(
        r"<!-- settings-reference:.*?-->\n(.*)<!-- end settings-reference -->", text, re.S
    )
    assert block, "docs/configuration.md lost its settings-reference block"
    assert block.group(1) == settings_reference(), (
        "docs/configuration.md is out of date: paste athena_kernel.config.settings_reference()"
    )
    for name, trait in AthenaSettings.class_traits(config=True).items():
        assert trait.help.strip(), f"setting {name} has no help"
        assert f"`{name}`" in text
