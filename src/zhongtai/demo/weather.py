"""Daily weather per city: temperature (°C) and precipitation (mm).

Temperature follows an annual sine around a climate normal from latitude and elevation
(mean ≈ 25.5 − 0.75·(lat − 20) − 6·elevation/1000 °C; half-range ≈ 4 + 0.5·(lat − 20) °C,
warmest around 20 July) plus AR(1) day-to-day noise (φ = 0.7, σ = 2.5 °C). Rain falls on a
day with a probability that is higher in the south and in summer; amounts are exponential.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.geo import CITIES

__all__ = ["Weather", "simulate_weather"]


@dataclass(slots=True)
class Weather:
    temperature: np.ndarray  # (cities, days) °C
    rain: np.ndarray  # (cities, days) mm

    def rainy(self) -> np.ndarray:
        return self.rain >= 5.0


def simulate_weather(rng: np.random.Generator, day_of_year: np.ndarray) -> Weather:
    days = len(day_of_year)
    lat = np.array([c.lat for c in CITIES])
    elevation = np.array([c.elevation for c in CITIES])
    mean = 25.5 - 0.75 * (lat - 20) - 6.0 * elevation / 1000.0
    half_range = 4.0 + 0.5 * (lat - 20)
    season = np.sin(2 * np.pi * (day_of_year - 109) / 365.25)
    noise = np.empty((len(CITIES), days))
    shocks = rng.normal(0, 2.5, (len(CITIES), days))
    noise[:, 0] = shocks[:, 0]
    for d in range(1, days):
        noise[:, d] = 0.7 * noise[:, d - 1] + np.sqrt(1 - 0.49) * shocks[:, d]
    temperature = mean[:, None] + half_range[:, None] * season[None, :] + noise
    wet = np.where(lat < 32, 0.36, 0.2)[:, None] * (0.55 + 0.9 * np.clip(season, 0, None))[None, :]
    raining = rng.random((len(CITIES), days)) < wet
    amount = rng.exponential(9.0, (len(CITIES), days)) * raining
    return Weather(np.round(temperature, 1).astype(np.float32), np.round(amount, 1).astype(np.float32))
