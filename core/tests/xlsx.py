"""Spreadsheets for the import tests: a good XLSX, one with a part rewritten, a zip bomb."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
# Billion laughs: each entity is ten of the one before; expanded, "&lol6;" is three million bytes.
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 7)
    )
    + b"]>"
)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, part: str, change) -> bytes:
    """The XLSX ``data`` with ``part`` replaced by ``change(its bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def with_entities(rows) -> bytes:
    """A sheet that declares entities (a DTD) and uses them in a cell."""

    def change(xml):
        xml = xml.replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', b"")
        xml = LAUGHS + xml
        return xml.replace(b"<v>", b"<v>&lol6;", 1) if b"<v>" in xml else xml

    return rewritten(xlsx_bytes(rows), SHEET, change)


def with_malformed_xml(rows) -> bytes:
    return rewritten(xlsx_bytes(rows), SHEET, lambda xml: xml.replace(b"</worksheet>", b"<row>"))


def zip_bomb(megabytes: int = 120) -> bytes:
    """An XLSX of ~100 KB whose sheet unpacks to ``megabytes`` MB of blank space."""
    data = xlsx_bytes([["month", "type"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
                continue
            xml = source.read(SHEET)
            head, tail = xml.split(b"<sheetData>")
            with target.open(SHEET, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                blank = b" " * (1024 * 1024)
                for _ in range(megabytes):
                    part.write(blank)
                part.write(tail)
    return out.getvalue()


def upload(data: bytes, name="costs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def understated(data: bytes, part: str, *, size: int) -> bytes:
    """The ZIP ``data`` with ``part`` declaring it unpacks to ``size`` bytes (central and local headers)."""
    data = bytearray(data)
    name = part.encode()
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == name:
            struct.pack_into("<I", data, position + 24, size)
            local = struct.unpack_from("<I", data, position + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        position += 4
    return bytes(data)
