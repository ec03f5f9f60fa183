"""The ``spreedly`` command (needs the ``cli`` extra: ``pip install 'spreedly-sdk[cli]'``).

``main`` is a click group; commands register on it:

* ``spreedly demo`` — a guided tour of the API on an in-process emulator;
* ``spreedly emulator`` — serve an emulated site on loopback until interrupted;
* ``spreedly plans``, ``subscribers list|get|create|update``, ``transactions``, ``signup-url``
  — the API commands, from :mod:`spreedly_sdk._cli_api`.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

try:
    import click
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise SystemExit("the spreedly command needs click: pip install 'spreedly-sdk[cli]'") from exc

from ._cli_api import SummaryGroup, register
from ._version import __version__

__all__ = ["main"]


@click.group(cls=SummaryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spreedly")
def main() -> None:
    """Tools for the Spreedly Subscriptions API v4 and its emulator."""


@main.command()
def demo() -> None:
    """Start an emulator and walk through the whole API with the SDK."""
    from .testing.demo import run_demo

    run_demo(echo=click.echo)


def _instant(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """``--now``: an ISO 8601 instant (``Z`` or an offset; none means UTC)."""
    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 instant such as 2013-03-01T12:00:00Z",
                                 param_hint="--now") from None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--site", default="demo-test", show_default=True, help="Site name in the API paths.")
@click.option("--token", default=None, help="API token clients must send (default: a fixed test token).")
@click.option("--production", is_flag=True, help="Emulate a production site (deletes are refused).")
@click.option("--plan", "extra_plans", multiple=True, metavar="ID:TYPE[:NAME]",
              help="Add a plan with this id; TYPE is regular (monthly) or free_trial (14 days). Repeatable; "
                   "lets old test suites that hard-code plan ids run unchanged.")
@click.option("--notify-url", default=None, metavar="URL",
              help="POST the subscribers-changed notification (form field subscriber_ids) here; a failed "
                   "delivery is retried on a later request, 1, 2, 4... minutes after the previous attempt.")
@click.option("--now", "start", default=None, metavar="INSTANT", callback=_instant,
              help="Start the emulator's clock at this instant (ISO 8601, e.g. 2013-03-01T12:00:00Z; UTC when "
                   "no offset is given); it runs on from there. Card expiry and renewals follow this clock, so "
                   "old suites can pay with the cards they were written with.")
def emulator(host: str, port: int, site: str, token: str | None, production: bool,
             extra_plans: tuple[str, ...], notify_url: str | None, start: datetime | None) -> None:
    """Serve an emulated Spreedly site over HTTP until interrupted (Ctrl-C)."""
    from .testing import DEFAULT_TOKEN, Clock, Emulator

    clock = Clock()
    if start is not None:
        clock = Clock(start)
        clock.unfreeze()  # started at the instant, then running
    emu = Emulator(site, token or DEFAULT_TOKEN, test_site=not production, notify_url=notify_url, clock=clock)
    for spec in extra_plans:
        _add_plan(emu, spec)
    with emu.serve(host, port) as base_url:
        click.echo(f"Spreedly emulator for site {site!r} at {base_url}")
        click.echo(f"  base_url:  {base_url}   (the SDK adds /api/v4/{site}/ itself)")
        click.echo(f"  API token: {emu.token}")
        click.echo(f"  Python:    Client({emu.token!r}, {site!r}, base_url={base_url!r})")
        if notify_url:
            click.echo(f"  Notifying: {notify_url}")
        click.echo(f"  API root:  {base_url}/api/v4/{site}/   (for curl and other clients)")
        if start is not None:
            click.echo(f"  Clock:     started at {emu.clock.now().isoformat().replace('+00:00', 'Z')}")
        click.echo("Press Ctrl-C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    click.echo(f"Stopped after {len(emu.requests)} requests.")


register(main)

def _add_plan(emu: Any, spec: str) -> None:
    parts = spec.split(":", 2)
    if len(parts) < 2 or not parts[0].isdigit() or parts[1] not in ("regular", "free_trial"):
        raise click.BadParameter(f"{spec!r} is not ID:TYPE[:NAME] with TYPE regular or free_trial",
                                 param_hint="--plan")
    plan_id, plan_type = int(parts[0]), parts[1]
    name = parts[2] if len(parts) == 3 else f"{'Trial' if plan_type == 'free_trial' else 'Plan'} {plan_id}"
    try:
        if plan_type == "free_trial":
            emu.add_plan(name, plan_id=plan_id, plan_type="free_trial", amount="0", duration_quantity=14,
                         duration_units="days", needs_to_be_renewed=False)
        else:
            emu.add_plan(name, plan_id=plan_id, amount="10", duration_quantity=1, duration_units="months")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--plan") from None


if __name__ == "__main__":  # pragma: no cover
    main()
