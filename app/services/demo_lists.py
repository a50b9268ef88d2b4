"""``doudi demo-lists``: department lists for a demo office, so that 比对 can be tried at once.

A newcomer's demo office has a register but no 公安, 卫健 or 残联 list to compare it with, and real
lists hold real people. So this writes one list per source kind, naming people of the demo register
chosen for what the list should reveal (a dead person still paid, a 低保 member owning a vehicle …),
plus people the register does not know and one damaged number, and says per row what a clerk should
find. The files are written the way departments write them (title rows, a 填报单位 line, two-row
headers, total and signature rows, a GBK CSV, an ID stored as a number, full-width digits, a
lower-case x) — but only as .xlsx and .csv: xlwt, which writes .xls, is a development dependency.

Who is picked comes from a ``random.Random`` seeded with the seed and the source, over people put
in ID order first, and the workbooks carry fixed timestamps, so a demo and a seed give the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from ..domain import comparison as dc
from ..domain import idnumber, months
from ..errors import InvalidInput
from . import permissions
from .session import Session
from .simulate import refuse_unless_demo

DEFAULT_SEED = 2021
PAID = frozenset({"低保", "特困"})  # the programmes whose members a 错保 finding is about
OUTSIDER_REGIONS = ("640423", "640422", "620802")  # 隆德、西吉、平凉：people of no demo village
OUTSIDER_NAMES = ("马占福", "杨秀英", "禹海龙", "兰小花", "海文斌", "苏梅", "冶成林", "田晓燕")
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789X"})
ZIP_STAMP = (2021, 1, 1, 0, 0, 0)
EXCEL_SCIENTIFIC = 1e11  # from here Excel shows a number as 6.42225E+17
SIGNATURES = (("制表人：王会计", "", "审核人：马科长", "", "（盖章）"),)


@dataclass(frozen=True)
class Expect:
    """What comparing one data row should find (its codes) and why, in the clerk's words."""

    row: int  # counting data rows from 1 under the header, as the comparison does
    name: str
    codes: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class WrittenList:
    source: str
    path: Path
    rows: tuple[Expect, ...]
    mess: str  # how the file is messy, so the person knows what the reader copes with
    gaps: tuple[str, ...] = ()  # findings a small demo register could not be given

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": str(self.path),
            "mess": self.mess,
            "gaps": list(self.gaps),
            "expect": [{"row": e.row, "name": e.name, "findings": list(e.codes), "why": e.why} for e in self.rows],
        }


@dataclass
class _Sheet:
    """A list as the department lays it out; ``rows`` hold one cell per column."""

    file_name: str
    titles: tuple[str, ...]
    unit: str
    columns: tuple[str, ...]
    groups: tuple[tuple[str, int, int], ...] = ()  # a two-row header: label merged over columns first..last
    rows: list[list[Any]] = field(default_factory=list)
    total_column: int | None = None  # a 合计 row summing this column
    signatures: bool = False
    expect: list[Expect] = field(default_factory=list)
    mess: list[str] = field(default_factory=list)

    def add(self, cells: Sequence[Any], name: str, codes: Iterable[str], why: str) -> None:
        self.rows.append(list(cells))
        self.expect.append(Expect(len(self.rows), name, tuple(codes), why))


class _People:
    """The demo register's living people with usable numbers, in a fixed order, and the picks made so far."""

    def __init__(self, index: dc.RegisterIndex, rng: random.Random) -> None:
        self.everyone = sorted(index.by_id.values(), key=lambda p: p.id_number)
        self.index = index
        self.rng = rng
        self.used: set[str] = set()
        self.gaps: list[str] = []  # the rows a small demo register has nobody for

    def pick(self, test: Callable[[dc.Person], bool], who: str = "") -> dc.Person | None:
        """A living person passing *test*, not yet in this list; *who* names them when nobody does."""
        found = [p for p in self.everyone if p.alive and p.member_id not in self.used and test(p)]
        if not found:
            if who:
                self.gaps.append(f"演示台账中没有{who}，这一行未写入")
            return None
        person = self.rng.choice(found)
        self.used.add(person.member_id)
        return person

    def outsider(self, ends_in_x: bool = False) -> tuple[str, str]:
        """A made-up person of a neighbouring county: (name, ID number), not in the register."""
        while True:
            born = date(1950, 1, 1) + timedelta(days=self.rng.randrange(20000))
            number = idnumber.make(self.rng.choice(OUTSIDER_REGIONS), born, self.rng.randrange(1000))
            if number not in self.index.by_id and number.endswith("X") == ends_in_x:
                return self.rng.choice(OUTSIDER_NAMES), number


def paid(p: dc.Person) -> bool:
    return not p.programmes.isdisjoint(PAID)


def free(p: dc.Person) -> bool:
    return not p.programmes


def sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def number_cell(number: str) -> float:
    """An ID typed into a number cell: the 15 significant digits a spreadsheet keeps of it."""
    return float(f"{float(number):.15g}")


def lower_x(number: str) -> str:
    return number.replace("X", "x")


def full_width(number: str) -> str:
    return number.translate(FULL_WIDTH)


def write_demo_lists(
    session: Session, out: Path, month: str | None = None, seed: int = DEFAULT_SEED
) -> list[WrittenList]:
    """One messy list per source kind in *out*, naming the demo register's people; refused on a real office."""
    from ..db.private_files import write_atomic

    refuse_unless_demo(session)
    permissions.require(session.user, permissions.VIEW_FULL_ID)  # the lists carry whole ID numbers
    month = month or months.of(date.today())
    if not months.is_month(month):
        raise InvalidInput(f"月份“{month}”应写作 YYYY-MM。", field="month")
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} 不是文件夹，名单要写进一个文件夹。", field="out")
    out.mkdir(parents=True, exist_ok=True)
    index = session.comparison.register_index(month)
    county = _county_name(session)
    township = session.office.name
    written = []
    for source, build in BUILDERS:
        rng = random.Random(f"{seed}:{source}:{month}")
        people = _People(index, rng)
        sheet = build(people, county, township, month)
        path = out / sheet.file_name
        data = _csv_bytes(sheet) if path.suffix == ".csv" else _xlsx_bytes(sheet, month)
        write_atomic(path, data)
        written.append(WrittenList(source, path, tuple(sheet.expect), "；".join(sheet.mess), tuple(people.gaps)))
    return written


def _county_name(session: Session) -> str:
    name = session.db.scalar("SELECT name FROM divisions WHERE code = ?", (session.office.parent_code,))
    return str(name) if name else "泾源县"


def _ym(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


def _day(month: str, day: int) -> date:
    return months.first_day(months.add(month, -1)) + timedelta(days=day - 1)


# --- the lists ----------------------------------------------------------------------------------


def _police(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}公安局{_ym(month)}死亡注销人员名单.xlsx",
        (f"{county}公安局户籍注销人员名单", f"（{_ym(months.add(month, -1))}）"),
        f"填报单位：{county}公安局治安管理大队        统计时间：{_ym(month)}",
        ("序号", "姓名", "性别", "公民身份号码", "户籍地址", "注销日期", "注销原因", "迁往地址", "备注"),
        signatures=True,
    )
    sheet.mess = ["两行标题和填报单位行", "表尾有制表人、审核人签字行", "一个身份证号末位为小写 x"]

    def row(p_name: str, number: str, village: str, died: date | None, reason: str, *, to: str = "") -> list[Any]:
        return [len(sheet.rows) + 1, p_name, sex(number), number, village, died, reason, to, ""]

    if p := people.pick(paid, "在保的低保、特困对象"):
        sheet.add(
            row(p.name, p.id_number, p.village_name, _day(month, 9), "死亡"),
            p.name,
            ("deceased_still_enrolled", "deceased_not_recorded"),
            f"已死亡仍在保（{'、'.join(sorted(p.programmes))}）：应停保，台账登记死亡",
        )
    if p := people.pick(free, "未纳入救助的人"):
        sheet.add(
            row(p.name, p.id_number, p.village_name, _day(month, 21), "死亡"),
            p.name,
            ("deceased_not_recorded",),
            "已死亡，台账未登记：补登死亡日期",
        )
    if p := people.pick(lambda p: True):
        sheet.add(
            row(p.name, p.id_number, p.village_name, None, "迁出", to="固原市原州区南关街道"),
            p.name,
            ("moved_out",),
            "户籍已迁出：核实是否仍在本乡镇居住",
        )
    name, number = people.outsider(ends_in_x=True)
    sheet.add(row(name, lower_x(number), "", _day(month, 3), "死亡"), name, (), "不在台账：无需处理")
    return sheet


def _rural(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}{township}防止返贫监测对象名单（{_ym(month)}）.xlsx",
        (f"{county}防止返贫动态监测对象花名册",),
        f"填报单位：{county}乡村振兴局（盖章）",
        ("序号", "村", "姓名", "身份证号码", "监测类型", "风险类型", "纳入时间", "备注"),
        groups=(("监测对象", 2, 3), ("监测信息", 4, 6)),
    )
    sheet.mess = ["表头为两行（监测对象、监测信息合并在上）", "一个身份证号为全角数字"]
    first = True
    for monitor, risk in (("脱贫不稳定户", "因病"), ("边缘易致贫户", "因残")):
        if p := people.pick(free, "未纳入救助的人"):
            number = full_width(p.id_number) if first else p.id_number
            first = False
            sheet.add(
                [len(sheet.rows) + 1, p.village_name, p.name, number, monitor, risk, _day(month, 5), ""],
                p.name,
                ("missed_candidate",),
                f"监测对象（{monitor}）未纳入任何救助：漏保线索，入户核实",
            )
    if p := people.pick(paid):
        sheet.add(
            [len(sheet.rows) + 1, p.village_name, p.name, p.id_number, "突发严重困难户", "因灾", _day(month, 2), ""],
            p.name,
            (),
            "已在保：无需处理",
        )
    name, number = people.outsider()
    sheet.add(
        [len(sheet.rows) + 1, "", name, number, "边缘易致贫户", "因学", _day(month, 7), "外县户籍"],
        name,
        ("missed_candidate",),
        "不在台账的监测对象：核实是否本乡镇居民",
    )
    return sheet


def _health(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}卫生健康局大病重病患者名单{_ym(month)}.csv",
        (f"{county}大病、重病患者花名册",),
        "",
        ("序号", "患者姓名", "性别", "身份证号", "所在村", "病种名称", "确诊日期", "备注"),
    )
    sheet.mess = ["GBK 编码的 CSV（系统导出）", "首行是标题"]

    def row(name: str, number: str, village: str, illness: str, day: int) -> list[Any]:
        return [len(sheet.rows) + 1, name, sex(number), number, village, illness, _day(month, day), ""]

    def ill(p: dc.Person) -> bool:
        return p.serious_illness or p.health == "重病"

    if p := people.pick(lambda p: free(p) and not ill(p), "未纳入救助、未登记重病的人"):
        sheet.add(
            row(p.name, p.id_number, p.village_name, "慢性肾衰竭（尿毒症期）", 4),
            p.name,
            ("illness_not_recorded", "missed_candidate"),
            "重病未登记，且未纳入救助：补登重病，漏保线索",
        )
    if p := people.pick(lambda p: paid(p) and not ill(p), "未登记重病的在保对象"):
        sheet.add(
            row(p.name, p.id_number, p.village_name, "恶性肿瘤（肺癌）", 11),
            p.name,
            ("illness_not_recorded",),
            "在保对象重病未登记：补登，重新核算刚性支出",
        )
    if p := people.pick(ill):
        codes = ("missed_candidate",) if free(p) else ()
        sheet.add(
            row(p.name, p.id_number, p.village_name, "脑梗死", 18),
            p.name,
            codes,
            "重病已登记但未纳入救助：漏保线索" if codes else "重病已登记、已在保：无需处理",
        )
    name, number = people.outsider()
    sheet.add(row(name, number, "", "白血病", 25), name, ("missed_candidate",), "不在台账的重病患者：核实户籍")
    return sheet


DISABILITY_TYPES = {"视力": 1, "听力": 2, "言语": 3, "肢体": 4, "智力": 5, "精神": 6, "多重": 7}
GRADES = ("", "一级", "二级", "三级", "四级")


def _disability(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}残联持证残疾人名单（{township}）.xlsx",
        (f"{county}{township}持证残疾人花名册",),
        f"填报单位：{county}残疾人联合会        截至：{_ym(month)}",
        ("序号", "姓名", "性别", "残疾人证号", "残疾类别", "残疾等级", "村", "备注"),
        signatures=True,
    )
    sheet.mess = ["没有身份证号列，只有残疾人证号（身份证号加类别、等级）", "表尾签字行"]

    def row(name: str, number: str, kind: str, grade: int, village: str) -> list[Any]:
        cert = f"{number}{DISABILITY_TYPES[kind]}{grade}"
        return [len(sheet.rows) + 1, name, sex(number), cert, kind, GRADES[grade], village, ""]

    def recorded(p: dc.Person) -> bool:
        return bool(p.disability_type) or p.disability_grade > 0 or bool(p.disability_cert)

    subsidies = {"困难残疾人生活补贴", "重度残疾人护理补贴"}
    if p := people.pick(lambda p: free(p) and not recorded(p), "未纳入救助、未登记残疾的人"):
        sheet.add(
            row(p.name, p.id_number, "肢体", 2, p.village_name),
            p.name,
            ("disability_subsidy_missing", "disability_not_recorded"),
            "二级肢体残疾未享受残疾人两项补贴，台账未登记残疾：补登，告知申请",
        )
    if p := people.pick(lambda p: recorded(p) and not p.programmes.isdisjoint(subsidies) and not paid(p)):
        kind = p.disability_type if p.disability_type in DISABILITY_TYPES else "肢体"
        grade = p.disability_grade if 1 <= p.disability_grade < len(GRADES) else 1
        sheet.add(
            row(p.name, p.id_number, kind, grade, p.village_name),
            p.name,
            (),
            "已登记残疾并享受补贴：无需处理",
        )
    if p := people.pick(lambda p: free(p) and not recorded(p), "未纳入救助、未登记残疾的人"):
        sheet.add(
            row(p.name, p.id_number, "视力", 3, p.village_name),
            p.name,
            ("disability_not_recorded",),
            "三级视力残疾台账未登记：补登",
        )
    name, number = people.outsider()
    sheet.add(row(name, number, "听力", 4, ""), name, (), "不在台账：无需处理")
    return sheet


def _hrss(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}城乡居民养老保险待遇领取人员名单{_ym(month)}.xlsx",
        (f"{county}城乡居民基本养老保险待遇领取人员花名册",),
        f"填报单位：{county}人力资源和社会保障局（社保中心）",
        ("序号", "姓名", "身份证号码", "村", "待遇类型", "月领取金额", "备注"),
        total_column=5,
    )
    sheet.mess = ["身份证号存成了数字（后几位已丢失，显示为 6.42225E+17）", "表尾有合计行"]
    if p := people.pick(lambda p: paid(p) and not p.pension, "未登记养老金的在保对象"):
        sheet.add(
            [len(sheet.rows) + 1, p.name, p.id_number, p.village_name, "基础养老金", 183.0, ""],
            p.name,
            ("pension_not_recorded",),
            "在保对象领取养老金，台账未计收入：重新核算家庭收入",
        )
    if p := people.pick(free, "未纳入救助的人"):
        sheet.add(
            [len(sheet.rows) + 1, p.name, p.id_number, p.village_name, "基础养老金", 183.0, ""],
            p.name,
            (),
            "未纳入救助：养老金无需核算",
        )
    if p := people.pick(lambda p: free(p) and p.id_number.isdigit() and _unique(people, p), "可按姓名认出的人"):
        sheet.add(
            [len(sheet.rows) + 1, p.name, number_cell(p.id_number), p.village_name, "丧葬补助金", 0.0, "一次性"],
            p.name,
            ("confirm_match",),
            "身份证号存成数字已损坏：按姓名、出生日期和村认出是台账中的人，请确认",
        )
    name, number = people.outsider()
    while not number.isdigit():
        name, number = people.outsider()
    sheet.add(
        [len(sheet.rows) + 1, name, number_cell(number), "", "基础养老金", 183.0, ""],
        name,
        ("id_unusable",),
        "身份证号已损坏，也认不出是谁：请人社局重发该行",
    )
    return sheet


def _unique(people: _People, p: dc.Person) -> bool:
    """Only one person of this name and birth date: a damaged number can still name them."""
    return p.birth_date is not None and len(people.index.by_name_birth.get((p.name, p.birth_date), [])) == 1


def _medical(people: _People, county: str, township: str, month: str) -> _Sheet:
    sheet = _Sheet(
        f"{county}医疗保障局{_ym(months.add(month, -1))}个人自付费用较高人员名单.xlsx",
        (f"{county}医疗保障局", "城乡居民医疗费用个人负担较重人员名单"),
        f"填报单位：{county}医疗保障局待遇保障股",
        ("序号", "参保人姓名", "身份证号", "村", "参保类型", "个人自付金额", "备注"),
        total_column=None,
        signatures=True,
    )
    sheet.mess = ["金额写法不一（8,600.00 元写成文字）", "两行标题", "表尾签字行"]
    if p := people.pick(paid, "在保的低保、特困对象"):
        sheet.add(
            [len(sheet.rows) + 1, p.name, p.id_number, p.village_name, "城乡居民医保", "8,600.00", "住院 2 次"],
            p.name,
            ("medical_expense_high",),
            "个人自付 8,600 元：核实临时救助或刚性支出扣减",
        )
    if p := people.pick(free, "未纳入救助的人"):
        sheet.add(
            [len(sheet.rows) + 1, p.name, p.id_number, p.village_name, "城乡居民医保", 12350.4, ""],
            p.name,
            ("medical_expense_high", "missed_candidate"),
            "个人自付 12,350.40 元且未纳入救助：漏保线索，核实临时救助",
        )
    if p := people.pick(lambda p: True):
        sheet.add(
            [len(sheet.rows) + 1, p.name, p.id_number, p.village_name, "城乡居民医保", 1280, "门诊慢特病"],
            p.name,
            (),
            "自付不足 5,000 元：无需处理",
        )
    name, number = people.outsider()
    sheet.add(
        [len(sheet.rows) + 1, name, number, "", "城乡居民医保", 6000, "异地就医"],
        name,
        ("missed_candidate",),
        "不在台账、自付较高：核实户籍",
    )
    return sheet


def _owners(
    file_name: str, titles: tuple[str, ...], unit: str, columns: tuple[str, ...], *, code: str, what: str
) -> Callable[[_People, str, str, str], Any]:
    """A 市场监管 / 车管 / 不动产 list: owners, one of them a 低保 or 特困 member (错保线索)."""

    def build(people: _People, county: str, township: str, month: str) -> _Sheet:
        sheet = _Sheet(
            file_name.format(county=county, ym=_ym(month)),
            tuple(t.format(county=county) for t in titles),
            unit.format(county=county),
            columns,
        )
        sheet.mess = ["标题和填报单位行", "姓名和身份证号列用部门自己的叫法"]
        fill = OWNER_CELLS[code]
        if p := people.pick(paid, "在保的低保、特困对象"):
            sheet.add(
                fill(len(sheet.rows) + 1, p.name, p.id_number, people.rng),
                p.name,
                (code,),
                f"{'、'.join(sorted(p.programmes & PAID))}对象{what}：错保线索，入户核实",
            )
        if p := people.pick(free, "未纳入救助的人"):
            sheet.add(fill(len(sheet.rows) + 1, p.name, p.id_number, people.rng), p.name, (), "未纳入救助：无需处理")
        name, number = people.outsider()
        sheet.add(fill(len(sheet.rows) + 1, name, number, people.rng), name, (), "不在台账：无需处理")
        return sheet

    return build


def _business(n: int, name: str, number: str, rng: random.Random) -> list[Any]:
    shop = rng.choice(("农家乐", "牛羊肉店", "小卖部", "养殖场", "运输队"))
    return [n, f"{name}{shop}", name, number, "个体工商户", 30000 + 10000 * rng.randrange(5), date(2024, 3, 6)]


def _vehicle(n: int, name: str, number: str, rng: random.Random) -> list[Any]:
    plate = f"宁D{rng.randrange(10000, 99999)}"
    return [n, plate, rng.choice(("小型普通客车", "轻型普通货车", "小型越野客车")), name, number, date(2023, 8, 19)]


def _property(n: int, name: str, number: str, rng: random.Random) -> list[Any]:
    place = rng.choice(("泾源县香水镇园子村", "固原市原州区西湖花园", "银川市金凤区阅海万家"))
    return [n, name, number, f"{place}{rng.randrange(1, 30)}号", 60 + rng.randrange(80), "住宅"]


OWNER_CELLS: dict[str, Callable[[int, str, str, random.Random], list[Any]]] = {
    "business_owner_enrolled": _business,
    "vehicle_owner_enrolled": _vehicle,
    "property_owner_enrolled": _property,
}

BUILDERS: tuple[tuple[str, Callable[[_People, str, str, str], _Sheet]], ...] = (
    ("公安", _police),
    ("乡村振兴", _rural),
    ("卫健", _health),
    ("残联", _disability),
    ("人社", _hrss),
    ("医保", _medical),
    (
        "市场监管",
        _owners(
            "{county}市场监督管理局市场主体登记信息（{ym}）.xlsx",
            ("{county}市场主体登记信息表",),
            "填报单位：{county}市场监督管理局登记注册股",
            ("序号", "市场主体名称", "经营者姓名", "身份证号", "主体类型", "注册资本", "成立日期"),
            code="business_owner_enrolled",
            what="登记有经营主体",
        ),
    ),
    (
        "车管",
        _owners(
            "{county}公安局交警大队机动车登记信息{ym}.xlsx",
            ("机动车登记信息",),
            "填报单位：{county}公安局交通警察大队车辆管理所",
            ("序号", "号牌号码", "车辆类型", "机动车所有人", "身份证明号码", "初次登记日期"),
            code="vehicle_owner_enrolled",
            what="名下有机动车",
        ),
    ),
    (
        "不动产",
        _owners(
            "{county}不动产登记中心房屋登记信息（{ym}）.xlsx",
            ("{county}不动产登记信息查询结果",),
            "填报单位：{county}不动产登记中心",
            ("序号", "权利人", "权利人证件号码", "坐落", "建筑面积", "规划用途"),
            code="property_owner_enrolled",
            what="名下有房产",
        ),
    ),
)


# --- writing ------------------------------------------------------------------------------------


def _grid(sheet: _Sheet) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    """The cells row by row and the merged ranges (r1, c1, r2, c2), 0-based and inclusive."""
    width = len(sheet.columns)
    grid: list[list[Any]] = []
    merges: list[tuple[int, int, int, int]] = []
    for line in (*sheet.titles, *((sheet.unit,) if sheet.unit else ())):
        merges.append((len(grid), 0, len(grid), width - 1))
        grid.append([line] + [None] * (width - 1))
    if sheet.groups:
        upper: list[Any] = list(sheet.columns)
        lower: list[Any] = [None] * width
        grouped = set()
        for label, first, last in sheet.groups:
            merges.append((len(grid), first, len(grid), last))
            for c in range(first, last + 1):
                upper[c] = label if c == first else None
                lower[c] = sheet.columns[c]
                grouped.add(c)
        merges.extend((len(grid), c, len(grid) + 1, c) for c in range(width) if c not in grouped)
        grid.extend([upper, lower])
    else:
        grid.append(list(sheet.columns))
    grid.extend(list(r) for r in sheet.rows)
    if sheet.total_column is not None:
        total: list[Any] = ["合计"] + [None] * (width - 1)
        total[sheet.total_column] = sum(r[sheet.total_column] for r in sheet.rows)
        merges.append((len(grid), 0, len(grid), 1))
        grid.append(total)
    if sheet.signatures:
        grid.append([None] * width)
        grid.extend((list(s) + [None] * width)[:width] for s in SIGNATURES)
    return grid, merges


def _fixed_times(workbook: bytes) -> bytes:
    """The workbook with every zip member stamped 2021-01-01: the same cells give the same bytes."""
    out = io.BytesIO()
    with ZipFile(io.BytesIO(workbook)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(ZipInfo(info.filename, date_time=ZIP_STAMP), source.read(info), ZIP_DEFLATED)
    return out.getvalue()


def _xlsx_bytes(sheet: _Sheet, month: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    grid, merges = _grid(sheet)
    for r, row in enumerate(grid, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for c, title in enumerate(sheet.columns, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = (
            22 if "号" in title and title != "序号" else 12
        )
    moment = datetime.combine(months.first_day(month), datetime.min.time())
    wb.properties.creator = sheet.unit.partition("：")[2].split()[0] if sheet.unit else "WPS"
    wb.properties.created = wb.properties.modified = moment
    buffer = io.BytesIO()
    ExcelWriter(wb, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    return _fixed_times(buffer.getvalue())


def _csv_bytes(sheet: _Sheet) -> bytes:
    """A CSV as a department system exports it: GBK, merged values in their first cell only."""
    grid, _merges = _grid(sheet)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in grid:
        writer.writerow(["" if v is None else _shown(v) for v in row])
    return text.getvalue().encode("gbk")


def _shown(value: Any) -> str:
    if isinstance(value, float) and abs(value) >= EXCEL_SCIENTIFIC:  # Excel's General format for a long number
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
