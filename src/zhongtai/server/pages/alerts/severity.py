"""How serious an alert looks on the console: ``critical`` or ``warning``, from its peak robust z.

Alerts are opened by :mod:`zhongtai.metrics.monitor` when ``|z|`` reaches the detector's threshold
(:class:`zhongtai.metrics.anomaly.DetectionParams`, 4.5 by default, recorded in the alert's
``params``). The console calls an alert **critical** when ``|z|`` is at least twice that threshold
(9 by default: a deviation no weekly pattern or festival explains), else **warning**. Data-arrival
alerts follow the same rule on their completeness z. This is a display classification only; it is
stored nowhere and changes nothing about who is notified.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CRITICAL_FACTOR", "DEFAULT_THRESHOLD", "SEVERITIES", "severity_of"]

SEVERITIES = ("critical", "warning")
DEFAULT_THRESHOLD = 4.5
"""The detector's default |z| threshold, used when an alert's ``params`` does not carry one."""
CRITICAL_FACTOR = 2.0
"""``|z| >= CRITICAL_FACTOR x threshold`` is critical."""


def severity_of(peak_z: float, params: dict[str, Any]) -> str:
    """``critical`` when ``|peak_z| >= 2 x threshold`` (the alert's own threshold), else ``warning``."""
    raw = params.get("threshold", DEFAULT_THRESHOLD)
    threshold = float(raw) if isinstance(raw, int | float) and raw > 0 else DEFAULT_THRESHOLD
    return "critical" if abs(peak_z) >= CRITICAL_FACTOR * threshold else "warning"
