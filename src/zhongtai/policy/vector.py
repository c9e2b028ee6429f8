"""Vectorised maskers: whole Arrow columns through Arrow's RE2 string kernels, no Python loop per value.

Each function mirrors its per-value twin in :mod:`zhongtai.policy.maskers` (same patterns, same
output; the tests check it on generated input). Nulls stay null. Inputs are Arrow string arrays or
chunked arrays; :func:`mask_array` dispatches on a :class:`~zhongtai.policy.columns.ColumnPolicy`
and also takes dictionary-encoded, large-string, date and other typed columns.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from zhongtai.policy import patterns as p
from zhongtai.policy.columns import ColumnPolicy, MaskKind
from zhongtai.policy.maskers import PERSONAL_CLASSES, text_passes
from zhongtai.warehouse.schema import PiiClass

__all__ = [
    "mask_address_array",
    "mask_array",
    "mask_code_array",
    "mask_date_array",
    "mask_email_array",
    "mask_id_number_array",
    "mask_identifier_array",
    "mask_name_array",
    "mask_phone_array",
    "redact_array",
    "scrub_text_array",
]

Arr = Any  # pa.Array | pa.ChunkedArray of strings
_BLANK = "^[ \t\r\n\u00a0\u3000]*$"
_CANDIDATE = "[0-9０-９@＠]"
_SEP_CLASS = "[ \t\u00a0\u3000\\-\uff0d\u2010-\u2014\u2212]"


def _s(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.string())


def _join(*parts: Any) -> Arr:
    return pc.binary_join_element_wise(*parts, _s(""))


def _keep_blank(values: Arr, masked: Arr) -> Arr:
    return pc.if_else(pc.match_substring_regex(values, _BLANK), values, masked)


def _trim(values: Arr) -> Arr:
    return pc.replace_substring_regex(values, p.TRIM, "")


def _named(pattern: str, *names: str) -> str:
    """``pattern`` with its first capture groups named (Arrow's extract kernel wants names)."""
    for name in names:
        at = next(i for i in range(len(pattern)) if pattern[i] == "(" and pattern[i + 1 : i + 2] != "?")
        pattern = pattern[: at + 1] + f"?P<{name}>" + pattern[at + 1 :]
    return pattern


_MOBILE_PARTS = _named(p.MOBILE_DIGITS, "head", "tail")
_EMAIL_PARTS = "(?s)^(?P<first>.)(?P<rest>.*)(?P<domain>[@＠][^@＠]*)$"


def mask_phone_array(values: Arr) -> Arr:
    digits = pc.replace_substring_regex(values, p.NON_DIGIT, "")
    parts = pc.extract_regex(digits, _MOBILE_PARTS)
    mobile = _join(pc.struct_field(parts, [0]), _s("****"), pc.struct_field(parts, [1]))
    other = pc.if_else(
        pc.greater_equal(pc.utf8_length(digits), 7),
        _join(_s("****"), pc.utf8_slice_codeunits(digits, -4)),
        _s("****"),
    )
    return _keep_blank(values, pc.if_else(pc.is_valid(parts), mobile, other))


def mask_email_array(values: Arr) -> Arr:
    """One pass for both cases of :func:`mask_email` (a local part of one character or more)."""
    parts = pc.extract_regex(_trim(values), _EMAIL_PARTS)
    first, rest, domain = (pc.struct_field(parts, [i]) for i in range(3))
    masked = pc.if_else(
        pc.is_valid(parts),
        pc.if_else(pc.greater(pc.utf8_length(rest), 0), _join(first, _s("***"), domain), _join(_s("*"), domain)),
        _s("***"),
    )
    return _keep_blank(values, masked)


def mask_name_array(values: Arr) -> Arr:
    text = _trim(values)
    length = pc.utf8_length(text)
    stars = pc.binary_repeat(_s("*"), pc.min_element_wise(pc.max_element_wise(pc.subtract(length, 1), 0), 3))
    masked = pc.if_else(pc.equal(length, 1), _s("*"), _join(pc.utf8_slice_codeunits(text, 0, 1), stars))
    return _keep_blank(values, masked)


def mask_id_number_array(values: Arr) -> Arr:
    text = pc.replace_substring_regex(_trim(values), _SEP_CLASS, "")
    length = pc.utf8_length(text)
    stars = pc.binary_repeat(_s("*"), pc.max_element_wise(pc.subtract(length, 2), 0))
    masked = pc.if_else(
        pc.less(length, 6),
        _s("****"),
        _join(pc.utf8_slice_codeunits(text, 0, 1), stars, pc.utf8_slice_codeunits(text, -1)),
    )
    return _keep_blank(values, masked)


def mask_address_array(values: Arr) -> Arr:
    text = _trim(values)
    digits_hidden = pc.replace_substring_regex(
        pc.struct_field(pc.extract_regex(text, p.LATIN_LAST_PART.replace("([^,]*)", "(?P<last>[^,]*)")), [0]),
        p.DIGIT,
        "*",
    )
    masked = pc.if_else(pc.is_valid(digits_hidden), _join(_s("***, "), digits_hidden), _s("****"))
    for pattern in reversed((p.ADDRESS_DISTRICT, p.ADDRESS_CITY, p.ADDRESS_PROVINCE)):
        named = pattern.replace("^[ \t\u3000]*(", "^[ \t\u3000]*(?P<keep>", 1)
        head = pc.struct_field(pc.extract_regex(text, named), [0])
        masked = pc.if_else(pc.is_valid(head), _join(head, _s("****")), masked)
    return _keep_blank(values, masked)


def mask_identifier_array(values: Arr) -> Arr:
    text = _trim(values)
    length = pc.utf8_length(text)
    short = _join(pc.utf8_slice_codeunits(text, 0, 1), _s("****"), pc.utf8_slice_codeunits(text, -1))
    long = _join(pc.utf8_slice_codeunits(text, 0, 2), _s("****"), pc.utf8_slice_codeunits(text, -2))
    masked = pc.if_else(pc.less_equal(length, 4), _s("****"), pc.if_else(pc.less_equal(length, 8), short, long))
    return _keep_blank(values, masked)


def mask_date_array(values: Arr) -> Arr:
    if pa.types.is_temporal(values.type):
        year = pc.utf8_lpad(pc.cast(pc.year(values), pa.string()), 4, "0")
        return _join(year, _s("-**-**"))
    text = _as_text(values)
    year = pc.struct_field(pc.extract_regex(text, p.YEAR_PREFIX.replace("(", "(?P<year>", 1)), [0])
    masked = pc.if_else(pc.is_valid(year), _join(year, _s("-**-**")), _s("****"))
    return _keep_blank(text, masked)


def mask_code_array(values: Arr) -> Arr:
    return _keep_blank(values, pc.if_else(pc.is_valid(values), _s("*"), pa.nulls(1, pa.string())[0]))


def redact_array(values: Arr) -> Arr:
    return _keep_blank(values, pc.if_else(pc.is_valid(values), _s("***"), pa.nulls(1, pa.string())[0]))


def scrub_text_array(values: Arr, hidden: frozenset[PiiClass] = PERSONAL_CLASSES) -> Arr:
    """Free text with embedded PII of the ``hidden`` classes masked, pass by pass like :func:`scrub_text`.

    Only values holding a digit or an ``@`` can match any pattern, so the passes run on those alone
    and the results are put back in place.
    """
    passes = text_passes(frozenset(hidden))
    if not passes:
        return values
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([scrub_text_array(chunk, hidden) for chunk in values.chunks], values.type)
    candidates = pc.fill_null(pc.match_substring_regex(values, _CANDIDATE), False)
    subset = pc.filter(values, candidates)
    if len(subset) == 0:
        return values
    for pattern, rewrite in passes:
        subset = pc.replace_substring_regex(subset, pattern, rewrite)
    return pc.replace_with_mask(values, candidates, subset)


_MASKERS = {
    MaskKind.PHONE: mask_phone_array,
    MaskKind.EMAIL: mask_email_array,
    MaskKind.NAME: mask_name_array,
    MaskKind.ID_NUMBER: mask_id_number_array,
    MaskKind.ADDRESS: mask_address_array,
    MaskKind.IDENTIFIER: mask_identifier_array,
    MaskKind.CODE: mask_code_array,
    MaskKind.REDACT: redact_array,
}


def _as_text(values: Arr) -> Arr:
    if pa.types.is_string(values.type):
        return values
    if pa.types.is_large_string(values.type):
        return pc.cast(values, pa.string())
    return pc.cast(values, pa.string())


def mask_array(values: Arr, policy: ColumnPolicy, visible: frozenset[PiiClass]) -> Arr:
    """A column as a principal who sees the ``visible`` classes may read it (same rules as ``mask_value``)."""
    if isinstance(values, pa.ChunkedArray) and pa.types.is_dictionary(values.type):
        values = values.combine_chunks()
    if isinstance(values, pa.DictionaryArray):
        return pa.DictionaryArray.from_arrays(values.indices, mask_array(values.dictionary, policy, visible))
    if policy.personal:
        if policy.pii in visible:
            return values
        if policy.kind is MaskKind.DATE:
            return mask_date_array(values)
        return _MASKERS.get(policy.kind, mask_identifier_array)(_as_text(values))
    if policy.kind is MaskKind.TEXT and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return scrub_text_array(values, PERSONAL_CLASSES - visible)
    return values
