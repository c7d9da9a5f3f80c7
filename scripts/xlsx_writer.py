#!/usr/bin/env python3
"""A minimal .xlsx writer for crmbridge's fixtures and benchmarks. Standard library only.

Rows stream into the zip as they are written (a million-row sheet never sits in memory); the
shared-strings table, the styles and the workbook are written when the workbook is closed.

    from xlsx_writer import Workbook, Inline, Number, Rich, FormulaString, Error

    with Workbook("out.xlsx", date1904=False) as book:
        with book.sheet("客户 Customers") as sheet:
            sheet.row(["客户编号", "手机", "创建日期"])              # strings go to the shared table
            sheet.row([1001, 13800138000, dt.date(2026, 1, 5)])     # numbers, a date with a date style
            sheet.row([Number("1.38001380000E10"), None, "x"])      # raw number text, a gap (sparse cell)
            sheet.row([], r=9)                                      # an empty row, numbered 9
            sheet.row([Rich(["单", "天方"], phonetic="shan")])       # rich runs with a phonetic guide

Cell values: `str` (shared string), `Inline` (inline string), `int`/`float`/`Number` (number
cell), `bool`, `dt.date`/`dt.datetime` (serial number in a date / date-time style), `Rich`,
`FormulaString` (`t="str"`), `Error` (`#N/A`), `None` (no cell: the next one keeps its column).
"""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE_STYLE, DATETIME_STYLE = 1, 2


@dataclass
class Inline:
    text: str


@dataclass
class Number:
    """A number cell with its text as written, e.g. `1.38001380000E10`."""
    text: str


@dataclass
class Rich:
    runs: list[str]
    phonetic: str | None = None


@dataclass
class FormulaString:
    formula: str
    value: str


@dataclass
class Error:
    code: str = "#N/A"


def column_letters(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp: the same rows make the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def text_xml(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{escape(text)}</t>"


class Sheet:
    def __init__(self, book: Workbook, name: str, stream, refs: bool):
        self.book, self.name, self.stream, self.refs = book, name, stream, refs
        self.next_row = 1
        self.buffer: list[str] = []
        self.stream.write((HEAD + f'<worksheet xmlns="{MAIN}"><sheetData>').encode())

    def row(self, cells: list, r: int | None = None) -> None:
        """Writes one row; `r` skips ahead to that row number."""
        number = r or self.next_row
        self.next_row = number + 1
        parts = [f'<row r="{number}">' if self.refs else "<row>"]
        for index, value in enumerate(cells):
            if value is None:
                continue
            ref = f' r="{column_letters(index)}{number}"' if self.refs else ""
            parts.append(self.book.cell(ref, value))
        parts.append("</row>")
        self.buffer.append("".join(parts))
        if len(self.buffer) >= 2000:
            self.flush()

    def flush(self) -> None:
        self.stream.write("".join(self.buffer).encode())
        self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.stream.write(b"</sheetData></worksheet>")
        self.stream.close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Workbook:
    def __init__(self, path: str, date1904: bool = False):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self.date1904 = date1904
        self.sheets: list[str] = []
        self.strings: dict[str, int] = {}
        self.string_xml: list[str] = []

    def sheet(self, name: str, refs: bool = True) -> Sheet:
        """A new sheet; `refs=False` writes rows and cells without `r` (they count on)."""
        self.sheets.append(name)
        stream = self.zip.open(entry(f"xl/worksheets/sheet{len(self.sheets)}.xml"), "w", force_zip64=True)
        return Sheet(self, name, stream, refs)

    def shared(self, key: str, xml: str) -> int:
        index = self.strings.get(key)
        if index is None:
            index = self.strings[key] = len(self.string_xml)
            self.string_xml.append(xml)
        return index

    def serial(self, value: dt.date) -> str:
        if isinstance(value, dt.datetime):
            base = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)
            delta = value.replace(tzinfo=None) - base
            return repr(delta.days + delta.seconds / 86400)
        base = dt.date(1904, 1, 1) if self.date1904 else dt.date(1899, 12, 30)
        return str((value - base).days)

    def cell(self, ref: str, value) -> str:
        if isinstance(value, bool):
            return f'<c{ref} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"<c{ref}><v>{value!r}</v></c>"
        if isinstance(value, Number):
            return f"<c{ref}><v>{value.text}</v></c>"
        if isinstance(value, dt.datetime):
            return f'<c{ref} s="{DATETIME_STYLE}"><v>{self.serial(value)}</v></c>'
        if isinstance(value, dt.date):
            return f'<c{ref} s="{DATE_STYLE}"><v>{self.serial(value)}</v></c>'
        if isinstance(value, Inline):
            return f'<c{ref} t="inlineStr"><is>{text_xml(value.text)}</is></c>'
        if isinstance(value, Rich):
            xml = "".join(f"<r>{text_xml(run)}</r>" for run in value.runs)
            if value.phonetic:
                xml += f'<rPh sb="0" eb="{len(value.runs[0])}">{text_xml(value.phonetic)}</rPh>'
            return f'<c{ref} t="s"><v>{self.shared(repr(value), xml)}</v></c>'
        if isinstance(value, FormulaString):
            return f'<c{ref} t="str"><f>{escape(value.formula)}</f><v>{escape(value.value)}</v></c>'
        if isinstance(value, Error):
            return f'<c{ref} t="e"><v>{escape(value.code)}</v></c>'
        return f'<c{ref} t="s"><v>{self.shared(value, text_xml(str(value)))}</v></c>'

    def close(self) -> None:
        z = self.zip
        sheets = range(1, len(self.sheets) + 1)
        z.writestr(entry("[Content_Types].xml"), HEAD
                   + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   + '<Default Extension="xml" ContentType="application/xml"/>'
                   + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n in sheets)
                   + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   + "</Types>")
        z.writestr(entry("_rels/.rels"), HEAD + f'<Relationships xmlns="{PKG_REL}">'
                   + f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr(entry("xl/_rels/workbook.xml.rels"), HEAD + f'<Relationships xmlns="{PKG_REL}">'
                   + "".join(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in sheets)
                   + f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
                   + f'<Relationship Id="rIdStrings" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   + "</Relationships>")
        z.writestr(entry("xl/workbook.xml"), HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                   + (f'<workbookPr date1904="1"/>' if self.date1904 else "<workbookPr/>") + "<sheets>"
                   + "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
                             for n, name in zip(sheets, self.sheets))
                   + "</sheets></workbook>")
        z.writestr(entry("xl/styles.xml"), HEAD + f'<styleSheet xmlns="{MAIN}">'
                   + '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
                   + '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
                   + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                   + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                   + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                   + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                   + '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                   + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                   + '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                   + "</styleSheet>")
        with z.open(entry("xl/sharedStrings.xml"), "w", force_zip64=True) as f:
            f.write((HEAD + f'<sst xmlns="{MAIN}" uniqueCount="{len(self.string_xml)}">').encode())
            for start in range(0, len(self.string_xml), 10000):
                f.write("".join(f"<si>{xml}</si>" for xml in self.string_xml[start:start + 10000]).encode())
            f.write(b"</sst>")
        z.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
