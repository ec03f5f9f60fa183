"""Invoices (the Payments API): see docs/service/endpoints.md, "Invoices"."""

from __future__ import annotations

from typing import Union, overload

from .._transport import Call, segment
from ..models import CreditCardPayment, Invoice, InvoiceCreate, InvoiceSubscriber, OnFilePayment, Payment
from ._base import NOT_GIVEN, AsyncResource, NotGiven, SyncResource, build, given, model_answer, xml_body

__all__ = ["AnyPayment", "AsyncInvoices", "Invoices"]

AnyPayment = Union[CreditCardPayment, OnFilePayment, Payment]


def create_call(plan_id: int | InvoiceCreate, customer_id: str | int | NotGiven, screen_name: str | None | NotGiven,
                email: str | None | NotGiven) -> Call[Invoice]:
    if isinstance(plan_id, InvoiceCreate):
        passed = given(customer_id=customer_id, screen_name=screen_name, email=email)
        if passed:
            from ..errors import InvalidRequestError

            raise InvalidRequestError(f"pass either an InvoiceCreate or the other arguments, not both "
                                      f"(got {', '.join(sorted(passed))} too)", field=sorted(passed)[0])
        invoice = plan_id
    else:
        subscriber = build(InvoiceSubscriber, **given(customer_id=customer_id, screen_name=screen_name, email=email))
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

    @overload
    def create(self, plan_id: InvoiceCreate, /) -> Invoice: ...
    @overload
    def create(self, plan_id: int, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
               email: str | None | NotGiven = NOT_GIVEN) -> Invoice: ...
    def create(self, plan_id: int | InvoiceCreate, customer_id: str | int | NotGiven = NOT_GIVEN, *,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN) -> Invoice:
        """Open an invoice for a plan (the subscriber is created if new).

        Args:
            plan_id: the plan to buy, or a whole :class:`InvoiceCreate`.
            customer_id: who buys it.
            screen_name: the subscriber's screen name, if it is created now.
            email: the subscriber's email, if it is created now.
        """
        return self._run(create_call(plan_id, customer_id, screen_name, email))

    def pay(self, invoice_token: str, payment: AnyPayment) -> Invoice:
        """Pay an open invoice by card or with the card on file; returns it closed.

        Not retried after an ambiguous failure (a timeout, a dropped connection, a 5xx): the
        payment may have gone through, so look at the invoice or subscriber before paying again.
        """
        return self._run(pay_call(invoice_token, payment))


class AsyncInvoices(AsyncResource):
    """``async_client.invoices``."""

    @overload
    async def create(self, plan_id: InvoiceCreate, /) -> Invoice: ...
    @overload
    async def create(self, plan_id: int, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
                     email: str | None | NotGiven = NOT_GIVEN) -> Invoice: ...
    async def create(self, plan_id: int | InvoiceCreate, customer_id: str | int | NotGiven = NOT_GIVEN, *,
                     screen_name: str | None | NotGiven = NOT_GIVEN,
                     email: str | None | NotGiven = NOT_GIVEN) -> Invoice:
        """Open an invoice for a plan (the subscriber is created if new).

        Args:
            plan_id: the plan to buy, or a whole :class:`InvoiceCreate`.
            customer_id: who buys it.
            screen_name: the subscriber's screen name, if it is created now.
            email: the subscriber's email, if it is created now.
        """
        return await self._run(create_call(plan_id, customer_id, screen_name, email))

    async def pay(self, invoice_token: str, payment: AnyPayment) -> Invoice:
        """Pay an open invoice by card or with the card on file; returns it closed."""
        return await self._run(pay_call(invoice_token, payment))
