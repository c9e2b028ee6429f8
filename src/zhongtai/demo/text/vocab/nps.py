"""NPS comments in Chinese and English, by band (detractor 0–6, passive 7–8, promoter 9–10) and touchpoint.

Touchpoints are the grammar's families: after a delivery people talk about the parcel, after a
service contact about the agent, at a store about the staff.
"""

from __future__ import annotations

__all__ = ["EN", "FAMILY_EN", "FAMILY_ZH", "SLOTS_EN", "SLOTS_ZH", "ZH"]

SLOTS_ZH: dict[str, tuple[str, ...]] = {
    "good": ("东西好用", "质量不错", "物流快", "客服耐心", "性价比高", "包装用心", "成分安心", "售后省心"),
    "bad": ("物流太慢", "质量一般", "客服不回消息", "价格偏贵", "包装破损", "尺码不准", "用了过敏", "退款太慢"),
    "meh": ("整体还行", "中规中矩", "还可以", "没什么特别的", "一般"),
    "good2": ("会员活动多", "款式好看", "正品有保障", "赠品很贴心", "上新快"),
    "bad2": ("活动规则太复杂", "赠品缩水了", "发票开得慢", "换货流程麻烦", "会员权益少"),
}  # fmt: skip
ZH: dict[str, tuple[str, ...]] = {
    "nps:+": ("{good}，已经推荐给朋友了", "{good}，{good2}，会一直回购", "非常满意，{good}", "很喜欢，推荐",
              "{good}，好评",
              "整体体验很好，{good}"),
    "nps:0": ("{meh}，{good}但是{bad}", "{meh}吧", "{good}，就是{bad}", "{meh}，希望{bad}的问题能改进",
              "还行，看情况再买"),
    "nps:-": ("{bad}，不会推荐", "{bad}，{bad2}，很失望", "体验很差，{bad}", "{bad}，不会再买了", "不推荐，{bad}"),
}  # fmt: skip
FAMILY_ZH: dict[str, dict[str, tuple[str, ...]]] = {
    "after_service": {
        "nps:+": ("客服解决问题很快", "客服小姐姐很耐心", "售后处理得很及时，{good}"),
        "nps:0": ("客服态度还行，就是处理得慢", "问题解决了，但是过程有点麻烦"),
        "nps:-": ("客服解决不了问题", "客服态度太差", "找了三次客服都没解决，{bad}"),
    },
    "store_visit": {
        "nps:+": ("店员很热情，试用体验很好", "门店环境很好，{good}"),
        "nps:0": ("门店还可以，就是人有点多",),
        "nps:-": ("店员爱答不理，体验很差", "门店排队太久，不推荐"),
    },
    "after_delivery": {
        "nps:+": ("收到很快，包装完好", "{good}，到货也快"),
        "nps:0": ("到货还行，{bad}",),
        "nps:-": ("等了好久才到，盒子还压坏了", "{bad}，到货还慢"),
    },
}

SLOTS_EN: dict[str, tuple[str, ...]] = {
    "good": ("great products", "fast shipping", "helpful support", "good value", "nice packaging", "gentle formulas"),
    "bad": ("slow shipping", "so-so quality", "unresponsive support", "high prices", "damaged packaging",
            "sizing issues", "a skin reaction", "slow refunds"),
    "good2": ("lots of member perks", "pretty designs", "genuine products", "thoughtful free samples"),
    "bad2": ("confusing promotions", "smaller free gifts", "a clunky return process", "few member perks"),
}  # fmt: skip
EN: dict[str, tuple[str, ...]] = {
    "nps:+": ("Love it, {good}", "{good} and {good2}, already told my friends", "Great experience overall",
              "Would recommend"),
    "nps:0": ("It's fine, {good} but {bad}", "Okay overall", "Decent, though {bad}",
              "Not bad, but please fix the {bad}"),
    "nps:-": ("{bad}, wouldn't recommend", "Disappointed: {bad}", "{bad} and {bad2}, never again", "Poor experience"),
}  # fmt: skip
FAMILY_EN: dict[str, dict[str, tuple[str, ...]]] = {
    "after_service": {"nps:+": ("The agent fixed my problem quickly",), "nps:-": ("Support couldn't solve anything",)},
    "store_visit": {"nps:+": ("Friendly staff at the store",), "nps:-": ("Staff at the store ignored me",)},
}
