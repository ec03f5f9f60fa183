"""The emulator keeps the service as data: one route table, handlers by resource, the writable
fields of the SDK's own request models, one place for faults, and no import circles."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import httpx
import pytest

import spreedly_sdk.resources
from spreedly_sdk.models import Subscriber, SubscriberCreate, SubscriberUpdate
from spreedly_sdk.testing import Emulator
from spreedly_sdk.testing._routes import ROUTES

PACKAGE = Path(spreedly_sdk.resources.__file__).resolve().parents[1]
TESTING = PACKAGE / "testing"


def test_routes_are_one_table_of_distinct_endpoints_whose_handlers_mirror_the_resources() -> None:
    keys = [(route.method, route.pattern) for route in ROUTES]
    assert len(keys) == len(set(keys))
    resources = {p.stem for p in (PACKAGE / "resources").glob("*.py") if not p.stem.startswith("_")}
    for route in ROUTES:
        module = route.handler.__module__
        assert module.startswith("spreedly_sdk.testing.handlers.") and module.rsplit(".", 1)[1] in resources, module
        assert route.pattern.endswith(".xml") and set(route.parameters) <= {"customer_id", "invoice_token"}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.pattern}")
def test_every_route_answers_without_an_error(route: object, emu: Emulator) -> None:
    """Each endpoint of the table, reached through the transport, answers (any status but 5xx)."""
    from spreedly_sdk.testing._paths import Route

    assert isinstance(route, Route)
    emu.add_subscriber("42", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    path = route.pattern.format(customer_id="42", invoice_token="0" * 40)
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                      auth=(emu.token, "X")) as client:
        answer = client.request(route.method, path, content=b"")
        assert answer.status_code < 500 and answer.status_code != 404 or b"There is no" in answer.content \
            or b"Unable to find invoice" in answer.content, answer.text
        other = "DELETE" if route.method != "DELETE" else "PATCH"
        if not any(r.method == other and r.pattern == route.pattern for r in ROUTES):
            assert client.request(other, path).status_code == 404  # the method is part of the route
    assert emu.errors == []


def test_writable_fields_come_from_the_request_models(emu: Emulator) -> None:
    emu.add_subscriber("42")
    writable = {spec.tag for spec in SubscriberUpdate.rails_fields().specs} - {"payment-method"}
    creatable = {spec.tag for spec in SubscriberCreate.rails_fields().specs}
    read_only = {spec.tag for spec in Subscriber.rails_fields().specs} - writable - creatable
    assert writable and read_only
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                      auth=(emu.token, "X")) as client:
        for tag in sorted(writable - {"new-customer-id"}):
            body = f"<subscriber><{tag}>v</{tag}></subscriber>".encode()
            assert client.put("subscribers/42.xml", content=body).status_code == 200, tag
        for tag in sorted(read_only):
            body = f"<subscriber><{tag}>v</{tag}></subscriber>".encode()
            answer = client.put("subscribers/42.xml", content=body)
            assert answer.status_code == 403 and tag.replace("-", "_") in answer.text, tag


def test_form_and_card_names_are_the_card_models_fields() -> None:
    from spreedly_sdk.models import CreditCard
    from spreedly_sdk.testing._hosted import CARD_FIELDS
    from spreedly_sdk.testing.handlers._cards import BILLING_FIELDS

    assert set(CARD_FIELDS) | set(BILLING_FIELDS) <= set(CreditCard.model_fields)
    assert all(name == f"credit_card[{field}]" for field, name in CARD_FIELDS.items())


def test_both_transports_take_faults_from_one_place() -> None:
    for name in ("_inprocess.py", "_server.py"):
        tree = ast.parse((TESTING / name).read_text(encoding="utf-8"))
        called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert "exchange" in called, name
        assert not {"_take_fault", "_answer", "_perform"} & called, name


def _imports(path: Path, package: str) -> set[str]:
    """Modules of ``spreedly_sdk.testing`` that ``path`` imports (``TYPE_CHECKING`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and "TYPE_CHECKING" in ast.unparse(block.test) for node in ast.walk(block)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded or not isinstance(node, ast.ImportFrom):
            continue
        base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level \
            else node.module or ""
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        found.update(n for n in names if n.startswith("spreedly_sdk.testing") and _module_path(n) is not None)
    return found


def _module_path(name: str) -> Path | None:
    rel = Path(*name.split(".")[2:]) if name != "spreedly_sdk.testing" else Path()
    for candidate in (TESTING / rel.with_suffix(".py") if rel.parts else None, TESTING / rel / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def test_no_import_circles_inside_the_testing_package() -> None:
    graph: dict[str, set[str]] = {}
    for path in TESTING.rglob("*.py"):
        rel = path.relative_to(TESTING).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        name = ".".join(["spreedly_sdk", "testing", *parts])
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = _imports(path, package) - {name}
    assert "spreedly_sdk.testing._routes" in graph and "spreedly_sdk.testing.handlers.subscribers" in graph
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError(" -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
