"""spec_diff.py: checks every case of tests/spec/diff.md through the command line
(`gate diff --no-index --format json OLD NEW`).

Usage: spec_diff.py [DIFF.md [NAME-SUBSTRING]]   (the gate binary: $GATE_BIN, else `gate`)
Prints one line per failing case, then "N passed, M failed". Exits 0 when every
case passes, 1 when one fails, 2 when the file is malformed (naming the line).
It reads diff.md exactly as spec_diff.c does; the format is described there.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

KEYS = ("verdict", "removed", "added", "scope", "reasons", "hints")
TRIMS = ".,;:!?\"'()[]{}*_`\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026"
MARKS = set("-#>*+_`~=|")
SPACE = re.compile(r"[ \t\n\r\v\f\u00a0]+")
KEY = re.compile(r"^([a-z][a-z-]*):(.*)$")


class Malformed(Exception):
    pass


def unescape(line, lineno):
    out, i = [], 0
    while i < len(line):
        ch = line[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        i += 1
        if i >= len(line):
            raise Malformed("%d: a line ends with a lone backslash" % lineno)
        e = line[i]
        if e in "rtn\\":
            out.append({"r": "\r", "t": "\t", "n": "\n", "\\": "\\"}[e])
            i += 1
        elif e == "u":
            m = re.match(r"u\{([0-9A-Fa-f]+)\}", line[i:])
            if not m:
                raise Malformed("%d: \\u wants braces and hexadecimal digits: \\u{00A0}" % lineno)
            cp = int(m.group(1), 16)
            if 0xD800 <= cp <= 0xDFFF or cp > 0x10FFFF:
                raise Malformed("%d: \\u{%s} is not a character" % (lineno, m.group(1)))
            out.append(chr(cp))
            i += len(m.group(0))
        else:
            raise Malformed("%d: unknown escape '\\%s'; use \\r, \\t, \\n, \\\\ or \\u{XXXX}" % (lineno, e))
    return "".join(out)


def parse(text):
    """The cases of diff.md, as dicts; raises Malformed naming the line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cases, case, started, i = [], None, False, 0

    def complete(c):
        if "verdict" not in c:
            raise Malformed("%d: case '%s' has no verdict: line" % (c["line"], c["name"]))
        if "old" not in c or "new" not in c:
            raise Malformed("%d: case '%s' needs an old and a new block" % (c["line"], c["name"]))

    while i < len(lines):
        line, lineno = lines[i], i + 1
        if line.endswith("\r"):
            raise Malformed("%d: diff.md itself must use LF line breaks" % lineno)
        if not started:
            started = line == "---"
        elif line.startswith("## ") and len(line) > 3:
            if case:
                complete(case)
            case = {"name": line[3:], "line": lineno}
            if any(c["name"] == case["name"] for c in cases):
                raise Malformed("%d: a second case named '%s'" % (lineno, case["name"]))
            cases.append(case)
        elif case is None:
            if line and line != "---":
                raise Malformed("%d: text after --- must belong to a case (## name)" % lineno)
        elif line in ("old", "new"):
            side = line
            if side in case:
                raise Malformed("%d: case '%s' has two blocks of that side" % (lineno, case["name"]))
            i += 1
            while i < len(lines) and lines[i] == "":
                i += 1
            if i >= len(lines):
                raise Malformed("%d: 'old'/'new' must be followed by a fenced block" % lineno)
            if not lines[i].startswith("```"):
                raise Malformed("%d: expected a fenced block (```) after 'old'/'new'" % (i + 1))
            info = lines[i][3:]
            if "`" in info:
                raise Malformed("%d: a fence's info string cannot hold a backtick" % (i + 1))
            flags = info.split(" ")
            body = []
            i += 1
            while True:
                if i >= len(lines):
                    raise Malformed("%d: the fenced block of case '%s' is not closed" % (i, case["name"]))
                if lines[i] == "```":
                    break
                body.append(unescape(lines[i], i + 1) if "escaped" in flags else lines[i])
                i += 1
            value = "\n".join(body)
            if body and "noeol" not in flags:
                value += "\n"
            case[side] = value
        elif line.startswith("```"):
            raise Malformed("%d: a fenced block must follow a line 'old' or 'new'" % lineno)
        else:
            m = KEY.match(line)
            if m:
                key, value = m.group(1), m.group(2).lstrip(" ")
                if key not in KEYS:
                    raise Malformed("%d: unknown key '%s'" % (lineno, key))
                if key in case:
                    raise Malformed("%d: key '%s' given twice" % (lineno, key))
                if not value:
                    raise Malformed("%d: a key without a value" % lineno)
                case[key] = value
        i += 1
    if case:
        complete(case)
    if not started:
        raise Malformed("%d: no line '---' ends the introduction" % len(lines))
    for c in cases:
        if c["verdict"] not in ("material", "editorial", "identical"):
            raise Malformed("%d: verdict '%s' is not material, editorial or identical" % (c["line"], c["verdict"]))
        if c.get("scope", "material") not in ("material", "all"):
            raise Malformed("%d: scope '%s' is not material or all" % (c["line"], c["scope"]))
    return cases


def words(text):
    """The words of `text`, normalised as diff.md says."""
    out = []
    for tok in SPACE.split(text):
        if not tok or all(ch in MARKS for ch in tok):
            continue
        tok = tok.strip(TRIMS)
        if tok:
            out.append(tok)
    return out


def matches(got, alternatives):
    return any(got == ([] if alt.strip() == "-" else words(alt)) for alt in alternatives.split(" | "))


def check(case, gate, tmp):
    """None when the case passes, else why not."""
    old, new = os.path.join(tmp, "old.md"), os.path.join(tmp, "new.md")
    for path, text in ((old, case["old"]), (new, case["new"])):
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATE_")}
    proc = subprocess.run([gate, "diff", "--no-index", "--format", "json", old, new],
                          capture_output=True, env=env, timeout=120)
    if proc.returncode != 0:
        return "gate diff exited %d: %s" % (proc.returncode, proc.stderr.decode("utf-8", "replace").strip())
    try:
        d = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return "gate diff printed no valid JSON: %s" % e
    scope_all = case.get("scope") == "all"
    removed, added, reasons, hints = [], [], set(), set()
    for ch in d["changes"]:
        if ch["kind"] == "material":
            hints.update(ch["hints"])
        else:
            reasons.update(ch["editorial"])
        if scope_all or ch["kind"] == "material":
            removed += words(ch["removed"])
            added += words(ch["added"])
    n = len(d["changes"])
    if case["verdict"] == "material" and d["material"] is not True:
        return "verdict: expected material, got editorial (%d changes)" % n
    if case["verdict"] != "material" and d["material"] is not False:
        return "verdict: expected %s, got material (removed %r, added %r)" % (case["verdict"], removed, added)
    if case["verdict"] == "identical" and n:
        return "verdict: expected identical, got %d changes" % n
    if "removed" in case and not matches(removed, case["removed"]):
        return "removed words: expected '%s', got '%s'" % (case["removed"], " ".join(removed))
    if "added" in case and not matches(added, case["added"]):
        return "added words: expected '%s', got '%s'" % (case["added"], " ".join(added))
    for name in filter(None, re.split(r"[, ]+", case.get("reasons", ""))):
        if name not in reasons:
            return "editorial reason '%s' not reported" % name
    for name in filter(None, re.split(r"[, ]+", case.get("hints", ""))):
        if name not in hints:
            return "hint '%s' not reported on a material change" % name
    return None


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    path = argv[1] if len(argv) > 1 else os.path.join(here, "diff.md")
    only = argv[2] if len(argv) > 2 else None
    gate = os.environ.get("GATE_BIN", "gate")
    try:
        with open(path, encoding="utf-8") as f:
            cases = parse(f.read())
    except Malformed as e:
        print("%s:%s" % (path, e), file=sys.stderr)
        return 2
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="gate-spec-") as tmp:
        for case in cases:
            if only and only not in case["name"]:
                continue
            why = check(case, gate, tmp)
            if why:
                failed += 1
                print("FAIL %s (%s:%d): %s" % (case["name"], path, case["line"], why))
            else:
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
