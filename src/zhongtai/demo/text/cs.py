"""Customer-service conversations with a known customer emotion (calm, anxious, angry).

A conversation alternates customer and shop turns, customer first, 2–12 messages (calm 2–6,
anxious 4–10, angry 5–12). In conversations of four or more messages the first shop turn is the
shop's bot greeting in 30% of Chinese and 10% of English ones; every other shop turn is one
agent's (``CS001`` … ``CS030``). Only customers' messages get typos and loose punctuation.

The customer's first message states the topic in the voice of their emotion; later turns are
follow-ups of that emotion (anxious customers urge: 在吗？？, 还要等多久; angry ones threaten: 投诉,
差评, 12315), restatements of the problem, or plain acknowledgements (好的, 行吧), which are calm
in their words and labelled so. Agents greet, apologise to upset customers, act on the topic and
close (to an upset customer, only after saying what was done).

Timing: the customer opens at ``started_at``; an agent answers after a log-normal gap with a
median of 25 s by day and 3 min between 00:00 and 08:00 shop time (Asia/Shanghai, UTC+8), the
bot within 1–3 s; customers answer after a median of 45 s (calm), 30 s (angry), 18 s (anxious).

Truth, per message: ``emotion`` is what a customer message's words express (``None`` for agent
and bot messages); ``escalation_expected`` is true from the customer message at which a human
should take over (the first angry message, or the second anxious one: the customer repeats
and urges) to the end of the conversation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zhongtai.demo.text._assemble import capitalise, codes, naive_utc, rank_in_group, strings
from zhongtai.demo.text._categories import ASPECTS
from zhongtai.demo.text._grammar import STRING, Grammar, concat, empty
from zhongtai.demo.text._lexicon import grammar
from zhongtai.demo.text._noise import roughen

__all__ = ["cs_messages"]

MESSAGE_COLUMNS = ("source", "customer_id", "member_id", "message_id", "conversation_id", "sender", "agent_id",
                   "sent_at", "text", "channel_id", "order_id")  # fmt: skip
TRUTH_COLUMNS = ("conversation_id", "message_id", "emotion", "escalation_expected")
EMOTIONS = ("calm", "anxious", "angry")
CALM, ANXIOUS, ANGRY = range(3)
AGENTS = 30
SHOP_OFFSET_HOURS = 8  # Asia/Shanghai has no daylight saving time
# roles of a message
OPEN, FOLLOW, RESTATE, ACK, BYE, BOT, AGENT_FIRST, AGENT, AGENT_LAST = range(9)


def _roles(rng: np.random.Generator, emotion: np.ndarray, position: np.ndarray, size: np.ndarray,
           bot: np.ndarray) -> np.ndarray:  # fmt: skip
    """Role of every message from its conversation's emotion, its position and the conversation size."""
    customer = position % 2 == 0
    last = position == size - 1
    u = rng.random(len(position))
    ack_share = np.where(emotion == CALM, 0.35, 0.12)
    role = np.where(u < ack_share, ACK, np.where(u < ack_share + 0.2, RESTATE, FOLLOW))
    role = np.where(last & (position > 0), BYE, role)
    role = np.where(position == 0, OPEN, role)
    shop = np.where(position == 1, np.where(bot, BOT, AGENT_FIRST), np.where(last, AGENT_LAST, AGENT))
    # the first agent after a bot greeting still greets
    shop = np.where((position == 3) & bot, AGENT_FIRST, shop)
    return np.where(customer, role, shop)


def _customer_texts(
    rng: np.random.Generator, g: Grammar, role: np.ndarray, emotion: np.ndarray, topic: np.ndarray,
    product: np.ndarray, english: bool,
) -> np.ndarray:  # fmt: skip
    n = len(role)
    families = np.zeros(n, dtype=np.int64)
    names = np.array(EMOTIONS)
    topic_keys = np.array([[g.key(f"c_topic:{a}:{e}") for e in EMOTIONS] for a in ASPECTS])[topic, emotion]
    pre = g.render(rng, g.key_ids([f"c_pre:{e}" for e in names])[emotion], families)
    post = g.render(rng, g.key_ids([f"c_post:{e}" for e in names])[emotion], families)
    body = g.render(rng, topic_keys, families, external=[product])
    if english:
        starts = (pre == "") | np.strings.endswith(pre, ". ") | np.strings.endswith(pre, "! ")
        starts |= np.strings.endswith(pre, "? ") | np.strings.endswith(pre, ": ")
        body = np.where(starts, capitalise(body), body)
    opening = concat(pre, body, post)
    follow = g.render(rng, g.key_ids([f"c_follow:{e}" for e in names])[emotion], families)
    restate = concat(body, post)
    ack = g.render(rng, np.full(n, g.key("c_ack")), families)
    bye = g.render(rng, g.key_ids([f"c_bye:{e}" for e in names])[emotion], families)
    out = np.select([role == OPEN, role == FOLLOW, role == RESTATE, role == ACK], [opening, follow, restate, ack], bye)
    out = np.asarray(out, dtype=STRING)
    return capitalise(out) if english else out


def _shop_texts(
    rng: np.random.Generator, g: Grammar, role: np.ndarray, emotion: np.ndarray, topic: np.ndarray, english: bool
) -> np.ndarray:
    n = len(role)
    families = np.zeros(n, dtype=np.int64)
    upset = emotion != CALM
    greet = g.render(rng, np.full(n, g.key("a_greet")), families)
    sorry = np.where(upset, g.render(rng, np.full(n, g.key("a_sorry")), families), "")
    act = g.render(rng, g.key_ids([f"a_topic:{a}" for a in ASPECTS])[topic], families)
    follow = g.render(rng, np.full(n, g.key("a_follow")), families)
    soothe = np.where(upset & (rng.random(n) < 0.6), g.render(rng, np.full(n, g.key("a_soothe")), families), "")
    middle = np.where(rng.random(n) < 0.5, act, follow)
    if english:
        act, middle = capitalise(act), capitalise(middle)
    first = concat(greet, sorry, act)
    later = concat(soothe, middle)
    closing = g.render(rng, np.full(n, g.key("a_close")), families)
    # an upset customer is not just wished a nice day: the last agent turn says what was done first
    closing = np.where(upset, concat(middle, "。" if not english else ". ", closing), closing)
    bot = g.render(rng, np.full(n, g.key("bot_greet")), families)
    out = np.select([role == BOT, role == AGENT_FIRST, role == AGENT], [bot, first, later], closing)
    return np.asarray(out, dtype=STRING)


def _gaps(rng: np.random.Generator, role: np.ndarray, emotion: np.ndarray, night: np.ndarray) -> np.ndarray:
    """Seconds between a message and the one before it (0 for the first)."""
    n = len(role)
    z = rng.normal(0.0, 1.0, n)
    agent = np.exp(np.where(night, np.log(180.0), np.log(25.0)) + 0.9 * z)
    customer = np.exp(np.log(np.array([45.0, 18.0, 30.0]))[emotion] + 0.8 * z)
    gap = np.where(role >= AGENT_FIRST, agent, customer)
    gap = np.where(role == BOT, rng.uniform(1.0, 3.0, n), gap)
    return np.where(role == OPEN, 0.0, gap + 1.0)


def cs_messages(
    rng: np.random.Generator, conversations: pd.DataFrame, *, start_id: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Messages of ``conversations`` and their truth (see the module docstring).

    ``conversations``: ``source, customer_id, member_id, conversation_id, channel_id, started_at,
    language ('zh'|'en'), emotion ('calm'|'anxious'|'angry'), topic (aspect code), order_id``.
    Returns canonical ``cs_messages`` rows (``M{start_id + i}`` in conversation order, ``sent_at``
    naive UTC) and the truth ``conversation_id, message_id, emotion, escalation_expected``.
    """
    c = len(conversations)
    emotion_c = codes(conversations["emotion"], EMOTIONS, CALM)
    topic_c = codes(conversations["topic"], ASPECTS, ASPECTS.index("service"))
    english_c = conversations["language"].to_numpy(dtype=object) == "en"
    low = np.array([2, 4, 5])[emotion_c]
    high = np.array([6, 10, 12])[emotion_c]
    size = rng.integers(low, high + 1)
    bot_c = (rng.random(c) < np.where(english_c, 0.1, 0.3)) & (size >= 4)
    agent_c = rng.integers(1, AGENTS + 1, c)
    started = naive_utc(conversations["started_at"])
    local_hour = ((started.astype("datetime64[h]").astype(np.int64) + SHOP_OFFSET_HOURS) % 24) if c else np.zeros(0)
    night_c = local_hour < 8

    conv = np.repeat(np.arange(c), size)
    position = rank_in_group(conv)
    emotion = emotion_c[conv]
    role = _roles(rng, emotion, position, size[conv], bot_c[conv])
    customer = position % 2 == 0
    english = english_c[conv]
    product = np.where(english, "order", "东西").astype(object)
    product = np.where(english & (rng.random(len(conv)) < 0.5), "item", product)
    product = np.where(~english & (rng.random(len(conv)) < 0.5), "宝贝", product)

    text = empty(len(conv))
    for is_en, language in ((False, "zh"), (True, "en")):
        g = grammar("cs", language)
        rows = np.flatnonzero((english == is_en) & customer)
        text[rows] = _customer_texts(rng, g, role[rows], emotion[rows], topic_c[conv[rows]], product[rows], is_en)
        rows = np.flatnonzero((english == is_en) & ~customer)
        text[rows] = _shop_texts(rng, g, role[rows], emotion[rows], topic_c[conv[rows]], is_en)
    typed = np.flatnonzero(customer)  # customers type in a hurry; agents use the shop's phrasing
    text[typed] = roughen(rng, text[typed], english[typed], typo=0.03, loose=0.1, traditional=0.01, lower=0.15)

    gaps = _gaps(rng, role, emotion, night_c[conv])
    offsets = np.cumsum(gaps)
    first = np.flatnonzero(position == 0)
    offsets -= np.repeat(offsets[first], size)
    sent_at = started[conv] + (np.floor(offsets) * 1e9).astype("timedelta64[ns]")

    said = np.where(customer, np.where(role == ACK, CALM, emotion), -1)
    angry_seen = np.cumsum(said == ANGRY) - np.repeat(np.cumsum(said == ANGRY)[first] - (said[first] == ANGRY), size)
    anxious_seen = np.cumsum(said == ANXIOUS) - np.repeat(
        np.cumsum(said == ANXIOUS)[first] - (said[first] == ANXIOUS), size
    )
    escalate = (angry_seen >= 1) | (anxious_seen >= 2)

    ids = np.array([f"M{start_id + i}" for i in range(len(conv))], dtype=object)
    sender = np.where(customer, "customer", np.where(role == BOT, "bot", "agent")).astype(object)
    agent_id = np.array([f"CS{k:03d}" for k in agent_c[conv]], dtype=object)
    agent_id[sender != "agent"] = None
    frame = pd.DataFrame(
        {
            "source": conversations["source"].to_numpy(dtype=object)[conv],
            "customer_id": conversations["customer_id"].to_numpy(dtype=object)[conv],
            "member_id": conversations["member_id"].to_numpy(dtype=object)[conv],
            "message_id": ids,
            "conversation_id": conversations["conversation_id"].to_numpy(dtype=object)[conv],
            "sender": sender,
            "agent_id": agent_id,
            "sent_at": sent_at,
            "text": strings(text),
            "channel_id": conversations["channel_id"].to_numpy(dtype=object)[conv],
            "order_id": conversations["order_id"].to_numpy(dtype=object)[conv],
        },
        columns=list(MESSAGE_COLUMNS),
    )
    emotion_names = np.array([*EMOTIONS, None], dtype=object)
    truth = pd.DataFrame(
        {
            "conversation_id": frame["conversation_id"].to_numpy(),
            "message_id": ids,
            "emotion": emotion_names[said],
            "escalation_expected": escalate,
        },
        columns=list(TRUTH_COLUMNS),
    )
    return frame, truth
