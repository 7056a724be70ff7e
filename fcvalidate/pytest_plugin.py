"""pytest plugin (pytest11 entry point): conformance inside another repository's test suite.

Silent unless asked: without --fc-base-url (or the `fc_base_url` ini option) it adds no items, and no
fixture touches the network until a test requests it. With a base URL it adds one item per requirement
per operation (`POST /service-orders::required-headers`), each passing or failing with the same message,
clause and reproducer as `fcvalidate certify`. The engine runs once per process, on the operations of the
selected items, when the first item runs, so `-k`, `-m` and pytest-xdist all work on the same items. When
fcvalidate cannot run at all, the first selected item fails once with the message (naming the --fc-*
option) and the others are skipped with a pointer to it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from fcvalidate.engine.setting_table import BY_NAME, SETTINGS, Setting, plugin_flag_of
from fcvalidate.requirements import REQUIREMENTS

_CERTIFICATE_OPTIONS = (  # not run settings: what is done with the run's result
    ("certificate", "Also write a signed certificate here (and its evidence report.json beside it)."),
    ("signing_key", "Ed25519 private key (PEM) that signs the certificate."),
    ("implementation", "What the certificate says was certified, NAME@VERSION."),
)


class FcValidateWarning(UserWarning):
    """A SHOULD requirement missed, or a documentation gap met, during certification."""


class FcValidateFailure(AssertionError):
    """A conformance requirement failed; the message is the report's finding text."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """An --fc-* option (and, but for secrets, an `fc_*` ini key) per setting of the table."""
    group = parser.getgroup("fcvalidate", "fcvalidate contract conformance")
    for setting in SETTINGS:
        help_text = setting.plugin_help or setting.help
        extra: dict[str, Any] = {}
        if setting.kind == "list":
            extra = {"action": "append", "default": []}
        elif setting.kind == "flag":  # None: not given, so the ini file or the default decides
            extra = {"action": "store_const", "const": not setting.default, "default": None}
        elif setting.kind in _NUMBER:
            extra = {"type": _NUMBER[setting.kind]}
        group.addoption(setting.plugin_flag, dest=setting.plugin_dest, help=help_text, **extra)
        if not setting.secret:  # ini files are committed: secrets come from the command line or the env
            kind: Literal["linelist", "string"] = "linelist" if setting.kind == "list" else "string"
            parser.addini(f"fc_{setting.name}", help_text, type=kind)
    for name, help_text in _CERTIFICATE_OPTIONS:
        group.addoption(f"--fc-{name.replace('_', '-')}", dest=f"fc_{name}", help=help_text)


_NUMBER: dict[str, type] = {"int": int, "count": int, "positive": float}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fcvalidate: a contract-conformance item added by fcvalidate")
    config.addinivalue_line("markers", "fc_faults(*names): run fc_reference_server with these faults")


def fc_setting(config: pytest.Config, name: str) -> Any:
    """Setting `name` (a `make_settings` keyword): command line, then ini file, then the environment."""
    setting = BY_NAME[name]
    value = _given(config, setting)
    if isinstance(value, str) and setting.kind in _NUMBER:
        return _NUMBER[setting.kind](value)
    if isinstance(value, str) and setting.kind == "flag":
        return value.strip().lower() in ("1", "true", "yes", "on")
    return value


def _given(config: pytest.Config, setting: Setting) -> Any:
    value = config.getoption(setting.plugin_dest, None)
    if value in (None, []) and not setting.secret:
        ini = config.getini(f"fc_{setting.name}")
        value = ini if ini not in ("", []) else None
    if value in (None, []) and setting.env and os.environ.get(setting.env):  # set but empty: not given
        env = os.environ[setting.env]
        return env.split() if setting.kind == "list" else env
    return value


# fc_settings may name a setting as its option does (`operation`, `api_key`), or as its keyword
_KEYWORD_OF = {s.plugin_dest.removeprefix("fc_"): s.name for s in SETTINGS if s.kind != "flag"}


def settings_from_config(config: pytest.Config, base_url: str | None = None, **overrides: Any) -> Any:
    """`fcvalidate.make_settings` from the --fc-* options, the ini file and the environment."""
    from fcvalidate.api import make_settings

    options = {setting.name: fc_setting(config, setting.name) for setting in SETTINGS}
    options = {name: value for name, value in options.items() if value not in (None, [])}
    options |= {_KEYWORD_OF.get(name, name): value for name, value in overrides.items()}
    url = options.pop("base_url", None)
    return make_settings(base_url or url, **options)


def option_message(exc: Exception) -> str:
    """A tool error in this plugin's words: the setting at fault named as its --fc-* option."""
    setting = getattr(exc, "setting", None)
    return f"{plugin_flag_of(setting)}: {exc}" if setting else str(exc)


# -- zero-code use: items ----------------------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: the items must exist to be selected
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not fc_setting(config, "base_url"):
        return
    from fcvalidate.engine.runner import select_operations
    from fcvalidate.errors import FcValidateError
    from fcvalidate.files import load_contracts

    contracts_dir = fc_setting(config, "contracts")
    try:
        contracts = load_contracts([Path(contracts_dir)] if contracts_dir else None)
        operations = select_operations(contracts, fc_setting(config, "operations") or ())
    except FcValidateError as exc:
        raise pytest.UsageError(f"fcvalidate: {option_message(exc)}") from None
    for op in operations:
        group = _Operation.from_parent(session, name=op.label, nodeid=op.label)
        collected = group.collect()
        # Reported as pytest reports any collector's result, so "collected N items", -k's "selected" count
        # and --collect-only count these items like any other.
        config.hook.pytest_collectreport(report=pytest.CollectReport(group.nodeid, "passed", None, collected))
        items.extend(collected)


class _Operation(pytest.Collector):
    """One documented operation: one item per requirement."""

    def collect(self) -> list[Any]:
        return [
            ConformanceItem.from_parent(
                self, name=req.id.value, operation=self.name, requirement=req.id.value
            )
            for req in REQUIREMENTS
        ]


class _Runs:
    """One engine run over the operations of the selected items, once per process, when first needed:
    the same run, and so the same verdicts, as `fcvalidate certify` on those operations.

    A tool error (no token, a wrong token, nothing listening, a missing data file) stops that one run, so
    it is reported once: by the first selected item, which fails with the message; every other item is
    skipped with a pointer to it. Every xdist worker selects the same items and meets the same error, so
    across workers, too, only that item fails."""

    def __init__(self, session: pytest.Session) -> None:
        self.session = session
        self.results: dict[tuple[str, str], Any] | None = None
        self.data: Any = None
        self.error: str | None = None

    def result(self, item: ConformanceItem) -> Any:
        if self.results is None and self.error is None:
            self._certify()
        if self.error is not None:
            owner = self._items()[0].nodeid
            if item.nodeid == owner:
                raise FcValidateFailure(self.error)
            pytest.skip(f"fcvalidate could not run: see the failure of {owner}")
        assert self.results is not None
        return self.results.get((item.operation, item.requirement)), self.data

    def _items(self) -> list[ConformanceItem]:
        return [i for i in self.session.items if isinstance(i, ConformanceItem)]

    def _certify(self) -> None:
        from fcvalidate.api import certify_settings
        from fcvalidate.errors import FcValidateError
        from fcvalidate.report.data import report_data

        operations = list(dict.fromkeys(i.operation for i in self._items()))
        config = self.session.config
        signing = {name: config.getoption(f"fc_{name}", None) for name, _ in _CERTIFICATE_OPTIONS}
        try:
            result = certify_settings(settings_from_config(config, operations=operations), **signing)
        except FcValidateError as exc:
            self.error = f"fcvalidate could not run: {option_message(exc)}"
            return
        self.data = report_data(result)
        self.results = {(r["operation"], r["requirement"]): r for r in self.data["results"]}


_RUNS_KEY = pytest.StashKey[_Runs]()


class ConformanceItem(pytest.Item):
    def __init__(self, *, operation: str, requirement: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation = operation
        self.requirement = requirement
        self.add_marker("fcvalidate")
        self.keywords[requirement] = True

    def runtest(self) -> None:
        from fcvalidate.report.junit import finding_text

        runs = self.config.stash.setdefault(_RUNS_KEY, _Runs(self.session))
        result, data = runs.result(self)
        if result is None:  # pragma: no cover - every requirement is judged
            raise FcValidateFailure(f"no verdict for {self.requirement}")
        text = "\n\n".join(finding_text(f, data) for f in result["findings"])
        if result["status"] == "failed":
            raise FcValidateFailure(f"{result['title']} ({result['level']}): failed\n\n{text}")
        if result["status"] == "skipped":
            pytest.skip(result["reason"])
        if result["status"] == "warning":
            warnings.warn(FcValidateWarning(f"{self.operation} {self.requirement}: {text}"), stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, FcValidateFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "fcvalidate", None, f"{self.operation}::{self.requirement}"


# -- fixture use -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def fc_contracts(pytestconfig: pytest.Config) -> list[Any]:
    """The compiled contracts (--fc-contracts / fc_contracts, default: bundled)."""
    from fcvalidate.files import load_contracts

    contracts_dir = fc_setting(pytestconfig, "contracts")
    return load_contracts([Path(contracts_dir)] if contracts_dir else None)


@pytest.fixture(scope="session")
def fc_settings() -> dict[str, Any]:
    """Defaults for `fc_certify` (token, data, seed, max_examples, ...); override in a conftest.

    Anything not given here comes from the --fc-* options, the ini file and the environment.
    """
    return {}


@pytest.fixture
def fc_certify(pytestconfig: pytest.Config, fc_settings: dict[str, Any]) -> Callable[..., Any]:
    """Run the engine on a base URL and return its `RunResult` (`.verdict`, `.results`, `.exchanges`).

    Keyword arguments override `fc_settings`, which override the plugin's options.
    """
    from fcvalidate.engine.runner import certify

    def run(base_url: str, **overrides: Any) -> Any:
        return certify(settings_from_config(pytestconfig, base_url, **{**fc_settings, **overrides}))

    return run


REFERENCE_TOKEN = "fc-reference-token"  # a fixed local credential of the embedded server, not a secret


@pytest.fixture(scope="session")
def fc_reference_server_settings() -> dict[str, Any]:
    """Override in a conftest to start the reference server differently (tokens, faults, db...)."""
    return {"tokens": (REFERENCE_TOKEN,)}


@pytest.fixture(scope="session")
def _fc_session_server(fc_reference_server_settings: dict[str, Any]) -> Iterator[Any]:
    from fcvalidate.server.background import running_server

    with running_server(**fc_reference_server_settings) as server:
        yield server


@pytest.fixture
def fc_reference_server(
    request: pytest.FixtureRequest, fc_reference_server_settings: dict[str, Any]
) -> Iterator[str]:
    """The embedded reference implementation's base URL (token: `fcvalidate.pytest_plugin.REFERENCE_TOKEN`).

    `@pytest.mark.fc_faults("no-auth", ...)` starts one with those faults for the test.
    """
    marker = request.node.get_closest_marker("fc_faults")
    if marker is None:
        server = request.getfixturevalue("_fc_session_server")
        server.reset()  # each test starts from the seeded data, whatever the one before it stored
        yield server.url
        return
    from fcvalidate.server import serve_in_background

    with serve_in_background(**{**fc_reference_server_settings, "faults": tuple(marker.args)}) as url:
        yield url
