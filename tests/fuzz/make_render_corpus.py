"""make_render_corpus.py: seeds corpus/render/ with every case of tests/spec/diff.md, under a few
render flags, in fuzz_render.c's input form (flags byte, old text, NUL, new text).
Files are named by the SHA-1 of their contents, so running it twice adds nothing."""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import spec_diff  # noqa: E402


def main():
    out = os.path.join(HERE, "corpus", "render")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(HERE, "..", "spec", "diff.md"), encoding="utf-8") as f:
        cases = spec_diff.parse(f.read())
    written = 0
    for i, case in enumerate(cases):
        flags = (0, 1, 2, 4, 7, 0x18)[i % 6]
        data = bytes([flags]) + case["old"].encode("utf-8") + b"\0" + case["new"].encode("utf-8")
        name = os.path.join(out, hashlib.sha1(data).hexdigest())
        if not os.path.exists(name):
            with open(name, "wb") as f:
                f.write(data)
            written += 1
    print("%d seeds written to %s" % (written, out))


if __name__ == "__main__":
    main()
