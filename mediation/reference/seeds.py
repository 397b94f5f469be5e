"""The dispute types every office starts with: Art. 2's six categories and the CONTRACTS codes."""
from __future__ import annotations

# (code, label_zh, label_en, parent code or None, Art. 2 item, is_pay_claim)
DISPUTE_TYPES = [
    ("art2_1", "因确认劳动关系发生的争议", "Confirming a labour relationship", None, 1, False),
    ("art2_2", "因订立、履行、变更、解除和终止劳动合同发生的争议",
     "Concluding, performing, changing, ending a labour contract", None, 2, False),
    ("art2_3", "因除名、辞退和辞职、离职发生的争议", "Dismissal, resignation, leaving", None, 3, False),
    ("art2_4", "因工作时间、休息休假、社会保险、福利、培训以及劳动保护发生的争议",
     "Working time, rest and leave, social insurance, welfare, training, labour protection", None, 4, False),
    ("art2_5", "因劳动报酬、工伤医疗费、经济补偿或者赔偿金等发生的争议",
     "Pay, work-injury medical costs, economic compensation or damages", None, 5, False),
    ("art2_6", "法律、法规规定的其他劳动争议", "Other disputes under laws and regulations", None, 6, False),
    ("labour_relationship", "确认劳动关系", "Confirming a labour relationship", "art2_1", 1, False),
    ("contract", "劳动合同订立、履行、变更、解除和终止", "Labour contract (conclusion, performance, change, termination)", "art2_2", 2, False),
    ("dismissal", "除名、辞退、辞职、离职", "Dismissal, resignation, leaving", "art2_3", 3, False),
    ("rest_leave", "工作时间、休息休假", "Working time, rest and leave", "art2_4", 4, False),
    ("social_insurance", "社会保险", "Social insurance", "art2_4", 4, False),
    ("welfare_protection", "福利、培训、劳动保护", "Welfare, training, labour protection", "art2_4", 4, False),
    ("wage_arrears", "拖欠劳动报酬", "Wage arrears", "art2_5", 5, True),
    ("overtime_pay", "加班工资", "Overtime pay", "art2_5", 5, True),
    ("severance", "经济补偿或赔偿金", "Economic compensation or damages", "art2_5", 5, False),
    ("work_injury", "工伤医疗费及待遇", "Work-injury medical costs and benefits", "art2_5", 5, False),
    ("other", "其他", "Other", "art2_6", 6, False),
]

CONTRACT_CODES = [row[0] for row in DISPUTE_TYPES if row[3] is not None]


def seed_rows() -> list[dict]:
    """Rows with explicit ids (1…17) so the migration can insert parents before children."""
    ids = {row[0]: index + 1 for index, row in enumerate(DISPUTE_TYPES)}
    return [
        {"id": ids[code], "code": code, "label_zh": zh, "label_en": en,
         "parent_id": ids[parent] if parent else None, "art2_item": item,
         "is_pay_claim": pay, "active": True, "sort_order": index}
        for index, (code, zh, en, parent, item, pay) in enumerate(DISPUTE_TYPES)
    ]
