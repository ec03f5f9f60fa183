"""spreedly-sdk: the typed Python SDK for the Spreedly Subscriptions API v4.

>>> from spreedly_sdk import Client
>>> client = Client("API-TOKEN", "mysite")          # doctest: +SKIP
>>> client.subscribers.get("42").active               # doctest: +SKIP
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ForbiddenError,
    InternalServerError,
    InvalidRequestError,
    InvalidTypeError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    ResponseParseError,
    ResponseTooLargeError,
    SpreedlyError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    XmlSecurityError,
)

if TYPE_CHECKING:
    from ._client import AsyncClient, Client
    from ._transport import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
    from .models import (
        ComplimentarySubscription,
        ComplimentaryTimeExtension,
        Credit,
        CreditCard,
        CreditCardPayment,
        Fee,
        Invoice,
        LineItem,
        OnFilePayment,
        Payment,
        Plan,
        Subscriber,
        SubscriptionPlan,
        SubscriptionPlanVersion,
        Transaction,
        TransactionDetail,
    )
    from .resources._base import NOT_GIVEN, NotGiven

# The rest of the public names load on first access (PEP 562), as pydantic's own do: importing
# the package stays cheap (a CLI's --help, a pytest plugin, an app that calls later), and the
# client, transport and models load together the first time any of them is asked for.
_LAZY: dict[str, str] = {
    "AsyncClient": "._client",
    "Client": "._client",
    "DEFAULT_BASE_URL": "._transport",
    "DEFAULT_MAX_RETRIES": "._transport",
    "DEFAULT_TIMEOUT": "._transport",
    "NOT_GIVEN": ".resources._base",
    "NotGiven": ".resources._base",
    **dict.fromkeys((
        "ComplimentarySubscription", "ComplimentaryTimeExtension", "Credit", "CreditCard", "CreditCardPayment",
        "Fee", "Invoice", "LineItem", "OnFilePayment", "Payment", "Plan", "Subscriber", "SubscriptionPlan",
        "SubscriptionPlanVersion", "Transaction", "TransactionDetail"), ".models"),
}


# Defined for the interpreter only: a module-level ``__getattr__`` that type checkers could see
# would make every name, misspelt ones included, an ``Any`` to them; they read the imports above.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "Client",
    "ComplimentarySubscription",
    "ComplimentaryTimeExtension",
    "Credit",
    "CreditCard",
    "CreditCardPayment",
    "Fee",
    "ForbiddenError",
    "InternalServerError",
    "InvalidRequestError",
    "InvalidTypeError",
    "Invoice",
    "LineItem",
    "NotFoundError",
    "NotGiven",
    "OnFilePayment",
    "Payment",
    "Plan",
    "RateLimitError",
    "ResponseError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "SpreedlyError",
    "Subscriber",
    "SubscriptionPlan",
    "SubscriptionPlanVersion",
    "Transaction",
    "TransactionDetail",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "XmlSecurityError",
    "__version__",
]
