"""People of one block: who they are, where they live, which channels they use.

Each person gets a cluster, BG/NBD parameters λ ~ Gamma(r, α·f_α) (purchases per day) and
p ~ Beta(a, b·f_b) (dropout after each purchase), a first-purchase time drawn from the
acquisition intensity (organic plus paid media), a home city, and accounts on some of the five
sources (the home source first). Accounts carry registration times and, for tracked sources,
whether the person allows analytics (behaviour events are only recorded then).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import hour_of_day, inverse
from zhongtai.demo.geo import CITIES, STREETS
from zhongtai.demo.names import EMAIL_DOMAINS, People, draw_names
from zhongtai.demo.segments import CLUSTERS, MINIPROGRAM, POS, TRACKED
from zhongtai.demo.world import World

__all__ = ["Persons", "draw_persons"]

PHONE_PREFIXES = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159,
                           166, 173, 175, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 198, 199])  # fmt: skip
NO_ACCOUNT = np.inf


@dataclass(slots=True)
class Persons:
    n: int
    pid: np.ndarray  # global person number
    cluster: np.ndarray
    lam: np.ndarray  # purchases per day while alive
    p: np.ndarray  # dropout probability after each purchase
    birth: np.ndarray  # first purchase (day)
    acquired_by: np.ndarray  # -1 organic, else the paid channel (source index)
    city: np.ndarray
    district: np.ndarray
    address: np.ndarray  # street address inside the district
    female: np.ndarray
    birth_date: np.ndarray  # days since 1970-01-01
    english: np.ndarray
    mood: np.ndarray  # disposition −1…1
    names: People
    phone: np.ndarray  # 11-digit mobile number
    email: np.ndarray  # '' when none
    device: np.ndarray  # uint64 personal device
    family: np.ndarray  # family group id (global) or -1
    family_device: np.ndarray  # shared device of the family, 0 when none
    home: np.ndarray  # source index of the first purchase
    account: np.ndarray  # (n, 5) has an account
    registered: np.ndarray  # (n, 5) registration day (inf without account)
    weight: np.ndarray  # (n, 5) channel preference among accounts
    store: np.ndarray  # site index of the home store, -1
    locker: np.ndarray  # site index of a nearby locker, -1
    analytics: np.ndarray  # (n, 5) allows analytics (tracked sources only)
    analytics_until: np.ndarray  # (n, 5) day the analytics consent was withdrawn (inf: never)
    member_card: np.ndarray  # int64 card number, 0 without
    unionid_seed: np.ndarray  # uint64 for the WeChat unionid


def _scramble(pid: np.ndarray, modulus: int, mult: int, add: int) -> np.ndarray:
    """A bijection of 0 … modulus-1 (mult is coprime with modulus): unique, non-sequential numbers."""
    return (pid.astype(np.int64) % modulus * mult + add) % modulus


def _families(rng: np.random.Generator, n: int, share: float, first: int) -> np.ndarray:
    family = np.full(n, -1, dtype=np.int64)
    chosen = np.flatnonzero(rng.random(n) < share)
    rng.shuffle(chosen)
    k, fid = 0, 0
    while k + 1 < len(chosen):
        size = min(int(rng.integers(2, 4)), len(chosen) - k)
        family[chosen[k : k + size]] = first + fid
        k += size
        fid += 1
    return family


def draw_persons(world: World, block: int, n: int, rng: np.random.Generator) -> Persons:
    params, cal, days = world.params, world.cal, world.days
    pid = block * world.config.block + np.arange(n, dtype=np.int64)
    cluster = rng.choice(len(CLUSTERS), n, p=world.cluster_share)
    alpha = params["bgnbd.alpha"] * np.array([c.alpha_factor for c in CLUSTERS])[cluster]
    b = params["bgnbd.b"] * np.array([c.b_factor for c in CLUSTERS])[cluster]
    lam = rng.gamma(params["bgnbd.r"], 1.0 / alpha)
    p = rng.beta(params["bgnbd.a"], b)
    mk = world.marketing
    birth = inverse(mk.acquisition_cum, mk.acquisition, rng.random(n) * mk.acquisition_cum[-1])
    birth_day = np.floor(birth).astype(np.int64)
    birth = birth_day + hour_of_day(rng, birth_day, cal.double11_days)
    paid = mk.paid_probability[birth_day]  # (n, 4)
    u = rng.random(n)
    cum = np.cumsum(paid, axis=1)
    acquired_by = np.where(u < cum[:, -1], np.argmax(u[:, None] < cum, axis=1), -1)
    city = rng.choice(len(CITIES), n, p=world.city_weight)
    district = rng.integers(0, 4, n)
    female = rng.random(n) < np.where(cluster == 2, 0.7, 0.82)
    english = rng.random(n) < 0.05
    age = np.clip(rng.normal(np.where(cluster == 3, 36, 30), 7.5), 18, 68)
    birth_date = cal.epoch_day0 - (age * 365.25).astype(np.int64) + rng.integers(0, 365, n)
    mood = np.clip(rng.normal(np.array([c.mood for c in CLUSTERS])[cluster], 0.25), -1, 1)
    names = draw_names(rng, female, english)
    phone = PHONE_PREFIXES[rng.integers(0, len(PHONE_PREFIXES), n)] * 10**8 + _scramble(pid, 10**8, 48271, 9127)
    # e-mail: QQ numbers at qq.com, pinyin handles elsewhere; both unique per person
    dom_p = np.array([d[1] for d in EMAIL_DOMAINS])
    domain = np.array([d[0] for d in EMAIL_DOMAINS])[rng.choice(len(EMAIL_DOMAINS), n, p=dom_p / dom_p.sum())]
    qq = (10**8 + _scramble(pid, 9 * 10**8, 7919, 1234567)).astype(str)
    handle = np.char.add(np.char.add(names.pinyin, "_"), np.char.mod("%x", _scramble(pid, 16**6, 40503, 77)))
    local = np.where(domain == "qq.com", qq, handle)
    has_email = rng.random(n) < np.where(english, 0.8, 0.45)
    email = np.where(has_email, np.char.add(np.char.add(local, "@"), domain), "")
    device = rng.integers(1, 2**63 - 1, n, dtype=np.int64).astype(np.uint64)
    family = _families(rng, n, params["identity.families"], int(pid[0]))
    family_device = np.zeros(n, dtype=np.uint64)
    address = _addresses(rng, city, district, n)
    for fid in np.unique(family[family >= 0]):
        members = np.flatnonzero(family == fid)
        head = members[0]
        city[members], district[members], address[members] = city[head], district[head], address[head]
        family_device[members] = device[head] ^ np.uint64(0x5A5A5A5A)
    store = np.full(n, -1, dtype=np.int64)
    locker = np.full(n, -1, dtype=np.int64)
    for c in np.unique(city):
        here = np.flatnonzero(city == c)
        if len(world.city_stores[c]):
            store[here] = world.city_stores[c][rng.integers(0, len(world.city_stores[c]), len(here))]
        if len(world.city_lockers[c]):
            locker[here] = world.city_lockers[c][rng.integers(0, len(world.city_lockers[c]), len(here))]
    # accounts: home source, then others by preference; the store channel needs a store in town
    preference = np.array([c.channel_preference for c in CLUSTERS])[cluster]  # (n, 5)
    preference[:, POS] *= store >= 0
    organic_home = _categorical(rng, preference)
    home = np.where(acquired_by >= 0, acquired_by, organic_home)
    account = rng.random((n, 5)) < np.minimum(0.85, 1.6 * preference)
    account[np.arange(n), home] = True
    account[:, POS] &= store >= 0
    registered = birth[:, None] + rng.exponential(150.0, (n, 5))
    registered[np.arange(n), home] = np.maximum(birth - rng.uniform(0, 2, n), 0.0)
    account &= registered < days
    registered[~account] = NO_ACCOUNT
    weight = rng.gamma(3.0 * preference + 0.3) * account
    weight[np.arange(n), home] *= 1.5
    weight /= weight.sum(axis=1, keepdims=True)
    consent_rate = np.zeros(5)
    consent_rate[list(TRACKED)] = params["events.analytics_consent"]
    consent_rate[MINIPROGRAM] = min(0.95, 1.3 * params["events.analytics_consent"])
    analytics = account & (rng.random((n, 5)) < consent_rate)
    withdrawn = rng.random((n, 5)) < 0.06
    finite_reg = np.where(account, registered, 0.0)
    analytics_until = np.where(
        analytics & withdrawn, finite_reg + rng.uniform(0, 1, (n, 5)) * (days - finite_reg), NO_ACCOUNT
    )
    carded = (account[:, MINIPROGRAM] & (rng.random(n) < 0.6)) | (account[:, POS] & (rng.random(n) < 0.85))
    member_card = np.where(carded, 8_600_000_000 + _scramble(pid, 10**9, 15485863, 4242), 0)
    return Persons(
        n,
        pid,
        cluster,
        lam,
        p,
        birth,
        acquired_by,
        city,
        district,
        address,
        female,
        birth_date,
        english,
        mood,
        names,
        phone,
        email,
        device,
        family,
        family_device,
        home,
        account,
        registered,
        weight,
        store,
        locker,
        analytics,
        analytics_until,
        member_card,
        rng.integers(1, 2**63 - 1, n, dtype=np.int64).astype(np.uint64),
    )


def _categorical(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One draw per row of ``weights`` (rows need not sum to one)."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.asarray(np.minimum(np.argmax(u[:, None] < cum, axis=1), weights.shape[1] - 1))


def _addresses(rng: np.random.Generator, city: np.ndarray, district: np.ndarray, n: int) -> np.ndarray:
    district_name = np.array([[c.districts[k] for k in range(4)] for c in CITIES])[city, district]
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    number = rng.integers(1, 1200, n).astype(str)
    building = rng.integers(1, 30, n).astype(str)
    room = (rng.integers(1, 33, n) * 100 + rng.integers(1, 7, n)).astype(str)
    parts = [district_name, street, number, np.full(n, "号"), building, np.full(n, "栋"), room, np.full(n, "室")]
    out = parts[0]
    for part in parts[1:]:
        out = np.char.add(out, part)
    return np.asarray(out, dtype=object)
