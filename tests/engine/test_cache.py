"""The disk cache of generated requests: a warm run sends byte-identical cases; misses, corrupt entries
and --no-cache generate afresh; parallel writers never leave half an entry."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fcvalidate import events
from fcvalidate.engine.cache import DrawCache, cache_key, default_cache_dir
from fcvalidate.engine.events import CaseFinished, RunFinished
from fcvalidate.engine.generate import Draw
from tests.conftest import DATA_FILE, TOKEN

SPA = "POST /service-problem-amendments"
DRAWS = [
    Draw(
        {"Tenant": "T1", "X-Odd": "\udcff ünï"}, {"id": 1, "n": [1.5, -0.0, None, True], "s": "中文"}, "first"
    ),
    Draw({}, b"\x00\xff{not json", "bytes"),
    Draw({"A": "b"}, None, ""),
]


def run_cases(url: str, **overrides):
    options = {"data": DATA_FILE, "token": TOKEN, "max_examples": 4, "operations": [SPA]} | overrides
    cases, result = [], None
    for event in events(url, **options):
        if isinstance(event, CaseFinished):
            c = event.exchange.case
            cases.append((c.id, c.method, c.headers, c.body))
        elif isinstance(event, RunFinished):
            result = event.result
    return cases, result


def test_entries_round_trip_exactly(tmp_path):
    cache = DrawCache(tmp_path)
    key = cache_key("sha", SPA, "positive", 0, 3)
    assert cache.get(key) is None
    cache.put(key, DRAWS)
    assert cache.get(key) == DRAWS
    assert (cache.hits, cache.misses) == (1, 1)
    assert cache_key("sha", SPA, "positive", 0, 3) == key
    assert len({key, cache_key("sha2", SPA, "positive", 0, 3), cache_key("sha", SPA, "negative", 0, 3)}) == 3
    assert len({key, cache_key("sha", SPA, "positive", 1, 3), cache_key("sha", SPA, "positive", 0, 4)}) == 3


@pytest.mark.parametrize("garbage", [b"", b"{", b"[]", b'{"draws": [{"headers": 1}]}', b"\xff\xfe"])
def test_a_corrupt_entry_is_a_miss(tmp_path, garbage):
    cache = DrawCache(tmp_path)
    key = cache_key("sha", SPA, "positive", 0, 3)
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_bytes(garbage)
    assert cache.get(key) is None and cache.misses == 1


def test_parallel_writers_leave_whole_entries(tmp_path):
    key = cache_key("sha", SPA, "positive", 0, 3)
    bad: list[object] = []

    def churn() -> None:
        cache = DrawCache(tmp_path)
        for _ in range(50):
            cache.put(key, DRAWS)
            got = cache.get(key)
            if got not in (None, DRAWS):
                bad.append(got)

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad
    assert [p.name for p in cache_files(tmp_path)] == [f"{key}.json"]  # no temporary file left behind


def test_an_unwritable_cache_costs_a_cold_run_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = DrawCache(blocker / "cache")
    cache.put("ab" * 32, DRAWS)
    assert cache.get("ab" * 32) is None


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv("FCVALIDATE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "fcvalidate"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "fcvalidate"
    monkeypatch.setenv("FCVALIDATE_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def cache_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_warm_run_sends_byte_identical_cases(reference_url, tmp_path):
    cold, first = run_cases(reference_url, cache_dir=tmp_path, seed=5)
    assert (first.cache_hits, first.cache_misses) == (0, 2)  # valid and fuzz draws of one operation
    assert len(cache_files(tmp_path)) == 2
    warm, second = run_cases(reference_url, cache_dir=tmp_path, seed=5)
    assert (second.cache_hits, second.cache_misses) == (2, 0)
    assert warm == cold
    other, third = run_cases(reference_url, cache_dir=tmp_path, seed=6)  # another seed: another key
    assert third.cache_misses == 2 and other != cold


def test_corrupt_entries_are_regenerated(reference_url, tmp_path):
    cold, _ = run_cases(reference_url, cache_dir=tmp_path)
    for path in cache_files(tmp_path):
        path.write_bytes(b'{"draws": [')
    again, result = run_cases(reference_url, cache_dir=tmp_path)
    assert (result.cache_hits, result.cache_misses) == (0, 2)
    assert again == cold
    warm, result = run_cases(reference_url, cache_dir=tmp_path)  # rewritten whole
    assert result.cache_hits == 2 and warm == cold


def test_no_cache_reads_and_writes_nothing(reference_url, tmp_path):
    cold, _ = run_cases(reference_url, cache_dir=tmp_path)
    for path in cache_files(tmp_path):
        path.write_bytes(b"[]")  # would be a miss if read
    fresh, result = run_cases(reference_url, cache_dir=tmp_path / "unused", cache=False)
    assert (result.cache_hits, result.cache_misses) == (0, 0)
    assert not (tmp_path / "unused").exists()
    assert fresh == cold
