"""Invoices (the Payments API): REFERENCE §3.16 and §3.17."""

from __future__ import annotations

from typing import Union

from .._transport import Call
from ..models import CreditCardPayment, Invoice, InvoiceCreate, InvoiceSubscriber, OnFilePayment, Payment
from ._base import NOT_GIVEN, AsyncResource, NotGiven, SyncResource, build, given, model_answer, segment, xml_body

__all__ = ["AnyPayment", "AsyncInvoices", "Invoices"]

AnyPayment = Union[CreditCardPayment, OnFilePayment, Payment]


def create_call(plan_id: int, customer_id: str | int, screen_name: str | None | NotGiven,
                email: str | None | NotGiven) -> Call[Invoice]:
    subscriber = build(InvoiceSubscriber, customer_id=customer_id, **given(screen_name=screen_name, email=email))
    invoice = build(InvoiceCreate, subscription_plan_id=plan_id, subscriber=subscriber)
    return Call("POST", "invoices.xml", model_answer(Invoice), body=xml_body(invoice))


def pay_call(invoice_token: str, payment: AnyPayment) -> Call[Invoice]:
    path = f"invoices/{segment(invoice_token, 'invoice_token')}/pay.xml"
    if isinstance(payment, (CreditCardPayment, OnFilePayment)):
        payment = payment.to_payment()
    elif not isinstance(payment, Payment):
        from ..errors import InvalidRequestError

        raise InvalidRequestError("payment must be a CreditCardPayment, an OnFilePayment or a Payment")
    # A PUT, but it charges a card: after an unknown outcome the caller must look before paying again.
    return Call("PUT", path, model_answer(Invoice), body=xml_body(payment), idempotent=False)


class Invoices(SyncResource):
    """``client.invoices``."""

    def create(self, plan_id: int, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
               email: str | None | NotGiven = NOT_GIVEN) -> Invoice:
        """Open an invoice for a plan (the subscriber is created if new)."""
        return self._run(create_call(plan_id, customer_id, screen_name, email))

    def pay(self, invoice_token: str, payment: AnyPayment) -> Invoice:
        """Pay an open invoice by card or with the card on file; returns it closed.

        Not retried after an ambiguous failure (a timeout, a dropped connection, a 5xx): the
        payment may have gone through, so look at the invoice or subscriber before paying again.
        """
        return self._run(pay_call(invoice_token, payment))


class AsyncInvoices(AsyncResource):
    """``async_client.invoices``."""

    async def create(self, plan_id: int, customer_id: str | int, *,
                     screen_name: str | None | NotGiven = NOT_GIVEN,
                     email: str | None | NotGiven = NOT_GIVEN) -> Invoice:
        """Open an invoice for a plan (the subscriber is created if new)."""
        return await self._run(create_call(plan_id, customer_id, screen_name, email))

    async def pay(self, invoice_token: str, payment: AnyPayment) -> Invoice:
        """Pay an open invoice by card or with the card on file; returns it closed."""
        return await self._run(pay_call(invoice_token, payment))
