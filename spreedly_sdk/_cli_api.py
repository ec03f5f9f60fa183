"""The API commands of the ``spreedly`` command line: plans, subscribers, transactions, signup-url.

They are registered on the ``spreedly`` group by :mod:`spreedly_sdk.cli`. Each command takes
the connection from flags or the environment (``SPREEDLY_TOKEN``, ``SPREEDLY_SITE``,
``SPREEDLY_BASE_URL``) and offers only the options it uses (``signup-url`` makes no request, so
it has no ``--token``, ``--timeout`` or ``--json``). A listing prints a table on stdout (or
JSON with ``--json``) and its count on stderr (``0 transactions``); amounts always have two
decimals. On failure: one line on stderr and an exit code that says what went wrong
(:data:`EXIT_CODES`).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

import click
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from ._client import Client
from ._display import money
from ._transport import DEFAULT_BASE_URL
from .errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    SpreedlyError,
)
from .models import Subscriber, SubscriptionPlan, Transaction
from .resources._base import NOT_GIVEN, NotGiven

__all__ = ["EXIT_CODES", "SummaryCommand", "SummaryGroup", "register"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_NOT_FOUND = 4
EXIT_REFUSED = 5
EXIT_AUTH = 6
EXIT_UNREACHABLE = 7
EXIT_SERVICE = 8

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_FAILURE: "any other failure (for example an answer the SDK could not read)",
    EXIT_USAGE: "bad command line (unknown option, missing argument)",
    EXIT_CONFIG: "bad configuration or input: no token or site, invalid base URL, an id the SDK refuses",
    EXIT_NOT_FOUND: "not found (404): no such subscriber",
    EXIT_REFUSED: "refused by the service (403, 422 or another 4xx): a rule or validation failed",
    EXIT_AUTH: "authentication failed (401): wrong token for this site",
    EXIT_UNREACHABLE: "could not reach the service: connection failure or timeout",
    EXIT_SERVICE: "the service is failing or throttling (5xx, 429)",
}
"""Exit codes of the API commands and what each means."""

PROGRESS_EVERY = 500
"""While listing subscribers, report progress on stderr every this many."""


# ----------------------------------------------------------------------------- help


class SummaryCommand(click.Command):
    """A command whose one-line summary in its group's ``--help`` is never cut short.

    click trims summaries to what fits beside the longest command name and ends them with
    ``...``; this one gives the whole first sentence (wrapped onto further lines if needed).
    """

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=sys.maxsize)


class SummaryGroup(click.Group):
    """A group whose own summary, and those of the commands and groups made on it, are whole."""

    command_class = SummaryCommand
    group_class = type  # sub-groups made with ``@group.group()`` are SummaryGroups too

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=sys.maxsize)


# ----------------------------------------------------------------------------- failures


def _fail(code: int, message: str) -> NoReturn:
    click.echo(f"spreedly: error: {message}", err=True)
    sys.exit(code)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _exit_for(err: SpreedlyError) -> tuple[int, str]:
    """The exit code and one-line message for an SDK error."""
    if isinstance(err, InvalidRequestError):
        return EXIT_CONFIG, err.message
    if isinstance(err, APIStatusError):
        detail = "; ".join(err.errors) or err.message
        if isinstance(err, NotFoundError):
            return EXIT_NOT_FOUND, f"not found: {detail}"
        if isinstance(err, AuthenticationError):
            return EXIT_AUTH, f"authentication failed (check the token and site): {detail}"
        if isinstance(err, (InternalServerError, RateLimitError)):
            return EXIT_SERVICE, f"the service answered {err.status_code}: {detail}"
        return EXIT_REFUSED, f"refused ({err.status_code}): {detail}"
    if isinstance(err, APIConnectionError):
        return EXIT_UNREACHABLE, f"could not reach the service: {err.message}"
    return EXIT_FAILURE, f"{type(err).__name__}: {err.message}"


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SpreedlyError as err:
            code, message = _exit_for(err)
            _fail(code, _one_line(message))

    return wrapper  # type: ignore[return-value]


# ----------------------------------------------------------------------------- connection


class Connection:
    """The connection settings of one command (a client is made only when needed)."""

    def __init__(self, token: str | None, site: str | None, base_url: str, timeout: float) -> None:
        self.token = token
        self.site = site
        self.base_url = base_url
        self.timeout = timeout

    def require_site(self) -> str:
        if not self.site:
            _fail(EXIT_CONFIG, "no site given: pass --site or set SPREEDLY_SITE")
        return self.site

    def client(self) -> Client:
        site = self.require_site()
        if not self.token:
            _fail(EXIT_CONFIG, "no API token given: pass --token or set SPREEDLY_TOKEN")
        return Client(self.token, site, base_url=self.base_url, timeout=self.timeout)


def _apply(func: F, options: Sequence[Callable[[Any], Any]]) -> F:
    for option in reversed(options):
        func = option(func)
    return func  # the options are applied last first, so --help lists them in the order given


SITE_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--site", envvar="SPREEDLY_SITE", show_envvar=True, help="The site's short name."),
    click.option("--base-url", envvar="SPREEDLY_BASE_URL", default=DEFAULT_BASE_URL, show_default=True,
                 show_envvar=True, help="Service (or emulator) URL."),
)
"""Where the site is: every command that names the site (``signup-url`` included)."""

REQUEST_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--token", envvar="SPREEDLY_TOKEN", show_envvar=True,
                 help="The site's API token (prefer the environment variable)."),
    *SITE_OPTIONS,
    click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per request."),
    click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table."),
)
"""Everything a command that calls the API uses: credentials, site, timeout, output format."""


def _connection_options(func: F) -> F:
    """Add ``--token``, ``--site``, ``--base-url``, ``--timeout`` and ``--json`` to a command."""
    return _apply(func, REQUEST_OPTIONS)


def _site_options(func: F) -> F:
    """Add only ``--site`` and ``--base-url`` (a command that makes no request)."""
    return _apply(func, SITE_OPTIONS)


def _connection(token: str | None, site: str | None, base_url: str, timeout: float) -> Connection:
    return Connection(token, site, base_url, timeout)


# ----------------------------------------------------------------------------- output


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return money(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("+00:00", "Z")
    return str(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int = 40) -> str:
    """A plain-text table; cells longer than ``width`` are cut with an ellipsis."""
    cells = [[_cut(_text(v), width) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_value(value: Any) -> Any:
    """Amounts as strings with two decimals (``"19.00"``: exact, and as the tables show them);
    everything else as pydantic writes it in JSON."""
    if isinstance(value, Decimal):
        return money(value)
    return to_jsonable_python(value)


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_json_value))


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


def _count(n: int, noun: str) -> str:
    """``0 transactions``, ``1 plan``, ``2 subscribers``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _listing(noun: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A listing in table form: the table on stdout (none when there are no rows) and the count
    on stderr, so stdout can be piped and an empty answer still says so."""
    if rows:
        click.echo(_table(headers, rows))
    click.echo(_count(len(rows), noun), err=True)


def _show_subscriber(sub: Subscriber, as_json: bool) -> None:
    if as_json:
        _json(_dump(sub))
        return
    data = sub.model_dump(exclude={"invoices", "subscription_plan_version"})
    width = max(len(k) for k in data)
    for key, value in data.items():
        click.echo(f"{key.ljust(width)}  {_text(value)}")
    if sub.invoices:
        click.echo(f"{'invoices'.ljust(width)}  {len(sub.invoices)}")


SUBSCRIBER_COLUMNS = ("customer_id", "screen_name", "email", "active", "active_until", "plan", "recurring")


def _subscriber_row(sub: Subscriber) -> tuple[Any, ...]:
    return (sub.customer_id, sub.screen_name, sub.email, sub.active, sub.active_until,
            sub.subscription_plan_name or None, sub.recurring)


def _with_progress(items: Iterable[Subscriber], show: bool) -> Iterator[Subscriber]:
    """Yield the items, reporting on stderr every :data:`PROGRESS_EVERY` and at the end."""
    count = 0
    for item in items:
        count += 1
        if show and count % PROGRESS_EVERY == 0:
            click.echo(f"\rfetched {count:,} subscribers…", err=True, nl=False)
        yield item
    if show and count >= PROGRESS_EVERY:
        click.echo(f"\rfetched {count:,} subscribers.  ", err=True)


# ----------------------------------------------------------------------------- commands


@click.command("plans", cls=SummaryCommand)
@click.option("--enabled-only", is_flag=True, help="Leave out disabled plans.")
@_connection_options
@_handle_errors
def plans_command(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                  enabled_only: bool) -> None:
    """List the site's subscription plans."""
    with _connection(token, site, base_url, timeout).client() as client:
        plans: list[SubscriptionPlan] = [p for p in client.plans.list() if p.enabled or not enabled_only]
    if as_json:
        _json([_dump(p) for p in plans])
        return
    _listing("plan", ("id", "name", "type", "price", "currency", "terms", "feature_level", "enabled"),
             [(p.id, p.name, p.plan_type, p.price, p.currency_code, p.terms, p.feature_level, p.enabled)
              for p in plans])


@click.group("subscribers", cls=SummaryGroup)
def subscribers_group() -> None:
    """List, show, create and update subscribers."""


@subscribers_group.command("list")
@click.option("--active-only", is_flag=True, help="Only subscribers who are active now.")
@click.option("--progress/--no-progress", default=None,
              help="Report progress on stderr (default: when stderr is a terminal).")
@_connection_options
@_handle_errors
def subscribers_list(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                     active_only: bool, progress: bool | None) -> None:
    """List every subscriber (streamed: large sites are fine)."""
    show = progress if progress is not None else sys.stderr.isatty()
    with _connection(token, site, base_url, timeout).client() as client:
        subs = [s for s in _with_progress(client.subscribers.iter(), show) if s.active or not active_only]
    if as_json:
        _json([_dump(s) for s in subs])
        return
    _listing("subscriber", SUBSCRIBER_COLUMNS, [_subscriber_row(s) for s in subs])


@subscribers_group.command("get")
@click.argument("customer_id")
@_connection_options
@_handle_errors
def subscribers_get(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                    customer_id: str) -> None:
    """Show one subscriber."""
    with _connection(token, site, base_url, timeout).client() as client:
        sub = client.subscribers.get(customer_id)
    _show_subscriber(sub, as_json)


def _given(value: str | None) -> str | NotGiven:
    """An option left out is not sent (``None`` would clear the field)."""
    return NOT_GIVEN if value is None else value


def _field_options(func: F) -> F:
    for option in (
        click.option("--last-name", "billing_last_name", help="Billing last name."),
        click.option("--first-name", "billing_first_name", help="Billing first name."),
        click.option("--email", help="Email address."),
        click.option("--screen-name", help="Name shown in Spreedly's admin pages."),
    ):
        func = option(func)
    return func


@subscribers_group.command("create")
@click.argument("customer_id")
@_field_options
@_connection_options
@_handle_errors
def subscribers_create(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                       customer_id: str, screen_name: str | None, email: str | None,
                       billing_first_name: str | None, billing_last_name: str | None) -> None:
    """Create a subscriber (exit code 5 if the customer id is taken)."""
    with _connection(token, site, base_url, timeout).client() as client:
        sub = client.subscribers.create(customer_id, screen_name=_given(screen_name), email=_given(email),
                                        billing_first_name=_given(billing_first_name),
                                        billing_last_name=_given(billing_last_name))
    _show_subscriber(sub, as_json)


@subscribers_group.command("update")
@click.argument("customer_id")
@_field_options
@click.option("--new-customer-id", help="Move the subscriber to this customer id.")
@_connection_options
@_handle_errors
def subscribers_update(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                       customer_id: str, screen_name: str | None, email: str | None,
                       billing_first_name: str | None, billing_last_name: str | None,
                       new_customer_id: str | None) -> None:
    """Change some fields of a subscriber and show the result."""
    if all(v is None for v in (screen_name, email, billing_first_name, billing_last_name, new_customer_id)):
        _fail(EXIT_USAGE, "nothing to change: give at least one of --screen-name, --email, --first-name, "
                          "--last-name, --new-customer-id")
    with _connection(token, site, base_url, timeout).client() as client:
        client.subscribers.update(customer_id, screen_name=_given(screen_name), email=_given(email),
                                  billing_first_name=_given(billing_first_name),
                                  billing_last_name=_given(billing_last_name),
                                  new_customer_id=_given(new_customer_id))
        sub = client.subscribers.get(new_customer_id or customer_id)
    _show_subscriber(sub, as_json)


@click.command("transactions", cls=SummaryCommand)
@click.option("--since-id", type=click.IntRange(min=0), default=None,
              help="Only transactions after this id (the next 50, or all with --all).")
@click.option("--all", "walk_all", is_flag=True, help="Every transaction, fetching page after page.")
@_connection_options
@_handle_errors
def transactions_command(token: str | None, site: str | None, base_url: str, timeout: float, as_json: bool,
                         since_id: int | None, walk_all: bool) -> None:
    """List the latest 50 transactions, or those after --since-id.

    Without --since-id: the 50 most recent, newest first. With --since-id N: the next 50 with
    an id above N, oldest first. With --all: every transaction (after --since-id, if given),
    oldest first, fetched page by page.
    """
    with _connection(token, site, base_url, timeout).client() as client:
        txs: list[Transaction] = (list(client.transactions.iter(since_id or 0)) if walk_all
                                  else client.transactions.list(since_id))
    if as_json:
        _json([_dump(t) for t in txs])
        return
    _listing("transaction", ("id", "created_at", "customer_id", "kind", "amount", "currency", "description"),
             [(t.id, t.created_at, t.subscriber_customer_id, t.detail_type, t.amount, t.currency_code,
               t.description) for t in txs])


@click.command("signup-url", cls=SummaryCommand)
@click.argument("customer_id")
@click.argument("plan_id", type=int)
@click.argument("screen_name", required=False)
@click.option("--subscriber-token", help="The subscriber's token: pre-fills their details and card on file.")
@click.option("--email", help="Pre-fill the email field.")
@click.option("--first-name", help="Pre-fill the first name.")
@click.option("--last-name", help="Pre-fill the last name.")
@click.option("--return-url", help="Where the receipt page's link leads.")
@_site_options
@_handle_errors
def signup_url_command(site: str | None, base_url: str, customer_id: str, plan_id: int, screen_name: str | None,
                       subscriber_token: str | None, email: str | None, first_name: str | None,
                       last_name: str | None, return_url: str | None) -> None:
    """Print a hosted subscribe page's URL (makes no request).

    The URL is built from the site and base URL alone, so no API token is needed. Give
    --subscriber-token for the page that pre-fills a known subscriber's details and card.
    """
    conn = _connection(None, site, base_url, 0.0)
    # The URL is built from the site and base URL alone; the client only validates them.
    with Client("unused", conn.require_site(), base_url=base_url) as client:
        url = client.signup_url(customer_id, plan_id, screen_name, token=subscriber_token, email=email,
                                first_name=first_name, last_name=last_name, return_url=return_url)
    click.echo(url)


COMMANDS: tuple[click.Command, ...] = (plans_command, subscribers_group, transactions_command, signup_url_command)


def register(group: click.Group) -> None:
    """Add the API commands to the ``spreedly`` group."""
    for command in COMMANDS:
        group.add_command(command)
