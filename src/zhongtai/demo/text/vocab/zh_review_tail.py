"""The long tail of Chinese reviews: opinions stated as facts, details, less common phrasings.

同事都问我要链接 praises and 穿了一次就开线了 complains without a single 好 or 差; 颜色选的雾霾蓝 and
买的五十毫升 say nothing at all. They keep a model from scoring by a few memorised words. Keys are
those of :mod:`zh_review_aspects` and :mod:`zh_review_frame`; the lexicon appends these templates
after theirs, so they are drawn less often, as rarer phrasings are.
"""

from __future__ import annotations

__all__ = ["FAMILY_TEMPLATES", "SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "colour": ("雾霾蓝", "卡其色", "黑色", "白色", "奶白色", "燕麦色", "焦糖色", "藏青色", "浅灰色", "杏色",
               "牛油果绿"),
    "shade": ("01号", "02号", "03号", "豆沙色", "枫叶红", "奶茶色", "正红色", "自然色", "象牙白", "小麦色"),
    "volume": ("五十毫升的", "三十毫升的", "大瓶装", "旅行装", "两瓶装", "家庭装", "一百毫升的", "套装"),
    "count": ("两", "三", "四", "五", "好几"),
    "when": ("周一", "周三晚上", "凌晨", "下班路上", "午休的时候", "周末", "半夜", "上周五", "前天晚上"),
    "where": ("办公室", "家里", "宿舍", "健身房", "出差的酒店", "车上"),
    "compliment": ("同事都问我要链接", "闺蜜说我最近气色好", "被夸了好几次", "老公都说好看", "室友也跟着买了",
                   "回头率挺高", "朋友以为是专柜买的"),
    "insult": ("像地摊货", "像睡衣", "跟几十块的东西一样", "像大妈穿的", "闻着像胶水", "像过期的"),
    "bad_event": ("坏了", "裂了", "不能用了", "掉了一块", "开胶了", "漏了", "卡住了"),
    "good_state": ("还跟新的一样", "一点问题都没有", "没出过毛病", "好好的", "越用越顺手"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "logistics:+2": ("{when}下的单，第二天中午就拿到了", "刚付款没一会儿就显示发货了", "比{store}自提还快",
                     "快递小哥直接送到{where}门口"),
    "logistics:+1": ("{when}下单，三天到", "包裹放在了驿站，取件挺方便", "按时送到了"),
    "logistics:-1": ("{when}下单，过了{days_slow}才到", "包裹在中转站停了两天", "快递放驿站了，自己跑去拿的"),
    "logistics:-2": ("{when}下的单，物流到现在还是已揽件", "快递显示签收了，{where}根本没有",
                     "包裹被退回去了，又等了{days_slow}",
                     "联系快递三次都说在路上"),
    "quality:+2": ("{compliment}", "用了{period}{good_state}", "{person}用了也说好，已经买第{count}次了",
                   "买了{count}个颜色，每个都喜欢", "天天用，{good_state}"),
    "quality:+1": ("用了{period}，{good_state}", "{person}说还可以", "和上次买的一样，没变"),
    "quality:+0": ("和上次买的差不多", "拿到手就是普通的样子", "跟描述的差不多，也没什么亮点"),
    "quality:-1": ("比上次买的差了一点", "用了{period}就有点松了", "{person}说一般，不太愿意用"),
    "quality:-2": ("{person}说{insult}", "用了{count}天就{bad_event}", "拿到手就{bad_event}", "{insult}，{anger}",
                   "跟上次买的完全不是一个东西"),
    "price:+2": ("{sale}买{count}送一，算下来一瓶没多少钱", "用了券比平时便宜一大截", "同样的东西{store}要贵一倍"),
    "price:-2": ("买完没几天就在直播间看到更便宜的", "付完款第二天就降价，找客服只给了五块券",
                 "{store}打完折比这里便宜多了"),
    "service:+2": ("凌晨问的问题客服也秒回", "客服帮我查了半天尺码，很有耐心", "{staff}主动打电话来问用得怎么样"),
    "service:-2": ("问了{count}次同一个问题，{staff}每次都复制粘贴", "{staff}回了一句“亲亲稍等”就没下文了"),
    "packaging:+2": ("拆快递拆了五分钟，包得太严实了", "盒子上还有手写的小卡片", "每一瓶都单独套了气泡袋"),
    "packaging:-2": ("拆开箱子里全是漏出来的液体", "连个气泡膜都没有，瓶身全是划痕",
                     "外箱湿透了，里面的说明书都泡烂了"),
    "size:+1": ("大小和描述的一样",),
    "size:-1": ("比想象中小一圈",),
    "after_sales:+2": ("申请退货当天就有人上门取件", "退款比我想象的快，两天就到账了", "换货寄回去第二天新的就发出了"),
    "after_sales:-2": ("退货寄回去{days_slow}了还显示待处理", "申请退款被驳回了{count}次",
                       "寄回去的东西说没收到，物流明明显示签收了"),
    "overall:+2": ("已经推荐给身边好几个人了", "用完这瓶还会接着买", "这次是真的买对了", "后悔没早点买",
                   "{sisters}闭眼冲", "无脑回购", "{product}是真的可以", "强推", "这次太值了"),
    "overall:+1": ("还会考虑再买", "这个价位能买到这样的算不错了", "总的来说是满意的", "{product}还是可以的",
                   "总体挺好",
                   "基本满意"),
    "overall:+0": ("用完再看要不要回购", "好不好用因人而异吧", "和我之前用的差不多"),
    "overall:-1": ("用完这瓶就不买了", "下次会考虑别的牌子", "不会推荐给朋友", "{product}一般般，不推荐",
                   "还是有点失望的", "感觉不值"),
    "overall:-2": ("用了一次就扔了", "已经卸载这个店了", "钱就当打水漂了", "第一次给差评，真的忍不了",
                   "{sisters}千万别买",
                   "真的会谢", "一星都不想给", "谁买谁知道"),
    "usage": ("{when}收到的，当天就用上了", "一般放在{where}", "这是第{count}次买了", "{when}拆的快递"),
    "info": ("{when}收到的，还没拆", "帮{person}买的，还没用", "放在{where}备用，还没开"),
    "opener": (
        "在{store}试过才来网上买的", "等了好久终于补货了", "之前用完了一直没买，这次{sale}补上", "冲着品牌买的",
        "看了好多测评才决定的", "这是给{person}的生日礼物", "搬家后换的新的", "第{count}次下单了", "被{person}安利的",
        "趁着{sale}一口气买了{count}件", "本来想在{store}买，结果这里便宜", "新手第一次买", "老粉了，支持一下",
        "{when}刷到的，顺手就买了", "纠结了好几天才下单", "之前的用完了，续上",
    ),
    "closing:+": ("已经加购物车准备再买", "下次活动还来", "{person}也想要，再买一个", "给个好评鼓励一下",
                  "好物分享给大家"),
    "closing:0": ("用完再来补充", "先这样，后面再说", "有变化再来追评"),
    "closing:-": ("希望商家改进吧", "就当花钱买教训了", "给后来的人提个醒", "大家自己斟酌", "不想多说了"),
}  # fmt: skip

FAMILY_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "personal_care": {"usage": ("买的{volume}",), "size:+1": ("买的{volume}，够用很久",)},
    "skincare": {
        "usage": ("买的{volume}",),
        "info": ("收到的是{volume}，还没开封",),
        "size:+1": ("买的{volume}，够用很久",),
        "size:-1": ("买的{volume}，比想象中小一圈",),
        "quality:+2": ("用了{period}，{person}说我皮肤变好了", "熬夜第二天脸也不暗", "化妆前用了一点都不卡粉"),
        "quality:-2": ("用了{count}天脸上冒了好几颗痘", "泵头按不出来，只能拧开倒", "放了几天就油水分离了"),
    },
    "apparel": {
        "usage": ("颜色选的{colour}", "买了{count}件换着穿"),
        "info": ("颜色选的{colour}，还没穿",),
        "size:+1": ("颜色选的{colour}，大小正合适",),
        "size:-1": ("拍的M，收到像S",),
        "quality:+2": ("穿出去被夸了好几次", "洗了{count}次还和新的一样", "颜色选的{colour}，特别显白"),
        "quality:-2": ("穿了一次就开线了", "洗了一次缩成童装了", "拉链拉了两次就坏了", "扣子第一天就掉了"),
        "size:+2": ("平时穿M，这次也是M，刚刚好", "宽松款也不显胖"),
        "size:-2": ("平时穿L，这个L腰都扣不上", "袖子长出一大截"),
    },
    "makeup": {
        "usage": ("色号选的{shade}",),
        "quality:+2": ("色号选的{shade}，黄皮也能涂", "吃完饭嘴上还有颜色"),
        "quality:-2": ("色号选的{shade}，上嘴完全是另一个颜色", "出门一小时就全花了"),
    },
}
