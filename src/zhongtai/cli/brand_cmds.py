"""``zhongtai brand``: voice of the customer — review sentiment today."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._common import Output, WorkspaceOpt, command

app = typer.Typer(help="Brand and voice of the customer. / 品牌与用户之声。")

FULL_MODEL = Path("models") / "sentiment-full.npz"


@app.command("train-sentiment")
@command
def brand_train_sentiment(
    out: Output,
    full: Annotated[
        bool, typer.Option("--full", help="Train on the research corpora too (kept in the workspace) / 加入研究语料")
    ] = False,
    out_path: Annotated[Path | None, typer.Option("--out", help="Where to write the model / 模型输出路径")] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Corpora folder, like ../shared/data (or $ZHONGTAI_DATA) / 语料目录")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Train the sentiment model: the shipped one, or with --full the research-corpora one. / 训练情感模型。"""
    from zhongtai.brand import resolve_data_folder, shipped_path, train_sentiment

    kind = "full" if full else "shipped"
    target = out_path or (workspace / FULL_MODEL if full else shipped_path())
    with out.progress() as progress:
        result = train_sentiment(kind=kind, data=resolve_data_folder(data), out=target, progress=progress)
    if out.as_json:
        out.json(result.to_dict())
        return
    out.table(
        out.t("cli.brand.trained", kind=kind, file=str(result.path)),
        [out.t(f"cli.brand.{h}") for h in ("corpus", "n", "accuracy", "brier", "ece")],
        [
            (name, m["n"], f"{m['accuracy']:.2%}", f"{m['brier']:.4f}", f"{m['ece']:.4f}")
            for name, m in result.metrics.items()
        ],
    )


@app.command("sentiment")
@command
def brand_sentiment(
    out: Output,
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to score / 要打分的文本")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="A text file, one text per line / 文本文件,每行一条")
    ] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of --file / 文件编码")] = "utf-8",
    full: Annotated[bool, typer.Option("--full", help="Use the workspace's full model / 使用工作区的完整模型")] = False,
    model: Annotated[Path | None, typer.Option("--model", help="A model file / 模型文件")] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Score the sentiment of texts (zh/en). / 为文本打情感分。"""
    from zhongtai.brand import load_model, read_texts, score
    from zhongtai.errors import InputError

    items = list(texts or []) + (read_texts(file, encoding=encoding) if file is not None else [])
    if not items:
        raise InputError("brand.no_texts")
    chosen = load_model(model) if model is not None else load_model(workspace / FULL_MODEL) if full else None
    scores = score(items, model=chosen)
    if out.as_json:
        out.json([{"text": t, **row} for t, row in zip(items, scores.to_dict(), strict=True)])
        return
    out.table(
        None,
        [out.t(f"cli.brand.{h}") for h in ("text", "lang", "p_positive", "label", "notes")],
        [
            (
                t if len(t) <= 60 else t[:57] + "…",
                row["lang"],
                "" if row["p_positive"] is None else f"{row['p_positive']:.3f}",
                out.t(f"cli.brand.{row['label']}"),
                row["notes"],
            )
            for t, row in zip(items, scores.to_dict(), strict=True)
        ],
    )
