"""Chinese social posts about the brand: everyday mentions, incident posts and repost comments.

Families are platforms (小红书 notes, 微博 with #话题#, 抖音 with 家人们, B站, 知乎). ``{brand}`` is
filled by the caller. ``incident:<aspect>`` posts are the ones a crisis starts from: a concrete,
angry account that asks to be passed on (求扩散); ``echo:<aspect>`` are other people's own
complaints once the story spreads.
"""

from __future__ import annotations

__all__ = ["FAMILY_TEMPLATES", "SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "item": ("新品", "这款", "这个系列", "明星单品", "经典款", "新出的那款", "爆款"),
    "pos_detail": ("用了一个月皮肤稳定了很多", "质地很舒服", "颜值和质量都在线", "性价比很高", "包装很用心",
                   "客服态度超好", "物流也快", "上身效果绝了", "回购好几次了", "成分很安心", "味道很好闻",
                   "敏感肌也能用", "孕期也在用"),
    "neg_detail": ("用着一般般", "感觉不值这个价", "客服回复有点慢", "物流太慢了", "有点踩雷", "尺码不太准",
                   "包装有点简陋", "效果没有宣传的那么好"),
    "hashtag_pos": ("#好物分享#", "#护肤日常#", "#今日穿搭#", "#宝藏好物#", "#平价好物#", "#回购清单#", ""),
    "hashtag_neu": ("#求推荐#", "#购物分享#", "#日常#", ""),
    "emo_pos": ("✨", "😍", "💕", "👍", "🥰", "[赞]", "[心]", ""),
    "emo_neg": ("😡", "😤", "💢", "[怒]", "[失望]", "🙄", ""),
    "kid": ("孩子", "宝宝", "我家娃", "女儿", "儿子"),
    "hurt": ("脸上起了一片红疹", "过敏得眼睛都肿了", "皮肤又红又痒", "烂脸了", "起了好多小疙瘩"),
    "spread": ("求扩散", "大家避雷", "转发让更多人看到", "希望大家引以为戒", "帮帮孩子", "求转发", "别再有人上当了"),
    "demand": ("必须给个说法", "至今没有任何回应", "客服只会说抱歉", "只会踢皮球", "拒绝退款", "让我等通知"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "post:+": (
        "{brand}的{item}真的绝了{emo_pos} {pos_detail} {hashtag_pos}", "回购{brand}第三次了，{pos_detail}{emo_pos}",
        "被{brand}种草了，{pos_detail}", "今天收到{brand}的快递，{pos_detail}{emo_pos}",
        "安利一下{brand}，{pos_detail}",
        "{brand}这次的{item}好评，{pos_detail}", "终于买到{brand}的{item}了，{pos_detail}{emo_pos}",
    ),
    "post:0": (
        "有人用过{brand}的{item}吗？求测评", "{brand}和别家比哪个好？{hashtag_neu}", "{brand}最近是在搞活动吗",
        "{brand}上新了，有人冲吗", "路过{brand}的门店进去逛了逛", "{brand}直播间今晚有福利？",
        "纠结要不要入{brand}的{item}",
        "{brand}的{item}适合敏感肌吗", "{brand}双十一会打折吗",
    ),
    "post:-": (
        "{brand}的东西越来越贵了", "{brand}客服回复好慢", "有点踩雷，{brand}的{item}不太适合我{emo_neg}",
        "{brand}这次{neg_detail}", "感觉{brand}{neg_detail}，不会回购了",
    ),
    # -- incidents: the post a crisis starts from, per aspect ---------------------------------
    "incident:quality": (
        "{brand}的{item}用了两天就坏了，找客服{demand}，这就是大牌品质？{spread}{emo_neg}",
        "买了{brand}的{item}，收到一闻味道就不对，怀疑是假货，{brand}{demand}！{spread}",
        "#{brand}质量问题# 一批货全是次品，{brand}{demand}，{spread}",
    ),
    "incident:safety": (
        "给{kid}用了{brand}的{item}，{hurt}，去医院说是接触性皮炎，{brand}{demand}！{spread}",
        "{brand}宣传孕妇可用，我用完{hurt}，成分表和宣传根本不一样，{spread}{emo_neg}",
        "#{brand}过敏# 我和好几个宝妈用了都{hurt}，{brand}{demand}，{spread}",
    ),
    "incident:logistics": (
        "{brand}大促的单拖了半个月还没发货，{demand}，{spread}", "{brand}发货一拖再拖，问就是等通知，{spread}{emo_neg}",
    ),
    "incident:packaging": (
        "{brand}发来的瓶子全漏了，封口还有被拆过的痕迹，卖二手货？{brand}{demand}，{spread}",
        "收到{brand}的快递一箱子全是碎的，{demand}，{spread}",
    ),
    "incident:price": (
        "{brand}大促前偷偷涨价再打折，这就是你们的优惠？{spread}{emo_neg}",
        "刚在{brand}买完第二天便宜一半，价保也不给，{demand}，{spread}",
    ),
    "incident:service": (
        "{brand}客服辱骂顾客，聊天记录都在图里，大家评评理，{spread}{emo_neg}",
        "{brand}客服态度恶劣，说我是职业差评师，{demand}，{spread}",
    ),
    "incident:size": (
        "{brand}的尺码表完全不准，退换还要自己出运费，{demand}，{spread}",
        "{brand}的衣服尺码乱标，一整单都穿不上，{spread}",
    ),
    "incident:after_sales": (
        "{brand}拒绝退款拖了一个月，{demand}，{spread}{emo_neg}", "{brand}售后踢皮球，打了十几次电话没人管，{spread}",
    ),
    "echo": (
        "我也遇到了同样的问题，{brand}{demand}", "原来不止我一个，{brand}这次真的过分了",
        "看到热搜才知道，我家的也是这样",
        "同款问题，已经投诉了", "{brand}出来道歉！", "已退货，再也不买{brand}了",
    ),
    # -- repost comments --------------------------------------------------------------------
    "repost:+": ("同款好用", "种草了", "求链接", "真的好用", "我也在用，确实不错", "码住", "马上去买"),
    "repost:0": ("转发微博", "mark", "转发", "蹲一个", "码", "看看", "已转", "路过"),
    "repost:-": ("确实一般", "我也觉得不值", "同感", "还好没买", "踩过雷+1"),
    "repost_incident:-": (
        "太可怕了吧", "还好我没买", "{brand}出来解释一下", "已退货", "避雷！", "同款问题", "给孩子用的东西也敢这样？",
        "求扩散", "心疼博主", "我也是！", "已拉黑", "必须严查", "看得我好气", "这还怎么信", "怪不得我用了也过敏",
        "{brand}给个说法", "再也不买了", "心疼孩子",
    ),
    "repost_incident:0": ("转发", "蹲后续", "吃瓜", "mark一下", "等官方回应", "真的假的", "坐等反转"),
}  # fmt: skip

FAMILY_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "xiaohongshu": {
        "post:+": (
            "姐妹们！{brand}这款{item}真的绝绝子{emo_pos} {pos_detail}～{hashtag_pos}",
            "无广｜{brand}{item}真实测评：{pos_detail}{emo_pos}",
            "{brand}空瓶记录，{pos_detail} {hashtag_pos}",
        ),
        "post:0": ("求问姐妹们{brand}的{item}值得入吗", "{brand}和别家的{item}怎么选？"),
        "post:-": ("避雷｜{brand}的{item}{neg_detail}{emo_neg}", "真实踩雷，{brand}{neg_detail}"),
    },
    "weibo": {
        "post:+": ("#{brand}# {pos_detail}，推荐", "今天的快乐是{brand}给的{emo_pos}"),
        "post:0": ("#{brand}# 有人知道新品什么时候上吗", "{brand}官宣新代言人了？"),
        "repost:0": ("//转发微博", "转发微博", "//"),
    },
    "douyin": {
        "post:+": ("家人们，{brand}这个{item}真的可以冲，{pos_detail}", "直播间抢到{brand}的{item}了，{pos_detail}"),
        "post:0": ("家人们谁懂啊，{brand}的{item}到底好不好用", "{brand}直播间几点开播？"),
    },
    "bilibili": {"post:0": ("up主测评了{brand}的{item}，数据很详细", "{brand}成分党测评来了")},
    "zhihu": {
        "post:0": ("如何评价{brand}这个品牌？", "{brand}的{item}值得买吗？"),
        "post:+": ("谢邀，用了一年{brand}，{pos_detail}",),
    },
}
