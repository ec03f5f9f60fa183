"""Test data for the benchmarks, generated here (no samples are copied).

A subscriber is written the way the service rendered 2013-era documents: dashed names,
Rails ``type=`` attributes, ``nil="true"`` for empty values, two-space indentation, one
nested plan version and one invoice with one line item: about 2.5 KB each.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["subscriber_document", "subscriber_xml", "subscribers_chunks", "subscribers_document"]

_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _el(tag: str, text: str | None = None, typ: str | None = None, depth: int = 1) -> str:
    pad = "  " * depth
    attrs = f' type="{typ}"' if typ else ""
    if text is None:
        return f'{pad}<{tag}{attrs} nil="true"></{tag}>\n'
    return f"{pad}<{tag}{attrs}>{text}</{tag}>\n"


def subscriber_xml(i: int, depth: int = 0) -> str:
    """One ``<subscriber>`` element (no declaration) for customer ``i``, indented by ``depth``."""
    d = depth + 1
    day = 1 + i % 28
    stamp = f"2013-0{1 + i % 9}-{day:02d}T0{i % 10}:{i % 60:02d}:{(i * 7) % 60:02d}Z"
    paid = i % 3 != 0
    parts = [f"{'  ' * depth}<subscriber>\n"]
    parts += [
        _el("active-until", stamp if paid else None, "datetime", d),
        _el("billing-first-name", f"First{i}", None, d),
        _el("billing-last-name", f"Last{i}", None, d),
        _el("created-at", stamp, "datetime", d),
        _el("customer-id", str(1000 + i), None, d),
        _el("eligible-for-free-trial", "false", "boolean", d),
        _el("email", f"user{i}@example.com", None, d),
        _el("grace-until", None, "datetime", d),
        _el("in-grace-period", "false", "boolean", d),
        _el("lifetime-subscription", "false", "boolean", d),
        _el("on-trial", "false", "boolean", d),
        _el("ready-to-renew", "false", "boolean", d),
        _el("recurring", "true" if paid else "false", "boolean", d),
        _el("screen-name", f"user-{i}", None, d),
        _el("store-credit", f"{i % 50}.0", "decimal", d),
        _el("store-credit-currency-code", "USD", None, d),
        _el("token", f"{i:040x}", None, d),
        _el("updated-at", stamp, "datetime", d),
        _el("on-gift", "false", "boolean", d),
        _el("on-metered", "false", "boolean", d),
        _el("active", "true" if paid else "false", "boolean", d),
        _el("feature-level", "pro" if paid else "", "string", d),
        _el("subscription-plan-name", "Pro monthly" if paid else "", None, d),
        _el("payment-account-on-file", "true" if paid else "false", "boolean", d),
        _el("payment-account-display", "Visa ending in 1111" if paid else "", "string", d),
        _el("pagination-id", str(500000 + i), "string", d),
    ]
    p = "  " * d
    parts.append(f'{p}<invoices type="array">\n')
    p2, d3, d4 = "  " * (d + 1), d + 2, d + 4
    parts.append(f"{p2}<invoice>\n")
    parts += [
        _el("closed", "true", "boolean", d3),
        _el("created-at", stamp, "datetime", d3),
        _el("currency-code", "USD", None, d3),
        _el("price", "$24.00", None, d3),
        _el("amount", "24.0", "decimal", d3),
        _el("response-customer-message", None, None, d3),
        _el("response-message", None, None, d3),
        _el("token", f"{i * 31:040x}", None, d3),
        _el("updated-at", stamp, "datetime", d3),
        _el("metadata", "pro", None, d3),
        _el("gateway-transaction-reference", f"ch_{i:012d}", None, d3),
    ]
    p3 = "  " * d3
    parts.append(f'{p3}<line-items type="array">\n{p3}  <line-item>\n')
    parts += [
        _el("amount", "24.0", "decimal", d4),
        _el("currency-code", "USD", None, d4),
        _el("description", "Every 1 month", None, d4),
        _el("notes", None, None, d4),
        _el("price", "$24.00", None, d4),
        _el("feature-level", "pro", None, d4),
        _el("metadata", "pro", None, d4),
    ]
    parts.append(f"{p3}  </line-item>\n{p3}</line-items>\n{p2}</invoice>\n{p}</invoices>\n")
    parts.append(f"{'  ' * depth}</subscriber>\n")
    return "".join(parts)


def subscriber_document(i: int = 1) -> bytes:
    """A ``GET subscribers/{id}.xml`` answer."""
    return _DECL + subscriber_xml(i).encode()


def subscribers_chunks(n: int) -> Iterator[bytes]:
    """A ``GET subscribers.xml`` answer of ``n`` subscribers, in pieces (one per subscriber)."""
    yield _DECL + b'<subscribers type="array">\n'
    for i in range(n):
        yield subscriber_xml(i, 1).encode()
    yield b"</subscribers>\n"


def subscribers_document(n: int) -> bytes:
    """A ``GET subscribers.xml`` answer of ``n`` subscribers, whole."""
    return b"".join(subscribers_chunks(n))
