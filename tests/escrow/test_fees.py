from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow.errors import InvalidAmountError
from escrow.fees import RATE_DECIMAL_PLACES, FeePolicy, FeeTier, fee_for, fee_split
from marketplace.money import round_amount

from .factories import rub

DEFAULT = FeePolicy.from_settings()

kopecks = st.integers(min_value=1, max_value=10**12).map(lambda k: rub(Decimal(k).scaleb(-2)))
rates = st.decimals(min_value=0, max_value=Decimal("0.30"), places=RATE_DECIMAL_PLACES)


@given(amount=kopecks, rate=rates)
def test_fee_and_payout_add_up_to_the_total(amount, rate):
    # 1 kopeck .. 10^10 RUB, rates 0-30%: the parts always sum to the amount exactly.
    fee, payout = fee_split(amount, rate)
    assert fee + payout == amount
    assert rub(0) <= fee <= amount
    assert fee.amount == round_amount(fee.amount, "RUB")
    assert abs(fee.amount - amount.amount * rate) <= Decimal("0.005")


def test_fee_rounds_half_up_not_to_even():
    assert fee_for(rub("0.05"), Decimal("0.1")) == rub("0.01")  # 0.005 -> 0.01
    assert fee_for(rub("0.25"), Decimal("0.1")) == rub("0.03")  # 0.025 -> 0.03, not 0.02
    assert fee_for(rub("0.04"), Decimal("0.1")) == rub("0.00")


@pytest.mark.parametrize(
    ("amount", "turnover", "rate"),
    [
        ("10000", "0", "0.2"),
        ("10000", "25000", "0.16"),  # 5 000 at 20% and 5 000 at 12%
        ("10000", "400000", "0.075"),
        ("300000", "20000", "0.1196666667"),  # 10 000 at 20%, 270 000 at 12%, 20 000 at 7.5%
        ("30000", "0", "0.2"),
        ("0", "30000", "0.12"),  # the marginal rate at the start of the second tier
    ],
)
def test_blended_rate_of_the_default_tiers(amount, turnover, rate):
    assert DEFAULT.rate_for(amount=Decimal(amount), turnover=Decimal(turnover)) == Decimal(rate)


@given(
    amount=st.integers(min_value=1, max_value=10**9).map(lambda k: Decimal(k).scaleb(-2)),
    turnover=st.integers(min_value=0, max_value=10**9).map(lambda k: Decimal(k).scaleb(-2)),
)
def test_fee_from_the_stored_rate_is_within_a_kopeck_of_the_exact_tiered_fee(amount, turnover):
    exact = Decimal(0)
    lower = Decimal(0)
    for tier in DEFAULT.tiers:
        upper = tier.up_to if tier.up_to is not None else turnover + amount
        exact += max(Decimal(0), min(upper, turnover + amount) - max(lower, turnover)) * tier.rate
        lower = tier.up_to if tier.up_to is not None else lower
    rate = DEFAULT.rate_for(amount=amount, turnover=turnover)
    assert Decimal("0.075") <= rate <= Decimal("0.2")
    assert abs(fee_for(rub(amount), rate).amount - exact) <= Decimal("0.01")


def test_tiers_come_from_settings(settings):
    settings.ESCROW_FEE_TIERS = [("1000", "0.10"), (None, "0.05")]
    policy = FeePolicy.from_settings()
    assert policy.rate_for(amount=Decimal("2000"), turnover=Decimal("0")) == Decimal("0.075")


@pytest.mark.parametrize(
    "tiers",
    [
        (FeeTier(Decimal("100"), Decimal("0.2")),),  # the last tier must be open-ended
        (FeeTier(Decimal("300"), Decimal("0.2")), FeeTier(Decimal("100"), Decimal("0.1")), FeeTier(None, Decimal(0))),
        (FeeTier(None, Decimal("1.5")),),
    ],
)
def test_inconsistent_tiers_are_refused(tiers):
    with pytest.raises(ValueError):
        FeePolicy(tiers=tiers)


@pytest.mark.parametrize("rate", [Decimal("-0.1"), Decimal("1.01"), Decimal("NaN"), 0.2, "0.2"])
def test_bad_rates_are_a_domain_error(rate):
    with pytest.raises(InvalidAmountError):
        fee_for(rub(100), rate)


@pytest.mark.parametrize("amount", ["-1", "NaN", "abc"])
def test_bad_amounts_for_a_rate_are_a_domain_error(amount):
    with pytest.raises(InvalidAmountError):
        DEFAULT.rate_for(amount=amount, turnover=Decimal(0))
