"""Real (minimal) Word 97 .doc bytes, written without Word or LibreOffice.

County portals still publish .doc and .wps (WPS writes the same binary format) lists; the demo needs real
ones so antiword and the OLE2 sniffing path are exercised end to end. The writer covers what readers
need — a FIB, one Unicode text piece, an empty stylesheet — inside a small MS-CFB v3 compound file.
"""

from __future__ import annotations

import struct


def word97_bytes(paragraphs: list[str], encrypted: bool = False) -> bytes:
    """A real (minimal) Word 97 .doc: a FIB, one Unicode piece in the piece table, text in WordDocument.

    Enough for antiword to read it; no styles, fonts or paragraph properties (all optional).
    """
    text = "".join(p + "\r" for p in paragraphs)
    body = text.encode("utf-16-le")
    fc_text = 0x400                                   # text starts after the 0x384-byte FIB
    fib = bytearray(fc_text)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0)   # wIdent, nFib, -, lid zh-CN, pnNext
    flags = 0x0200 | 0x0004 | (0x0100 if encrypted else 0)             # fWhichTblStm=1Table, fComplex
    struct.pack_into("<HH", fib, 0x0A, flags, 0x00BF)
    struct.pack_into("<II", fib, 0x18, fc_text, fc_text + len(body))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)                             # csw
    struct.pack_into("<H", fib, 0x3E, 22)                             # cslw
    struct.pack_into("<I", fib, 0x40, fc_text + len(body))            # cbMac
    struct.pack_into("<I", fib, 0x4C, len(text))                      # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)                           # cbRgFcLcb (Word 97)
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc_text, 0)   # CPs + one PCD
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))                  # fcClx, lcbClx
    # An empty stylesheet: cbStshi, then STSHI (cstd=0, cbSTDBaseInFile=10, …, three default fonts).
    stsh = struct.pack("<H", 18) + struct.pack("<HHHHHH", 0, 10, 0, 0, 0, 0) + struct.pack("<HHH", 0, 0, 0)
    struct.pack_into("<II", fib, 0xA2, len(clx), len(stsh))           # fcStshf, lcbStshf
    return ole_bytes({"WordDocument": bytes(fib) + body, "1Table": clx + stsh})


# ---------------------------------------------------------------------------------------------
# A minimal OLE2 / Compound File Binary writer (MS-CFB v3), enough for olefile and for sniffing.

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` at the root; each is padded to 4096 bytes (no mini stream)."""
    names = list(streams)
    data = [streams[n] + b"\x00" * max(0, 4096 - len(streams[n])) for n in names]
    n_dir = (len(names) + 1 + 3) // 4
    sectors = [(len(d) + 511) // 512 for d in data]
    total = 1 + n_dir + sum(sectors)
    assert total <= 128, "one FAT sector is enough for these tests"
    fat = [_FREE] * 128
    fat[0] = _FATSECT
    for i in range(1, 1 + n_dir):
        fat[i] = i + 1 if i < n_dir else _END
    starts, pos = [], 1 + n_dir
    for count in sectors:
        starts.append(pos)
        for k in range(count):
            fat[pos + k] = pos + k + 1 if k < count - 1 else _END
        pos += count

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _NOSTREAM, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 1 if names else _NOSTREAM, _NOSTREAM, _END, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(entry(name, 2, _NOSTREAM, right, starts[i], len(data[i])))
    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM) \
        + b"\x00" * 44 + b"\x00" * 4
    while len(entries) < n_dir * 4:
        entries.append(empty)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    assert len(header) == 512
    body = struct.pack("<128I", *fat) + b"".join(entries)
    for d, count in zip(data, sectors):
        body += d.ljust(count * 512, b"\x00")
    return header + body
