#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (scripts/fuzz.sh) into OUTDIR/TARGET/, made from
fixtures/ and pipelines/: whole files for the readers and the pipeline loader, one cell value per
file for the normalizers (cells picked by their column's name). Run at fuzzing time, never
committed: the fixtures are the source."""
import csv
import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# Column names (lower case) → the normalizer targets whose seeds their cells are.
COLUMN_TARGETS = [
    (("手机", "座机", "电话", "mobile", "phone", "tel", "caller", "called"), "phone"),
    (("联系人", "姓名", "contact", "name"), "name"),
    (("地址", "address", "city"), "address"),
    (("信用代码", "税号", "tax", "uscc"), "taxid"),
    (("日期", "时间", "date", "time", "updated", "created", "modified", "submitted", "at"), "date"),
]


def main(out: Path) -> None:
    seeds: dict[str, set[bytes]] = {}

    def add(target: str, data: bytes) -> None:
        if data.strip():
            seeds.setdefault(target, set()).add(data)

    def add_cells(header: list[str], rows: list[list[str]]) -> None:
        for index, name in enumerate(header):
            folded = name.lower()
            for keys, target in COLUMN_TARGETS:
                if any(key in folded for key in keys):
                    for row in rows:
                        if index < len(row):
                            add(target, row[index].encode())

    for path in sorted(FIXTURES.glob("*.csv")):
        data = path.read_bytes()
        add("csv", data)
        text = decode(data)
        delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ";" if ";" in text.split("\n", 1)[0] else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if rows:
            add_cells(rows[0], rows[1:])

    xlsx = FIXTURES / "erp_customers.xlsx"
    add("xlsx", xlsx.read_bytes())
    with zipfile.ZipFile(xlsx) as archive:
        stored = io.BytesIO()
        with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as copy:
            for info in archive.infolist():
                part = archive.read(info)
                copy.writestr(info.filename, part)
                if info.filename.startswith("xl/worksheets/"):
                    add("xlsx-sheet", part)
        add("xlsx", stored.getvalue())
        add_cells(*xlsx_cells(archive))

    jsonl = FIXTURES / "web_forms.jsonl"
    data = jsonl.read_bytes()
    add("json", data)
    objects = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            objects.append(json.loads(line))
        except ValueError:
            pass
    add("json", json.dumps(objects, ensure_ascii=False, indent=1).encode())
    add("json", json.dumps({"id": "F-1", "answers": [{"value": "138 0013 8000"}], "a": {"b": [0, 1, {"c": 1.5e3}]},
                            "Content": "姓名：张伟\n手机：138 0013 8000\n公司：深圳市某某科技有限公司", "data": [[], ["x"]]},
                           ensure_ascii=False).encode() + b"\n")
    for item in objects:
        if isinstance(item, dict):
            keys = list(item)
            add_cells(keys, [[str(item[key]) if item[key] is not None else "" for key in keys]])

    xml = FIXTURES / "wechat_forms.xml"
    data = xml.read_bytes()
    add("xml", data)
    root = ElementTree.fromstring(data)
    for record in root.iter("xml"):
        content = record.findtext("Content")
        if content:
            add("labelled", content.encode())
        names = [child.tag for child in record]
        add_cells(names, [[child.text or "" for child in record]])
        for line in (content or "").splitlines():
            label, _, value = line.partition("：")
            add_cells([label], [[value]])

    for path in sorted((ROOT / "pipelines").glob("*.yml")):
        add("pipeline", path.read_bytes())

    for target, values in seeds.items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        for value in values:
            (folder / hashlib.sha1(value).hexdigest()).write_bytes(value)
    print(" ".join(f"{target}:{len(values)}" for target, values in sorted(seeds.items())))


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", "replace")


def xlsx_cells(archive: zipfile.ZipFile) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the first sheet, as text (shared strings looked up)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    strings = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
               for si in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    rows = []
    for row in ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml")).iter(f"{{{ns['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.findall("m:c", ns):
            column = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(re.match(r"[A-Z]+", cell.get("r")).group())))
            value = cell.findtext("m:v", "", ns)
            if cell.get("t") == "s" and value.isdigit() and int(value) < len(strings):
                value = strings[int(value)]
            cells[column - 1] = value
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    return (rows[0], rows[1:]) if rows else ([], [])


if __name__ == "__main__":
    # An option is not a folder: `--help` once made a folder of that name full of seeds.
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: fuzz_seeds.py OUTDIR")
    main(Path(sys.argv[1]))
