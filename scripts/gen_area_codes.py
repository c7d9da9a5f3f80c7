#!/usr/bin/env python3
"""Generates Sources/Transform/AreaCodes+Data.swift: China's landline area codes with their cities,
the allocated mobile number segments, and the world's country calling codes.

Source: Google libphonenumber's metadata as shipped in the PyPI package `phonenumbers` (Apache 2.0):
the CN region metadata (`phonenumbers/data/region_CN.py`) decides which area codes exist, how long
their local numbers are and which mobile segments are allocated (the validator itself is run on
sample numbers, so the regular expressions are read exactly as libphonenumber reads them); the
Chinese geocoding data (`phonenumbers/geodata`) names the city of each area code. City names are
then mapped onto the official prefecture names of the project's GB/T 2260 table
(`Sources/Transform/Gazetteer+Data.swift`), so that `NormalizedPhone.area` can be matched against
addresses: `内蒙古锡林郭勒` → 锡林郭勒盟, `贵州省铜仁地区` → 铜仁市, `云南省芒市` → 德宏傣族景颇族自治州.

    python3 scripts/gen_area_codes.py                 # downloads phonenumbers with pip
    python3 scripts/gen_area_codes.py --wheel phonenumbers-9.0.43-py2.py3-none-any.whl

Mobile segments: libphonenumber's list, plus the 11-digit data-card segments 146, 148 and 149 that
MIIT has allocated (China Unicom, China Mobile, China Telecom) but libphonenumber leaves out.
"""
import argparse
import datetime
import glob
import os
import random
import re
import subprocess
import sys
import tempfile

PACKAGE = "phonenumbers"
VERSION = "9.0.43"

# MIIT-allocated 11-digit segments missing from libphonenumber's mobile pattern (data cards).
EXTRA_MOBILE_SEGMENTS = ["146", "148", "149"]
# Names in the geocoding data that are neither a prefecture nor a county of the GB/T 2260 table.
NAME_FIXES = {"株州市": "株洲市"}


def load_phonenumbers(wheel):
    if wheel is None:
        tmp = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        f"{PACKAGE}=={VERSION}"], check=True)
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
    sys.path.insert(0, wheel)  # a pure-Python wheel imports straight from the zip
    import phonenumbers
    from phonenumbers.geodata import GEOCODE_DATA
    if phonenumbers.__version__ != VERSION:
        sys.exit(f"expected {PACKAGE} {VERSION}, got {phonenumbers.__version__} from {wheel}")
    return phonenumbers, GEOCODE_DATA, os.path.basename(wheel)


def read_gazetteer(path):
    """(provinces by code, prefectures, counties) from the project's GB/T 2260 table."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 6 and re.fullmatch(r"\d{6}", fields[0]):
                rows.append(fields)
    provinces = {r[0]: r for r in rows if r[1] == "p"}
    cities = [r for r in rows if r[1] == "c"]
    counties = [r for r in rows if r[1] == "d"]
    return provinces, cities, counties


def sample(rng, first_digits, length):
    return rng.choice(first_digits) + "".join(rng.choice("0123456789") for _ in range(length - 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--wheel", help=f"a local {PACKAGE} wheel instead of downloading it")
    parser.add_argument("--gazetteer", default=os.path.join(root, "Sources/Transform/Gazetteer+Data.swift"))
    parser.add_argument("--out", default=os.path.join(root, "Sources/Transform/AreaCodes+Data.swift"))
    args = parser.parse_args()

    pn, geodata, wheel_name = load_phonenumbers(args.wheel)
    provinces, cities, counties = read_gazetteer(args.gazetteer)
    kinds = (pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    rng = random.Random(86)  # fixed: the output must not change between runs

    def valid_fixed(national):
        number = pn.parse("+86" + national)
        return pn.is_valid_number(number) and pn.number_type(number) in kinds

    # Area codes: 10 and 2x have two digits, every other code three. A code exists when
    # libphonenumber accepts local numbers of some length under it; lengths are kept per code.
    area_codes = []
    for code in ["10"] + [str(c) for c in range(20, 30)] + [str(c) for c in range(300, 1000)]:
        lengths = [n for n in (7, 8) if any(valid_fixed(code + sample(rng, "2345678", n)) for _ in range(60))]
        if lengths:
            area_codes.append((code, lengths))

    def geocode(code):
        for n in range(len(code), 0, -1):
            names = geodata.get("86" + code[:n])
            if names and "zh" in names:
                return names["zh"]
        return None

    city_by_name = {}
    for row in cities:
        city_by_name.setdefault(row[5], []).append(row)
    county_by_name = {}
    for row in counties:
        county_by_name.setdefault(row[5], []).append(row)
    city_by_code = {row[0]: row for row in cities}

    def province_of(text):
        best = None
        for code, row in provinces.items():
            for form in [row[5]] + [a for a in row[6].split(",") if a]:
                if text.startswith(form) and (best is None or len(form) > len(best[1])):
                    best = (code, form)
        return best

    entries, skipped = [], []
    for code, lengths in area_codes:
        zh = geocode(code)
        if zh is None:
            skipped.append(code)  # an area code with no city: unknown to us, refused
            continue
        found = province_of(zh)
        if found is None:
            sys.exit(f"area code 0{code}: no province in '{zh}'")
        province_code, prefix = found
        in_province = lambda row: row[0][:2] == province_code[:2]
        names = []
        for part in (zh[len(prefix):] or provinces[province_code][5]).split("、"):
            part = NAME_FIXES.get(part, part)
            match = [r for r in city_by_name.get(part, []) if in_province(r)]
            if not match:  # a county-level city or county: its prefecture
                match = [city_by_code[r[2]] for r in county_by_name.get(part, [])
                         if in_province(r) and r[2] in city_by_code]
            if not match:  # a short or former form: 锡林郭勒, 铜仁地区, 襄樊市
                stem = re.sub(r"(地区|市)$", "", part)
                match = [r for r in cities if in_province(r) and
                         (r[5].startswith(stem) or stem in r[6].split(","))]
            if len(match) != 1:
                if names:
                    continue  # a town listed after its prefecture (双湖, 普兰): already covered
                sys.exit(f"area code 0{code}: cannot name '{part}' of '{zh}' ({len(match)} matches)")
            if match[0][5] not in names:
                names.append(match[0][5])
        entries.append((code, lengths, provinces[province_code][5], names))

    # Mobile segments, by their first four digits (1740 is the only partly allocated one).
    segments = set()
    for prefix in range(1000, 2000):
        for _ in range(40):
            number = pn.parse("+86" + str(prefix) + sample(rng, "0123456789", 7))
            if pn.is_valid_number(number) and pn.number_type(number) in (
                    pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE):
                segments.add(prefix)
                break
    for extra in EXTRA_MOBILE_SEGMENTS:
        segments.update(int(extra) * 10 + d for d in range(10))

    def describe(segs):
        three = sorted({s // 10 for s in segs if all(s // 10 * 10 + d in segs for d in range(10))})
        four = sorted(s for s in segs if s // 10 not in three)
        return ", ".join(map(str, three)) + ("; partly: " + ", ".join(map(str, four)) if four else "")

    country_codes = sorted(pn.COUNTRY_CODE_TO_REGION_CODE)
    today = datetime.date.today().isoformat()

    def swift_string(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = []
    for code, lengths, province, names in entries:
        mask = sum(1 << n for n in lengths)
        cities_literal = "[" + ", ".join(swift_string(n) for n in names) + "]"
        lines.append(f"        AreaCode({code}, localLengths: 0b{mask:b}, province: {swift_string(province)}, "
                     f"cities: {cities_literal}),")
    words = [0] * 16
    for s in segments:
        i = s - 1000
        words[i // 64] |= 1 << (i % 64)
    words_literal = ",\n".join("        0x" + format(w, "016x") for w in words)
    cc_lines = []
    for i in range(0, len(country_codes), 20):
        cc_lines.append("        " + ", ".join(str(c) for c in country_codes[i:i + 20]) + ",")

    swift = f'''// GENERATED by scripts/gen_area_codes.py on {today}. Do not edit by hand: run the script.
// swift-format-ignore-file
//
// Source: PyPI package {PACKAGE} {VERSION} ({wheel_name}; Google libphonenumber metadata,
// Apache 2.0): phonenumbers/data/region_CN.py (which area codes exist, local number lengths,
// mobile segments; read by running libphonenumber's own validator on sample numbers),
// phonenumbers/geodata (the city of each area code), COUNTRY_CODE_TO_REGION_CODE (country codes).
// City names mapped onto the official prefecture names of Gazetteer+Data.swift (GB/T 2260).
// {len(entries)} area codes{(" (skipped, no city known: " + ", ".join("0" + c for c in skipped) + ")") if skipped else ""}.
// Mobile segments: {describe(segments)}
// (libphonenumber's list plus MIIT's data-card segments {", ".join(EXTRA_MOBILE_SEGMENTS)}).

extension AreaCodes {{
    /// Every area code without its trunk 0, with the lengths its local numbers may have
    /// (bit n set: n digits), its province and its prefecture-level cities, main city first.
    static let all: [AreaCode] = [
{chr(10).join(lines)}
    ]

    /// Allocated mobile segments: bit (p − 1000) is set for each allocated 4-digit prefix p.
    static let mobileSegmentBits: [UInt64] = [
{words_literal},
    ]

    /// ITU-T E.164 country calling codes in use.
    static let countryCallingCodes: Set<Int> = [
{chr(10).join(cc_lines)}
    ]
}}
'''
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(swift)
    print(f"wrote {args.out}: {len(entries)} area codes, {len(segments)} mobile prefixes, "
          f"{len(country_codes)} country codes; skipped {skipped}")


if __name__ == "__main__":
    main()
