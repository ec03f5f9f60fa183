"""What ``help(Client)``, ``inspect.signature`` and IDE hovers show: the constructor's
parameters, each documented on its own line; each resource with its type and docstring;
the resources before the pyspreedly names."""

from __future__ import annotations

import inspect
import pydoc
import re
import typing

import pytest

from spreedly_sdk import AsyncClient, Client, resources
from spreedly_sdk.resources.hosted_pages import HostedPages

PARAMETERS = ["token", "site_name", "base_url", "timeout", "max_retries", "http_client", "http_transport", "deadline",
              "max_response_bytes", "retry_non_idempotent"]
RESOURCES = {
    Client: {"subscribers": resources.Subscribers, "plans": resources.Plans, "invoices": resources.Invoices,
             "transactions": resources.Transactions, "hosted_pages": HostedPages},
    AsyncClient: {"subscribers": resources.AsyncSubscribers, "plans": resources.AsyncPlans,
                  "invoices": resources.AsyncInvoices, "transactions": resources.AsyncTransactions,
                  "hosted_pages": HostedPages},
}
CLIENTS = [Client, AsyncClient]


@pytest.mark.parametrize("cls", CLIENTS)
def test_signature_shows_every_parameter(cls: type) -> None:
    assert list(inspect.signature(cls).parameters) == PARAMETERS


@pytest.mark.parametrize("cls", CLIENTS)
def test_each_parameter_is_documented_on_its_own_line(cls: type) -> None:
    doc = (inspect.getdoc(cls.__init__) or "").split("Args:")[1].split("Raises:")[0]
    documented = re.findall(r"^\s{4}(\w+): \S", doc, flags=re.MULTILINE)
    assert documented == PARAMETERS


@pytest.mark.parametrize("cls", CLIENTS)
def test_help_shows_resources_with_type_and_docstring(cls: type) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert "cached_property" not in text and "Initialize self" not in text
    hints = typing.get_type_hints(cls)  # resolvable annotations
    assert hints is not None
    for name, resource_cls in RESOURCES[cls].items():
        attr = inspect.getattr_static(cls, name)
        assert isinstance(attr, property) and attr.__doc__, name
        assert typing.get_type_hints(attr.fget)["return"] is resource_cls, name
        assert resource_cls.__name__ in attr.__doc__, name
        assert re.search(rf"^ \|  {name}\n \|      \S", text, flags=re.MULTILINE), name


@pytest.mark.parametrize("cls", CLIENTS)
def test_class_docstring_presents_resources_before_the_pyspreedly_names(cls: type) -> None:
    doc = inspect.getdoc(cls) or ""
    first_resource = min(doc.index(f":attr:`{name}`") for name in RESOURCES[cls])
    assert first_resource < doc.index("pyspreedly") < doc.index("``subscribe``")
    assert "free trial" in doc and "deletes every subscriber" in doc


@pytest.mark.parametrize("cls", CLIENTS)
def test_resources_are_bound_and_follow_with_options(cls: type) -> None:
    client = cls("token", "mysite")
    try:
        for name, resource_cls in RESOURCES[cls].items():
            assert isinstance(getattr(client, name), resource_cls)
        derived = client.with_options(max_retries=0)
        assert derived.subscribers is not client.subscribers and derived.subscribers._client is derived
        assert client.subscribers._client is client
    finally:
        if cls is Client:
            client.close()
