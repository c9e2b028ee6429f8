"""UCI Online Shoppers Purchasing Intention (dataset 468): 12,330 sessions, one row each.

The rows are session summaries (page counts and durations, Google-Analytics rates, month,
visitor type, whether the session bought); they carry no person, time or product the canonical
model could key on, so the data set is loaded as its raw table ``datasets.online_shoppers`` only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import PandasType, read_csv
from zhongtai.datasets._spec import DatasetSpec, Part

__all__ = ["COLUMNS", "SPEC"]

_TYPES: dict[str, PandasType] = {
    "Administrative": "int64",
    "Administrative_Duration": "float64",
    "Informational": "int64",
    "Informational_Duration": "float64",
    "ProductRelated": "int64",
    "ProductRelated_Duration": "float64",
    "BounceRates": "float64",
    "ExitRates": "float64",
    "PageValues": "float64",
    "SpecialDay": "float64",
    "Month": str,
    "OperatingSystems": "int64",
    "Browser": "int64",
    "Region": "int64",
    "TrafficType": "int64",
    "VisitorType": str,
    "Weekend": str,
    "Revenue": str,
}
COLUMNS = tuple(_TYPES)
_BOOLEAN = {"TRUE": True, "FALSE": False}


def read(path: Path) -> pd.DataFrame:
    """Counts as integers, durations and rates as floats, ``Weekend``/``Revenue`` as booleans."""
    frame = read_csv(path, dtype=_TYPES)
    for column in ("Weekend", "Revenue"):
        values = frame[column].map(_BOOLEAN)
        if values.isna().any():
            raise ValueError(f"{column} holds a value other than TRUE/FALSE")
        frame[column] = values.astype(bool)
    return frame


SPEC = DatasetSpec(
    name="online_shoppers",
    en="UCI Online Shoppers Purchasing Intention: 12,330 web sessions, 1,908 with a purchase",
    zh="UCI 在线购物意图:12,330 个网站会话,其中 1,908 个发生购买",
    licence="CC BY 4.0",
    citation=(
        "C. O. Sakar, S. O. Polat, M. Katircioglu, Y. Kastro (2019), Real-time prediction of online "
        "shoppers' purchasing intention using multilayer perceptron and LSTM recurrent neural networks, "
        "Neural Computing and Applications 31; UCI ML Repository dataset 468"
    ),
    parts=(Part("online_shoppers", "clickstream/online_shoppers_intention.csv", read, COLUMNS),),
)
