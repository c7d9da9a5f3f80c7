#!/usr/bin/env python3
"""The baseline of `make bench-world`: the world's nightly job written the way a competent Python
user would write it, to compare crmbridge against. Not a strawman, not heroic either.

    .venv-bench/bin/python scripts/world_python.py bench-data/world-200000 --db bench-data/world-python.sqlite

Reads the five exports of scripts/gen_world.py with the usual libraries (csv, openpyxl in read-only
mode, json, xml.etree.ElementTree.iterparse), normalizes each record (phonenumbers for E.164 and
the line type, the USCC check characters of GB 32100 and GB 11714, pypinyin for the name, cpca for
province/city/district in batches of addresses, the timestamp shapes of the exports), keys it with
HMAC-SHA256 over mobile + "|" + USCC, and stores it in SQLite in one transaction with executemany:
customers upserted by key (the newer record wins a field, an empty value never overwrites), every
record in a source cross-reference (merged or pending), rejects with their reason, calls and form
contacts as interactions. Records with only a mobile or only a USCC, and calls, link at the end
when exactly one customer holds the number (calls: the mobile, else a landline).

Prints one JSON object: rows read, merged, pending, rejected by reason, per system, and seconds.
Needs: phonenumbers, pypinyin, cpca (which pulls pandas), openpyxl.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

import cpca
import openpyxl
import phonenumbers
from phonenumbers import PhoneNumberType
from pypinyin import lazy_pinyin

SECRET = b"crmbridge-demo-secret-not-for-production"   # the pipeline's `key: {demo: true}`
TZ = dt.timezone(dt.timedelta(hours=8))
CHUNK = 2000
FIELDS = ["name", "name_pinyin", "phone_e164", "landline_e164", "company", "tax_id", "province", "city", "district",
          "adcode", "address_detail", "industry", "status", "first_touch_channel", "owner", "sales_group",
          "last_contact_at", "next_followup_plan", "next_followup_at", "created_at", "notes"]
CRM_MAP = {"客户名称": "company", "联系人": "name", "手机": "phone", "座机": "landline", "统一社会信用代码": "tax_id",
           "地址": "address", "行业": "industry", "客户状态": "status", "首次接触渠道": "first_touch_channel",
           "负责人": "owner", "销售组": "sales_group", "最近联系日期": "last_contact_at",
           "下次跟进计划": "next_followup_plan", "下次跟进日期": "next_followup_at", "创建时间": "created_at",
           "备注": "notes"}
ERP_MAP = {"客户名称 Customer Name": "company", "联系人 Contact": "name", "手机 Mobile": "phone", "电话 Tel": "landline",
           "税号 Tax ID": "tax_id", "地址 Address": "address", "业务员 Sales Rep": "owner", "创建日期 Created": "created_at"}
WEB_MAP = {"name": "name", "mobile": "phone", "company": "company", "taxId": "tax_id", "message": "notes"}
WECHAT_LABELS = {"姓名": "name", "手机": "phone", "电话": "phone", "联系电话": "phone", "公司": "company", "税号": "tax_id"}

# ---------------------------------------------------------------------------------------------
# Normalizers

PLACEHOLDERS = {"", "-", "--", "—", "无", "暂无", "n/a", "na", "null", "#n/a", "anonymous", "未知"}
EXTENSION = re.compile(r"(转|分机|ext\.?|#).*$", re.I)
PHONE_JUNK = re.compile(r"[\s\-()（）.]")


def phone(text) -> tuple[str, str] | None:
    """('mobile' | 'landline', E.164) or None."""
    if text is None:
        return None
    t = unicodedata.normalize("NFKC", str(text)).strip()
    if t.lower() in PLACEHOLDERS:
        return None
    t = PHONE_JUNK.sub("", EXTENSION.sub("", t))
    if t.startswith("0086"):
        t = "+86" + t[4:]
    elif len(t) == 13 and t.startswith("86"):
        t = "+" + t
    elif len(t) == 12 and t.startswith("01") and t[2] in "3456789":
        t = t[1:]                        # a trunk 0 before a mobile, as the switch logs callers
    for candidate in (t, "0" + t) if not t.startswith(("0", "+", "1")) else (t,):   # Excel dropped the trunk 0
        try:
            number = phonenumbers.parse(candidate, "CN")
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        kind = phonenumbers.number_type(number)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
            return "mobile", e164
        return "landline", e164
    return None


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc(text) -> str | None:
    if not text:
        return None
    t = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", str(text))).upper()
    if len(t) != 18 or any(c not in USCC_VALUE for c in t):
        return None
    if t[17] != USCC_CHARS[(31 - sum(USCC_VALUE[c] * w for c, w in zip(t, USCC_WEIGHTS)) % 31) % 31]:
        return None
    body = t[8:16]
    org = 11 - sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORG_WEIGHTS)) % 11
    if t[16] != ("X" if org == 10 else "0" if org == 11 else str(org)):
        return None
    return t


TITLES = re.compile(r"(\(经理\)|（经理）|先生|女士|小姐|经理|总)$")


def name(text) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    t = TITLES.sub("", t) or t
    return t, " ".join(lazy_pinyin(t))


def company(text) -> str | None:
    if not text:
        return None
    t = unicodedata.normalize("NFKC", str(text)).strip()
    return re.sub(r"\s+", "", t).replace("(", "（").replace(")", "）") or None


TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d"]


def timestamp(value) -> str | None:
    """ISO 8601 in Asia/Shanghai."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=TZ).isoformat() if value.tzinfo is None else value.astimezone(TZ).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=TZ).isoformat()
    t = str(value).strip()
    if "T" in t:
        try:
            return dt.datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(TZ).isoformat()
        except ValueError:
            return None
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).replace(tzinfo=TZ).isoformat()
        except ValueError:
            pass
    return None


def text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    t = str(value).strip()
    return t or None


# ---------------------------------------------------------------------------------------------
# Readers: each yields (locator, source id, raw fields, updated_at) or (locator, None, reason, raw)


def read_crm(path):
    with open(path, encoding="gb18030", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        index = {h: i for i, h in enumerate(header)}
        seen = set()
        line = reader.line_num + 1
        for row in reader:
            locator, line = f"line {line}", reader.line_num + 1
            if len(row) != len(header):
                yield locator, None, "malformed", ",".join(row)
                continue
            if not any(c.strip() for c in row):
                yield locator, None, "empty_row", ""
                continue
            digest = hash("\x1f".join(row))
            if digest in seen:
                yield locator, None, "duplicate", row[0]
                continue
            seen.add(digest)
            yield locator, row[index["客户编号"]], {f: row[index[h]] for h, f in CRM_MAP.items()}, row[index["更新时间"]]


def read_erp(path):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book["客户 Customers"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    index = {h: i for i, h in enumerate(header)}
    for number, row in enumerate(rows, start=2):
        locator = f"客户 Customers!{number}"
        row = list(row) + [None] * (len(header) - len(row))
        if isinstance(row[0], str) and re.match(r"^(合计|总计)", row[0]):
            yield locator, None, "skipped", row[0]
            continue
        fields = {f: row[index[h]] for h, f in ERP_MAP.items()}
        if all(v is None or v == "" for v in fields.values()):
            yield locator, None, "empty_row", ""
            continue
        yield locator, text(row[index["客户编号 Customer No."]]), fields, row[index["最后修改 Last Modified"]]
    book.close()


def read_web(path):
    seen = set()
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            locator = f"line {number}"
            line = line.strip()
            if not line:
                yield locator, None, "empty_row", ""
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                yield locator, None, "malformed", line
                continue
            digest = hash(line)
            if digest in seen:
                yield locator, None, "duplicate", obj.get("id")
                continue
            seen.add(digest)
            fields = {f: obj.get(k) for k, f in WEB_MAP.items()}
            if all(v is None or v == "" for v in fields.values()):
                yield locator, None, "empty_row", obj.get("id")
                continue
            yield locator, text(obj.get("id")), fields, obj.get("submittedAt")


LABEL_LINE = re.compile(r"^\s*([^:：\n]+?)\s*[:：]\s*(.*?)\s*$")


def read_wechat(path):
    seen = set()
    number = 0
    for _, elem in ET.iterparse(path, events=("end",)):
        if elem.tag != "xml":
            continue
        number += 1
        locator = f"record {number}"
        push = {child.tag: child.text for child in elem}
        elem.clear()
        if push.get("MsgType") != "text":
            yield locator, None, "filtered", push.get("MsgType")
            continue
        msg_id = push.get("MsgId")
        if msg_id in seen:
            yield locator, None, "duplicate", msg_id
            continue
        seen.add(msg_id)
        fields = {}
        for content_line in (push.get("Content") or "").splitlines():
            m = LABEL_LINE.match(content_line)
            if m and m.group(1) in WECHAT_LABELS and WECHAT_LABELS[m.group(1)] not in fields:
                fields[WECHAT_LABELS[m.group(1)]] = m.group(2)
        if not any(fields.values()):
            yield locator, None, "empty_row", ""
            continue
        created = push.get("CreateTime")
        updated = dt.datetime.fromtimestamp(int(created), TZ) if created and created.isdigit() else None
        yield locator, msg_id, fields, updated


def read_calls(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        index = {h: i for i, h in enumerate(header)}
        line = reader.line_num + 1
        for row in reader:
            locator, line = f"line {line}", reader.line_num + 1
            if row and row[0].startswith("合计"):
                yield locator, None, "skipped", row[0]
                continue
            if len(row) != len(header):
                yield locator, None, "malformed", ",".join(row)
                continue
            yield locator, row[index["call_id"]], {k: row[index[k]] for k in header}, row[index["start_time"]]


# ---------------------------------------------------------------------------------------------
# The store

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS customers (key BLOB PRIMARY KEY, {", ".join(FIELDS)}, updated_at TEXT, systems TEXT);
CREATE INDEX IF NOT EXISTS customers_phone ON customers(phone_e164);
CREATE INDEX IF NOT EXISTS customers_tax ON customers(tax_id);
CREATE INDEX IF NOT EXISTS customers_landline ON customers(landline_e164);
CREATE TABLE IF NOT EXISTS xref (system TEXT, source_id TEXT, customer_key BLOB, state TEXT, link TEXT,
    updated_at TEXT, record TEXT, PRIMARY KEY (system, source_id));
CREATE TABLE IF NOT EXISTS rejects (system TEXT, file TEXT, locator TEXT, reason TEXT, raw TEXT);
CREATE TABLE IF NOT EXISTS interactions (system TEXT, source_id TEXT, customer_key BLOB, phone_e164 TEXT,
    started_at TEXT, channel TEXT, agent TEXT, duration_s INTEGER, outcome TEXT, PRIMARY KEY (system, source_id));
"""
MERGE = {"last_contact_at": "max(coalesce(excluded.{f}, customers.{f}), coalesce(customers.{f}, excluded.{f}))",
         "created_at": "min(coalesce(excluded.{f}, customers.{f}), coalesce(customers.{f}, excluded.{f}))"}
LATEST = ("CASE WHEN excluded.updated_at >= coalesce(customers.updated_at, '') "
          "THEN coalesce(excluded.{f}, customers.{f}) ELSE coalesce(customers.{f}, excluded.{f}) END")
UPSERT = (f"INSERT INTO customers (key, {', '.join(FIELDS)}, updated_at, systems) "
          f"VALUES (?, {', '.join('?' for _ in FIELDS)}, ?, ?) ON CONFLICT(key) DO UPDATE SET "
          + ", ".join(f"{f} = " + MERGE.get(f, LATEST).format(f=f) for f in FIELDS)
          + ", updated_at = max(excluded.updated_at, coalesce(customers.updated_at, '')), "
            "systems = CASE WHEN instr(customers.systems, excluded.systems) THEN customers.systems "
            "ELSE customers.systems || ',' || excluded.systems END")
XREF = "INSERT OR REPLACE INTO xref VALUES (?, ?, ?, ?, ?, ?, ?)"
REJECT = "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)"
INTERACTION = "INSERT OR REPLACE INTO interactions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


class Job:
    def __init__(self, db: str):
        self.db = sqlite3.connect(db)
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.pending: list[tuple] = []        # (system, source id, normalized row, updated_at, contact channel)
        self.pending_calls: list[tuple] = []  # (source id, phone kind, e164, fields, started_at)

    def customer_row(self, key, values: dict, updated: str | None, system: str) -> tuple:
        return (key, *(values.get(f) for f in FIELDS), updated or "", system)

    def load(self, system: str, path: str, records, channel: str | None = None) -> None:
        chunk = []
        for record in records:
            if record[1] is None:
                locator, _, reason, raw = record
                self.counts[system]["read"] += 1
                self.counts[system]["rejected." + reason] += 1
                self.db.execute(REJECT, (system, path, locator, reason, text(raw)))
                continue
            chunk.append(record)
            if len(chunk) == CHUNK:
                self.customers(system, path, chunk, channel)
                chunk = []
        if chunk:
            self.customers(system, path, chunk, channel)

    def customers(self, system: str, path: str, chunk: list, channel: str | None) -> None:
        # cpca on the whole chunk at once: one DataFrame per chunk, not per address
        addresses = [text(fields.get("address")) or "" for _, _, fields, _ in chunk]
        places = cpca.transform(addresses)[["省", "市", "区", "地址", "adcode"]].values.tolist() if any(addresses) else None
        upserts, xrefs, rejects, contacts = [], [], [], []
        for i, (locator, source_id, fields, updated_raw) in enumerate(chunk):
            self.counts[system]["read"] += 1
            values: dict = {}
            values["name"], values["name_pinyin"] = name(text(fields.get("name")))
            values["company"] = company(text(fields.get("company")))
            mobile = phone(text(fields.get("phone")))
            line = phone(text(fields.get("landline")))
            if mobile and mobile[0] == "landline":   # a landline in the mobile column
                line, mobile = line or mobile, None
            values["phone_e164"] = mobile[1] if mobile else None
            values["landline_e164"] = line[1] if line else None
            values["tax_id"] = uscc(fields.get("tax_id"))
            if places is not None and addresses[i]:
                values["province"], values["city"], values["district"], values["address_detail"], values["adcode"] = \
                    (v if isinstance(v, str) and v else None for v in places[i])
            for f in ("industry", "status", "first_touch_channel", "owner", "sales_group", "next_followup_plan", "notes"):
                values[f] = text(fields.get(f))
            for f in ("last_contact_at", "next_followup_at", "created_at"):
                values[f] = timestamp(fields.get(f))
            updated = timestamp(updated_raw)
            if channel:
                values["last_contact_at"] = updated
            record = json.dumps(values, ensure_ascii=False)
            if values["phone_e164"] and values["tax_id"]:
                key = hmac.new(SECRET, f"{values['phone_e164']}|{values['tax_id']}".encode(), hashlib.sha256).digest()
                upserts.append(self.customer_row(key, values, updated, system))
                xrefs.append((system, source_id, key, "merged", "key", updated, record))
                if channel:
                    contacts.append((system, source_id, key, values["phone_e164"], updated, channel, None, None, None))
                self.counts[system]["merged"] += 1
            elif values["phone_e164"] or values["tax_id"]:
                self.pending.append((system, source_id, values, updated, channel, record))
            else:
                rejects.append((system, path, locator, "no_identifier", source_id))
                self.counts[system]["rejected.no_identifier"] += 1
        self.db.executemany(UPSERT, upserts)
        self.db.executemany(XREF, xrefs)
        self.db.executemany(REJECT, rejects)
        self.db.executemany(INTERACTION, contacts)

    def calls(self, system: str, path: str, records) -> None:
        rejects = []
        for record in records:
            self.counts[system]["read"] += 1
            if record[1] is None:
                locator, _, reason, raw = record
                self.counts[system]["rejected." + reason] += 1
                rejects.append((system, path, locator, reason, text(raw)))
                continue
            locator, source_id, fields, started = record
            caller = phone(fields["caller"])
            if caller is None:
                self.counts[system]["rejected.no_identifier"] += 1
                rejects.append((system, path, locator, "no_identifier", source_id))
                continue
            self.pending_calls.append((system, source_id, caller, fields, timestamp(started)))
        self.db.executemany(REJECT, rejects)

    def link(self) -> None:
        """The end of the batch: records with one identifier, and calls, link when exactly one
        customer holds the value."""
        def unique(column):
            held = defaultdict(list)
            for value, key in self.db.execute(f"SELECT {column}, key FROM customers WHERE {column} IS NOT NULL"):
                held[value].append(key)
            return {value: keys[0] for value, keys in held.items() if len(keys) == 1}, set(held)

        phones, phones_held = unique("phone_e164")
        taxes, taxes_held = unique("tax_id")
        upserts, xrefs, contacts = [], [], []
        for system, source_id, values, updated, channel, record in self.pending:
            key, link = None, "unmatched"
            if values["phone_e164"] in phones:
                key, link = phones[values["phone_e164"]], "phone"
            elif values["tax_id"] in taxes:
                key, link = taxes[values["tax_id"]], "tax_id"
            elif values["phone_e164"] in phones_held or values["tax_id"] in taxes_held:
                link = "ambiguous"
            if key:
                upserts.append(self.customer_row(key, values, updated, system))
                if channel:
                    contacts.append((system, source_id, key, values["phone_e164"], updated, channel, None, None, None))
            xrefs.append((system, source_id, key, "merged" if key else "pending", link, updated, record))
            self.counts[system]["merged" if key else "pending"] += 1
        self.db.executemany(UPSERT, upserts)
        self.db.executemany(XREF, xrefs)
        xrefs = []
        # calls: the mobile, else a landline a customer holds (looked up after the records above merged)
        phones, _ = unique("phone_e164")
        landlines, _ = unique("landline_e164")
        for system, source_id, (kind, e164), fields, started in self.pending_calls:
            key = phones.get(e164) if kind == "mobile" else landlines.get(e164)
            contacts.append((system, source_id, key, e164, started, "call", fields["agent_id"] or None,
                             int(fields["duration_s"] or 0), fields["disposition"]))
            xrefs.append((system, source_id, key, "merged" if key else "pending", "phone" if key else "unmatched",
                          started, None))
            self.counts[system]["merged" if key else "pending"] += 1
            if key:
                self.db.execute("UPDATE customers SET last_contact_at = max(coalesce(last_contact_at, ''), ?) "
                                "WHERE key = ?", (started, key))
        self.db.executemany(INTERACTION, contacts)
        self.db.executemany(XREF, xrefs)

    def commit(self) -> None:
        self.db.commit()
        self.db.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("world", help="a folder written by scripts/gen_world.py")
    p.add_argument("--db", required=True, help="the SQLite file (created when missing)")
    args = p.parse_args()
    start = time.monotonic()
    job = Job(args.db)
    path = lambda name: os.path.join(args.world, name)   # noqa: E731
    job.load("crm", path("crm_gbk.csv"), read_crm(path("crm_gbk.csv")))
    job.load("erp_xlsx", path("erp_customers.xlsx"), read_erp(path("erp_customers.xlsx")))
    job.load("web", path("web_forms.jsonl"), read_web(path("web_forms.jsonl")), channel="web_form")
    job.load("wechat", path("wechat_forms.xml"), read_wechat(path("wechat_forms.xml")), channel="wechat_form")
    job.calls("callcenter", path("calls_400.csv"), read_calls(path("calls_400.csv")))
    job.link()
    job.commit()
    seconds = time.monotonic() - start
    by_system = {}
    for system, c in job.counts.items():
        rejected = {k.split(".", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("rejected.")}
        by_system[system] = {"read": c["read"], "merged": c["merged"], "pending": c["pending"],
                             "rejected": sum(rejected.values()), "rejected_by_reason": rejected}
    overall = {k: sum(s[k] for s in by_system.values()) for k in ("read", "merged", "pending", "rejected")}
    print(json.dumps({"overall": overall, "by_system": by_system, "seconds": seconds}, ensure_ascii=False))


if __name__ == "__main__":
    main()
