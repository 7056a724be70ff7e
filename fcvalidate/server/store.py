"""The reference implementation's data (SQLite): service problems, their owning tenant and amendments
(the seeds' business rule), and the resources any other contract's operations create, by path."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SEED = ((12356, "TENANT1"), (12357, "TENANT2"))  # the documents' own example, and another tenant's problem


@dataclass(frozen=True, slots=True)
class Resource:
    """What one resource holds: its fields, and the tenant it belongs to (None: every tenant's)."""

    path: str
    tenant: str | None
    body: Mapping[str, Any] = field(default_factory=dict)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS service_problems (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amendments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_problem_id INTEGER NOT NULL REFERENCES service_problems(id),
    tenant TEXT NOT NULL,
    supplier_reference TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resources (path TEXT PRIMARY KEY, tenant TEXT, body TEXT NOT NULL, seeded INTEGER);
"""


class Store:
    """Thread-safe: uvicorn serves from one loop, tests may read from another thread."""

    def __init__(self, path: str | None = None, resources: Iterable[Resource] = ()) -> None:
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._seeded = tuple(resources)
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)
            self._db.executemany("INSERT OR IGNORE INTO service_problems (id, tenant) VALUES (?, ?)", SEED)
            self._seed()

    def _seed(self) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO resources (path, tenant, body, seeded) VALUES (?, ?, ?, 1)",
            [(r.path, r.tenant, json.dumps(dict(r.body))) for r in self._seeded],
        )

    # -- resources of any contract, keyed by their path (`/pets/82`, `/Products(7)`) -----------------
    def get(self, path: str) -> Resource | None:
        with self._lock:
            row = self._db.execute("SELECT tenant, body FROM resources WHERE path = ?", (path,)).fetchone()
        return Resource(path, row[0], json.loads(row[1])) if row else None

    def put(self, resource: Resource) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO resources (path, tenant, body, seeded) VALUES (?, ?, ?, 0)",
                (resource.path, resource.tenant, json.dumps(dict(resource.body))),
            )

    def next_number(self, collection: str) -> int:
        """A numeric id not yet used under `collection` (stored ids are in the resources' paths)."""
        prefix = collection.rstrip("/") + "/"
        with self._lock:
            rows = self._db.execute(
                "SELECT path FROM resources WHERE substr(path, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
        used = [int(p[len(prefix) :]) for (p,) in rows if p[len(prefix) :].isdigit()]
        return max([*used, 1000]) + 1

    def delete(self, path: str) -> bool:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM resources WHERE path = ?", (path,)).rowcount > 0

    def resources(self) -> list[Resource]:
        with self._lock:
            rows = self._db.execute("SELECT path, tenant, body FROM resources ORDER BY path").fetchall()
        return [Resource(r[0], r[1], json.loads(r[2])) for r in rows]

    def owner(self, problem_id: Any) -> str | None:
        """The tenant owning a service problem; None for an unknown one (or a non-integral id)."""
        if isinstance(problem_id, bool) or not isinstance(problem_id, int | float):
            return None
        if isinstance(problem_id, float) and not problem_id.is_integer():
            return None
        if not -(2**63) <= problem_id < 2**63:  # SQLite's INTEGER range; no such problem can exist
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT tenant FROM service_problems WHERE id = ?", (int(problem_id),)
            ).fetchone()
        return row[0] if row else None

    def add_amendment(self, problem_id: Any, tenant: str, body: dict[str, Any]) -> str:
        reference = str(body.get("supplierReference") or f"SI_RE{uuid.uuid4().hex[:10].upper()}")
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO amendments (service_problem_id, tenant, supplier_reference, body) VALUES (?, ?, ?, ?)",
                (int(problem_id), tenant, reference, json.dumps(body)),
            )
        return reference

    def amendments(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT service_problem_id, tenant, supplier_reference, body FROM amendments ORDER BY id"
            ).fetchall()
        return [
            {"serviceProblemId": r[0], "tenant": r[1], "supplierReference": r[2], "body": json.loads(r[3])}
            for r in rows
        ]

    def reset(self) -> None:
        """Back to the seeded state: what one test wrote is not there for the next."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM amendments")
            self._db.execute("DELETE FROM service_problems")
            self._db.executemany("INSERT INTO service_problems (id, tenant) VALUES (?, ?)", SEED)
            self._db.execute("DELETE FROM resources")
            self._seed()

    def close(self) -> None:
        with self._lock:
            self._db.close()
