"""The demo shop's text generators: contract, truth carried by the words, diversity, no PII.

Frames are small and hand-built here (a few thousand rows), so every test runs in well under a
second except the bag-of-words check, which trains one TF-IDF + logistic regression model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pytest

from zhongtai.demo.text import cs_messages, nps, posts, reviews
from zhongtai.demo.text._categories import _L3_ZH, _PRODUCT_ZH, ASPECTS
from zhongtai.demo.text._hant import UNCHANGED
from zhongtai.demo.text._lexicon import KINDS, grammar
from zhongtai.demo.text._noise import ZH_TYPOS, to_traditional
from zhongtai.policy.patterns import TEXT_CARD, TEXT_EMAIL, TEXT_ID, TEXT_PHONE
from zhongtai.warehouse._sql import render
from zhongtai.warehouse.ddl import create_table
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import ColumnType

T0 = pd.Timestamp("2025-03-01")


def _purchases(n: int, *, seed: int = 0, mood: float | None = None, issue: str | None = "random",
               en_share: float = 0.3) -> pd.DataFrame:  # fmt: skip
    r = np.random.default_rng(seed)
    moods = np.clip(r.normal(0.3, 0.5, n), -1, 1) if mood is None else np.full(n, mood)
    if issue == "random":
        issues = np.where(r.random(n) < 0.15, r.choice(np.array(ASPECTS, dtype=object), n), None)
    else:
        issues = np.full(n, issue, dtype=object)
    return pd.DataFrame(
        {
            "source": "demo",
            "customer_id": [f"c{i}" for i in range(n)],
            "member_id": [f"m{i}" for i in range(n)],
            "order_id": [f"o{i}" for i in range(n)],
            "sku": "QHSK001-50",
            "category_l1": r.choice(np.array(["护肤", "彩妆", "个护", "服饰"], dtype=object), n),
            "ordered_at": T0 + pd.to_timedelta(r.integers(0, 86_400 * 200, n), unit="s"),
            "language": np.where(r.random(n) < en_share, "en", "zh"),
            "mood": moods,
            "issue": issues,
        }
    )


def _conversations(n: int, *, seed: int = 0, emotion: str | None = None, hour: int | None = None) -> pd.DataFrame:
    r = np.random.default_rng(seed)
    started = T0 + pd.to_timedelta(r.integers(0, 86_400 * 200, n), unit="s")
    if hour is not None:  # a fixed UTC hour (shop time is UTC+8)
        started = started.normalize() + pd.to_timedelta(hour, unit="h") + pd.to_timedelta(r.integers(0, 3000, n), "s")
    emotions = np.array(["calm", "anxious", "angry"], dtype=object)
    return pd.DataFrame(
        {
            "source": "demo",
            "customer_id": [f"c{i}" for i in range(n)],
            "member_id": [f"m{i}" for i in range(n)],
            "conversation_id": [f"cv{i}" for i in range(n)],
            "channel_id": "tmall",
            "started_at": started,
            "language": np.where(r.random(n) < 0.3, "en", "zh"),
            "emotion": r.choice(emotions, n) if emotion is None else emotion,
            "topic": r.choice(np.array(ASPECTS, dtype=object), n),
            "order_id": [f"o{i}" for i in range(n)],
        }
    )


def _incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": ["inc-mild", "inc-mid", "inc-severe"],
            "onset_at": [
                pd.Timestamp("2025-04-10 02:00"),
                pd.Timestamp("2025-05-20 12:30"),
                pd.Timestamp("2025-06-30 20:15"),
            ],
            "aspect": ["quality", "service", "safety"],
            "severity": [0.0, 0.5, 1.0],
            "platform": ["weibo", "xiaohongshu", "douyin"],
        }
    )


def _posts(seed: int = 0, volume: float = 40.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    return posts(np.random.default_rng(seed), start="2025-03-01", end="2025-09-01", daily_volume=volume,
                 incidents=_incidents(), brand="青禾", skus=["QHSK001-50", "QHAP005-M-BK"], start_id=1)  # fmt: skip


def _respondents(n: int, *, seed: int = 0) -> pd.DataFrame:
    r = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "source": "demo",
            "customer_id": [f"c{i}" for i in range(n)],
            "member_id": [f"m{i}" for i in range(n)],
            "responded_at": T0 + pd.to_timedelta(r.integers(0, 86_400 * 200, n), unit="s"),
            "channel_id": "tmall",
            "language": np.where(r.random(n) < 0.3, "en", "zh"),
            "satisfaction": r.uniform(0, 1, n),
        }
    )


Run = Callable[[int], tuple[pd.DataFrame, pd.DataFrame]]
RUNS: dict[str, Run] = {
    "reviews": lambda seed: reviews(np.random.default_rng(seed), _purchases(1500), start_id=1),
    "cs_messages": lambda seed: cs_messages(np.random.default_rng(seed), _conversations(300), start_id=1),
    "posts": lambda seed: _posts(seed, volume=10.0),
    "nps_responses": lambda seed: nps(np.random.default_rng(seed), _respondents(800), start_id=1),
}


# -- contract ---------------------------------------------------------------------------------


@pytest.mark.parametrize("table", list(RUNS))
def test_same_generator_state_gives_the_same_rows_and_another_state_other_rows(table: str) -> None:
    rows, truth = RUNS[table](7)
    again_rows, again_truth = RUNS[table](7)
    pd.testing.assert_frame_equal(rows, again_rows)
    pd.testing.assert_frame_equal(truth, again_truth)
    other, _ = RUNS[table](8)
    text = "comment" if table == "nps_responses" else "text"
    assert set(other[text].dropna()) != set(rows[text].dropna())


@pytest.mark.parametrize("table", list(RUNS))
def test_rows_have_exactly_the_canonical_columns_and_types(table: str) -> None:
    rows, _ = RUNS[table](1)
    declared = TABLES[table]
    assert list(rows.columns) == list(declared.names)
    for column in declared.columns:
        series = rows[column.name]
        values = series.dropna()
        if column.required:
            assert series.notna().all(), column.name
        if column.type in (ColumnType.ID, ColumnType.STRING, ColumnType.CODE):
            assert series.dtype == object, column.name
            assert values.map(type).eq(str).all(), column.name
        elif column.type is ColumnType.INTEGER:
            assert series.dtype == np.int64, column.name
        elif column.type is ColumnType.BOOLEAN:
            assert series.dtype == bool, column.name
        elif column.type is ColumnType.TIMESTAMP:
            assert series.dtype == np.dtype("datetime64[ns]"), column.name  # naive UTC
        if column.values:
            assert set(values) <= set(column.values), column.name
        if column.minimum is not None:
            assert (values >= column.minimum).all(), column.name
        if column.maximum is not None:
            assert (values <= column.maximum).all(), column.name
    con = duckdb.connect()
    con.execute(render(create_table(declared, system_columns=False)))
    con.register("frame", rows)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (len(rows),)


def test_empty_inputs_give_empty_frames_with_every_column() -> None:
    rng = np.random.default_rng(0)
    outputs = {
        "reviews": reviews(rng, _purchases(0), start_id=1),
        "cs_messages": cs_messages(rng, _conversations(0), start_id=1),
        "nps_responses": nps(rng, _respondents(0), start_id=1),
        "posts": posts(
            rng,
            start="2025-01-01",
            end="2025-02-01",
            daily_volume=0.0,
            incidents=_incidents().iloc[:0],
            brand="青禾",
            skus=[],
            start_id=1,
        ),
    }
    for table, (rows, truth) in outputs.items():
        assert rows.empty, table
        assert truth.empty, table
        assert list(rows.columns) == list(TABLES[table].names)


def test_truth_frames_name_every_row() -> None:
    review_rows, review_truth = RUNS["reviews"](2)
    assert list(review_truth.columns) == ["review_id", "sentiment", "score", "aspects"]
    assert review_truth["review_id"].tolist() == review_rows["review_id"].tolist()
    cs_rows, cs_truth = RUNS["cs_messages"](2)
    assert list(cs_truth.columns) == ["conversation_id", "message_id", "emotion", "escalation_expected"]
    assert cs_truth["message_id"].tolist() == cs_rows["message_id"].tolist()
    post_rows, post_truth = RUNS["posts"](2)
    assert list(post_truth.columns) == ["post_id", "sentiment", "incident_id"]
    assert post_truth["post_id"].tolist() == post_rows["post_id"].tolist()
    nps_rows, nps_truth = RUNS["nps_responses"](2)
    assert list(nps_truth.columns) == ["response_id", "score", "sentiment"]
    assert nps_truth["score"].tolist() == nps_rows["score"].tolist()


# -- reviews ----------------------------------------------------------------------------------


def test_review_ids_count_from_start_id_and_reviews_follow_their_orders() -> None:
    purchases = _purchases(500)
    rows, _ = reviews(np.random.default_rng(3), purchases, start_id=41)
    assert rows["review_id"].tolist() == [f"R{41 + i}" for i in range(len(rows))]
    ordered = purchases.set_index("order_id").loc[rows["order_id"], "ordered_at"].to_numpy()
    delay = (rows["created_at"].to_numpy() - ordered) / np.timedelta64(1, "D")
    assert delay.min() > 0.9
    assert np.median(delay) < 7


def test_strong_feelings_and_planted_problems_make_reviews_more_likely() -> None:
    rate = {}
    for name, mood, issue in (("indifferent", 0.0, None), ("delighted", 0.9, None), ("annoyed", 0.0, "quality")):
        rows, _ = reviews(np.random.default_rng(4), _purchases(3000, mood=mood, issue=issue), start_id=1)
        rate[name] = len(rows) / 3000
    assert rate["indifferent"] < 0.2 < rate["delighted"]
    assert rate["annoyed"] > rate["indifferent"] + 0.25


@pytest.mark.parametrize(("mood", "expected"), [(-0.9, "negative"), (0.9, "positive")])
def test_review_sentiment_follows_mood_with_some_noise(mood: float, expected: str) -> None:
    _, truth = reviews(np.random.default_rng(5), _purchases(4000, mood=mood, issue=None), start_id=1)
    share = (truth["sentiment"] == expected).mean()
    assert 0.85 < share < 0.995  # mostly as the mood says, but not always


def test_score_has_the_sign_of_the_sentiment_and_stars_follow_it() -> None:
    rows, truth = reviews(np.random.default_rng(6), _purchases(4000), start_id=1)
    sign = np.sign(truth["score"]).map({-1.0: "negative", 0.0: "neutral", 1.0: "positive"})
    polar = truth["sentiment"] != "neutral"
    assert (sign[polar] == truth["sentiment"][polar]).all()
    assert truth["score"][~polar].abs().max() <= 0.25
    stars = rows["rating"].groupby(truth["sentiment"]).mean()
    assert stars["positive"] > stars["neutral"] > stars["negative"] + 1
    assert not (rows["rating"] == truth["sentiment"].map({"negative": 1, "neutral": 3, "positive": 5})).all()


CUES = {
    "zh": {
        "logistics": "物流 物留 快递 发货 到货 送 到了 收到 签收 驿站 丢件 顺丰 中通 圆通 韵达 邮政 极兔 申通 配送 "
        "次日达 隔天 等了 才到",
        "quality": "质量 质 做工 作工 坏 假 品质 效果 用 面料 线 色差 起球 掉色 缩水 显色 持妆 卡粉 "
        "脱妆 泡沫 洗 吸收 油腻 拔干 搓泥 味道 垃圾 货不对板 正品 细节 黏腻 留香 好 差",
        "price": "价 贵 便宜 降价 划算 性价比 实惠 智商税 值 块 抢钱 打折",
        "service": "客服 店家 商家 卖家 掌柜 回复 态度",
        "packaging": "包装 包庄 盒 漏 压 封口 破 塑料袋 瓶 洒 外箱 坏",
        "size": "码 尺 大 小 合身 分量 容量 满 紧 长 规格 穿不上 毫升 一半",
        "safety": "成分 过敏 孕 刺激 刺痛 红 痒 味 安全 放心 酒精 激素 烂脸 闷痘 闭口 不适 甲醛 疹 掉色 皮 痘 掉发 "
        "头皮",
        "after_sales": "售后 退 换 补发 运费 取件 无理由 电话",
    },
    "en": {
        "logistics": "ship deliver arriv package parcel order tracking late carrier rain warehouse",
        "quality": "quality made broke cheap knockoff defective work fabric stitch pill fade shade crease absorb skin "
        "smell greasy flimsy apart sticky underwhelming wearing didn't do much as good dollar nothing copy",
        "price": "price value money overpriced pricey sale cheaper rip-off worth dropped",
        "service": "service seller support store rep replied rude help",
        "packaging": "packag box bottle leak seal crush dent wrap parcel damaged",
        "size": "size fit small large tight tiny sleeve jar sizing",
        "safety": "rash irritat smell chemical skin hives gentle ingredient break burn sting alcohol fragrance safe "
        "dandruff",
        "after_sales": "return refund replacement exchange",
    },
}


@pytest.mark.parametrize("aspect", ASPECTS)
def test_a_planted_problem_is_a_negative_aspect_in_the_truth_and_in_the_words(aspect: str) -> None:
    rows, truth = reviews(np.random.default_rng(7), _purchases(1500, issue=aspect, en_share=0.5), start_id=1)
    assert truth["aspects"].map(lambda found: {"aspect": aspect, "polarity": "negative"} in found).all()
    for language, cues in CUES.items():
        words = cues[aspect].split()
        texts = rows.loc[rows["language"] == language, "text"].str.lower()
        said = texts.map(lambda t: any(w in t or to_traditional(w) in t for w in words))  # noqa: B023
        assert said.mean() > 0.9, (language, texts[~said].head(5).tolist())


def test_the_same_words_always_carry_the_same_label() -> None:
    rows, truth = reviews(np.random.default_rng(8), _purchases(40_000), start_id=1)
    labels = truth.assign(text=rows["text"], aspects=truth["aspects"].map(repr))
    repeated = labels[labels.duplicated("text", keep=False)]
    assert len(repeated) > 50  # short reviews repeat (好评, Love it), as in real data
    assert (repeated.groupby("text")["sentiment"].nunique() == 1).all()
    assert (repeated.groupby("text")["aspects"].nunique() == 1).all()


def test_chinese_titles_are_rare_and_english_titles_common() -> None:
    rows, _ = reviews(np.random.default_rng(9), _purchases(4000, en_share=0.5), start_id=1)
    titled = rows["title"].notna().groupby(rows["language"]).mean()
    assert titled["zh"] < 0.1 < 0.6 < titled["en"]


def test_reviews_are_varied_and_sometimes_rough() -> None:
    rows, _ = reviews(np.random.default_rng(10), _purchases(40_000), start_id=1)
    sample = rows["text"].head(10_000)
    assert sample.nunique() / len(sample) >= 0.9
    zh = rows.loc[rows["language"] == "zh", "text"]
    trigrams = {t[i : i + 3] for t in zh.head(5000) for i in range(len(t) - 2)}
    assert len(trigrams) > 15_000
    lengths = zh.str.len()
    assert lengths.min() <= 4
    assert lengths.quantile(0.95) >= 50
    traditional = zh.str.contains("[這們還質買東實]")
    assert 0.005 < traditional.mean() < 0.08
    emoji = rows["text"].str.contains("[\U0001f300-\U0001faff]|\\[[\u4e00-\u9fff]{1,2}\\]")
    assert 0.03 < emoji.mean() < 0.3
    assert zh.str.contains("亲|宝贝|绝绝子|踩雷|回购|yyds|姐妹").mean() > 0.05


def test_a_bag_of_words_model_cannot_score_perfectly_from_memorised_words() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    rows, truth = reviews(np.random.default_rng(11), _purchases(40_000, en_share=0.0, issue=None), start_id=1)
    polar = truth["sentiment"] != "neutral"
    texts, labels = rows["text"][polar].head(8000).tolist(), (truth["sentiment"][polar] == "positive").head(8000)
    train_x, test_x, train_y, test_y = train_test_split(texts, labels, test_size=0.25, random_state=0)
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=4, solver="liblinear").fit(vectoriser.fit_transform(train_x), train_y)
    accuracy = model.score(vectoriser.transform(test_x), test_y)
    assert 0.8 < accuracy < 0.975  # the words carry the label, but not as a handful of memorised tokens


# -- customer service -------------------------------------------------------------------------


def test_conversations_alternate_turns_and_keep_time_order() -> None:
    rows, _ = cs_messages(np.random.default_rng(12), _conversations(600), start_id=5)
    assert rows["message_id"].iloc[0] == "M5"
    for _, conversation in rows.groupby("conversation_id"):
        senders = conversation["sender"].tolist()
        assert 2 <= len(senders) <= 12
        assert senders[0] == "customer"
        assert all((s == "customer") == (i % 2 == 0) for i, s in enumerate(senders))
        assert conversation["sent_at"].is_monotonic_increasing
        assert conversation.loc[conversation["sender"] == "agent", "agent_id"].nunique() == 1
    assert rows.loc[rows["sender"] != "agent", "agent_id"].isna().all()


def test_agents_answer_more_slowly_at_night() -> None:
    gaps = {}
    for name, hour in (("day", 3), ("night", 18)):  # 11:00 and 02:00 shop time
        rows, _ = cs_messages(np.random.default_rng(13), _conversations(400, hour=hour), start_id=1)
        gap = rows.groupby("conversation_id")["sent_at"].diff().dt.total_seconds()
        gaps[name] = gap[rows["sender"] == "agent"].median()
    assert gaps["day"] < 60 < gaps["night"]


ANGRY = re.compile(
    "投诉|差评|12315|骗|举报|消协|曝光|态度|破东西|过分|主管|解决|怎么回事|好欺负|有没有人管|做生意|服了|"
    "complaint|one-star|scam|bank|report|unacceptable|ridiculous|manager|kidding|sick of|care",
    re.IGNORECASE,
)
ANXIOUS = re.compile(
    "在吗|急|快点|多久|担心|怎么还|有人吗|人呢|拜托|？？|要用|赶紧|怎么办|"
    "hurry|worried|urgent|\\?\\?|anyone|still|how much longer|need it|is that okay|should i be",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("emotion", "pattern"), [("angry", ANGRY), ("anxious", ANXIOUS)])
def test_upset_customers_say_so_and_calm_ones_do_not(emotion: str, pattern: re.Pattern[str]) -> None:
    rows, truth = cs_messages(np.random.default_rng(14), _conversations(400, emotion=emotion), start_id=1)
    customer = rows[rows["sender"] == "customer"]
    first = customer.groupby("conversation_id")["text"].first()
    assert first.map(lambda t: bool(pattern.search(t))).mean() > 0.85
    calm_rows, _ = cs_messages(np.random.default_rng(14), _conversations(400, emotion="calm"), start_id=1)
    calm_customer = calm_rows.loc[calm_rows["sender"] == "customer", "text"]
    assert calm_customer.map(lambda t: bool(ANGRY.search(t) and re.search("投诉|差评|12315|骗子", t))).mean() == 0
    said = truth.loc[rows["sender"].eq("customer").to_numpy(), "emotion"]
    assert set(said) <= {emotion, "calm"}
    assert (said == emotion).mean() > 0.7
    assert truth.loc[rows["sender"].ne("customer").to_numpy(), "emotion"].isna().all()


def test_escalation_is_expected_for_angry_and_repeatedly_anxious_customers_only() -> None:
    rows, truth = cs_messages(np.random.default_rng(15), _conversations(900), start_id=1)
    emotion = rows["conversation_id"].map(_conversations(900).set_index("conversation_id")["emotion"])
    escalated = truth.groupby(emotion.to_numpy())["escalation_expected"].mean()
    assert escalated["calm"] == 0
    assert escalated["angry"] > 0.9
    assert 0.3 < escalated["anxious"] < 0.95
    flags = truth.groupby("conversation_id")["escalation_expected"].apply(lambda s: s.is_monotonic_increasing)
    assert flags.all()  # once a human should take over, it stays so


# -- posts ------------------------------------------------------------------------------------


def test_reposts_follow_their_parents_and_counts_add_up() -> None:
    rows, _ = _posts(16)
    parents = rows.set_index("post_id")
    reposts = rows[rows["parent_post_id"].notna()]
    assert reposts["parent_post_id"].isin(rows["post_id"]).all()
    assert (reposts["created_at"].to_numpy() > parents.loc[reposts["parent_post_id"], "created_at"].to_numpy()).all()
    direct = reposts["parent_post_id"].value_counts()
    assert (parents.loc[direct.index, "reposts"] >= direct).all()
    assert rows["created_at"].is_monotonic_increasing
    assert rows["created_at"].min() >= pd.Timestamp("2025-03-01")
    assert rows["created_at"].max() < pd.Timestamp("2025-09-01")


def test_incident_posts_cross_one_hundred_reposts_within_hours_and_background_mostly_not() -> None:
    rows, truth = _posts(17)
    incidents = _incidents().set_index("incident_id")
    crossing = {}
    for incident_id, incident in incidents.iterrows():
        mine = rows[truth["incident_id"].eq(incident_id).to_numpy()]
        root = mine[mine["parent_post_id"].isna()].iloc[0]
        assert truth.set_index("post_id").loc[root["post_id"], "sentiment"] == "negative"
        times = mine.loc[mine["parent_post_id"] == root["post_id"], "created_at"].sort_values()
        crossing[incident_id] = (times.iloc[99] - incident["onset_at"]) / pd.Timedelta(hours=1)
    assert max(crossing.values()) < 4
    assert crossing["inc-severe"] < crossing["inc-mid"] < crossing["inc-mild"]
    background = rows[truth["incident_id"].isna().to_numpy() & rows["parent_post_id"].isna().to_numpy()]
    assert (background["reposts"] <= 5).mean() > 0.8
    assert (background["reposts"] > 100).mean() < 0.01
    assert background["reposts"].max() > 10  # heavy-tailed: some posts travel
    assert set(background["platform"]) >= {"weibo", "xiaohongshu", "douyin"}
    sentiment = truth.loc[
        rows["parent_post_id"].isna().to_numpy() & truth["incident_id"].isna().to_numpy(), "sentiment"
    ]
    assert sentiment.value_counts(normalize=True)["negative"] < 0.2


def test_incident_posts_speak_of_their_problem() -> None:
    rows, truth = _posts(18)
    roots = rows[rows["parent_post_id"].isna().to_numpy() & truth["incident_id"].notna().to_numpy()]
    first = roots.groupby(truth.loc[roots.index, "incident_id"])["text"].first()
    assert re.search("红疹|过敏|皮炎|红|痒|烂脸|疙瘩", first["inc-severe"])
    assert re.search("客服", first["inc-mid"])
    assert all("青禾" in text for text in first)


# -- NPS --------------------------------------------------------------------------------------


def test_nps_scores_track_satisfaction_and_comments_agree_with_them() -> None:
    respondents = _respondents(3000)
    rows, truth = nps(np.random.default_rng(19), respondents, start_id=1)
    assert np.corrcoef(rows["score"], respondents["satisfaction"])[0, 1] > 0.8
    assert rows["response_id"].tolist()[:2] == ["N1", "N2"]
    band = np.where(rows["score"] >= 9, "positive", np.where(rows["score"] >= 7, "neutral", "negative"))
    assert (truth["sentiment"] == band).all()
    commented = rows["comment"].notna()
    assert 0.25 < commented.mean() < 0.7
    detractor_words = re.compile(
        "慢|差|不|失望|贵|破|过敏|一般|wouldn't|never|poor|disappoint|slow|unresponsive|"
        "damaged|reaction|so-so|high prices|sizing|坏|久|ignored|couldn't",
        re.IGNORECASE,
    )
    said = rows.loc[commented & (truth["sentiment"] == "negative"), "comment"]
    assert said.map(lambda t: bool(detractor_words.search(t))).mean() > 0.9


def test_nps_keeps_a_given_touchpoint() -> None:
    respondents = _respondents(200).assign(touchpoint="store_visit")
    rows, _ = nps(np.random.default_rng(20), respondents, start_id=1)
    assert (rows["touchpoint"] == "store_visit").all()


# -- hygiene ----------------------------------------------------------------------------------

PII = [re.compile(p) for p in (TEXT_PHONE, TEXT_ID, TEXT_EMAIL, TEXT_CARD)] + [
    re.compile(r"\d{7,}"),  # no long digit runs at all
    re.compile(r"[\w.+-]+@[\w-]+\.\w+"),
    re.compile(r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"),
]


def test_no_text_holds_a_phone_number_id_number_or_email() -> None:
    texts: list[str] = []
    for table, run in RUNS.items():
        rows, _ = run(21)
        column = "comment" if table == "nps_responses" else "text"
        texts += rows[column].dropna().tolist()
        if table == "reviews":
            texts += rows["title"].dropna().tolist()
    found = [t for t in texts if any(p.search(t) for p in PII)]
    assert found == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_vocabularies_compile_with_every_aspect_and_level(kind: str, language: str) -> None:
    g = grammar(kind, language)
    assert g.sizes()["templates"] > 10
    if kind == "reviews":
        for aspect in ASPECTS:
            for level in range(-2, 3):
                assert g.has_key(f"{aspect}:{level:+d}")


def test_every_chinese_character_of_the_vocabularies_has_its_traditional_form() -> None:
    opencc = pytest.importorskip("opencc")
    converter = opencc.OpenCC("s2t")
    characters = set()
    texts = [w for words in (*_PRODUCT_ZH.values(), *_L3_ZH.values()) for w in words]
    texts += [wrong for _, wrong in ZH_TYPOS]
    for kind in KINDS:
        g = grammar(kind, "zh")
        texts += [*g.templates, *g._values.tolist()]
    for text in texts:
        characters |= {c for c in text if "\u4e00" <= c <= "\u9fff"}
    missing = sorted(
        c for c in characters if converter.convert(c) != c and to_traditional(c) == c and c not in UNCHANGED
    )
    assert missing == []
