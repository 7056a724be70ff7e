"""The table of settings is the one place a setting is declared: every row is a `make_settings` keyword,
a `certify` CLI option and a pytest `--fc-*` option, and the same value given through any of the three
gives the same `Settings`. A row added to the table is checked here without a line of test added."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
from typing import Any

import click
import pytest

from fcvalidate.api import make_settings
from fcvalidate.certificate.statement import statement
from fcvalidate.cli import ToolError, main, settings_of
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.setting_table import BY_NAME, SETTINGS, Setting
from fcvalidate.engine.settings import Settings
from fcvalidate.errors import UsageError
from fcvalidate.files import bundled_contracts_dir
from fcvalidate.pytest_plugin import option_message, settings_from_config
from tests.conftest import DATA_FILE

pytest_plugins = ["pytester"]
URL = "http://127.0.0.1:9"  # never contacted: settings are only built
COMPANIONS = {"token_url": {"client_id": "id-1", "client_secret": "secret-1"}}  # it needs them


def value_for(setting: Setting, tmp_path: Path) -> Any:
    """A value of the setting's kind, never its default (so a front end that drops it is caught)."""
    special: dict[str, Any] = {
        "base_url": "http://127.0.0.1:8",
        "data": DATA_FILE,
        "operations": ["POST /service-orders"],
        "api_keys": ["X-Api-Key=key-1"],
        "basic": "user:password-1",
        "token_url": "/oauth/token",
        "cache_dir": tmp_path / "cache",
        "checks": ["fcvalidate.error-body", "fcvalidate.expected-outcome"],
        "exclude_checks": ["fcvalidate.success-body"],
    }
    if setting.name == "contracts":  # one of the bundled contracts: not the default, all of them
        folder = tmp_path / "contracts"
        folder.mkdir()
        first = sorted(bundled_contracts_dir().glob("*.openapi.json"))[0]
        (folder / first.name).write_bytes(first.read_bytes())
        return folder
    if setting.name == "conventions":
        path = tmp_path / "conventions.yaml"
        path.write_text("accept: [http]\n")
        return path
    if setting.name in special:
        return special[setting.name]
    by_kind = {"text": "text-1", "int": 7, "count": 3, "positive": 2.5, "flag": not setting.default}
    return by_kind[setting.kind]


def as_args(flag: str, setting: Setting, value: Any) -> list[str]:
    if setting.kind == "flag":
        return [flag]
    values = value if setting.kind == "list" else [value]
    return [arg for v in values for arg in (flag, str(v))]


def from_cli(args: list[str]) -> Settings:
    ctx = main.commands["certify"].make_context("certify", args)
    with ctx:
        return settings_of(ctx)


def comparable(settings: Settings) -> dict[str, Any]:
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    fields["contracts"] = [c.name for c in settings.contracts]
    return fields


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_a_keyword_an_option_and_a_plugin_option_with_one_meaning(
    setting, pytester, tmp_path, monkeypatch
):
    for row in SETTINGS:  # only what is given counts: nothing from the environment
        if row.env:
            monkeypatch.delenv(row.env, raising=False)
    value = value_for(setting, tmp_path)
    others = COMPANIONS.get(setting.name, {})
    keywords = {"base_url": URL, **others, setting.name: value}
    assert setting.name in inspect.signature(make_settings).parameters
    api = make_settings(**keywords)

    cli_args = as_args(setting.cli_flag, setting, value)
    plugin_args = as_args(setting.plugin_flag, setting, value)
    for name, other in {"base_url": URL, **others}.items():
        if name != setting.name:
            cli_args += as_args(BY_NAME[name].cli_flag, BY_NAME[name], other)
            plugin_args += as_args(BY_NAME[name].plugin_flag, BY_NAME[name], other)
    cli = from_cli(cli_args)
    plugin = settings_from_config(pytester.parseconfig(*plugin_args))

    assert comparable(cli) == comparable(api) == comparable(plugin)
    assert comparable(api) != comparable(make_settings(**{"base_url": URL, **others}))  # it took effect


def test_settings_and_the_cli_default_to_the_table():
    params = {p.name: p for p in main.commands["certify"].params}
    bare = Settings(URL, ())
    for setting in SETTINGS:
        if setting.kind != "list":  # a repeatable option's default is none given
            assert params[setting.name].default == setting.default, setting.name
        if setting.name in {f.name for f in dataclasses.fields(Settings)} and setting.default is not None:
            assert getattr(bare, setting.name) == setting.default, setting.name


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_an_error_names_the_setting_as_each_front_end_spells_it(setting, capsys):
    error = UsageError("wrong", setting.name)
    ToolError(error).show()
    assert capsys.readouterr().err == f"{setting.cli_flag}: wrong\n"
    assert option_message(error) == f"{setting.plugin_flag}: wrong"
    params = {p.name: p for p in main.commands["certify"].params}
    assert isinstance(params[setting.name], click.Option)
    assert setting.cli_flag in params[setting.name].opts


def test_the_settings_that_change_a_verdict_are_those_a_certificate_records():
    settings = make_settings(URL)
    result = RunResult(settings, 0.0, 0.0, True, (), {}, 0, ())
    recorded = statement(result, "0" * 64)["predicate"]["settings"]
    assert {s.verdict for s in SETTINGS if s.verdict} <= set(recorded)
