"""Read one question into its parts: metrics, dimensions, filters, grain, period, comparison, top N.

The order matters and is fixed: comparison words first (so "vs last year" is not read as the
period "last year"), then time expressions, then grain words (after time, so 本季度 is a period and
not "by quarter"), then top-N words, then the dictionary's vocabulary, then jieba + difflib on
whatever is left. Each step blanks the characters it explains; what remains unexplained lowers
the confidence and, when no metric was found, decides between "which metric?" and "out of scope".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from zhongtai.metrics.ask.lexicon import Lexicon, Mention, Term, segment
from zhongtai.metrics.ask.text import NUMBER, is_cjk, normalize, parse_number
from zhongtai.metrics.ask.timeexpr import TimeMention, find_time
from zhongtai.metrics.query import Grain

__all__ = ["Fuzzy", "Parsed", "parse_question"]

COMPARE_RULES: tuple[tuple[str, str], ...] = (
    (
        r"去年同期|比去年同期|较去年同期|同比(?:增长|增速|变化|下降)?|(?:和|跟|与)去年(?:同期)?(?:相)?比|比去年|较去年"
        r"|year[- ]over[- ]year|\byoy\b"
        r"|(?:vs\.?|versus|compared (?:to|with)|against|over)\s+(?:the\s+)?"
        r"(?:same period\s+(?:of\s+)?)?last year",
        "previous_year",
    ),
    (
        r"环比(?:增长|增速|变化|下降)?|比上期|较上期|比上一期"
        r"|month[- ]over[- ]month|\bmom\b|week[- ]over[- ]week|\bwow\b"
        r"|period[- ]over[- ]period|\bpop\b"
        r"|(?:vs\.?|versus|compared (?:to|with)|against)\s+(?:the\s+)?(?:previous|prior|last) period",
        "previous_period",
    ),
)
"""Comparison words: 同比 / year over year, 环比 / month over month."""

GRAIN_RULES: tuple[tuple[str, Grain], ...] = (
    (r"按天|按日|每天|每日|分天|分日|逐日|日度|各天|各日|\bdaily\b|\b(?:by|per|each) day\b|\bday by day\b", Grain.DAY),
    (
        r"按周|每周|分周|逐周|周度|各周|按星期|每个?星期|\bweekly\b|\b(?:by|per|each) week\b|\bweek by week\b",
        Grain.WEEK,
    ),
    (
        r"按月份?|每个?月|分月|逐月|月度|各月份?|\bmonthly\b|\b(?:by|per|each) month\b|\bmonth by month\b",
        Grain.MONTH,
    ),
    (r"按季度?|每个?季度|分季度?|逐季|季度|\bquarterly\b|\b(?:by|per|each) quarter\b", Grain.QUARTER),
    (r"按年|每年|分年|逐年|年度|各年|\byearly\b|\bannual(?:ly)?\b|\b(?:by|per|each) year\b", Grain.YEAR),
)
"""Time-bucket words (run after the time parser has claimed 本季度, 本年度 …)."""

_N = NUMBER
_EN_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty)"
TOP_RULES: tuple[tuple[str, bool], ...] = (
    (rf"(?:排名|排行)?前\s*(?P<n>{_N})\s*(?:名|个|位|大|家|款|条)?", True),
    (rf"后\s*(?P<n>{_N})\s*(?:名|位)", False),
    (rf"(?:最高|最多|最大|最好)的?\s*(?P<n>{_N})\s*(?:个|名|位|家|款|条)?", True),
    (rf"(?:最低|最少|最小|最差)的?\s*(?P<n>{_N})\s*(?:个|名|位|家|款|条)?", False),
    (rf"\btop\s*(?P<n>{_EN_N})\b", True),
    (rf"\bbottom\s*(?P<n>{_EN_N})\b", False),
    (r"最高|最多|排名|排行|\bhighest\b|\bbest\b|\bmost\b|\btop\b(?P<n>)", True),
    (r"最低|最少|\blowest\b|\bworst\b|\bleast\b|\bbottom\b(?P<n>)", False),
)
"""Ranking words: (pattern, descending). A missing number sorts without a limit."""

GROUP_MARKER = re.compile(r"(?:各|按|分|每个|每一个|每|看各|by|per|each|across|split by|broken down by)\s*$")
"""Words before a dimension that say "group by it" (各渠道, by channel)."""

_STOPWORDS_ZH = """
的 了 吗 呢 啊 呀 吧 和 与 及 跟 同 或 对比 比较 比 看 看看 看下 查 查询 查下 一下 下 多少 是 有 情况 怎么样 如何 怎样
各 按 分 每个 期间 期 显示 给 给我 帮 帮我 请 统计 数据 分别 总 总共 合计 整体 全部 所有 哪些 哪个 哪 为 在 里 中 内
时候 到 至 从 这 那 个 我 我们 想 知道 要 需要 能 可以 做 出 来 下来 上 以来 对 之间 当 当天 主要 大概 具体 一共 几
什么 还 也 都 就 把 被 让 于 其 之 间 关于 情况下 表现 走势 趋势 变化 分布 排名 以外 之外
"""
_STOPWORDS_EN = """
the a an of on in at for by per each and or vs versus what what's whats is was were are be how many much show me give
list tell please during over from to between with compare compared comparison top split broken down my our this that
these those which who when where did do does doing going get see view report trend total overall all breakdown
numbers number data value values figures figure
"""
STOPWORDS = frozenset(_STOPWORDS_ZH.split()) | frozenset(_STOPWORDS_EN.split())
"""Function words that carry no metric, dimension or value (Chinese and English)."""

METRIC_SUFFIXES_ZH = ("率", "度", "额", "量", "数", "值", "比", "成本", "时长", "天数", "得分", "指数", "占比", "人数")
METRIC_WORDS_EN = frozenset(
    "rate ratio satisfaction score cost margin count amount revenue index time share churn retention spend".split()  # noqa: SIM905
)
"""Endings that make an unknown word look like a metric name (员工满意度, "employee satisfaction")."""


@dataclass(frozen=True, slots=True)
class Fuzzy:
    """A word matched to the dictionary by similarity (a typo), with the difflib ratio."""

    word: str
    phrase: str
    score: float


@dataclass
class Parsed:
    """Everything read from one question, before assembly into a :class:`MetricQuery`."""

    text: str
    normalized: str
    metrics: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    values: dict[str, list[object]] = field(default_factory=dict)
    excluded: dict[str, list[object]] = field(default_factory=dict)  # 除了天猫 / "excluding Tmall"
    grain: Grain | None = None
    compare: str | None = None
    top: tuple[int | None, bool] | None = None  # (limit, descending)
    times: list[TimeMention] = field(default_factory=list)
    vague: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    fuzzy: list[Fuzzy] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # content words nothing explained
    unknown_metric: str | None = None  # a metric-like phrase the dictionary lacks


def _claim(text: str, pattern: str) -> tuple[list[re.Match[str]], str]:
    found = list(re.finditer(pattern, text))
    out = list(text)
    for m in found:
        for i in range(*m.span()):
            out[i] = " "
    return found, "".join(out)


def parse_question(
    text: str, lexicon: Lexicon, *, today: date, dimensions_for: Callable[[str], Iterable[str]] | None = None
) -> Parsed:
    """Parse ``text`` against ``lexicon`` relative to ``today`` (see the module docstring).

    ``dimensions_for(metric)`` (the dictionary's) settles words with several readings: a reading
    whose dimension none of the question's metrics can use is dropped (门店 as a location kind
    when the metric is 客单价).
    """
    norm = normalize(text)
    parsed = Parsed(text=text, normalized=norm)
    rest = norm
    for pattern, kind in COMPARE_RULES:
        found, rest = _claim(rest, pattern)
        if found and parsed.compare is None:
            parsed.compare = kind
    parsed.times, rest = find_time(rest, today)
    for pattern, grain in GRAIN_RULES:
        found, rest = _claim(rest, pattern)
        if found and parsed.grain is None:
            parsed.grain = grain
    for pattern, descending in TOP_RULES:
        match = re.search(pattern, rest)
        if match is None:
            continue
        raw = match.groupdict().get("n")
        limit = parse_number(raw) if raw else None
        if parsed.top is None:
            parsed.top = (limit if limit and limit > 0 else None, descending)
        rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    mentions, rest = lexicon.match(rest)
    mentions, rest = _fuzzy(rest, lexicon, mentions, parsed)
    _interpret(norm, rest, mentions, parsed, dimensions_for, lexicon)
    _leftovers(rest, mentions, parsed)
    return parsed


def _chunks(rest: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+(?: \S+)*", rest)]


def _fuzzy(rest: str, lexicon: Lexicon, mentions: list[Mention], parsed: Parsed) -> tuple[list[Mention], str]:
    """Try leftover words (and runs of up to three) against the lexicon; accept close typos."""
    out = list(rest)
    for lo, hi in _chunks(rest):
        chunk = rest[lo:hi]
        tokens: list[tuple[int, int]] = []
        pos = 0
        for token in segment(chunk):
            start = chunk.find(token, pos)
            if start < 0:
                continue
            pos = start + len(token)
            if token.lower() not in STOPWORDS:
                tokens.append((lo + start, lo + pos))
        used: set[int] = set()
        for size in (3, 2, 1):
            for i in range(len(tokens) - size + 1):
                if any(k in used for k in range(i, i + size)):
                    continue
                a, b = tokens[i][0], tokens[i + size - 1][1]
                word = rest[a:b]
                if len(word) < 2:
                    continue
                cjk = is_cjk(word[0])
                if (cjk and len(word) < 3) or (not cjk and len(word) < 4):
                    continue
                phrase, score = lexicon.closest(word)
                if score < (0.66 if cjk else 0.8) or abs(len(phrase) - len(word)) > 2:
                    continue
                mentions.append(Mention(a, b, word, tuple(lexicon.phrases[phrase]), score))
                parsed.fuzzy.append(Fuzzy(word, phrase, round(score, 2)))
                used.update(range(i, i + size))
                for k in range(a, b):
                    out[k] = " "
    mentions.sort(key=lambda m: m.start)
    return mentions, "".join(out)


def _interpret(
    norm: str,
    rest: str,
    mentions: list[Mention],
    parsed: Parsed,
    dimensions_for: Callable[[str], Iterable[str]] | None,
    lexicon: Lexicon,
) -> None:
    """Decide what each mention is (metric, dimension or value) and collect them in order."""
    usable: set[str] | None = None
    if dimensions_for is not None:
        named = [t.name for m in mentions for t in m.terms if t.kind == "metric"]
        if named:
            usable = set.intersection(*(set(dimensions_for(name)) for name in named))
    values_by_dim: dict[str, int] = {}
    for m in mentions:
        for t in m.terms:
            if t.kind == "value":
                values_by_dim[t.name] = values_by_dim.get(t.name, 0) + 1
    chosen: list[tuple[Mention, Term]] = []

    def other_metric(m: Mention) -> bool:
        return any(
            o is not m and any(t.kind == "metric" for t in o.terms) and all(t.kind != "value" for t in o.terms)
            for o in mentions
        )

    for m in mentions:
        terms = m.terms
        if usable is not None and len(terms) > 1:
            fitting = tuple(t for t in terms if t.kind in ("metric", "vague") or t.name in usable)
            terms = fitting or terms
        m = Mention(m.start, m.end, m.text, terms, m.score)
        kinds = {t.kind for t in m.terms}
        grouped = bool(GROUP_MARKER.search(norm[: m.start]))
        pick: Term | None = None
        if "metric" in kinds and "value" in kinds and other_metric(m):
            # 新客的客单价 / "AOV for new customers": beside another metric the word qualifies it
            pick = next(t for t in m.terms if t.kind == "value")
        elif "metric" in kinds:
            pick = next(t for t in m.terms if t.kind == "metric")
        elif "vague" in kinds:
            pick = next(t for t in m.terms if t.kind == "vague")
        elif "dimension" in kinds and ("value" not in kinds or grouped):
            pick = next(t for t in m.terms if t.kind == "dimension")
        elif "value" in kinds:
            values = [t for t in m.terms if t.kind == "value"]
            # a word that is a value of several dimensions: prefer the one the question names again
            values.sort(key=lambda t: -values_by_dim.get(t.name, 0))
            pick = values[0]
        if pick is not None:
            chosen.append((m, pick))
    chosen = [(m, _coordinated(norm, m, t, chosen, lexicon)) for m, t in chosen]
    value_spans = {(m.start, m.end, t.name) for m, t in chosen if t.kind == "value"}
    for m, t in chosen:
        if t.kind == "metric":
            if _qualified(norm, rest, m):
                parsed.unknown_metric = _qualified(norm, rest, m) + m.text
            elif t.name not in parsed.metrics:
                parsed.metrics.append(t.name)
        elif t.kind == "vague":
            parsed.vague.append((m.text, t.options))
        elif t.kind == "dimension":
            # 护肤品类 / 天猫渠道 / "channel tmall": the dimension word only qualifies its value
            if any(name == t.name and (abs(lo - m.end) <= 1 or abs(m.start - hi) <= 1) for lo, hi, name in value_spans):
                continue
            if t.name not in parsed.dimensions:
                parsed.dimensions.append(t.name)
        elif t.kind == "value":
            negated = _negated(norm, m, [o for o, ot in chosen if ot.kind == "value"])
            bucket = (parsed.excluded if negated else parsed.values).setdefault(t.name, [])
            if t.value not in bucket:
                bucket.append(t.value)


_COORDINATION = re.compile(r"^\s*(?:和|与|跟|及|、|对比|vs\.?|versus|and|or)\s*$")


def _coordinated(norm: str, m: Mention, term: Term, chosen: list[tuple[Mention, Term]], lexicon: Lexicon) -> Term:
    """A dimension word coordinated with a value (门店和天猫) is read as a value of the same
    dimension whose label contains it (线下门店), when exactly one such value exists."""
    if term.kind != "dimension" or GROUP_MARKER.search(norm[: m.start]):
        return term
    for other, other_term in chosen:
        if other_term.kind != "value" or other_term.name == term.name:
            continue
        gap = norm[m.end : other.start] if other.start >= m.end else norm[other.end : m.start]
        if not _COORDINATION.match(gap):
            continue
        found = {
            t
            for phrase, terms in lexicon.phrases.items()
            if m.text in phrase and phrase != m.text
            for t in terms
            if t.kind == "value" and t.name == other_term.name
        }
        if len(found) == 1:
            return found.pop()
    return term


NEGATION = re.compile(
    r"除了|除去|除|不含|不包括|不包含|排除|去掉|剔除|\bexcept\b|\bexcluding\b|\bother than\b|\bwithout\b|\bnot\b"
)
"""Words that exclude the values after them (除了天猫, "excluding Tmall")."""


def _negated(norm: str, m: Mention, values: list[Mention]) -> bool:
    """Whether a negation word governs ``m``: only other values and 和/与/、/and lie between them."""
    found = list(NEGATION.finditer(norm[: m.start]))
    if not found:
        return False
    gap = list(norm[found[-1].end() : m.start])
    for other in values:
        if found[-1].end() <= other.start and other.end <= m.start:
            for i in range(other.start, other.end):
                gap[i - found[-1].end()] = " "
    return bool(re.fullmatch(r"(?:\s|和|与|及|、|,|and|or)*", "".join(gap)))


_FUNCTION_CHARS = set("的和与及跟看各按分查了是在对从到至把被给为每个")


def _qualified(norm: str, rest: str, m: Mention) -> str:
    """The unexplained CJK word glued before a metric word (员工 in 员工满意度), else ''."""
    i = m.start
    if i == 0 or not is_cjk(norm[i - 1]) or rest[i - 1] == " " or norm[i - 1] in _FUNCTION_CHARS:
        return ""
    j = i
    while j > 0 and rest[j - 1] != " " and is_cjk(rest[j - 1]):
        j -= 1
    tokens = segment(rest[j:i])
    word = tokens[-1] if tokens else ""
    return "" if not word or word in STOPWORDS else word


def _leftovers(rest: str, mentions: list[Mention], parsed: Parsed) -> None:
    """Content words nothing explained; a metric-like one becomes ``unknown_metric``."""
    words: list[str] = []
    for lo, hi in _chunks(rest):
        run: list[str] = []
        for token in [*segment(rest[lo:hi]), " "]:
            low = token.lower()
            if token.strip() and low not in STOPWORDS and not low.isdigit() and any(c.isalnum() for c in low):
                run.append(token)
                continue
            if run:
                words.append(("" if is_cjk(run[0][0]) else " ").join(run))
                run = []
    parsed.unknown = words
    if parsed.unknown_metric is None:
        for word in words:
            last = word.split()[-1].lower()
            if word.endswith(METRIC_SUFFIXES_ZH) or last in METRIC_WORDS_EN or last.rstrip("s") in METRIC_WORDS_EN:
                parsed.unknown_metric = word
                break
