"""Chinese review clauses about one aspect at one level (-2 … +2), generic and per category family.

Negation is part of the data, not a trick of the renderer: 不太满意 and 没有想象中好 are mild
complaints, 不油腻 / 没有色差 / 一点都不慢 are praise, so a model must read the words around 不.
"""

from __future__ import annotations

__all__ = ["FAMILY_SLOTS", "FAMILY_TEMPLATES", "SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "fast": ("快", "迅速", "给力", "神速"),
    "pack_good": ("精美", "用心", "严实", "高级", "仔细", "结实", "有质感"),
    "damage": ("压扁了", "破了个洞", "湿了一大片", "压坏了", "变形了", "破破烂烂的"),
    "leak": ("漏了", "洒了一半", "漏得到处都是", "瓶盖都裂了", "泵头断了"),
    "staff": ("客服", "客服小姐姐", "客服小哥哥", "店家", "商家", "卖家", "掌柜"),
    "service_good": ("耐心", "热情", "专业", "贴心", "负责", "有耐心", "nice"),
    "service_bad": ("差", "冷淡", "敷衍", "不耐烦", "傲慢", "不专业"),
    "return_act": ("退货", "换货", "退款", "补发", "换新"),
    "price_good": ("实惠", "划算", "美丽", "良心", "便宜", "亲民"),
    "bad_quality": ("质量差", "做工粗糙", "质量一言难尽", "质量堪忧", "做工很差"),
    "fake": ("假货", "假的", "高仿", "不是正品", "三无产品"),
    "amount": ("三十", "二十", "五十", "四十多", "二三十", "将近一百", "好几十"),
    "wait_act": ("发货", "回复", "处理", "退款到账", "补发"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    # -- 物流 logistics ----------------------------------------------------------------------
    "logistics:+2": (
        "物流{very}{fast}", "{days_fast}", "{courier}{very}快，{days_fast}", "发货速度{very}快，{days_fast}",
        "物流神速", "快递速度杠杠的", "{courier}小哥{very}负责，还送货上门", "{days_fast}，{courier}{very}给力",
        "物流快到飞起", "下单没多久就收到了，{very}快", "发货超级及时，物流也快", "物流快得出乎意料",
        "快递一点都不慢，{days_fast}", "{courier}给力，{days_fast}，点赞",
    ),
    "logistics:+1": (
        "物流{quite}快的", "{days_fast}", "发货{quite}及时", "快递{quite}快", "物流不慢", "物流速度还不错",
        "{courier}速度可以，{days_normal}就到了", "物流还行，{days_normal}到的", "发货挺快的", "到货速度满意",
        "{courier}送得{quite}快", "配送还算及时",
    ),
    "logistics:+0": (
        "物流一般", "快递速度中规中矩", "{courier}正常速度吧，{days_normal}到的", "物流不快不慢",
        "发货速度还行吧", "快递还算正常", "物流就那样", "{days_normal}到的，正常速度", "配送速度一般般",
    ),
    "logistics:-1": (
        "物流{slightly}慢", "发货{slightly}慢，{days_slow}才到", "快递不太给力", "物流比预期慢了点",
        "快递没送上门，放驿站了也没通知", "等了{days_slow}才收到，{slightly}久", "物流不是很快",
        "发货慢了点", "{courier}有点拖", "物流没有想象中快", "中间物流停了两天",
    ),
    "logistics:-2": (
        "物流{very}慢", "等了{days_slow}才到，{anger}", "物流信息{days_slow}都不更新", "快递暴力运输",
        "快递员态度极差，不送上门", "发货慢得离谱", "说好的四十八小时发货，结果{days_slow}才发", "龟速物流",
        "物流一动不动好几天", "{courier}{so}慢了，等得花都谢了", "下单{days_slow}了还没发货",
        "物流慢到怀疑人生", "快递丢件了，折腾了{days_slow}才补发", "物流{really}太慢了，再也不想等了",
    ),
    # -- 质量 quality (generic) --------------------------------------------------------------
    "quality:+2": (
        "质量{very}好", "{product}{very}好，做工精细", "和描述的一模一样，{very}满意", "质量没得说",
        "品质超出预期", "一看就是正品，质量杠杠的", "做工{very}精致，细节到位", "质量好到惊喜",
        "用了{period}了，{product}还跟新的一样", "质感{very}好，不像这个价位的东西", "{product}绝了，质量一流",
    ),
    "quality:+1": (
        "质量{quite}好的", "{product}{quite}不错", "和图片一样", "做工还可以", "质量不差", "确实是正品",
        "质量对得起价格", "东西挺好的，没什么毛病", "做工{quite}细致", "质量在线", "质量还不错",
        "{product}没有想象中差，还挺好",
    ),
    "quality:+0": (
        "质量一般", "{product}中规中矩", "质量还行吧", "做工普通", "东西就那样吧", "质量说不上好也说不上差",
        "{product}一般般", "效果还有待观察", "东西还凑合", "质量马马虎虎",
    ),
    "quality:-1": (
        "质量不太好", "{product}没有想象中好", "做工{slightly}粗糙", "质量不是很满意", "和图片{slightly}差距",
        "{product}不怎么样", "质量一般般，有点失望", "细节处理得不太好", "{product}不是很好用",
        "用了{period}感觉不太行",
    ),
    "quality:-2": (
        "质量{very}差", "{product}{so}垃圾了", "{bad_quality}，{anger}", "用了两天就坏了", "和图片完全不一样",
        "怀疑是{fake}", "货不对板", "{product}根本没法用", "一分钱一分货，这次是真的踩雷了",
        "{bad_quality}，一看就是便宜货", "收到就是坏的", "这质量也敢卖这个价",
    ),
    # -- 价格 price --------------------------------------------------------------------------
    "price:+2": (
        "性价比{very}高", "价格{very}{price_good}", "{sale}买的，{very}划算", "比{store}便宜好多",
        "这个价格能买到这样的质量{really}值", "物超所值", "趁{sale}囤了好几瓶，{very}划算", "价格{price_good}到哭",
        "这价格闭眼入", "{sale}价格太香了", "便宜又好用",
    ),
    "price:+1": (
        "性价比{quite}高的", "价格{quite}{price_good}", "比{store}便宜一点", "{sale}买的还算划算", "价格可以接受",
        "性价比不错", "价格不贵", "这个价位挺值的", "价格还行，不算贵",
    ),
    "price:+0": (
        "价格中规中矩", "价格不算便宜但也还行", "一分钱一分货吧", "价格和{store}差不多", "原价买的，不打折",
        "价格正常", "这个价格也就这样",
    ),
    "price:-1": (
        "{slightly}小贵", "价格偏高", "原价买的{slightly}亏", "性价比不算高", "价格{slightly}贵了，等活动再买吧",
        "比{store}还贵一点", "这个价格有点不值", "不打折的话不太值",
    ),
    "price:-2": (
        "刚买完就降价了，{anger}", "{so}贵了，不值这个价", "智商税", "买完第二天便宜了{amount}块，也不给价保",
        "比{store}贵了{amount}块，{anger}", "这价格就是抢钱", "价格虚高，完全不值", "{sale}价格比平时还贵，套路",
        "说好的最低价，转头就降了{amount}",
    ),
    # -- 客服 service ------------------------------------------------------------------------
    "service:+2": (
        "{staff}态度{very}好", "{staff}{very}{service_good}，问什么都秒回", "{staff}{very}专业，推荐得很准",
        "有问题{staff}马上就处理了", "{staff}{very}贴心，还送了小样", "{staff}回复超快，服务一级棒",
        "{staff}服务态度五星", "咨询了好多问题{staff}都{very}耐心",
    ),
    "service:+1": (
        "{staff}态度{quite}好", "{staff}回复{quite}及时", "{staff}{quite}{service_good}的", "{staff}服务不错",
        "{staff}解答得挺清楚", "问了{staff}，回得挺快", "{staff}态度可以",
    ),
    "service:+0": (
        "{staff}回复一般", "{staff}是机器人回复，还行", "{staff}态度正常吧", "{staff}回复速度一般",
        "没怎么问{staff}", "{staff}中规中矩",
    ),
    "service:-1": (
        "{staff}回复{slightly}慢", "{staff}态度一般般，问了半天", "{staff}只会复制粘贴", "{staff}不太专业",
        "{staff}回复很敷衍", "{staff}态度不是很好", "找{staff}半天才有人回",
    ),
    "service:-2": (
        "{staff}态度{very}{service_bad}", "{staff}爱答不理", "问{staff}一直不回", "{staff}推卸责任，{anger}",
        "{staff}说话很冲", "{staff}态度恶劣", "{staff}就是机器人，根本解决不了问题", "{staff}一问三不知",
    ),
    # -- 包装 packaging ----------------------------------------------------------------------
    "packaging:+2": (
        "包装{very}{pack_good}", "包装{very}{pack_good}，送人很有面子", "包装很严实，一点都没压坏",
        "里三层外三层包得{very}好", "包装很用心，还有小卡片", "包装颜值{very}高", "包装盒好看到舍不得扔",
    ),
    "packaging:+1": (
        "包装{quite}{pack_good}", "包装完好", "包装没问题", "包装{quite}严实的", "包装不错", "没有压坏",
        "包装还挺好看",
    ),
    "packaging:+0": ("包装很简单", "包装普通", "包装一般", "就一个袋子装着", "包装中规中矩", "简易包装"),
    "packaging:-1": (
        "包装{slightly}简陋", "盒子{slightly}压扁了", "外包装{slightly}脏", "包装不太用心", "盒子有点破损",
        "包装比较随便",
    ),
    "packaging:-2": (
        "收到的时候{leak}", "包装破损严重", "盒子都压烂了", "外箱{damage}，里面也坏了", "包装{very}差，{leak}",
        "没有封口，怀疑是别人用过的", "就套了个塑料袋，东西都{damage}",
    ),
    # -- 尺码/规格 size (generic: amount, dimensions) ---------------------------------------
    "size:+2": ("大小{very}合适", "分量{very}足", "尺寸刚刚好", "规格和描述的一样，{very}满意", "容量很大，能用很久"),
    "size:+1": ("大小合适", "分量还可以", "尺寸正好", "规格没问题", "大小正常"),
    "size:+0": ("大小一般", "分量正常", "尺寸和描述差不多", "大小还行"),
    "size:-1": ("比想象中小", "分量{slightly}少", "尺寸{slightly}偏小", "比图片上看着小"),
    "size:-2": ("跟描述的尺寸差太多", "分量少得可怜", "尺寸完全不对", "小得离谱，{anger}"),
    # -- 成分/安全 safety (generic) ----------------------------------------------------------
    "safety:+2": (
        "成分{very}安全，{kid}用着放心", "给{kid}用的，{very}放心", "材质安全，没有异味", "用着放心，没有任何不适",
        "检测报告都有，{very}安心",
    ),
    "safety:+1": ("没有异味", "用着还算放心", "材质{quite}安全的", "没有不适", "{kid}用着没问题"),
    "safety:+0": ("安全性应该没问题吧", "成分没怎么研究", "安不安全不太清楚", "味道正常，成分一般"),
    "safety:-1": ("{slightly}化学味，不太放心", "怕有刺激，不太敢给{kid}用", "用着{slightly}刺激，皮肤不太舒服",
                  "有股刺鼻的味道，散了好几天", "成分写得不清楚，不太放心"),
    "safety:-2": (
        "味道刺鼻，{really}不敢用", "{kid}用了起红疹子，{anger}", "有股化学味，这安全吗", "用完身上发痒，不敢再用",
        "材质有问题，{kid}用了过敏",
    ),
    # -- 售后 after sales --------------------------------------------------------------------
    "after_sales:+2": (
        "售后{very}好，{return_act}{very}快", "{return_act}{very}方便，上门取件", "七天无理由退换{very}放心",
        "有运费险，省心", "出了点小问题，商家二话不说就{return_act}了", "售后处理{very}及时",
        "售后态度{very}好，直接给{return_act}",
    ),
    "after_sales:+1": (
        "售后{quite}好的", "{return_act}{quite}顺利", "售后处理得还可以", "{return_act}流程不麻烦",
        "售后还算负责", "有问题能及时{return_act}",
    ),
    "after_sales:+0": ("{return_act}流程还行", "售后处理得一般", "售后中规中矩", "{return_act}花了几天，正常吧"),
    "after_sales:-1": (
        "{return_act}有点慢，等了{days_slow}", "{return_act}流程比较麻烦", "售后不太积极", "售后回复慢",
        "{return_act}要自己出运费，有点不爽",
    ),
    "after_sales:-2": (
        "申请{return_act}一直不处理", "售后推来推去，{anger}", "退款{days_slow}都没到账", "说好的补发一直没发",
        "不给退，说影响二次销售", "售后电话一直打不通", "售后就是摆设，{anger}", "{return_act}拖了{days_slow}，{anger}",
    ),
}  # fmt: skip

FAMILY_SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "skincare": {
        "attr": ("质地", "肤感", "吸收", "保湿效果", "效果", "味道"),
        "skin_good": ("水润", "嫩", "细腻", "透亮", "稳定", "柔软", "有光泽", "滋润"),
        "skin_bad": ("搓泥", "油腻", "拔干", "紧绷", "黏腻", "闷"),
        "breakout": ("过敏", "起红疹", "烂脸", "爆闭口", "闷痘", "泛红刺痛", "长了好多痘"),
    },
    "makeup": {
        "attr": ("显色度", "持妆", "质地", "粉质", "颜色", "遮瑕力"),
        "skin_good": ("服帖", "自然", "显白", "高级", "清透", "有气色"),
        "skin_bad": ("卡粉", "浮粉", "斑驳", "拔干", "脱妆", "暗沉"),
        "breakout": ("过敏", "闷痘", "起小红点", "嘴巴脱皮", "眼睛刺痛", "长闭口"),
    },
    "personal_care": {
        "attr": ("味道", "泡沫", "洗感", "效果", "质地"),
        "skin_good": ("顺滑", "清爽", "蓬松", "香", "干净", "柔软"),
        "skin_bad": ("干涩", "打结", "油腻", "发痒", "起屑", "紧绷"),
        "breakout": ("头皮发痒", "起头皮屑", "过敏", "身上起疹子", "掉发更厉害了", "皮肤发红"),
    },
    "apparel": {
        "attr": ("面料", "做工", "版型", "质感", "颜色", "手感", "走线"),
        "fit_good": ("正好", "合身", "刚刚好", "很显瘦", "很修身", "宽松舒服"),
        "size_label": ("S码", "M码", "L码", "XL码", "小码", "中码", "均码"),
        "height": ("155", "158", "160", "162", "163", "165", "167", "168", "170", "172", "175", "178", "180"),
        "stature": (
            "{height}cm{weight}",
            "身高{height}体重{weight}",
            "{height}cm，{weight}",
            "{height}，{weight}",
            "{weight}，{height}cm",
            "身高{height}，{weight}",
        ),
        "weight": ("85斤", "90斤", "95斤", "100斤", "105斤", "110斤", "115斤", "120斤", "130斤", "140斤", "150斤"),
    },
    "baby": {
        "attr": ("材质", "吸水性", "柔软度", "透气性", "做工"),
        "breakout": ("红屁屁", "起红疹", "过敏", "皮肤发红", "起湿疹"),
    },
    "food": {
        "attr": ("口感", "味道", "新鲜度", "分量"),
        "breakout": ("拉肚子", "肚子不舒服", "嗓子疼", "过敏"),
    },
    "electronics": {
        "attr": ("音质", "续航", "做工", "手感", "性能", "信号"),
        "breakout": ("发烫", "电池鼓包", "漏电", "冒烟"),
    },
    "home": {
        "attr": ("材质", "做工", "手感", "厚度"),
        "breakout": ("刺鼻", "甲醛味重", "掉毛", "掉色"),
    },
}

FAMILY_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "skincare": {
        "quality:+2": (
            "质地{very}清爽，吸收{very}快",
            "用完皮肤{very}{skin_good}",
            "一点都不油腻，上脸{very}舒服",
            "坚持用了{period}，皮肤{very}{skin_good}",
            "保湿效果{very}好，一整天都不干",
            "用了{period}痘印淡了好多",
            "{ingredient}的效果{really}看得见",
            "{skin}用着{very}舒服，不{skin_bad}",
            "上脸很好推开，不{skin_bad}",
            "早上起来皮肤{very}{skin_good}",
            "用完{very}{skin_good}，{season}用刚好",
        ),
        "quality:+1": (
            "{attr}{quite}好的",
            "用着{quite}舒服",
            "不油腻，吸收还可以",
            "保湿效果还不错",
            "{skin}用着还行，不{skin_bad}",
            "用了{period}感觉皮肤{quite}{skin_good}",
            "{attr}不错",
            "不会{skin_bad}",
        ),
        "quality:+0": (
            "效果不明显",
            "用了{period}没什么感觉",
            "保湿一般",
            "{attr}中规中矩",
            "效果说不上来",
            "肤感一般",
        ),
        "quality:-1": (
            "{slightly}{skin_bad}",
            "保湿效果不太行，用完还是干",
            "用了{period}没什么效果",
            "不是很好吸收",
            "{attr}没有宣传的那么好",
            "{skin}用着不太舒服，有点{skin_bad}",
        ),
        "quality:-2": (
            "{very}{skin_bad}，完全没法用",
            "用了{period}一点效果都没有，{anger}",
            "一上脸就{skin_bad}",
            "质地稀得像水，怀疑是{fake}",
            "味道{very}难闻",
            "越用越干，{so}差了",
        ),
        "safety:+2": (
            "成分{very}干净，孕妇也能用",
            "无香精无酒精，{kid}用着放心",
            "{skin}用了完全没有泛红",
            "成分表很干净，{very}安心",
            "{ingredient}温和不刺激，{skin}友好",
            "孕期一直在用，{very}放心",
            "哺乳期也能用，省心",
            "给{kid}涂了一点，完全不刺激",
        ),
        "safety:+1": (
            "成分{quite}温和的",
            "{skin}用着没有不适",
            "不刺激",
            "没有过敏",
            "成分还算干净",
            "孕妇可以用，放心一点",
        ),
        "safety:+0": ("成分中规中矩", "成分还可以，没什么特别的", "没研究成分，用着没感觉", "成分表看不太懂"),
        "safety:-1": (
            "用了{slightly}刺痛",
            "脸上{slightly}泛红，不知道是不是不耐受",
            "成分表里有酒精，{slightly}担心",
            "味道有点冲，不太敢给{kid}用",
            "{skin}用着有点刺激",
            "孕妇能不能用写得不清楚，不太放心",
        ),
        "safety:-2": (
            "用了{breakout}，{anger}",
            "{kid}用了{breakout}，{really}后怕",
            "{breakout}了，{so}坑了",
            "用了两天就{breakout}",
            "成分有问题吧，{kid}用完脸都红了",
            "孕妇不能用的成分竟然也有，还好没给{kid}用",
            "有激素吧，一停用就反弹",
            "{skin}千万别买，我用了{breakout}",
        ),
        "size:-2": ("只有八分满", "明明写的五十毫升，感觉只有一半", "跟小样一样大，{anger}"),
        "size:-1": ("瓶子比想象中小", "容量{slightly}少，用不了多久"),
        "size:+2": ("容量很大，能用好久", "分量足，一瓶能用{period}"),
    },
    "makeup": {
        "quality:+2": (
            "颜色{very}{skin_good}",
            "持妆一整天不脱妆",
            "遮瑕力{very}强",
            "{very}好推开，不卡粉",
            "颜色很正，素颜也能涂",
            "上脸{very}{skin_good}，爱了",
            "{attr}{very}好，绝绝子",
            "薄涂厚涂都好看",
        ),
        "quality:+1": ("{attr}{quite}好的", "颜色{quite}好看", "持妆还可以", "不怎么卡粉", "上脸{quite}{skin_good}"),
        "quality:+0": ("颜色一般", "持妆一般", "{attr}中规中矩", "和别的牌子差不多"),
        "quality:-1": ("{slightly}{skin_bad}", "颜色和图片{slightly}差别", "持妆没有说的那么久", "不太显色"),
        "quality:-2": (
            "{skin_bad}严重",
            "半天就脱妆了",
            "颜色和图片差很多，显黑",
            "一点都不显色",
            "{skin_bad}到没法出门",
        ),
        "safety:+2": ("成分{very}温和，{skin}也能用", "孕期也能用的彩妆，{very}安心", "用了完全没有过敏"),
        "safety:-2": ("用了{breakout}，{anger}", "{breakout}了，不敢再用", "眼睛用了刺痛流泪"),
    },
    "personal_care": {
        "quality:+2": (
            "泡沫{very}丰富",
            "洗完头发{very}{skin_good}",
            "味道{very}好闻，留香很久",
            "控油效果{very}好",
            "洗完{very}{skin_good}",
        ),
        "quality:+1": ("{attr}{quite}好的", "洗完{quite}{skin_good}", "味道还挺好闻", "泡沫还可以"),
        "quality:-1": ("洗完{slightly}{skin_bad}", "留香时间很短", "味道{slightly}冲"),
        "quality:-2": ("洗完{very}{skin_bad}", "越洗越油，{anger}", "味道刺鼻，像{fake}", "洗完头皮{very}痒"),
        "safety:+2": ("成分{very}温和，孕妇也能用", "{kid}也能用，不刺激", "无硅油无香精，用着放心"),
        "safety:-2": ("用了{breakout}，{anger}", "{breakout}，不敢再用了"),
    },
    "apparel": {
        "quality:+2": (
            "面料{very}舒服，很亲肤",
            "做工{very}精细，没有线头",
            "版型{very}正，上身效果好",
            "颜色和图片一样，没有色差",
            "穿着{very}显瘦",
            "洗了好几次不掉色不变形",
            "{very}有质感，不像这个价位的衣服",
            "上身{very}好看，同事都问链接",
            "{attr}{very}好，穿着{very}舒服",
        ),
        "quality:+1": (
            "{attr}{quite}好的",
            "面料还可以",
            "做工还算细致",
            "没有色差",
            "穿着{quite}舒服",
            "颜色{quite}正的",
            "不起球",
            "洗了一次没缩水",
        ),
        "quality:+0": ("面料一般", "做工普通", "{attr}中规中矩", "上身效果一般", "和图片有点区别，但还能接受"),
        "quality:-1": (
            "线头{slightly}多",
            "面料{slightly}薄",
            "有一点色差",
            "{attr}没有想象中好",
            "洗了一次有点缩水",
            "领口有点松",
        ),
        "quality:-2": (
            "洗了一次就起球",
            "线头{very}多",
            "面料{very}薄，{really}透",
            "有色差，和图片差太多",
            "穿了两天就开线了",
            "起球严重，{anger}",
            "掉色掉得厉害",
            "做工粗糙，{really}不值",
        ),
        "size:+2": (
            "尺码{very}标准，按平时穿的买刚好",
            "{stature}穿{size_label}{fit_good}",
            "大小{very}合适",
            "不大不小刚刚好",
            "{stature}，{size_label}{fit_good}",
            "按尺码表买的，{very}合身",
        ),
        "size:+1": ("尺码标准", "大小合适", "{stature}穿{size_label}还可以", "尺码{quite}准的", "码数正常"),
        "size:+0": ("尺码偏大一点点，还能穿", "尺码正常吧", "{size_label}稍微宽松一点", "大小还行"),
        "size:-1": (
            "尺码{slightly}偏小，建议拍大一码",
            "{slightly}大，要换小一码",
            "袖子{slightly}长",
            "裤腰有点紧",
            "{stature}穿{size_label}有点紧",
        ),
        "size:-2": (
            "尺码{very}不准",
            "完全穿不上，{anger}",
            "尺码和尺码表差太多",
            "{stature}穿{size_label}像童装",
            "大了两个码，根本没法穿",
        ),
        "safety:+2": ("没有异味，洗了直接给{kid}穿", "纯棉的很亲肤，{kid}穿着不痒", "面料安全，A类标准，{very}放心"),
        "safety:+1": ("没有什么味道", "面料不扎人", "穿着不痒"),
        "safety:-1": ("有一点化学味，洗了两遍才散", "面料{slightly}扎皮肤，{kid}穿了有点痒"),
        "safety:-2": (
            "甲醛味{very}重，打开熏得头疼",
            "掉色染得皮肤都是，不敢穿",
            "{kid}穿了皮肤痒，起了小疙瘩",
            "一股刺鼻的化学味，{anger}",
        ),
    },
    "baby": {
        "quality:+2": ("{very}柔软，{kid}用着舒服", "吸水性{very}好", "不起坨，{very}好用", "{kid}用着{very}舒服"),
        "quality:-2": ("{very}硬，{kid}用着难受", "起坨严重", "吸水性{very}差，{anger}"),
        "safety:+2": ("{kid}用了不{breakout}，{very}放心", "材质安全，有检测报告", "{kid}皮肤嫩，用着完全没问题"),
        "safety:-2": ("{kid}用了{breakout}，{anger}", "给{kid}用了{breakout}，当妈的心疼死了"),
    },
    "food": {
        "quality:+2": ("口感{very}好", "{very}新鲜", "味道{very}正宗", "不会太甜，{very}好吃"),
        "quality:-2": ("不新鲜", "{very}咸", "有股怪味", "快过期了还发货"),
        "safety:+2": ("配料表{very}干净，没有添加剂", "{kid}也能吃，放心"),
        "safety:-2": ("吃了{breakout}，{anger}", "里面有异物，{really}恶心"),
    },
    "electronics": {
        "quality:+2": ("{attr}{very}好", "续航{very}久", "做工{very}扎实", "连接{very}稳定"),
        "quality:-2": ("用了{period}就坏了", "续航{very}差", "连接经常断", "充电{very}慢"),
        "safety:-2": ("充电时{breakout}，{really}不敢用", "用了几天就{breakout}，太危险了"),
    },
    "home": {
        "quality:+2": ("{very}厚实", "做工{very}精细", "用着{very}顺手"),
        "quality:-2": ("{very}薄", "一碰就坏", "做工粗糙，{anger}"),
        "safety:-2": ("味道{very}{breakout}", "{breakout}严重，不敢用"),
    },
}
