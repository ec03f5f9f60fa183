"""What every resource module shares: the resource base classes, answer parsers, body building."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from .._transport import Call, Response, check_xml_answer, segment
from .._xml import ItemStream
from ..errors import InvalidRequestError, ResponseError
from ..models import RailsModel

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = [
    "NOT_GIVEN",
    "AsyncResource",
    "NotGiven",
    "SyncResource",
    "build",
    "ignore_body",
    "model_answer",
    "model_list_answer",
    "segment",
]

M = TypeVar("M", bound=RailsModel)
T = TypeVar("T")


class NotGiven:
    """Marks an argument that was not passed (``None`` is a value: it clears a field)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def given(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that were actually passed."""
    return {k: v for k, v in kwargs.items() if v is not NOT_GIVEN}


def build(model: type[M], **fields: Any) -> M:
    """Construct a request model, turning validation failures into :class:`InvalidRequestError`."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problems: list[str] = []
        for err in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in err["loc"]) or model.__name__
            problems.append(f"{loc}: {err['msg']}")
        first = exc.errors(include_url=False, include_input=False)[0]["loc"] if exc.errors() else ()
        raise InvalidRequestError(
            f"invalid {model.__name__}: " + "; ".join(problems),
            field=".".join(str(p) for p in first) or None,
        ) from None


def xml_body(model: RailsModel) -> bytes:
    """The request body: only the fields that were set, in the service's conventions."""
    return model.to_xml(exclude_unset=True)


def _with_status(exc: ResponseError, resp: Response) -> ResponseError:
    exc.status_code = resp.status_code
    exc.content_type = resp.content_type
    return exc


def _answer(read: Callable[[bytes], T]) -> Callable[[Response], T]:
    """A parser for answers that carry an XML document, read by ``read``."""

    def parse(resp: Response) -> T:
        body = check_xml_answer(resp)
        try:
            return read(body)
        except ResponseError as exc:
            raise _with_status(exc, resp) from None

    return parse


def model_answer(model: type[M]) -> Callable[[Response], M]:
    """A parser for answers that carry one ``model`` document."""
    return _answer(model.from_xml)


def model_list_answer(model: type[M]) -> Callable[[Response], list[M]]:
    """A parser for answers that carry a list of ``model`` documents."""
    return _answer(model.list_from_xml)


def ignore_body(resp: Response) -> None:
    """For calls whose answer body the service never specified."""
    return None


class SyncResource:
    """Base of the blocking resources."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def _run(self, call: Call[T]) -> T:
        return self._client._transport.execute(call, self._client._options)

    def _stream(self, model: type[M], path: str) -> Iterator[M]:
        stream = ItemStream(model.xml_tag(), model.__rails_list_tag__,
                            max_item_bytes=self._client._options.max_response_bytes)
        with self._client._transport.stream("GET", path, self._client._options) as chunks:
            for chunk in chunks:
                for item in stream.feed(chunk):
                    yield model.validate_raw(model.element_to_dict(item))
            for item in stream.close():
                yield model.validate_raw(model.element_to_dict(item))


class AsyncResource:
    """Base of the asynchronous resources."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def _run(self, call: Call[T]) -> T:
        return await self._client._transport.execute(call, self._client._options)

    async def _stream(self, model: type[M], path: str) -> AsyncIterator[M]:
        stream = ItemStream(model.xml_tag(), model.__rails_list_tag__,
                            max_item_bytes=self._client._options.max_response_bytes)
        async with self._client._transport.stream("GET", path, self._client._options) as chunks:
            async for chunk in chunks:
                for item in stream.feed(chunk):
                    yield model.validate_raw(model.element_to_dict(item))
            for item in stream.close():
                yield model.validate_raw(model.element_to_dict(item))


