"""Routes from the contracts' path templates (`/pets/{petId}`, `/Products({key})`, `/books/`).

A path matches as written (a trailing slash is part of it); a literal path wins over a template, and a
template with fewer parameters over one with more. Item paths (ending in a parameter) and the collection
they belong to are what the store keys resources by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fcvalidate.contract.operation import Operation

_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    template: str
    pattern: re.Pattern[str]
    operations: Mapping[str, Operation]  # by method

    @property
    def parameters(self) -> int:
        return len(_PARAM.findall(self.template))


@dataclass(frozen=True, slots=True)
class Match:
    route: Route
    path_values: Mapping[str, str]


def _pattern(template: str) -> re.Pattern[str]:
    out, last = [], 0
    for m in _PARAM.finditer(template):
        out.append(re.escape(template[last : m.start()]))
        out.append(f"(?P<p{len(out)}>[^/]+?)")
        last = m.end()
    out.append(re.escape(template[last:]))
    return re.compile("".join(out) + r"\Z")


class Router:
    def __init__(self, operations: Iterable[Operation]) -> None:
        by_path: dict[str, dict[str, Operation]] = {}
        for op in operations:
            by_path.setdefault(op.path, {})[op.method] = op
        self.routes = sorted(
            (Route(path, _pattern(path), ops) for path, ops in by_path.items()),
            key=lambda r: (r.parameters, -len(r.template)),
        )

    def match(self, path: str) -> Match | None:
        for route in self.routes:
            m = route.pattern.match(path)
            if m:
                names = _PARAM.findall(route.template)
                return Match(route, dict(zip(names, m.groups(), strict=True)))
        return None

    def item_template(self, collection: str) -> str | None:
        """The template of one item of a collection (`/pets` → `/pets/{petId}`), if the contracts have one."""
        base = collection.rstrip("/")
        for route in self.routes:
            rest = route.template[len(base) :] if route.template.startswith(base) else None
            if rest and re.fullmatch(r"/?\{[^{}/]+\}/?|\(\{[^{}/]+\}\)", rest):
                return route.template
        return None


def is_item(template: str) -> bool:
    """Does the path end in a parameter (`/x/{id}`, `/Products({key})`): one resource, not a collection."""
    return bool(re.search(r"\{[^{}]+\}\)?/?\Z", template))


def fill(template: str, values: Mapping[str, object]) -> str:
    return _PARAM.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def last_parameter(template: str) -> str | None:
    names = _PARAM.findall(template)
    return names[-1] if names else None
