"""What every command shares: options, output in Rich or JSON, errors, language, progress."""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from zhongtai.errors import ZhongtaiError
from zhongtai.i18n import resolve_lang, translate

__all__ = [
    "JsonOpt",
    "LangOpt",
    "Output",
    "WorkspaceOpt",
    "command",
    "open_ws",
]

WorkspaceOpt = Annotated[
    Path,
    typer.Option("--workspace", "-w", envvar="ZHONGTAI_WORKSPACE", help="Workspace folder / 工作区目录"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output / 输出 JSON")]
LangOpt = Annotated[str | None, typer.Option("--lang", envvar="ZHONGTAI_LANG", help="zh_CN or en / 输出语言")]

F = TypeVar("F", bound=Callable[..., Any])


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


@dataclass
class Output:
    """Prints either Rich tables (people) or one JSON document (scripts)."""

    as_json: bool
    lang: str

    def __post_init__(self) -> None:
        self.console = Console(highlight=False)
        self.errors = Console(stderr=True, highlight=False)

    def t(self, code: str, **params: Any) -> str:
        return translate(code, self.lang, **params)

    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")

    def say(self, code: str, **params: Any) -> None:
        if not self.as_json:
            self.console.print(self.t(code, **params))

    def table(self, title: str | None, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        table = Table(title=title, show_lines=False)
        for header in headers:
            table.add_column(header)
        for row in rows:
            table.add_row(*["" if v is None else str(v) for v in row])
        self.console.print(table)

    @contextmanager
    def progress(self) -> Iterator[Any]:
        """A progress reporter drawing on stderr (silent in JSON mode or when not a terminal)."""
        if self.as_json or not sys.stderr.isatty():
            from zhongtai.progress import NullProgress

            yield NullProgress()
            return
        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.errors,
            transient=True,
        )
        with bar:
            yield _RichProgress(bar, self)


class _RichProgress:
    def __init__(self, bar: Progress, out: Output) -> None:
        self.bar = bar
        self.out = out
        self.task: Any = None

    def phase(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0)
        self.task = self.bar.add_task(self.out.t(f"cli.phase.{name}"), total=total)

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, amount)


def command(function: F) -> F:
    """Run a CLI command: set up output, turn zhongtai errors into messages and exit codes.

    The wrapped function takes ``out: Output`` first; the command gains ``--json`` and ``--lang``.
    """
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function, include_extras=True)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in list(signature.parameters.values())[1:]]
    params += [
        inspect.Parameter("as_json", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=JsonOpt),
        inspect.Parameter("lang", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LangOpt),
    ]

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.pop("as_json", False))
        try:
            lang = resolve_lang(kwargs.pop("lang", None))
        except ZhongtaiError as exc:
            typer.echo(exc.message("en"), err=True)
            raise typer.Exit(exc.exit_code) from None
        out = Output(as_json, lang)
        try:
            return function(out, *args, **kwargs)
        except ZhongtaiError as exc:
            _report(out, exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    del wrapper.__wrapped__
    wrapper.__signature__ = signature.replace(parameters=params, return_annotation=None)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]


def _report(out: Output, exc: ZhongtaiError) -> None:
    if out.as_json:
        out.json({"error": exc.to_dict(out.lang)})
        return
    out.errors.print(
        f"[bold red]{escape(out.t('cli.error'))}[/] {escape(f'[{exc.code}]')} {escape(exc.message(out.lang))}"
    )
    out.errors.print(out.t("cli.see_docs", anchor=exc.code.replace(".", "-").replace("_", "-")))
    if os.environ.get("ZHONGTAI_DEBUG"):
        out.errors.print_exception()


def open_ws(path: Path, *, read_only: bool = False) -> Any:
    """Open the workspace a command works on (import kept local to keep ``--help`` fast)."""
    from zhongtai.workspace import open_workspace

    return open_workspace(path, read_only=read_only)
