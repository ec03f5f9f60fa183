"""Subscription plans (``GET subscription_plans.xml``) and their versions (see docs/service/documents.md, "Plan")."""

from __future__ import annotations

from typing import Annotated, ClassVar, Optional

from ._base import RailsModel, rails_field, rails_list
from ._types import Money, UtcDatetime
from .enums import OpenDurationUnits, OpenPlanType

__all__ = ["Plan", "SubscriptionPlan", "SubscriptionPlanVersion"]

_V = "SubscriptionPlan::Version"


class SubscriptionPlanVersion(RailsModel, tag="subscription-plan-version"):
    """A snapshot of a plan at one version.

    Found as ``<subscription-plan-version>`` inside a subscriber (the version it is on) and as
    the ``<version>`` items of a plan's ``versions``. The service wrote the odd
    ``type="SubscriptionPlan::Version"`` on its string children; the model writes it too.
    """

    id: Annotated[int, rails_field("id", description="Id of this plan version.", default=...)]
    subscription_plan_id: Annotated[int, rails_field(
        "subscription-plan-id", description="Id of the plan.", default=...)]
    version: Annotated[int, rails_field("version", description="Version number of the plan.", default=...)]
    name: Annotated[str, rails_field("name", xml_type=_V, description="Plan name.", default=...)]
    description: Optional[str] = rails_field("description", xml_type=_V, description="Free text.")
    terms: Optional[str] = rails_field("terms", xml_type="string", description="Human terms: `1 month`, `Lifetime`.")
    amount: Optional[Money] = rails_field("amount", description="Charge per period.")
    currency_code: Optional[str] = rails_field("currency-code", xml_type=_V, description="ISO currency, e.g. USD.")
    minimum_needed_for_charge: Optional[Money] = rails_field(
        "minimum-needed-for-charge", description="Smallest amount the service will charge."
    )
    duration_quantity: Annotated[int, rails_field(
        "duration-quantity", description="Length of one period; 0 means it never expires.", default=...)]
    duration_units: Annotated[OpenDurationUnits, rails_field(
        "duration-units", xml_type=_V, description="`days` or `months`.", default=...)]
    charge_after_first_period: Optional[bool] = rails_field(
        "charge-after-first-period", description="The first charge is deferred by one period."
    )
    charge_later_duration_quantity: Optional[int] = rails_field(
        "charge-later-duration-quantity", description="Length of the deferral."
    )
    charge_later_duration_units: Optional[OpenDurationUnits] = rails_field(
        "charge-later-duration-units", xml_type=_V, description="Unit of the deferral."
    )
    enabled: Optional[bool] = rails_field("enabled", description="Available for purchase.")
    feature_level: Optional[str] = rails_field("feature-level", xml_type=_V, description="Feature level granted.")
    force_recurring: Optional[bool] = rails_field("force-recurring", description="Always renews automatically.")
    needs_to_be_renewed: Optional[bool] = rails_field(
        "needs-to-be-renewed", description="Expires and must be renewed (false for lifetime plans)."
    )
    plan_type: Optional[OpenPlanType] = rails_field("plan-type", xml_type=_V, description="`regular` or `free_trial`.")
    return_url: Optional[str] = rails_field("return-url", xml_type=_V, description="Where buyers return to.")
    setup_fee_amount: Optional[Money] = rails_field("setup-fee-amount", description="One-off setup fee.")
    setup_fee_description: Optional[str] = rails_field(
        "setup-fee-description", xml_type=_V, description="Text of the setup fee."
    )
    setup_fee_currency_code: Optional[str] = rails_field(
        "setup-fee-currency-code", xml_type=_V, description="Currency of the setup fee."
    )
    created_at: Optional[UtcDatetime] = rails_field("created-at", description="When the version was made (UTC).")
    updated_at: Optional[UtcDatetime] = rails_field("updated-at", description="Last change (UTC).")


class SubscriptionPlan(RailsModel, tag="subscription-plan"):
    """A plan of the site, as listed by ``GET subscription_plans.xml`` (disabled ones included)."""

    __rails_list_tag__: ClassVar[str | None] = "subscription-plans"

    id: Annotated[int, rails_field(
        "id", description="Plan id, used for trials, invoices and subscribe URLs.", default=...)]
    name: Annotated[str, rails_field("name", description="Plan name.", default=...)]
    description: Optional[str] = rails_field("description", description="Free text.")
    terms: Annotated[str, rails_field(
        "terms", xml_type="string", description="Human terms: `1 month`, `Lifetime`.", default=...)]
    price: Annotated[Money, rails_field("price", description="Price per period.", default=...)]
    amount: Annotated[Money, rails_field("amount", description="Charge per period.", default=...)]
    currency_code: Annotated[str, rails_field("currency-code", description="ISO currency, e.g. USD.", default=...)]
    minimum_needed_for_charge: Optional[Money] = rails_field(
        "minimum-needed-for-charge", nil=False, description="Smallest amount the service will charge."
    )
    duration_quantity: Annotated[int, rails_field(
        "duration-quantity", description="Length of one period; 0 means it never expires.", default=...)]
    duration_units: Annotated[OpenDurationUnits, rails_field(
        "duration-units", description="`days` or `months`.", default=...)]
    charge_after_first_period: Optional[bool] = rails_field(
        "charge-after-first-period", description="The first charge is deferred by one period."
    )
    charge_later_duration_quantity: Optional[int] = rails_field(
        "charge-later-duration-quantity", description="Length of the deferral."
    )
    charge_later_duration_units: Optional[OpenDurationUnits] = rails_field(
        "charge-later-duration-units", description="Unit of the deferral."
    )
    enabled: Annotated[bool, rails_field("enabled", description="Available for purchase.", default=...)]
    feature_level: Annotated[str, rails_field("feature-level", description="Feature level granted.", default=...)]
    force_recurring: Annotated[bool, rails_field(
        "force-recurring", description="Always renews automatically.", default=...)]
    needs_to_be_renewed: Annotated[bool, rails_field(
        "needs-to-be-renewed", description="Expires and must be renewed (false for lifetime plans).", default=...)]
    plan_type: Annotated[OpenPlanType, rails_field("plan-type", description="`regular` or `free_trial`.", default=...)]
    return_url: Annotated[str, rails_field("return-url", description="Where buyers return after paying.", default=...)]
    setup_fee_amount: Optional[Money] = rails_field("setup-fee-amount", nil=False, description="One-off setup fee.")
    setup_fee_description: Optional[str] = rails_field(
        "setup-fee-description", nil=False, description="Text of the setup fee."
    )
    setup_fee_currency_code: Optional[str] = rails_field(
        "setup-fee-currency-code", nil=False, description="Currency of the setup fee."
    )
    version: Optional[int] = rails_field("version", nil=False, description="Current version number.")
    created_at: Optional[UtcDatetime] = rails_field("created-at", description="When the plan was made (UTC).")
    updated_at: Optional[UtcDatetime] = rails_field("updated-at", description="Last change (UTC).")
    versions: Optional[list[SubscriptionPlanVersion]] = rails_list(
        "versions", "version", item_xml_type=_V, description="Every version of the plan (2013 and later)."
    )

    @property
    def is_free_trial(self) -> bool:
        """Whether this is a free-trial plan (usable with ``subscribe_to_free_trial``)."""
        return self.plan_type == "free_trial"


Plan = SubscriptionPlan
"""The design card's name for :class:`SubscriptionPlan` (the same class)."""
