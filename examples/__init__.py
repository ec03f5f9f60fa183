"""Runnable examples: receiving Spreedly's subscribers-changed notification in web frameworks.

Each module builds an application around :func:`spreedly_sdk.webhooks.fetch_changed` (or its
async twin) and a :class:`~examples.store.SubscriberStore`; ``tests/lifecycle/test_examples.py``
runs each one on a loopback port against the emulator.
"""
