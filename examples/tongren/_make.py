"""Generate the Tongren (同仁市, Rebgong) example dataset.

Deterministic: run ``python examples/tongren/_make.py`` and the CSV files in
this folder are rewritten byte for byte the same. All personal names, phone
numbers and e-mail addresses are fictional (see README.md).

The hand-written tables below (townships, villages, advisors, trainers,
venues, assignments, absences) are the dataset; only the people roster and
small coordinate offsets are drawn from a seeded random generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(20260701)

# --------------------------------------------------------------------------
# Townships: id, name, name_bo, approximate seat (lat, lon), kind.
# Tibetan only where certain; everything else is left empty for review.
# kind: the two towns; 多哇镇 pastoral (herding); 扎毛乡 has a herders' committee
# (mixed); the other townships' kind is left empty (not checked against a source).
TOWNSHIPS = [
    ("longwu", "隆务镇", "རོང་བོ", 35.5195, 102.0175, "town"),
    ("baoan", "保安镇", "", 35.6480, 102.0420, "town"),
    ("duowa", "多哇镇", "", 35.1100, 102.1500, "herding"),
    ("nianduhu", "年都乎乡", "", 35.5520, 102.0050, ""),
    ("zhamao", "扎毛乡", "", 35.4150, 101.9000, "mixed"),
    ("shuangpengxi", "双朋西乡", "", 35.7150, 102.1950, ""),
    ("jiawu", "加吾乡", "", 35.4700, 102.1700, ""),
    ("huangnaihai", "黄乃亥乡", "", 35.5700, 101.7900, ""),
    ("qukuhu", "曲库乎乡", "", 35.3600, 101.9850, ""),
    ("lancai", "兰采乡", "", 35.6800, 101.8800, ""),
    ("guashize", "瓜什则乡", "", 35.5700, 102.2700, ""),
]
SEAT = {t[0]: (t[3], t[4]) for t in TOWNSHIPS}

# --------------------------------------------------------------------------
# Villages: (id, name, township, kind, service_class, languages, pop_range, source)
# source: "s" = name seen in a public source, "m" = from memory / unconfirmed,
# "i" = invented placeholder.  (README.md lists them.)
V, C = "village", "community"
SUB, REM, COM = "suburban", "remote", "community"
BO, BZ, ZH = "bo", "bo;zh", "zh"
VILLAGES = [
    # 隆务镇 — city seat: 5 communities + 10 villages
    ("longwu-c01", "隆务镇一社区", "longwu", C, COM, ZH, (4500, 7500), "s"),
    ("longwu-c02", "隆务镇二社区", "longwu", C, COM, BZ, (4000, 7000), "s"),
    ("longwu-c03", "隆务镇三社区", "longwu", C, COM, BZ, (3500, 6500), "s"),
    ("longwu-c04", "隆务镇四社区", "longwu", C, COM, ZH, (2500, 5000), "i"),
    ("longwu-c05", "隆务镇五社区", "longwu", C, COM, BZ, (2000, 4500), "i"),
    ("longwu-wutunshangzhuang", "吴屯上庄村", "longwu", V, SUB, BZ, (1500, 2600), "s"),
    ("longwu-wutunxiazhuang", "吴屯下庄村", "longwu", V, SUB, BZ, (1400, 2400), "s"),
    ("longwu-jiamao", "加毛村", "longwu", V, SUB, BO, (800, 1600), "s"),
    ("longwu-xiangyang", "向阳村", "longwu", V, SUB, ZH, (900, 1800), "s"),
    ("longwu-chengzhen", "城镇村", "longwu", V, SUB, BZ, (1500, 2800), "s"),
    ("longwu-siheji", "四合吉村", "longwu", V, SUB, BO, (1200, 2200), "s"),
    ("longwu-longwu", "隆务村", "longwu", V, SUB, BO, (1800, 3000), "s"),
    ("longwu-jiacangma", "加仓玛村", "longwu", V, SUB, BO, (700, 1500), "s"),
    ("longwu-cuoyu", "措玉村", "longwu", V, SUB, BO, (600, 1300), "s"),
    # 牙浪: its (invented) position is next to the city, so it is served as suburban
    ("longwu-yalang", "牙浪村", "longwu", V, SUB, BO, (500, 1100), "m"),
    # 年都乎乡 — Tu (Monguor/Wutun) and Tibetan villages next to the city
    ("nianduhu-nianduhu", "年都乎村", "nianduhu", V, SUB, BZ, (1200, 2200), "s"),
    ("nianduhu-guomari", "郭麻日村", "nianduhu", V, SUB, BZ, (1000, 1900), "m"),
    ("nianduhu-gashari", "尕沙日村", "nianduhu", V, SUB, BZ, (800, 1500), "s"),
    ("nianduhu-xiabulang", "夏卜浪村", "nianduhu", V, SUB, BO, (600, 1200), "m"),
    ("nianduhu-quma", "曲麻村", "nianduhu", V, SUB, BO, (500, 1100), "m"),
    ("nianduhu-luhexiang", "录合相村", "nianduhu", V, SUB, BO, (400, 900), "m"),
    # 保安镇 — multi-ethnic town in the north: 1 community + 12 villages
    ("baoan-c01", "保安镇社区", "baoan", C, COM, BZ, (2000, 3200), "i"),
    ("baoan-chengnei", "城内村", "baoan", V, SUB, ZH, (900, 1700), "s"),
    ("baoan-chengwai", "城外村", "baoan", V, SUB, BZ, (800, 1600), "s"),
    ("baoan-xincheng", "新城村", "baoan", V, SUB, BZ, (700, 1400), "s"),
    ("baoan-zedun", "则墩村", "baoan", V, REM, BO, (500, 1100), "s"),
    ("baoan-tuojiawoke", "托加卧科村", "baoan", V, REM, BO, (400, 900), "s"),
    ("baoan-xiagalong", "夏尕隆村", "baoan", V, REM, BO, (400, 1000), "s"),
    ("baoan-xiangqu", "相曲村", "baoan", V, REM, BO, (500, 1100), "s"),
    ("baoan-quandu", "全都村", "baoan", V, REM, BO, (400, 900), "s"),
    ("baoan-maba", "麻巴村", "baoan", V, REM, BO, (600, 1300), "m"),
    ("baoan-yinzhamu", "银扎木村", "baoan", V, REM, BO, (400, 900), "m"),
    ("baoan-halabatu", "哈拉巴图村", "baoan", V, REM, BO, (300, 800), "m"),
    ("baoan-gazedong", "尕泽东村", "baoan", V, REM, BO, (400, 900), "m"),
    # 多哇镇 — pastoral, far south
    ("duowa-jiaolongwu", "交隆务村", "duowa", V, REM, BO, (600, 1300), "s"),
    ("duowa-quna", "曲那村", "duowa", V, REM, BO, (500, 1100), "s"),
    ("duowa-jiande", "尖德村", "duowa", V, REM, BO, (500, 1000), "s"),
    ("duowa-kashijia", "卡什加村", "duowa", V, REM, BO, (400, 1000), "s"),
    ("duowa-dongwei", "东卫村", "duowa", V, REM, BO, (400, 900), "s"),
    ("duowa-zhiyue", "直跃村", "duowa", V, REM, BO, (300, 800), "s"),
    # 扎毛乡
    ("zhamao-zhamao", "扎毛村", "zhamao", V, REM, BO, (900, 1700), "s"),
    ("zhamao-kasuhu", "卡苏乎村", "zhamao", V, REM, BO, (600, 1200), "s"),
    ("zhamao-heri", "和日村", "zhamao", V, REM, BO, (800, 1500), "s"),
    ("zhamao-guogailicang", "果盖里仓村", "zhamao", V, REM, BO, (600, 1300), "s"),
    # 双朋西乡
    ("shuangpengxi-shuangpengxi", "双朋西村", "shuangpengxi", V, REM, BO, (700, 1300), "s"),
    ("shuangpengxi-huanzhu", "还主村", "shuangpengxi", V, REM, BO, (500, 1000), "s"),
    ("shuangpengxi-xiezhi", "协智村", "shuangpengxi", V, REM, BO, (500, 1000), "s"),
    ("shuangpengxi-ningta", "宁塔村", "shuangpengxi", V, REM, BO, (400, 900), "s"),
    # 兰采乡
    ("lancai-lancairongwa", "兰采荣哇村", "lancai", V, REM, BO, (700, 1300), "s"),
    ("lancai-gariwa", "尕日哇村", "lancai", V, REM, BO, (500, 1000), "s"),
    ("lancai-maicang", "麦仓村", "lancai", V, REM, BO, (500, 1000), "s"),
    ("lancai-huanquhu", "还去乎村", "lancai", V, REM, BO, (400, 900), "s"),
    # 加吾乡
    ("jiawu-jiawu", "加吾村", "jiawu", V, REM, BO, (700, 1400), "m"),
    ("jiawu-jicang", "吉仓村", "jiawu", V, REM, BO, (400, 900), "i"),
    ("jiawu-gama", "尕玛村", "jiawu", V, REM, BO, (400, 900), "i"),
    ("jiawu-dewa", "德哇村", "jiawu", V, REM, BO, (300, 800), "i"),
    ("jiawu-lajia", "拉加村", "jiawu", V, REM, BO, (300, 700), "i"),
    # 黄乃亥乡
    ("huangnaihai-huangnaihai", "黄乃亥村", "huangnaihai", V, REM, BO, (700, 1400), "m"),
    ("huangnaihai-rixiuma", "日秀麻村", "huangnaihai", V, REM, BO, (500, 1100), "m"),
    ("huangnaihai-awuhu", "阿吾乎村", "huangnaihai", V, REM, BO, (500, 1000), "m"),
    ("huangnaihai-qiajia", "恰加村", "huangnaihai", V, REM, BO, (400, 900), "m"),
    ("huangnaihai-demao", "德毛村", "huangnaihai", V, REM, BO, (400, 900), "i"),
    ("huangnaihai-jiarang", "加让村", "huangnaihai", V, REM, BO, (300, 800), "i"),
    ("huangnaihai-donggeng", "东更村", "huangnaihai", V, REM, BO, (300, 700), "i"),
    ("huangnaihai-saiqu", "赛曲村", "huangnaihai", V, REM, BO, (300, 700), "i"),
    # 曲库乎乡
    ("qukuhu-qukuhu", "曲库乎村", "qukuhu", V, REM, BO, (800, 1500), "m"),
    ("qukuhu-jiangshijia", "江什加村", "qukuhu", V, REM, BO, (700, 1400), "m"),
    ("qukuhu-gude", "古德村", "qukuhu", V, REM, BO, (500, 1100), "m"),
    ("qukuhu-suohurima", "索乎日麻村", "qukuhu", V, REM, BO, (500, 1000), "m"),
    ("qukuhu-muhesha", "木合沙村", "qukuhu", V, REM, BO, (400, 900), "m"),
    ("qukuhu-wuqu", "吾曲村", "qukuhu", V, REM, BO, (300, 800), "i"),
    ("qukuhu-licang", "立仓村", "qukuhu", V, REM, BO, (300, 700), "i"),
    # 瓜什则乡
    ("guashize-guashize", "瓜什则村", "guashize", V, REM, BO, (600, 1200), "m"),
    ("guashize-lake", "拉科村", "guashize", V, REM, BO, (400, 900), "i"),
    ("guashize-rehe", "热合村", "guashize", V, REM, BO, (400, 900), "i"),
    ("guashize-zama", "杂玛村", "guashize", V, REM, BO, (300, 800), "i"),
    ("guashize-jiacang", "加仓村", "guashize", V, REM, BO, (300, 800), "i"),
    ("guashize-garang", "尕让村", "guashize", V, REM, BO, (300, 700), "i"),
]

# Spread of villages around their seat, in degrees (pastoral townships are wide).
SPREAD = {
    "longwu": 0.020, "nianduhu": 0.015, "baoan": 0.040, "duowa": 0.040,
    "zhamao": 0.040, "shuangpengxi": 0.035, "jiawu": 0.035, "huangnaihai": 0.050,
    "qukuhu": 0.040, "lancai": 0.045, "guashize": 0.040,
}

# --------------------------------------------------------------------------
# Advisors: id, name, role, organisation, languages, office township, capacity
# ("" = policy default), hotline, active, email. The six 司法所 staff are civil
# servants (role justice_office): they serve only their own township's villages,
# unpaid by the subsidy; advisors.csv gives their township.
F1 = "青海隆河律师事务所"
F2 = "黄南正衡律师事务所"
F3 = "青海雪源律师事务所黄南分所"
LA = "同仁市法律援助中心"
NO = "同仁市公证处"
SJ = "同仁市司法局"
ADVISORS = [
    ("adv-01", "才让多杰", "lawyer", F1, BZ, "longwu", 5, True, True, "cairang.duojie@example.org"),
    ("adv-02", "卓玛措", "lawyer", F1, BZ, "longwu", 5, True, True, "zhuoma.cuo@example.org"),
    ("adv-03", "王建华", "lawyer", F1, ZH, "longwu", 3, True, True, "wang.jianhua@example.org"),
    ("adv-04", "更登加", "lawyer", F1, BZ, "longwu", "", True, True, ""),
    ("adv-05", "拉毛吉", "lawyer", F2, BZ, "longwu", 5, True, True, "lamaoji@example.com"),
    ("adv-06", "扎西东智", "lawyer", F2, BZ, "longwu", 5, True, True, "zhaxi.dongzhi@example.com"),
    ("adv-07", "马海燕", "lawyer", F2, ZH, "longwu", 3, True, True, "ma.haiyan@example.com"),
    ("adv-08", "索南仁青", "lawyer", F3, BZ, "longwu", 5, True, True, "suonan.renqing@example.org"),
    ("adv-09", "李志强", "lawyer", F3, ZH, "longwu", "", False, True, ""),
    ("adv-10", "旦正加", "lawyer", F3, BZ, "longwu", 4, False, False, "danzheng.jia@example.org"),
    ("adv-11", "切吉卓玛", "legal_aid", LA, BZ, "longwu", 5, True, True, "qieji.zhuoma@example.org"),
    ("adv-12", "桑杰才让", "legal_aid", LA, BZ, "longwu", 5, True, True, "sangjie.cairang@example.org"),
    ("adv-13", "韩玉梅", "legal_aid", LA, ZH, "longwu", 3, True, True, "han.yumei@example.org"),
    ("adv-14", "完么加", "justice_office", "隆务镇司法所", BZ, "longwu", 5, False, True, ""),
    ("adv-15", "祁文斌", "justice_office", "保安镇司法所", BZ, "baoan", 5, False, True, "qi.wenbin@example.org"),
    ("adv-16", "华旦", "justice_office", "多哇镇司法所", BZ, "duowa", 5, False, True, ""),
    ("adv-17", "公保才让", "justice_office", "曲库乎乡司法所", BZ, "qukuhu", 5, False, True, ""),
    ("adv-18", "拉毛草", "justice_office", "黄乃亥乡司法所", BZ, "huangnaihai", 5, False, True, "lamaocao@example.com"),
    ("adv-19", "周加", "justice_office", "双朋西乡司法所", BZ, "shuangpengxi", 4, False, True, ""),
    ("adv-20", "德吉卓玛", "notary", NO, BZ, "longwu", 4, False, True, "deji.zhuoma@example.org"),
    ("adv-21", "赵国庆", "notary", NO, BZ, "longwu", "", False, True, "zhao.guoqing@example.org"),
    ("adv-22", "久美多杰", "public_lawyer", SJ, BZ, "longwu", 4, True, True, "jiumei.duojie@example.org"),
    ("adv-23", "先巴加", "public_lawyer", SJ, BZ, "longwu", 4, True, True, ""),
]

# Trainers: id, name, languages, topics, township, max_sessions, email
TRAINERS = [
    ("tr-01", "多杰才让", BZ, "civil_code;land_contract;mediation", "longwu", 6, "duojie.cairang@example.org"),
    ("tr-02", "卓玛草", BZ, "marriage_family;domestic_violence;legal_aid", "longwu", 8, "zhuomacao@example.org"),
    ("tr-03", "尕藏东智", BZ, "civil_code;mediation;legal_aid;land_contract", "longwu", 5, ""),
    ("tr-04", "万玛吉", BZ, "marriage_family;domestic_violence;civil_code", "baoan", 4, "wanmaji@example.com"),
    ("tr-05", "角巴", BZ, "land_contract;mediation", "qukuhu", 4, ""),
    ("tr-06", "三知加", BO, "mediation;marriage_family;land_contract", "longwu", 6, ""),
    ("tr-07", "刘秀兰", ZH, "civil_code;legal_aid;domestic_violence;marriage_family;mediation", "longwu", 8, "liu.xiulan@example.org"),
    ("tr-08", "杨永福", ZH, "land_contract;civil_code", "longwu", 4, "yang.yongfu@example.org"),
]

# Existing contracts: village, advisor, pinned
ASSIGNMENTS = [
    ("longwu-siheji", "adv-01", True),
    ("longwu-longwu", "adv-01", False),
    ("longwu-c01", "adv-03", True),
    ("longwu-c02", "adv-14", False),
    ("longwu-wutunshangzhuang", "adv-14", True),
    ("nianduhu-nianduhu", "adv-05", False),
    ("nianduhu-guomari", "adv-05", False),
    ("baoan-chengnei", "adv-15", True),
    ("baoan-zedun", "adv-15", False),
    ("baoan-c01", "adv-15", False),
    ("duowa-jiaolongwu", "adv-16", True),
    ("duowa-quna", "adv-16", False),
    ("qukuhu-qukuhu", "adv-17", False),
    ("huangnaihai-huangnaihai", "adv-18", False),
    ("shuangpengxi-shuangpengxi", "adv-19", False),
]

UNAVAILABILITY = [
    ("adv-02", "2026-12-07", "2026-12-11", "青海省律师协会业务培训班"),
    ("adv-16", "2026-12-21", "2027-01-08", "州司法局双语法律服务骨干培训"),
    ("adv-05", "2027-01-11", "2027-01-22", "病假"),
    ("tr-03", "2027-01-18", "2027-01-29", "探亲假"),
    ("adv-08", "2027-02-22", "2027-02-24", "开庭（西宁市中级人民法院）"),
    ("adv-11", "2027-03-02", "2027-03-04", "开庭（黄南州中级人民法院）"),
    ("tr-05", "2027-03-15", "2027-03-19", "州普法讲师团集中备课"),
]

# Legal-aid priority requests (seed plan §五): id, village, group, kind, received, languages,
# note (private, fictional). req-2026-105 cannot be met in time: the village's advisor
# of record, adv-16 (多哇镇司法所), is away 2026-12-21 – 2027-01-08, and a request of no
# priority group goes to the advisor of record only — the January plan says so.
REQUESTS = [
    ("req-2026-101", "longwu-jiamao", "老年人", "上门服务", "2026-12-01", BO, "独居老人，行动不便，赡养费纠纷"),
    ("req-2026-102", "baoan-chengnei", "农民工", "预约咨询", "2026-12-02", ZH, "工地欠薪三个月"),
    ("req-2026-103", "duowa-quna", "残疾人", "上门服务", "2026-12-16", BO, "草场纠纷，申请法律援助"),
    ("req-2026-104", "nianduhu-guomari", "家庭暴力受害妇女", "预约咨询", "2026-12-07", BZ, "人身安全保护令咨询"),
    ("req-2026-105", "duowa-jiaolongwu", "其他群众", "上门服务", "2026-12-21", BO, "宅基地边界纠纷"),
    ("req-2026-106", "longwu-c01", "老年人", "上门服务", "2026-12-10", BO, "只会说藏语的老人，遗产继承"),
]

VENUE_KIND = {
    "longwu": ("隆务镇司法所会议室", 40), "baoan": ("保安镇综合服务中心会议室", 50),
    "duowa": ("多哇镇综合服务中心会议室", 40), "nianduhu": ("年都乎乡司法所会议室", 30),
    "zhamao": ("扎毛乡综合服务中心会议室", 30), "shuangpengxi": ("双朋西乡司法所会议室", 30),
    "jiawu": ("加吾乡综合服务中心会议室", 35), "huangnaihai": ("黄乃亥乡综合服务中心会议室", 45),
    "qukuhu": ("曲库乎乡综合服务中心会议室", 50), "lancai": ("兰采乡司法所会议室", 30),
    "guashize": ("瓜什则乡综合服务中心会议室", 35),
}

# --------------------------------------------------------------------------
# Name pools for the (fictional) people roster.
BO_GIVEN = ("才让 卓玛 多杰 拉毛 更登 扎西 索南 旦正 仁青 桑杰 完么 加措 先巴 东智 "
            "闹日 华旦 切吉 德吉 尕藏 久美 周加 看卓 万玛 公保 夏吾 角巴 三知 南加 "
            "当周 李加 才旦 吉毛 措吉 娘吉 卓嘎 拉本 贡保 昂秀 多旦 仁增 才华 项欠 "
            "东主 更藏 拉加 杨本 尕布 完德 桑吉 措毛 吉先 南措 乔毛 华青 索巴 卡先").split()
BO_SUFFIX = "加 吉 草 措 才让 多杰 卓玛 东智 太 本 杰 毛".split()
ZH_SURNAME = "王 李 张 刘 陈 杨 赵 马 韩 祁 吕 何 冶 周 朱 罗 胡 徐".split()
ZH_GIVEN = ("建华 海燕 志强 秀兰 玉梅 国庆 文斌 永福 晓东 丽娟 春花 德明 学军 红霞 "
            "小平 玉兰 金花 得福 有财 宏伟 淑芳 继红 英 芳 军 勇 霞 梅 林 斌").split()


def bo_name() -> str:
    first = rng.choice(BO_GIVEN)
    if rng.random() < 0.55:
        second = rng.choice(BO_SUFFIX + BO_GIVEN)
        if second != first:
            return first + second
    return first


def zh_name() -> str:
    return rng.choice(ZH_SURNAME) + rng.choice(ZH_GIVEN)


_phone = iter(range(1001, 10000))


def phone() -> str:
    return f"1000000{next(_phone):04d}"


def rand_date(start: dt.date, end: dt.date) -> str:
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


def person_lang(village_lang: str, role: str) -> str:
    if village_lang == ZH:
        return ZH
    if village_lang == BZ:
        return BZ if rng.random() < 0.8 else (ZH if rng.random() < 0.5 else BO)
    # Tibetan villages: cadres mostly bilingual, villagers often Tibetan only
    p_bz = 0.75 if role in ("cadre", "liaison") else 0.45
    return BZ if rng.random() < p_bz else BO


# Names in purely Tibetan villages are Tibetan: a Han name drawn there is replaced from
# this separate generator, so that every other draw (and so every other row) stays as it was.
tibetan_names = random.Random(20261203)


def person_name(lang: str, village_lang: str) -> str:
    if lang == ZH:
        name = zh_name()
    elif lang == BZ and rng.random() < 0.15:
        name = zh_name()
    else:
        return bo_name()
    if village_lang != BO:
        return name
    first = tibetan_names.choice(BO_GIVEN)
    return first + tibetan_names.choice(BO_SUFFIX) if tibetan_names.random() < 0.55 else first


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def b(x: bool) -> str:
    return "true" if x else "false"


def jitter(lat: float, lon: float, d: float) -> tuple[float, float]:
    return round(lat + rng.uniform(-d, d), 4), round(lon + rng.uniform(-d, d) * 1.2, 4)


def main() -> None:
    write("townships.csv", ["id", "name", "name_bo", "kind"],
          [[t[0], t[1], t[2], t[5]] for t in TOWNSHIPS])

    vrows = []
    for vid, name, tw, kind, cls, langs, (lo, hi), _src in VILLAGES:
        lat, lon = jitter(*SEAT[tw], SPREAD[tw] * (0.3 if kind == C else 1.0))
        pop = rng.randrange(lo, hi + 1, 10)
        vrows.append([vid, name, "", tw, kind, cls, langs, f"{lat:.4f}", f"{lon:.4f}", pop])
    city = SEAT["longwu"]
    for row in vrows:  # "remote" is remote from the county seat, not a village next to it
        if row[5] == REM:
            dlat, dlon = float(row[7]) - city[0], (float(row[8]) - city[1]) * 0.81
            assert (dlat * dlat + dlon * dlon) ** 0.5 * 111 > 10, f"{row[0]} is not remote"
    write("villages.csv", ["id", "name", "name_bo", "township", "kind", "service_class",
                           "languages", "lat", "lon", "population"], vrows)

    arows = []
    for aid, name, role, org, langs, tw, cap, hot, active, email in ADVISORS:
        lat, lon = jitter(*SEAT[tw], 0.004)
        arows.append([aid, name, role, org, langs, phone(), email, f"{lat:.4f}", f"{lon:.4f}",
                      cap, b(hot), b(active), tw if role == "justice_office" else ""])
    write("advisors.csv", ["id", "name", "role", "organization", "languages", "phone", "email",
                           "lat", "lon", "capacity", "hotline", "active", "township"], arows)

    trows = []
    for tid, name, langs, topics, tw, mx, email in TRAINERS:
        lat, lon = jitter(*SEAT[tw], 0.004)
        trows.append([tid, name, langs, topics, f"{lat:.4f}", f"{lon:.4f}", mx, phone(), email])
    write("trainers.csv", ["id", "name", "languages", "topics", "lat", "lon",
                           "max_sessions_per_month", "phone", "email"], trows)

    # People: 3-5 legal-savvy persons, 2-3 cadres, 1 liaison per village.
    village_ids = [v[0] for v in VILLAGES]
    short = set(rng.sample([v for v in village_ids if not v.endswith("-c01")], 8))
    with_inactive = set(rng.sample([v for v in village_ids if v not in short], 6))
    prows = []
    for vid, _name, _tw, _kind, _cls, vlang, _pop, _src in VILLAGES:
        n = 0

        def add(role: str, status: str, certified: str, with_phone: bool = True) -> None:
            nonlocal n
            n += 1
            lang = person_lang(vlang, role)
            prows.append([f"p-{vid}-{n}", person_name(lang, vlang), vid, role, status, lang,
                          phone() if with_phone else "", certified])

        if vid in short:
            for _ in range(rng.choice((1, 2))):
                add("legal_savvy", "active", rand_date(dt.date(2023, 3, 1), dt.date(2026, 6, 30)))
            for _ in range(rng.choice((0, 1, 2))):
                add("legal_savvy", "candidate", "", rng.random() < 0.8)
        else:
            for _ in range(rng.choice((3, 3, 4, 4, 5))):
                add("legal_savvy", "active", rand_date(dt.date(2022, 3, 1), dt.date(2026, 6, 30)),
                    rng.random() < 0.92)
            if rng.random() < 0.3:
                add("legal_savvy", "candidate", "", True)
        if vid in with_inactive:
            add("legal_savvy", "inactive", rand_date(dt.date(2021, 11, 1), dt.date(2023, 6, 30)),
                rng.random() < 0.5)
        for _ in range(rng.choice((2, 3))):
            add("cadre", "active", "")
        add("liaison", "active", "")
    write("people.csv", ["id", "name", "village", "role", "status", "languages", "phone",
                         "certified_on"], prows)

    write("assignments.csv", ["village", "advisor", "pinned"],
          [[v, a, b(p)] for v, a, p in ASSIGNMENTS])
    write("unavailability.csv", ["who", "start", "end", "reason"], [list(r) for r in UNAVAILABILITY])

    write("requests.csv", ["id", "village", "group", "kind", "received_on", "languages", "note"],
          [list(r) for r in REQUESTS])

    venues = [["venue-city", "同仁市公共法律服务中心", "longwu", "35.5210", "102.0190", 120]]
    for tw, *_ in TOWNSHIPS:
        vname, cap = VENUE_KIND[tw]
        lat, lon = jitter(*SEAT[tw], 0.002)
        venues.append([f"venue-{tw}", vname, tw, f"{lat:.4f}", f"{lon:.4f}", cap])
    write("venues.csv", ["id", "name", "township", "lat", "lon", "capacity"], venues)


if __name__ == "__main__":
    main()
