"""The error tree of the SDK.

Every exception the SDK raises on purpose is a :class:`SpreedlyError`::

    SpreedlyError
    ├── InvalidRequestError        refused before anything was sent (also a ValueError)
    │   └── InvalidTypeError       a value of the wrong type (also a TypeError)
    ├── APIConnectionError         no usable answer arrived; ``maybe_processed`` says
    │   └── APITimeoutError        whether the service may have acted (``phase`` names the timeout)
    ├── APIStatusError             the service answered with an error status
    │   ├── AuthenticationError    401
    │   ├── ForbiddenError         403 (state rules, duplicates, declined cards, read-only fields)
    │   ├── NotFoundError          404
    │   ├── UnprocessableEntityError 422 (validation)
    │   ├── RateLimitError         429
    │   └── InternalServerError    >= 500
    └── ResponseError              a 2xx answer that could not be used
        ├── ResponseParseError     not well-formed, or not the expected document
        ├── UnexpectedResponseError  not XML, wrong root element, unexpected status
        ├── ResponseTooLargeError  larger than ``max_response_bytes``
        └── XmlSecurityError       a DOCTYPE or entity declaration

No message, ``repr`` or attribute of these errors carries the API token: they hold the
method, the path under the host (which never contains the token), the ``host:port`` of a
connection error, the status and a short body snippet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ForbiddenError",
    "InternalServerError",
    "InvalidRequestError",
    "InvalidTypeError",
    "NotFoundError",
    "RateLimitError",
    "ResponseError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "SpreedlyError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "XmlSecurityError",
]

SNIPPET_LIMIT = 1024
"""Longest body excerpt an error keeps, in characters."""

TimeoutPhase = Literal["connect", "read", "write", "pool", "deadline"]


def snippet(body: bytes | str | None, limit: int = SNIPPET_LIMIT) -> str:
    """Return at most ``limit`` characters of a body, decoded leniently, for error messages."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


class SpreedlyError(Exception):
    """Root of every error the SDK raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle as ``cls(*args)``, which our keyword-only attributes break;
        # rebuild from the message and the attributes instead (none of them holds the token).
        return (_restore, (type(self), self.message, dict(self.__dict__)))


def _restore(cls: type[SpreedlyError], message: str, state: dict[str, Any]) -> SpreedlyError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class InvalidRequestError(SpreedlyError, ValueError):
    """Input refused by the SDK before any request was sent.

    Raised for path segments that would leave the site (``..``, ``/`` tricks, control
    characters), text that cannot be encoded (lone surrogates) in ids, paths and query
    values, characters XML 1.0 cannot carry, and bad configuration (missing token, a
    ``base_url`` with credentials or another site's API path, negative retries).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidTypeError(InvalidRequestError, TypeError):
    """A value of the wrong type (``None``, a bool or a float as an id, a token that is not
    a string); also a :class:`TypeError`, so code written for plain Python still catches it."""


class APIConnectionError(SpreedlyError):
    """No usable answer arrived from the service.

    ``maybe_processed`` is ``False`` only when the request certainly never reached the
    service (the connection could not be made); otherwise the service may have acted on it
    and the outcome is unknown: look before you try again. ``method`` and ``path`` (the path
    under the host, ``/api/v4/mysite/subscribers/42.xml``) name the call, ``host`` the
    ``host:port`` it went to.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        host: str = "",
        maybe_processed: bool = True,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.host = host
        self.maybe_processed = maybe_processed


class APITimeoutError(APIConnectionError):
    """The call ran out of time; ``phase`` says which limit was hit."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        host: str = "",
        maybe_processed: bool = True,
        phase: TimeoutPhase = "read",
    ) -> None:
        super().__init__(message, method=method, path=path, host=host, maybe_processed=maybe_processed)
        self.phase: TimeoutPhase = phase


class APIStatusError(SpreedlyError):
    """The service answered with an error status.

    ``errors`` holds the service's messages: one per ``<error>`` of an ``<errors>``
    document, or the plain-text body as a single message. ``method`` and ``path`` (the path
    under the host, ``/api/v4/mysite/subscribers/42.xml``) name the call.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        path: str,
        errors: list[str],
        body_snippet: str = "",
        retry_after: float | None = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.path = path
        self.errors = errors
        self.body_snippet = body_snippet
        self.retry_after = retry_after
        self.request = request
        self.response = response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, errors={self.errors!r})"


class AuthenticationError(APIStatusError):
    """401: the API token is missing or wrong for this site."""


class ForbiddenError(APIStatusError):
    """403: understood but not allowed now (duplicate id, wrong state, declined card, ...)."""


class NotFoundError(APIStatusError):
    """404: no such subscriber, plan or invoice."""


class UnprocessableEntityError(APIStatusError):
    """422: the service refused the data (``errors`` lists its messages)."""


class RateLimitError(APIStatusError):
    """429: too many requests (``retry_after`` holds the server's hint, in seconds)."""


class InternalServerError(APIStatusError):
    """A 5xx answer: the service or a proxy in front of it failed."""


class ResponseError(SpreedlyError):
    """A successful status whose body the SDK could not use."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        content_type: str | None = None,
        body_snippet: str = "",
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.content_type = content_type
        self.body_snippet = body_snippet


class ResponseParseError(ResponseError):
    """The body is not well-formed XML or not the expected document."""


class UnexpectedResponseError(ResponseError):
    """The body is not XML, has the wrong root element, or the status was not expected."""


class ResponseTooLargeError(ResponseError):
    """The decoded body grew past ``max_response_bytes``."""


class XmlSecurityError(ResponseError):
    """The body carries a DOCTYPE or entity declarations, which the service never sends."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The :class:`APIStatusError` subclass for an HTTP status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)
