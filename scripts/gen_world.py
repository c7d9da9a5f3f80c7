#!/usr/bin/env python3
"""Writes a nightly "world" of N customers in five exports, for `make bench-world`.

Standard library only, deterministic (fixed seed), streaming: one pass over the customers writes
all five files at once, one row at a time; nothing holds the world in memory (the xlsx writer's
shared-strings table aside, as Excel's own is).

    python3 scripts/gen_world.py --world 200000 --out bench-data/world-200000
    python3 scripts/gen_world.py --world 200000 --update 10 --out bench-data/world-200000-update

The five files have the layouts of fixtures/ and pipelines/demo.yml, at the proportions of a
real night (about 3.2 rows a customer: CRM 0.91, ERP 0.40, web forms 0.47, WeChat pushes 0.41, calls 0.99):

| file | system | format |
|---|---|---|
| `crm_gbk.csv` | crm | GBK, CRLF, Chinese headers; phones, USCCs, names and addresses in every shape the fixtures use; quoted commas, quotes and newlines; second records of a customer; exact duplicates; garbage, empty, too-many-fields rows; a truncated last line |
| `erp_customers.xlsx` | erp_xlsx | sheet `客户 Customers`: number-cell mobiles (plain, `1.38E+10` form, 86-prefixed), landlines that lost their trunk 0, Excel dates; empty and garbage rows, a `合计` totals row; a second sheet |
| `web_forms.jsonl` | web | mobiles as strings or numbers, values missing/null/"", `+08:00`/`Z`/milliseconds; repeated lines, cut-off lines, empty lines |
| `wechat_forms.xml` | wechat | `<xml>` pushes, `label：value` answers in CDATA; subscribe events, chat, retried pushes (same MsgId, same or another CreateTime) |
| `calls_400.csv` | callcenter | `kind: interactions`, UTF-8 with BOM, CRLF: customers' mobiles with trunk 0/+86/0086/86, their landlines, strangers, withheld callers, other 400 lines; a totals line and a truncated last line |

Customers overlap across the systems (about 85% are in the CRM, 40% in the ERP, most of those in
both), so most form and call records link to a master customer; customers seen only on forms are
pending unless the form carries both a mobile and a USCC. A few customers have a second contact
mobile under the same USCC (two master customers share it: tax-ID-only records of theirs stay
pending as ambiguous).

Next to the files: `world.yml` (the pipeline, store `sqlite:../world-N.sqlite`, so a world and its
`--update` copy load into the same store) and `world.json` (rows written per file, and the rejects
meant per system and reason, which `scripts/bench_world.sh` compares with what the run rejected).

`--update PCT` writes the same world with PCT% of its data records changed (a later update time
and a changed owner, plan, message or call outcome); the messy rows stay as they were.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen_fixtures import (BENCH_GIVEN, BENCH_SURNAMES, BRANDS, BUILDINGS, CALL_HEADERS, CHANNELS, CRM_HEADERS,  # noqa: E402
                          DISTRICTS, ERP_XLSX_HEADERS, FULLWIDTH, HOTLINE, NOTES, OWNERS, PLANS, SEED, STATUSES, TRADES,
                          TZ, USCC_CHARS, USCC_VALUE, WECHAT_ACCOUNT, fmt_date, fmt_datetime, fmt_phone, fmt_uscc,
                          make_uscc, xml_push)
from xlsx_writer import Number, Workbook  # noqa: E402

M8 = 10 ** 8
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                   "156", "157", "158", "159", "166", "173", "177", "180", "181", "185", "186", "187", "188", "189",
                   "191", "198", "199"]
DAY = dt.datetime(2026, 11, 21, 0, 0, tzinfo=TZ)         # the day the nightly exports cover
UPDATE_DAY = dt.datetime(2026, 11, 22, 0, 0, tzinfo=TZ)  # --update: changed after midnight, before the 03:00 load
WEB_MESSAGES = ["想了解企业版报价", "需要报价，谢谢", "请发一份产品介绍", "咨询代理合作", "申请试用", "请尽快回电",
                "需要开专票", "想预约演示", "已经在用竞品，想对比一下", ""]
WECHAT_NEEDS = ["想要一份报价", "预约演示", "咨询价格", "发票问题请回电", "申请试用账号", "了解代理政策"]
DISPOSITIONS = ["已接通", "已接通", "已接通", "已接通", "未接通", "留言", "客户挂断", "排队放弃"]
PHONE_STYLES = ["plain"] * 14 + ["dash", "space", "plus86", "plus86tight", "0086", "86", "fullwidth", "ext", "paren"]
USCC_STYLES = ["plain"] * 12 + ["lower", "spaced", "lowerspaced", "padded"]
ADDR_STYLES = ["full"] * 8 + ["short", "noprovince", "spaced", "fullwidth"]


class World:
    """Customer c (0 ≤ c < N) from arithmetic alone: distinct mobiles and USCCs by bijections
    of c, the rest from a per-customer random stream. c ≥ N gives numbers nobody holds."""

    def __init__(self, n: int, seed: int):
        self.n, self.seed = n, seed
        rng = random.Random(seed)
        self.a_mob, self.b_mob = 48271, rng.randrange(M8)
        self.a_org = rng.randrange(1000, 100000) * 10 + rng.choice([1, 3, 7, 9])   # coprime with 10**8
        self.b_org = rng.randrange(M8)
        self.names = [s + g for s in BENCH_SURNAMES for g in BENCH_GIVEN]

    def mobile(self, c: int) -> str:
        h = (c * 2654435761 + self.seed) & 0xFFFFFFFF
        return MOBILE_PREFIXES[(h >> 8) % 31] + f"{(c * self.a_mob + self.b_mob) % M8:08d}"

    def customer(self, c: int) -> "Customer":
        return Customer(self, c)


class Customer:
    def __init__(self, world: World, c: int):
        r = random.Random(world.seed * 1_000_003 + c)
        self.c, self.r = c, r
        self.mobile = world.mobile(c)
        province, city, district, adcode, area, roads = DISTRICTS[r.randrange(len(DISTRICTS))]
        self.province, self.city, self.district, self.adcode, self.area = province, city, district, adcode, area
        building = r.choice(BUILDINGS)
        self.detail = f"{r.choice(roads)}{r.randint(1, 999)}号" + \
            (f"{building}{r.randint(2, 28)}层{r.randint(1, 20):02d}室" if building else "")
        trade, self.industry = TRADES[r.randrange(len(TRADES))]
        self.brand = r.choice(BRANDS)
        self.trade = trade
        self.city_word = (city or province)[:-1]
        self.company = f"{self.city_word}{self.brand}{trade}" + ("股份有限公司" if r.random() < 0.12 else "有限公司")
        self.name = world.names[r.randrange(len(world.names))]
        body = f"{(c * world.a_org + world.b_org) % M8:08d}"
        self.uscc = make_uscc(r.choice(["91", "91", "91", "92", "12"]), adcode, body)
        # local numbers have 8 digits, Xiamen's 7; libphonenumber holds 010-800… and 021-800… invalid
        # (crmbridge takes them), so none starts 800: the Python baseline must see the same landlines
        digits = 6 if area == "0592" else 7
        local = f"{r.randint(2, 8)}{r.randrange(10**digits):0{digits}d}"
        local = "6" + local[1:] if local.startswith("800") else local
        self.landline = f"{area}-{local}" if r.random() < 0.4 else ""
        self.status = r.choice(STATUSES)
        self.channel = r.choice(CHANNELS)
        self.owner, self.group = r.choice(OWNERS)
        self.plan = r.choice(PLANS)
        self.notes = r.choice(NOTES)
        self.created = dt.datetime(2022, 3, 1, 9, 0, tzinfo=TZ) + dt.timedelta(minutes=r.randrange(60 * 24 * 1300))
        self.last_contact = dt.date(2026, 8, 1) + dt.timedelta(days=r.randrange(110))
        self.next_at = dt.date(2026, 11, 23) + dt.timedelta(days=r.randrange(60))
        self.updated = when(r)
        # where the customer is known
        self.in_crm = r.random() < 0.85
        self.in_erp = r.random() < 0.40
        self.web = pick(r, (0.62, 0.30, 0.08))
        self.wechat = pick(r, (0.72, 0.22, 0.06))
        self.calls = pick(r, (0.46, 0.30, 0.16, 0.08))

    def address(self, style: str) -> str:
        if style == "full":
            return f"{self.province}{self.city}{self.district}{self.detail}"
        if style == "short":
            return f"{self.province[:-1]}{self.city[:-1]}{self.district[:-1]}{self.detail}"
        if style == "noprovince":
            return f"{self.city or self.province}{self.district}{self.detail}"
        if style == "spaced":
            return f"{self.province} {self.city} {self.district} {self.detail}".replace("  ", " ")
        return f"{self.province}{self.city}{self.district}{self.detail}".translate(FULLWIDTH)


def pick(r: random.Random, weights: tuple) -> int:
    x, k = r.random(), 0
    for k, w in enumerate(weights):
        x -= w
        if x < 0:
            return k
    return len(weights) - 1


def when(r: random.Random) -> dt.datetime:
    """An update time: the day before the nightly load (06:00–23:59), or days before it (8%)."""
    if r.random() < 0.08:
        return DAY - dt.timedelta(days=r.randint(2, 9), minutes=r.randrange(18 * 60))
    return DAY + dt.timedelta(hours=6, minutes=r.randrange(18 * 60), seconds=r.randrange(60))


def wrong_check(uscc: str) -> str:
    return uscc[:17] + USCC_CHARS[(USCC_VALUE[uscc[17]] + 5) % 31]


class Writer:
    """The five files, open at once; each method writes one record and counts what it means."""

    def __init__(self, out: str, n: int, update: float, seed: int):
        os.makedirs(out, exist_ok=True)
        self.out, self.n = out, n
        self.change_rng = random.Random(seed + 17) if update else None
        self.update = update / 100
        self.rows = {s: 0 for s in ("crm", "erp_xlsx", "web", "wechat", "callcenter")}
        self.meant: dict[str, dict[str, int]] = {s: {} for s in self.rows}
        self.changed = 0
        self.crm_f = open(os.path.join(out, "crm_gbk.csv"), "w", encoding="gbk", newline="", buffering=1 << 20)
        self.crm = csv.writer(self.crm_f, lineterminator="\r\n")
        self.crm.writerow(CRM_HEADERS)
        self.calls_f = open(os.path.join(out, "calls_400.csv"), "w", encoding="utf-8-sig", newline="", buffering=1 << 20)
        self.calls = csv.writer(self.calls_f, lineterminator="\r\n")
        self.calls.writerow(CALL_HEADERS)
        self.web_f = open(os.path.join(out, "web_forms.jsonl"), "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.xml_f = open(os.path.join(out, "wechat_forms.xml"), "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.xml_f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<pushes account="{WECHAT_ACCOUNT}" '
                         f'exported_at="2026-11-22T02:00:00+08:00">\n')
        self.book = Workbook(os.path.join(out, "erp_customers.xlsx"))
        self.sheet = self.book.sheet("客户 Customers")
        self.sheet.row(ERP_XLSX_HEADERS)
        self.crm_serial = self.erp_serial = self.web_serial = self.call_serial = 0
        self.msg_id = 6234798578157061461

    def count(self, system: str, reason: str | None = None) -> None:
        self.rows[system] += 1
        if reason:
            self.meant[system][reason] = self.meant[system].get(reason, 0) + 1

    def change(self) -> bool:
        """--update: whether this data record is one of the changed ones."""
        if self.change_rng is None or self.change_rng.random() >= self.update:
            return False
        self.changed += 1
        return True

    def changed_time(self) -> dt.datetime:
        return UPDATE_DAY + dt.timedelta(minutes=self.change_rng.randrange(120), seconds=self.change_rng.randrange(60))

    # -- CRM ---------------------------------------------------------------------------------

    def crm_row(self, cu: Customer, *, older=False, reason=None, raw_fix=None) -> None:
        """One CRM record of customer cu, in the shapes the fixtures use."""
        r = cu.r
        self.crm_serial += 1
        sid = f"KH{self.crm_serial:08d}"
        fmt = r.randrange(6)
        x = r.random()
        phone = fmt_phone(cu.mobile, r.choice(PHONE_STYLES))
        tax = fmt_uscc(cu.uscc, r.choice(USCC_STYLES))
        if reason == "no_identifier":
            phone, tax = r.choice(["", "无", "暂无", "-"]), r.choice(["", wrong_check(cu.uscc)])
        elif older or x < 0.07:   # an older record, or a contact not yet asked for the company's USCC
            tax = ""
        elif x < 0.13:            # finance filled in the USCC, sales never had a mobile
            phone = r.choice(["", "无"])
        elif x < 0.15:            # a typo in the USCC: the record links by its mobile
            tax = wrong_check(cu.uscc)
        name = cu.name
        y = r.random()
        if y < 0.03:
            name = name[0] + r.choice(["先生", "女士", "经理", "总"])
        elif y < 0.05:
            name = name[:1] + " " + name[1:]
        elif y < 0.06:
            name = name + "(经理)"
        notes = cu.notes
        z = r.random()
        if z < 0.03:
            notes = "老客户介绍,重点跟进"                         # a comma: quoted
        elif z < 0.035:
            notes = "首次拜访：客户有意向\n二次拜访：等待预算审批"      # a newline inside quotes
        elif z < 0.04:
            notes = '客户说"下周再联系"，报价单已发'                 # doubled quotes
        landline = cu.landline
        if landline and r.random() < 0.1:
            landline += "转" + str(r.randint(100, 999))
        updated = cu.updated - dt.timedelta(days=400 + r.randrange(300)) if older else cu.updated
        owner, group, plan = cu.owner, cu.group, cu.plan
        if not older and not reason and self.change():
            owner, group = OWNERS[(OWNERS.index((owner, group)) + 1 + self.change_rng.randrange(7)) % 8]
            plan = PLANS[(PLANS.index(plan) + 1 + self.change_rng.randrange(9)) % 10]
            updated = self.changed_time()
        cells = [sid, f"{cu.brand}{cu.trade}" if older else cu.company, name, phone, landline, tax,
                 cu.address(r.choice(ADDR_STYLES)) if r.random() < 0.93 else "", cu.industry,
                 "意向客户" if older else cu.status, cu.channel, owner, group, fmt_date(cu.last_contact, fmt),
                 plan, fmt_date(cu.next_at, fmt + 1), fmt_datetime(cu.created, fmt + 1), fmt_datetime(updated, fmt),
                 "旧系统迁移" if older else notes]
        if r.random() < 0.04:   # sparse rows: fields sales never filled in
            for i in r.sample(range(7, 16), 3):
                cells[i] = ""
        if raw_fix:
            self.crm_f.write(raw_fix(cells))
            self.count("crm", "malformed")
            return
        self.crm.writerow(cells)
        self.count("crm", reason)
        if not older and not reason and r.random() < 0.005:   # exported twice
            self.crm.writerow(cells)
            self.count("crm", "duplicate")

    def crm_mess(self, cu: Customer) -> None:
        """Now and then, a row that is no customer record."""
        r = cu.r
        x = r.random()
        if x < 0.0006:
            self.crm_f.write("以下为测试数据，请勿导入\r\n")
            self.count("crm", "malformed")
        elif x < 0.0012:
            self.crm_f.write("," * (len(CRM_HEADERS) - 1) + "\r\n")
            self.count("crm", "empty_row")
        elif x < 0.0018:   # an unquoted address holding commas: too many fields
            self.crm_row(cu, reason="malformed", raw_fix=lambda cells: ",".join(
                c.replace(",", "，").replace("\n", " ").replace('"', "") for c in cells[:6])
                + f",{cu.address('full')},2楼,201室," + ",".join(
                c.replace(",", "，").replace("\n", " ").replace('"', "") for c in cells[7:]) + "\r\n")

    # -- ERP xlsx ------------------------------------------------------------------------------

    def erp_row(self, cu: Customer) -> None:
        r = cu.r
        self.erp_serial += 1
        x = r.random()
        mobile: object = int(cu.mobile)
        if x < 0.05:
            mobile = Number(f"{int(cu.mobile) / 1e10:.11f}E10")
        elif x < 0.08:
            mobile = int("86" + cu.mobile)
        elif x < 0.13:
            mobile = fmt_phone(cu.mobile, "dash")
        elif x < 0.18:
            mobile = None                       # finance holds the USCC, not the mobile
        tax = cu.uscc if r.random() < 0.92 else (cu.uscc.lower() if r.random() < 0.6 else None)
        if mobile is None and tax is None:
            tax = cu.uscc
        modified = (cu.updated - dt.timedelta(hours=2)).replace(tzinfo=None)
        owner = cu.owner
        if self.change():
            owner = OWNERS[(OWNERS.index((cu.owner, cu.group)) + 1 + self.change_rng.randrange(7)) % 8][0]
            modified = self.changed_time().replace(tzinfo=None)
        self.sheet.row([200000 + self.erp_serial, cu.company, cu.name, mobile,
                        int(cu.landline.replace("-", "")) if cu.landline else None,   # Excel dropped the trunk 0
                        tax, cu.address("full") if r.random() < 0.95 else None, owner,
                        r.choice([0, 100000, 500000.5, 1000000]), cu.created.date(), modified])
        self.count("erp_xlsx")

    def erp_mess(self, cu: Customer) -> None:
        x = cu.r.random()
        if x < 0.001:
            self.sheet.row([], r=self.sheet.next_row)     # an empty row: no cells
            self.count("erp_xlsx", "empty_row")
        elif x < 0.0015:
            self.sheet.row(["导出人：财务部 王会计"])        # no value in any mapped column
            self.count("erp_xlsx", "empty_row")

    # -- web forms -----------------------------------------------------------------------------

    def web_form(self, cu: Customer) -> None:
        r = cu.r
        self.web_serial += 1
        obj: dict = {"id": f"WF{self.web_serial:010d}", "formId": r.choice(["trial_apply", "contact_us", "quote-2026"])}
        reason = None
        if r.random() < 0.97:
            obj["name"] = cu.name if r.random() < 0.9 else cu.name[0] + r.choice(["先生", "女士"])
        x = r.random()
        if x < 0.55:
            obj["mobile"] = fmt_phone(cu.mobile, r.choice(["plain", "plain", "plain", "space", "dash", "plus86"]))
        elif x < 0.80:
            obj["mobile"] = int(cu.mobile)
        elif x < 0.83:
            obj["mobile"] = int("86" + cu.mobile)
        elif x < 0.86:
            obj["mobile"] = " " + cu.mobile + "  "
        elif x < 0.93:
            obj["mobile"] = None
        else:
            obj["mobile"] = ""
        has_mobile = bool(obj["mobile"])
        y = r.random()
        if y < 0.30 or not has_mobile:
            obj["taxId"] = fmt_uscc(cu.uscc, r.choice(USCC_STYLES))
        elif y < 0.33:
            obj["taxId"] = wrong_check(cu.uscc)
        elif y < 0.45:
            obj["taxId"] = r.choice(["", None])
        if not has_mobile and r.random() < 0.2:   # neither: nothing to link
            obj["taxId"] = r.choice(["", None])
            reason = "no_identifier"
        if r.random() < 0.9:
            obj["company"] = cu.company if r.random() < 0.85 else cu.brand + cu.trade
        obj["city"] = (cu.city or cu.province)[:-1] if r.random() < 0.7 else ""
        obj["message"] = r.choice(WEB_MESSAGES)
        t = DAY + dt.timedelta(hours=r.randrange(24), minutes=r.randrange(60), seconds=r.randrange(60)) \
            if r.random() < 0.93 else DAY - dt.timedelta(days=r.randint(2, 6), minutes=r.randrange(1440))
        if not reason and self.change():
            obj["message"] = self.change_rng.choice(WEB_MESSAGES[:-1]) + "（补充）"
            t = self.changed_time()
        z = r.random()
        if z < 0.6:
            obj["submittedAt"] = t.isoformat(timespec="seconds")
        elif z < 0.85:
            obj["submittedAt"] = t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            obj["submittedAt"] = t.isoformat(timespec="milliseconds")
        obj["utm_source"] = r.choice(["baidu", "wechat", "zhihu", "google", None, ""])
        if reason and not any(obj.get(k) for k in ("name", "company", "message")):
            reason = "empty_row"                  # no value in any mapped field at all
        line = json.dumps(obj, ensure_ascii=r.random() < 0.1,
                          separators=(",", ":") if r.random() < 0.3 else (", ", ": "))
        self.web_f.write(line + "\n")
        self.count("web", reason)
        if not reason and r.random() < 0.01:      # submitted twice
            self.web_f.write(line + "\n")
            self.count("web", "duplicate")
        m = r.random()
        if m < 0.001:
            self.web_f.write(line[:line.index('"id"') + 10] + "\n")   # cut off
            self.count("web", "malformed")
        elif m < 0.002:
            self.web_f.write("\n")
            self.count("web", "empty_row")

    # -- WeChat --------------------------------------------------------------------------------

    def push(self, elements) -> None:
        self.xml_f.write(xml_push(elements) + "\n")

    def wechat_push(self, cu: Customer) -> None:
        r = cu.r
        self.msg_id += 7919
        openid = "o" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
                               for _ in range(27))
        created = DAY + dt.timedelta(hours=r.randrange(24), minutes=r.randrange(60), seconds=r.randrange(60)) \
            if r.random() < 0.93 else DAY - dt.timedelta(days=r.randint(2, 6), minutes=r.randrange(1440))
        colon = r.choice(["：", "：", "：", ":", ": "])
        answers = [("姓名", cu.name)]
        reason = None
        x = r.random()
        if x < 0.80:
            answers.append((r.choice(["手机", "手机", "电话", "联系电话"]),
                            fmt_phone(cu.mobile, r.choice(["plain", "plain", "space", "dash", "0086", "ext"]))))
        if x >= 0.80 or r.random() < 0.25:
            if x >= 0.97:
                reason = "no_identifier"    # name and company only
            else:
                answers.append(("税号", fmt_uscc(cu.uscc, r.choice(USCC_STYLES))))
        if r.random() < 0.9:
            answers.append(("公司", cu.company))
        if r.random() < 0.5:
            answers.append(("地区", (cu.city or cu.province)))
        answers.append(("需求", r.choice(WECHAT_NEEDS)))
        if not reason and self.change():
            created = self.changed_time()
            answers[-1] = ("需求", "补充：" + self.change_rng.choice(WECHAT_NEEDS))
        r.shuffle(answers)
        title = "【在线留资】\n" if r.random() < 0.5 else ""
        content = title + "\n".join(f"{label}{colon}{value}" for label, value in answers)
        elements = [("ToUserName", WECHAT_ACCOUNT), ("FromUserName", openid), ("CreateTime", int(created.timestamp())),
                    ("MsgType", "text"), ("Content", content), ("MsgId", self.msg_id)]
        self.push(elements)
        self.count("wechat", reason)
        if not reason:
            y = r.random()
            if y < 0.01:       # retried: the same push again
                self.push(elements)
                self.count("wechat", "duplicate")
            elif y < 0.02:     # retried with another CreateTime: dedupe_by MsgId
                self.push([(t, v + 7 if t == "CreateTime" else v) for t, v in elements])
                self.count("wechat", "duplicate")

    def wechat_mess(self, cu: Customer) -> None:
        r = cu.r
        x = r.random()
        if x > 0.06:
            return
        self.msg_id += 7919
        openid = "oWDev8R17VFvLCoSDHXQmlNU" + f"{cu.c % 10000:04d}"
        t = int((DAY + dt.timedelta(minutes=r.randrange(1440))).timestamp())
        if x < 0.03:
            self.push([("ToUserName", WECHAT_ACCOUNT), ("FromUserName", openid), ("CreateTime", t),
                       ("MsgType", "event"), ("Event", "subscribe")])
            self.count("wechat", "filtered")
        else:
            self.push([("ToUserName", WECHAT_ACCOUNT), ("FromUserName", openid), ("CreateTime", t),
                       ("MsgType", "text"), ("Content", r.choice(["你好，在吗？", "怎么收费", "人工客服", "1"])),
                       ("MsgId", self.msg_id)])
            self.count("wechat", "empty_row")

    # -- calls ---------------------------------------------------------------------------------

    def call(self, r: random.Random, caller: str, reason: str | None = None) -> None:
        self.call_serial += 1
        start = DAY + dt.timedelta(hours=r.randint(8, 21), minutes=r.randrange(60), seconds=r.randrange(60)) \
            if r.random() < 0.95 else DAY - dt.timedelta(days=r.randint(2, 5), minutes=r.randrange(1440))
        disposition = r.choice(DISPOSITIONS)
        duration = 0 if disposition in ("未接通", "排队放弃") else r.randint(5, 900)
        agent = f"A{r.randint(1, 40):02d}" if duration else ""
        stamp = start.strftime("%Y-%m-%d %H:%M:%S") if r.random() < 0.9 else \
            f"{start.year}/{start.month}/{start.day} {start.hour}:{start.minute:02d}:{start.second:02d}"
        called = r.choice([HOTLINE, HOTLINE.replace("-", ""), "400 800 1234"])
        if not reason and self.change():
            disposition, duration = "回拨已接通", duration + 60
        self.calls.writerow([f"CL{self.call_serial:010d}", caller, called, stamp, str(duration), agent, disposition])
        self.count("callcenter", reason)

    def customer_calls(self, cu: Customer, world: World) -> None:
        r = cu.r
        for _ in range(cu.calls):
            x = r.random()
            if cu.landline and x < 0.12:
                caller = cu.landline.replace("-", "") if r.random() < 0.5 else cu.landline
            else:
                caller = r.choice(["", "", "", "0", "+86", "0086", "86"]) + cu.mobile
            self.call(r, caller)
        x = r.random()
        if x < 0.10:    # a stranger: a mobile no customer holds
            self.call(r, r.choice(["", "0"]) + world.mobile(world.n + cu.c))
        elif x < 0.12:
            self.call(r, r.choice(["", "anonymous", "未知", "-"]), "no_identifier")
        elif x < 0.125:
            self.call(r, r.choice(["4006001234", "400-820-8820"]))   # another company's 400 line

    # -- the end -------------------------------------------------------------------------------

    def close(self, last: Customer) -> None:
        # the CRM export was cut off: the last record stops inside its address, with no line end
        r = last.r
        self.crm_serial += 1
        line = ",".join([f"KH{self.crm_serial:08d}", last.company, last.name, last.mobile, "", last.uscc,
                         last.address("full")])
        self.crm_f.write(line[:line.index(last.district) + len(last.district)])
        self.count("crm", "malformed")
        self.crm_f.close()
        total = self.rows["callcenter"]
        self.calls.writerow(["合计", f"{total}通", "", "", "", "", ""])
        self.count("callcenter", "skipped")
        self.calls_f.write(f"CL{self.call_serial + 1:010d},0{last.mobile},{HOTLINE},2026-11-21 23:58")   # truncated
        self.count("callcenter", "malformed")
        self.calls_f.close()
        self.web_f.close()
        self.xml_f.write("</pushes>\n")
        self.xml_f.close()
        self.sheet.row(["合计", None, None, None, None, None, None, None, r.randint(10**7, 10**9)])
        self.count("erp_xlsx", "skipped")
        self.sheet.close()
        with self.book.sheet("导出信息 Export Info") as info:
            info.row(["导出时间", dt.datetime(2026, 11, 22, 2, 0)])
            info.row(["导出系统", "ERP 财务系统 v3.2"])
            info.row(["记录数", self.rows["erp_xlsx"]])
        self.book.close()


PIPELINE = """\
# Written by scripts/gen_world.py: a world of {n} customers in five exports (make bench-world).
# The layouts of pipelines/demo.yml; a world and its --update copy load into the same store.
pipeline: world
store: sqlite:../world-{n}.sqlite
timezone: Asia/Shanghai
key: {{demo: true}}
sources:
  - system: crm
    path: crm_gbk.csv
    encoding: auto
    delimiter: auto
    id: 客户编号
    updated_at: 更新时间
    fields: {{company: 客户名称, name: 联系人, phone: 手机, landline: 座机, tax_id: 统一社会信用代码, address: 地址, industry: 行业, status: 客户状态, first_touch_channel: 首次接触渠道, owner: 负责人, sales_group: 销售组, last_contact_at: 最近联系日期, next_followup_plan: 下次跟进计划, next_followup_at: 下次跟进日期, created_at: 创建时间, notes: 备注}}
  - system: erp_xlsx
    path: erp_customers.xlsx
    format: xlsx
    sheet: 客户 Customers
    id: 客户编号 Customer No.
    updated_at: 最后修改 Last Modified
    skip_rows_matching: ["^(合计|总计)"]
    fields: {{company: 客户名称 Customer Name, name: 联系人 Contact, phone: 手机 Mobile, landline: 电话 Tel, tax_id: 税号 Tax ID, address: 地址 Address, owner: 业务员 Sales Rep, created_at: 创建日期 Created}}
  - system: web
    path: web_forms.jsonl
    format: jsonl
    id: id
    updated_at: submittedAt
    contact_channel: web_form
    fields: {{name: name, phone: mobile, company: company, tax_id: taxId, notes: message}}
  - system: wechat
    path: wechat_forms.xml
    format: xml
    id: MsgId
    updated_at: CreateTime
    contact_channel: wechat_form
    where:
      - {{column: MsgType, equals: text}}
    dedupe_by: [MsgId]
    fields:
      name: "Content#姓名"
      phone: "Content#手机|电话|联系电话"
      company: "Content#公司"
      tax_id: "Content#税号"
  - system: callcenter
    kind: interactions
    path: calls_400.csv
    encoding: auto
    id: call_id
    updated_at: start_time
    skip_rows_matching: ["^合计"]
    fields: {{phone: caller, called: called, started_at: start_time, duration_s: duration_s, agent: agent_id, outcome: disposition}}
"""


def write_world(n: int, out: str, update: float, seed: int) -> dict:
    world = World(n, seed)
    w = Writer(out, n, update, seed)
    cu = None
    for c in range(n):
        cu = world.customer(c)
        if cu.in_crm:
            w.crm_row(cu)
            if cu.r.random() < 0.06:   # an older record under another 客户编号
                w.crm_row(cu, older=True)
            if cu.r.random() < 0.005:
                w.crm_row(cu, reason="no_identifier")
        w.crm_mess(cu)
        if cu.r.random() < 0.002:      # a second contact: another mobile under the same USCC
            other = world.customer(c)
            other.mobile = world.mobile(2 * n + c)
            w.crm_row(other)
        if cu.in_erp:
            w.erp_row(cu)
        w.erp_mess(cu)
        for _ in range(cu.web):
            w.web_form(cu)
        for _ in range(cu.wechat):
            w.wechat_push(cu)
        w.wechat_mess(cu)
        w.customer_calls(cu, world)
    w.close(cu)
    with open(os.path.join(out, "world.yml"), "w", encoding="utf-8") as f:
        f.write(PIPELINE.format(n=n))
    summary = {"customers": n, "seed": seed, "update_percent": update, "changed": w.changed,
               "rows": w.rows, "total_rows": sum(w.rows.values()),
               "meant_rejects": {s: dict(sorted(m.items())) for s, m in w.meant.items()}}
    with open(os.path.join(out, "world.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return summary


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--world", type=int, required=True, metavar="N", help="customers in the world")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the five files, world.yml and world.json")
    p.add_argument("--update", type=float, default=0.0, metavar="PCT",
                   help="the same world with PCT%% of the data records changed")
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args()
    start = time.monotonic()
    s = write_world(args.world, args.out, args.update, args.seed)
    changed = f", {s['changed']} changed" if args.update else ""
    print(f"world: {args.world} customers, {s['total_rows']} rows ({', '.join(f'{k} {v}' for k, v in s['rows'].items())})"
          f"{changed} → {args.out} ({time.monotonic() - start:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
