"""Every command and Python example of README.md and docs/*.md runs as written, so none can rot.

The examples are the fenced blocks of the Markdown:
- ```sh: each command (continued lines joined, comments dropped) is run by bash, in order, in one fresh
  working directory per page, and must exit 0 (or N, for a block preceded by `<!-- exit: N -->`);
  `export NAME=VALUE` carries over to the page's later commands. A `fcvalidate serve` command must print
  its URL, answer a request and stop on SIGTERM with exit 0.
- ```python: run as a script; preceded by `<!-- pytest-file -->`, run as a pytest file whose every test
  must pass.
- ```yaml: must parse; preceded by `<!-- file: NAME -->`, written to NAME before the page's commands run.
- ```text: a picture, not run. Any other language fails the test (nothing silently escapes).
A block preceded by `<!-- not-run: reason -->` is not run; NOT_RUN below lists each one, so a new one
fails until it is named here.

The working directory: `.venv`, `benchmarks` and `tests` link to this checkout (a conftest.py keeps
pytest from collecting the last two), `contracts/` is a copy (`fcvalidate compile` writes there),
`my-documents/` a copy of the test corpus's pet-shop API (the reader's own endpoint documents). $TOKEN, $SECRET and $KEY are the test servers' credentials. The only
changes made to the commands (substitutions):
- `http://127.0.0.1:8080` and `https://supplier.example/api` → a reference server started here
  (token `dev-token` = $TOKEN, OAuth2 client `fcv` with $SECRET);
- `https://auth.supplier.example/oauth2/token` → that server's token endpoint;
- `http://127.0.0.1:8081` → a reference server with the fault `crash-on-unicode`;
- `https://pets.example` → a reference server of the pet-shop documents (API key $KEY);
- a `fcvalidate serve` command's `--port N` → `--port 0` (added when absent): a free port.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from fcvalidate.files import compile_to
from fcvalidate.server import serve_in_background

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PET_SHOP = ROOT / "tests" / "contract" / "corpus" / "pet-shop"
CORPUS_DATA = ROOT / "tests" / "server" / "corpus-data.yaml"
TOKEN, SECRET, KEY = "dev-token", "docs-secret-7c1e", "docs-key-52ab"
NOT_RUN = {
    ("README.md", "make demo"): "the suite itself; `fcvalidate demo` is run from docs/getting-started.md",
    ("getting-started.md", "make demo"): "the same",
    ("benchmarks.md", "make bench"): "minutes of full budgets; the --quick form is run",
}
BLOCK = re.compile(
    r"(?:<!--\s*(?P<mark>[\w-]+)(?::\s*(?P<arg>.*?))?\s*-->\s*\n)?^```(?P<lang>\w*)\n(?P<body>.*?)^```",
    re.S | re.M,
)
COMMAND_TIMEOUT = 180


@dataclass(frozen=True, slots=True)
class Block:
    page: str
    lang: str
    body: str
    mark: str | None
    arg: str | None

    @property
    def first_line(self) -> str:
        return self.body.strip().splitlines()[0]


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(page.name, m["lang"], m["body"], m["mark"], (m["arg"] or "").strip() or None)
        for m in BLOCK.finditer(text)
    ]


def commands(body: str) -> Iterator[str]:
    """The block's commands: continued lines joined, comment lines and trailing comments dropped."""
    for logical in re.sub(r"\\\n\s*", " ", body).splitlines():
        command = re.sub(r"\s+#\s.*$", "", logical).strip()
        if command and not command.startswith("#"):
            yield command


def test_every_block_is_of_a_known_kind():
    kinds = {(b.page, b.lang, b.mark) for page in PAGES if page.name not in OWN_TEST for b in blocks(page)}
    assert {lang for _, lang, _ in kinds} <= {"sh", "python", "yaml", "text"}
    assert {mark for _, _, mark in kinds} <= {None, "not-run", "file", "exit", "pytest-file"}


def test_the_blocks_not_run_are_exactly_these():
    not_run = {
        (b.page, b.first_line.split("#")[0].strip()): b.arg
        for page in PAGES
        for b in blocks(page)
        if b.mark == "not-run"
    }
    assert sorted(not_run) == sorted(NOT_RUN)
    assert all(not_run.values()), "a not-run block says why"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    pets = tmp_path_factory.mktemp("pet-contracts")
    compile_to([PET_SHOP], pets)
    with (
        serve_in_background(tokens=(TOKEN,), clients=(("fcv", SECRET),)) as main,
        serve_in_background(tokens=(TOKEN,), faults=("crash-on-unicode",)) as broken,
        serve_in_background(
            tokens=(TOKEN,), contracts_dir=pets, api_keys=(("ApiKeyAuth", KEY),), data=CORPUS_DATA
        ) as pet_shop,
    ):
        yield {
            "https://auth.supplier.example/oauth2/token": f"{main}/oauth2/token",
            "https://supplier.example/api": main,
            "http://127.0.0.1:8080": main,
            "http://127.0.0.1:8081": broken,
            "https://pets.example": pet_shop,
        }


def workdir(tmp_path: Path) -> Path:
    for name in (".venv", "benchmarks", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    shutil.copytree(PET_SHOP, tmp_path / "my-documents")
    # the reader's repository has tests of its own; the links to this checkout's are not among them
    (tmp_path / "conftest.py").write_text('collect_ignore = ["tests", "benchmarks"]\n', encoding="utf-8")
    return tmp_path


def run_serve(command: str, cwd: Path, env: dict[str, str]) -> None:
    if re.search(r"--port \d+", command):
        command = re.sub(r"--port \d+", "--port 0", command)
    else:
        command += " --port 0"
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}" if "=" not in command.split()[0] else command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url, f"{command}: printed {line!r}, not its URL"
        assert httpx.get(url.group(0), timeout=10).status_code < 500
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, f"{command}: exit {proc.returncode}\n{line}{out}"


def run_command(command: str, cwd: Path, env: dict[str, str], expected: int) -> None:
    export = re.fullmatch(r"export (\w+)=(.*)", command)
    if export:  # the value as bash expands it, kept for the page's later commands
        shown = subprocess.run(
            ["bash", "-c", f"printf %s {export[2]}"], env=env, capture_output=True, text=True
        )
        env[export[1]] = shown.stdout
        return
    if re.search(r"fcvalidate serve\b", command) and "--list-faults" not in command:
        run_serve(command, cwd, env)
        return
    proc = subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == expected, f"{command}: exit {proc.returncode}, not {expected}\n{output[-3000:]}"
    assert "Traceback" not in output, f"{command}:\n{output[-3000:]}"


def run_python(block: Block, cwd: Path, env: dict[str, str]) -> None:
    if block.mark == "pytest-file":
        (cwd / "test_docs_example.py").write_text(block.body, encoding="utf-8")
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_docs_example.py"]
        wanted = f"{len(re.findall(r'^def test_', block.body, re.M))} passed"
    else:
        argv, wanted = [sys.executable, "-c", block.body], ""
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0 and wanted in output, f"{block.page} python block:\n{output[-3000:]}"


# Pages whose walk-through needs a setting of its own (keys, a second version of the contracts, a server
# that revokes a credential): each is run as written by its own test, which names the page.
OWN_TEST = {
    "certificate.md": "tests/certificate/test_docs.py",
    "versions.md": "tests/versions/test_docs.py",
    "basic-auth.md": "tests/test_basic_auth_doc.py",
    "evidence.md": "tests/test_docs_evidence.py",
    "compiler.md": "tests/contract/test_compiler_doc.py",
    "boundaries-and-credentials.md": "tests/test_docs_boundaries.py",
    "mutation.md": "tests/benchmarks/test_mutation_doc.py",  # the sample command (the full run: minutes)
}
RUNNABLE = [
    page
    for page in PAGES
    if page.name not in OWN_TEST and any(b.lang in {"sh", "python"} for b in blocks(page))
]


def test_the_pages_run_elsewhere_are_run_by_their_own_test():
    for page, test in OWN_TEST.items():
        assert (ROOT / "docs" / page).is_file(), page
        assert page in (ROOT / test).read_text(encoding="utf-8"), f"{test} does not run docs/{page}"


@pytest.mark.parametrize("page", RUNNABLE, ids=[page.name for page in RUNNABLE])
def test_the_examples_of_the_page_run(page: Path, servers: dict[str, str], tmp_path: Path):
    cwd = workdir(tmp_path)
    env = {**os.environ, "TOKEN": TOKEN, "SECRET": SECRET, "KEY": KEY}
    env.pop("FCVALIDATE_TOKEN", None)
    page_blocks = blocks(page)
    for block in page_blocks:
        if block.lang == "yaml":
            yaml.safe_load(block.body)
            if block.mark == "file":
                (cwd / str(block.arg)).write_text(block.body, encoding="utf-8")
    ran = 0
    for block in page_blocks:
        if block.mark == "not-run" or block.lang not in {"sh", "python"}:
            continue
        if block.lang == "python":
            run_python(block, cwd, env)
        else:
            body = block.body
            for url, local in servers.items():
                body = body.replace(url, local)
            expected = int(block.arg or 0) if block.mark == "exit" else 0
            for command in commands(body):
                run_command(command, cwd, env, expected)
        ran += 1
    assert ran


def test_the_fault_table_is_generated_from_the_catalogue():
    """docs/reference-server.md holds a marker; the MkDocs hook puts one row per fault there."""
    import importlib.util

    from fcvalidate.server import FAULTS

    spec = importlib.util.spec_from_file_location("fault_table", ROOT / "docs" / "_hooks" / "fault_table.py")
    assert spec and spec.loader
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = (ROOT / "docs" / "reference-server.md").read_text(encoding="utf-8")
    assert page.count(hook.MARKER) == 1
    rendered = hook.on_page_markdown(page, page=None)
    rows = [line for line in rendered.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [fault.id for fault in FAULTS]
    assert f"{len(FAULTS)} faults" in rendered and hook.MARKER not in rendered
