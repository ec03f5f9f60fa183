"""``usage.py`` calls every public method a user can reach from a client, sync and async.

The list of methods is derived from the classes themselves: every public method of
``Client`` and ``AsyncClient`` (pyspreedly's flat names included) and of every resource class
in ``spreedly_sdk.resources`` (the ones the clients' properties hand out, ``client.subscribers``,
``client.hosted_pages``, ...). The calls in ``usage.py`` are found by reading it: a call
``client.subscribers.get(...)`` on a name annotated ``Client`` (or bound by
``with Client(...) as name``) counts for ``Subscribers.get``. A method added without a typed
usage fails here, named.
"""

from __future__ import annotations

import ast
import inspect
import pkgutil
import typing
from importlib import import_module
from pathlib import Path
from typing import Any

import spreedly_sdk
from spreedly_sdk import AsyncClient, Client, resources
from spreedly_sdk.resources._base import AsyncResource, SyncResource

USAGE = Path(__file__).with_name("usage.py")
CLIENTS: tuple[type, ...] = (Client, AsyncClient)


def public_methods(cls: type) -> set[str]:
    """The public methods of ``cls`` (inherited ones too), not properties or attributes."""
    names = set()
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, (staticmethod, classmethod)) or inspect.isfunction(attr):
            names.add(name)
    return names


def property_type(cls: type, name: str) -> type | None:
    """The class a property of ``cls`` returns, or ``None`` when ``name`` is not such a property."""
    attr = inspect.getattr_static(cls, name, None)
    if not isinstance(attr, property) or attr.fget is None:
        return None
    returned = typing.get_type_hints(attr.fget).get("return")
    return returned if isinstance(returned, type) else None


def resource_classes() -> set[type]:
    """Every class of ``spreedly_sdk.resources`` a client hands out, and every resource base subclass there."""
    found: set[type] = set()
    for client in CLIENTS:
        for name in dir(client):
            returned = property_type(client, name)
            if returned is not None and returned.__module__.startswith(resources.__name__):
                found.add(returned)
    for info in pkgutil.iter_modules(resources.__path__):
        module = import_module(f"{resources.__name__}.{info.name}")
        found |= {obj for obj in vars(module).values()
                  if isinstance(obj, type) and issubclass(obj, (SyncResource, AsyncResource))
                  and obj not in (SyncResource, AsyncResource) and obj.__module__ == module.__name__}
    return found


def api_methods() -> set[str]:
    """``Class.method`` for every public method of the clients and of the resource classes."""
    return {f"{cls.__name__}.{name}" for cls in (*CLIENTS, *resource_classes()) for name in public_methods(cls)}


def _annotation_class(node: ast.expr | None) -> type | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        node = ast.parse(node.value, mode="eval").body
    if isinstance(node, ast.Name):
        found = getattr(spreedly_sdk, node.id, None)
        return found if isinstance(found, type) else None
    return None


def _bound_names(func: ast.AST) -> dict[str, type]:
    """Names bound to an SDK class in a function: annotated parameters and ``with Cls(...) as name``."""
    bound: dict[str, type] = {}
    if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for arg in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]:
            cls = _annotation_class(arg.annotation)
            if cls is not None:
                bound[arg.arg] = cls
    for node in ast.walk(func):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.context_expr, ast.Call) and isinstance(item.optional_vars, ast.Name):
                    cls = _annotation_class(item.context_expr.func)
                    if cls is not None:
                        bound[item.optional_vars.id] = cls
    return bound


def _called(call: ast.Call, bound: dict[str, type]) -> str | None:
    """``Class.method`` for a call like ``client.subscribers.get(...)``, or ``None``."""
    chain: list[str] = []
    node: Any = call.func
    while isinstance(node, ast.Attribute):
        chain.insert(0, node.attr)
        node = node.value
    if not chain or not isinstance(node, ast.Name) or node.id not in bound:
        return None
    cls: type | None = bound[node.id]
    for name in chain[:-1]:
        cls = property_type(cls, name) if cls is not None else None
    return f"{cls.__name__}.{chain[-1]}" if cls is not None else None


def used_methods(source: str) -> set[str]:
    """``Class.method`` for every SDK method ``source`` calls on a name bound to an SDK class."""
    used: set[str] = set()
    tree = ast.parse(source)
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        bound = _bound_names(func)
        for node in ast.walk(func):
            if isinstance(node, ast.Call):
                found = _called(node, bound)
                if found is not None:
                    used.add(found)
    return used


def test_every_public_method_has_a_typed_usage() -> None:
    missing = sorted(api_methods() - used_methods(USAGE.read_text()))
    assert missing == [], f"tests/typing/usage.py never calls: {missing}"


def test_the_check_sees_what_it_should() -> None:
    """The derivation is not vacuous: the resources, both clients and pyspreedly's names are in
    it, and a call on a bound name is found while one on an unbound name is not."""
    methods = api_methods()
    assert {"Subscribers.get", "AsyncSubscribers.add_fee", "AsyncTransactions.iter", "Plans.find",
            "Invoices.pay", "Client.get_info", "AsyncClient.set_info", "Client.add_fee",
            "AsyncClient.aclose", "Client.close"} <= methods
    assert not {name for name in methods if name.split(".")[1].startswith("_")}
    assert {"Subscribers", "AsyncSubscribers", "Plans", "AsyncPlans", "Invoices", "AsyncInvoices",
            "Transactions", "AsyncTransactions"} <= {cls.__name__ for cls in resource_classes()}
    source = (
        "def f(client: Client, other) -> None:\n"
        "    client.subscribers.get('1')\n"
        "    other.plans.list()\n"
        "async def g(c: 'AsyncClient') -> None:\n"
        "    await c.invoices.pay('t', x)\n"
        "    with Client('t', 's') as inner:\n"
        "        inner.get_plans()\n"
    )
    assert used_methods(source) == {"Subscribers.get", "AsyncInvoices.pay", "Client.get_plans"}
