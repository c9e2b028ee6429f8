"""The demo shop: a synthetic e-commerce business of any size, with planted truths.

``generate_demo(path, customers=…, seed=…)`` creates a workspace filled through the same validated
load path as real data; ``summarise_truth(ws)`` reads back what was planted (``_truth`` schema) for
people scoring the product. Only this package and the scoring reports read ``_truth``.
"""

from zhongtai.demo import job as _job  # noqa: F401  (registers the ``demo`` job)
from zhongtai.demo.config import GENERATOR_VERSION, DemoConfig, estimate_bytes, parse_seed
from zhongtai.demo.generate import DemoResult, build_shop, generate_demo
from zhongtai.demo.truth import TruthSummary, summarise_truth

__all__ = [
    "GENERATOR_VERSION",
    "DemoConfig",
    "DemoResult",
    "TruthSummary",
    "build_shop",
    "estimate_bytes",
    "generate_demo",
    "parse_seed",
    "summarise_truth",
]
