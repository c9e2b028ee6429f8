"""The metric dictionary: semantic models, dimensions, measures, metrics and rollups from YAML.

The built-in catalogue ships in ``zhongtai/metrics/catalogue/*.yaml``; a workspace's ``metrics/``
folder (``*.yaml``/``*.yml``) adds entries or overrides built-in ones by name (an override replaces
the whole entry). Every problem is reported at once with ``file:line`` (the habit of
dbt-semantic-interfaces' validations): YAML syntax, unknown keys, unknown measures/metrics/
dimensions (with a "did you mean"), expressions that are not plain SQL expressions, dimensions on
PII columns, and circular derived metrics.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zhongtai.errors import ConfigError, NotFoundError
from zhongtai.metrics._expr import ExpressionProblem, parse_expression
from zhongtai.metrics._schema import FileSpec, MeasureSpec, MetricSpec, ModelSpec
from zhongtai.warehouse.ingest.mapping import _line_of

__all__ = [
    "CATALOGUE_DIR",
    "Dictionary",
    "Dimension",
    "Lineage",
    "Measure",
    "Metric",
    "Rollup",
    "SemanticModel",
    "build_dictionary",
    "load_dictionary",
    "suggest",
]

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
WORKSPACE_DIR = "metrics"
ADDITIVE = frozenset({"sum", "count"})


@dataclass(frozen=True)
class Measure:
    """An aggregation over one semantic model: ``agg(CASE WHEN filter THEN expr END)``.

    ``min_rows`` (with ``count_distinct``) counts entities with at least that many matching rows in
    the bucket (e.g. buyers with two or more orders: the repurchase numerator).
    """

    name: str
    model: str
    agg: str
    expr: str | None
    filter: str | None
    min_rows: int | None = None

    @property
    def additive(self) -> bool:
        """Sums of partial results give the whole (so rollups can serve it)."""
        return self.agg in ADDITIVE and self.min_rows is None


@dataclass(frozen=True)
class SemanticModel:
    """A warehouse table (plus joins and computed columns) with its time, entities, dimensions, measures."""

    name: str
    table: str
    label: dict[str, str]
    time_column: str
    time_type: str
    joins: tuple[tuple[str, str, str], ...]  # (table, alias, on)
    computed: tuple[tuple[str, str], ...]  # (name, expr), evaluated in order over the whole table
    entities: dict[str, str]
    dimensions: dict[str, str]
    measures: tuple[str, ...]
    file: str = ""
    line: int = 0

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table, *(j[0] for j in self.joins))


@dataclass(frozen=True)
class Dimension:
    """A dimension a query may group or filter by; ``sources`` maps semantic model -> expression."""

    name: str
    kind: str  # categorical | time
    label: dict[str, str]
    description: dict[str, str]
    synonyms: dict[str, list[str]]
    type: str  # string | number | date | boolean
    value_labels: dict[str, dict[str, str]]
    sources: dict[str, str]

    @property
    def model(self) -> str | None:
        """The first semantic model defining it (see ``sources`` for all)."""
        return next(iter(self.sources), None)

    @property
    def column(self) -> str | None:
        return next(iter(self.sources.values()), None)


@dataclass(frozen=True)
class Metric:
    """A named metric of one of the MetricFlow kinds, with its governance fields."""

    name: str
    kind: str  # simple | ratio | derived | cumulative | conversion
    label: dict[str, str]
    description: dict[str, str]
    synonyms: dict[str, list[str]]
    owner: str
    format: str
    unit: str | None
    refresh: str
    certified: bool
    version: int
    scorecard: str | None
    higher_is_better: bool
    spec: MetricSpec = field(repr=False, compare=False)
    inputs: tuple[str, ...] = ()  # metrics it is computed from (ratio, derived)
    measures: tuple[str, ...] = ()  # every measure used, through its inputs
    semantic_models: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def summary(self) -> dict[str, Any]:
        """The listing fields (CLI ``metrics list --json`` and ``GET /api/v1/metrics``)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "format": self.format,
            "owner": self.owner,
            "certified": self.certified,
            "version": self.version,
        }


@dataclass(frozen=True)
class Rollup:
    """A pre-aggregated table: ``measures`` of ``model`` by ``dimensions`` per ``grain`` bucket."""

    name: str
    model: str
    grain: str
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]


@dataclass(frozen=True)
class Lineage:
    """Where a metric's number comes from: metrics -> measures -> semantic models -> tables."""

    metric: str
    metrics: tuple[str, ...]
    measures: tuple[str, ...]
    semantic_models: tuple[str, ...]
    tables: tuple[str, ...]


@dataclass
class Dictionary:
    """The loaded dictionary (built-in catalogue plus a workspace's overrides)."""

    metrics: dict[str, Metric]
    dimensions: dict[str, Dimension]
    semantic_models: dict[str, SemanticModel]
    measures: dict[str, Measure]
    rollups: dict[str, Rollup]
    files: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()  # names a workspace file replaced
    fingerprint: str = ""

    def metric(self, name: str) -> Metric:
        """The metric called ``name`` (a did-you-mean error otherwise)."""
        try:
            return self.metrics[name]
        except KeyError:
            raise NotFoundError("metrics.unknown_metric", metric=name, suggestion=suggest(name, self.metrics)) from None

    def dimension(self, name: str) -> Dimension:
        """The dimension called ``name`` (a did-you-mean error otherwise)."""
        try:
            return self.dimensions[name]
        except KeyError:
            raise NotFoundError(
                "metrics.unknown_dimension", dimension=name, suggestion=suggest(name, self.dimensions)
            ) from None

    def lineage(self, metric: str) -> Lineage:
        """Metrics, measures, semantic models and warehouse tables behind ``metric``."""
        m = self.metric(metric)
        closure = _closure(self, m.name)
        models = sorted({self.measures[x].model for x in m.measures})
        tables = sorted({t for name in models for t in self.semantic_models[name].tables})
        return Lineage(m.name, tuple(closure), m.measures, tuple(models), tuple(tables))

    def dimensions_for(self, metric: str) -> list[str]:
        """Dimensions every semantic model behind ``metric`` provides (what it can be grouped by)."""
        m = self.metric(metric)
        models = m.semantic_models
        return sorted(d.name for d in self.dimensions.values() if all(x in d.sources for x in models))


def suggest(name: str, known: Iterable[str]) -> str:
    """The closest known name (or '' when nothing is close), for "did you mean" messages."""
    matches = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.5)
    return matches[0] if matches else ""


# ---------------------------------------------------------------------------------------------------
# loading


@dataclass
class _Raw:
    """Entries of one kind with the file and line they came from."""

    specs: dict[str, Any] = field(default_factory=dict)
    where: dict[str, tuple[str, int]] = field(default_factory=dict)


def _yaml_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _read_file(path: Path) -> tuple[FileSpec, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("metrics.not_utf8", file=str(path)) from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            "metrics.invalid_yaml",
            file=str(path),
            line=(mark.line + 1) if mark else 0,
            problem=str(getattr(exc, "problem", "") or exc),
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("metrics.not_a_mapping", file=str(path))
    try:
        return FileSpec.model_validate(data), node
    except ValidationError as exc:
        details = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            details.append(f"{path.name}:{_line_of(node, loc)}: {'.'.join(loc)}: {err['msg']}")
        raise ConfigError("metrics.invalid_file", file=str(path), problems="\n".join(details)) from None


def load_dictionary(workspace: Any = None) -> Dictionary:
    """The built-in catalogue plus ``<workspace>/metrics/*.yaml`` (a path, a Workspace, or ``None``).

    Results are cached by the files' paths and modification times, so repeated queries do not
    re-read YAML.
    """
    folders = [CATALOGUE_DIR]
    if workspace is not None:
        root = Path(getattr(workspace, "path", workspace))
        extra = root / WORKSPACE_DIR if (root / WORKSPACE_DIR).is_dir() else None
        if extra is not None:
            folders.append(extra)
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for f in folders for p in _yaml_files(f))
    cached = _CACHE.get(stamp)
    if cached is None:
        cached = _build(folders)
        _CACHE.clear()
        _CACHE[stamp] = cached
    return cached


_CACHE: dict[tuple[tuple[str, int, int], ...], Dictionary] = {}


def build_dictionary(paths: list[Path]) -> Dictionary:
    """A dictionary from folders (their ``*.yaml``) and single YAML files, later ones overriding."""
    return _build(paths)


def _build(folders: list[Path]) -> Dictionary:
    kinds = {k: _Raw() for k in ("semantic_models", "dimensions", "metrics", "rollups")}
    overridden: list[str] = []
    files: list[str] = []
    digest = hashlib.sha256()
    for index, folder in enumerate(folders):
        for path in _yaml_files(folder):
            spec, node = _read_file(path)
            files.append(str(path))
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
            for kind, raw in kinds.items():
                for name, entry in getattr(spec, kind).items():
                    if name in raw.specs:
                        if index == 0 or raw.where[name][0] in map(str, _yaml_files(folder)):
                            raise ConfigError(
                                "metrics.duplicate_entry",
                                file=str(path),
                                line=_line_of(node, [kind, name]),
                                name=name,
                                other=raw.where[name][0],
                            )
                        overridden.append(name)
                    raw.specs[name] = entry
                    raw.where[name] = (str(path), _line_of(node, [kind, name]))
    problems: list[str] = []
    dictionary = _resolve(kinds, problems)
    if problems:
        raise ConfigError("metrics.invalid_dictionary", problems="\n".join(problems))
    dictionary.files = tuple(files)
    dictionary.overridden = tuple(overridden)
    dictionary.fingerprint = digest.hexdigest()[:16]
    return dictionary


def _at(raw: _Raw, name: str) -> str:
    file, line = raw.where[name]
    return f"{Path(file).name}:{line}"


def _check_expr(problems: list[str], where: str, what: str, text: str | None) -> None:
    if text is None:
        return
    try:
        parse_expression(text)
    except ExpressionProblem as problem:
        problems.append(f"{where}: {what}: {problem}")


def _resolve(kinds: dict[str, _Raw], problems: list[str]) -> Dictionary:
    from zhongtai.warehouse.model import TABLES

    models_raw, dims_raw, metrics_raw, rollups_raw = (
        kinds["semantic_models"],
        kinds["dimensions"],
        kinds["metrics"],
        kinds["rollups"],
    )
    models: dict[str, SemanticModel] = {}
    measures: dict[str, Measure] = {}
    for name, spec in models_raw.specs.items():
        assert isinstance(spec, ModelSpec)
        where = _at(models_raw, name)
        if spec.table not in TABLES:
            problems.append(
                f"{where}: semantic model {name}: unknown table {spec.table!r} ({suggest(spec.table, TABLES)})"
            )
        for join in spec.joins:
            if join.table not in TABLES:
                problems.append(f"{where}: semantic model {name}: unknown join table {join.table!r}")
            _check_expr(problems, where, f"{name}.joins.{join.alias}.on", join.condition)
        for key, text in [*spec.computed.items(), *spec.entities.items(), *spec.dimensions.items()]:
            _check_expr(problems, where, f"{name}.{key}", text)
        _check_expr(problems, where, f"{name}.time", spec.time.column)
        for dim, text in spec.dimensions.items():
            if dim not in dims_raw.specs:
                problems.append(f"{where}: semantic model {name}: dimension {dim!r} is not declared under dimensions")
            pii = _pii_of(text, spec, TABLES)
            if pii:
                problems.append(f"{where}: semantic model {name}: dimension {dim!r} reads PII column {pii}")
        for mname, m in spec.measures.items():
            assert isinstance(m, MeasureSpec)
            if mname in measures:
                problems.append(f"{where}: measure {mname!r} is also defined in semantic model {measures[mname].model}")
            _check_expr(problems, where, f"{name}.measures.{mname}.expr", m.expr)
            _check_expr(problems, where, f"{name}.measures.{mname}.filter", m.filter)
            if m.agg != "count" and m.expr is None:
                problems.append(f"{where}: measure {mname!r}: agg {m.agg} needs an expr")
            if m.min_rows is not None and m.agg != "count_distinct":
                problems.append(f"{where}: measure {mname!r}: min_rows needs agg count_distinct")
            measures[mname] = Measure(mname, name, m.agg, m.expr, m.filter, m.min_rows)
        models[name] = SemanticModel(
            name=name,
            table=spec.table,
            label=spec.label.model_dump(),
            time_column=spec.time.column,
            time_type=spec.time.type,
            joins=tuple((j.table, j.alias, j.condition) for j in spec.joins),
            computed=tuple(spec.computed.items()),
            entities=dict(spec.entities),
            dimensions=dict(spec.dimensions),
            measures=tuple(spec.measures),
            file=models_raw.where[name][0],
            line=models_raw.where[name][1],
        )
    dimensions = {
        name: Dimension(
            name=name,
            kind="categorical",
            label=spec.label.model_dump(),
            description=(spec.description or spec.label).model_dump(),
            synonyms=spec.synonyms.model_dump(),
            type=spec.type,
            value_labels={k: v.model_dump() for k, v in spec.value_labels.items()},
            sources={m.name: m.dimensions[name] for m in models.values() if name in m.dimensions},
        )
        for name, spec in dims_raw.specs.items()
    }
    metrics = _resolve_metrics(metrics_raw, measures, models, dimensions, problems)
    rollups: dict[str, Rollup] = {}
    for name, spec in rollups_raw.specs.items():
        where = _at(rollups_raw, name)
        if spec.model not in models:
            problems.append(f"{where}: rollup {name}: unknown semantic model {spec.model!r}")
            continue
        for dim in spec.dimensions:
            if dim not in models[spec.model].dimensions:
                problems.append(f"{where}: rollup {name}: model {spec.model} has no dimension {dim!r}")
        for mname in spec.measures:
            measure = measures.get(mname)
            if measure is None or measure.model != spec.model:
                problems.append(f"{where}: rollup {name}: model {spec.model} has no measure {mname!r}")
            elif not measure.additive:
                problems.append(f"{where}: rollup {name}: measure {mname!r} ({measure.agg}) is not additive")
        rollups[name] = Rollup(name, spec.model, spec.grain, tuple(spec.dimensions), tuple(spec.measures))
    return Dictionary(metrics, dimensions, models, measures, rollups)


def _pii_of(text: str, spec: ModelSpec, tables: dict[str, Any]) -> str:
    """The first PII column a dimension expression reads (dimensions must never expose PII)."""
    try:
        tree = parse_expression(text)
    except ExpressionProblem:
        return ""
    from sqlglot import exp

    aliases = {j.alias: j.table for j in spec.joins}
    for column in tree.find_all(exp.Column):
        table = aliases.get(column.table, spec.table) if column.table else spec.table
        definition = tables.get(table)
        if definition is None:
            continue
        for c in definition.columns:
            if c.name == column.name and str(c.pii) != "none":
                return f"{table}.{c.name}"
    return ""


def _metric_inputs(spec: MetricSpec) -> list[str]:
    if spec.kind == "ratio":
        return [x for x in (spec.numerator, spec.denominator) if x]
    if spec.kind == "derived" and spec.expr:
        from sqlglot import exp

        try:
            tree = parse_expression(spec.expr)
        except ExpressionProblem:
            return []
        return sorted({c.name for c in tree.find_all(exp.Column)})
    return []


def _metric_measures(spec: MetricSpec) -> list[str]:
    if spec.kind in ("simple", "cumulative"):
        return [spec.measure] if spec.measure else []
    if spec.kind == "conversion":
        return [x for x in (spec.base_measure, spec.conversion_measure) if x]
    return []


def _resolve_metrics(
    raw: _Raw,
    measures: dict[str, Measure],
    models: dict[str, SemanticModel],
    dimensions: dict[str, Dimension],
    problems: list[str],
) -> dict[str, Metric]:
    specs: dict[str, MetricSpec] = raw.specs
    for name, spec in specs.items():
        where = _at(raw, name)
        needed = {
            "simple": ("measure",),
            "cumulative": ("measure",),
            "ratio": ("numerator", "denominator"),
            "derived": ("expr",),
            "conversion": ("base_measure", "conversion_measure", "entity", "window"),
        }[spec.kind]
        for key in needed:
            if getattr(spec, key) is None:
                problems.append(f"{where}: metric {name}: kind {spec.kind} needs {key!r}")
        if spec.kind == "derived":
            _check_expr(problems, where, f"metric {name}.expr", spec.expr)
        if spec.window is not None and _window_days(spec.window) is None:
            problems.append(f"{where}: metric {name}: window {spec.window!r} is not like '30 days' or '4 weeks'")
        if spec.kind == "cumulative" and spec.window and spec.grain_to_date:
            problems.append(f"{where}: metric {name}: give window or grain_to_date, not both")
        for m in _metric_measures(spec):
            if m not in measures:
                problems.append(
                    f"{where}: metric {name}: unknown measure {m!r} (did you mean {suggest(m, measures)!r}?)"
                )
        for i in _metric_inputs(spec):
            if i not in specs:
                problems.append(f"{where}: metric {name}: unknown metric {i!r} (did you mean {suggest(i, specs)!r}?)")
        if spec.kind == "conversion" and spec.base_measure in measures and spec.conversion_measure in measures:
            for m in (spec.base_measure, spec.conversion_measure):
                model = models[measures[m].model]
                if spec.entity not in model.entities:
                    problems.append(
                        f"{where}: metric {name}: semantic model {model.name} has no entity {spec.entity!r}"
                    )
            for d in spec.constant_properties:
                if d not in dimensions:
                    problems.append(f"{where}: metric {name}: unknown dimension {d!r} in constant_properties")
    cycles = _cycles(specs)
    for cycle in cycles:
        problems.append(f"{_at(raw, cycle[0])}: metric {cycle[0]}: circular definition {' -> '.join(cycle)}")
    out: dict[str, Metric] = {}
    if cycles:
        return out
    for name, spec in specs.items():
        used = [m for x in _closure_specs(specs, name) for m in _metric_measures(specs[x]) if m in measures]
        used = list(dict.fromkeys(used))
        out[name] = Metric(
            name=name,
            kind=spec.kind,
            label=spec.label.model_dump(),
            description=spec.description.model_dump(),
            synonyms=spec.synonyms.model_dump(),
            owner=spec.owner,
            format=spec.format,
            unit=spec.unit,
            refresh=spec.refresh,
            certified=spec.certified,
            version=spec.version,
            scorecard=spec.scorecard,
            higher_is_better=spec.higher_is_better,
            spec=spec,
            inputs=tuple(_metric_inputs(spec)),
            measures=tuple(used),
            semantic_models=tuple(dict.fromkeys(measures[m].model for m in used)),
            file=raw.where[name][0],
            line=raw.where[name][1],
        )
    return out


def _window_days(text: str) -> int | None:
    """``'30 days'`` -> 30, ``'4 weeks'`` -> 28; ``None`` when not understood."""
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit() or int(parts[0]) < 1:
        return None
    unit = parts[1].lower().rstrip("s")
    factor = {"day": 1, "week": 7}.get(unit)
    return int(parts[0]) * factor if factor else None


def _cycles(specs: dict[str, MetricSpec]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in _metric_inputs(specs[name]):
            if nxt not in specs:
                continue
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt] if nxt in path else [name, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in specs:
        if name not in state:
            visit(name, [name])
    return found


def _closure_specs(specs: dict[str, MetricSpec], name: str) -> list[str]:
    out: list[str] = []
    stack = [name]
    while stack:
        current = stack.pop()
        if current in out or current not in specs:
            continue
        out.append(current)
        stack.extend(_metric_inputs(specs[current]))
    return out


def _closure(dictionary: Dictionary, name: str) -> list[str]:
    return _closure_specs({k: v.spec for k, v in dictionary.metrics.items()}, name)


window_days = _window_days
