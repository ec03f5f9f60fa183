"""The emulator's API endpoints, one module per resource (as :mod:`spreedly_sdk.resources`).

Each handler takes a :class:`~._context.Ctx` (the site, the instant, the request) plus the
path's parameters and returns a :class:`~spreedly_sdk.testing._wire.Reply`, or raises
:class:`~spreedly_sdk.testing._wire.Refusal`. Which path reaches which handler is the table
:data:`spreedly_sdk.testing._routes.ROUTES`.
"""
