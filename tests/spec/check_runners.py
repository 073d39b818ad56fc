"""check_runners.py: the spec runners fail loudly: a malformed diff.md stops both with exit 2 naming the
line, and a case whose expectation is wrong fails with exit 1 naming the case.

Usage: check_runners.py SPEC_DIFF_BINARY   (the gate binary: $GATE_BIN)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INTRO = "# spec\n\n---\n\n"
GOOD = "## sell to tell\n\nverdict: material\nremoved: sell\nadded: tell\n\nold\n```\nWe sell data.\n```\n\nnew\n```\nWe tell data.\n```\n"

# name: (text, the line the error names[, words the error holds])
MALFORMED = {
    "no verdict": (INTRO + "## a\n\nold\n```\nx\n```\nnew\n```\ny\n```\n", 5),
    "unknown key": (INTRO + "## a\n\nverdict: material\nverdit: x\n", 8),
    "unclosed fence": (INTRO + "## a\n\nverdict: material\nold\n```\nx\n", 10),
    "fence without label": (INTRO + "## a\n\nverdict: material\n```\nx\n```\n", 8),
    "bad verdict": (INTRO + "## a\n\nverdict: maybe\nold\n```\nx\n```\nnew\n```\ny\n```\n", 5),
    "duplicate name": (INTRO + GOOD + "\n" + GOOD, 21),
    "bad escape": (INTRO + "## a\n\nverdict: material\nold\n```text escaped\n\\q\n```\nnew\n```\ny\n```\n", 10,
                   "unknown escape '\\q'"),
    "no new block": (INTRO + "## a\n\nverdict: material\nold\n```\nx\n```\n", 5),
    "no introduction": ("## a\n", 1),
}


def run(cmd, path):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run(cmd + [path], capture_output=True, env=env)
    # strict: a runner must never print bytes that are not UTF-8
    r.stdout, r.stderr = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")
    return r


def main():
    spec_bin = sys.argv[1]
    runners = [[spec_bin], [sys.executable, os.path.join(HERE, "spec_diff.py")]]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="gate-spec-check-") as tmp:
        path = os.path.join(tmp, "diff.md")
        for name, (text, line, *words) in MALFORMED.items():
            with open(path, "w") as f:
                f.write(text)
            for cmd in runners:
                r = run(cmd, path)
                if r.returncode != 2 or (":%d:" % line) not in r.stderr or any(w not in r.stderr for w in words):
                    failures += 1
                    print("FAIL %s with %s: exit %d, stderr %r" % (name, cmd[-1], r.returncode, r.stderr))
        with open(path, "w") as f:
            f.write(INTRO + GOOD + "\n" + GOOD.replace("## sell to tell", "## wrong").replace("verdict: material", "verdict: editorial"))
        for cmd in runners:
            r = run(cmd, path)
            if r.returncode != 1 or "FAIL wrong" not in r.stdout or "1 passed, 1 failed" not in r.stdout:
                failures += 1
                print("FAIL a wrong case with %s: exit %d, stdout %r, stderr %r" % (cmd[-1], r.returncode, r.stdout, r.stderr))
    print("%d passed, %d failed" % (len(MALFORMED) * 2 + 2 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
