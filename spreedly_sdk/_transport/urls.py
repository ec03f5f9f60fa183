"""URLs: the base URL, the site's API root, path segments, query values and what errors show.

No I/O here. Every piece of text that goes into a URL passes one of these checks first, so
an id or a query value that cannot be sent is refused with :class:`InvalidRequestError`
before anything leaves the process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from urllib.parse import quote, unquote, urlsplit

import httpx

from ..errors import InvalidRequestError, InvalidTypeError

__all__ = ["ApiRoot", "check_base_url", "check_encodable", "check_params", "check_query_path",
           "check_site_name", "segment"]

API_PREFIX = "api/v4"


def check_encodable(text: str, name: str) -> str:
    """``text`` unchanged, or :class:`InvalidRequestError` if it holds a lone surrogate
    (which no encoding can carry, so it could never be sent as written)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(text[exc.start])
        raise InvalidRequestError(f"{name} holds U+{bad:04X}, a lone surrogate that cannot be encoded",
                                  field=name) from None
    return text


def segment(value: object, name: str = "id") -> str:
    """Percent-encode one path segment, refusing values that could leave the site.

    Integers are written in decimal; strings are encoded with nothing left safe, so ``/``,
    ``?`` and ``#`` stay inside the segment. Empty or padded values, dot segments (also in
    encoded form), control characters and lone surrogates raise :class:`InvalidRequestError`;
    ``None``, booleans and other types its subclass :class:`InvalidTypeError`.
    """
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int)):
        raise InvalidTypeError(f"{name} must be a string or an integer, not {type(value).__name__}", field=name)
    text = str(value)
    if not text or text != text.strip():
        raise InvalidRequestError(f"{name} must not be empty or start or end with spaces", field=name)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise InvalidRequestError(f"{name} must not contain control characters", field=name)
    check_encodable(text, name)
    decoded = text
    for _ in range(3):
        decoded = unquote(decoded)
    if decoded.strip() in (".", "..") or text in (".", ".."):
        raise InvalidRequestError(f"{name} must not be a dot segment", field=name)
    return quote(text, safe="")


def check_site_name(site_name: object) -> str:
    """Validate a site name (the short name in API paths) and return it encoded."""
    encoded = segment(site_name, "site_name")
    if encoded != site_name:
        raise InvalidRequestError("site_name may contain only letters, digits, '-', '_', '.' and '~'",
                                  field="site_name")
    return encoded


def check_base_url(base_url: object, site: str) -> httpx.URL:
    """The base URL (scheme, host and any proxy prefix), refusing ones that would leak the
    token or are not HTTP(S).

    A URL that already ends in the site's API root (``.../api/v4/{site}``, as the emulator's
    ``API root`` line shows it) or in ``.../api/v4`` is cut back to what comes before it; one
    ending in another site's API root is refused, saying what to pass.
    """
    if not isinstance(base_url, (str, httpx.URL)):
        raise InvalidTypeError(f"base_url must be a string or an httpx.URL, not {type(base_url).__name__}",
                               field="base_url")
    try:
        url = httpx.URL(check_encodable(str(base_url), "base_url"))
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidRequestError(f"base_url is not a valid URL: {type(exc).__name__}", field="base_url") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidRequestError("base_url must be an http:// or https:// URL with a host", field="base_url")
    if url.userinfo:
        raise InvalidRequestError("base_url must not carry credentials; pass the token as the first argument",
                                  field="base_url")
    if url.query or url.fragment:
        raise InvalidRequestError("base_url must not have a query or a fragment", field="base_url")
    head, marker, tail = url.raw_path.decode("ascii").rstrip("/").rpartition(f"/{API_PREFIX}")
    if marker and (not tail or tail.startswith("/")):
        root = url.copy_with(raw_path=(head + "/").encode("ascii"))
        if tail not in ("", f"/{site}"):
            shown = str(root).rstrip("/")
            raise InvalidRequestError(
                f"base_url must be the service's address without the API path: pass base_url={shown!r} and "
                f"the site's name as the second argument (calls then go to {shown}/{API_PREFIX}/{site}/...)",
                field="base_url")
        url = root
    return url


@dataclasses.dataclass(frozen=True)
class ApiRoot:
    """The site's API root, ``{base_url}/api/v4/{site}/``, and how a request there is shown.

    :meth:`url` joins a relative, already encoded path to it; :meth:`shown` gives the path
    under the host that errors and log lines name (``/api/v4/mysite/subscribers/42.xml``,
    never the token, which travels only in a header); :attr:`origin` is the ``host:port``
    that connection errors name.
    """

    base_url: httpx.URL
    site: str
    url_prefix: str = ""
    path_prefix: str = ""
    origin: str = ""

    @classmethod
    def of(cls, base_url: httpx.URL, site: str) -> ApiRoot:
        prefix = str(base_url).rstrip("/") + f"/{API_PREFIX}/{site}/"
        port = base_url.port or (443 if base_url.scheme == "https" else 80)
        host = f"[{base_url.host}]" if ":" in base_url.host else base_url.host
        return cls(base_url, site, prefix, urlsplit(prefix).path, f"{host}:{port}")

    def url(self, path: str) -> str:
        return path if "://" in path else self.url_prefix + path

    def shown(self, url: str) -> str:
        """The path of ``url`` under its host, as errors show it."""
        if url.startswith(self.url_prefix):
            return self.path_prefix + url[len(self.url_prefix):].split("?", 1)[0]
        return urlsplit(url).path

    def same_origin(self, url: str) -> bool:
        if url.startswith(self.url_prefix):  # every API call: no URL parsing (a tenth of a mocked call)
            return True
        target = httpx.URL(url)
        return (target.scheme, target.host, target.port) == (self.base_url.scheme, self.base_url.host,
                                                               self.base_url.port)


def check_params(params: Mapping[str, str] | None) -> None:
    """Refuse query values that cannot be encoded, before anything is sent."""
    for key, value in (params or {}).items():
        check_encodable(key, "query parameter")
        check_encodable(value, key)


def check_query_path(url: object) -> str:
    """A raw path for ``query()``: relative to the site's API root (a query string may follow),
    no scheme, no ``..``, no fragment, no control characters, nothing that cannot be encoded."""
    if not isinstance(url, str):
        raise InvalidTypeError(f"url must be a string, not {type(url).__name__}", field="url")
    if not url or "://" in url or url.startswith("/") or ".." in url.split("/"):
        raise InvalidRequestError("url must be a path under the site's API root, e.g. 'subscribers/42.xml'",
                                  field="url")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise InvalidRequestError("url must not contain control characters", field="url")
    if "#" in url:
        raise InvalidRequestError("url must not contain '#' (a fragment is never sent)", field="url")
    return check_encodable(url, "url")
