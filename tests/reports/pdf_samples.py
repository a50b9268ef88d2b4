"""Hand-built synthetic report documents for the PDF renderer's tests (no office, no builder)."""

from __future__ import annotations

import json
import random

from app.demo import names
from app.domain.idnumber import check_digit
from app.domain.report import (
    BlankLines,
    Document,
    Fields,
    Orientation,
    PageBreak,
    Paragraph,
    ReportSpec,
    Signatures,
    parse_spec,
)
from app.resource_files import resource_path

VILLAGES = ("大庄村", "兴盛村", "杨岭村", "红旗村", "什字村", "南庄村", "新民村")
PROGRAMMES = ("城乡低保", "特困供养", "孤儿基本生活费", "高龄津贴", "残疾人两项补贴")
GIVEN = [g for pool in names.GIVEN_NAMES.values() for g in pool]


def spec(name: str) -> ReportSpec:
    path = resource_path("reports", f"{name}.json")
    return parse_spec(json.loads(path.read_text(encoding="utf-8")), path.name)


def id_number(rng: random.Random) -> str:
    body = f"640424{rng.randint(1940, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + check_digit(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(names.HAN_SURNAMES)[0] + rng.choice(GIVEN)


def payment_doc(rows: int, seed: int = 7) -> Document:
    """A 资金发放花名册 like the bank's: IDs, accounts, amounts, page subtotals and 合计."""
    rng = random.Random(seed)
    s = spec("payment-roster")
    table = s.table(page_subtotals=True)
    for i in range(1, rows + 1):
        table.add(
            {
                "seq": i,
                "village": rng.choice(VILLAGES),
                "name": person_name(rng),
                "id_number": id_number(rng),
                "programme": rng.choice(PROGRAMMES),
                "bank": rng.choice(names.BANKS),
                "account": "6229" + "".join(rng.choice("0123456789") for _ in range(15)),
                "amount": rng.randint(5000, 120000),
                "note": rng.choice(("", "", "渐退", "新增")),
            }
        )
    return Document(
        name=s.name,
        title="泾源县香水镇 2021年3月 资金发放花名册",
        subtitle="填报单位：香水镇民政办　项目：城乡低保",
        orientation=s.orientation,
        blocks=[table, Signatures(s.signatures)],
        footer=s.footer,
    )


def roster_doc(rows: int, seed: int = 11) -> Document:
    """The 15-ish-column landscape 保障对象花名册, with long member lists that wrap."""
    rng = random.Random(seed)
    s = spec("roster")
    table = s.table()
    for i in range(1, rows + 1):
        size = rng.randint(1, 7)
        members = "、".join(person_name(rng) for _ in range(size))
        table.add(
            {
                "seq": i,
                "village": rng.choice(VILLAGES),
                "head": person_name(rng),
                "head_id": id_number(rng),
                "person": person_name(rng),
                "members": members,
                "household_size": size,
                "persons": rng.randint(1, size),
                "class": rng.choice(("A类", "B类", "C类", "特困")),
                "amount": rng.randint(20000, 200000),
                "taper": rng.choice(("", "", "2021-06止")),
                "relative": rng.random() < 0.1,
                "since": f"20{rng.randint(10, 21)}-{rng.randint(1, 12):02d}",
                "note": rng.choice(("", "", "重病，已报县民政局备案。", "户主长期外出务工，由其妻代领。")),
            }
        )
    return Document(
        name=s.name,
        title="泾源县香水镇 2021年3月 保障对象花名册（城乡低保）",
        subtitle="填报单位：香水镇民政办",
        orientation=Orientation.LANDSCAPE,
        blocks=[table, Signatures(s.signatures)],
        footer=s.footer,
    )


def form_doc() -> Document:
    """An 入户调查表: fields boxed like a form, blank lines and three signatures."""
    return Document(
        name="survey",
        title="泾源县香水镇 最低生活保障家庭入户调查表",
        subtitle="调查日期：2021年3月12日",
        blocks=[
            Fields(
                [
                    ("户主姓名", "马有福"),
                    ("身份证号", "640424195203120017"),
                    ("家庭住址", "香水镇大庄村三组"),
                    ("联系电话", "13909541234"),
                    ("家庭人口", "4"),
                    ("保障类别", "A类"),
                    ("致贫原因", "因病：户主患慢性阻塞性肺疾病，长期服药，丧失劳动能力。"),
                ],
                per_row=2,
                caption="一、家庭基本情况",
            ),
            Paragraph("二、调查核实情况", "heading"),
            BlankLines("家庭收入情况（工资、经营、财产、转移性收入）：", 4),
            BlankLines("家庭财产情况（房屋、车辆、存款、有价证券）：", 3),
            Paragraph(
                "调查人员应当如实记录，不得弄虚作假；申请人对调查结果有异议的，可以在公示期内向乡镇人民政府提出。",
                "note",
            ),
            Signatures(("调查人", "调查人", "申请人（户主）")),
            PageBreak(),
            Paragraph("附：调查须知", "heading"),
            Paragraph("入户调查由两名以上工作人员进行，并出示工作证件。", "body"),
        ],
        footer="泾源县民政局监制",
    )


def publicity_doc(rows: int, scale: float = 1.6, seed: int = 5) -> Document:
    """A notice-board 公示 list, printed large."""
    rng = random.Random(seed)
    s = spec("publicity")
    table = s.table(grand_total=False)
    for i in range(1, rows + 1):
        values: dict[str, object] = {c.key: None for c in s.columns}
        values.update(
            {
                "seq": i,
                "village": "大庄村",
                "applicant": person_name(rng),
                "household_size": rng.randint(1, 6),
                "persons": rng.randint(1, 3),
                "category": rng.choice(("城乡低保A类", "城乡低保B类", "城乡低保C类")),
                "amount": rng.randint(20000, 120000),
                "period": "2021-03-10至2021-03-16",
                "opinion": "同意",
            }
        )
        table.add(values)
    return Document(
        name=s.name,
        title="泾源县香水镇大庄村 2021年3月 城乡低保公示",
        subtitle="公示期：2021年3月10日至3月16日　监督电话：0954-5011234",
        orientation=s.orientation,
        blocks=[table, Paragraph("对公示对象有异议的，请在公示期内向镇民政办反映。", "body")],
        font_scale=scale,
        footer="监督电话：0954-5011234",
    )
