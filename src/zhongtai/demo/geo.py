"""Real Chinese cities (province, coordinates, tier) and the shop's sites placed around them.

Coordinates are city centres (WGS-84, rounded to 0.01°); ``urban`` is the urban population in
millions (rounded, used only as a weight); ``elevation`` in metres corrects the climate model.
Districts are real districts of each city.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CITIES", "STREETS", "City", "Sites", "city_weights", "place_sites"]


@dataclass(frozen=True, slots=True)
class City:
    name: str
    name_en: str
    province: str
    lat: float
    lon: float
    tier: int  # 1 一线, 2 新一线, 3 二线, 4 other
    urban: float  # urban population, millions
    elevation: int
    districts: tuple[str, ...]


CITIES: tuple[City, ...] = (
    City("北京", "Beijing", "北京", 39.90, 116.41, 1, 19.2, 50, ("朝阳区", "海淀区", "东城区", "丰台区")),
    City("上海", "Shanghai", "上海", 31.23, 121.47, 1, 22.1, 5, ("浦东新区", "徐汇区", "静安区", "闵行区")),
    City("广州", "Guangzhou", "广东", 23.13, 113.26, 1, 16.1, 20, ("天河区", "越秀区", "海珠区", "番禺区")),
    City("深圳", "Shenzhen", "广东", 22.54, 114.06, 1, 17.7, 10, ("南山区", "福田区", "罗湖区", "宝安区")),
    City("成都", "Chengdu", "四川", 30.57, 104.07, 2, 16.0, 500, ("锦江区", "武侯区", "青羊区", "高新区")),
    City("杭州", "Hangzhou", "浙江", 30.27, 120.16, 2, 11.1, 10, ("西湖区", "拱墅区", "滨江区", "余杭区")),
    City("重庆", "Chongqing", "重庆", 29.56, 106.55, 2, 15.4, 250, ("渝中区", "江北区", "南岸区", "沙坪坝区")),
    City("武汉", "Wuhan", "湖北", 30.59, 114.31, 2, 11.2, 25, ("江汉区", "武昌区", "洪山区", "江岸区")),
    City("西安", "Xi'an", "陕西", 34.34, 108.94, 2, 10.2, 400, ("雁塔区", "碑林区", "未央区", "长安区")),
    City("苏州", "Suzhou", "江苏", 31.30, 120.59, 2, 10.0, 5, ("姑苏区", "工业园区", "吴中区", "相城区")),
    City("天津", "Tianjin", "天津", 39.34, 117.36, 2, 11.7, 5, ("和平区", "南开区", "河西区", "滨海新区")),
    City("南京", "Nanjing", "江苏", 32.06, 118.80, 2, 8.3, 10, ("玄武区", "鼓楼区", "秦淮区", "建邺区")),
    City("长沙", "Changsha", "湖南", 28.23, 112.94, 2, 7.5, 50, ("岳麓区", "芙蓉区", "天心区", "开福区")),
    City("郑州", "Zhengzhou", "河南", 34.75, 113.63, 2, 9.0, 100, ("金水区", "中原区", "二七区", "管城回族区")),
    City("东莞", "Dongguan", "广东", 23.02, 113.75, 2, 9.3, 10, ("南城街道", "东城街道", "莞城街道", "松山湖")),
    City("青岛", "Qingdao", "山东", 36.07, 120.38, 2, 7.1, 20, ("市南区", "市北区", "崂山区", "黄岛区")),
    City("沈阳", "Shenyang", "辽宁", 41.81, 123.43, 2, 7.1, 50, ("和平区", "沈河区", "皇姑区", "浑南区")),
    City("宁波", "Ningbo", "浙江", 29.87, 121.54, 2, 6.7, 5, ("海曙区", "鄞州区", "江北区", "北仑区")),
    City("昆明", "Kunming", "云南", 25.04, 102.72, 2, 6.0, 1890, ("五华区", "盘龙区", "官渡区", "西山区")),
    City("合肥", "Hefei", "安徽", 31.82, 117.23, 3, 7.2, 30, ("蜀山区", "包河区", "庐阳区", "瑶海区")),
    City("佛山", "Foshan", "广东", 23.02, 113.12, 3, 9.0, 10, ("禅城区", "南海区", "顺德区", "三水区")),
    City("福州", "Fuzhou", "福建", 26.07, 119.31, 3, 5.2, 10, ("鼓楼区", "台江区", "仓山区", "晋安区")),
    City("厦门", "Xiamen", "福建", 24.48, 118.09, 3, 5.0, 10, ("思明区", "湖里区", "集美区", "海沧区")),
    City("哈尔滨", "Harbin", "黑龙江", 45.80, 126.53, 3, 6.6, 150, ("道里区", "南岗区", "香坊区", "道外区")),
    City("济南", "Jinan", "山东", 36.65, 117.12, 3, 6.9, 50, ("历下区", "市中区", "槐荫区", "历城区")),
    City("大连", "Dalian", "辽宁", 38.91, 121.61, 3, 5.0, 30, ("中山区", "西岗区", "沙河口区", "甘井子区")),
    City("长春", "Changchun", "吉林", 43.82, 125.32, 3, 5.5, 220, ("朝阳区", "南关区", "宽城区", "绿园区")),
    City("温州", "Wenzhou", "浙江", 27.99, 120.70, 3, 3.8, 10, ("鹿城区", "龙湾区", "瓯海区", "洞头区")),
    City("石家庄", "Shijiazhuang", "河北", 38.04, 114.51, 3, 5.6, 80, ("长安区", "桥西区", "新华区", "裕华区")),
    City("南宁", "Nanning", "广西", 22.82, 108.37, 3, 4.9, 80, ("青秀区", "兴宁区", "江南区", "西乡塘区")),
    City("贵阳", "Guiyang", "贵州", 26.65, 106.63, 3, 4.2, 1100, ("南明区", "云岩区", "观山湖区", "花溪区")),
    City("南昌", "Nanchang", "江西", 28.68, 115.86, 3, 4.6, 30, ("东湖区", "西湖区", "青山湖区", "红谷滩区")),
    City("无锡", "Wuxi", "江苏", 31.49, 120.31, 3, 5.0, 5, ("梁溪区", "滨湖区", "新吴区", "锡山区")),
    City("太原", "Taiyuan", "山西", 37.87, 112.55, 3, 4.4, 800, ("小店区", "迎泽区", "杏花岭区", "万柏林区")),
    City("兰州", "Lanzhou", "甘肃", 36.06, 103.83, 4, 3.4, 1520, ("城关区", "七里河区", "安宁区", "西固区")),
    City("乌鲁木齐", "Urumqi", "新疆", 43.83, 87.62, 4, 3.8, 800, ("天山区", "沙依巴克区", "新市区", "水磨沟区")),
    City("海口", "Haikou", "海南", 20.04, 110.20, 4, 2.3, 10, ("龙华区", "美兰区", "秀英区", "琼山区")),
    City("呼和浩特", "Hohhot", "内蒙古", 40.84, 111.75, 4, 2.6, 1050, ("新城区", "回民区", "赛罕区", "玉泉区")),
    City("珠海", "Zhuhai", "广东", 22.27, 113.58, 4, 2.2, 5, ("香洲区", "金湾区", "斗门区", "横琴")),
    City("拉萨", "Lhasa", "西藏", 29.65, 91.17, 4, 0.6, 3650, ("城关区", "堆龙德庆区", "达孜区", "柳梧新区")),
)  # fmt: skip

STREETS = (
    "人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "长江路", "文化路", "胜利路", "友谊路",
    "滨河路", "科技路", "学府路", "花园路", "光明路", "幸福路", "朝阳路", "东风路", "青年路", "南京路",
    "黄河路", "北京路", "延安路", "民主路", "体育路", "工业路", "迎宾大道", "世纪大道", "金融街", "商业街",
)  # fmt: skip

WAREHOUSE_HUBS = ("上海", "广州", "北京", "成都", "武汉", "西安")
MALLS = ("万达广场", "万象城", "大悦城", "银泰城", "龙湖天街", "吾悦广场", "印象城", "来福士广场", "太古里", "IFS")


def city_weights() -> np.ndarray:
    """Where customers live: urban population, boosted for higher tiers (online shoppers)."""
    boost = {1: 1.6, 2: 1.3, 3: 1.0, 4: 0.8}
    w = np.array([c.urban * boost[c.tier] for c in CITIES])
    return np.asarray(w / w.sum())


@dataclass(slots=True)
class Sites:
    """Warehouses, stores and lockers: one row each (index = position)."""

    location_id: list[str]
    kind: list[str]
    name: list[str]
    city: np.ndarray  # index into CITIES
    district: np.ndarray
    address: list[str]
    lat: np.ndarray
    lon: np.ndarray
    opened_day: np.ndarray  # days relative to the period start (negative: before)
    capacity: np.ndarray
    front_desk_phone: list[str]  # stores: the phone at the till (used by careless sign-ups)

    def of_kind(self, kind: str) -> np.ndarray:
        return np.flatnonzero(np.array(self.kind) == kind)


def _counts(persons: int) -> tuple[int, int, int]:
    warehouses = 2 if persons <= 20_000 else 4 if persons <= 300_000 else 6
    stores = int(np.clip(persons // 15_000, 3, 60))
    lockers = int(np.clip(persons // 4_000, 6, 300))
    return warehouses, stores, lockers


def place_sites(rng: np.random.Generator, persons: int) -> Sites:
    """Warehouses in logistics hubs, stores in the biggest cities, lockers in tier-1/2 cities."""
    n_wh, n_store, n_lock = _counts(persons)
    by_name = {c.name: i for i, c in enumerate(CITIES)}
    weights = city_weights()
    ids: list[str] = []
    kinds: list[str] = []
    names: list[str] = []
    cities: list[int] = []
    addresses: list[str] = []
    desk: list[str] = []
    for k, hub in enumerate(WAREHOUSE_HUBS[:n_wh]):
        ids.append(f"WH{k + 1:02d}")
        kinds.append("warehouse")
        names.append(f"青禾{hub}仓")
        cities.append(by_name[hub])
        desk.append("")
    big = np.argsort(-weights)
    store_city = np.concatenate([big[: min(n_store, 12)], rng.choice(len(CITIES), n_store, p=weights)])[:n_store]
    for k, ci in enumerate(store_city):
        ids.append(f"ST{k + 1:03d}")
        kinds.append("store")
        mall = MALLS[int(rng.integers(len(MALLS)))]
        names.append(f"青禾{CITIES[ci].name}{mall}店")
        cities.append(int(ci))
        desk.append(f"1{int(rng.integers(30, 90))}{int(rng.integers(10**7, 10**8))}")
    tier12 = np.array([c.tier <= 2 for c in CITIES])
    locker_weights = np.where(tier12, weights, 0.0)
    locker_city = rng.choice(len(CITIES), n_lock, p=locker_weights / locker_weights.sum())
    for k, ci in enumerate(locker_city):
        ids.append(f"LK{k + 1:04d}")
        kinds.append("locker")
        names.append(f"丰巢智能柜{CITIES[ci].name}{k + 1:04d}")
        cities.append(int(ci))
        desk.append("")
    n = len(ids)
    city = np.array(cities)
    district = rng.integers(0, 4, n)
    for i in range(n):
        street = STREETS[int(rng.integers(len(STREETS)))]
        addresses.append(f"{CITIES[city[i]].districts[district[i]]}{street}{int(rng.integers(1, 999))}号")
    lat = np.array([CITIES[c].lat for c in city]) + rng.normal(0, 0.04, n)
    lon = np.array([CITIES[c].lon for c in city]) + rng.normal(0, 0.04, n)
    kind_arr = np.array(kinds)
    # every site opened before the period, so no order ever names a site that did not exist yet
    opened = np.where(
        kind_arr == "warehouse",
        rng.integers(-2000, -400, n),
        np.where(kind_arr == "store", rng.integers(-1800, -30, n), rng.integers(-900, -10, n)),
    )
    capacity = np.where(
        kind_arr == "warehouse",
        rng.integers(200_000, 800_000, n),
        np.where(kind_arr == "store", rng.integers(3_000, 12_000, n), rng.integers(40, 120, n)),
    )
    return Sites(
        ids,
        kinds,
        names,
        city,
        district,
        addresses,
        np.round(lat, 5),
        np.round(lon, 5),
        opened.astype(np.int64),
        capacity.astype(np.int64),
        desk,
    )
