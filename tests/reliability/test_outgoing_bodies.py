"""Bad input on the way out; the body is built by the models or nothing is sent."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from lxml import etree

import spreedly_sdk
from spreedly_sdk import InvalidRequestError

OK = {"content-type": "application/xml"}
SUB = b"<subscriber><customer-id>1</customer-id></subscriber>"


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=SUB, headers=OK)


def strict_parse(body: bytes) -> etree._Element:
    """Parse a captured request body the way a strict server would."""
    return etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=False))


def sent_body(h) -> etree._Element:  # noqa: ANN001
    assert len(h.requests) == 1
    return strict_parse(h.requests[0].content)


def test_injection_is_escaped(make):
    evil = "</screen-name><customer-id>999</customer-id><screen-name>"
    h = make(handler=ok)
    h.run(lambda c: c.subscribers.create("42", screen_name=evil))
    root = sent_body(h)
    ids = root.findall("customer-id")
    assert [e.text for e in ids] == ["42"]
    assert root.findtext("screen-name") == evil


TRICKY = ["Tom & Jerry", "a < b > c", "x]]>y", "<![CDATA[x]]>", "&lt;already&gt;", "\"double\" 'single'",
          "line1\r\nline2", "tab\there", "José Ñandú", "日本語", "emoji 💥🎉", "  padded  ", "&#65;", "\r", "a\rb"]


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_round_trip(make, value):
    h = make(handler=ok)
    h.run(lambda c: c.subscribers.update(7, screen_name=value, email=value))
    root = sent_body(h)
    assert root.findtext("screen-name") == value and root.findtext("email") == value


ILLEGAL = ["\x00", "\x0b", "\x1b", "\ufffe", "\uffff", "\ud800", "\udfff", "\x0c"]


@pytest.mark.parametrize("char", ILLEGAL, ids=[f"U+{ord(c):04X}" for c in ILLEGAL])
@pytest.mark.parametrize("field", ["screen_name", "email", "billing_first_name", "billing_last_name"])
def test_illegal_xml_chars_refused(make, char, field):
    h = make(handler=ok)
    err = h.raises(InvalidRequestError, lambda c: c.subscribers.update(7, **{field: f"ab{char}cd"}))
    assert err.field == field and field in str(err) and f"U+{ord(char):04X}" in str(err)
    assert h.requests == []


def test_writer_refuses_exactly_what_xml_1_0_forbids():
    """The fast writer leaves the character check to lxml: pin that lxml refuses exactly the
    code points XML 1.0 cannot carry (every BMP code point and the astral edges), no more, no less."""
    import re

    from spreedly_sdk.models import SubscriberUpdate

    illegal = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    wrong: list[str] = []
    for cp in [*range(0x10000), 0x10000, 0x1F4A5, 0x10FFFF]:
        value = f"a{chr(cp)}b"
        try:
            SubscriberUpdate(screen_name=value).to_xml(exclude_unset=True)
            refused = False
        except InvalidRequestError as exc:
            assert exc.field == "screen_name" and f"U+{cp:04X}" in str(exc)
            refused = True
        if refused != (illegal.search(value) is not None):
            wrong.append(f"U+{cp:04X}")
    assert wrong == []


@pytest.mark.parametrize("call", [
    lambda c, v: c.subscribers.create(1, screen_name=v),
    lambda c, v: c.subscribers.add_fee(1, name=v, description="d", group="g", amount="1.00"),
    lambda c, v: c.subscribers.add_fee(1, name="n", description=v, group="g", amount="1.00"),
    lambda c, v: c.subscribers.give_lifetime_subscription(1, feature_level=v),
    lambda c, v: c.invoices.create(1, "42", screen_name=v),
], ids=["create", "fee-name", "fee-description", "lifetime", "invoice"])
def test_every_writer_checks(make, call):
    h = make(handler=ok)
    err = h.raises(InvalidRequestError, lambda c: call(c, "bad\x00"))
    assert "U+0000" in str(err) and err.field
    assert h.requests == []


_D3_SCRIPT = textwrap.dedent("""
    import json, httpx
    from spreedly_sdk import Client, InvalidRequestError
    from spreedly_sdk.models import SubscriberCreate
    from pydantic_xml.element import native
    hits = []
    client = Client("tok", "mysite", http_client=httpx.Client(transport=httpx.MockTransport(
        lambda r: hits.append(r) or httpx.Response(200))))
    out = {"backend": native.etree.__name__, "cases": {}}
    for ch in ["\\x00", "\\x0b", "\\x1b", "\\ufffe", "\\uffff", "\\ud800", "\\x7f", "\\x85"]:
        case = {}
        model = SubscriberCreate(customer_id="1", screen_name="a" + ch + "b")
        # pydantic-xml's own writer (to_xml_tree builds the backend's element) and the fast one
        for name, write in [("reference", model.to_xml_tree), ("fast", model.to_xml)]:
            try:
                body = write(exclude_unset=True)
                case[name] = "ok"
            except InvalidRequestError as exc:
                case[name] = [exc.field, str(exc)]
        try:
            client.subscribers.update(1, screen_name="a" + ch + "b")
            case["client"] = "sent"
        except InvalidRequestError as exc:
            case["client"] = [exc.field, str(exc)]
        out["cases"][hex(ord(ch))] = case
    out["hits"] = len(hits)
    print(json.dumps(out))
""")


def _run_backend(std: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_STD_XML"}
    if std:
        env["FORCE_STD_XML"] = "1"
    proc = subprocess.run([sys.executable, "-c", _D3_SCRIPT], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_identical_on_both_pydantic_xml_backends():
    lxml_out, std_out = _run_backend(False), _run_backend(True)
    assert lxml_out["backend"] == "lxml.etree" and std_out["backend"] == "xml.etree.ElementTree"
    assert lxml_out["cases"] == std_out["cases"]
    for code, case in lxml_out["cases"].items():
        legal = code in ("0x7f", "0x85")
        for writer in ("reference", "fast"):
            assert (case[writer] == "ok") is legal
        if not legal:
            assert case["client"][0] == "screen_name" and f"U+{int(code, 16):04X}" in case["client"][1]
    # only the two legal characters were sent, on each backend
    assert lxml_out["hits"] == std_out["hits"] == 2


@pytest.mark.parametrize("char", ["\x7f", "\x85", "\t", "\n", "\r", "\ue000", "\U0010ffff"])
def test_legal_control_chars_round_trip(make, char):
    h = make(handler=ok)
    value = f"a{char}b"
    h.run(lambda c: c.subscribers.update(7, screen_name=value))
    assert sent_body(h).findtext("screen-name") == value


def test_partial_update_sends_only_set_fields(make):
    h = make(handler=ok)
    h.run(lambda c: c.subscribers.update(7, screen_name="Only"))
    root = sent_body(h)
    assert root.tag == "subscriber" and [child.tag for child in root] == ["screen-name"]


def test_explicit_none_clears_with_nil(make):
    # Pinned: an explicit None is sent as an empty element marked nil="true" (clear the field).
    h = make(handler=ok)
    h.run(lambda c: c.subscribers.update(7, email=None))
    root = sent_body(h)
    assert [child.tag for child in root] == ["email"]
    assert root.find("email").get("nil") == "true" and not root.findtext("email")


def test_one_mebibyte_string_sent_intact(make):
    value = ("0123456789abcdef" * 65536)[: 1024 * 1024 - 3] + "é&<"
    h = make(handler=ok)
    h.run(lambda c: c.subscribers.update(7, screen_name=value))
    assert sent_body(h).findtext("screen-name") == value


def _formatted_markup(tree: ast.AST) -> list[int]:
    """Lines where string formatting produces XML markup (closing tags, declarations, attributes)."""
    marks = ("</", "<?xml", "/>", '="')
    bad = []
    for node in ast.walk(tree):
        parts: list[str] = []
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
            parts = [node.func.value.value]
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
              and isinstance(node.left.value, str)):
            parts = [node.left.value]
        if any(m in p for p in parts for m in marks):
            bad.append(node.lineno)
    return bad


def test_no_string_formatting_builds_xml():
    root = Path(spreedly_sdk.__file__).parent
    offenders = {}
    for path in root.rglob("*.py"):
        if "testing" in path.relative_to(root).parts:  # the emulator plays the server, not the SDK
            continue
        lines = _formatted_markup(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[str(path.relative_to(root))] = lines
    assert offenders == {}


def test_the_check_itself_catches_formatting():
    sample = 'a = f"<screen-name>{x}</screen-name>"\nb = "<a>{}</a>".format(1)\nc = "<a>%s</a>" % 1\n'
    assert _formatted_markup(ast.parse(sample)) == [1, 2, 3]


@pytest.mark.parametrize("call", [
    lambda c: c.subscribers.create(1, screen_name="José"),
    lambda c: c.subscribers.update(1, screen_name="日本"),
    lambda c: c.subscribers.add_fee(1, name="n", description="d", group="g", amount="1.50"),
], ids=["POST", "PUT", "POST-fee"])
def test_content_type_and_well_formed_utf8(make, call):
    h = make(handler=ok)
    h.run(call)
    req = h.requests[0]
    assert req.headers["content-type"] == "application/xml; charset=utf-8"
    req.content.decode("utf-8")
    strict_parse(req.content)
