"""Looking at an input file before reading it: hash, format, encoding, transcoding.

DuckDB reads UTF-8 only and cannot fetch its encodings extension offline, so GBK/GB18030 and
UTF-16 exports are transcoded to a UTF-8 temporary file in 4 MiB chunks (bounded memory);
a byte that does not decode stops the load with the line and byte offset named.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from zhongtai.errors import IngestError

__all__ = [
    "blank_line_possible",
    "detect_encoding",
    "detect_format",
    "open_bytes",
    "sha256_file",
    "transcode_to_utf8",
]

CHUNK = 4 * 1024 * 1024
UTF8 = "utf-8"
_UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig", "ascii"}
_ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_bytes(path: Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing gzip transparently."""
    if _is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def detect_format(path: Path, declared: str = "auto") -> str:
    """``csv``, ``xlsx``, ``parquet`` or ``jsonl``, from the declaration, magic bytes or name."""
    if declared != "auto":
        return declared
    with path.open("rb") as handle:
        head = handle.read(8)
    name = path.name.lower().removesuffix(".gz")
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "xlsx"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        return "xlsx"
    if name.endswith(".parquet"):
        return "parquet"
    return "csv"


def detect_encoding(path: Path, declared: str = "auto") -> str:
    """The text encoding of a CSV/JSONL file: a declared one, a BOM, UTF-8, or GB18030.

    Only the first 1 MiB is examined; a later undecodable byte is reported per row by the
    reader (UTF-8) or stops the load with its position (other encodings).
    """
    if declared != "auto":
        name = declared.lower().replace("_", "-")
        name = _ENCODING_ALIASES.get(name, name)
        try:
            codecs.lookup(name)
        except LookupError:
            raise IngestError("ingest.unknown_encoding", file=path.name, encoding=declared) from None
        return "utf-8" if name in _UTF8_NAMES else name
    with open_bytes(path) as handle:
        try:
            sample = handle.read(1024 * 1024)
        except (OSError, EOFError):
            raise IngestError("ingest.unreadable", file=path.name, detail="compressed stream is damaged") from None
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_utf16(sample):
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    try:
        codecs.getincrementaldecoder(UTF8)().decode(sample, final=False)
        return UTF8
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise IngestError("ingest.unknown_encoding", file=path.name, encoding="auto") from None


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is zero."""
    head = sample[:2000]
    return len(head) >= 8 and (head[1::2].count(0) > len(head) * 0.4 or head[0::2].count(0) > len(head) * 0.4)


def _decoded_chunks(raw: BinaryIO, encoding: str, file_name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0
    line = 1
    while True:
        block = raw.read(CHUNK)
        final = not block
        try:
            text = decoder.decode(block, final=final)
        except UnicodeDecodeError as exc:
            good = block[: exc.start]
            partial = codecs.decode(good, encoding, errors="ignore")
            raise IngestError(
                "ingest.decode_error",
                file=file_name,
                encoding=encoding,
                line=line + partial.count("\n"),
                byte=consumed + exc.start,
            ) from None
        consumed += len(block)
        line += text.count("\n")
        if text:
            yield text.lstrip("\ufeff") if consumed == len(block) else text
        if final:
            return


def transcode_to_utf8(path: Path, encoding: str, target: Path) -> Path:
    """Write ``path`` (any supported encoding, optionally gzip) to ``target`` as UTF-8."""
    with open_bytes(path) as raw, target.open("w", encoding=UTF8, newline="") as out:
        try:
            for text in _decoded_chunks(raw, encoding, path.name):
                out.write(text)
        except (OSError, EOFError):
            raise IngestError("ingest.unreadable", file=path.name, detail="compressed stream is damaged") from None
    return target


def blank_line_possible(path: Path) -> bool:
    """Whether a UTF-8 text file may contain an empty line (which CSV readers skip).

    A quick byte scan; a ``True`` makes the reader number rows the slow, exact way.
    """
    tail = b""
    with open_bytes(path) as handle:
        while block := handle.read(CHUNK):
            data = tail + block
            for pattern in (b"\n\n", b"\n\r\n"):
                at = data.find(pattern)
                while at != -1:
                    if data[at:].strip(b"\r\n"):
                        return True
                    at = data.find(pattern, at + 1)
            tail = data[-3:]
    return False


def read_text_sample(path: Path, encoding: str, size: int = 256 * 1024) -> tuple[str, bool]:
    """The first ``size`` bytes decoded, and whether the whole file fit in them."""
    with open_bytes(path) as handle:
        data = handle.read(size + 1)
    complete = len(data) <= size
    data = data[:size]
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=complete)
    return text.lstrip("\ufeff"), complete
