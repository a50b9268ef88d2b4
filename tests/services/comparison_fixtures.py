"""A small register, built through the services, for comparing each department's list (issue 12, point 7).

Every person here exists for a reason a department's list tests: a 低保 family with a seriously ill
wife and a pension, an ordinary family in no programme, a 特困 widow whose number ends in X, a
disabled 低保 head who gets both disability subsidies and a disabled wife who gets neither, a dead
father still in the register, and a woman in no programme. The lists in test_comparison_kinds.py
name these people, people the register does not know, and numbers no one can match.

The register is built once per test module (a fresh office, the real enrolment workflow, 一事一议
amounts so that eligibility rules do not decide who is enrolled) and compared for the month after
today, the first month its enrolments are paid.

Synthetic only: IDs from app.domain.idnumber.make, made-up names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain import idnumber, months
from app.domain.entities import Household, IncomeRecord, Member
from app.services.session import Session
from tests.sheets.messy import (
    Messy,
    disability_cert,
    full_width,
    legacy15,
    lower_x,
    number_cell,
    spaced,
    write_csv,
    write_xls,
    write_xlsx,
)

TODAY = date.today()
MONTH = months.add(months.of(TODAY), 1)  # approved today → paid from next month
ON = months.first_day(MONTH)  # the day the comparisons run: a month is compared once it has begun
DAZHUANG, YONGFENG = "640424100200", "640424100201"  # 大庄村委会, 永丰村委会 of 香水镇
ADMIN_PASSWORD = "kinds-admin-2021"


def pid(born: date, sequence: int, region: str = "640424") -> str:
    return idnumber.make(region, born, sequence)


def pid_with_x(born: date, region: str = "640424", female: bool = True) -> str:
    """A valid number whose check digit is X (about one in eleven are)."""
    for seq in range(0 if female else 1, 1000, 2):
        number = idnumber.make(region, born, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives an X")  # pragma: no cover - arithmetic says there is one


# The register's people: key → (name, birth date, sequence). Odd sequences are men.
LI_GUIYING_ID = pid_with_x(date(1940, 1, 15))
PEOPLE = {
    "ma": ("马学军", date(1970, 3, 4), 11),  # 低保 head, nothing else recorded
    "hai": ("海秀兰", date(1972, 7, 9), 22),  # his wife: 重病 recorded
    "ma_son": ("马小军", date(2012, 1, 2), 33),
    "ma_father": ("马福海", date(1948, 11, 20), 45),  # a basic pension recorded
    "yang": ("杨志强", date(1950, 5, 6), 57),  # in no programme (15-digit number in some lists)
    "yang_son": ("杨小龙", date(1980, 2, 3), 69),  # employed, in no programme
    "su": ("苏德明", date(1965, 6, 12), 71),  # 低保, 肢体二级 recorded, both disability subsidies
    "su_wife": ("苏明花", date(1968, 9, 1), 82),  # 低保, 视力三级 recorded, no subsidy
    "su_father": ("苏建国", date(1938, 4, 4), 93),  # dead, still in the register
    "tian": ("田玉兰", date(1975, 12, 24), 104),  # in no programme, nothing recorded
}


@dataclass
class Register:
    clerk: Session
    reviewer: Session
    households: dict[str, str]  # key → household id: ma, yang, li, su, tian
    people: dict[str, Member]  # PEOPLE's keys and "li" → the stored member

    def id_of(self, key: str) -> str:
        return self.people[key].id_number


def _member(key: str, relation: str = "本人", **kw) -> Member:
    name, born, seq = PEOPLE[key]
    return Member(name=name, id_number=pid(born, seq), relation=relation, **kw)


def enrol(clerk: Session, reviewer: Session, household_id: str, programme: str, member_id: str = "") -> None:
    """Through the whole workflow, approved today with a 一事一议 amount (paid from MONTH)."""
    start = TODAY - timedelta(days=20)
    e = clerk.enrolments.apply(household_id, programme, applied_on=start, member_id=member_id)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=2), note="两人入户")
    clerk.enrolments.advance(
        e.id,
        "公示",
        on=start + timedelta(days=5),
        publicity_from=start + timedelta(days=5),
        publicity_to=start + timedelta(days=11),
    )
    clerk.enrolments.advance(e.id, "审核审批", on=start + timedelta(days=12))
    reviewer.enrolments.advance(
        e.id, "在保", on=TODAY, monthly_amount_fen=30000, case_by_case_reason="测试：金额按一事一议核定"
    )


def build_register(clerk: Session, reviewer: Session) -> Register:
    h = clerk.households
    ma = h.add(
        Household(village_code=DAZHUANG, categories=["低收入"]),
        [
            _member("ma", labour_ability="部分丧失"),
            _member("hai", "配偶", health="重病", serious_illness=True),
            _member("ma_son", "子", labour_ability="无", schooling="小学"),
            _member("ma_father", "父亲", labour_ability="无"),
        ],
    )
    yang = h.add(
        Household(village_code=DAZHUANG, categories=["一般户"]),
        [_member("yang"), _member("yang_son", "子", employed=True)],
    )
    li = h.add(
        Household(village_code=YONGFENG, categories=["特困"]),
        [Member(name="李桂英", id_number=LI_GUIYING_ID, labour_ability="无")],
    )
    su = h.add(
        Household(village_code=YONGFENG, categories=["低收入"]),
        [
            _member(
                "su",
                health="残疾",
                disability_type="肢体",
                disability_grade=2,
                disability_cert=pid(PEOPLE["su"][1], PEOPLE["su"][2]) + "42",
            ),
            _member("su_wife", "配偶", health="残疾", disability_type="视力", disability_grade=3),
            _member("su_father", "父亲", deceased_on=TODAY - timedelta(days=40)),
        ],
    )
    tian = h.add(Household(village_code=DAZHUANG, categories=["一般户"]), [_member("tian")])
    people = {m.name: m for hid in (ma.id, yang.id, li.id, su.id, tian.id) for m in h.members(hid)}
    by_key = {key: people[name] for key, (name, _born, _seq) in PEOPLE.items()}
    by_key["li"] = people["李桂英"]
    clerk.income.set_income_items(
        ma.id,
        [
            IncomeRecord(kind="经营净收入", subtype="种植", amount_fen=240000, months=12),
            IncomeRecord(
                kind="转移净收入",
                subtype="城乡居民基础养老金",
                member_id=by_key["ma_father"].id,
                amount_fen=163200,
                months=12,
            ),
        ],
    )
    enrol(clerk, reviewer, ma.id, "低保")
    enrol(clerk, reviewer, li.id, "特困", member_id=by_key["li"].id)
    enrol(clerk, reviewer, su.id, "低保")
    enrol(clerk, reviewer, su.id, "困难残疾人生活补贴", member_id=by_key["su"].id)
    enrol(clerk, reviewer, su.id, "重度残疾人护理补贴", member_id=by_key["su"].id)
    households = {"ma": ma.id, "yang": yang.id, "li": li.id, "su": su.id, "tian": tian.id}
    return Register(clerk, reviewer, households, by_key)


@pytest.fixture(scope="module", name="kinds_register")
def kinds_register_fixture(tmp_path_factory):
    """The register above in a fresh 香水镇 office, shared by a module's tests (each compares its own file)."""
    import keyring

    from app.services.office import create_office, open_session
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    root = tmp_path_factory.mktemp("comparison-kinds")
    sessions: list[Session] = []
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
            data = root / "office"
            admin, _code = create_office(data, "640424100", "admin", ADMIN_PASSWORD)
            sessions.append(admin)
            admin.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
            admin.users.add("head1", "reviewer", "review-pass-2021", display_name="李主任")
            clerk = open_session(data, "clerk1", "clerk-pass-2021")
            sessions.append(clerk)
            reviewer = open_session(data, "head1", "review-pass-2021")
            sessions.append(reviewer)
            register = build_register(clerk, reviewer)
        yield register
    finally:
        for s in sessions:
            s.close()
        keyring.set_keyring(previous)


# --- the departments' lists --------------------------------------------------------------------
#
# Each builder writes one list the way that department sends it and returns (path, Messy, expected),
# expected being the hand-labelled answer per data row: (match, household key or None, finding codes
# in the order the kind's rules give them). Strangers are valid numbers of 泾源县's neighbours.

Row = tuple[str, str | None, list[str]]

STRANGER_A = pid(date(1983, 8, 8), 315, "642224")
STRANGER_B = pid(date(1991, 2, 14), 426, "642225")
STRANGER_C = pid(date(1977, 10, 1), 537, "640422")


def bad_check_digit(number: str) -> str:
    """The same number with a wrong check digit (a typo the department's system let through)."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def rural_revitalization(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """全国防返贫监测信息系统's export: 监测信息 merged over three columns, IDs in full width."""
    m = Messy(
        ["序号", "行政村", "户主姓名", "姓名", "证件号码", "与户主关系", "监测对象类别", "风险类型", "识别时间"],
        [
            [1, "大庄村", "马学军", "马学军", full_width(reg.id_of("ma")), "户主", "边缘易致贫户", "因病", "2024-03"],
            [2, "大庄村", "杨志强", "杨志强", full_width(reg.id_of("yang")), "户主", "脱贫不稳定户", "因残", "2023-07"],
            [3, "大庄村", "田玉兰", "田玉兰", reg.id_of("tian"), "户主", "突发严重困难户", "因灾", "2024-06"],
            [4, "黄花村", "何志成", "何志成", STRANGER_A, "户主", "边缘易致贫户", "因学", "2024-01"],
            [5, "黄花村", "何志成", "何小娟", number_cell(STRANGER_B), "之女", "边缘易致贫户", "因学", "2024-01"],
            [6, "永丰村", "苏德明", "苏建国", reg.id_of("su_father"), "之父", "脱贫不稳定户", "因病", "2022-11"],
        ],
        title="香水镇防止返贫监测对象信息表",
        unit="填报单位：泾源县乡村振兴局（盖章）        数据截至：2026年10月31日",
        groups=(("监测信息", 6, 8),),
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "ma", []),  # in 低保: nothing to say
        ("in_register", "yang", ["missed_candidate"]),
        ("in_register", "tian", ["missed_candidate"]),
        ("not_in_register", None, ["missed_candidate"]),  # monitored and in no programme of ours
        ("id_damaged", None, ["id_unusable", "missed_candidate"]),
        ("in_register", "su", []),  # dead: no 漏保线索 for someone who has died
    ]
    return write_xlsx(path, m, sheet="监测对象"), m, expected


def health(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """卫健's 大病 list from the hospital system: IDs typed into number cells for some rows."""
    m = Messy(
        ["序号", "患者姓名", "性别", "身份证号", "乡镇", "村", "病种", "确诊医院", "确诊时间", "备注"],
        [
            [1, "海秀兰", "女", reg.id_of("hai"), "香水镇", "大庄村", "尿毒症", "固原市人民医院", "2025-05-12", None],
            [
                2,
                "马学军",
                "男",
                reg.id_of("ma"),
                "香水镇",
                "大庄村",
                "重症精神病",
                "宁夏医科大学总医院",
                "2026-02-01",
                None,
            ],
            [
                3,
                "杨小龙",
                "男",
                number_cell(reg.id_of("yang_son")),
                "香水镇",
                "大庄村",
                "白血病",
                "固原市人民医院",
                "2026-06-30",
                None,
            ],
            [
                4,
                "田玉兰",
                "女",
                spaced(reg.id_of("tian")),
                "香水镇",
                "大庄村",
                "乳腺癌",
                "泾源县人民医院",
                "2026-08-19",
                None,
            ],
            [5, "马彦福", "男", STRANGER_A, "香水镇", "黄花村", "脑卒中", "泾源县人民医院", "2026-09-02", None],
            [
                6,
                "何小娟",
                "女",
                number_cell(STRANGER_B),
                "香水镇",
                "黄花村",
                "先天性心脏病",
                "固原市人民医院",
                "2026-07-07",
                "外出就医",
            ],
        ],
        title=["泾源县2026年大病专项救治患者名单", "（香水镇）"],
        unit="填报单位：泾源县卫生健康局（盖章）",
        total=True,
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "ma", []),  # 重病 recorded, in 低保
        ("in_register", "ma", ["illness_not_recorded"]),
        ("possible_match", "yang", ["confirm_match", "illness_not_recorded", "missed_candidate"]),
        ("in_register", "tian", ["illness_not_recorded", "missed_candidate"]),
        ("not_in_register", None, ["missed_candidate"]),
        ("id_damaged", None, ["id_unusable", "missed_candidate"]),
    ]
    return write_xlsx(path, m, sheet="Sheet1"), m, expected


def disability(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """残联's 持证残疾人 list from the old national database: a real .xls, 残疾情况 over two columns,
    some rows with only the certificate number (ID + type digit + grade digit)."""
    cert = disability_cert
    m = Messy(
        [
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "残疾人证号",
            "残疾类别",
            "残疾等级",
            "乡镇（街道）",
            "村（社区）",
            "联系电话",
        ],
        [
            [1, "苏德明", "男", reg.id_of("su"), cert(reg.id_of("su"), 4, 2), "肢体", "二级", "香水镇", "永丰村", None],
            [
                2,
                "苏明花",
                "女",
                reg.id_of("su_wife"),
                cert(reg.id_of("su_wife"), 1, 3),
                "视力",
                "三级",
                "香水镇",
                "永丰村",
                None,
            ],
            [3, "田玉兰", "女", None, cert(reg.id_of("tian"), 4, 1), "肢体", "一级", "香水镇", "大庄村", None],
            [
                4,
                "杨志强",
                "男",
                reg.id_of("yang"),
                cert(reg.id_of("yang"), 5, 4),
                "智力",
                "四级",
                "香水镇",
                "大庄村",
                None,
            ],
            [
                5,
                "李桂英",
                "女",
                lower_x(LI_GUIYING_ID),
                lower_x(cert(LI_GUIYING_ID, 3, 2)),
                "言语",
                "二级",
                "香水镇",
                "永丰村",
                None,
            ],
            [6, "海志明", "男", None, cert(STRANGER_C, 6, 2), "精神", "二级", "香水镇", "黄花村", None],
            [
                7,
                "苏建国",
                "男",
                reg.id_of("su_father"),
                cert(reg.id_of("su_father"), 2, 1),
                "听力",
                "一级",
                "香水镇",
                "永丰村",
                None,
            ],
        ],
        title="泾源县持证残疾人花名册",
        unit="填报单位：泾源县残疾人联合会（盖章）",
        groups=(("残疾情况", 5, 6),),
        total=True,
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "su", []),  # both subsidies, disability recorded
        ("in_register", "su", ["disability_subsidy_missing"]),  # 低保 without 困难残疾人生活补贴
        ("in_register", "tian", ["disability_subsidy_missing", "disability_not_recorded"]),
        ("in_register", "yang", ["disability_not_recorded"]),  # 四级, in no programme: only to record
        ("in_register", "li", ["disability_subsidy_missing", "disability_not_recorded"]),
        ("not_in_register", None, []),
        ("in_register", "su", []),  # dead: nothing to pay or record
    ]
    return write_xls(path, m, sheet="残疾人"), m, expected


def hrss(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """人社's pension and employment list exported as CSV in GBK (Excel shows long numbers as 6.40424E+17)."""
    m = Messy(
        ["序号", "姓名", "公民身份号码", "所在村", "参保单位", "月养老金", "待遇开始年月"],
        [
            [1, "马福海", reg.id_of("ma_father"), "大庄村", None, 163.2, "2013-12"],
            [2, "马学军", reg.id_of("ma"), "大庄村", None, 163.2, "2026-04"],
            [3, "苏明花", reg.id_of("su_wife"), "永丰村", "泾源县六盘山农业发展有限公司", None, None],
            [4, "杨小龙", reg.id_of("yang_son"), "大庄村", "固原市某建筑公司", None, None],
            [5, "杨志强", legacy15(reg.id_of("yang")), "大庄村", None, 163.2, "2015-06"],
            [6, "苏德明", number_cell(reg.id_of("su")), "永丰村", None, 163.2, "2025-07"],
            [7, "李桂英", lower_x(LI_GUIYING_ID), "永丰村", "泾源县福利院（公益性岗位）", None, None],
        ],
        title="城乡居民养老保险待遇领取及就业参保人员名单",
        unit="填报单位：泾源县人力资源和社会保障局（盖章）",
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "ma", []),  # pension recorded
        ("in_register", "ma", ["pension_not_recorded"]),
        ("in_register", "su", ["employment_not_recorded"]),
        ("in_register", "yang", []),  # in no programme: nothing to recompute
        ("in_register", "yang", []),  # 15-digit number, in no programme
        ("id_damaged", None, ["id_unusable"]),  # 6.40424E+17: even the birth date is gone
        ("in_register", "li", ["employment_not_recorded"]),
    ]
    return write_csv(path, m, encoding="gbk"), m, expected


def medical_insurance(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """医保's 医疗费用 list: 费用情况（元） merged over four amounts, a 合计 row."""
    m = Messy(
        [
            "序号",
            "姓名",
            "身份证号码",
            "参保类型",
            "医疗总费用",
            "基本医保报销",
            "大病保险报销",
            "个人自付",
            "就诊医院",
        ],
        [
            [1, "马学军", reg.id_of("ma"), "城乡居民", 21000.0, 11800.0, 2999.5, 6200.5, "固原市人民医院"],
            [2, "田玉兰", reg.id_of("tian"), "城乡居民", 30000.0, 17000.0, 5000.0, 8000.0, "泾源县人民医院"],
            [3, "杨志强", reg.id_of("yang"), "城乡居民", 9000.0, 6000.0, 0.0, 3000.0, "泾源县人民医院"],
            [4, "马彦福", STRANGER_A, "城乡居民", 40000.0, 22000.0, 6000.0, 12000.0, "宁夏医科大学总医院"],
            [5, "苏德明", legacy15(reg.id_of("su")), "城乡居民", 12000.0, 7000.0, 0.0, 5000.0, "泾源县人民医院"],
        ],
        title="泾源县城乡居民医疗费用个人负担较重人员名单",
        unit="填报单位：泾源县医疗保障局（盖章）",
        groups=(("费用情况（元）", 4, 7),),
        total=True,
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "ma", ["medical_expense_high"]),
        ("in_register", "tian", ["medical_expense_high", "missed_candidate"]),
        ("in_register", "yang", []),  # 3 000 元: under the 5 000 元 line
        ("not_in_register", None, ["missed_candidate"]),
        ("in_register", "su", ["medical_expense_high"]),  # exactly 5 000 元, 15-digit number
    ]
    return write_xlsx(path, m, sheet="费用"), m, expected


def market(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """市场监管's 市场主体 list: the owner's name and number under 经营者 columns."""
    m = Messy(
        ["序号", "市场主体名称", "统一社会信用代码", "经营者姓名", "经营者身份证号", "登记状态", "成立日期", "住所"],
        [
            [
                1,
                "泾源县马学军牛羊养殖场",
                "92640424MA76XK1A2B",
                "马学军",
                reg.id_of("ma"),
                "存续",
                "2021-04-09",
                "香水镇大庄村",
            ],
            [
                2,
                "泾源县志强农家乐",
                "92640424MA76XK2C3D",
                "杨志强",
                legacy15(reg.id_of("yang")),
                "存续",
                "2019-07-01",
                "香水镇大庄村",
            ],
            [
                3,
                "泾源县桂英小卖部",
                "92640424MA76XK3E4F",
                "李桂英",
                LI_GUIYING_ID,
                "存续",
                "2016-03-15",
                "香水镇永丰村",
            ],
            [4, "固原市何氏商贸有限公司", "91640402MA76XK4G5H", "何志成", STRANGER_A, "存续", "2020-10-20", "原州区"],
            [
                5,
                "泾源县建国磨坊",
                "92640424MA76XK5J6K",
                "苏建国",
                reg.id_of("su_father"),
                "吊销",
                "2008-05-05",
                "香水镇永丰村",
            ],
        ],
        title="香水镇辖区个体工商户及企业登记信息",
        unit="填报单位：泾源县市场监督管理局（盖章）",
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "ma", ["business_owner_enrolled"]),
        ("in_register", "yang", []),  # in no programme
        ("in_register", "li", ["business_owner_enrolled"]),  # 特困 (her own enrolment)
        ("not_in_register", None, []),
        ("in_register", "su", []),  # dead
    ]
    return write_xlsx(path, m, sheet="市场主体"), m, expected


VEHICLE_HEADER = [
    "序号",
    "号牌号码",
    "号牌种类",
    "车辆类型",
    "机动车所有人",
    "身份证明号码",
    "初次登记日期",
    "机动车状态",
]


def vehicles(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """车管所's 机动车 list: the owner under 机动车所有人 / 身份证明号码, numbers typed with spaces."""
    m = Messy(
        VEHICLE_HEADER,
        [
            [1, "宁D·A1234", "小型汽车", "小型轿车", "苏德明", spaced(reg.id_of("su")), "2022-09-01", "正常"],
            [2, "宁D·B5678", "小型汽车", "小型普通客车", "杨小龙", reg.id_of("yang_son"), "2023-03-18", "正常"],
            [3, "宁D·C9012", "普通摩托车", "正三轮摩托车", "海秀兰", spaced(reg.id_of("hai")), "2020-05-20", "正常"],
            [4, "宁D·D3456", "小型汽车", "小型轿车", "何志成", STRANGER_A, "2024-12-01", "正常"],
            [5, "宁D·E7890", "农用运输车", "三轮汽车", "苏建国", reg.id_of("su_father"), "2010-08-08", "逾期未检验"],
        ],
        title="机动车登记信息查询结果",
        unit="填报单位：泾源县公安局交通警察大队车辆管理所（盖章）",
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "su", ["vehicle_owner_enrolled"]),
        ("in_register", "yang", []),
        ("in_register", "ma", ["vehicle_owner_enrolled"]),  # 低保 household; a 三轮 is the clerk's call
        ("not_in_register", None, []),
        ("in_register", "su", []),  # dead
    ]
    return write_xlsx(path, m, sheet="查询结果"), m, expected


PROPERTY_HEADER = ["序号", "权利人", "证件号码", "不动产权证号", "坐落", "用途", "建筑面积（㎡）", "登记时间"]


def property_list(path: Path, reg: Register) -> tuple[Path, Messy, list[Row]]:
    """不动产登记中心's list: the owner under 权利人, an X typed lower-case, a wrong check digit."""
    m = Messy(
        PROPERTY_HEADER,
        [
            [
                1,
                "李桂英",
                lower_x(LI_GUIYING_ID),
                "宁(2021)泾源县不动产权第0001234号",
                "泾源县香水镇香水街12号2单元301室",
                "住宅",
                86.5,
                "2021-06-30",
            ],
            [
                2,
                "马学军",
                reg.id_of("ma"),
                "宁(2019)泾源县不动产权第0000567号",
                "固原市原州区文化街8号1-502",
                "住宅",
                102.3,
                "2019-09-12",
            ],
            [
                3,
                "田玉兰",
                reg.id_of("tian"),
                "宁(2023)泾源县不动产权第0002345号",
                "泾源县香水镇大庄村三组",
                "宅基地",
                120.0,
                "2023-01-05",
            ],
            [
                4,
                "何志成",
                STRANGER_A,
                "宁(2024)泾源县不动产权第0003456号",
                "固原市原州区西城街5号",
                "住宅",
                95.0,
                "2024-04-22",
            ],
            [
                5,
                "杨志强",
                bad_check_digit(reg.id_of("yang")),
                "宁(2018)泾源县不动产权第0000089号",
                "泾源县香水镇大庄村一组",
                "宅基地",
                140.0,
                "2018-11-11",
            ],
            [
                6,
                "禹国栋",
                bad_check_digit(STRANGER_C),
                "宁(2020)泾源县不动产权第0000777号",
                "泾源县城关镇",
                "商业",
                60.0,
                "2020-02-02",
            ],
        ],
        title="不动产登记信息比对结果",
        unit="填报单位：泾源县不动产登记中心（盖章）",
        total=True,
        signatures=True,
    )
    expected: list[Row] = [
        ("in_register", "li", ["property_owner_enrolled"]),
        ("in_register", "ma", ["property_owner_enrolled"]),
        ("in_register", "tian", []),
        ("not_in_register", None, []),
        ("possible_match", "yang", ["confirm_match"]),  # birth date from the number, one 杨志强
        ("id_invalid", None, ["id_unusable"]),
    ]
    return write_xlsx(path, m, sheet="Sheet1"), m, expected
