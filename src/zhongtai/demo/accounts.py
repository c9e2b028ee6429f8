"""Customer accounts per source, their identifiers, and the identity traps planted in them.

Every person has one ``customers`` row per source account. What each source knows differs
(Tmall: nickname and phone; JD: also e-mail and sometimes the ID number; Douyin: device; the
mini-program: openid, unionid, member card; stores: name, card, phone). The same person's values
overlap across accounts, written the way real exports write them: phone numbers with ``+86``,
spaces, dashes or full-width digits, e-mail in mixed case, occasional typos, placeholder values
(``13800000000``, ``test@test.com``), a store's own front-desk phone given by careless sign-ups,
family members sharing a device and an address, and store sign-ups with only a name and an
address. ``identities`` holds each account's identifiers normalised (E.164 phone, lower-case
e-mail), so typos and traps survive normalisation; ``_truth.identity_clusters`` says who is who.

A person with two or more accounts is a repeat, multi-channel customer: registration needs a mobile
and every delivered order carries the receiver's, so such accounts carry a phone with probability
``LINKED_PHONE`` whatever the source (minus name-and-address-only store sign-ups; a trapped value
still breaks its link). Single-account people keep the per-source ``PRESENT`` rates.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from zhongtai.demo import _arrow as A
from zhongtai.demo.geo import CITIES
from zhongtai.demo.ids import customer_ids
from zhongtai.demo.orders import Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.segments import CHANNEL_IDS, MINIPROGRAM, POS, SOURCES
from zhongtai.demo.world import World

__all__ = ["AccountTables", "build_accounts", "normalise_phone", "tokens"]

# share of accounts of each source that carry the field (tmall, jd, douyin, miniprogram, pos)
PRESENT = {
    "name": (0.3, 0.4, 0.1, 0.5, 0.95), "nickname": (1.0, 0.9, 1.0, 0.9, 0.0),
    "gender": (0.6, 0.6, 0.8, 0.9, 0.9), "birth_date": (0.3, 0.3, 0.4, 0.5, 0.6),
    "phone": (0.75, 0.7, 0.6, 0.8, 0.85), "email": (0.05, 0.35, 0.0, 0.15, 0.1),
    "device": (0.0, 0.0, 0.85, 0.7, 0.0), "id_number": (0.0, 0.05, 0.0, 0.0, 0.03),
    "address": (0.0, 0.0, 0.0, 0.2, 0.3), "region": (0.9, 0.9, 0.7, 0.8, 1.0), "unionid": (0.0, 0.0, 0.0, 0.85, 0.3),
}  # fmt: skip
# P(phone | the person holds >= 2 accounts): registration needs a mobile and every delivered order
# carries the receiver's, so a shop sees a number on nearly every account of a repeat, multi-channel
# customer; the rest are anonymous (Douyin without a phone, marketplace buyers behind virtual numbers).
LINKED_PHONE = 0.985
PLACEHOLDER_PHONES = ("13800000000", "13888888888", "18888888888", "00000000000", "12345678901")
PLACEHOLDER_EMAILS = ("test@test.com", "123@qq.com", "none@none.com", "a@a.com")
EMAIL_TYPOS = (("qq.com", "qq.con"), ("163.com", "163.cm"), ("gmail.com", "gmial.com"), ("126.com", "126.co"))
TOKEN = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = "10X98765432"
PROVINCE_CODES = {"北京": "110105", "上海": "310104", "广东": "440106", "四川": "510107", "浙江": "330106",
                  "重庆": "500103", "湖北": "420106", "陕西": "610113", "江苏": "320102", "天津": "120101"}  # fmt: skip


@dataclass(slots=True)
class AccountTables:
    customers: dict[str, pa.Array]
    identities: dict[str, pa.Array]
    clusters: dict[str, pa.Array]  # _truth.identity_clusters
    noise: dict[str, list[object]]  # _truth.identity_noise
    customer_ids: dict[int, pa.Array]  # per source, indexed by person (null without account)


def _mix(values: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of ``values`` (uint64, wrapping): a deterministic pseudo-random stream per value."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15) * np.uint64(salt + 1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def tokens(
    seed: np.ndarray, length: int, *, prefix: bytes = b"", salt: int = 0, alphabet: np.ndarray = TOKEN
) -> pa.Array:
    """Strings of ``prefix`` + ``length`` characters drawn deterministically from ``seed``."""
    n = len(seed)
    bits = {64: 6, 16: 4}[len(alphabet)]
    per_word = 64 // bits
    body = np.empty((n, length), dtype=np.uint8)
    for k in range(0, length, per_word):
        word = _mix(seed, salt * 100 + k)
        for j in range(min(per_word, length - k)):
            body[:, k + j] = alphabet[((word >> np.uint64(j * bits)) & np.uint64(len(alphabet) - 1)).astype(np.int64)]
    head = np.frombuffer(prefix, dtype=np.uint8)
    full = np.hstack([np.broadcast_to(head, (n, len(head))), body]) if len(head) else body
    width = full.shape[1]
    offsets = np.arange(0, n * width + 1, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(full)))


def _device_strings(device: np.ndarray) -> pa.Array:
    """16 hex digits (Android id) for even devices, an upper-case UUID (IDFA) for odd ones."""
    hexed = tokens(device, 16, salt=7, alphabet=HEX).to_numpy(zero_copy_only=False).astype(object)
    ios = (device & np.uint64(1)) == 1
    more = tokens(device, 16, salt=11, alphabet=HEX).to_numpy(zero_copy_only=False).astype(object)
    out = hexed.copy()
    for i in np.flatnonzero(ios):
        h = (hexed[i] + more[i]).upper()
        out[i] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return pa.array(out, pa.string())


def _phone_variant(digits: str, style: int) -> str:
    if style == 0:
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 1:
        return "+86" + digits
    if style == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 3:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 4:
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if style == 5:
        return "86-" + digits
    return "0086 " + digits


def _typo(rng: np.random.Generator, digits: str) -> str:
    pos = int(rng.integers(3, 10))
    chars = list(digits)
    if rng.random() < 0.5:
        chars[pos], chars[pos + 1] = chars[pos + 1], chars[pos]
        if chars[pos] == chars[pos + 1]:
            chars[pos] = str((int(chars[pos]) + 1) % 10)
    else:
        chars[pos] = str((int(chars[pos]) + int(rng.integers(1, 10))) % 10)
    return "".join(chars)


def normalise_phone(raw: str) -> str:
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", raw) if ch.isdigit())
    if len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return "+86" + digits


def _id_numbers(rng: np.random.Generator, birth_date: np.ndarray, female: np.ndarray, province: list[str]) -> list[str]:
    out = []
    for b, f, prov in zip(birth_date, female, province, strict=True):
        day = np.datetime64(int(b), "D").astype(object)
        seq = int(rng.integers(0, 50)) * 2 + (0 if f else 1)
        body = f"{PROVINCE_CODES.get(prov, '330106')}{day:%Y%m%d}{int(rng.integers(1, 10))}{seq:02d}"
        total = int(sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)))
        out.append(body + ID_CHECK[total % 11])
    return out


def build_accounts(
    world: World, persons: Persons, orders: Orders, rng: np.random.Generator, linked: np.random.Generator
) -> AccountTables:
    """Every account of the block's people, their identifiers and the planted traps.

    ``rng`` draws presence, traps and values; ``linked`` (a stream of its own, so ``rng``'s draws keep
    their values) draws which accounts of people holding two or more accounts carry a phone beyond
    their source's ``PRESENT`` rate, up to ``LINKED_PHONE``.
    """
    params = world.params
    cal = world.cal
    cols: dict[str, list[pa.Array]] = {}
    idents: dict[str, list[pa.Array]] = {}
    clusters: dict[str, list[pa.Array]] = {}
    noise: dict[str, list[object]] = {k: [] for k in ("source", "customer_id", "field", "kind", "clean", "written")}
    ids_by_source: dict[int, pa.Array] = {}
    last_seen = np.full((persons.n, 5), -1.0)
    np.maximum.at(last_seen, (orders.person, orders.source), orders.t)
    desk_phones = world.sites.front_desk_phone
    for s, source in enumerate(SOURCES):
        idx = np.flatnonzero(persons.account[:, s])
        k = len(idx)
        cid = customer_ids(s, persons.pid[idx])
        full_ids = np.full(persons.n, -1, dtype=np.int64)
        full_ids[idx] = np.arange(k)
        ids_by_source[s] = cid.take(pa.array(full_ids, mask=full_ids < 0))
        rate = {f: v[s] for f, v in PRESENT.items()}
        has = {f: rng.random(k) < r for f, r in rate.items()}
        top_up = (LINKED_PHONE - rate["phone"]) / (1.0 - rate["phone"])  # r + (1 - r)·q = LINKED_PHONE
        has["phone"] |= (persons.account[idx].sum(axis=1) >= 2) & (linked.random(k) < top_up)
        name_only = np.zeros(k, dtype=bool)
        if s == POS:
            name_only = rng.random(k) < params["identity.name_address_only"]
            has["name"] |= name_only
            has["address"] |= name_only
            has["phone"] &= ~name_only
            has["email"] &= ~name_only
        has["email"] &= persons.email[idx] != ""
        cid_list = cid.to_pylist()
        # phones as written
        phones = A.fixed_ids("", persons.phone[idx], 11).to_numpy(zero_copy_only=False).astype(object)
        written = np.full(k, None, dtype=object)
        normal = np.full(k, None, dtype=object)
        written[has["phone"]] = phones[has["phone"]]
        normal[has["phone"]] = "+86" + phones[has["phone"]]
        u = rng.random(k)
        variant = has["phone"] & (u < params["identity.format_variants"])
        typo = has["phone"] & (rng.random(k) < params["identity.typos"])
        placeholder = has["phone"] & (rng.random(k) < params["identity.placeholders"])
        desk = has["phone"] & (s == POS) & (rng.random(k) < params["identity.front_desk"])
        styles = rng.integers(0, 7, k)
        noisy = has["phone"] & (variant | typo | placeholder | desk)
        for i in np.flatnonzero(noisy):
            clean = phones[i]
            value, kind = clean, ""
            if desk[i]:
                value, kind = desk_phones[int(persons.store[idx[i]])], "front_desk_phone"
            elif placeholder[i]:
                value, kind = PLACEHOLDER_PHONES[int(rng.integers(len(PLACEHOLDER_PHONES)))], "placeholder"
            elif typo[i]:
                value, kind = _typo(rng, clean), "typo"
            shown = _phone_variant(value, int(styles[i])) if variant[i] else value
            if variant[i] and not kind:
                kind = "format_variant"
            written[i], normal[i] = shown, "+86" + value  # what normalise_phone(shown) gives
            if kind:
                for key, val in (
                    ("source", source),
                    ("customer_id", cid_list[i]),
                    ("field", "phone"),
                    ("kind", kind),
                    ("clean", "+86" + clean),
                    ("written", shown),
                ):
                    noise[key].append(val)
        # e-mail as written
        email_w = np.full(k, None, dtype=object)
        email_n = np.full(k, None, dtype=object)
        e_typo = rng.random(k) < params["identity.typos"]
        e_place = rng.random(k) < params["identity.placeholders"]
        e_case = rng.random(k) < 0.1
        for i in np.flatnonzero(has["email"]):
            clean = str(persons.email[idx[i]])
            value, kind = clean, ""
            if e_place[i]:
                value, kind = PLACEHOLDER_EMAILS[int(rng.integers(len(PLACEHOLDER_EMAILS)))], "placeholder"
            elif e_typo[i]:
                for good, bad in EMAIL_TYPOS:
                    if value.endswith(good):
                        value, kind = value[: -len(good)] + bad, "typo"
                        break
            if e_case[i]:
                local, _, domain = value.partition("@")
                value = local.title() + "@" + domain.upper()
                kind = kind or "format_variant"
            email_w[i], email_n[i] = value, value.strip().lower()
            if kind:
                for key, val in (
                    ("source", source),
                    ("customer_id", cid_list[i]),
                    ("field", "email"),
                    ("kind", kind),
                    ("clean", clean),
                    ("written", value),
                ):
                    noise[key].append(val)
        # devices: family members often use the family's shared device
        family_dev = (persons.family[idx] >= 0) & (rng.random(k) < 0.7)
        device = np.where(family_dev, persons.family_device[idx], persons.device[idx])
        device_s = _device_strings(device)
        for i in np.flatnonzero(family_dev & has["device"]):
            for key, val in (
                ("source", source),
                ("customer_id", cid_list[i]),
                ("field", "device_id"),
                ("kind", "shared_family_device"),
                ("clean", None),
                ("written", device_s[i].as_py()),
            ):
                noise[key].append(val)
        unionid = tokens(persons.unionid_seed[idx], 26, prefix=b"oU", salt=3)
        openid = tokens(persons.unionid_seed[idx], 27, prefix=b"o", salt=100 + s)
        card = persons.member_card[idx]
        has_card = (card > 0) & np.isin(s, (MINIPROGRAM, POS)) & ~name_only
        city = persons.city[idx]
        province = [CITIES[c].province for c in city]
        id_numbers = np.full(k, None, dtype=object)
        id_rows = np.flatnonzero(has["id_number"])
        if len(id_rows):
            id_numbers[id_rows] = _id_numbers(
                rng, persons.birth_date[idx[id_rows]], persons.female[idx[id_rows]], [province[i] for i in id_rows]
            )
        district = np.array(
            [CITIES[c].districts[d] for c, d in zip(city, persons.district[idx], strict=True)], dtype=object
        )
        gender = np.where(persons.female[idx], "female", "male").astype(object)
        gender[~has["gender"]] = "unknown"
        gender[rng.random(k) < 0.3 * ~has["gender"]] = None
        region = has["region"] | has["address"]
        registered = persons.registered[idx, s]
        part = {
            "source": A.pick([source], np.zeros(k, dtype=np.int64)),
            "customer_id": cid,
            "name": A.strings(persons.names.name[idx].astype(str), ~has["name"]),
            "nickname": A.strings(persons.names.nickname[idx].astype(str), ~has["nickname"]),
            "gender": pa.array(gender, pa.string()),
            "birth_date": A.dates(persons.birth_date[idx], ~has["birth_date"]),
            "phone": pa.array(written, pa.string()),
            "email": pa.array(email_w, pa.string()),
            "wechat_openid": A.with_nulls(openid, np.full(k, s != MINIPROGRAM)),
            "wechat_unionid": A.with_nulls(unionid, ~has["unionid"]),
            "member_card": A.fixed_ids("QH", card, 10, ~has_card),
            "device_id": A.with_nulls(device_s, ~has["device"]),
            "id_number": pa.array(id_numbers, pa.string()),
            "country": A.pick(["中国"], np.zeros(k, dtype=np.int64)),
            "province": A.strings(np.array(province, dtype=str), ~region),
            "city": A.strings(np.array([CITIES[c].name for c in city]), ~region),
            "district": A.strings(district.astype(str), ~region),
            "address": A.strings(persons.address[idx].astype(str), ~has["address"]),
            "channel_id": A.pick(CHANNEL_IDS, np.full(k, s)),
            "registered_at": A.timestamps(cal.to_utc_us(registered)),
        }
        for key, value in part.items():
            cols.setdefault(key, []).append(value)
        clusters.setdefault("source", []).append(part["source"])
        clusters.setdefault("customer_id", []).append(cid)
        clusters.setdefault("person_id", []).append(pa.array(persons.pid[idx]))
        clusters.setdefault("family_id", []).append(pa.array(persons.family[idx], mask=persons.family[idx] < 0))
        clusters.setdefault("cluster", []).append(pa.array(persons.cluster[idx].astype(np.int64)))
        # identities: normalised values, one row per identifier the account carries
        first = A.timestamps(cal.to_utc_us(registered))
        seen = np.where(last_seen[idx, s] >= 0, last_seen[idx, s], registered)
        last = A.timestamps(cal.to_utc_us(np.maximum(seen, registered)))
        name_addr = np.array(
            [
                f"{persons.names.name[j]}|{CITIES[persons.city[j]].province}{CITIES[persons.city[j]].name}"
                f"{CITIES[persons.city[j]].districts[persons.district[j]]}{persons.address[j]}"
                for j in idx[name_only]
            ],
            dtype=object,
        )
        name_addr_full = np.full(k, None, dtype=object)
        name_addr_full[name_only] = name_addr
        device_norm = pa.array([v.lower() if v else None for v in device_s.to_pylist()], pa.string())
        for id_type, values in (
            ("phone", pa.array(normal, pa.string())),
            ("email", pa.array(email_n, pa.string())),
            ("wechat_openid", part["wechat_openid"]),
            ("wechat_unionid", part["wechat_unionid"]),
            ("member_card", part["member_card"]),
            ("device_id", A.with_nulls(device_norm, ~has["device"])),
            ("name_address", pa.array(name_addr_full, pa.string())),
        ):
            present = ~np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            rows = np.flatnonzero(present)
            if not len(rows):
                continue
            take = pa.array(rows)
            idents.setdefault("source", []).append(A.pick([source], np.zeros(len(rows), dtype=np.int64)))
            idents.setdefault("customer_id", []).append(cid.take(take))
            idents.setdefault("id_type", []).append(A.pick([id_type], np.zeros(len(rows), dtype=np.int64)))
            idents.setdefault("id_value", []).append(values.take(take))
            idents.setdefault("method", []).append(A.pick(["source"], np.zeros(len(rows), dtype=np.int64)))
            idents.setdefault("confidence", []).append(pa.array(np.ones(len(rows))))
            idents.setdefault("first_seen_at", []).append(first.take(take))
            idents.setdefault("last_seen_at", []).append(last.take(take))
    return AccountTables(
        {k: pa.concat_arrays(v) for k, v in cols.items()},
        {k: pa.concat_arrays(v) for k, v in idents.items()},
        {k: pa.concat_arrays(v) for k, v in clusters.items()},
        noise,
        ids_by_source,
    )
