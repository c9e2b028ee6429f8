"""What ``ask`` returns: the understood query with its interpretation in zh and en, or a
clarifying question with options, or a reasoned refusal. Never a guessed number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from zhongtai.i18n import translate
from zhongtai.metrics.query import MetricQuery

__all__ = ["LANGS", "Answer", "Option", "query_to_dict"]

LANGS: tuple[str, str] = ("zh_CN", "en")
"""The two languages every interpretation and message is given in."""

STATUSES = ("understood", "clarify", "unanswerable")


def query_to_dict(query: MetricQuery) -> dict[str, Any]:
    """A JSON-ready form of ``query`` (dates ISO, filters as dicts)."""
    return {
        "metrics": list(query.metrics),
        "dimensions": list(query.dimensions),
        "grain": query.grain.value if query.grain else None,
        "start": query.start.isoformat() if query.start else None,
        "end": query.end.isoformat() if query.end else None,
        "filters": [{"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in query.filters],
        "compare": query.compare.kind if query.compare else None,
        "order_by": list(query.order_by),
        "limit": query.limit,
    }


@dataclass(frozen=True, slots=True)
class Option:
    """One reading offered back to the user: a label in zh and en and, when runnable, its query."""

    label: dict[str, str]
    query: MetricQuery | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": dict(self.label), "query": query_to_dict(self.query) if self.query else None}


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of :func:`zhongtai.metrics.ask.ask`.

    ``status`` is ``understood`` (``query`` and ``sql`` are set), ``clarify`` (``options`` lists the
    readings, each with its query) or ``unanswerable`` (``reason`` says why: ``out_of_scope``,
    ``unknown_metric``, ``future``, ``dimension``, ``not_supported``). ``interpretation`` and
    ``message`` are keyed by language (``zh_CN``, ``en``). ``confidence`` is in [0, 1]: 1 for a
    question read word for word, lower for typos matched by similarity, defaults assumed and
    words left unexplained.
    """

    question: str
    status: str
    today: date
    reason: str | None = None
    query: MetricQuery | None = None
    interpretation: dict[str, str] = field(default_factory=dict)
    message: dict[str, str] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    confidence: float = 0.0
    sql: str | None = None
    dialect: str = "duckdb"
    notes: tuple[dict[str, str], ...] = ()
    unknown_words: tuple[str, ...] = ()

    @property
    def understood(self) -> bool:
        return self.status == "understood"

    def explain(self, lang: str = "zh_CN") -> str:
        """The interpretation (or the clarifying message) in ``lang``, with notes."""
        key = "zh_CN" if lang.startswith("zh") else "en"
        head = self.interpretation.get(key) if self.understood else self.message.get(key)
        lines = [head or ""]
        lines += [note[key] for note in self.notes]
        return "\n".join(line for line in lines if line)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "reason": self.reason,
            "today": self.today.isoformat(),
            "query": query_to_dict(self.query) if self.query else None,
            "interpretation": dict(self.interpretation),
            "message": dict(self.message),
            "options": [o.to_dict() for o in self.options],
            "confidence": self.confidence,
            "sql": self.sql,
            "dialect": self.dialect,
            "notes": [dict(n) for n in self.notes],
            "unknown_words": list(self.unknown_words),
        }


def both(code: str, **params: Any) -> dict[str, str]:
    """The catalogue message ``code`` in zh and en; ``params`` values may be per-language dicts."""
    out: dict[str, str] = {}
    for lang in LANGS:
        filled = {k: (v[lang] if isinstance(v, dict) else v) for k, v in params.items()}
        out[lang] = translate(code, lang, **filled)
    return out


def period_text(start: date | None, end: date | None, label: dict[str, str] | None) -> dict[str, str]:
    """ "上个月(2025-11-01 至 2025-11-30)" / "last month (2025-11-01 to 2025-11-30)"."""
    if start is None or end is None:
        return both("ask.part.all_time")
    last = end - timedelta(days=1)
    names = label or {"zh_CN": "", "en": ""}
    return both("ask.part.period", label=names, first=start.isoformat(), last=last.isoformat())
