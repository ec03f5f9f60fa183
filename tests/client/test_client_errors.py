"""Status codes to typed errors with the service's messages (see docs/service/index.md, "Status codes"), on both clients."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from wire import API, SAMPLES, TOKEN, Answer, FakeService, fixture, sample, text

from spreedly_sdk.errors import (
    APIStatusError,
    AuthenticationError,
    ForbiddenError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    ResponseParseError,
    SpreedlyError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)

ERRORS_TWO = ["Duration quantity can't be blank", "Duration units must be either 'days' or 'months'"]

STATUS_CASES = [
    pytest.param(text(401, "HTTP Basic: Access denied."), AuthenticationError, ["HTTP Basic: Access denied."],
                 id="401"),
    pytest.param(text(403, "This API call does not allow adjusting the following attributes [ invoices ]."),
                 ForbiddenError, ["This API call does not allow adjusting the following attributes [ invoices ]."],
                 id="403"),
    pytest.param(text(404, "There is no subscriber with a customer id of 401"), NotFoundError,
                 ["There is no subscriber with a customer id of 401"], id="404"),
    pytest.param(Answer(422, fixture("errors-two.xml")), UnprocessableEntityError, ERRORS_TWO, id="422-xml"),
    pytest.param(Answer(422, fixture("errors-two.xml"), "text/html"), UnprocessableEntityError, ERRORS_TWO,
                 id="422-xml-mislabelled"),
    pytest.param(text(422, "You must specify subscriber parameters"), UnprocessableEntityError,
                 ["You must specify subscriber parameters"], id="422-text"),
    pytest.param(text(422, "undefined method `delete' for nil:NilClass\n"), UnprocessableEntityError,
                 ["undefined method `delete' for nil:NilClass"], id="422-leaked-exception"),
    pytest.param(Answer(429, b"", None, {"retry-after": "7"}), RateLimitError, [], id="429"),
    pytest.param(text(500, "Internal error"), InternalServerError, ["Internal error"], id="500"),
    pytest.param(Answer(502, b"<html><body>Bad gateway</body></html>", "text/html"), InternalServerError, [],
                 id="502-html"),
    pytest.param(text(503, "down"), InternalServerError, ["down"], id="503"),
    pytest.param(Answer(504, b""), InternalServerError, [], id="504"),
    pytest.param(text(418, "teapot"), APIStatusError, ["teapot"], id="418-other"),
]


@pytest.mark.parametrize(("answer", "cls", "errors"), STATUS_CASES)
@pytest.mark.parametrize("call", ["get", "create", "get-chunked", "stream"])
def test_status_maps_to_error_class(api: Any, service: FakeService, answer: Answer, cls: type[APIStatusError],
                                    errors: list[str], call: str) -> None:
    if call == "stream":  # the streaming list path checks the status before the first item
        service.on("GET", f"{API}/subscribers.xml", dataclasses.replace(answer, chunk=5))
        with pytest.raises(APIStatusError) as streamed:
            list(api.subscribers.iter())
        assert type(streamed.value) is cls and streamed.value.errors == errors
        assert streamed.value.status_code == answer.status
        return
    if call == "get-chunked":
        answer, call = dataclasses.replace(answer, chunk=5), "get"
    if call == "get":
        method, path = "GET", f"{API}/subscribers/42.xml"
        service.on(method, path, answer)
        invoke = lambda: api.subscribers.get("42")  # noqa: E731
    else:
        method, path = "POST", f"{API}/subscribers.xml"
        service.on(method, path, answer)
        invoke = lambda: api.subscribers.create("42")  # noqa: E731
    with pytest.raises(APIStatusError) as info:
        invoke()
    err = info.value
    assert type(err) is cls
    assert isinstance(err, SpreedlyError)
    assert err.status_code == answer.status
    assert err.errors == errors
    assert err.method == method
    assert path.endswith(err.path)
    assert isinstance(err.response, httpx.Response) and err.response.status_code == answer.status
    assert isinstance(err.request, httpx.Request) and err.request.method == method
    assert TOKEN not in str(err) and TOKEN not in repr(err)
    assert len(service.seen) == 1  # max_retries=0 in these tests: one attempt
    if answer.status == 429:
        assert err.retry_after == 7.0


def _error_bodies() -> list[Any]:
    """(status, body, is XML): error bodies of our own, in both shapes the service used, and
    the recorded ones as an extra layer when the samples folder is present."""
    own = [pytest.param(422, fixture("errors-two.xml"), True, id="own-422-errors"),
           pytest.param(401, b"HTTP Basic: Access denied.\n", False, id="own-401-text"),
           pytest.param(403, b"A subscriber with a customer-id of 42 already exists.", False, id="own-403-text"),
           pytest.param(404, b"<errors><error>There is no subscriber with that customer id</error></errors>", True,
                        id="own-404-errors")]
    names = sorted(p.name for p in SAMPLES.glob("error-*")) if SAMPLES.is_dir() else []
    return own + [pytest.param(int(n.split("-")[1]), sample(n), n.endswith(".xml"), id=n) for n in names]


@pytest.mark.parametrize(("status", "body", "is_xml"), _error_bodies())
def test_every_real_error_body(api: Any, service: FakeService, status: int, body: bytes, is_xml: bool) -> None:
    """Each error body, served with its status, gives the right class and messages."""
    if is_xml:
        answer = Answer(status, body)
        from spreedly_sdk.models import ErrorsDocument

        expected = [e.strip() for e in ErrorsDocument.from_xml(body).errors]
    else:
        answer = Answer(status, body, "text/plain; charset=utf-8")
        expected = [body.decode().strip()]
    service.on("POST", f"{API}/subscribers/42/fees.xml", answer)
    with pytest.raises(APIStatusError) as info:
        api.subscribers.add_fee("42", name="n", group="g", amount=1)
    assert info.value.status_code == status
    assert type(info.value) is {401: AuthenticationError, 403: ForbiddenError, 404: NotFoundError,
                                422: UnprocessableEntityError}[status]
    assert info.value.errors == expected and expected[0]


BAD_2XX = [
    pytest.param(Answer(200, b"<html><body>maintenance</body></html>", "text/html"), UnexpectedResponseError,
                 id="html"),
    pytest.param(Answer(200, fixture("invoice-open.xml")), UnexpectedResponseError, id="wrong-root"),
    pytest.param(Answer(200, b"<subscriber><customer-id>1</customer-id>"), ResponseParseError, id="truncated"),
    pytest.param(Answer(200, b""), ResponseParseError, id="empty"),
    pytest.param(Answer(200, b"<subscriber><active type='boolean'>maybe</active></subscriber>"), ResponseParseError,
                 id="bad-value"),
]


@pytest.mark.parametrize(("answer", "cls"), BAD_2XX)
def test_unusable_success_bodies_are_typed(api: Any, service: FakeService, answer: Answer,
                                           cls: type[ResponseError]) -> None:
    service.on("GET", f"{API}/subscribers/42.xml", answer)
    with pytest.raises(ResponseError) as info:
        api.subscribers.get("42")
    assert type(info.value) is cls
    assert info.value.status_code == 200


def test_list_with_wrong_root_is_typed(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers.xml", Answer(200, fixture("plans-list.xml")))
    with pytest.raises(UnexpectedResponseError):
        api.subscribers.list()


def test_streamed_list_with_wrong_root_is_typed(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers.xml", Answer(200, fixture("plans-list.xml")))
    with pytest.raises(UnexpectedResponseError):
        list(api.subscribers.iter())


def test_any_empty_array_root_is_an_empty_list(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers.xml", Answer(200, b'<subscription-plans type="array"/>'))
    assert api.subscribers.list() == []
    assert list(api.subscribers.iter()) == []
