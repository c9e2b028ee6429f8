"""Every effect size and proportion the generator plants, drawn per seed from a stated range.

The table below is the single source of the ranges (``docs/demo.md`` lists it and
``_truth.parameters`` records the drawn values with them), so scoring never depends on a
constant hidden in code: two seeds plant different effects, and the truth says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["CHOICES", "SPECS", "ParameterSpec", "Parameters", "draw_parameters"]


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    name: str
    low: float
    high: float
    unit: str
    en: str


SPECS: tuple[ParameterSpec, ...] = (
    # repeat buying: BG/NBD (Fader, Hardie & Lee 2005), λ ~ Gamma(r, α) per day, p ~ Beta(a, b)
    ParameterSpec("bgnbd.r", 0.7, 1.1, "", "Gamma shape of the purchase rate λ"),
    ParameterSpec("bgnbd.alpha", 25.0, 40.0, "day", "Gamma scale parameter α of λ (mean λ = r/α per day)"),
    ParameterSpec("bgnbd.a", 0.9, 1.4, "", "Beta a of the dropout probability p"),
    ParameterSpec("bgnbd.b", 4.0, 6.5, "", "Beta b of the dropout probability p"),
    ParameterSpec("season.double11", 4.0, 8.0, "×", "Purchase intensity on Nov 11 relative to an ordinary day"),
    ParameterSpec("season.618", 2.5, 5.0, "×", "Purchase intensity on Jun 18"),
    ParameterSpec("season.spring_trough", 0.25, 0.5, "×", "Intensity during the first week of 春节"),
    ParameterSpec("clusters.concentration", 15.0, 30.0, "", "Dirichlet concentration of cluster shares"),
    # demand drivers
    ParameterSpec("demand.elasticity.skincare", -2.4, -0.8, "", "Price elasticity of choice weight, 护肤"),
    ParameterSpec("demand.elasticity.makeup", -2.4, -0.8, "", "Price elasticity of choice weight, 彩妆"),
    ParameterSpec("demand.elasticity.personal_care", -2.4, -0.8, "", "Price elasticity of choice weight, 个护"),
    ParameterSpec("demand.elasticity.apparel", -2.4, -0.8, "", "Price elasticity of choice weight, 服饰"),
    ParameterSpec("demand.promo_lift", 1.1, 1.5, "×", "Choice-weight lift of a promoted SKU beyond its price cut"),
    ParameterSpec("demand.temperature.warm", 0.25, 0.6, "log/10°C", "Warm-weather goods: log weight per +10 °C"),
    ParameterSpec("demand.temperature.cold", -0.6, -0.25, "log/10°C", "Cold-weather goods: log weight per +10 °C"),
    ParameterSpec("demand.rain_store", 0.45, 0.8, "×", "Store (offline) channel weight on a rainy day"),
    ParameterSpec("shock.multiplier", 2.0, 4.0, "×", "Demand multiplier of the viral-hit SKU during the shock"),
    ParameterSpec("shock.days", 14, 35, "day", "Length of the demand shock"),
    # churn with precursors (seed §4.3: behaviour × emotion × context)
    ParameterSpec("churn.share", 0.06, 0.14, "", "Share of established, still-active customers who churn"),
    ParameterSpec("churn.window", 30, 60, "day", "Length of the precursor window before onset"),
    ParameterSpec("churn.session_floor", 0.2, 0.5, "×", "Visit rate at onset relative to before the window"),
    ParameterSpec("churn.search_floor", 0.3, 0.6, "×", "Extra decline of searching within visits at onset"),
    ParameterSpec("churn.cart_clear", 0.5, 0.8, "", "Probability a churner empties the cart before onset"),
    ParameterSpec("churn.mood_drop", 0.5, 0.9, "", "Drop of mood (−1…1) on orders inside the window"),
    ParameterSpec("churn.angry_cs", 0.25, 0.5, "", "Probability a churner has an angry service conversation"),
    ParameterSpec("churn.competitor_aligned", 0.35, 0.7, "", "Share of onsets just after a competitor promotion"),
    # experiments
    ParameterSpec("experiment.checkout.lift", 0.10, 0.30, "", "Relative lift in 14-day conversion, new checkout"),
    ParameterSpec("experiment.pdp_video.lift", 0.05, 0.20, "", "Relative lift in 14-day conversion, product video"),
    ParameterSpec("experiment.pdp_video.srm_drop", 0.10, 0.22, "", "Share of treatment exposures lost to a bug"),
    # public opinion, anomalies, reconciliation
    ParameterSpec("incident.severity", 0.6, 0.95, "", "Severity (0…1) of each public-opinion incident"),
    ParameterSpec("incident.order_issue", 0.08, 0.2, "", "Share of the incident SKU's orders that have the problem"),
    ParameterSpec("anomaly.delay_days", 3, 9, "day", "Days during which one channel's events arrive late"),
    ParameterSpec("anomaly.delay_hours", 22, 30, "hour", "How late those events arrive"),
    ParameterSpec("reconciliation.rate", 0.0005, 0.0015, "", "Share of invoiced orders with each kind of mismatch"),
    # behaviour
    ParameterSpec("events.sessions_per_purchase", 3.0, 5.0, "", "Browsing visits per purchase opportunity"),
    ParameterSpec("events.analytics_consent", 0.25, 0.4, "", "Share of tracked accounts that allow analytics"),
    # identities (seed §5.4: one member across channels)
    ParameterSpec("identity.format_variants", 0.12, 0.25, "", "Share of phone values written in a variant format"),
    ParameterSpec("identity.typos", 0.01, 0.03, "", "Share of phone and e-mail values with a typo"),
    ParameterSpec("identity.placeholders", 0.005, 0.015, "", "Share of accounts with a placeholder phone or e-mail"),
    ParameterSpec("identity.families", 0.03, 0.07, "", "Share of people in families sharing a device and address"),
    ParameterSpec("identity.front_desk", 0.02, 0.05, "", "Share of store sign-ups given the store's own phone"),
    ParameterSpec("identity.name_address_only", 0.05, 0.12, "", "Share of store sign-ups with only name and address"),
    ParameterSpec("marketing.paid_share", 0.25, 0.45, "", "Share of new customers acquired by paid media"),
    ParameterSpec("marketing.over_attribution", 1.2, 2.2, "×", "Ad platforms' reported ÷ true conversions"),
)  # fmt: skip

INTEGER_PARAMETERS = frozenset({"shock.days", "churn.window", "anomaly.delay_days", "anomaly.delay_hours"})
CHOICES: dict[str, tuple[str, ...]] = {"anomaly.channel": ("tmall", "douyin", "miniprogram")}


class Parameters:
    """The drawn values, read as ``params["churn.share"]`` (floats) or ``params.choice(name)``."""

    def __init__(self, values: dict[str, float], choices: dict[str, str]) -> None:
        self._values = values
        self._choices = choices

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def integer(self, name: str) -> int:
        return int(self._values[name])

    def choice(self, name: str) -> str:
        return self._choices[name]

    def rows(self) -> Iterator[tuple[str, float | None, str | None, float | None, float | None, str, str]]:
        """(name, value, text, low, high, unit, description) for ``_truth.parameters``."""
        for spec in SPECS:
            yield spec.name, self._values[spec.name], None, spec.low, spec.high, spec.unit, spec.en
        for name, options in CHOICES.items():
            yield name, None, self._choices[name], None, None, "", "one of " + ", ".join(options)


def draw_parameters(rng: np.random.Generator) -> Parameters:
    values: dict[str, float] = {}
    for spec in SPECS:
        value = float(rng.uniform(spec.low, spec.high))
        values[spec.name] = float(round(value)) if spec.name in INTEGER_PARAMETERS else round(value, 6)
    choices = {name: options[int(rng.integers(len(options)))] for name, options in CHOICES.items()}
    return Parameters(values, choices)
