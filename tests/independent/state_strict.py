"""An independent supplier of a ticket store (tests/server/tenant-api/: POST, GET, PATCH, DELETE
/tickets/{ticketId} for a Tenant) and a widget store (tests/engine/widgets/: GET, PUT, PATCH, DELETE
/widgets/{id}), written from those documents only, keeping its data in dicts. `Tickets` is conformant;
its subclasses in faulty_state.py each ship one stateful defect (issue #22 item 1).

Read from the documents: a bearer token on every operation; the Tenant header on every ticket operation
(a ticket is found for its own tenant only); refusals use the statuses each document lists (a PATCH,
GET or DELETE lists only 404, so that is what it refuses with); PATCH /tickets is a JSON merge patch
(RFC 7396) of `subject` and `status`; a widget PUT replaces `colour` of a widget that exists (404
otherwise: the document lists no 201)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent._kit import bearer, error, json_response

TOKEN = "state-supplier-token"
STATUSES = ("OPEN", "CLOSED")
PRIORITIES = (1, 2, 3)


class Tickets:
    """The conformant supplier; the defect hooks are `merge`, `keep_created`, `remove`, `missing`."""

    def __init__(self) -> None:
        self.tickets: dict[str, dict[str, Any]] = {
            f"T-{n}": {"id": f"T-{n}", "subject": "Printer on fire", "status": "OPEN", "tenant": tenant}
            for n, tenant in ((1, "TENANT1"), (2, "TENANT2"), (3, "TENANT1"), (4, "TENANT1"))
        }
        self.widgets: dict[str, dict[str, Any]] = {
            f"W-{n}": {"id": f"W-{n}", "colour": "red"} for n in range(1001, 1005)
        }
        self.numbers = itertools.count(100)

    # -- the defect hooks ----------------------------------------------------------------------------
    def merge(self, stored: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
        return {**stored, **patch}  # RFC 7396 for the fields the document lists (null is refused below)

    def keep_created(self, ticket: dict[str, Any]) -> None:
        self.tickets[ticket["id"]] = ticket

    def remove(self, store: dict[str, Any], key: str) -> None:
        del store[key]

    def missing(self, store: dict[str, Any], key: str, method: str) -> dict[str, Any] | None:
        """What a PUT or PATCH of an id naming nothing acts on: nothing (404, as documented)."""
        return None

    # -- tickets ---------------------------------------------------------------------------------------
    @staticmethod
    def _tenant(request: Request) -> str | None:
        return request.headers.get("tenant") or None

    def _ticket(self, request: Request) -> dict[str, Any] | None:
        found = self.tickets.get(request.path_params["ticketId"])
        return found if found is not None and found["tenant"] == self._tenant(request) else None

    @staticmethod
    def _shown(ticket: dict[str, Any]) -> dict[str, Any]:
        return {k: ticket[k] for k in ("id", "subject", "status") if k in ticket}

    async def create(self, request: Request) -> Response:
        if bearer(request) != TOKEN:
            return error(401, "INVALID_REQUEST", "a bearer token is required")
        if not self._tenant(request):
            return error(400, "INVALID_REQUEST", "Tenant is required")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return error(400, "MALFORMED_REQUEST", "the body is not JSON")
        if not isinstance(body, dict):
            return error(400, "INVALID_REQUEST", "the body must be an object")
        subject, priority = body.get("subject"), body.get("priority", 1)
        if not isinstance(subject, str) or not subject.strip():
            return error(400, "INVALID_REQUEST", "subject is required")
        if isinstance(priority, bool) or priority not in PRIORITIES:
            return error(400, "INVALID_REQUEST", "priority is one of 1, 2, 3")
        ticket = {
            "id": f"T-{next(self.numbers)}",
            "subject": subject,
            "status": "OPEN",
            "priority": priority,
            "tenant": self._tenant(request),
        }
        self.keep_created(ticket)
        return json_response(self._shown(ticket), 201)

    async def ticket(self, request: Request) -> Response:
        if bearer(request) != TOKEN:
            return error(401, "NOT_FOUND", "a bearer token is required")
        name = request.path_params["ticketId"]
        found = self._ticket(request)
        if request.method == "PATCH":
            return await self._patch(request, found, name)
        if found is None:
            return error(404, "NOT_FOUND", f"no ticket {name[:40]}")
        if request.method == "DELETE":
            self.remove(self.tickets, name)
            return Response(status_code=204)
        return json_response(self._shown(found))

    async def _patch(self, request: Request, found: dict[str, Any] | None, name: str) -> Response:
        try:
            patch = json.loads(await request.body())
        except ValueError:
            patch = None
        wrong = not isinstance(patch, dict) or set(patch) - {"subject", "status"}
        if not wrong and "subject" in patch:
            wrong = not isinstance(patch["subject"], str) or not patch["subject"].strip()
        if not wrong and "status" in patch:
            wrong = patch["status"] not in STATUSES
        if wrong or not self._tenant(request):  # the document lists 404 only: the closest refusal
            return error(404, "NOT_FOUND", "the patch is not one this ticket takes")
        if found is None:
            found = self.missing(self.tickets, name, "PATCH")
            if found is None:
                return error(404, "NOT_FOUND", f"no ticket {name[:40]}")
            found.setdefault("tenant", self._tenant(request))
        merged = self.merge(found, patch)
        self.tickets[name] = merged
        return json_response(self._shown({"subject": "", "status": "OPEN", **merged}))

    # -- widgets ---------------------------------------------------------------------------------------
    async def list_widgets(self, request: Request) -> Response:
        if bearer(request) != TOKEN:
            return json_response({"message": "a bearer token is required"}, 401)
        colour = request.query_params.get("colour")
        items = [{"id": w["id"]} for w in self.widgets.values() if colour in (None, w["colour"])]
        return json_response({"items": items})

    async def one_widget(self, request: Request) -> Response:
        if bearer(request) != TOKEN:
            return json_response({"message": "a bearer token is required"}, 401)
        name = request.path_params["id"]
        found = self.widgets.get(name)
        if request.method in ("PUT", "PATCH"):
            try:
                body = json.loads(await request.body())
            except ValueError:
                body = None
            if not isinstance(body, dict) or not isinstance(body.get("colour"), str):
                return json_response({"message": "colour (a string) is required"}, 400)
            if found is None:
                found = self.missing(self.widgets, name, request.method)
            if found is None:
                return json_response({"message": f"no widget {name[:40]}"}, 404)
            found.update(id=name, colour=body["colour"])
            self.widgets[name] = found
            return json_response(found)
        if found is None:
            return json_response({"message": f"no widget {name[:40]}"}, 404)
        if request.method == "DELETE":
            self.remove(self.widgets, name)
            return Response(status_code=204)
        return json_response(found)


def app(supplier: Tickets | None = None) -> Starlette:
    s = supplier or Tickets()
    return Starlette(
        routes=[
            Route("/tickets", s.create, methods=["POST"]),
            Route("/tickets/{ticketId}", s.ticket, methods=["GET", "PATCH", "DELETE"]),
            Route("/widgets", s.list_widgets, methods=["GET"]),
            Route("/widgets/{id}", s.one_widget, methods=["GET", "PUT", "PATCH", "DELETE"]),
        ]
    )
