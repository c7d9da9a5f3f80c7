#!/usr/bin/env python3
"""Writes crmbridge's fixtures (CSV, JSON Lines, XML, XLSX), their expected outcome, and large benchmark inputs.

Standard library only, deterministic (fixed seed): the same command writes the same bytes.

    python3 scripts/gen_fixtures.py                      # fixtures/* + fixtures/expected.json, fixtures/variety/*
    python3 scripts/gen_fixtures.py --check              # re-reads fixtures/ and checks them against expected.json
    python3 scripts/gen_fixtures.py --bench 1000000 --out bench-data/customers.csv [--seed S]
    python3 scripts/gen_fixtures.py --bench-update 10 --from bench-data/customers.csv --out bench-data/update.csv
    python3 scripts/gen_fixtures.py --bench-xlsx --from bench-data/customers.csv --out bench-data/customers.xlsx

## The fixtures

A small fictional world of customers (C01…C58), sliced into nine source files, each with the mess
real exports have (pipelines/demo.yml loads them all):

| file | system | format |
|---|---|---|
| `crm_gbk.csv` | crm | GBK, CRLF, Chinese headers, quoted commas/quotes/newlines, duplicate, garbage, empty, too-many-fields and truncated rows |
| `erp_bom.csv` | erp | UTF-8 with BOM, LF, English headers |
| `leads_utf16.csv` | leads | UTF-16 LE with BOM, tab-delimited, CRLF, phone-only form leads |
| `partners_semicolon.csv` | partners | UTF-8, `;`-delimited, LF |
| `bad_bytes_gbk.csv` | legacy | GBK, CRLF, one row with a byte invalid in GB18030 |
| `web_forms.jsonl` | web | JSON Lines: mobile as a string or a number, values missing/null/"", `+08:00`/`Z`/milliseconds, a cut-off line, an empty line, a repeated line |
| `wechat_forms.xml` | wechat | `<xml>` pushes: answers as `label：value` lines in CDATA, a subscribe event (`where:` → filtered), chat, retried pushes (`dedupe_by: [MsgId]`) |
| `calls_400.csv` | callcenter | `kind: interactions`, UTF-8 with BOM, CRLF: callers with trunk 0, +86, 0086, landlines, withheld; a totals line (`skip_rows_matching:` → skipped), a truncated last line |
| `erp_customers.xlsx` | erp_xlsx | sheet `客户 Customers` (written by `scripts/xlsx_writer.py`): bilingual headers, number-cell mobiles (plain, `1.88E+10` form, 86-prefixed) and landlines that lost their trunk 0, Excel dates, an empty row, a garbage row (→ `empty_row`), a `合计` totals row (`skip_rows_matching:` → skipped); a second sheet the pipeline does not read |

## The variety set

`fixtures/variety/` (pipelines/variety.yml; its own `expected.json`, same world, same rules) holds
exports laid out otherwise than the files above, each record accepted: none may be lost to its layout.

| file | system | what varies |
|---|---|---|
| `crm_times.csv` | crm | update times `20261121 14:33`, `20261121 1508`, `20261121164520`, `20261121T091500`, `20261121`, `2026年11月21日 14时33分`, `下午2:33`, `下午2点33分`, `2:33 PM`, `7:40PM`, `9:05 p.m.`, `2026.11.21 12:10` |
| `crm_hk_dmy.csv` | crm_hk | dates day first (`date_order: dmy`): `21/11/2026 08:00`, `21.11.2026`, `21-11-2026 9:14 AM`, `05/11/2026`, `11/11/2026 10:00` |
| `form_answers.jsonl` | form | answers as `[{label, value}]` in shuffled order, mobiles as numbers, labels `手机：`/`联系电话`, an empty repeated answer; times month first (`date_order: mdy`) |
| `crm_addresses.csv` | crm_addr | the address box: prose before the address (`我家的地址是…`, `寄到：`, `收货地址:`, `公司在`, `请寄往`, `【收货地址】`), district names retired by GB/T 2260 changes (清河区, 白下区, 闸北, 宣武区, 萝岗区, 下城区, 吴江市, 塘沽区, 开元区; 江干区, split, stops at the city), cue words inside a detail, a remark that is no address; company names with blanks, `(北京)` half-width, an ideographic space |
| `wechat_layouts.xml` | wechat | answers separated by `=` `＝` `；` `;` `|` `，` tabs or blanks alone, titles `【…】` and `来源：` lines, a note holding `14:33` and `http://` |

Its records carry `values`: the name, company, notes and last contact the record means to give its
customer, checked here to read back from the text written (a company name in the one form the master
keeps), and for `crm_addresses.csv` the master address each text means (province, city, district,
adcode, detail), by the generator's own reading of the change records.

`fixtures/expected.json` is derived from the generator's own world, never by running crmbridge.
Every record is read back from what was written (each format its own way, into values by column;
a worksheet row through its cells: shared strings, numbers as digits, date-styled serials as local
`YYYY-MM-DD[ HH:MM:SS]`) and its state follows docs/design.md, in this order:

- unreadable → `rejected` with `malformed` (wrong field count, truncated, not JSON), `empty_row`
  (an empty line, a worksheet row without cells), `bad_encoding`;
- the source's row rules: `skip_rows_matching` → `skipped`, `where` → `filtered`;
- the same physical record again in the same file → `duplicate` (a loader may reject or absorb it);
  a repeat of a `dedupe_by` value → `rejected` with `duplicate`;
- no value in any mapped field → `rejected` with `empty_row` (chat among form pushes);
- customers: a valid mobile and a valid USCC → keyed: `merged` (`via: key`); a master customer is
  one key; only one of them → `merged` (`via: phone` / `via: tax_id`) when exactly one master
  customer, keyed in any file of the batch, holds that value; else `pending`; neither
  (landlines and 400 numbers never count) → `rejected` with `no_identifier`;
- interactions (calls) never key: a mobile caller → `merged` (`via: phone`) when exactly one
  master customer holds that mobile; a caller with no mobile (landline, 400) → `merged`
  (`via: landline`) when exactly one merged customer holds it in a landline column (座机, 电话 Tel);
  else `pending`; no valid caller (empty, withheld) → `rejected` with `no_identifier`.

Each record's `line` is the line where it starts (the header being line 1), or for a worksheet
row its row number; `locator` is how crmbridge's rejects name it: `line N`, or `SHEET!N`.

id_match = merged / (merged + pending); sync_lag_24h = share of merged + pending records whose
updated_at (a call's: its start) is more than 24 h before the as-of time; every updated_at is kept
at least 2 h from that boundary. The generator computes these states with reference normalizers
of its own and asserts that they are the states it meant: the world is unambiguous by construction.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import unicodedata
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SEED = 20261122
TZ = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.datetime(2026, 11, 22, 3, 0, tzinfo=TZ)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")

CRM_HEADERS = ["客户编号", "客户名称", "联系人", "手机", "座机", "统一社会信用代码", "地址", "行业", "客户状态",
               "首次接触渠道", "负责人", "销售组", "最近联系日期", "下次跟进计划", "下次跟进日期", "创建时间", "更新时间", "备注"]
ERP_HEADERS = ["customer_no", "company", "contact", "mobile", "tax_id", "address", "owner", "updated_at"]
LEADS_HEADERS = ["lead_id", "name", "phone", "company", "created"]
PARTNER_HEADERS = ["partner_id", "name", "mobile", "uscc", "updated"]

# ---------------------------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015) with its embedded organisation code (GB 11714-1997)

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55  # A=10 … Z=35


def org_check(body8: str) -> str:
    c = 11 - sum(org_value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(first17: str) -> str:
    return USCC_CHARS[(31 - sum(USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS)) % 31) % 31]


def make_uscc(authority_type: str, adcode: str, body8: str) -> str:
    first17 = authority_type + adcode + body8 + org_check(body8)
    return first17 + uscc_check(first17)


def valid_uscc(text: str) -> str | None:
    """The normalized USCC (upper case, no blanks or hyphens, half-width), or None when invalid."""
    t = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()
    if len(t) != 18 or any(ch not in USCC_VALUE for ch in t):
        return None
    if t[17] != uscc_check(t[:17]) or not t[8:16].isalnum() or t[16] != org_check(t[8:16]):
        return None
    return t


# ---------------------------------------------------------------------------------------------
# Phones: the reference classification the expected states are computed with

PLACEHOLDERS = {"", "-", "--", "—", "无", "暂无", "N/A", "n/a", "NA", "null", "NULL", "#N/A"}
MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def classify_phone(text: str) -> tuple[str, str] | None:
    """('mobile' | 'landline' | 'service', E.164) or None (placeholder, invalid)."""
    t = unicodedata.normalize("NFKC", text).strip()
    if t in PLACEHOLDERS:
        return None
    t = re.split(r"转|分机|ext\.?|#", t, maxsplit=1, flags=re.I)[0]
    t = re.sub(r"[\s\-()（）.]", "", t)
    if t.startswith("+86"):
        t = t[3:]
    elif t.startswith("0086"):
        t = t[4:]
    elif len(t) == 13 and t.startswith("86") and MOBILE_RE.fullmatch(t[2:]):
        t = t[2:]
    elif len(t) == 12 and t.startswith("0") and MOBILE_RE.fullmatch(t[1:]):
        t = t[1:]   # a trunk 0 before a mobile (how call centres log callers): no area code starts 01[3-9]
    if not t.isdigit():
        return None
    if MOBILE_RE.fullmatch(t):
        return "mobile", "+86" + t
    if re.fullmatch(r"[48]00\d{7}", t):
        return "service", "+86" + t
    if re.fullmatch(r"0[1-9]\d{8,10}", t):
        return "landline", "+86" + t[1:]
    if lost_trunk_zero(t):
        return "landline", "+86" + t
    return None


def lost_trunk_zero(digits: str) -> bool:
    """A landline whose trunk 0 was dropped (a spreadsheet stored it as a number: 0755-88886666 →
    75588886666): one of the world's area codes without its 0, then an 8-digit local number."""
    return any(digits.startswith(d[4][1:]) and re.fullmatch(r"[2-8]\d{7}", digits[len(d[4]) - 1:])
               for d in DISTRICTS)


def parse_local_time(text: str) -> dt.datetime:
    """The timestamp formats the fixtures use: ISO 8601 with an offset (`+08:00`, `Z`, fractions
    of a second) as written; the others, without offset, in Asia/Shanghai."""
    t = text.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", t):
        return dt.datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(TZ)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(t, fmt).replace(tzinfo=TZ)
        except ValueError:
            pass
    raise ValueError(f"unparsable timestamp {text!r}")


EXPORT_TIME_FORMATS = {
    # the shapes of update times the variety fixtures write; a reference of their own, not crmbridge's parser
    "compact": lambda t: t.strftime("%Y%m%d %H:%M"),
    "compact_hhmm": lambda t: t.strftime("%Y%m%d %H%M"),
    "compact14": lambda t: t.strftime("%Y%m%d%H%M%S"),
    "compact_t": lambda t: t.strftime("%Y%m%dT%H%M%S"),
    "date8": lambda t: t.strftime("%Y%m%d"),
    "cn": lambda t: f"{t.year}年{t.month}月{t.day}日 {t.hour}时{t.minute:02d}分",
    "cn_seconds": lambda t: f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分{t.second:02d}秒",
    "cn_pm_colon": lambda t: f"{t:%Y-%m-%d} {'上午' if t.hour < 12 else '下午'}{(t.hour - 1) % 12 + 1}:{t.minute:02d}",
    "cn_pm_dian": lambda t: f"{t.year}年{t.month}月{t.day}日 {'上午' if t.hour < 12 else '下午'}{(t.hour - 1) % 12 + 1}点{t.minute:02d}分",
    "ampm": lambda t: f"{t.year}/{t.month}/{t.day} {(t.hour - 1) % 12 + 1}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}",
    "ampm_tight": lambda t: f"{t.year}/{t.month}/{t.day} {(t.hour - 1) % 12 + 1}:{t.minute:02d}{'AM' if t.hour < 12 else 'PM'}",
    "ampm_dots": lambda t: f"{t:%Y-%m-%d} {(t.hour - 1) % 12 + 1}:{t.minute:02d} {'a.m.' if t.hour < 12 else 'p.m.'}",
    "dotted": lambda t: f"{t.year}.{t.month}.{t.day} {t.hour}:{t.minute:02d}",
    # day or month first: only with the source's date_order
    "dmy_slash": lambda t: f"{t:%d/%m/%Y %H:%M}",
    "dmy_dot": lambda t: f"{t:%d.%m.%Y %H:%M}",
    "dmy_dash_pm": lambda t: f"{t:%d-%m-%Y} {(t.hour - 1) % 12 + 1}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}",
    "dmy_cn_pm": lambda t: f"{t:%d/%m/%Y} {'上午' if t.hour < 12 else '下午'}{(t.hour - 1) % 12 + 1}:{t.minute:02d}",
    "dmy_date": lambda t: f"{t:%d/%m/%Y}",
    "mdy_pm": lambda t: f"{t:%m/%d/%Y} {(t.hour - 1) % 12 + 1}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}",
    "mdy_24": lambda t: f"{t:%m/%d/%Y %H:%M}",
    "mdy_dash": lambda t: f"{t:%m-%d-%Y} {(t.hour - 1) % 12 + 1}:{t.minute:02d}{'AM' if t.hour < 12 else 'PM'}",
}


def parse_export_time(text: str, date_order: str | None) -> dt.datetime:
    """The update times of EXPORT_TIME_FORMATS, read back in Asia/Shanghai: a regular expression
    per piece (date, then an optional 12- or 24-hour time), independent of how they were written."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", t)
    if m:
        return dt.datetime(*map(int, m.groups()), tzinfo=TZ)
    m = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d\d)(\d\d)(?=$|[ T])", t)
    if m:
        year, month, day = map(int, m.groups()[:3] if m.group(1) else m.groups()[3:])
    else:
        m = re.match(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})", t)
        if not m or date_order not in ("dmy", "mdy"):
            raise ValueError(f"unparsable timestamp {text!r} (date_order {date_order})")
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day, month = (first, second) if date_order == "dmy" else (second, first)
    rest = t[m.end():].strip(" T")
    hour = minute = second_ = 0
    if rest:
        tm = re.fullmatch(r"(上午|下午)?\s*(\d{1,2})(?:[:点时](\d\d)分?(?::(\d\d))?(?:(\d\d)秒)?|(\d\d)(\d\d)?)"
                          r"\s*([AaPp])?\.?(?:[Mm]\.?)?", rest)
        if not tm:
            raise ValueError(f"unparsable time in {text!r}")
        cn, h, mi, s1, s2, compact_m, compact_s, ampm = tm.groups()
        if compact_m:   # 1433, 143305
            hour, minute, second_ = int(h), int(compact_m), int(compact_s or 0)
        else:
            hour, minute, second_ = int(h), int(mi or 0), int(s1 or s2 or 0)
        meridiem = {"上午": "a", "下午": "p"}.get(cn) or (ampm or "").lower() or None
        if meridiem:
            hour = hour % 12 + (12 if meridiem == "p" else 0)
    return dt.datetime(year, month, day, hour, minute, second_, tzinfo=TZ)


# ---------------------------------------------------------------------------------------------
# Value formatting helpers

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def fmt_phone(mobile: str, style: str) -> str:
    a, b, c = mobile[:3], mobile[3:7], mobile[7:]
    return {
        "plain": mobile,
        "dash": f"{a}-{b}-{c}",
        "space": f"{a} {b} {c}",
        "plus86": f"+86 {a} {b} {c}",
        "plus86tight": f"+86{mobile}",
        "0086": f"0086-{mobile}",
        "86": f"86{mobile}",
        "fullwidth": mobile.translate(FULLWIDTH),
        "ext": f"{mobile}转123",
        "paren": f"(+86) {mobile}",
    }[style]


def fmt_uscc(code: str, style: str) -> str:
    return {
        "plain": code,
        "lower": code.lower(),
        "spaced": " ".join([code[0:4], code[4:8], code[8:12], code[12:16], code[16:]]),
        "lowerspaced": " ".join([code[0:2], code[2:8], code[8:17], code[17]]).lower(),
        "padded": f" {code} ",
    }[style]


def fmt_date(d: dt.date, style: int) -> str:
    return f"{d.year}/{d.month}/{d.day}" if style % 2 == 0 else d.strftime("%Y-%m-%d")


def fmt_datetime(t: dt.datetime, style: int) -> str:
    return [
        lambda: t.strftime("%Y-%m-%d %H:%M"),
        lambda: f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}",
        lambda: t.strftime("%Y-%m-%d %H:%M:%S"),
    ][style % 3]()


def iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# The world

# (province, city, district, adcode, area code, roads). The city is empty for municipalities.
DISTRICTS = [
    ("广东省", "深圳市", "南山区", "440305", "0755", ["科技园路", "深南大道", "高新南一道", "科苑路"]),
    ("广东省", "深圳市", "福田区", "440304", "0755", ["福华三路", "深南中路", "益田路"]),
    ("广东省", "广州市", "天河区", "440106", "020", ["体育西路", "天河路", "华夏路"]),
    ("广东省", "广州市", "越秀区", "440104", "020", ["环市东路", "中山五路"]),
    ("广东省", "佛山市", "顺德区", "440606", "0757", ["新桂中路", "德胜东路"]),
    ("北京市", "", "朝阳区", "110105", "010", ["建国路", "东三环中路", "酒仙桥路"]),
    ("北京市", "", "海淀区", "110108", "010", ["中关村大街", "学院路", "知春路"]),
    ("上海市", "", "浦东新区", "310115", "021", ["世纪大道", "张江路", "陆家嘴环路"]),
    ("上海市", "", "徐汇区", "310104", "021", ["漕溪北路", "肇嘉浜路"]),
    ("浙江省", "杭州市", "西湖区", "330106", "0571", ["文三路", "天目山路"]),
    ("浙江省", "杭州市", "余杭区", "330110", "0571", ["文一西路", "五常大道"]),
    ("江苏省", "南京市", "鼓楼区", "320106", "025", ["中山北路", "汉中路"]),
    ("江苏省", "苏州市", "虎丘区", "320505", "0512", ["狮山路", "长江路"]),
    ("四川省", "成都市", "武侯区", "510107", "028", ["人民南路四段", "武侯大道"]),
    ("湖北省", "武汉市", "武昌区", "420106", "027", ["中北路", "友谊大道"]),
    ("重庆市", "", "渝中区", "500103", "023", ["民族路", "中山三路"]),
    ("天津市", "", "和平区", "120101", "022", ["南京路", "滨江道"]),
    ("山东省", "青岛市", "崂山区", "370212", "0532", ["香港东路", "松岭路"]),
    ("福建省", "厦门市", "思明区", "350203", "0592", ["鹭江道", "湖滨南路"]),
    ("湖南省", "长沙市", "岳麓区", "430104", "0731", ["麓谷大道", "枫林三路"]),
    ("陕西省", "西安市", "雁塔区", "610113", "029", ["高新路", "科技路"]),
]
BUILDINGS = ["", "", "创新大厦", "科技广场", "金融中心", "创业园", "国际大厦", "产业园"]

NAMES = [
    # polyphonic and compound surnames first: the customers that carry the interesting ones
    "单晓峰", "曾海燕", "欧阳娜娜", "司马文博", "诸葛明远", "解一鸣", "仇国栋", "区嘉欣", "查文涛", "朴成浩",
    "覃丽萍", "翟子涵", "乐思远", "上官婉清", "尉迟恒", "长孙悦", "万俊杰", "华雨桐", "盖天宇", "缪静",
    "王建华", "李秀英", "张志强", "刘洋", "陈晓东", "杨帆", "黄丽", "赵刚", "吴桂英", "周敏",
    "徐磊", "孙海涛", "马超", "朱红梅", "胡军", "郭艳", "何平", "高峰", "林慧", "罗勇",
    "郑洁", "梁伟", "谢芳", "宋佳", "唐文", "许晴", "韩冰", "冯涛", "邓杰", "曹颖",
    "彭博", "曾子墨", "肖雪", "田野", "董明", "袁静怡", "潘越", "蒋晨", "蔡琳", "余欢",
]
BRANDS = [
    "云帆", "华拓", "恒泰", "瑞丰", "星辰", "远景", "博雅", "鼎盛", "嘉禾", "安信", "蓝海", "金桥", "启明", "盛达",
    "汇通", "新元", "宏图", "天润", "海纳", "锐思", "拓维", "众诚", "明德", "聚源", "长青", "佳和", "同创", "银河",
    "正阳", "德信", "凯越", "鸿运", "润丰", "弘毅", "致远", "清源", "融信", "晨光", "卓越", "优品", "易达", "普惠",
    "万象", "乐享", "君安", "泰和", "合力", "信达", "中恒", "广源", "东升", "美联", "百川", "思创", "益康", "睿智",
    "祥瑞", "宝丰", "天宇", "华信",
]
TRADES = [("科技", "软件和信息技术"), ("软件", "软件和信息技术"), ("电子商务", "批发和零售"), ("机械设备", "制造业"),
          ("建筑工程", "建筑业"), ("食品", "制造业"), ("贸易", "批发和零售"), ("物流", "交通运输"),
          ("医疗器械", "医疗健康"), ("教育咨询", "教育"), ("餐饮管理", "住宿和餐饮"), ("新材料", "制造业")]
STATUSES = ["潜在客户", "意向客户", "意向客户", "成交客户", "成交客户", "成交客户", "沉睡客户", "流失客户"]
CHANNELS = ["官网表单", "微信公众号", "400电话", "展会", "老客户转介绍", "地推", "百度推广"]
OWNERS = [("王晓明", "华南一组"), ("李娜", "华南一组"), ("赵磊", "华南二组"), ("陈静", "华东组"),
          ("刘洋洋", "华东组"), ("孙丽", "华北组"), ("周杰", "西南组"), ("吴敏", "大客户部")]
PLANS = ["电话回访确认需求", "发送报价单", "上门演示产品", "邀请参加12月展会", "跟进合同签署", "催收尾款",
         "季度回访", "安排技术交流", "确认年度采购计划", "寄送样品"]
NOTES = ["", "", "", "老客户，注意维护", "需开增值税专票", "预算审批中", "对价格敏感", "已加企业微信",
         "年底集中采购", "决策人为总经理"]


class Customer:
    pass


def build_world(rng: random.Random) -> list[Customer]:
    world = []
    used_mobiles, used_bodies = set(), set()
    mobile_prefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                       "155", "156", "157", "158", "159", "166", "173", "177", "180", "181", "185", "186", "187",
                       "188", "189", "191", "198", "199"]
    for i in range(1, 59):
        c = Customer()
        c.id = f"C{i:02d}"
        c.name = NAMES[i - 1]
        province, city, district, adcode, area, roads = DISTRICTS[rng.randrange(len(DISTRICTS))]
        c.province, c.city, c.district, c.adcode, c.area = province, city, district, adcode, area
        c.road = rng.choice(roads)
        c.number = rng.randint(1, 999)
        building = rng.choice(BUILDINGS)
        c.detail = f"{c.road}{c.number}号" + (f"{building}{rng.randint(2, 28)}层{rng.randint(1, 20):02d}室" if building else "")
        trade, industry = TRADES[rng.randrange(len(TRADES))]
        city_word = (city or province)[:-1]
        c.company = f"{city_word}{BRANDS[i - 1]}{trade}有限公司" if i % 7 else f"{city_word}{BRANDS[i - 1]}{trade}股份有限公司"
        c.brand, c.trade, c.city_word = BRANDS[i - 1], trade, city_word
        c.industry = industry
        while True:
            mobile = rng.choice(mobile_prefixes) + f"{rng.randrange(10**8):08d}"
            if mobile not in used_mobiles:
                used_mobiles.add(mobile)
                break
        c.mobile = mobile
        while True:
            if rng.random() < 0.5:  # organisations registered since 2015: MA…
                body = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
            else:
                body = f"{rng.randrange(10**8):08d}"
            if body not in used_bodies:
                used_bodies.add(body)
                break
        c.uscc = make_uscc(rng.choice(["91", "91", "91", "92", "12"]), adcode, body)
        c.landline = f"{area}-{rng.randint(2, 8)}{rng.randrange(10**6, 10**7) if len(area) == 4 else rng.randrange(10**7)}" \
            if rng.random() < 0.45 else ""
        c.status = rng.choice(STATUSES)
        c.channel = rng.choice(CHANNELS)
        c.owner, c.group = rng.choice(OWNERS)
        c.plan = rng.choice(PLANS)
        c.notes = rng.choice(NOTES)
        c.created = dt.datetime(2024, 3, 1, 9, 0, tzinfo=TZ) + dt.timedelta(minutes=rng.randrange(60 * 24 * 900))
        c.last_contact = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(80))
        c.next_at = dt.date(2026, 11, 25) + dt.timedelta(days=rng.randrange(40))
        # updated on the day before the nightly dump, between 06:00 and 23:59: within 24 hours of AS_OF
        c.updated = dt.datetime(2026, 11, 21, 6, 0, tzinfo=TZ) + dt.timedelta(minutes=rng.randrange(18 * 60))
        world.append(c)
    return world


def address(c: Customer, style: str) -> str:
    city = c.city
    if style == "full":
        return f"{c.province}{city}{c.district}{c.detail}"
    if style == "short":  # 广东深圳南山科技园路1号
        return f"{c.province[:-1]}{city[:-1]}{c.district[:-1]}{c.detail}"
    if style == "noprovince":
        return f"{city or c.province}{c.district}{c.detail}"
    if style == "fullwidth":
        return f"{c.province}{city}{c.district}{c.detail}".translate(FULLWIDTH)
    if style == "spaced":
        return f"{c.province} {city} {c.district} {c.detail}".replace("  ", " ")
    raise ValueError(style)


# ---------------------------------------------------------------------------------------------
# Records

class Rec:
    """One physical record of a fixture file, with what the generator means it to become."""

    def __init__(self, customer, cells=None, raw=None, state="merged", reason=None, via="key", note=""):
        self.customer = customer      # generator customer id or None
        self.cells = cells            # list of str, serialized by the file's csv writer
        self.raw = raw                # exact text of the record (no line end), for malformed lines
        self.intended = (state, reason, via)
        self.note = note
        self.bad_bytes = False        # GBK file: the marker in this record becomes an invalid byte
        self.no_newline = False       # the file's last record, truncated: no line end
        self.meant = None             # variety set: master field → the value the record means to carry

    def with_meant(self, values: dict) -> "Rec":
        self.meant = values
        return self


def crm_cells(c: Customer, sid: str, *, phone="plain", uscc="plain", addr="full", name=None, company=None,
              landline=None, updated=None, fmt=0, notes=None, owner=None, status=None, plan=None, drop=(),
              mobile=None, tax=None) -> list[str]:
    owner_name, group = (owner if owner else (c.owner, c.group))
    values = {
        "客户编号": sid,
        "客户名称": c.company if company is None else company,
        "联系人": c.name if name is None else name,
        "手机": (fmt_phone(c.mobile, phone) if phone else "") if mobile is None else mobile,
        "座机": c.landline if landline is None else landline,
        "统一社会信用代码": (fmt_uscc(c.uscc, uscc) if uscc else "") if tax is None else tax,
        "地址": address(c, addr) if addr else "",
        "行业": c.industry,
        "客户状态": status or c.status,
        "首次接触渠道": c.channel,
        "负责人": owner_name,
        "销售组": group,
        "最近联系日期": fmt_date(c.last_contact, fmt),
        "下次跟进计划": plan or c.plan,
        "下次跟进日期": fmt_date(c.next_at, fmt + 1),
        "创建时间": fmt_datetime(c.created, fmt + 1),
        "更新时间": fmt_datetime(updated or c.updated, fmt),
        "备注": c.notes if notes is None else notes,
    }
    for column in drop:
        values[column] = ""
    return [values[h] for h in CRM_HEADERS]


def build_crm(world: dict[str, Customer]) -> list[Rec]:
    recs: list[Rec] = []
    phone_styles = {"C02": "dash", "C04": "plus86", "C06": "0086", "C09": "fullwidth", "C11": "space",
                    "C14": "ext", "C16": "86", "C19": "paren", "C23": "dash", "C27": "plus86"}
    uscc_styles = {"C03": "lower", "C05": "spaced", "C10": "lowerspaced", "C17": "padded", "C25": "lower"}
    addr_styles = {"C02": "short", "C06": "noprovince", "C09": "fullwidth", "C13": "short", "C18": "spaced",
                   "C21": "noprovince", "C26": "short"}
    # names as people type them: spaced compound surname, titles, title only, trailing blank
    names = {"C03": lambda n: n[:2] + " " + n[2:], "C04": lambda n: n + "(经理)", "C07": lambda n: n + "先生",
             "C12": lambda n: n + " ", "C15": lambda n: n[:2] + "总", "C24": lambda n: n[0] + "经理"}
    lagging = {"C07": 6, "C15": 3, "C22": 9, "C28": 2}
    for i in range(1, 31):
        c = world[f"C{i:02d}"]
        kw = dict(phone=phone_styles.get(c.id, "plain"), uscc=uscc_styles.get(c.id, "plain"),
                  addr=addr_styles.get(c.id, "full"), name=names[c.id](c.name) if c.id in names else None, fmt=i)
        if c.id in lagging:
            kw["updated"] = c.updated - dt.timedelta(days=lagging[c.id])
        if c.id == "C01":
            kw["notes"] = "首次拜访：客户有意向，需要报价\n二次拜访：等待预算审批"   # newline inside quotes
        if c.id == "C02":   # and a comma inside the quoted address, below
            kw["notes"] = '客户说"下周再联系"，报价单已发'              # doubled quotes
        if c.id == "C05":
            kw["notes"] = "发票抬头：见合同,税号同上"                       # comma inside quotes
        if c.id == "C08":
            kw["landline"] = "0755-88886666"
        if c.id == "C10":
            kw["landline"] = f"{c.area}-2688 1234转123"
        if c.id == "C11":
            kw["company"] = f'{c.city_word}"{c.brand}"{c.trade}有限公司'    # quotes inside the value
        if c.id == "C13":
            kw["landline"] = "400-820-8820"
        if c.id == "C18":
            kw["notes"] = "联系人已离职\r\n新联系人待补充"                     # CRLF inside quotes
        if c.id == "C19":
            kw["drop"] = ("行业", "下次跟进计划")
        if c.id == "C21":
            kw["drop"] = ("负责人", "销售组", "首次接触渠道")
        if c.id == "C26":
            kw["drop"] = ("地址",)
        cells = crm_cells(c, f"KH2026{1000 + 7 * i:04d}", **kw)
        if c.id == "C02":
            cells[CRM_HEADERS.index("地址")] += ",A栋301"
        recs.append(Rec(c.id, cells))
        if c.id == "C03":
            # the second, older CRM record of C03 under another 客户编号 (keyed: same customer)
            older = crm_cells(c, "KH20190417", company=f"{c.brand}{c.trade}", status="意向客户",
                              owner=OWNERS[(OWNERS.index((c.owner, c.group)) + 3) % len(OWNERS)],
                              updated=dt.datetime(2025, 8, 14, 10, 30, tzinfo=TZ), fmt=1, notes="旧系统迁移")
            recs.append(Rec(c.id, older, note="older record of the same customer"))
        if c.id == "C09":
            # a customer keyed elsewhere in this file, reached by its mobile alone (another 客户编号)
            c12 = world["C12"]
            recs.append(Rec("C12", crm_cells(c12, "KH20251188", phone="plus86", uscc="", addr="", name=c12.name[0] + "小姐",
                                              company="", fmt=2, notes="展会扫码", status="潜在客户"),
                            via="phone", note="mobile only, of a customer keyed in this file"))
        if c.id == "C12":
            # a customer keyed only in erp_bom.csv (a later file), reached by its USCC alone
            c36 = world["C36"]
            recs.append(Rec("C36", crm_cells(c36, "KH20251203", phone="", landline=f"{c36.area}-6677 8899",
                                              uscc="lower", name="", fmt=0, notes="财务补录"),
                            via="tax_id", note="USCC only, of a customer keyed in erp_bom.csv"))
        if c.id == "C16":
            recs.append(Rec(None, raw="以下为测试数据，请勿导入", state="rejected", reason="malformed", via=None,
                            note="garbage line: one field"))
        if c.id == "C20":
            # no identifier: placeholder phone, USCC with a wrong check character
            c31 = world["C31"]
            wrong = c31.uscc[:17] + USCC_CHARS[(USCC_VALUE[c31.uscc[17]] + 7) % 31]
            recs.append(Rec("C31", crm_cells(c31, "KH20260901", mobile="无", tax=wrong, landline="", fmt=2),
                            state="rejected", reason="no_identifier", via=None,
                            note="phone 无, USCC with a wrong check character"))
        if c.id == "C22":
            # an exact duplicate of C05's physical row, exported twice
            recs.append(Rec("C05", list(recs[[r.customer for r in recs].index("C05")].cells), state="duplicate",
                            via=None, note="exact duplicate of an earlier row"))
        if c.id == "C24":
            c32 = world["C32"]
            recs.append(Rec("C32", crm_cells(c32, "KH20261002", phone="dash", uscc="", fmt=1, status="潜在客户"),
                            state="pending", via=None, note="a valid mobile that no master customer holds"))
        if c.id == "C25":
            recs.append(Rec(None, raw=",,,,,,,,,,,,,,,,,", state="rejected", reason="empty_row", via=None,
                            note="every cell empty"))
        if c.id == "C28":
            # an unquoted address holding commas: 20 fields for 18 columns
            c33 = world["C33"]
            cells = crm_cells(c33, "KH20261044", fmt=0)
            cells[CRM_HEADERS.index("地址")] = f"{address(c33, 'full')},2楼,201室"
            recs.append(Rec("C33", raw=",".join(cells), state="rejected", reason="malformed", via=None,
                            note="too many fields (unquoted commas)"))
    # the export was cut off: the last record stops in the middle of its address, with no line end
    c34 = world["C34"]
    cells = crm_cells(c34, "KH20261299", fmt=1)
    line = ",".join(cells)
    cut = line.index(c34.road) + len(c34.road)
    rec = Rec("C34", raw=line[:cut], state="rejected", reason="malformed", via=None, note="truncated last line")
    rec.no_newline = True
    recs.append(rec)
    return recs


def build_erp(world: dict[str, Customer]) -> list[Rec]:
    recs = []

    def row(c, sid, *, company=None, contact=None, mobile=None, tax=None, addr="noprovince", updated=None, owner=None):
        return [sid, c.company if company is None else company, c.name if contact is None else contact,
                c.mobile if mobile is None else mobile, c.uscc if tax is None else tax,
                address(c, addr) if addr else "", owner or c.owner,
                (updated or c.updated - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")]

    number = 100230
    for i in range(35, 46):
        c = world[f"C{i:02d}"]
        number += 17
        kw = {}
        if i in (37, 41):
            kw["mobile"] = fmt_phone(c.mobile, "plus86tight")
        if i == 39:
            kw["updated"] = dt.datetime(2026, 11, 14, 17, 45, tzinfo=TZ)   # lagging a week
        if i == 43:
            kw["addr"] = "full"
        recs.append(Rec(c.id, row(c, str(number), **kw)))
        if i == 38:
            # shared with CRM, the company and contact spelt otherwise
            c1 = world["C01"]
            recs.append(Rec("C01", row(c1, "100301", company=f"{c1.brand}{c1.trade}（{c1.city_word}）有限公司",
                                       contact=c1.name[0] + " " + c1.name[1:], mobile=fmt_phone(c1.mobile, "plus86"))))
        if i == 40:
            c2 = world["C02"]
            recs.append(Rec("C02", row(c2, "100302", company=c2.company.replace("有限公司", "有限责任公司"),
                                       tax=c2.uscc.lower(), addr="short")))
        if i == 42:
            c8 = world["C08"]
            recs.append(Rec("C08", row(c8, "100305", mobile="0755-88886666", contact="财务部"),
                            via="tax_id", note="landline only and a valid USCC: linked by tax id"))
        if i == 44:
            c7 = world["C07"]
            recs.append(Rec("C07", row(c7, "100309", company=c7.company.replace(c7.city_word, "", 1),
                                       contact=c7.name, updated=dt.datetime(2026, 11, 21, 20, 5, tzinfo=TZ))))
    return recs


def build_leads(world: dict[str, Customer]) -> list[Rec]:
    recs = []

    def row(c, sid, phone, created, name=None, company=None):
        return [sid, c.name if name is None else name, phone, c.company if company is None else company,
                created.strftime("%Y-%m-%d %H:%M:%S")]

    t0 = dt.datetime(2026, 11, 21, 9, 12, 5, tzinfo=TZ)
    plan = [("C04", "fullwidth", None, "merged", "phone"), ("C09", "plain", world["C09"].name[0] + "先生", "merged", "phone"),
            ("C46", "plain", None, "pending", None), ("C12", "dash", None, "merged", "phone"),
            ("C37", "86", None, "merged", "phone"), ("C32", "space", None, "pending", None),
            ("C47", "plus86", "", "pending", None), ("C40", "0086", None, "merged", "phone"),
            ("C48", "plain", None, "pending", None), ("C13", "plain", "", "merged", "phone")]
    for n, (cid, style, name, state, via) in enumerate(plan):
        c = world[cid]
        created = t0 + dt.timedelta(minutes=83 * n)
        if cid == "C46":
            created = dt.datetime(2026, 11, 18, 22, 40, 12, tzinfo=TZ)  # an old lead, lagging
        recs.append(Rec(cid, row(c, f"L-2026-{4100 + n:04d}", fmt_phone(c.mobile, style), created, name=name,
                                 company="" if n % 3 == 2 else None), state=state, via=via))
    return recs


def build_partners(world: dict[str, Customer]) -> list[Rec]:
    recs = []

    def row(c, sid, *, name=None, mobile=None, tax=None, updated=None):
        t = updated or c.updated - dt.timedelta(minutes=47)
        return [sid, c.name if name is None else name, c.mobile if mobile is None else mobile,
                c.uscc if tax is None else tax, f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"]

    c = world
    recs.append(Rec("C49", row(c["C49"], "P001")))
    recs.append(Rec("C50", row(c["C50"], "P002", name=f"{c['C50'].name};渠道经理")))   # ; inside quotes
    recs.append(Rec("C06", row(c["C06"], "P003", updated=dt.datetime(2026, 11, 21, 23, 30, tzinfo=TZ)),
                    note="shared with CRM, updated later"))
    recs.append(Rec("C38", row(c["C38"], "P004", mobile=""), via="tax_id", note="USCC only, customer keyed in ERP"))
    recs.append(Rec("C51", row(c["C51"], "P005", mobile=fmt_phone(c["C51"].mobile, "dash"))))
    wrong = c["C20"].uscc[:17] + USCC_CHARS[(USCC_VALUE[c["C20"].uscc[17]] + 1) % 31]
    recs.append(Rec("C20", row(c["C20"], "P006", tax=wrong), via="phone",
                    note="valid mobile of a keyed customer, USCC with a wrong check character"))
    recs.append(Rec("C53", row(c["C53"], "P007", tax="", updated=dt.datetime(2026, 11, 16, 11, 5, tzinfo=TZ)),
                    state="pending", via=None, note="mobile only, no master customer holds it"))
    recs.append(Rec("C52", row(c["C52"], "P008", tax=fmt_uscc(c["C52"].uscc, "lower"))))
    return recs


BAD_MARKER = "@@BAD@@"


def build_bad_bytes(world: dict[str, Customer]) -> list[Rec]:
    recs = []
    for n, cid in enumerate(["C54", "C55", "C58", "C56", "C57"]):
        c = world[cid]
        cells = crm_cells(c, f"LG{880 + n:04d}", fmt=n, phone="dash" if n == 3 else "plain")
        if cid == "C58":
            cells[CRM_HEADERS.index("客户名称")] = c.company[:4] + BAD_MARKER + c.company[4:]
            rec = Rec(cid, cells, state="rejected", reason="bad_encoding", via=None,
                      note="a lone byte 0xFF inside 客户名称")
            rec.bad_bytes = True
        else:
            rec = Rec(cid, cells)
        recs.append(rec)
    return recs


def json_line(obj: dict, compact: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":") if compact else (", ", ": "))


def build_web(world: dict[str, Customer]) -> list[Rec]:
    """Web form submissions, one JSON object a line: mobile as a string or a JSON number, values
    absent as a missing key, null or "", submittedAt with +08:00, Z or milliseconds."""
    recs = []
    w = world

    def form(sid, c, submitted, *, mobile="str", tax=None, name=None, company=None, city=None, message="", utm="baidu"):
        obj = {"id": sid, "formId": "trial-2026" if int(sid[-2:]) % 2 else "quote-2026"}
        if name is not False:
            obj["name"] = c.name if name is None else name
        if mobile == "int":
            obj["mobile"] = int(c.mobile)
        elif mobile == "str":
            obj["mobile"] = c.mobile
        elif mobile is not False:
            obj["mobile"] = mobile           # a formatted string, None or ""
        if company is not False:
            obj["company"] = c.company if company is None else company
        if tax is not False:
            obj["taxId"] = tax
        if city is not False:
            obj["city"] = (c.city or c.province)[:-1] if city is None else city
        obj["message"] = message
        obj["submittedAt"] = submitted
        if utm is not False:
            obj["utm_source"] = utm
        return obj

    first = form("WF-202611-01", w["C03"], "2026-11-21T09:15:42+08:00", mobile="int", tax=False,
                 message="想了解企业版报价")
    recs.append(Rec("C03", raw=json_line(first), via="phone", note="mobile as a JSON number, no taxId key"))
    recs.append(Rec("C33", raw=json_line(form("WF-202611-02", w["C33"], "2026-11-21T03:20:11Z",
                                              mobile=fmt_phone(w["C33"].mobile, "plus86"),
                                              tax=fmt_uscc(w["C33"].uscc, "lowerspaced"), utm=None), compact=True),
                    note="keyed: the customer whose CRM row was malformed gets its master from this form"))
    recs.append(Rec("C44", raw=json_line(form("WF-202611-03", w["C44"], "2026-11-21T14:05:09.387+08:00", mobile=None,
                                              tax=fmt_uscc(w["C44"].uscc, "spaced"), message="需要开专票")),
                    via="tax_id", note="mobile null, USCC only: linked by tax id to the ERP customer"))
    recs.append(Rec("C32", raw=json_line(form("WF-202611-04", w["C32"], "2026-11-21T16:48:30+08:00",
                                              mobile=fmt_phone(w["C32"].mobile, "dash"), tax="", utm="")),
                    state="pending", via=None, note="a mobile no master customer holds"))
    cut = json_line(form("WF-202611-05", w["C39"], "2026-11-21T17:20:00+08:00", tax=w["C39"].uscc))
    recs.append(Rec("C39", raw=cut[:cut.index('"mobile"') + 12], state="rejected", reason="malformed", via=None,
                    note="not valid JSON: the line is cut off"))
    recs.append(Rec(None, raw="", state="rejected", reason="empty_row", via=None, note="an empty line"))
    recs.append(Rec(None, raw=json_line(form("WF-202611-06", w["C01"], "2026-11-21T18:02:00+08:00", name="李先生",
                                             mobile="", tax=None, company="个人", city=False, message="请回电话",
                                             utm=False)),
                    state="rejected", reason="no_identifier", via=None, note="neither a mobile nor a tax id"))
    recs.append(Rec("C03", raw=json_line(first), state="duplicate", via=None, note="the same line submitted twice"))
    recs.append(Rec("C20", raw=json_line(form("WF-202611-07", w["C20"], "2026-11-20T16:40:00+08:00", mobile="int",
                                              tax=False, company="", utm="wechat"), compact=True),
                    via="phone", note="an older submission: lagging more than 24 h"))
    recs.append(Rec("C53", raw=json_line(form("WF-202611-08", w["C53"], "2026-11-21T12:30:05.000Z",
                                              mobile=int("86" + w["C53"].mobile), tax=None, city="")),
                    state="pending", via=None, note="86-prefixed mobile as a JSON number, no master customer holds it"))
    wrong = w["C41"].uscc[:17] + USCC_CHARS[(USCC_VALUE[w["C41"].uscc[17]] + 3) % 31]
    recs.append(Rec("C41", raw=json_line(form("WF-202611-09", w["C41"], "2026-11-21T21:11:11+08:00",
                                              mobile=fmt_phone(w["C41"].mobile, "space"), tax=wrong)),
                    via="phone", note="USCC with a wrong check character: linked by its mobile"))
    return recs


WECHAT_ACCOUNT = "gh_5f3a9c2e1b7d"


def xml_push(elements: list[tuple[str, object]]) -> str:
    """One pushed message, as the official-account platform writes it: text in CDATA, numbers bare."""
    lines = ["<xml>"]
    for tag, value in elements:
        lines.append(f"  <{tag}>{value}</{tag}>" if isinstance(value, int) else f"  <{tag}><![CDATA[{value}]]></{tag}>")
    lines.append("</xml>")
    return "\n".join(lines)


def unix(t: dt.datetime) -> int:
    return int(t.timestamp())


def build_wechat(world: dict[str, Customer]) -> list[Rec]:
    """WeChat official-account pushes: a subscribe event, chat, form answers as `label：value`
    lines in Content (full-width or ASCII colons, any order, 手机/电话/联系电话), retried pushes."""
    recs = []
    w = world
    day = dt.datetime(2026, 11, 21, 0, 0, tzinfo=TZ)

    def text(openid, when, content, msgid):
        return [("ToUserName", WECHAT_ACCOUNT), ("FromUserName", openid), ("CreateTime", unix(when)),
                ("MsgType", "text"), ("Content", content), ("MsgId", msgid)]

    recs.append(Rec(None, raw=xml_push([("ToUserName", WECHAT_ACCOUNT), ("FromUserName", "oWDev8R17VFvLCoSDHXQmlNU0Tlo"),
                                        ("CreateTime", unix(day + dt.timedelta(hours=8, minutes=2, seconds=13))),
                                        ("MsgType", "event"), ("Event", "subscribe")]),
                    state="rejected", reason="filtered", via=None, note="a subscribe event: left out by where"))
    c = w["C05"]
    form_c05 = text("oq3Kt5Yb0cW2u8nRr1xZa7LmP4dE", day + dt.timedelta(hours=10, minutes=15),
                    f"【在线留资】\n姓名：{c.name}\n手机：{fmt_phone(c.mobile, 'space')}\n公司：{c.company}\n需求：想要一份报价",
                    24681357902468135701)
    recs.append(Rec("C05", raw=xml_push(form_c05), via="phone", note="form answers, linked by the mobile"))
    recs.append(Rec(None, raw=xml_push(text("o7aCjCk3D_Dxegj5eaYur8Y76aD0", day + dt.timedelta(hours=10, minutes=47, seconds=31),
                                            "你好，在吗？", 24681357902468135702)),
                    state="rejected", reason="empty_row", via=None, note="chat: no value in any mapped field"))
    c = w["C34"]
    recs.append(Rec("C34", raw=xml_push(text("oL2mN8bV5cX1zA9sD4fG7hJ3kQ6w", day + dt.timedelta(hours=13, minutes=20, seconds=44),
                                             f"【在线留资】\n公司:{c.company}\n税号:{c.uscc}\n联系电话：{c.mobile}\n姓名:{c.name}",
                                             24681357902468135703)),
                    note="keyed: the customer whose CRM row was truncated gets its master from this push"))
    recs.append(Rec("C05", raw=xml_push(form_c05), state="duplicate", via=None,
                    note="the same push retried: same MsgId, identical content"))
    c = w["C12"]
    form_c12 = text("oR5tY7uI9oP1aS3dF5gH7jK9lZ2x", day + dt.timedelta(hours=15, minutes=5, seconds=9),
                    f"公司: {c.company}\n电话: {fmt_phone(c.mobile, 'dash')}\n姓名: {c.name}", 24681357902468135704)
    recs.append(Rec("C12", raw=xml_push(form_c12), via="phone", note="ASCII colons, 电话, answers in another order"))
    retry = [(tag, value + 7 if tag == "CreateTime" else value) for tag, value in form_c12]
    recs.append(Rec("C12", raw=xml_push(retry), state="rejected", reason="duplicate", via=None,
                    note="retried push: same MsgId, another CreateTime (dedupe_by: [MsgId])"))
    c = w["C38"]
    recs.append(Rec("C38", raw=xml_push(text("oB4nM6vC8xZ0aQ2wE4rT6yU8iO0p", day + dt.timedelta(hours=17, minutes=30),
                                             f"姓名：{c.name}\n公司：{c.company}\n税号：{fmt_uscc(c.uscc, 'lower')}",
                                             24681357902468135705)),
                    via="tax_id", note="USCC only: linked by tax id to the ERP customer"))
    c = w["C47"]
    recs.append(Rec("C47", raw=xml_push(text("oC7vB9nM1qW3eR5tY7uI9oP1aS3d",
                                             dt.datetime(2026, 11, 19, 20, 12, 45, tzinfo=TZ),
                                             f"姓名：{c.name}\n手机：{c.mobile}\n公司：{c.company}", 24681357902468135706)),
                    state="pending", via=None, note="a mobile no master customer holds; pushed two days ago"))
    recs.append(Rec(None, raw=xml_push(text("oD8cV0bN2mQ4wE6rT8yU0iO2pA4s", day + dt.timedelta(hours=22, minutes=40),
                                            "姓名：王女士\n公司：个体经营\n需求：咨询价格", 24681357902468135707)),
                    state="rejected", reason="no_identifier", via=None, note="neither a mobile nor a tax id"))
    return recs


CALL_HEADERS = ["call_id", "caller", "called", "start_time", "duration_s", "agent_id", "disposition"]
HOTLINE = "400-800-1234"


def build_calls(world: dict[str, Customer]) -> list[Rec]:
    """The 400 call centre's nightly dump: callers in every shape the switch logs them."""
    recs = []
    w = world
    stranger = "13923456781"
    assert all(c.mobile != stranger for c in w.values())
    plan = [
        # (customer, caller, start, duration, agent, disposition, state, via, note)
        ("C01", "0" + w["C01"].mobile, "2026-11-21 09:03:12", 184, "A07", "已接通", "merged", "phone", "trunk 0 before the mobile"),
        ("C33", "+86" + w["C33"].mobile, "2026-11-21 09:47:55", 62, "A03", "已接通", "merged", "phone",
         "customer keyed by a web form in this batch"),
        ("C34", "0086" + w["C34"].mobile, "2026-11-21 10:30:02", 0, "", "未接通", "merged", "phone",
         "customer keyed by a WeChat push in this batch"),
        ("C08", "0755-88886666", "2026/11/21 11:15:40", 95, "A03", "已接通", "merged", "landline",
         "the 座机 of a merged CRM record"),
        ("C10", "028" + "26881234", "2026-11-21 13:01:09", 301, "A11", "已接通", "merged", "landline",
         "the 座机 of a merged CRM record, held there with an extension"),
        ("C36", "0757-66778899", "2026-11-21 14:22:31", 47, "A07", "留言", "merged", "landline",
         "the 座机 of a CRM record linked by tax id"),
        (None, "", "2026-11-21 15:00:00", 12, "A11", "已接通", "rejected", "no_identifier", "withheld caller: empty"),
        (None, "anonymous", "2026-11-21 15:10:27", 33, "A03", "已接通", "rejected", "no_identifier", "withheld caller"),
        (None, "未知", "2026-11-21 15:31:50", 0, "", "未接通", "rejected", "no_identifier", "withheld caller"),
        (None, stranger, "2026-11-21 16:45:00", 128, "A07", "已接通", "pending", None, "a mobile nobody holds"),
        ("C32", "0" + w["C32"].mobile, "2026-11-20 19:20:00", 75, "A11", "已接通", "pending", None,
         "a customer with no master yet; called yesterday evening (lagging)"),
        ("C34", w["C34"].landline, "2026-11-21 17:05:00", 20, "A03", "已接通", "pending", None,
         "the landline of a customer whose only record holding it was truncated"),
        ("C56", w["C56"].landline, "2026-11-21 18:33:00", 210, "A07", "已接通", "merged", "landline",
         "the 座机 of a merged legacy record"),
        (None, "4006001234", "2026-11-21 19:00:00", 15, "A11", "已接通", "pending", None,
         "another company's 400 line: accepted, held by nobody"),
        ("C15", fmt_phone(w["C15"].mobile, "plus86"), "2026-11-19 10:00:00", 540, "A03", "已接通", "merged", "phone",
         "an old call in tonight's dump (lagging)"),
    ]
    for n, (cid, caller, start, duration, agent, disposition, state, via, note) in enumerate(plan):
        cells = [f"CL2611{n + 1:04d}", caller, HOTLINE if n % 3 else HOTLINE.replace("-", ""), start, str(duration),
                 agent, disposition]
        if state == "rejected":
            recs.append(Rec(cid, cells, state="rejected", reason=via, via=None, note=note))
        else:
            recs.append(Rec(cid, cells, state=state, via=via, note=note))
    recs.append(Rec(None, ["合计", f"{len(plan)}通", "", "", str(sum(p[3] for p in plan)), "", ""], state="rejected",
                    reason="skipped", via=None, note="the dump's totals line (skip_rows_matching)"))
    line = ",".join([f"CL2611{len(plan) + 1:04d}", "0" + w["C20"].mobile, HOTLINE, "2026-11-21 23:58"])
    rec = Rec("C20", raw=line, state="rejected", reason="malformed", via=None, note="truncated last line, no line end")
    rec.no_newline = True
    recs.append(rec)
    return recs



# ---------------------------------------------------------------------------------------------
# The variety set (fixtures/variety/, pipelines/variety.yml): exports laid out otherwise than the
# fixtures above, the way other vendors and form builders write them. Every record is accepted: none may be lost, none may
# become empty_row or no_identifier for its layout, and every updated_at must be read.

VARIETY_CRM_HEADERS = ["客户编号", "客户名称", "联系人", "手机", "统一社会信用代码", "最近联系日期", "更新时间", "备注"]
VARIETY_HK_HEADERS = ["客户编号", "客户名称", "联系人", "手机", "统一社会信用代码", "更新时间"]
VARIETY_DAY = dt.datetime(2026, 11, 21, 0, 0, tzinfo=TZ)


def variety_time(n: int, hour: int = 6) -> dt.datetime:
    """The n-th update time of a file: 2026-11-21 from `hour` on, 37 minutes and 5 seconds apart
    (within 24 h of AS_OF, well clear of the boundary)."""
    return VARIETY_DAY + dt.timedelta(hours=hour, minutes=37 * n, seconds=5 * n if n % 3 == 0 else 0)


def meant(c: Customer, **extra) -> dict:
    return {"name": c.name, "company": c.company, **extra}


def build_variety_crm(world: dict[str, Customer]) -> list[Rec]:
    """A CRM export whose times are anything but ISO 8601: compact, Chinese, 12-hour."""
    times = [("compact", 14, 33, 0), ("compact_hhmm", 15, 8, 0), ("compact14", 16, 45, 20), ("compact_t", 9, 15, 0),
             ("cn", 14, 33, 0), ("cn_seconds", 10, 2, 5), ("cn_pm_colon", 14, 33, 0), ("ampm", 14, 33, 0),
             ("ampm_tight", 19, 40, 0), ("cn_pm_dian", 14, 33, 0), ("cn_pm_colon", 8, 20, 0), ("date8", 0, 0, 0),
             ("dotted", 12, 10, 0), ("ampm_dots", 21, 5, 0)]
    contact_formats = [lambda d: d.strftime("%Y%m%d"), lambda d: f"{d.year}年{d.month}月{d.day}日",
                       lambda d: f"{d.year}.{d.month}.{d.day}", lambda d: f"{d.year}/{d.month}/{d.day}"]
    recs = []
    for n, (fmt, hour, minute, second) in enumerate(times):
        c = world[f"C{n + 1:02d}"]
        t = VARIETY_DAY.replace(hour=hour, minute=minute, second=second)
        contact = c.last_contact
        cells = [f"V{7100 + n}", c.company, c.name, c.mobile, c.uscc, contact_formats[n % 4](contact),
                 EXPORT_TIME_FORMATS[fmt](t), ""]
        recs.append(Rec(c.id, cells, note=f"updated_at as {fmt}: {cells[6]}",
                        ).with_meant(meant(c, last_contact_at=iso(dt.datetime.combine(contact, dt.time(), TZ)))))
    return recs


def build_variety_hk(world: dict[str, Customer]) -> list[Rec]:
    """The Hong Kong office's CRM: dates day first (date_order: dmy), with a 24-hour, 12-hour or
    下午 time, or none."""
    formats = ["dmy_slash", "dmy_dot", "dmy_dash_pm", "dmy_cn_pm", "dmy_date", "dmy_slash"]
    recs = []
    for n, fmt in enumerate(formats):
        c = world[f"C{n + 15:02d}"]
        t = variety_time(n, hour=8).replace(second=0)
        if fmt == "dmy_date":
            t = dt.datetime(2026, 11, 5, tzinfo=TZ)   # 05/11/2026: May 11th to a month-first reader
        if n == 5:
            t = dt.datetime(2026, 11, 11, 10, 0, tzinfo=TZ)   # 11/11/2026 reads alike both ways, and still needs the order
        cells = [f"HK-{310 + n}", c.company, c.name, fmt_phone(c.mobile, "plus86"), c.uscc, EXPORT_TIME_FORMATS[fmt](t)]
        recs.append(Rec(c.id, cells, note=f"updated_at day first: {cells[5]}").with_meant(meant(c)))
    c3 = world["C03"]
    recs.append(Rec("C03", ["HK-399", "", c3.name, c3.mobile, "", EXPORT_TIME_FORMATS["dmy_dot"](variety_time(9, 8).replace(second=0))],
                    via="phone", note="mobile only, of a customer keyed in crm_times.csv"))
    return recs


def build_variety_forms(world: dict[str, Customer]) -> list[Rec]:
    """A form tool's JSON Lines export: answers as [{label, value}] in shuffled order, mobiles as
    numbers or strings, labels with a trailing colon or another wording; times month first
    (date_order: mdy)."""
    rng = random.Random(SEED + 13)
    formats = ["mdy_pm", "mdy_24", "mdy_dash", "mdy_pm", "mdy_24", "mdy_dash", "mdy_pm"]
    recs = []

    def answers(pairs):
        items = [{"label": label, "value": value, **({"type": "text"} if k % 2 else {})}
                 for k, (label, value) in enumerate(pairs)]
        rng.shuffle(items)
        return items

    for n, fmt in enumerate(formats):
        c = world[f"C{n + 21:02d}"]
        t = variety_time(n, hour=9).replace(second=0)
        if n == 3:
            t = dt.datetime(2026, 11, 20, 20, 0, tzinfo=TZ)   # an older submission: lagging
        phone_label = ["手机", "手机：", "联系电话", " 手机 "][n % 4]
        phone = int(c.mobile) if n % 2 == 0 else fmt_phone(c.mobile, "dash")
        pairs = [("姓名", c.name), (phone_label, phone), ("公司名称", c.company),
                 ("统一社会信用代码" if n % 3 else "税号", c.uscc), ("您从哪里了解到我们", "朋友推荐")]
        extra = {}
        if n == 2:
            pairs.append(("手机", ""))   # an empty answer to the same question: the filled one counts
        if n == 5:
            pairs.append(("备注", "请 14:33 后来电，官网 https://example.com/demo"))
            extra["notes"] = "请 14:33 后来电，官网 https://example.com/demo"
        obj = {"id": f"F-{8800 + n}", "submitted_at": EXPORT_TIME_FORMATS[fmt](t), "answers": answers(pairs)}
        recs.append(Rec(c.id, raw=json_line(obj), note=f"answers in shuffled order, submitted_at {obj['submitted_at']}"
                        ).with_meant(meant(c, **extra)))
    c5, c16, c42 = world["C05"], world["C16"], world["C42"]
    link = {"id": "F-8890", "submitted_at": EXPORT_TIME_FORMATS["mdy_pm"](variety_time(12, 9).replace(second=0)),
            "answers": answers([("手机", int(c5.mobile)), ("姓名", c5.name)])}
    recs.append(Rec("C05", raw=json_line(link), via="phone", note="mobile only, of a customer keyed in crm_times.csv"))
    link = {"id": "F-8891", "submitted_at": EXPORT_TIME_FORMATS["mdy_24"](variety_time(13, 9).replace(second=0)),
            "answers": answers([("税号", c16.uscc.lower()), ("公司名称", c16.company)])}
    recs.append(Rec("C16", raw=json_line(link), via="tax_id", note="USCC only, of a customer keyed in crm_hk_dmy.csv"))
    lead = {"id": "F-8892", "submitted_at": EXPORT_TIME_FORMATS["mdy_dash"](variety_time(14, 9).replace(second=0)),
            "answers": answers([("姓名", c42.name), ("联系电话", int(c42.mobile))])}
    recs.append(Rec("C42", raw=json_line(lead), state="pending", via=None, note="a mobile no master customer holds"))
    return recs


def build_variety_wechat(world: dict[str, Customer]) -> list[Rec]:
    """WeChat pushes whose answers come in every layout form menus write: `=`, `＝`, `；`, `|`,
    `，`, tabs, blanks alone, one line or several, with title lines and a note holding a time and a URL."""
    w = world
    layouts = [
        lambda c: f"【预约演示】\n来源：公众号菜单\n姓名：{c.name}\n手机：{fmt_phone(c.mobile, 'space')}\n公司：{c.company}\n税号：{c.uscc}",
        lambda c: f"姓名：{c.name}；手机：{c.mobile}；公司：{c.company}；税号：{c.uscc}",
        lambda c: f"姓名={c.name}\n手机={c.mobile}\n公司={c.company}\n税号={c.uscc}",
        lambda c: f"姓名＝{c.name}｜手机＝{c.mobile}｜公司＝{c.company}｜税号＝{c.uscc}",
        lambda c: f"姓名：{c.name} 手机：{fmt_phone(c.mobile, 'space')} 公司：{c.company} 税号：{c.uscc}",
        lambda c: f"姓名:{c.name}\t手机:{c.mobile}\t税号:{c.uscc}\t公司:{c.company}",
        lambda c: f"姓名: {c.name}; 联系电话: {fmt_phone(c.mobile, 'dash')}; 公司名称: {c.company}; 统一社会信用代码: {c.uscc}",
        lambda c: (f"【在线留资】姓名：{c.name} 手机：{c.mobile} 备注：周六 14:33 到访，详见 http://example.com/f?id=9 "
                   f"公司：{c.company} 税号：{c.uscc}"),
        lambda c: f"预约演示 姓名：{c.name}；手机：{c.mobile}\n公司：{c.company} 税号：{c.uscc.lower()}",
        lambda c: f"需求：想了解价格，交付时间\n姓名：{c.name}，手机：{fmt_phone(c.mobile, 'plus86')}，公司：{c.company}，税号：{c.uscc}",
    ]
    recs = []

    def push(n, content):
        return xml_push([("ToUserName", WECHAT_ACCOUNT), ("FromUserName", f"oVar{n:02d}Q7mK2xP9sL4dF6gH8jZ1cB3n"),
                         ("CreateTime", unix(variety_time(n, hour=7))), ("MsgType", "text"), ("Content", content),
                         ("MsgId", 24681357902468139000 + n)])

    for n, layout in enumerate(layouts):
        c = w[f"C{n + 28:02d}"]
        extra = {"notes": "周六 14:33 到访，详见 http://example.com/f?id=9"} if n == 7 else {}
        recs.append(Rec(c.id, raw=push(n, layout(c)), note=f"layout {n + 1}").with_meant(meant(c, **extra)))
    c2, c4, c41 = w["C02"], w["C04"], w["C41"]
    recs.append(Rec("C02", raw=push(10, f"【在线留资】姓名：{c2.name}，电话：{fmt_phone(c2.mobile, 'dash')}，公司：{c2.company}"),
                    via="phone", note="mobile only, of a customer keyed in crm_times.csv"))
    recs.append(Rec("C04", raw=push(11, f"公司={c4.company}；税号={c4.uscc}；姓名={c4.name}"),
                    via="tax_id", note="USCC only, of a customer keyed in crm_times.csv"))
    recs.append(Rec("C41", raw=push(12, f"姓名：{c41.name} 手机：{c41.mobile}"), state="pending", via=None,
                    note="a mobile no master customer holds"))
    return recs


VARIETY_ADDR_HEADERS = ["客户编号", "客户名称", "联系人", "手机", "统一社会信用代码", "地址", "更新时间"]

# Addresses as people type them into a free-text box, with the master address each one means:
# (text, province, city, district, adcode, detail). The divisions are the generator's own
# reading of the GB/T 2260 change records (白下区 went whole into 秦淮区 in 2013; 江干区 was split
# in 2021, so its address stops at the city), never crmbridge's table.
VARIETY_ADDRESSES = [
    ("我家的地址是江苏淮安清河区健康西路100号", "江苏省", "淮安市", "清江浦区", "320812", "健康西路100号"),
    ("寄到：南京市白下区中山南路8号", "江苏省", "南京市", "秦淮区", "320104", "中山南路8号"),
    ("收货地址:上海闸北共和新路1号2楼", "上海市", "上海市", "静安区", "310106", "共和新路1号2楼"),
    ("公司在北京市宣武区广安门内大街6号", "北京市", "北京市", "西城区", "110102", "广安门内大街6号"),
    ("请寄往广东省广州市萝岗区科学大道182号", "广东省", "广州市", "黄埔区", "440112", "科学大道182号"),
    ("地址是浙江杭州下城区延安路385号", "浙江省", "杭州市", "拱墅区", "330105", "延安路385号"),
    ("江苏省苏州市吴江市松陵镇中山北路1号", "江苏省", "苏州市", "吴江区", "320509", "松陵镇中山北路1号"),
    ("天津市塘沽区解放路668号", "天津市", "天津市", "滨海新区", "120116", "解放路668号"),
    ("浙江省杭州市江干区景芳路1号", "浙江省", "杭州市", "", "330100", "江干区景芳路1号"),
    ("江苏省南京市鼓楼区中山路1号 收货地址见备注", "江苏省", "南京市", "鼓楼区", "320106", "中山路1号收货地址见备注"),
    ("客户说下周再联系", "", "", "", "", "客户说下周再联系"),
    ("【收货地址】福建省厦门市开元区禾祥西路1号", "福建省", "厦门市", "思明区", "350203", "禾祥西路1号"),
]


def company_form(raw: str) -> str:
    """A company name in the one form the master keeps, by the generator's own rule: full-width
    letters and blanks folded (NFKC), round brackets full-width, blanks dropped unless between two
    ASCII characters."""
    text = unicodedata.normalize("NFKC", raw).replace("(", "（").replace(")", "）").strip()
    return re.sub(r"\s+", lambda m: " " if 0 < m.start() and m.end() < len(text) and text[m.start() - 1].isascii()
                  and text[m.end()].isascii() else "", text)


def build_variety_addresses(world: dict[str, Customer]) -> list[Rec]:
    """Another CRM's export: the address box holds prose before the address (寄到：…), district
    names retired by GB/T 2260 changes, or no address at all; company names typed with blanks,
    half-width brackets around a branch marker, or an ideographic space."""
    recs = []
    for n, (text, province, city, district, adcode, detail) in enumerate(VARIETY_ADDRESSES):
        c = world[f"C{n + 43:02d}"]
        company = [f"{c.city_word} {c.company[len(c.city_word):].replace('有限公司', ' 有限公司')}",
                   f"{c.brand}{c.trade}(北京)有限公司", f"{c.brand}{c.trade}（{c.city_word}）有限公司",
                   c.company.replace(c.brand, c.brand + "\u3000")][n % 4]
        t = variety_time(n, hour=10).replace(second=0)
        cells = [f"A-{5200 + n}", company, c.name, c.mobile, c.uscc, text, t.strftime("%Y-%m-%d %H:%M")]
        values = {"name": c.name, "company": company_form(company), "province": province, "city": city,
                  "district": district, "adcode": adcode, "address_detail": detail}
        recs.append(Rec(c.id, cells, note=f"address {text!r}, company {company!r}").with_meant(values))
    return recs


# ---------------------------------------------------------------------------------------------
# The ERP's Excel export (fixtures/erp_customers.xlsx), and reading a worksheet back

ERP_XLSX_HEADERS = ["客户编号 Customer No.", "客户名称 Customer Name", "联系人 Contact", "手机 Mobile", "电话 Tel",
                    "税号 Tax ID", "地址 Address", "业务员 Sales Rep", "信用额度 Credit Limit", "创建日期 Created",
                    "最后修改 Last Modified"]


def build_erp_xlsx(world: dict[str, Customer]) -> list[tuple[int, Rec]]:
    """The rows of sheet `客户 Customers`, each with its sheet row number (the locator `客户 Customers!N`),
    as finance's ERP exports them: numeric customer numbers, mobiles stored as number cells (plain,
    in Excel's `1.38E+10` form, 86-prefixed), landlines as numbers that lost their trunk 0, real
    Excel dates, an empty row, a garbage row and a `合计` totals row. Every customer here (C21–C28)
    is keyed by the CRM file too."""
    from xlsx_writer import Number, Rich

    def row(c, number, *, mobile=None, tel=None, tax=None, addr="full", company=None, credit=100000):
        modified = (c.updated - dt.timedelta(hours=2)).replace(tzinfo=None)
        landline = int(c.landline.replace("-", "")) if c.landline else None   # Excel dropped the trunk 0
        return [number, c.company if company is None else company, c.name,
                int(c.mobile) if mobile is None else mobile, landline if tel is None else tel,
                c.uscc if tax is None else tax, address(c, addr) if addr else None, c.owner, credit,
                c.created.date(), modified]

    c = world
    rows = [
        (2, Rec("C21", row(c["C21"], 200101, credit=500000.5))),
        (3, Rec("C22", row(c["C22"], 200102, mobile=Number(f"{int(c['C22'].mobile) / 1e10:.11f}E10")),
                note="mobile as Excel writes a large number: 1.88613822430E10")),
        (4, Rec("C23", row(c["C23"], 200103, mobile=int("86" + c["C23"].mobile)), note="86-prefixed mobile as a number")),
        (5, Rec("C24", row(c["C24"], 200104, addr=None), note="no address: a sparse row")),
        (6, Rec(None, [], state="rejected", reason="empty_row", via=None, note="an empty row")),
        (7, Rec("C25", row(c["C25"], 200105, company=Rich([c["C25"].company[:2], c["C25"].company[2:]],
                                                          phonetic="pinyin")),
                note="company as rich text with a phonetic guide")),
        (8, Rec("C26", row(c["C26"], 200106, mobile=fmt_phone(c["C26"].mobile, "dash"), tax=c["C26"].uscc.lower()))),
        (9, Rec("C27", row(c["C27"], 200107, mobile=""), via="tax_id",
                note="no mobile, a valid USCC of a keyed customer: linked by tax id")),
        (10, Rec(None, ["导出人：财务部 王会计", None, None, None, None, None, None, None, None, None, None],
                 state="rejected", reason="empty_row", via=None, note="a garbage row: no value in any mapped column")),
        (11, Rec("C28", row(c["C28"], 200108, mobile=fmt_phone(c["C28"].mobile, "plus86"), credit=0))),
        (12, Rec(None, ["合计", None, None, None, None, None, None, None, 1600000.5, None, None],
                 state="rejected", reason="skipped", via=None, note="the totals row (skip_rows_matching)")),
    ]
    return rows


def write_erp_xlsx(world: dict[str, Customer], out_dir: str) -> list[tuple[int, Rec]]:
    from xlsx_writer import Workbook

    rows = build_erp_xlsx(world)
    with Workbook(os.path.join(out_dir, "erp_customers.xlsx")) as book:
        with book.sheet("客户 Customers") as sheet:
            sheet.row(ERP_XLSX_HEADERS)
            for number, rec in rows:
                sheet.row([None if cell == "" else cell for cell in rec.cells], r=number)
        with book.sheet("导出信息 Export Info") as info:
            info.row(["导出时间", dt.datetime(2026, 11, 22, 2, 0)])
            info.row(["导出系统", "ERP 财务系统 v3.2"])
            info.row(["记录数", len([r for _, r in rows if r.customer])])
    return rows


XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XLSX_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
XLSX_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_number_text(text: str) -> str:
    """A number cell as a reader shows it: an integer as its digits (`1.88613822430E10` →
    `18861382243`), anything else as the shortest decimal."""
    from decimal import Decimal
    d = Decimal(text)
    if d == d.to_integral_value():
        return str(int(d))
    return repr(float(text))


def xlsx_date_text(serial: float, date1904: bool) -> str:
    """A date-styled serial as local time: `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when it has a time."""
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    t = base + dt.timedelta(seconds=round(serial * 86400))
    return t.strftime("%Y-%m-%d") if t.time() == dt.time() else t.strftime("%Y-%m-%d %H:%M:%S")


def xlsx_rows(path: str, sheet: str) -> list[tuple[int, list[str]]]:
    """Every `<row>` of the named worksheet as written: (row number, cell texts by column, gaps
    empty). Shared and inline strings as their text (rich runs joined, phonetic guides left out),
    number cells through xlsx_number_text, numbers in a date style through xlsx_date_text."""
    import xml.etree.ElementTree as ET
    import zipfile

    M = XLSX_MAIN
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        pr = book.find(f"{M}workbookPr")
        date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        rid = next(e.get(f"{XLSX_REL}id") for e in book.iter(f"{M}sheet") if e.get("name") == sheet)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels.iter(f"{XLSX_PKG_REL}Relationship") if e.get("Id") == rid)
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{M}si"):
                plain = si.find(f"{M}t")
                strings.append((plain.text or "") if plain is not None
                               else "".join(r.findtext(f"{M}t") or "" for r in si.findall(f"{M}r")))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        codes = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{M}numFmt")}

        def is_date(fmt_id: int) -> bool:
            if fmt_id in codes:
                code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", codes[fmt_id]).lower()
                return any(ch in code for ch in "ymdhs")
            return 14 <= fmt_id <= 22 or 45 <= fmt_id <= 47

        xfs = styles.find(f"{M}cellXfs")
        date_styles = [is_date(int(xf.get("numFmtId", "0"))) for xf in (xfs if xfs is not None else [])]
        sheet_xml = ET.fromstring(z.read(target))
    rows = []
    number = 0
    for row in sheet_xml.iter(f"{M}row"):
        number = int(row.get("r")) if row.get("r") else number + 1
        cells: list[str] = []
        for c in row.findall(f"{M}c"):
            ref = c.get("r")
            column = len(cells)
            if ref:
                column = 0
                for ch in re.match(r"[A-Z]+", ref).group():
                    column = column * 26 + ord(ch) - 64
                column -= 1
            kind, v = c.get("t", "n"), c.findtext(f"{M}v")
            if kind == "s":
                text = strings[int(v)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.find(f"{M}is").iter(f"{M}t"))
            elif kind == "n" and v is not None:
                style = int(c.get("s", "0"))
                text = xlsx_date_text(float(v), date1904) if style < len(date_styles) and date_styles[style] \
                    else xlsx_number_text(v)
            else:
                text = v or ""
            cells += [""] * (column + 1 - len(cells))
            cells[column] = text
        rows.append((number, cells))
    return rows


def xlsx_intended_text(value) -> str:
    """The text the generator means a cell it wrote to read back as."""
    from xlsx_writer import Number, Rich
    if value is None:
        return ""
    if isinstance(value, Number):
        return xlsx_number_text(value.text)
    if isinstance(value, (int, float)):
        return xlsx_number_text(repr(value))
    if isinstance(value, dt.datetime):
        return xlsx_date_text((value - dt.datetime(1899, 12, 30)).total_seconds() / 86400, False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Rich):
        return "".join(value.runs)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Serialization and the expected outcome

def serialize(cells: list[str], delimiter: str, line_end: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=line_end, quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return buf.getvalue()


class Source:
    """One fixture file: how it is written, and what of it the demo pipeline (pipelines/demo.yml)
    maps; the reference resolver reads a record through these columns, whatever the format.

    Columns are CSV or worksheet headers, JSON keys, or XML child elements; an XML column `PATH#L1|L2` is the
    value of the first `label：value` line of PATH's text whose label is L1 or L2."""

    def __init__(self, name, system, fmt, builder, *, kind="customers", encoding="utf-8", bom=b"", delimiter=",",
                 line_end="\n", headers=None, id_col, phone_cols=(), landline_col=None, tax_col=None,
                 updated_col, mapped=(), where=(), skip=(), dedupe_by=(), prologue="", epilogue="", sheet=None,
                 header_row=1, date_order=None, value_cols=None):
        self.name, self.system, self.format, self.builder, self.kind = name, system, fmt, builder, kind
        self.sheet, self.header_row = sheet, header_row   # xlsx: the worksheet read, its header row
        self.date_order = date_order        # the pipeline's date_order for this source (dmy, mdy)
        self.value_cols = value_cols or {}  # master field → column, for the values a record means to carry
        self.encoding, self.bom, self.delimiter, self.line_end = encoding, bom, delimiter, line_end
        self.headers = headers
        self.id_col, self.phone_cols, self.landline_col, self.tax_col = id_col, list(phone_cols), landline_col, tax_col
        self.updated_col = updated_col
        self.mapped = list(mapped)          # the columns of `fields:`: a record with none of them filled is empty
        self.where = list(where)            # (column, value that must be equal)
        self.skip = [re.compile(p) for p in skip]
        self.dedupe_by = list(dedupe_by)
        self.prologue = prologue if fmt != "csv" else serialize(headers, delimiter, line_end)
        self.epilogue = epilogue

    @property
    def columns(self) -> list[str]:
        cols = [self.id_col, self.updated_col, *self.phone_cols, self.landline_col, self.tax_col, *self.mapped,
                *(c for c, _ in self.where), *self.dedupe_by]
        return list(dict.fromkeys(c for c in cols if c))


CRM_MAPPED = [h for h in CRM_HEADERS if h not in ("客户编号", "更新时间")]

FILES = [
    Source("crm_gbk.csv", "crm", "csv", "crm", encoding="gbk", line_end="\r\n", headers=CRM_HEADERS, id_col="客户编号",
           phone_cols=["手机"], landline_col="座机", tax_col="统一社会信用代码", updated_col="更新时间", mapped=CRM_MAPPED),
    Source("erp_bom.csv", "erp", "csv", "erp", bom=b"\xef\xbb\xbf", headers=ERP_HEADERS, id_col="customer_no",
           phone_cols=["mobile"], tax_col="tax_id", updated_col="updated_at",
           mapped=["company", "contact", "mobile", "tax_id", "address", "owner"]),
    Source("leads_utf16.csv", "leads", "csv", "leads", encoding="utf-16-le", bom=b"\xff\xfe", delimiter="\t",
           line_end="\r\n", headers=LEADS_HEADERS, id_col="lead_id", phone_cols=["phone"], updated_col="created",
           mapped=["name", "phone", "company", "created"]),
    Source("partners_semicolon.csv", "partners", "csv", "partners", delimiter=";", headers=PARTNER_HEADERS,
           id_col="partner_id", phone_cols=["mobile"], tax_col="uscc", updated_col="updated",
           mapped=["name", "mobile", "uscc"]),
    Source("bad_bytes_gbk.csv", "legacy", "csv", "bad", encoding="gbk", line_end="\r\n", headers=CRM_HEADERS,
           id_col="客户编号", phone_cols=["手机"], landline_col="座机", tax_col="统一社会信用代码", updated_col="更新时间",
           mapped=CRM_MAPPED),
    Source("web_forms.jsonl", "web", "jsonl", "web", id_col="id", phone_cols=["mobile"], tax_col="taxId",
           updated_col="submittedAt", mapped=["name", "mobile", "company", "taxId", "message"]),
    Source("wechat_forms.xml", "wechat", "xml", "wechat", id_col="MsgId", phone_cols=["Content#手机|电话|联系电话"],
           tax_col="Content#税号", updated_col="CreateTime",
           mapped=["Content#姓名", "Content#手机|电话|联系电话", "Content#公司", "Content#税号"],
           where=[("MsgType", "text")], dedupe_by=["MsgId"],
           prologue=f'<?xml version="1.0" encoding="UTF-8"?>\n<pushes account="{WECHAT_ACCOUNT}">\n',
           epilogue="</pushes>\n"),
    Source("calls_400.csv", "callcenter", "csv", "calls", kind="interactions", bom=b"\xef\xbb\xbf", line_end="\r\n",
           headers=CALL_HEADERS, id_col="call_id", phone_cols=["caller"], updated_col="start_time",
           mapped=["caller", "called", "start_time", "duration_s", "agent_id", "disposition"], skip=[r"^合计"]),
    Source("erp_customers.xlsx", "erp_xlsx", "xlsx", "erp_xlsx", sheet="客户 Customers", headers=ERP_XLSX_HEADERS,
           id_col="客户编号 Customer No.", phone_cols=["手机 Mobile"], landline_col="电话 Tel", tax_col="税号 Tax ID",
           updated_col="最后修改 Last Modified",
           mapped=["客户名称 Customer Name", "联系人 Contact", "手机 Mobile", "电话 Tel", "税号 Tax ID", "地址 Address",
                   "业务员 Sales Rep", "创建日期 Created"], skip=[r"^(合计|总计)"]),
]

VARIETY_FILES = [
    Source("crm_times.csv", "crm", "csv", "v_crm", headers=VARIETY_CRM_HEADERS, id_col="客户编号", phone_cols=["手机"],
           tax_col="统一社会信用代码", updated_col="更新时间", mapped=["客户名称", "联系人", "手机", "统一社会信用代码", "最近联系日期", "备注"],
           value_cols={"name": "联系人", "company": "客户名称", "last_contact_at": "最近联系日期"}),
    Source("crm_hk_dmy.csv", "crm_hk", "csv", "v_hk", headers=VARIETY_HK_HEADERS, id_col="客户编号", phone_cols=["手机"],
           tax_col="统一社会信用代码", updated_col="更新时间", mapped=["客户名称", "联系人", "手机", "统一社会信用代码"],
           date_order="dmy", value_cols={"name": "联系人", "company": "客户名称"}),
    Source("form_answers.jsonl", "form", "jsonl", "v_forms", id_col="id",
           phone_cols=["answers[label=手机|联系电话].value"], tax_col="answers[label=统一社会信用代码|税号].value",
           updated_col="submitted_at", date_order="mdy",
           mapped=["answers[label=姓名].value", "answers[label=手机|联系电话].value", "answers[label=公司名称].value",
                   "answers[label=统一社会信用代码|税号].value", "answers[label=备注].value"],
           value_cols={"name": "answers[label=姓名].value", "company": "answers[label=公司名称].value",
                       "notes": "answers[label=备注].value"}),
    Source("crm_addresses.csv", "crm_addr", "csv", "v_addr", headers=VARIETY_ADDR_HEADERS, id_col="客户编号",
           phone_cols=["手机"], tax_col="统一社会信用代码", updated_col="更新时间",
           mapped=["客户名称", "联系人", "手机", "统一社会信用代码", "地址"],
           value_cols={"name": "联系人", "company": "客户名称"}),
    Source("wechat_layouts.xml", "wechat", "xml", "v_wechat", id_col="MsgId", phone_cols=["Content#手机|电话|联系电话"],
           tax_col="Content#税号|统一社会信用代码", updated_col="CreateTime",
           mapped=["Content#姓名", "Content#手机|电话|联系电话", "Content#公司|公司名称", "Content#税号|统一社会信用代码",
                   "Content#备注|留言"],
           value_cols={"name": "Content#姓名", "company": "Content#公司|公司名称", "notes": "Content#备注|留言"},
           prologue=f'<?xml version="1.0" encoding="UTF-8"?>\n<pushes account="{WECHAT_ACCOUNT}">\n', epilogue="</pushes>\n"),
]


def write_variety(out_dir: str) -> dict:
    """fixtures/variety/: the files of VARIETY_FILES and their expected.json, in a world of their
    own (pipelines/variety.yml loads them into a store of their own)."""
    world = {c.id: c for c in build_world(random.Random(SEED))}
    builders = {"v_crm": build_variety_crm, "v_hk": build_variety_hk, "v_forms": build_variety_forms,
                "v_wechat": build_variety_wechat, "v_addr": build_variety_addresses}
    entries = write_sources(VARIETY_FILES, builders, world, out_dir)
    expected = resolve(entries, world, VARIETY_FILES)
    assert expected["counts"]["rejected"] == 0 and expected["counts"]["duplicate"] == 0, "the variety set loses nothing"
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return expected


def write_fixtures(out_dir: str) -> dict:
    rng = random.Random(SEED)
    customers = build_world(rng)
    world = {c.id: c for c in customers}
    builders = {"crm": build_crm, "erp": build_erp, "leads": build_leads, "partners": build_partners,
                "bad": build_bad_bytes, "web": build_web, "wechat": build_wechat, "calls": build_calls}
    entries = write_sources(FILES, builders, world, out_dir)
    expected = resolve(entries, world)
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return expected


def write_sources(sources: list[Source], builders: dict, world: dict[str, Customer], out_dir: str) -> list[tuple]:
    """Writes each source's file into out_dir; returns (source, rec, line where the record
    starts, its text without line end) of every record."""
    os.makedirs(out_dir, exist_ok=True)
    entries = []
    for src in sources:
        if src.format == "xlsx":
            entries += xlsx_entries(src, write_erp_xlsx(world, out_dir), out_dir)
            continue
        recs = builders[src.builder](world)
        line = 1 + src.prologue.count("\n")
        chunks = [src.prologue]
        for rec in recs:
            body = rec.raw if rec.raw is not None else serialize(rec.cells, src.delimiter, src.line_end)[:-len(src.line_end)]
            if src.format == "csv" and "\n" in body and rec.raw is not None:
                raise AssertionError("raw CSV records are single lines")
            record_text = body if rec.no_newline else body + src.line_end
            entries.append((src, rec, line, body))
            chunks.append(record_text)
            line += record_text.count("\n")
        assert all(not r.no_newline for r in recs[:-1]) and not (recs[-1].no_newline and src.epilogue)
        data = "".join(chunks) + src.epilogue
        if src.encoding == "gbk":
            encoded = data.encode("gbk")  # raises on a character outside GBK
            if BAD_MARKER.encode() in encoded:
                encoded = encoded.replace(BAD_MARKER.encode(), b"\xff")
        else:
            encoded = data.encode(src.encoding)
        with open(os.path.join(out_dir, src.name), "wb") as f:
            f.write(src.bom + encoded)
    return entries


def xlsx_entries(src: Source, rows: list[tuple[int, Rec]], out_dir: str) -> list[tuple]:
    """(source, rec, sheet row, the row's cell texts as JSON) of every row written below the
    header, read back from the workbook; each cell must read back as the generator meant it."""
    read = dict(xlsx_rows(os.path.join(out_dir, src.name), src.sheet))
    assert read.pop(src.header_row) == src.headers, src.name
    assert sorted(read) == [n for n, _ in rows], (src.name, sorted(read))
    entries = []
    for number, rec in rows:
        cells = read[number]
        meant = [xlsx_intended_text(None if v == "" else v) for v in rec.cells]
        assert cells + [""] * (len(meant) - len(cells)) == meant + [""] * (len(cells) - len(meant)), \
            f"{src.name}!{number}: read {cells}, meant {meant}"
        entries.append((src, rec, number, json.dumps(cells, ensure_ascii=False)))
    return entries


LABEL_HARD = "\n\r\u2028\u2029"
LABEL_BLANK = " \u3000\u00a0"
LABEL_SOFT = "\t;|,；，｜"
LABEL_SEP = ":=：＝"


def labelled_label(text: str, i: int, segment_start: bool):
    """(label, its last word or None, where its value starts) of the answer starting at i, or None
    (the rules of LabelledPath in Sources/Extract/LabelledLines.swift)."""
    n = len(text)
    while i < n and text[i] in LABEL_BLANK:
        i += 1
    if segment_start and i < n and text[i] == "【":
        close = next((j for j in range(i, n) if text[j] in LABEL_HARD or text[j] == "】"), n)
        if close < n and text[close] == "】":
            i = close + 1
            while i < n and text[i] in LABEL_BLANK:
                i += 1
    start, chars, words = i, 0, []
    while i < n:
        ch = text[i]
        if ch in LABEL_SEP:
            if ch == ":" and text[i + 1:i + 2] == "/":
                return None
            label = text[start:i].strip(LABEL_BLANK)
            if not label or all(c.isascii() and c.isdigit() for c in label):
                return None
            words = re.split("[" + LABEL_BLANK + "]+", label)
            return label, (words[-1] if len(words) > 1 else None), i + 1
        if ch in LABEL_HARD or ch in LABEL_SOFT:
            return None
        if ch in LABEL_BLANK:
            i += 1
            continue
        if not segment_start and (ch.isascii() and ch.isdigit() or any(c in LABEL_BLANK for c in text[start:i])):
            return None
        chars += 1
        if chars > (32 if segment_start else 16):
            return None
        i += 1
    return None


def labelled_value(text: str, labels: list[str]) -> str:
    """The value of the first non-empty answer whose label is one of labels: `label：value`
    (or `:` `=` `＝`) answers one per line, or several on a line separated by `；` `;` `|` `，` `,`
    tabs, or blanks before a short label; `【…】` titles and lines without a label skipped."""
    n, i, segment_start = len(text), 0, True
    while i < n:
        found = labelled_label(text, i, segment_start)
        if found:
            label, last_word, j = found
            while j < n and text[j] in LABEL_BLANK + "\t":
                j += 1
            value_start = value_end = j
            next_i, next_segment = n, True
            while j < n:
                ch = text[j]
                if ch in LABEL_HARD:
                    next_i, next_segment = j + 1, True
                    break
                if ch in LABEL_BLANK or ch in LABEL_SOFT:
                    run, soft = j, False
                    while run < n and (text[run] in LABEL_BLANK or text[run] in LABEL_SOFT):
                        soft = soft or text[run] in LABEL_SOFT
                        run += 1
                    if run == n or text[run] in LABEL_HARD or labelled_label(text, run, soft):
                        next_i, next_segment = run, soft or run == n
                        break
                    j = run
                    continue
                j += 1
                value_end = j
            value = text[value_start:value_end]
            if value and (label in labels or last_word in labels):
                return value
            i, segment_start = next_i, next_segment
            continue
        while i < n and not (text[i] in LABEL_BLANK or text[i] in LABEL_SOFT or text[i] in LABEL_HARD):
            i += 1
        segment_start = False
        while i < n and (text[i] in LABEL_BLANK or text[i] in LABEL_SOFT or text[i] in LABEL_HARD):
            segment_start = segment_start or text[i] not in LABEL_BLANK
            i += 1
    return ""


def json_path_steps(path: str) -> list:
    """`answers[label=手机|电话].value` → ["answers", ("select", "label", ["手机", "电话"]), "value"]."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(path):
        depth += ch == "["
        depth -= ch == "]" and depth > 0
        if ch == "." and depth == 0:
            parts.append(path[start:k])
            start = k + 1
    parts.append(path[start:])
    steps = []
    for part in parts:
        trailing = []
        while part.endswith("]") and "[" in part:
            open_ = part.rindex("[")
            inside = part[open_ + 1:-1]
            if inside.isdigit():
                trailing.insert(0, int(inside))
            elif "=" in inside and inside.split("=", 1)[0].strip():
                key, values = inside.split("=", 1)
                trailing.insert(0, ("select", key.strip(), [v.strip() for v in values.split("|")]))
            else:
                break
            part = part[:open_]
        if part or not trailing:
            steps.append(part)
        steps += trailing
    return steps


def json_path_value(value, steps: list):
    """The value at steps; a selector takes the first element whose rest of the path is not
    empty (else the first found)."""
    for k, step in enumerate(steps):
        if isinstance(step, tuple):
            if not isinstance(value, list):
                return None
            first = None
            for element in value:
                label = json_text(element.get(step[1])).strip() if isinstance(element, dict) and step[1] in element else None
                if label is None or label.rstrip("：:").strip() not in step[2]:
                    continue
                found = json_path_value(element, steps[k + 1:])
                if found is not None and json_text(found).strip():
                    return found
                first = found if first is None else first
            return first
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, dict) or step not in value:
                return None
            value = value[step]
    return value


def json_column(obj: dict, column: str) -> str:
    """A mapped JSON column's text: a path, then `#LABEL|LABEL` answers of its text."""
    if column in obj:
        return json_text(obj[column])
    path, _, labels = column.rpartition("#") if "#" in column.rsplit("]", 1)[-1] else (column, "", "")
    text = json_text(json_path_value(obj, json_path_steps(path)))
    return labelled_value(text, labels.split("|")) if labels else text


def json_text(value) -> str:
    """A JSON value as the cell text a mapping reads: absent and null are empty, numbers their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_record(src: Source, rec: Rec, body: str) -> tuple[str | None, dict[str, str], str | None]:
    """(format-level reject reason or None, the record's values by column, its source id) from the
    text written. Each format read its own way; what follows is the same for all."""
    if src.format == "csv":
        fields = rec.cells if rec.cells is not None else next(csv.reader([body], delimiter=src.delimiter))
        values = dict(zip(src.headers, fields))
        sid = fields[0].strip() if len(fields) > 1 and fields[0].strip() else None  # a one-field line has no id
        if all(not f.strip() for f in fields):
            return "empty_row", values, sid
        if len(fields) != len(src.headers) or rec.no_newline:
            return "malformed", values, sid
        if rec.bad_bytes:
            return "bad_encoding", values, sid
        return None, values, sid
    if src.format == "jsonl":
        if not body.strip():
            return "empty_row", {}, None
        try:
            obj = json.loads(body)
        except json.JSONDecodeError:
            return "malformed", {}, (re.match(r'\{\s*"id"\s*:\s*"([^"]*)"', body) or [None, None])[1]
        if not isinstance(obj, dict):
            return "malformed", {}, None
        values = {col: json_column(obj, col).strip() for col in src.columns}
        return None, values, values[src.id_col] or None
    if src.format == "xml":
        import xml.etree.ElementTree as ET
        element = ET.fromstring(body)
        values = {}
        for col in src.columns:
            path, _, labels = col.partition("#")
            text = element.findtext(path) or ""
            values[col] = (labelled_value(text, labels.split("|")) if labels else text).strip()
        return None, values, values[src.id_col] or None
    if src.format == "xlsx":   # body: the row's cell texts, read back from the workbook
        cells = json.loads(body)
        values = {h: cells[i] if i < len(cells) else "" for i, h in enumerate(src.headers)}
        sid = values[src.id_col].strip() or None
        if all(not c.strip() for c in cells):
            return "empty_row", values, sid   # a row without cells (or only blank ones)
        return None, values, sid
    raise ValueError(src.format)


def parse_updated(src: Source, text: str) -> dt.datetime:
    if src.format == "xml":   # CreateTime: Unix seconds
        return dt.datetime.fromtimestamp(int(text), TZ)
    try:
        return parse_local_time(text)
    except ValueError:
        return parse_export_time(text, src.date_order)


def resolve(entries, world, sources=None) -> dict:
    """Computes every record's state from the text written, by docs/design.md's rules, and checks it
    against what the generator meant.

    Per record, in the order crmbridge applies them: the format (unreadable → malformed,
    empty_row, bad_encoding), the source's row rules (skip_rows_matching → skipped, where →
    filtered), an exact repeat of an earlier record of the file (→ duplicate), dedupe_by (→
    rejected duplicate), no value in any mapped field (→ empty_row). The records left are
    accepted: their identifiers settle their state in `settle`."""
    out = []
    seen_bodies: dict[str, set[str]] = {}
    seen_keys: dict[str, set[tuple]] = {}
    for src, rec, line, body in entries:
        r = {"file": src.name, "system": src.system, "line": line,
             "locator": f"{src.sheet}!{line}" if src.format == "xlsx" else f"line {line}",
             "source_id": None, "customer": rec.customer,
             "state": None, "reason": None, "via": None, "phone_e164": None, "landline_e164": None, "tax_id": None,
             "updated_at": None, "lagged": None, "note": rec.note}
        out.append(r)
        reason, values, r["source_id"] = read_record(src, rec, body)
        if rec.meant:
            # the values the generator meant the record to carry must read back from the text written
            for field, value in rec.meant.items():
                if field not in src.value_cols:
                    continue   # an address's divisions: what the text means, not a cell to read back
                got = values[src.value_cols[field]]
                if field.endswith("_at"):
                    got = iso(parse_updated(src, got))
                if field == "company":
                    got = company_form(got)
                assert got == value, f"{src.name} line {line}: {field} reads {got!r}, meant {value!r}"
            r["values"] = rec.meant
        seen = seen_bodies.setdefault(src.name, set())
        keys = seen_keys.setdefault(src.name, set())
        key = tuple(values.get(c, "") for c in src.dedupe_by)
        if reason:
            r["state"], r["reason"] = "rejected", reason
        elif any(p.search(v.strip()) for p in src.skip for v in values.values()):
            r["state"], r["reason"] = "rejected", "skipped"
        elif any(values[col].strip() != value for col, value in src.where):
            r["state"], r["reason"] = "rejected", "filtered"
        elif body in seen:
            r["state"] = "duplicate"
        elif src.dedupe_by and any(key) and key in keys:
            r["state"], r["reason"] = "rejected", "duplicate"
        elif all(not values[col].strip() for col in src.mapped):
            r["state"], r["reason"] = "rejected", "empty_row"
        seen.add(body)
        if src.dedupe_by and any(key) and r["reason"] is None:
            keys.add(key)
        if r["state"] is not None:
            continue
        for column in src.phone_cols:
            got = classify_phone(values[column]) if values[column] else None
            if not got:
                continue
            if got[0] == "mobile" and r["phone_e164"] is None:
                r["phone_e164"] = got[1]
            elif src.kind == "interactions" and r["landline_e164"] is None:
                r["landline_e164"] = got[1]   # a landline or 400 caller: links through a landline, never keys
        if src.landline_col and values[src.landline_col]:
            got = classify_phone(values[src.landline_col])
            r["landline_e164"] = got[1] if got and got[0] != "mobile" else None
        r["tax_id"] = valid_uscc(values[src.tax_col]) if src.tax_col and values[src.tax_col].strip() else None
        t = parse_updated(src, values[src.updated_col])
        r["updated_at"] = iso(t)
        lag = (AS_OF - t).total_seconds() / 3600
        assert abs(lag - 24) > 2, f"{src.name}:{line}: updated_at too close to the 24 h boundary"
        r["lagged"] = lag > 24
    ids = [(r["file"], r["source_id"]) for r in out
           if r["source_id"] and r["state"] != "duplicate" and r["reason"] not in ("duplicate", "skipped")]
    assert len(ids) == len(set(ids)), "a source id repeats in a file"
    masters = settle(out, [src.kind for src, *_ in entries])
    for (src, rec, line, _), r in zip(entries, out):
        got = (r["state"], r["reason"], r["via"])
        assert got == rec.intended, f"{src.name} line {line}: computed {got}, meant {rec.intended}"
        if not r["note"]:
            del r["note"]

    def counts(rows) -> dict:
        c = {"read": len(rows)}
        for state in ("merged", "pending", "rejected", "duplicate"):
            c[state] = sum(1 for r in rows if r["state"] == state)
        c["rejected_by_reason"] = {
            reason: n for reason in ("malformed", "empty_row", "no_identifier", "bad_encoding", "filtered", "skipped",
                                     "duplicate")
            if (n := sum(1 for r in rows if r["state"] == "rejected" and r["reason"] == reason))}
        c["merged_by"] = {via: n for via in ("key", "phone", "tax_id", "landline")
                          if (n := sum(1 for r in rows if r["state"] == "merged" and r["via"] == via))}
        accepted = [r for r in rows if r["state"] in ("merged", "pending")]
        c["id_match"] = round(c["merged"] / len(accepted), 4) if accepted else None
        c["lagged_over_24h"] = sum(1 for r in accepted if r["lagged"])
        c["sync_lag_24h"] = round(c["lagged_over_24h"] / len(accepted), 4) if accepted else None
        return c

    files = {}
    for src in sources or FILES:
        rows = [r for r in out if r["file"] == src.name]
        files[src.name] = {"system": src.system, "format": src.format, "kind": src.kind,
                           "encoding": src.encoding.replace("-le", "le"), "counts": counts(rows)}
    total = counts(out)
    total["master_customers"] = len(masters)
    total["world_customers"] = len(world)
    return {
        "generator": "scripts/gen_fixtures.py",
        "seed": SEED,
        "as_of": iso(AS_OF),
        "notes": ("state duplicate: the loader may reject it (reason duplicate) or absorb it (counted merged); "
                  "state rejected with reason duplicate: a repeat found by the source's dedupe_by. "
                  "id_match = merged / (merged + pending); sync_lag_24h over merged + pending rows, "
                  "updated_at without offset read as Asia/Shanghai, a call's updated_at is its start; "
                  "duplicates and rejects excluded from both."),
        "counts": total,
        "files": files,
        "records": out,
    }


def settle(out: list[dict], kinds: list[str]) -> dict[tuple[str, str], str]:
    """The state of every accepted record (state None) from its identifiers; returns the master
    customers, (mobile, USCC) → generator customer.

    Customers: a valid mobile and a valid USCC → keyed; only one of them → linked when exactly one
    master customer holds it, else pending; neither → no_identifier. Interactions (calls) never
    key: a mobile caller links when exactly one master holds that mobile; a caller with no mobile
    (landline, 400) links when exactly one merged customer holds that landline (in a landline
    column); else pending; no valid caller → no_identifier."""
    customers = [r for r, kind in zip(out, kinds) if kind == "customers" and r["state"] is None]
    contacts = [r for r, kind in zip(out, kinds) if kind == "interactions" and r["state"] is None]
    # keyed records make the master customers: one per (mobile, USCC)
    masters: dict[tuple[str, str], str] = {}
    master_of: dict[int, tuple[str, str]] = {}
    for r in customers:
        if r["phone_e164"] and r["tax_id"]:
            key = (r["phone_e164"], r["tax_id"])
            assert masters.setdefault(key, r["customer"]) == r["customer"], key
            r["state"], r["via"] = "merged", "key"
            master_of[id(r)] = key
    by_phone: dict[str, set] = {}
    by_tax: dict[str, set] = {}
    for key in masters:
        by_phone.setdefault(key[0], set()).add(key)
        by_tax.setdefault(key[1], set()).add(key)
    # A linked record has only one of the two values; what it adds to its master (a landline)
    # never links a customer record, so one pass over the keyed masters settles every link.
    for r in customers:
        if r["state"] is not None:
            continue
        if not r["phone_e164"] and not r["tax_id"]:
            r["state"], r["reason"] = "rejected", "no_identifier"
            continue
        holders = by_phone.get(r["phone_e164"], set()) if r["phone_e164"] else by_tax.get(r["tax_id"], set())
        if len(holders) == 1:
            r["state"], r["via"] = "merged", "phone" if r["phone_e164"] else "tax_id"
            master_of[id(r)] = next(iter(holders))
            assert masters[master_of[id(r)]] == r["customer"], r
        else:
            assert not holders, "ambiguous link: the fixtures must be unambiguous"
            r["state"] = "pending"
    by_landline: dict[str, set] = {}
    for r in customers:
        if r["state"] == "merged" and r["landline_e164"]:
            by_landline.setdefault(r["landline_e164"], set()).add(master_of[id(r)])
    for r in contacts:
        if r["phone_e164"]:
            holders, via = by_phone.get(r["phone_e164"], set()), "phone"
        elif r["landline_e164"]:
            holders, via = by_landline.get(r["landline_e164"], set()), "landline"
        else:
            r["state"], r["reason"] = "rejected", "no_identifier"
            continue
        if len(holders) == 1:
            r["state"], r["via"] = "merged", via
            assert masters[next(iter(holders))] == r["customer"], r
        else:
            assert not holders, "ambiguous link: the fixtures must be unambiguous"
            r["state"] = "pending"
    return masters


# ---------------------------------------------------------------------------------------------
# Independent check of the written files

def independent_uscc_ok(code: str) -> bool:
    """GB 32100 and GB 11714 checks written a second way (weights as powers of 3 mod 31)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(ch) * pow(3, i, 31) for i, ch in enumerate(code[:17]))
    if alphabet[-total % 31] != code[17]:
        return False
    body = code[8:16]
    total = sum(int(ch, 36) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
    return "0123456789X0"[11 - total % 11] == code[16]


def physical_records(src: Source, text: str) -> list[tuple[int, dict[str, str] | None, str | None]]:
    """(start line, values by column or None when unreadable, source id) of every record of a
    file, read straight from its text (not through the generator's own reader)."""
    if src.format == "csv":
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=src.delimiter)
        got_headers = next(reader)
        assert got_headers == src.headers, (src.name, got_headers)
        records = []
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            ok = len(fields) == len(src.headers)
            records.append((start, dict(zip(src.headers, fields)) if ok else None, fields[0].strip() if fields else None))
        return records
    if src.format == "jsonl":
        records = []
        for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), start=1):
            try:
                obj = json.loads(line) if line.strip() else None
            except json.JSONDecodeError:
                obj = None
            values = {k: json_text(v) for k, v in obj.items()} if isinstance(obj, dict) else None
            records.append((n, values, values.get(src.id_col) if values else None))
        return records
    if src.format == "xml":
        import xml.etree.ElementTree as ET
        root = ET.fromstring(text)   # the whole file is well-formed
        starts = [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith("<xml>")]
        elements = list(root)
        assert len(starts) == len(elements) and all(e.tag == "xml" for e in elements), src.name
        records = []
        for start, element in zip(starts, elements):
            values = {child.tag: (child.text or "") for child in element}
            content = values.get("Content", "")
            for line in content.split("\n"):
                for sep in ("：", ":"):
                    if sep in line:
                        label, value = line.split(sep, 1)
                        values.setdefault("Content#" + label.strip(), value.strip())
                        break
            records.append((start, values, values.get(src.id_col)))
        return records
    raise ValueError(src.format)


def xlsx_physical_records(src: Source, path: str, problems: list[str]) -> list[tuple[int, dict[str, str], str | None]]:
    """(sheet row, values by column, source id) of every row below the header of the source's
    worksheet; the header must be the source's, and the workbook must hold the sheet by name."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None:
            problems.append(f"{src.name}: a damaged zip entry")
    rows = xlsx_rows(path, src.sheet)
    header = [n for n, cells in rows if n == src.header_row]
    if not header or dict(rows)[src.header_row] != src.headers:
        problems.append(f"{src.name}: header row {src.header_row} is not {src.headers}")
    records = []
    for n, cells in rows:
        if n <= src.header_row:
            continue
        values = {h: cells[i] if i < len(cells) else "" for i, h in enumerate(src.headers)}
        records.append((n, values, values[src.id_col] or None))
    return records


def check_fixtures(out_dir: str) -> None:
    # published examples: valid, and the same with a wrong check character
    assert independent_uscc_ok("91350100M000100Y43") and valid_uscc("91350100M000100Y43")
    assert not independent_uscc_ok("91350100M000100Y4A") and not valid_uscc("91350100M000100Y4A")
    with open(os.path.join(out_dir, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    uscc_seen = 0
    for src in FILES:
        name = src.name
        if src.format == "xlsx":
            records = xlsx_physical_records(src, os.path.join(out_dir, name), problems)
            text = ""
        else:
            raw = open(os.path.join(out_dir, name), "rb").read()
            assert raw.startswith(src.bom), name
            raw = raw[len(src.bom):]
            if src.encoding == "utf-16-le":
                assert not raw.startswith(b"\xff\xfe"), name
            text = raw.decode("gb18030" if src.encoding == "gbk" else src.encoding, errors="replace")
            if src.line_end == "\n" and "\r" in text:
                problems.append(f"{name}: CR in an LF file")
            records = physical_records(src, text)
        want = [r for r in expected["records"] if r["file"] == name]
        for r in want:
            locator = f"{src.sheet}!{r['line']}" if src.format == "xlsx" else f"line {r['line']}"
            if r.get("locator") != locator:
                problems.append(f"{name}: locator {r.get('locator')!r} != {locator!r}")
        if src.format == "xlsx":
            for (start, values, _), r in zip(records, want):
                if r["state"] in ("merged", "pending") and values and \
                        iso(parse_local_time(values[src.updated_col])) != r["updated_at"]:
                    problems.append(f"{name}:{start}: updated_at {values[src.updated_col]!r} != {r['updated_at']}")
                if r["reason"] == "skipped" and not any(p.search(v) for p in src.skip for v in (values or {}).values()):
                    problems.append(f"{name}:{start}: skipped, but no cell matches skip_rows_matching")
        if src.format == "csv" and src.line_end == "\r\n":
            # every LF not preceded by CR lies inside a field
            bare = len(re.findall(r"(?<!\r)\n", text))
            inside = sum(len(re.findall(r"(?<!\r)\n", v)) for _, vs, _ in records if vs for v in vs.values())
            if bare != inside:
                problems.append(f"{name}: {bare} bare LF, {inside} inside fields")
        if [s for s, _, _ in records] != [r["line"] for r in want]:
            problems.append(f"{name}: lines {[s for s, _, _ in records]} != {[r['line'] for r in want]}")
            continue
        for (start, values, sid), r in zip(records, want):
            joined = "".join(values.values()) if values else ""
            if "\ufffd" in joined and r["reason"] != "bad_encoding":
                problems.append(f"{name}:{start}: unexpected undecodable bytes")
            if r["reason"] == "bad_encoding" and "\ufffd" not in joined:
                problems.append(f"{name}:{start}: bad bytes missing")
            if values is None and r["reason"] not in ("malformed", "empty_row"):
                problems.append(f"{name}:{start}: unreadable, expected {r['state']}")
            if r["state"] in ("merged", "pending") and (sid or "").strip() != r["source_id"]:
                problems.append(f"{name}:{start}: source id {sid!r} != {r['source_id']!r}")
            if values and (r["state"] in ("merged", "pending") or r["reason"] == "no_identifier"):
                tax_value = values.get(src.tax_col, "") if src.tax_col else ""
                if (valid_uscc(tax_value) if tax_value.strip() else None) != r["tax_id"]:
                    problems.append(f"{name}:{start}: tax id {tax_value!r} does not give {r['tax_id']!r}")
                if tax_value.strip():
                    uscc_seen += 1
                    if r["tax_id"] and not independent_uscc_ok(r["tax_id"]):
                        problems.append(f"{name}:{start}: {r['tax_id']} fails the independent check")
            if r["tax_id"] and valid_uscc(r["tax_id"]) != r["tax_id"]:
                problems.append(f"{name}:{start}: expected tax_id invalid")
    # a file whose last record was cut off has no line end after it; any other file has one
    for src in FILES:
        if src.format == "xlsx":
            continue
        last = [r for r in expected["records"] if r["file"] == src.name][-1]
        truncated = last.get("note", "").startswith("truncated")
        ends = open(os.path.join(out_dir, src.name), "rb").read().endswith("\n".encode(src.encoding))
        if truncated == ends:
            problems.append(f"{src.name}: " + ("the truncated last record has a line end" if truncated else "no final line end"))
    c = expected["counts"]
    if c["read"] != c["merged"] + c["pending"] + c["rejected"] + c["duplicate"]:
        problems.append("accounting")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    # the variety set is checked by writing it again: its reading is checked while it is written
    import filecmp
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        write_variety(scratch)
        variety = os.path.join(out_dir, "variety")
        for name in sorted(os.listdir(scratch)):
            if not os.path.exists(os.path.join(variety, name)) or \
                    not filecmp.cmp(os.path.join(scratch, name), os.path.join(variety, name), shallow=False):
                problems.append(f"variety/{name}: not what the generator writes")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"fixtures OK: {c['read']} records, {uscc_seen} USCC-shaped values checked; variety set as written")


# ---------------------------------------------------------------------------------------------
# Benchmark inputs

BENCH_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈单解覃翟") + \
    ["欧阳", "司马", "诸葛", "上官"]
BENCH_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
               "秀兰", "霞", "平", "刚", "桂英", "晓东", "志强", "海燕", "建华", "文博", "子涵", "雨桐", "俊杰", "思远",
               "一鸣", "国栋", "嘉欣", "丽萍", "天宇", "婉清", "晨", "浩然"]


def bench(n: int, path: str, seed: int) -> None:
    rng = random.Random(seed)
    M = 10 ** 8
    # per-customer arithmetic: index c → distinct 8-digit suffixes for the mobile and the organisation code
    a_mob, b_mob = 48271, rng.randrange(M)
    a_org = rng.randrange(1000, 100000) * 10 + rng.choice([1, 3, 7, 9])   # coprime with 10**8: a bijection
    b_org = rng.randrange(M)
    prefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                "156", "157", "158", "159", "166", "173", "177", "180", "181", "185", "186", "187", "188", "189",
                "191", "198", "199"]
    digits4 = [f"{x:04d}" for x in range(10000)]
    # GB 11714 and GB 32100 weighted sums of the two 4-digit halves of the organisation code body
    org_hi = [sum(int(d) * w for d, w in zip(s, ORG_WEIGHTS[:4])) for s in digits4]
    org_lo = [sum(int(d) * w for d, w in zip(s, ORG_WEIGHTS[4:])) for s in digits4]
    us_hi = [sum(int(d) * w for d, w in zip(s, USCC_WEIGHTS[8:12])) for s in digits4]
    us_lo = [sum(int(d) * w for d, w in zip(s, USCC_WEIGHTS[12:16])) for s in digits4]
    org_chk = ["X" if (11 - s) == 10 else "0" if (11 - s) == 11 else str(11 - s) for s in range(11)]
    org_chk_w = [USCC_VALUE[ch] * USCC_WEIGHTS[16] for ch in org_chk]
    regions = []   # (prefix of 8 chars, its weighted sum, address prefix, area code)
    for province, city, district, adcode, area, roads in DISTRICTS:
        for kind in ("91", "91", "91", "92"):
            p8 = kind + adcode
            regions.append((p8, sum(USCC_VALUE[ch] * w for ch, w in zip(p8, USCC_WEIGHTS)),
                            f"{province}{city}{district}", roads, area, (city or province)[:-1]))
    n_regions = len(regions)
    names = [s + g for s in BENCH_SURNAMES for g in BENCH_GIVEN]
    trades = [t for t, _ in TRADES]
    industries = [i for _, i in TRADES]
    companies = [(b, t) for b in BRANDS for t in range(len(trades))]
    pool = 4096
    r = rng
    def detail(roads):
        b = r.choice(BUILDINGS)
        return f"{r.choice(roads)}{r.randint(1, 999)}号" + (f"{b}{r.randint(2, 28)}层{r.randint(1, 20):02d}室" if b else "")
    details = {roads[0]: [detail(roads) for _ in range(512)] for *_, roads in DISTRICTS}
    landlines = [f"-{r.randint(2, 8)}{r.randrange(10**6, 10**7)}" for _ in range(pool)]
    t_day = dt.datetime(2026, 11, 21, 4, 0)
    updated = []
    for _ in range(pool):
        if r.random() < 0.08:   # lagging by days
            t = dt.datetime(2026, 11, 12) + dt.timedelta(minutes=r.randrange(8 * 24 * 60))
        else:
            t = t_day + dt.timedelta(minutes=r.randrange(20 * 60 - 1))
        updated.append(t.strftime("%Y-%m-%d %H:%M"))
    older = [(dt.datetime(2024, 1, 1) + dt.timedelta(minutes=r.randrange(600 * 24 * 60))).strftime("%Y-%m-%d %H:%M")
             for _ in range(pool)]
    created = [(dt.datetime(2022, 1, 1) + dt.timedelta(minutes=r.randrange(1400 * 24 * 60))).strftime("%Y-%m-%d %H:%M")
               for _ in range(pool)]
    contact = [(dt.date(2026, 8, 1) + dt.timedelta(days=r.randrange(110))).strftime("%Y-%m-%d") for _ in range(pool)]
    nexts = [(dt.date(2026, 11, 23) + dt.timedelta(days=r.randrange(60))).strftime("%Y-%m-%d") for _ in range(pool)]
    bench_notes = [x.replace(",", "，") for x in NOTES] + ["客户希望年前完成部署，需协调实施团队排期", "已寄送合同，等待盖章回传"]
    mask = pool - 1

    header = ",".join(CRM_HEADERS) + "\n"
    customers = 0
    second = 0
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        f.write(header)
        batch = []
        for row in range(n):
            if row % 20 == 19:
                # a second, older record of an earlier customer under another 客户编号; each customer
                # gets at most one: block k's customers 19k…19k+18, picked at (k, k mod 19) or, once
                # k ≥ 1000, at (k − 1000, k mod 19) — an injection
                k = row // 20
                block = k - 1000 if k >= 1000 else k
                c = 19 * block + k % 19
                if c >= customers:
                    c = customers - 1
                is_second = True
                second += 1
            else:
                c = customers
                customers += 1
                is_second = False
            h = (c * 2654435761 + seed) & 0xFFFFFFFF
            mob = (c * a_mob + b_mob) % M
            body = (c * a_org + b_org) % M
            hi, lo = divmod(body, 10000)
            s1 = (org_hi[hi] + org_lo[lo]) % 11
            p8, p_sum, addr_prefix, roads, area, city_word = regions[h % n_regions]
            s2 = p_sum + us_hi[hi] + us_lo[lo] + org_chk_w[s1]
            uscc = p8 + digits4[hi] + digits4[lo] + org_chk[s1] + USCC_CHARS[(31 - s2 % 31) % 31]
            mobile = prefixes[(h >> 8) % 31] + f"{mob:08d}"
            brand, trade = companies[(h >> 4) % len(companies)]
            owner, group = OWNERS[(h >> 12) & 7]
            j = (h >> 15) & mask
            ident = f"KH{row + 1:08d}"
            if is_second:
                upd = older[j]
                status = "意向客户"
            else:
                upd = updated[j]
                status = STATUSES[(h >> 18) & 7]
            batch.append(",".join((
                ident, f"{city_word}{brand}{trades[trade]}有限公司", names[(h >> 3) % len(names)], mobile,
                area + landlines[j] if h & 3 == 0 else "", uscc, addr_prefix + details[roads[0]][(h >> 7) & 511],
                industries[trade], status, CHANNELS[(h >> 21) % 7], owner, group, contact[(j * 7) & mask],
                PLANS[(h >> 24) % 10], nexts[(j * 13) & mask], created[(j * 3) & mask], upd,
                bench_notes[(h >> 27) % len(bench_notes)])))
            if len(batch) == 20000:
                batch.append("")
                f.write("\n".join(batch))
                batch = []
        if batch:
            batch.append("")
            f.write("\n".join(batch))
    print(f"bench: {n} rows ({customers} customers, {second} second records) → {path}", file=sys.stderr)


def bench_xlsx(src: str, dst: str) -> None:
    """Writes the rows of a --bench CSV as one worksheet, the way an ERP exports them: customer
    numbers, mobiles and landlines (trunk 0 lost) as number cells, times as Excel dates in a
    date style, the rest as shared strings. Streams: one row at a time."""
    from xlsx_writer import Workbook

    def when(text: str):
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d") if text else None

    numeric = {CRM_HEADERS.index(h) for h in ("手机", "座机")}
    dates = {CRM_HEADERS.index(h) for h in ("最近联系日期", "下次跟进日期", "创建时间", "更新时间")}
    rows = 0
    with open(src, encoding="utf-8", newline="") as f, Workbook(dst) as book, book.sheet("客户 Customers") as sheet:
        reader = csv.reader(f)
        sheet.row(next(reader))
        for row in reader:
            cells: list = [int(row[0][2:])]
            for i, value in enumerate(row[1:], start=1):
                if not value:
                    cells.append(None)
                elif i in numeric:
                    cells.append(int(value.replace("-", "")))
                elif i in dates:
                    cells.append(when(value))
                else:
                    cells.append(value)
            sheet.row(cells)
            rows += 1
    print(f"bench-xlsx: {rows} rows → {dst}", file=sys.stderr)


def bench_update(pct: float, src: str, dst: str, seed: int) -> None:
    """Copies src; in every block of 100 rows exactly `pct` rows (rounded) get a later 更新时间 and
    a changed 负责人 and 下次跟进计划. Streams: one row at a time."""
    rng = random.Random(seed + 1)
    per_block = round(pct)
    changed = total = 0
    with open(src, encoding="utf-8", newline="") as fin, \
            open(dst, "w", encoding="utf-8", newline="", buffering=1 << 20) as fout:
        reader = csv.reader(fin)
        writer = csv.writer(fout, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        i_upd, i_owner, i_group, i_plan = (header.index(h) for h in ("更新时间", "负责人", "销售组", "下次跟进计划"))
        chosen: set[int] = set()
        for total, row in enumerate(reader):
            if total % 100 == 0:
                chosen = set(rng.sample(range(100), per_block)) if per_block < 100 else set(range(100))
            if total % 100 in chosen and len(row) == len(header):
                k = rng.randrange(len(OWNERS) - 1)
                owners = [o for o in OWNERS if o[0] != row[i_owner]]
                row[i_owner], row[i_group] = owners[k % len(owners)]
                plans = [p for p in PLANS if p != row[i_plan]]
                row[i_plan] = plans[rng.randrange(len(plans))]
                row[i_upd] = f"2026-11-22 01:{rng.randrange(60):02d}"
                changed += 1
            writer.writerow(row)
        total += 1
    print(f"bench-update: {changed} of {total} rows changed → {dst}", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bench", type=int, nargs="?", const=1_000_000, metavar="N",
                   help="write N synthetic keyed customer rows (default 1,000,000) to --out")
    p.add_argument("--bench-update", type=float, nargs="?", const=10.0, metavar="PCT",
                   help="copy --from to --out with PCT%% of rows (default 10) updated")
    p.add_argument("--bench-xlsx", action="store_true", help="write the --from bench CSV as an .xlsx sheet to --out")
    p.add_argument("--from", dest="src", metavar="PATH")
    p.add_argument("--out", metavar="PATH")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--fixtures", default=FIXTURES, help="fixtures directory (default: the repo's fixtures/)")
    p.add_argument("--check", action="store_true", help="check the fixtures against expected.json")
    args = p.parse_args()
    if args.bench is not None:
        if not args.out:
            p.error("--bench needs --out")
        start = time.monotonic()
        bench(args.bench, args.out, args.seed)
        print(f"bench: {time.monotonic() - start:.1f} s", file=sys.stderr)
    elif args.bench_update is not None:
        if not args.src or not args.out:
            p.error("--bench-update needs --from and --out")
        bench_update(args.bench_update, args.src, args.out, args.seed)
    elif args.bench_xlsx:
        if not args.src or not args.out:
            p.error("--bench-xlsx needs --from and --out")
        start = time.monotonic()
        bench_xlsx(args.src, args.out)
        print(f"bench-xlsx: {time.monotonic() - start:.1f} s", file=sys.stderr)
    elif args.check:
        check_fixtures(args.fixtures)
    else:
        for name, expected in (("fixtures", write_fixtures(args.fixtures)),
                               ("fixtures/variety", write_variety(os.path.join(args.fixtures, "variety")))):
            c = expected["counts"]
            print(f"{name}: {c['read']} records: {c['merged']} merged, {c['pending']} pending, "
                  f"{c['rejected']} rejected, {c['duplicate']} duplicate; {c['master_customers']} master customers")


if __name__ == "__main__":
    main()
