"""The register's small vocabularies that rules, screens and the demo generator must share.

A risk sign ticked on a visit is tested by the rules (因灾 → disaster, 因意外 → accident), so the
visit page, the rules and the demo generator must use the very same words: they are declared
here once, validated by the entities, and stored as these Chinese words.
"""

from __future__ import annotations

OTHER = "其他"

# Risk signs a home visit can note (the notice's 致贫返贫风险).
ILLNESS = "因病"
DISABILITY = "因残"
SCHOOLING = "因学"
DISASTER = "因灾"
ACCIDENT = "因意外"
UNSTABLE_WORK = "务工就业不稳"
RISK_SIGNS: tuple[str, ...] = (ILLNESS, DISABILITY, SCHOOLING, DISASTER, ACCIDENT, UNSTABLE_WORK, OTHER)

# Main causes of hardship (docs/domain.md §7.1, S26).
POVERTY_CAUSES: tuple[str, ...] = ("疾病", "残疾", "因学", "灾害", "缺乏劳动力", OTHER)

RURAL_HOUSING: tuple[str, ...] = (
    "砖混结构自建房",
    "砖木结构自建房",
    "土木结构老房",
    "易地搬迁安置房",
    "危房改造房",
    "租住",
)
URBAN_HOUSING: tuple[str, ...] = ("楼房（自有）", "楼房（租住）", "平房（自有）", "公租房")
HOUSING: tuple[str, ...] = RURAL_HOUSING + URBAN_HOUSING
"""Kinds of dwelling; a household's ``housing`` is one of these or empty (not recorded)."""

# The six 两不愁三保障 checks of a visit (attribute → what is wanting when it fails).
CONCERNS: dict[str, str] = {
    "food_ok": "吃",
    "clothing_ok": "穿",
    "schooling_ok": "义务教育",
    "medical_ok": "基本医疗",
    "housing_ok": "住房安全",
    "water_ok": "饮水安全",
}

INCOME_CHANGES: tuple[str, ...] = ("无变化", "增加", "减少", "大幅减少")

# The kinds of home visit: the monthly list's routine check, and the two ad-hoc visits.
VISIT_KINDS: tuple[str, ...] = ("常规核查", "临时救助入户", "回访")

# What a scanned or photographed attachment is.
ATTACHMENT_KINDS: tuple[str, ...] = ("证明材料", "病历", "残疾证", "入户照片", "身份证件", OTHER)
