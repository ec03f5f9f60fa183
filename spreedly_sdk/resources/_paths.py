"""Path segments of the resource modules: the transport's one rule, with every refusal typed."""

from __future__ import annotations

from .._transport import segment
from ..errors import InvalidRequestError

__all__ = ["path_segment"]


def path_segment(value: object, name: str) -> str:
    """:func:`spreedly_sdk._transport.segment`, with text that cannot be encoded at all (a lone
    surrogate) refused as :class:`InvalidRequestError` naming ``name`` like its other refusals."""
    try:
        return segment(value, name)
    except UnicodeEncodeError:
        raise InvalidRequestError(f"{name} must not contain lone surrogates (text that cannot be encoded)",
                                  field=name) from None
