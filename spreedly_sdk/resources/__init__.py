"""One module per API resource; each holds its endpoints and a sync and an async class."""

from .invoices import AsyncInvoices, Invoices
from .plans import AsyncPlans, Plans
from .subscribers import AsyncSubscribers, Subscribers
from .transactions import AsyncTransactions, Transactions

__all__ = [
    "AsyncInvoices",
    "AsyncPlans",
    "AsyncSubscribers",
    "AsyncTransactions",
    "Invoices",
    "Plans",
    "Subscribers",
    "Transactions",
]
