"""assess(): the documented JSON in, decisions out; the worked example in docs/assess.md."""

from __future__ import annotations

import copy
import json

import pytest
from policy_testkit import EXAMPLE_JSON, book

from app.domain.policy import ASSESS_SCHEMA_VERSION, AssessError, assess


def example():
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


def test_worked_example_matches_docs():
    out = assess(example(), "2022-03", book())
    assert out["schema_version"] == ASSESS_SCHEMA_VERSION == 1
    assert out["policy"]["dibao_standard_monthly_fen"] == 46000
    inc = out["income"]
    assert (inc["gross_monthly_fen"], inc["employment_cost_fen"], inc["rigid_deduction_fen"]) == (90000, 10000, 20000)
    assert (inc["household_monthly_fen"], inc["per_capita_monthly_fen"]) == (60000, 15000)
    d = {(x["programme"], x["class_code"], tuple(x["covered_members"])): x for x in out["decisions"]}
    dibao = d[("低保", "差额", ("m1", "m2", "m3", "m4"))]
    assert dibao["eligible"] and dibao["monthly_amount_fen"] == 124000 and dibao["persons_covered"] == 4  # 310 × 4
    assert d[("高龄补贴", "80周岁以上", ("m3",))]["monthly_amount_fen"] == 5000
    assert d[("困难残疾人生活补贴", "2级", ("m2",))]["monthly_amount_fen"] == 8000
    assert d[("重度残疾人护理补贴", "2级", ("m2",))]["monthly_amount_fen"] == 8000
    assert d[("临时救助", "支出型", ("m1", "m2", "m3", "m4"))]["monthly_amount_fen"] == 600000
    assert not any(x["eligible"] for x in out["decisions"] if x["programme"] == "特困")
    assert out["summary"]["monthly_total_fen"] == 124000 + 5000 + 8000 + 8000
    assert out["summary"]["one_off_total_fen"] == 600000


def test_docs_show_the_same_output():
    from pathlib import Path

    doc = (Path(EXAMPLE_JSON).parent / "assess.md").read_text(encoding="utf-8")
    block = doc.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == assess(example(), "2022-03", book())


def test_output_is_json_serialisable_and_deterministic():
    a = json.dumps(assess(example(), "2022-03", book()), ensure_ascii=False, sort_keys=True)
    b = json.dumps(assess(example(), "2022-03", book()), ensure_ascii=False, sort_keys=True)
    assert a == b


def _bad(mutate):
    d = example()
    mutate(d)
    with pytest.raises(AssessError) as e:
        assess(d, "2022-03", book())
    return e.value


def test_bad_check_digit_names_the_member():
    e = _bad(lambda d: d["members"][2].__setitem__("id_number", "642225194005200625"))
    assert e.field == "members[2].id_number"
    assert str(e).startswith("m3 马某某 的身份证号（members[2].id_number）：校验位不符")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("urban"), "urban"),
        (lambda d: d.__setitem__("members", []), "members"),
        (lambda d: d["members"][1].__setitem__("disability_grade", 5), "members[1].disability_grade"),
        (lambda d: d["members"][1].__setitem__("disability_type", ""), "members[1].disability_grade"),
        (lambda d: d["members"][0].__setitem__("relaton", "本人"), "members[0].relaton"),
        (lambda d: d["members"][0].__setitem__("labour_ability", "强"), "members[0].labour_ability"),
        (lambda d: d["members"][3].__setitem__("ref", "m1"), "members[3].ref"),
        (lambda d: d["income_items"][0].__setitem__("amount_fen", 72.5), "income_items[0].amount_fen"),
        (lambda d: d["income_items"][0].__setitem__("amount_fen", -1), "income_items[0].amount_fen"),
        (lambda d: d["income_items"][0].__setitem__("member", "m9"), "income_items[0].member"),
        (lambda d: d["income_items"][1].__setitem__("months", 13), "income_items[1].months"),
        (lambda d: d["income_items"][1].__setitem__("kind", "工资"), "income_items[1].kind"),
        (lambda d: d["deductions"][0].__setitem__("kind", "就业成本"), "deductions[0].kind"),
        (lambda d: d.__setitem__("current", {"dibao": {"grace_since": "2022-13"}}), "current.dibao.grace_since"),
        (lambda d: d.__setitem__("current", {"dibao": {"grace_since": "2022-05"}}), "current.dibao.grace_since"),
        (lambda d: d.__setitem__("schema_version", 2), "schema_version"),
        (lambda d: d["members"][0].pop("id_number"), "members[0].id_number"),
        (lambda d: d["members"][0].__setitem__("birth_date", "1975-03-13"), "members[0].birth_date"),
    ],
)
def test_invalid_input_names_the_field(mutate, field):
    e = _bad(mutate)
    assert e.field == field and "\n" not in str(e)
    if field.startswith("members["):
        # a member's fault names the person by ref and name before the path
        i = int(field.split("[")[1].split("]")[0])
        d = example()
        mutate(d)
        member = d["members"][i]
        assert str(e).startswith(f"{member.get('ref', f'm{i + 1}')} {member['name']} 的"), str(e)
        assert f"（{field}）：" in str(e)
    else:
        assert str(e).startswith(field + ": ")


def test_a_member_without_ref_or_name_is_named_by_its_default_ref():
    e = _bad(lambda d: (d["members"][1].pop("ref"), d["members"][1].update(name="", disability_grade=5)))
    assert str(e).startswith("m2 的残疾等级（members[1].disability_grade）：")


def test_a_repeated_id_number_names_both_people():
    e = _bad(lambda d: d["members"][3].__setitem__("id_number", d["members"][0]["id_number"]))
    m1, m4 = example()["members"][0], example()["members"][3]
    assert e.field == "members[3].id_number"
    assert str(e).startswith(f"{m4['ref']} {m4['name']} 的身份证号") and f"{m1['ref']} {m1['name']}" in str(e)


def test_bad_month():
    with pytest.raises(AssessError) as e:
        assess(example(), "2022-3", book())
    assert e.value.field == "month"
    with pytest.raises(AssessError):
        assess(example(), "2010-01", book())


def test_birth_date_instead_of_id_number():
    d = example()
    d["members"][0].pop("id_number")
    d["members"][0]["birth_date"] = "1975-03-12"
    assert assess(d, "2022-03", book())["income"]["per_capita_monthly_fen"] == 15000


def test_input_not_mutated():
    d = example()
    before = copy.deepcopy(d)
    assess(d, "2022-03", book())
    assert d == before
