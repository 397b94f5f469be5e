"""The model district's fixed vocabulary: streets, staff, sectors, names and the wording of records.

Chinese here is data (names, addresses, record texts as an office would write them), not interface text.
"""
from __future__ import annotations

import datetime as dt

# 17 streets (街道), each with its union service station (DOMAIN.md), English names in pinyin.
STREETS = [
    ("东湖街道", "Donghu Street"), ("西山街道", "Xishan Street"), ("南门街道", "Nanmen Street"),
    ("北关街道", "Beiguan Street"), ("城关街道", "Chengguan Street"), ("新华街道", "Xinhua Street"),
    ("解放街道", "Jiefang Street"), ("人民街道", "Renmin Street"), ("和平街道", "Heping Street"),
    ("建设街道", "Jianshe Street"), ("滨江街道", "Binjiang Street"), ("青山街道", "Qingshan Street"),
    ("花园街道", "Huayuan Street"), ("长乐街道", "Changle Street"), ("锦绣街道", "Jinxiu Street"),
    ("高新街道", "Gaoxin Street"), ("临港街道", "Lingang Street"),
]
ROADS = ["路", "大道", "街", "一路", "二路", "南路", "北路"]

# Staff the demo creates: (role, display name, username stem).  No administrator: the operator makes that.
STAFF = [
    ("supervisor", "陈建国", "chenjianguo"),
    ("mediator", "刘芳", "liufang"),
    ("mediator", "王燊", "wangshen"),
    ("mediator", "黄敏", "huangmin"),
    ("lawyer", "赵喆", "zhaozhe"),
    ("lawyer", "孙婷", "sunting"),
]

# The local administrative division (the district's own ID and credit-code prefix) and the counties
# migrant workers commonly come from.
LOCAL_AREAS = ["420106", "420102", "420111", "420115"]
MIGRANT_AREAS = ["511321", "411522", "430524", "341221", "522422", "360732", "500228", "421182",
                 "412726", "513030", "450521", "362131"]
LOCAL_LANDLINE = "027"

# Sector → (share of employers, name patterns, share of migrant workers, jobs, dispute-type weights).
SECTORS = {
    "construction": (0.26, ["{n}建筑劳务有限公司", "{n}建设工程劳务分包有限公司", "{n}建筑工程有限公司"],
                     0.85, ["钢筋工", "木工", "泥瓦工", "架子工", "水电工", "杂工"],
                     {"wage_arrears": 78, "overtime_pay": 3, "work_injury": 10, "labour_relationship": 7,
                      "severance": 2}),
    "restaurant": (0.16, ["{n}餐饮管理有限公司", "{n}酒楼", "{n}火锅店", "{n}餐厅"],
                   0.45, ["厨师", "帮厨", "服务员", "传菜员", "洗碗工"],
                   {"wage_arrears": 45, "overtime_pay": 12, "severance": 12, "dismissal": 10,
                    "social_insurance": 8, "rest_leave": 6, "contract": 4, "labour_relationship": 3}),
    "factory": (0.2, ["{n}电子科技有限公司", "{n}服装厂", "{n}食品有限公司", "{n}精密机械制造有限公司",
                      "{n}包装材料有限公司"],
                0.5, ["操作工", "质检员", "缝纫工", "包装工", "叉车司机", "仓管员"],
                {"wage_arrears": 42, "overtime_pay": 15, "severance": 14, "social_insurance": 10,
                 "work_injury": 6, "contract": 5, "dismissal": 4, "welfare_protection": 2, "rest_leave": 2}),
    "logistics": (0.14, ["{n}物流有限公司", "{n}快递服务有限公司", "{n}供应链管理有限公司"],
                  0.45, ["快递员", "分拣员", "货车司机", "装卸工"],
                  {"wage_arrears": 45, "overtime_pay": 14, "labour_relationship": 12, "severance": 10,
                   "social_insurance": 9, "work_injury": 6, "dismissal": 4}),
    "property": (0.12, ["{n}物业管理有限公司", "{n}物业服务有限公司"],
                 0.2, ["保安员", "保洁员", "维修工", "客服专员"],
                 {"wage_arrears": 35, "severance": 18, "social_insurance": 15, "overtime_pay": 10,
                  "contract": 8, "dismissal": 8, "rest_leave": 4, "other": 2}),
    "services": (0.12, ["{n}商贸有限公司", "{n}保洁服务有限公司", "{n}教育培训学校", "{n}汽车维修有限公司",
                        "{n}美容美发店"],
                 0.25, ["销售员", "店员", "教师", "维修技师", "美发师", "保洁员"],
                 {"wage_arrears": 38, "severance": 16, "contract": 10, "dismissal": 10,
                  "social_insurance": 10, "overtime_pay": 8, "rest_leave": 4, "welfare_protection": 2,
                  "other": 2}),
}
TRADE_NAMES = ["宏达", "鑫盛", "华腾", "恒泰", "金鼎", "瑞丰", "永兴", "汇通", "天成", "博远", "中联", "嘉禾",
               "顺发", "众鑫", "力拓", "凯越", "兴旺", "福满楼", "聚源", "德润", "楚天", "锦程", "安居", "佳美",
               "明珠", "新世纪", "华美", "泰和", "长江", "东方红", "金港", "万家福", "蜀香", "湘味", "好运来",
               "鼎盛", "荣昌", "立信", "远航", "腾飞", "利民", "诚信", "广源", "盛世", "和谐", "百汇", "鹏程"]
PLACE_PREFIXES = ["", "", "", "武汉", "江城", "东湖", "滨江", "临港"]

# Per-worker claims in yuan by dispute type: (low, high).  Confirming a relationship often claims nothing.
CLAIM_RANGES = {
    "wage_arrears": (2_000, 60_000), "overtime_pay": (1_500, 20_000), "severance": (5_000, 90_000),
    "social_insurance": (3_000, 40_000), "work_injury": (10_000, 150_000), "labour_relationship": (0, 12_000),
    "dismissal": (5_000, 50_000), "contract": (3_000, 30_000), "rest_leave": (1_000, 10_000),
    "welfare_protection": (500, 8_000), "other": (0, 10_000),
}
CHANNEL_WEIGHTS = {"walk_in": 35, "hotline_12351": 25, "street_station": 20, "online": 12, "referral": 8}

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
            "钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方"]
GIVEN_CHARS = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玉萍红建国志强文斌海燕小红俊"
               "鹏辉婷雪梅春梅建华德胜永红丹宇浩凯晨阳欣怡子涵家豪金凤秋菊树林国庆新民")
# Characters that old systems and fonts trip over; real people bear them.
RARE_CHARS = "燊堃赟喆昇犇淼焱翀珺玥垚旸祎琤彧"

MATTERS = {
    "wage_arrears": "请求被申请人支付拖欠的工资{amount}元",
    "overtime_pay": "请求被申请人支付加班工资{amount}元",
    "severance": "请求被申请人支付解除劳动合同经济补偿金{amount}元",
    "social_insurance": "请求被申请人补缴社会保险费并赔偿损失{amount}元",
    "work_injury": "请求被申请人支付工伤医疗费及停工留薪期工资等待遇{amount}元",
    "labour_relationship": "请求确认申请人与被申请人之间存在劳动关系",
    "dismissal": "请求被申请人支付违法解除劳动合同赔偿金{amount}元",
    "contract": "请求被申请人依法签订书面劳动合同并支付二倍工资差额{amount}元",
    "rest_leave": "请求被申请人支付未休年休假工资报酬{amount}元",
    "welfare_protection": "请求被申请人发放防暑降温费等福利{amount}元",
    "other": "请求被申请人退还押金及支付其他款项{amount}元",
}
# The facts and reasons (事实与理由), by dispute type; {start}, {job} and {months} are filled in.
_HIRED = "申请人于{start}入职被申请人处任{job}，"
ISSUES = {
    "severance": "被申请人单方解除劳动合同，未依法支付经济补偿。",
    "social_insurance": "被申请人未依法为申请人缴纳社会保险费。",
    "work_injury": "申请人在工作中受伤并经认定为工伤，被申请人未支付工伤医疗费及相关待遇。",
    "labour_relationship": "双方未签订书面劳动合同，被申请人否认与申请人存在劳动关系。",
    "dismissal": "被申请人以不能胜任工作为由将申请人辞退，未说明理由亦未通知工会。",
    "contract": "被申请人自用工之日起超过一个月未与申请人订立书面劳动合同。",
    "rest_leave": "申请人连续工作满一年未休年休假，被申请人未支付相应工资报酬。",
    "welfare_protection": "被申请人未按规定发放高温津贴等福利，亦未提供必要的劳动防护用品。",
    "other": "离职时被申请人扣押申请人押金及证件未予退还。",
    "overtime_pay": "申请人长期每日工作十小时以上且周末加班，被申请人未支付加班工资。",
}
PAY_REASONS = [
    "申请人自{start}起在被申请人处从事{job}工作，被申请人拖欠{months}个月工资至今未付。",
    "申请人在被申请人处担任{job}，{start}以来多次催要工资无果，遂申请调解。",
]
SITE_REASON = "申请人经包工头介绍于{start}进场从事{job}工作，工程完工后被申请人未按约定结清工资。"


def reasons(type_code: str, sector: str, rng) -> str:
    if type_code == "wage_arrears":
        return SITE_REASON if sector == "construction" and rng.random() < 0.6 else rng.choice(PAY_REASONS)
    return _HIRED + ISSUES[type_code]


SESSION_RECORDS = [
    "双方到场。申请人陈述诉求及事实，被申请人对欠付金额基本认可，就支付期限存在分歧，约定再次调解。",
    "调解员释明法律规定，双方就金额进行协商，被申请人同意核对考勤及工资表后答复。",
    "被申请人提交工资发放记录，申请人对部分月份有异议，调解员组织双方逐月核对。",
    "被申请人未按时到场，调解员电话联系其负责人，约定改期调解。",
]
AGREED_SESSION_RECORD = "双方就支付金额和履行期限达成一致意见，调解员拟写调解协议书。"
REJECTION_REASONS = [
    "不属于劳动争议调解受理范围（系劳务合同纠纷）。",
    "申请人已就同一争议向劳动人事争议仲裁委员会申请仲裁。",
    "超过申请时效且无中止、中断情形。",
    "被申请人注册地及用工地均不在本区。",
]
FAILURE_REASONS = [
    "被申请人拒绝调解，经两次通知均未到场。",
    "双方对工资数额分歧较大，无法达成一致。",
    "被申请人对劳动关系不予认可，建议申请人申请劳动仲裁。",
    "调解期限届满，双方未达成协议，告知申请人可依法申请仲裁。",
]
WITHDRAWAL_REASONS = [
    "双方已自行和解，申请人申请撤回。",
    "被申请人已支付拖欠工资，申请人撤回调解申请。",
    "申请人决定直接申请劳动仲裁，撤回调解申请。",
]
MANUAL_GREEN_REASONS = [
    "企业停产，职工群体欠薪，列入绿色通道快速处理。",
    "申请人系困难职工，家庭生活困难，主任决定优先办理。",
    "12351热线转来的紧急诉求，涉及春节前工资支付。",
]
LEGAL_AID_RESULTS = [
    "经法律援助律师代理，劳动仲裁裁决被申请人支付相应款项，已执行完毕。",
    "经法律援助律师代理，双方在仲裁阶段达成和解，被申请人已履行。",
    "法律援助律师代理申请支付令，法院已发出支付令。",
]
AGREEMENT_TERMS = "被申请人于{deadline}前向申请人支付{amount}元，申请人放弃其他请求，双方就本争议再无其他纠纷。"
PAYMENT_METHODS = ["银行转账", "现金", "微信转账", "银行转账"]
ROOMS = ["区总工会调解中心第一调解室", "区总工会调解中心第二调解室", "{street}工会服务站调解室"]
SESSION_TIMES = [dt.time(9, 0), dt.time(9, 30), dt.time(10, 0), dt.time(14, 30), dt.time(15, 30)]

# Spring Festival (春节) dates; the office's green-channel drive runs from six weeks before to two days before.
SPRING_FESTIVALS = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6),
                    dt.date(2028, 1, 26), dt.date(2029, 2, 13), dt.date(2030, 2, 3)]


def spring_festival_campaign(festival: dt.date) -> tuple[str, str, dt.date, dt.date]:
    year = festival.year
    return (f"{year}年春节前农民工工资支付绿色通道专项行动",
            f"Spring Festival {year} green-channel drive for migrant workers' wages",
            festival - dt.timedelta(days=43), festival - dt.timedelta(days=2))
