"""One-defect variants of state_strict.py: the stateful defects real teams ship (issue #22 item 1)."""

from __future__ import annotations

from typing import Any

from tests.independent.state_strict import Tickets


class PatchReplaces(Tickets):
    """PATCH stores the patch as the whole ticket: the fields it did not send are lost."""

    def merge(self, stored: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
        return {"id": stored["id"], "tenant": stored["tenant"], **patch}


class CreateNotPersisted(Tickets):
    """POST answers 201 with the new ticket and keeps nothing."""

    def keep_created(self, ticket: dict[str, Any]) -> None:
        pass


class DeleteNotDeleting(Tickets):
    """DELETE answers 204 and removes nothing (a soft delete the reads ignore)."""

    def remove(self, store: dict[str, Any], key: str) -> None:
        pass


class Upserts(Tickets):
    """PUT and PATCH of an id naming nothing create it, though the documents list 404 for it."""

    def missing(self, store: dict[str, Any], key: str, method: str) -> dict[str, Any] | None:
        if key in store:  # another tenant's: not unknown
            return None
        store[key] = {"id": key, "subject": "new", "status": "OPEN"}
        return store[key]


VARIANTS = {
    "patch-replaces": PatchReplaces,
    "create-not-persisted": CreateNotPersisted,
    "delete-not-deleting": DeleteNotDeleting,
    "unknown-upserts": Upserts,
}
