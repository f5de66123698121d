#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# gen_utf8_tables.py: writes lib/base/utf8_tables.h, the code point class and
# folding tables used by lib/base/utf8.c, from Python's unicodedata. Rerun it only
# to change a folding rule; the output is committed so builds need no Python.
#
# Usage: python3 scripts/gen_utf8_tables.py > lib/base/utf8_tables.h
import re
import sys
import unicodedata as ud

SEP, LETTER, DIGIT, MARK, IDEO, APOS, HYPHEN = range(7)
NAMES = ["SEP", "LETTER", "DIGIT", "MARK", "IDEO", "APOS", "HYPHEN"]

APOSTROPHES = {0x27, 0x2019, 0x02BC}
HYPHENS = {0x2D, 0x2010, 0x2011}
# Invisible format characters that may sit inside a word.
JOINERS = {0x00AD, 0x200C, 0x200D, 0x2060, 0x200E, 0x200F, 0xFEFF}

LATIN_SPECIAL = {
    "SHARP S": "ss", "ETH": "d", "THORN": "th", "ENG": "n", "KRA": "k",
    "SCHWA": "e", "EZH": "z", "WYNN": "w", "AE": "ae", "OE": "oe",
    "IJ": "ij", "DZ": "dz", "LJ": "lj", "NJ": "nj", "OU": "ou",
    "HV": "hv", "OI": "oi", "TS": "ts", "TZ": "tz", "AO": "ao", "AU": "au",
    "AV": "av", "AY": "ay", "OO": "oo", "VY": "vy", "UE": "ue", "FF": "ff",
    "FI": "fi", "FL": "fl", "FFI": "ffi", "FFL": "ffl", "ST": "st",
    "LONG S T": "st",
}
LATIN_NAME = re.compile(
    r"^LATIN (?:SMALL |CAPITAL )?(?:LETTER|LIGATURE) (?:SMALL CAPITAL )?"
    r"(?:TURNED |REVERSED |OPEN |CLOSED |DOTLESS |SCRIPT |BARRED |LONG |"
    r"INSULAR |SIDEWAYS |BROKEN |DOUBLE |MIDDLE-WELSH |BLACKLETTER )?"
    r"([A-Z]+(?: [A-Z])?)(?: WITH .*)?$")


def klass(cp):
    if cp in APOSTROPHES:
        return APOS
    if cp in HYPHENS:
        return HYPHEN
    if cp in JOINERS:
        return MARK
    if 0xD800 <= cp <= 0xDFFF:
        return SEP
    c = chr(cp)
    cat = ud.category(c)
    name = ud.name(c, "")
    if cat == "Nd":
        return DIGIT
    if cat == "No":
        d = ud.normalize("NFKD", c)
        return DIGIT if len(d) == 1 and d.isdigit() and d.isascii() else SEP
    if cat in ("Mn", "Me"):
        return MARK
    if cat[0] == "L" or cat in ("Nl", "Mc"):
        if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEO",
                            "HIRAGANA")):
            return IDEO
        return LETTER
    return SEP


def strip_marks(s):
    return "".join(ch for ch in s if ud.category(ch) not in ("Mn", "Me"))


def word_chars(s):
    return "".join(ch for ch in s
                   if ud.category(ch)[0] in "LN" and ord(ch) != 0x02BC)


def latin_fold(c):
    f = word_chars(strip_marks(ud.normalize("NFKD", c))).casefold()
    f = strip_marks(ud.normalize("NFKD", f))
    if f and f.isascii():
        return f
    name = ud.name(c, "")
    for key, val in LATIN_SPECIAL.items():
        if re.search(r"(?:LETTER|LIGATURE) (?:SMALL CAPITAL )?" + key +
                     r"(?: WITH .*)?$", name):
            return val
    m = LATIN_NAME.match(name)
    if m and len(m.group(1)) == 1:
        return m.group(1).lower()
    return f if f else c.casefold()


def fold(cp):
    c = chr(cp)
    k = klass(cp)
    if k == DIGIT:
        d = ud.normalize("NFKD", c)
        if d.isascii():
            return d
        return str(ud.digit(c, 0))
    if k in (MARK, SEP, APOS, HYPHEN):
        return ""
    if 0xAC00 <= cp <= 0xD7A3:
        return c
    name = ud.name(c, "")
    if cp == 0xB5:
        return "\u03bc"
    if name.startswith("LATIN") or 0xFF21 <= cp <= 0xFF5A:
        return latin_fold(c)
    if name.startswith("GREEK"):
        f = strip_marks(ud.normalize("NFKD", c)).casefold()
        f = word_chars(f)
        return f if f else c.casefold()
    if name.startswith("CYRILLIC"):
        f = c.casefold()
        return {"\u0451": "\u0435"}.get(f, f)
    f = word_chars(ud.normalize("NFKC", c)).casefold()
    return f if f else c.casefold()


def emit_class_table(out):
    blocks = {}
    stage1 = []
    stage2 = []
    for hi in range(0x110000 >> 8):
        blk = tuple(klass((hi << 8) | lo) for lo in range(256))
        if blk not in blocks:
            blocks[blk] = len(stage2)
            stage2.append(blk)
        stage1.append(blocks[blk])
    assert len(stage2) < 256
    out.append("static const uint8_t utf8_class_stage1[%d] = {" % len(stage1))
    for i in range(0, len(stage1), 16):
        out.append("    " + ", ".join(str(v) for v in stage1[i:i + 16]) + ",")
    out.append("};")
    out.append("")
    out.append("static const uint8_t utf8_class_stage2[%d][256] = {" %
               len(stage2))
    for blk in stage2:
        out.append("    {")
        for i in range(0, 256, 32):
            out.append("        " + ",".join(str(v) for v in blk[i:i + 32]) +
                       ",")
        out.append("    },")
    out.append("};")


def c_string(s):
    b = s.encode("utf-8")
    return '"' + "".join("\\x%02x" % x if x >= 0x80 or x < 0x20 else chr(x)
                         for x in b) + '"'


def emit_fold_tables(out):
    out.append("/* Folds of U+0080..U+024F (Latin-1 Supplement, Latin "
               "Extended-A/B); \"\" = not a word character. */")
    out.append("static const char utf8_fold_latin[%d][4] = {" % (0x250 - 0x80))
    row = []
    for cp in range(0x80, 0x250):
        f = fold(cp).encode("utf-8")
        assert len(f) <= 3, (hex(cp), f)
        row.append(c_string(fold(cp)))
        if len(row) == 8:
            out.append("    " + ", ".join(row) + ",")
            row = []
    out.append("};")
    out.append("")
    sparse = []
    maxlen = 0
    for cp in range(0x250, 0x110000):
        k = klass(cp)
        if k not in (LETTER, DIGIT, IDEO):
            continue
        f = fold(cp)
        if f == chr(cp):
            continue
        enc = f.encode("utf-8")
        if len(enc) > 7:
            continue
        maxlen = max(maxlen, len(enc))
        sparse.append((cp, f))
    out.append("/* Folds of word characters above U+024F that change; sorted "
               "by code point. */")
    out.append("static const struct utf8_fold_entry utf8_fold_sparse[%d] = {"
               % len(sparse))
    for cp, f in sparse:
        out.append("    {0x%04X, %s}," % (cp, c_string(f)))
    out.append("};")


def main():
    out = [
        "/* SPDX-License-Identifier: MIT */",
        "/* utf8_tables.h: GENERATED by scripts/gen_utf8_tables.py from "
        "Unicode %s;" % ud.unidata_version,
        " * do not edit. Code point classes (two-stage table over all of "
        "Unicode) and",
        " * case/accent folds, included only by utf8.c. */",
        "/* clang-format off */",
        "#ifndef GALEN_UTF8_TABLES_H",
        "#define GALEN_UTF8_TABLES_H",
        "",
        "struct utf8_fold_entry {",
        "    uint32_t cp;",
        "    char fold[8]; /* NUL-terminated UTF-8 */",
        "};",
        "",
    ]
    emit_class_table(out)
    out.append("")
    emit_fold_tables(out)
    out.append("")
    out.append("#endif")
    out.append("/* clang-format on */")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
