"""spreedly-sdk: the typed Python SDK for the Spreedly Subscriptions API v4.

>>> from spreedly_sdk import Client
>>> client = Client("API-TOKEN", "mysite")          # doctest: +SKIP
>>> client.subscribers.get("42").active               # doctest: +SKIP
True
"""

from ._client import AsyncClient, Client
from ._transport import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
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
    Subscriber,
    SubscriptionPlan,
    SubscriptionPlanVersion,
    Transaction,
    TransactionDetail,
)
from .resources._base import NOT_GIVEN, NotGiven

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
