#!/usr/bin/env python3
"""Generate shared/src/render/ocrb.rs from the OCR-B font.

Run by hand, from the repository root, when the font changes:

    pip install fonttools
    python3 shared/gen/gen_ocrb.py            # rewrite shared/src/render/ocrb.rs
    python3 shared/gen/gen_ocrb.py --check    # exit 1 if the committed file is stale

Reads /work/shared/fonts/OCRB.otf (override with --font), a CFF-flavoured OpenType
font (Debian `fonts-ocr-b`, public domain), and writes, for the characters 32..=255
(printable ASCII and Latin-1), whether the font has a glyph for each and, where it has,
the glyph's advance width and outline as path commands in font units. The renderer
draws text from these outlines, so no output format needs a font file and no crate
needs a font parser at run time.

OCR-B holds all of printable ASCII but only part of Latin-1 (e.g. A-, O- and U-umlaut,
sharp s, AE and O-slash, but no acute or grave letters); a character it does not hold
is written as not held, with no outline, and the renderer prints a stand-in for it.
U+00A0 (no-break space) is drawn as the space, which is what it looks like.
Control characters (127..=159) have no glyph by nature.

The output is deterministic: same font in, same bytes out (no dates, no dict order).
fontTools is only needed here; the Rust build never runs this script.
"""

import argparse
import os
import sys

from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FONT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fonts", "OCRB.otf")
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "src", "render", "ocrb.rs"))
FIRST, LAST = 32, 255
# Characters drawn with another character's glyph: the no-break space is a space.
SAME_AS = {0xA0: 0x20}

LICENCE_NOTE = """\
// Font licence (from OCRB.copyright, Debian package fonts-ocr-b):
//   OCR-B outlines: Copyright 2012 Matthew Skala. License: public-domain.
//     "This file is released to the public domain by its author, Matthew Skala."
//   Based on the METAFONT sources msk-ocrb*.mp: Copyright 1995, 2010 Norbert Schwarz.
//     License: permissive. "You may freely use, modify and/or distribute this file,
//     without limitation."
//   Upstream: https://tsukurimashou.osdn.jp/ocr.php"""


def as_int(v, what):
    """Font units are integers in this font; refuse to round silently."""
    r = round(v)
    if abs(v - r) > 1e-9:
        sys.exit(f"gen_ocrb: non-integer coordinate {v} in {what}")
    return int(r)


def glyph_commands(glyph_set, name):
    """Path commands of one glyph as (letter, [coords...]) with M, L, Q, C, Z."""
    pen = RecordingPen()
    glyph_set[name].draw(pen)
    out = []
    for op, pts in pen.value:
        if op == "moveTo":
            letter = "M"
        elif op == "lineTo":
            letter = "L"
        elif op == "qCurveTo":
            if len(pts) != 2:
                sys.exit(f"gen_ocrb: implied-point quadratic in {name}")
            letter = "Q"
        elif op == "curveTo":
            if len(pts) != 3:
                sys.exit(f"gen_ocrb: poly-bezier curveTo in {name}")
            letter = "C"
        elif op in ("closePath", "endPath"):
            letter = "Z"
        else:
            sys.exit(f"gen_ocrb: unexpected pen op {op} in {name}")
        coords = [as_int(c, name) for pt in pts for c in pt]
        out.append((letter, coords))
    return out


def generate(font_path):
    font = TTFont(font_path)
    upem = font["head"].unitsPerEm
    ascender = font["hhea"].ascent
    descender = font["hhea"].descent
    cap_height = font["OS/2"].sCapHeight
    cmap = font.getBestCmap()
    glyph_set = font.getGlyphSet()
    hmtx = font["hmtx"]
    family = font["name"].getDebugName(4) or font["name"].getDebugName(1)
    version = (font["name"].getDebugName(5) or "?").strip()

    advances, op_starts, coord_starts, held = [], [0], [0], []
    ops, coords_lines = [], []
    n_ops = n_coords = 0
    for code in range(FIRST, LAST + 1):
        name = cmap.get(SAME_AS.get(code, code))
        if name is None and code < 127:
            sys.exit(f"gen_ocrb: font has no glyph for ASCII U+{code:04X}")
        held.append(name is not None)
        advances.append(hmtx[name][0] if name is not None else 0)
        blank = name is None or SAME_AS.get(code, code) == 32
        cmds = [] if blank else glyph_commands(glyph_set, name)
        glyph_coords = []
        for letter, cs in cmds:
            ops.append(letter)
            glyph_coords.extend(cs)
        n_ops += len(cmds)
        n_coords += len(glyph_coords)
        op_starts.append(n_ops)
        coord_starts.append(n_coords)
        shown = chr(code)
        body = ", ".join(str(c) for c in glyph_coords)
        coords_lines.append((code, shown, body))

    if n_ops > 0xFFFF or n_coords > 0xFFFF:
        sys.exit("gen_ocrb: tables too large for u16 indices")

    font_file = os.path.basename(font_path)
    out = []
    w = out.append
    w(f"// @generated by shared/gen/gen_ocrb.py from {font_file} ({family}, {version}).")
    w("// DO NOT EDIT: change the generator or the font, then run")
    w("//     python3 shared/gen/gen_ocrb.py")
    w("// (`--check` fails if this file is stale).")
    w("//")
    w(LICENCE_NOTE)
    w("")
    w("//! OCR-B glyph metrics and outlines for the characters 32..=255 (printable ASCII")
    w("//! and Latin-1) that the font holds, in font units (y up, baseline at 0), generated")
    w("//! from the font so that every backend can draw text as paths without a font file.")
    w("//!")
    w("//! Character `c` has a glyph when [`HAS_GLYPH`]`[c - 32]`; OCR-B holds all of")
    w("//! printable ASCII but only part of Latin-1, and no control character (127..=159).")
    w("//! Glyph `c` has advance [`ADVANCE`]`[c - 32]`, path commands")
    w("//! `OPS[OP_START[i]..OP_START[i + 1]]` (one ASCII letter each: `M` move, `L` line,")
    w("//! `Q` quadratic, `C` cubic, `Z` close) and coordinates")
    w("//! `COORDS[COORD_START[i]..COORD_START[i + 1]]` (x, y pairs: 1 pair for M/L, 2 for Q,")
    w("//! 3 for C, none for Z).")
    w("")
    w(f"/// Font units per em.")
    w(f"pub const UNITS_PER_EM: u16 = {upem};")
    w(f"/// Ascender (hhea), font units above the baseline.")
    w(f"pub const ASCENDER: i16 = {ascender};")
    w(f"/// Descender (hhea), font units (negative: below the baseline).")
    w(f"pub const DESCENDER: i16 = {descender};")
    w(f"/// Height of capital letters and digits (OS/2 sCapHeight), font units.")
    w(f"pub const CAP_HEIGHT: i16 = {cap_height};")
    w(f"/// First character in the tables.")
    w(f"pub const FIRST_CHAR: u8 = {FIRST};")
    w(f"/// Last character in the tables.")
    w(f"pub const LAST_CHAR: u8 = {LAST};")
    w("")
    w(f"/// Whether the font has a glyph for the character, indexed by `char - FIRST_CHAR`")
    w(f"/// (one line per 16 characters; U+00A0 is the space's glyph).")
    w("#[rustfmt::skip]")
    w(f"pub static HAS_GLYPH: [bool; {len(held)}] = [")
    for i in range(0, len(held), 16):
        row = ", ".join("true" if h else "false" for h in held[i:i + 16])
        w(f"    {row}, // {FIRST + i:#04x}")
    w("];")
    w("")
    w(f"/// Advance widths, font units, indexed by `char - FIRST_CHAR` (0 where there is no glyph).")
    w(f"pub static ADVANCE: [u16; {len(advances)}] = [")
    for i in range(0, len(advances), 12):
        w("    " + ", ".join(str(a) for a in advances[i:i + 12]) + ",")
    w("];")
    w("")
    w(f"/// Start of each glyph's commands in [`OPS`]; the last entry is `OPS.len()`.")
    w(f"pub static OP_START: [u16; {len(op_starts)}] = [")
    for i in range(0, len(op_starts), 12):
        w("    " + ", ".join(str(a) for a in op_starts[i:i + 12]) + ",")
    w("];")
    w("")
    w(f"/// Start of each glyph's coordinates in [`COORDS`]; the last entry is `COORDS.len()`.")
    w(f"pub static COORD_START: [u16; {len(coord_starts)}] = [")
    for i in range(0, len(coord_starts), 12):
        w("    " + ", ".join(str(a) for a in coord_starts[i:i + 12]) + ",")
    w("];")
    w("")
    w("/// Path commands of all glyphs, in character order.")
    w("pub static OPS: &[u8] = b\"\\")
    op_str = "".join(ops)
    for i in range(0, len(op_str), 88):
        w(op_str[i:i + 88] + "\\")
    w("\";")
    w("")
    w("/// Coordinates of all glyphs, in character order, one line per glyph.")
    w("#[rustfmt::skip]")
    w(f"pub static COORDS: [i16; {n_coords}] = [")
    for code, shown, body in coords_lines:
        if body:
            w(f"    // {code} {shown!r}")
            w(f"    {body},")
    w("];")
    w("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--font", default=DEFAULT_FONT)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if regenerating would change the output file")
    args = ap.parse_args()
    text = generate(args.font)
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"gen_ocrb: {args.out} is stale; run shared/gen/gen_ocrb.py", file=sys.stderr)
            sys.exit(1)
        print(f"gen_ocrb: {args.out} is up to date")
        return
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"gen_ocrb: wrote {args.out}")


if __name__ == "__main__":
    main()
