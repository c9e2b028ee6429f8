"""Natural-language questions about metrics, in Chinese and English, without any hosted model.

``ask(workspace_or_dictionary, "上个月各渠道的GMV和客单价", today=...)`` returns an
:class:`Answer`: the :class:`~zhongtai.metrics.MetricQuery` it understood, how it understood it
("我理解为:…" / "I understood: …"), a confidence and the SQL from the metric compiler; or a
clarifying question with options (上周 has two readings; 销售 names several metrics); or a
reasoned refusal (a metric the dictionary lacks, a future period, a question about the weather).
"""

from zhongtai.metrics.ask.answer import Answer, Option, query_to_dict
from zhongtai.metrics.ask.core import DEFAULT_METRIC_OPTIONS, VALUE_DIMENSIONS, ask, dimension_values
from zhongtai.metrics.ask.festivals import FESTIVALS, festival_window
from zhongtai.metrics.ask.timeexpr import Period, TimeMention, find_time

__all__ = [
    "DEFAULT_METRIC_OPTIONS",
    "FESTIVALS",
    "VALUE_DIMENSIONS",
    "Answer",
    "Option",
    "Period",
    "TimeMention",
    "ask",
    "dimension_values",
    "festival_window",
    "find_time",
    "query_to_dict",
]
