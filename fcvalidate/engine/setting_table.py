"""The settings of a certification run, declared once: each one's type, default, help, environment
variable, and its name in each front end (CLI flag, pytest option, Python keyword). `Settings`' defaults,
the CLI's options, the plugin's `--fc-*` options and the option names in error messages derive from it.

Imports nothing: the CLI builds its options from this table before it loads the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "path", "int", "count", "positive", "flag", "list"]  # count ≥ 1; positive > 0


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # the `make_settings`/`certify` keyword (and the `Settings` field, where there is one)
    help: str  # the CLI's help; the plugin's too unless `plugin_help` says otherwise
    kind: Kind = "text"
    default: object = None  # None: unset (the engine decides, e.g. unlimited, bundled, from the env)
    env: str | None = None  # read when the option is not given, by the CLI and the plugin
    flag: str = ""  # the CLI option; "" → --NAME
    plugin: str = ""  # the pytest option after --fc-; "" → as the flag
    plugin_help: str | None = None
    metavar: str | None = None
    secret: bool = False  # never in a pytest ini file (files are committed), never shown
    verdict: str | None = None  # it can change the verdict: its key in a certificate's settings
    unit: str = ""  # what a number counts, for the error on a value out of range

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def plugin_flag(self) -> str:
        return "--fc-" + (self.plugin or self.cli_flag.removeprefix("--"))

    @property
    def plugin_dest(self) -> str:
        return "fc_" + self.plugin_flag.removeprefix("--fc-").replace("-", "_")


DEFAULT_CONCURRENCY = 16  # requests in flight at once: hides a remote implementation's latency
_CONVENTIONS_HELP = (
    "File of accepted conventions ({}); default: every shipped one but json-schema.enum-not-normalised."
)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "base_url",
        "The implementation under test, e.g. http://127.0.0.1:8080",
        plugin_help="Implementation to certify; enables the conformance items.",
    ),
    Setting("contracts", "Folder of compiled contracts (default: bundled).", "path"),
    Setting(
        "operations",
        'Only this operation, e.g. "POST /service-orders" (repeatable).',
        "list",
        flag="--operation",
        verdict="operations",
    ),
    Setting("token", "Bearer token (or env FCVALIDATE_TOKEN).", env="FCVALIDATE_TOKEN", secret=True),
    Setting(
        "token_url",
        "OAuth2 token endpoint (absolute, or a path on the base URL).",
        plugin_help="OAuth2 token endpoint.",
    ),
    Setting("client_id", "OAuth2 client id.", env="FCVALIDATE_CLIENT_ID"),
    Setting(
        "client_secret",
        "OAuth2 client secret (or env FCVALIDATE_CLIENT_SECRET).",
        env="FCVALIDATE_CLIENT_SECRET",
        secret=True,
    ),
    Setting(
        "api_keys",
        "An API key, NAME being its security scheme or its header/query/cookie name; "
        "SCHEME@HEADER (or SCHEME@query:NAME, SCHEME@cookie:NAME) places a key the document does not "
        "place (repeatable; or env FCVALIDATE_API_KEY).",
        "list",
        env="FCVALIDATE_API_KEY",
        flag="--api-key",
        metavar="NAME=VALUE",
        plugin_help="API key as NAME=VALUE, NAME its security scheme or header/query/cookie name "
        "(repeatable; or env FCVALIDATE_API_KEY).",
        secret=True,
    ),
    Setting(
        "basic",
        "HTTP Basic credentials for operations secured by basic (or env FCVALIDATE_BASIC).",
        env="FCVALIDATE_BASIC",
        metavar="USER:PASSWORD",
        plugin_help="HTTP Basic USER:PASSWORD for operations secured by basic (or env FCVALIDATE_BASIC).",
        secret=True,
    ),
    Setting(
        "data",
        "YAML/JSON file of known values and a foreign principal.",
        "path",
        plugin_help="Known values / foreign principal file (YAML or JSON).",
    ),
    Setting(
        "conventions",
        _CONVENTIONS_HELP.format("`accept: [http, fibre-cafe]`"),
        "path",
        plugin_help=_CONVENTIONS_HELP.format("accept: [...]"),
        verdict="conventions",
    ),
    Setting(
        "seed",
        "Same seed, same implementation: same cases, same verdict.",
        "int",
        0,
        plugin_help="Generation seed.",
        verdict="seed",
    ),
    Setting(
        "max_examples", "Generated requests per operation and mode.", "count", 20, verdict="max_examples"
    ),
    Setting(
        "max_concurrency",
        "Requests in flight at once.",
        "count",
        DEFAULT_CONCURRENCY,
        plugin_help=f"Requests in flight at once (default {DEFAULT_CONCURRENCY}).",
        verdict="max_concurrency",
    ),
    Setting(
        "rate_limit",
        "At most this many requests per second (default: unlimited).",
        "positive",
        plugin_help="At most this many requests per second.",
        verdict="rate_limit_rps",
        unit=" of requests per second",
    ),
    Setting(
        "cache_dir",
        "Where generated requests are cached (or env FCVALIDATE_CACHE_DIR; "
        "default: $XDG_CACHE_HOME/fcvalidate or ~/.cache/fcvalidate).",
        "path",
        env="FCVALIDATE_CACHE_DIR",
        plugin_help="Where generated requests are cached (or env FCVALIDATE_CACHE_DIR).",
    ),
    Setting(
        "cache",
        "Generate every request afresh; read and write no cache.",
        "flag",
        True,  # a flag whose default is on is given as its negation
        flag="--no-cache",
    ),
    Setting(
        "timeout",
        "Seconds to wait for each response.",
        "positive",
        5.0,
        verdict="timeout_s",
        unit=" of seconds",
    ),
    Setting(
        "read_only",
        "Send no request that may change data (only GET, HEAD, OPTIONS): for production endpoints.",
        "flag",
        False,
        plugin_help="Send no request that may change data (only GET, HEAD, OPTIONS).",
        verdict="read_only",
    ),
    Setting(
        "checks",
        "Run only this registered check, e.g. fcvalidate.error-body (repeatable; default: every one).",
        "list",
        flag="--check",
        metavar="NAME",
    ),
    Setting(
        "exclude_checks",
        "Do not run this registered check (repeatable).",
        "list",
        flag="--exclude-check",
        metavar="NAME",
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}
DEFAULTS = {s.name: s.default for s in SETTINGS}


def flag_of(setting: str) -> str:
    """The CLI option a setting named in an error is given with (`api_keys` and the credentials'
    `api_key` → `--api-key`)."""
    row = BY_NAME.get(setting)
    return row.cli_flag if row else "--" + setting.replace("_", "-")


def plugin_flag_of(setting: str) -> str:
    """The pytest option a setting named in an error is given with (`operations` → `--fc-operation`)."""
    row = BY_NAME.get(setting)
    return row.plugin_flag if row else "--fc-" + setting.replace("_", "-")
