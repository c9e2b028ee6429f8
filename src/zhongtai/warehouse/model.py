"""The canonical e-commerce model: every warehouse table, declared once.

Adapters map platform exports onto these tables; DDL, ``docs/data-model.md`` and the JSON
Schema are generated from them (``zhongtai.warehouse.docs``). Person-level tables carry the
source system, the person's id in that system (``customer_id``) and ``member_id``: until
identity resolution runs, ``member_id`` is derived 1:1 from ``(source, customer_id)``
(:mod:`zhongtai.warehouse.identity`), so metrics key on ``member_id`` from the start.
"""

from __future__ import annotations

from zhongtai.warehouse.schema import Check, Column, ColumnType, PiiClass, Reference, Table

__all__ = ["TABLES", "table", "tables_in_load_order"]

T = ColumnType
P = PiiClass

PLATFORMS = (
    "tmall", "taobao", "jd", "douyin", "kuaishou", "pinduoduo", "youzan", "shopify",
    "miniprogram", "app", "web", "offline", "xiaohongshu", "wechat", "other",
)  # fmt: skip
CURRENCIES = ("CNY", "USD", "EUR", "GBP", "HKD", "JPY", "AUD", "CAD", "SGD")


def _source() -> Column:
    return Column("source", T.ID, "System the row came from (adapter or data set name)",
                  "数据来源系统(适配器或数据集名称)", required=True)  # fmt: skip


def _person() -> tuple[Column, ...]:
    return (
        _source(),
        Column("customer_id", T.ID, "The person's id in the source system",
               "该人在来源系统中的编号", pii=P.IDENTITY),
        Column("member_id", T.ID, "Unified member id (1:1 from source + customer_id until identity resolution)",
               "统一会员编号(身份识别前由来源+客户编号一一派生)", pii=P.IDENTITY),
    )  # fmt: skip


def _money(name: str, en: str, zh: str, *, required: bool = False) -> Column:
    return Column(name, T.MONEY, en, zh, required=required, minimum=0, unit="currency")


def _currency() -> Column:
    return Column("currency", T.CODE, "ISO 4217 currency code", "币种(ISO 4217)", values=CURRENCIES)


def _channel() -> Column:
    return Column("channel_id", T.ID, "Sales channel (see channels)", "销售渠道(见 channels)")


def _ts(name: str, en: str, zh: str, *, required: bool = False, past_only: bool = True) -> Column:
    return Column(name, T.TIMESTAMP, en, zh, required=required, past_only=past_only)


def _order_ref(replace: bool = False) -> Reference:
    return Reference(("source", "order_id"), "orders", ("source", "order_id"), replace_children=replace)


CHANNELS = Table(
    "channels", "Sales channels and shops", "销售渠道与店铺",
    (
        Column("channel_id", T.ID, "Channel id", "渠道编号", required=True),
        Column("name", T.STRING, "Display name", "名称"),
        Column("platform", T.CODE, "Platform", "平台", values=PLATFORMS),
        Column("kind", T.CODE, "Kind of channel", "渠道类型", values=("marketplace", "social", "own", "offline")),
        _source(),
    ),
    key=("channel_id",), grain_en="one row per channel", grain_zh="每个渠道一行",
)  # fmt: skip

LOCATIONS = Table(
    "locations", "Warehouses, stores and smart lockers", "仓库、门店与智能柜",
    (
        Column("location_id", T.ID, "Location id", "地点编号", required=True),
        Column("kind", T.CODE, "Kind of location", "地点类型", values=("warehouse", "store", "locker"), required=True),
        Column("name", T.STRING, "Name", "名称"),
        _channel(),
        Column("province", T.STRING, "Province", "省份"),
        Column("city", T.STRING, "City", "城市"),
        Column("district", T.STRING, "District", "区县"),
        Column("address", T.STRING, "Street address of the site (a business address)", "地点地址(经营地址)"),
        Column("latitude", T.NUMBER, "Latitude (WGS-84)", "纬度(WGS-84)", minimum=-90, maximum=90, unit="degree"),
        Column("longitude", T.NUMBER, "Longitude (WGS-84)", "经度(WGS-84)", minimum=-180, maximum=180, unit="degree"),
        Column("opened_on", T.DATE, "Opening date", "开业日期"),
        Column("capacity", T.INTEGER, "Storage capacity in units", "容量(件)", minimum=0, unit="unit"),
        _source(),
    ),
    key=("location_id",), grain_en="one row per location", grain_zh="每个地点一行",
)  # fmt: skip

CUSTOMERS = Table(
    "customers", "Customers as each source system knows them", "各来源系统中的客户",
    (
        *_person(),
        Column("name", T.STRING, "Full name", "姓名", pii=P.IDENTITY),
        Column("nickname", T.STRING, "Nickname or account name", "昵称/账号名", pii=P.IDENTITY),
        Column("gender", T.CODE, "Gender", "性别", pii=P.IDENTITY, values=("female", "male", "unknown")),
        Column("birth_date", T.DATE, "Date of birth", "出生日期", pii=P.IDENTITY),
        Column("phone", T.STRING, "Mobile phone number", "手机号", pii=P.CONTACT),
        Column("email", T.STRING, "E-mail address", "电子邮箱", pii=P.CONTACT),
        Column("wechat_openid", T.STRING, "WeChat openid (scoped to one app)", "微信 openid(单应用内)", pii=P.CONTACT),
        Column("wechat_unionid", T.STRING, "WeChat unionid (across the brand's apps)", "微信 unionid(跨应用)",
               pii=P.CONTACT),
        Column("member_card", T.STRING, "Loyalty card number", "会员卡号", pii=P.IDENTITY),
        Column("device_id", T.STRING, "Device id", "设备号", pii=P.CONTACT),
        Column("id_number", T.STRING, "National ID number", "身份证号", pii=P.SENSITIVE),
        Column("country", T.STRING, "Country", "国家/地区"),
        Column("province", T.STRING, "Province", "省份"),
        Column("city", T.STRING, "City", "城市"),
        Column("district", T.STRING, "District", "区县"),
        Column("address", T.STRING, "Street address", "详细地址", pii=P.CONTACT),
        _channel(),
        _ts("registered_at", "Registration time (UTC)", "注册时间(UTC)"),
    ),
    key=("source", "customer_id"), person=True,
    grain_en="one row per person per source system", grain_zh="每个来源系统中每人一行",
)  # fmt: skip

IDENTITIES = Table(
    "identities", "Identifiers linked to a unified member", "关联到统一会员的标识",
    (
        *_person(),
        Column("id_type", T.CODE, "Identifier type", "标识类型", required=True,
               values=("phone", "email", "wechat_openid", "wechat_unionid", "member_card", "device_id",
                       "name_address", "source_id")),
        Column("id_value", T.STRING, "Normalised identifier value", "规范化后的标识值", pii=P.CONTACT, required=True),
        Column("method", T.CODE, "How the link was made", "关联方式",
               values=("source", "deterministic", "probabilistic", "manual")),
        Column("confidence", T.RATE, "Confidence of the link", "关联置信度", minimum=0, maximum=1),
        _ts("first_seen_at", "First seen (UTC)", "首次出现(UTC)"),
        _ts("last_seen_at", "Last seen (UTC)", "最近出现(UTC)"),
    ),
    key=("source", "customer_id", "id_type", "id_value"), person=True,
    grain_en="one row per identifier of a source customer", grain_zh="每个来源客户的每个标识一行",
)  # fmt: skip

PRODUCTS = Table(
    "products", "Products (SKUs) with category levels, price and cost", "商品(SKU):类目层级、价格与成本",
    (
        Column("sku", T.ID, "SKU (merchant code, shared by every channel)", "SKU(商家编码,各渠道通用)", required=True),
        Column("spu", T.ID, "SPU / style", "SPU/款号"),
        Column("name", T.STRING, "Product name", "商品名称"),
        Column("brand", T.STRING, "Brand", "品牌"),
        Column("category_l1", T.STRING, "Category level 1", "一级类目"),
        Column("category_l2", T.STRING, "Category level 2", "二级类目"),
        Column("category_l3", T.STRING, "Category level 3", "三级类目"),
        Column("price", T.PRICE, "List price", "标价", minimum=0, unit="currency"),
        Column("cost", T.PRICE, "Unit cost", "单位成本", minimum=0, unit="currency"),
        _currency(),
        Column("status", T.CODE, "Status", "状态", values=("active", "discontinued")),
        Column("launched_on", T.DATE, "Launch date", "上市日期", past_only=False),
        _source(),
    ),
    key=("sku",), grain_en="one row per SKU", grain_zh="每个 SKU 一行",
)  # fmt: skip

ORDER_STATUSES = ("created", "paid", "shipped", "completed", "cancelled", "closed", "refunded")

ORDERS = Table(
    "orders", "Orders (one row per order, money counted once)", "订单(每单一行,金额只计一次)",
    (
        *_person(),
        Column("order_id", T.ID, "Order id in the source system", "来源系统订单号", required=True),
        _channel(),
        Column("store_id", T.ID, "Store or pickup location (see locations)", "门店或自提点(见 locations)"),
        _ts("order_time", "Time the order was placed (UTC)", "下单时间(UTC)", required=True),
        _ts("paid_at", "Payment time (UTC)", "付款时间(UTC)"),
        Column("status", T.CODE, "Order status", "订单状态", values=ORDER_STATUSES),
        _currency(),
        Column("item_count", T.INTEGER, "Units in the order", "商品件数", minimum=0, unit="unit"),
        _money("goods_amount", "Merchandise value before discounts", "商品总价(优惠前)"),
        _money("discount_amount", "Discounts (shop + platform)", "优惠金额(店铺+平台)"),
        _money("shipping_fee", "Shipping fee charged", "运费"),
        _money("total_amount", "Amount payable by the buyer", "应付金额"),
        _money("paid_amount", "Amount actually paid", "实付金额"),
        Column("coupon_code", T.STRING, "Coupon used", "使用的优惠券"),
        Column("promotion_id", T.ID, "Promotion (see promotions)", "促销活动(见 promotions)"),
        Column("country", T.STRING, "Delivery country", "收货国家/地区"),
        Column("province", T.STRING, "Delivery province", "收货省份"),
        Column("city", T.STRING, "Delivery city", "收货城市"),
        Column("district", T.STRING, "Delivery district", "收货区县"),
        Column("receiver_name", T.STRING, "Receiver's name", "收货人姓名", pii=P.IDENTITY),
        Column("receiver_phone", T.STRING, "Receiver's phone", "收货人电话", pii=P.CONTACT),
        Column("receiver_address", T.STRING, "Receiver's street address", "收货详细地址", pii=P.CONTACT),
        Column("buyer_note", T.STRING, "Buyer's note", "买家留言"),
    ),
    key=("source", "order_id"), person=True,
    grain_en="one row per order", grain_zh="每个订单一行",
)  # fmt: skip

ORDER_ITEMS = Table(
    "order_items", "Order lines", "订单明细",
    (
        _source(),
        Column("order_id", T.ID, "Order id", "订单号", required=True),
        Column("line_no", T.INTEGER, "Line number within the order", "订单内行号", required=True, minimum=1),
        Column("sub_order_id", T.ID, "Sub-order id (Douyin, Tmall)", "子订单号(抖店、天猫)"),
        Column("sku", T.ID, "SKU", "SKU"),
        Column("product_name", T.STRING, "Product name as sold", "成交时商品名称"),
        Column("quantity", T.INTEGER, "Units", "数量", required=True, unit="unit"),
        Column("unit_price", T.PRICE, "Unit price", "单价", unit="currency"),
        _money("discount_amount", "Discount on the line", "行优惠金额"),
        _money("amount", "Line amount after discounts", "行金额(优惠后)"),
        Column("is_gift", T.BOOLEAN, "Free gift line", "赠品行"),
    ),
    key=("source", "order_id", "line_no"), references=(_order_ref(replace=True),),
    checks=(
        Check("range.non_positive_quantity", "quantity > 0", ("quantity",)),
        Check("range.zero_price", "unit_price <> 0 OR COALESCE(is_gift, FALSE)", ("unit_price",)),
        Check("range.negative_price", "unit_price >= 0", ("unit_price",)),
    ),
    grain_en="one row per order line", grain_zh="每个订单行一行",
)  # fmt: skip

PAYMENTS = Table(
    "payments", "Payments", "支付流水",
    (
        _source(),
        Column("payment_id", T.ID, "Payment id", "支付流水号", required=True),
        Column("order_id", T.ID, "Order id", "订单号"),
        Column("method", T.CODE, "Payment method", "支付方式",
               values=("alipay", "wechat_pay", "card", "unionpay", "cash", "balance", "credit", "other")),
        _money("amount", "Amount", "金额", required=True),
        _currency(),
        _ts("paid_at", "Payment time (UTC)", "支付时间(UTC)"),
        Column("status", T.CODE, "Status", "状态", values=("succeeded", "failed", "refunded")),
        Column("transaction_ref", T.STRING, "Payment provider's transaction reference", "支付平台交易号",
               pii=P.FINANCIAL),
    ),
    key=("source", "payment_id"), references=(_order_ref(),),
    grain_en="one row per payment", grain_zh="每笔支付一行",
)  # fmt: skip

INVOICES = Table(
    "invoices", "Invoices (发票)", "发票",
    (
        _source(),
        Column("invoice_id", T.ID, "Invoice id", "发票编号", required=True),
        Column("order_id", T.ID, "Order id", "订单号"),
        Column("invoice_no", T.STRING, "Invoice number from the tax system", "发票号码"),
        Column("kind", T.CODE, "Invoice kind", "发票类型", values=("normal", "special_vat", "electronic")),
        Column("title", T.STRING, "Invoice title (buyer name or company)", "发票抬头", pii=P.IDENTITY),
        Column("tax_id", T.STRING, "Buyer's tax id", "纳税人识别号", pii=P.IDENTITY),
        _money("amount", "Amount including tax", "价税合计", required=True),
        _money("tax_amount", "Tax", "税额"),
        _currency(),
        _ts("issued_at", "Issue time (UTC)", "开票时间(UTC)"),
        Column("status", T.CODE, "Status", "状态", values=("issued", "cancelled", "red_letter")),
    ),
    key=("source", "invoice_id"), references=(_order_ref(),),
    grain_en="one row per invoice", grain_zh="每张发票一行",
)  # fmt: skip

REFUNDS = Table(
    "refunds", "Refunds and returns (amounts positive)", "退款与退货(金额为正)",
    (
        *_person(),
        Column("refund_id", T.ID, "Refund id", "退款单号", required=True),
        Column("line_no", T.INTEGER, "Line within the refund", "退款单内行号", required=True, minimum=1),
        Column("order_id", T.ID, "Original order, when known", "原订单号(如有)"),
        Column("sku", T.ID, "SKU", "SKU"),
        Column("quantity", T.INTEGER, "Units returned", "退货数量", minimum=1, unit="unit"),
        _money("amount", "Refunded amount", "退款金额"),
        _currency(),
        Column("reason", T.STRING, "Reason as written", "退款原因(原文)"),
        Column("reason_code", T.CODE, "Reason category", "原因类别",
               values=("quality", "size", "not_as_described", "logistics", "changed_mind", "cancelled", "other")),
        _ts("requested_at", "Request time (UTC)", "申请时间(UTC)"),
        _ts("refunded_at", "Refund time (UTC)", "退款时间(UTC)"),
        Column("status", T.CODE, "Status", "状态", values=("requested", "approved", "rejected", "completed")),
    ),
    key=("source", "refund_id", "line_no"), person=True,
    grain_en="one row per refunded line", grain_zh="每个退款行一行",
)  # fmt: skip

EVENT_TYPES = (
    "page_view", "search", "add_to_cart", "remove_from_cart", "favorite", "checkout", "purchase",
    "coupon_claim", "coupon_use", "share", "login", "other",
)  # fmt: skip

EVENTS = Table(
    "events", "Behaviour events (web, app, mini-program, marketplaces)", "行为事件(网站、App、小程序、平台)",
    (
        *_person(),
        Column("event_id", T.ID, "Event id", "事件编号", required=True),
        Column("event_type", T.CODE, "Event type", "事件类型", values=EVENT_TYPES, required=True),
        _ts("event_time", "When it happened (UTC)", "发生时间(UTC)", required=True),
        _ts("received_at", "When it reached the warehouse (UTC)", "到达数仓时间(UTC)"),
        Column("session_id", T.ID, "Session id", "会话编号"),
        Column("device_id", T.STRING, "Device id", "设备号", pii=P.CONTACT),
        _channel(),
        Column("sku", T.ID, "SKU", "SKU"),
        Column("category", T.STRING, "Category", "类目"),
        Column("order_id", T.ID, "Order id (purchase events)", "订单号(购买事件)"),
        Column("search_query", T.STRING, "Search words", "搜索词"),
        Column("page", T.STRING, "Page", "页面"),
        Column("properties", T.JSON, "Other properties", "其他属性"),
    ),
    key=("source", "event_id"), person=True,
    grain_en="one row per event", grain_zh="每个事件一行",
)  # fmt: skip

INVENTORY_SNAPSHOTS = Table(
    "inventory_snapshots", "Stock on hand per SKU and location", "各地点各 SKU 库存快照",
    (
        _source(),
        Column("snapshot_date", T.DATE, "Snapshot date", "快照日期", required=True),
        Column("location_id", T.ID, "Location", "地点", required=True),
        Column("sku", T.ID, "SKU", "SKU", required=True),
        Column("on_hand", T.INTEGER, "Units on hand", "在库数量", minimum=0, unit="unit"),
        Column("reserved", T.INTEGER, "Units reserved for orders", "已占用数量", minimum=0, unit="unit"),
        Column("in_transit", T.INTEGER, "Units in transit to the location", "在途数量", minimum=0, unit="unit"),
    ),
    key=("snapshot_date", "location_id", "sku"),
    grain_en="one row per SKU, location and date", grain_zh="每个 SKU、地点、日期一行",
)  # fmt: skip

SHIPMENTS = Table(
    "shipments", "Shipments", "物流发货",
    (
        _source(),
        Column("shipment_id", T.ID, "Shipment id", "发货单号", required=True),
        Column("order_id", T.ID, "Order id", "订单号"),
        Column("from_location_id", T.ID, "Shipping location", "发货地点"),
        Column("carrier", T.STRING, "Carrier", "快递公司"),
        Column("tracking_no", T.STRING, "Tracking number", "运单号", pii=P.CONTACT),
        _ts("shipped_at", "Shipped (UTC)", "发货时间(UTC)"),
        _ts("delivered_at", "Delivered (UTC)", "签收时间(UTC)"),
        Column("status", T.CODE, "Status", "状态", values=("pending", "shipped", "delivered", "returned", "lost")),
    ),
    key=("source", "shipment_id"), references=(_order_ref(),),
    grain_en="one row per shipment", grain_zh="每个发货单一行",
)  # fmt: skip

REVIEWS = Table(
    "reviews", "Product reviews", "商品评价",
    (
        *_person(),
        Column("review_id", T.ID, "Review id", "评价编号", required=True),
        Column("order_id", T.ID, "Order id", "订单号"),
        Column("sku", T.ID, "SKU", "SKU"),
        Column("rating", T.INTEGER, "Stars (1-5)", "星级(1-5)", minimum=1, maximum=5),
        Column("title", T.STRING, "Title", "标题"),
        Column("text", T.STRING, "Review text", "评价内容"),
        Column("language", T.CODE, "Language", "语言", values=("zh", "en", "other")),
        _ts("created_at", "Written (UTC)", "评价时间(UTC)"),
        Column("likes", T.INTEGER, "Helpful votes", "点赞数", minimum=0),
        Column("has_images", T.BOOLEAN, "Has photos", "带图"),
    ),
    key=("source", "review_id"), person=True,
    grain_en="one row per review", grain_zh="每条评价一行",
)  # fmt: skip

POSTS = Table(
    "posts", "Social posts mentioning the brand (Weibo, Xiaohongshu, Douyin...)", "社交平台帖子(微博、小红书、抖音等)",
    (
        _source(),
        Column("post_id", T.ID, "Post id", "帖子编号", required=True),
        Column("parent_post_id", T.ID, "Post this one reposts or answers", "转发/回复的原帖"),
        Column("platform", T.CODE, "Platform", "平台", values=(*PLATFORMS, "weibo", "bilibili", "zhihu")),
        Column("author_id", T.STRING, "Author handle", "作者账号", pii=P.IDENTITY),
        Column("author_followers", T.INTEGER, "Author's followers", "作者粉丝数", minimum=0),
        Column("text", T.STRING, "Text", "内容"),
        Column("language", T.CODE, "Language", "语言", values=("zh", "en", "other")),
        _ts("created_at", "Posted (UTC)", "发布时间(UTC)", required=True),
        Column("reposts", T.INTEGER, "Reposts", "转发数", minimum=0),
        Column("likes", T.INTEGER, "Likes", "点赞数", minimum=0),
        Column("comments", T.INTEGER, "Comments", "评论数", minimum=0),
        Column("sku", T.ID, "SKU mentioned", "提及的 SKU"),
        Column("url", T.STRING, "Link", "链接"),
    ),
    key=("source", "post_id"),
    grain_en="one row per post or repost", grain_zh="每条帖子/转发一行",
)  # fmt: skip

CS_MESSAGES = Table(
    "cs_messages", "Customer-service conversations", "客服会话消息",
    (
        *_person(),
        Column("message_id", T.ID, "Message id", "消息编号", required=True),
        Column("conversation_id", T.ID, "Conversation id", "会话编号", required=True),
        Column("sender", T.CODE, "Who wrote it", "发送方", values=("customer", "agent", "bot"), required=True),
        Column("agent_id", T.ID, "Agent", "客服编号"),
        _ts("sent_at", "Sent (UTC)", "发送时间(UTC)", required=True),
        Column("text", T.STRING, "Text", "内容"),
        _channel(),
        Column("order_id", T.ID, "Order discussed", "相关订单号"),
    ),
    key=("source", "message_id"), person=True,
    grain_en="one row per message", grain_zh="每条消息一行",
)  # fmt: skip

NPS_RESPONSES = Table(
    "nps_responses", "Net Promoter Score answers", "NPS 调研答卷",
    (
        *_person(),
        Column("response_id", T.ID, "Response id", "答卷编号", required=True),
        Column("score", T.INTEGER, "Likelihood to recommend (0-10)", "推荐意愿(0-10)", minimum=0, maximum=10,
               required=True),
        Column("comment", T.STRING, "Comment", "评论"),
        _ts("responded_at", "Answered (UTC)", "答卷时间(UTC)", required=True),
        Column("touchpoint", T.CODE, "Touchpoint surveyed", "调研触点",
               values=("after_delivery", "after_service", "periodic", "store_visit", "other")),
        _channel(),
    ),
    key=("source", "response_id"), person=True,
    grain_en="one row per answer", grain_zh="每份答卷一行",
)  # fmt: skip

MARKETING_SPEND = Table(
    "marketing_spend", "Marketing spend per day, channel and campaign", "按日、渠道、活动的营销花费",
    (
        _source(),
        Column("spend_date", T.DATE, "Day", "日期", required=True),
        Column("channel_id", T.ID, "Channel", "渠道", required=True),
        Column("campaign_id", T.ID, "Campaign id", "活动编号", required=True),
        Column("campaign_name", T.STRING, "Campaign name", "活动名称"),
        _money("spend", "Spend", "花费", required=True),
        _currency(),
        Column("impressions", T.INTEGER, "Impressions", "曝光", minimum=0),
        Column("clicks", T.INTEGER, "Clicks", "点击", minimum=0),
        Column("conversions", T.INTEGER, "Conversions reported by the ad platform", "广告平台回传转化", minimum=0),
        _money("attributed_revenue", "Revenue attributed by the ad platform", "广告平台归因收入"),
    ),
    key=("source", "spend_date", "channel_id", "campaign_id"),
    grain_en="one row per day, channel and campaign", grain_zh="每日、每渠道、每活动一行",
)  # fmt: skip

CONTENT = Table(
    "content", "Content pieces (notes, videos, live streams, articles)", "内容(笔记、短视频、直播、文章)",
    (
        _source(),
        Column("content_id", T.ID, "Content id", "内容编号", required=True),
        Column("kind", T.CODE, "Kind", "类型", values=("article", "video", "live", "note", "image", "post", "other")),
        Column("title", T.STRING, "Title", "标题"),
        _channel(),
        Column("author", T.STRING, "Author or creator", "作者/达人"),
        Column("topic", T.STRING, "Topic", "话题"),
        _ts("published_at", "Published (UTC)", "发布时间(UTC)"),
        _money("cost", "Production and placement cost", "制作与投放成本"),
    ),
    key=("source", "content_id"),
    grain_en="one row per content piece", grain_zh="每条内容一行",
)  # fmt: skip

CONTENT_TOUCHES = Table(
    "content_touches", "People touched by content", "内容触达",
    (
        *_person(),
        Column("touch_id", T.ID, "Touch id", "触达编号", required=True),
        Column("content_id", T.ID, "Content", "内容编号", required=True),
        Column("action", T.CODE, "Action", "动作", values=("view", "click", "like", "share", "comment", "purchase")),
        _ts("touched_at", "When (UTC)", "时间(UTC)", required=True),
    ),
    key=("source", "touch_id"), person=True,
    grain_en="one row per touch", grain_zh="每次触达一行",
)  # fmt: skip

PROMOTIONS = Table(
    "promotions", "Promotions and festival campaigns", "促销与大促活动",
    (
        _source(),
        Column("promotion_id", T.ID, "Promotion id", "活动编号", required=True),
        Column("name", T.STRING, "Name", "名称"),
        Column("kind", T.CODE, "Mechanism", "机制",
               values=("discount", "coupon", "full_reduction", "flash_sale", "bundle", "gift", "presale", "other")),
        Column("festival", T.CODE, "Festival", "节点",
               values=("double11", "618", "double12", "spring_festival", "new_year", "womens_day", "other")),
        _channel(),
        _ts("starts_at", "Start (UTC)", "开始时间(UTC)", past_only=False),
        _ts("ends_at", "End (UTC)", "结束时间(UTC)", past_only=False),
        Column("discount_rate", T.RATE, "Discount as a fraction of price", "折扣比例", minimum=0, maximum=1),
        _money("threshold_amount", "Spend threshold (满)", "满减门槛"),
        _money("reduction_amount", "Reduction (减)", "减免金额"),
        Column("sku", T.ID, "SKU in scope (empty: all)", "适用 SKU(空为全部)"),
        Column("category", T.STRING, "Category in scope", "适用类目"),
    ),
    key=("source", "promotion_id"),
    grain_en="one row per promotion", grain_zh="每个活动一行",
)  # fmt: skip

EXPERIMENT_EXPOSURES = Table(
    "experiment_exposures", "Who saw which variant of an experiment", "实验曝光:谁看到了哪个版本",
    (
        *_person(),
        Column("experiment_key", T.ID, "Experiment", "实验", required=True),
        Column("unit_id", T.ID, "Randomisation unit (user, device, session)", "随机化单元(用户、设备、会话)",
               required=True),
        Column("variant", T.ID, "Variant", "版本", required=True),
        _ts("exposed_at", "First exposure (UTC)", "首次曝光(UTC)"),
        _channel(),
    ),
    key=("source", "experiment_key", "unit_id"), person=True,
    grain_en="one row per unit and experiment", grain_zh="每个实验每个单元一行",
)  # fmt: skip

EXTERNAL_SIGNALS = Table(
    "external_signals", "Outside signals: weather, topic heat, competitor moves, holidays",
    "外部信号:天气、话题热度、竞品动作、节假日",
    (
        _source(),
        Column("signal_date", T.DATE, "Day", "日期", required=True, past_only=False),
        Column("kind", T.CODE, "Kind", "类型", required=True,
               values=("weather", "topic_heat", "competitor_promotion", "competitor_launch", "holiday", "other")),
        Column("region", T.STRING, "City or region ('' for national)", "城市或地区(全国为空串)", required=True),
        Column("key", T.STRING, "What is measured (e.g. temperature_c, a topic, a competitor)",
               "指标(如 temperature_c、话题、竞品)", required=True),
        Column("value", T.NUMBER, "Value", "数值"),
        Column("text", T.STRING, "Description", "描述"),
    ),
    key=("source", "kind", "signal_date", "region", "key"),
    grain_en="one row per signal, region and day", grain_zh="每个信号、地区、日期一行",
)  # fmt: skip

CONSENTS = Table(
    "consents", "Consents and opt-outs per channel and purpose", "按渠道与用途的授权与退订",
    (
        *_person(),
        Column("channel", T.CODE, "Contact channel", "触达渠道", required=True,
               values=("sms", "email", "wechat", "app_push", "phone_call", "mail", "all")),
        Column("purpose", T.CODE, "Purpose", "用途", required=True,
               values=("marketing", "personalisation", "analytics", "third_party_sharing")),
        Column("status", T.CODE, "Granted or withdrawn", "授权或撤回", values=("granted", "withdrawn"), required=True),
        _ts("changed_at", "When it changed (UTC)", "变更时间(UTC)", required=True),
        Column("evidence", T.STRING, "Where the consent was given", "授权凭证/来源"),
    ),
    key=("source", "customer_id", "channel", "purpose", "changed_at"), person=True,
    grain_en="one row per consent change", grain_zh="每次授权变更一行",
)  # fmt: skip

MEMBER_TIERS = Table(
    "member_tiers", "Member tier history", "会员等级历史",
    (
        *_person(),
        Column("tier", T.ID, "Tier code (e.g. silver, gold)", "等级代码(如 silver、gold)", required=True),
        _ts("valid_from", "From (UTC)", "生效时间(UTC)", required=True),
        _ts("valid_to", "Until (UTC, empty while current)", "失效时间(UTC,当前等级为空)", past_only=False),
        Column("reason", T.CODE, "Why", "原因", values=("initial", "upgrade", "downgrade", "renewal", "manual")),
    ),
    key=("source", "customer_id", "valid_from"), person=True,
    grain_en="one row per tier period", grain_zh="每段等级期一行",
)  # fmt: skip

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        CHANNELS, LOCATIONS, CUSTOMERS, IDENTITIES, PRODUCTS, ORDERS, ORDER_ITEMS, PAYMENTS,
        INVOICES, REFUNDS, EVENTS, INVENTORY_SNAPSHOTS, SHIPMENTS, REVIEWS, POSTS, CS_MESSAGES,
        NPS_RESPONSES, MARKETING_SPEND, CONTENT, CONTENT_TOUCHES, PROMOTIONS, EXPERIMENT_EXPOSURES,
        EXTERNAL_SIGNALS, CONSENTS, MEMBER_TIERS,
    )
}  # fmt: skip


def table(name: str) -> Table:
    """The declaration of table ``name`` (:class:`~zhongtai.errors.NotFoundError` if unknown)."""
    try:
        return TABLES[name]
    except KeyError:
        from zhongtai.errors import NotFoundError

        raise NotFoundError("warehouse.unknown_table", table=name, known=", ".join(TABLES)) from None


def tables_in_load_order(names: list[str] | tuple[str, ...]) -> list[str]:
    """Order ``names`` so that referenced parents load before their children."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        for ref in TABLES[name].references:
            if ref.table in names:
                visit(ref.table)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered
