"""scratch.py: scratch policy sources for the examples' tests: a repository made with the built `gate`,
a pack made from it with `gate pack`, or (in the client build, which cannot publish) a pack written by
tests/cli/packformat.py, the suite's independent implementation of docs/pack-format.md.

    python3 scratch.py pack OUT.pack     writes SMALL as a pack, for tests/consumer/run.sh"""
import datetime
import hashlib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import packformat  # noqa: E402

MATERIAL, EDITORIAL = 2, 1
AUTHOR = ("Test Publisher", "publisher@example.org")


class Version:
    """One version to publish: `change` is the verdict the diff engine must reach on it."""

    def __init__(self, doc, text, change, published, effective=None):
        self.doc, self.text, self.change = doc, text, change
        self.published, self.effective = published, effective or published


PRIVACY_1 = ("# Privacy notice\n\nLast updated: 5 January 2026\n\n"
             "We keep your diary for six years after you close your account.\n\n"
             "We share your readings with your clinic only.\n")
PRIVACY_2 = ("# Privacy notice\n\nLast updated: 2 March 2026\n\n"
             "We keep your diary for eight years after you close your account.\n\n"
             "We share your readings with your clinic only.\n")
TERMS_1 = "# Terms of use\n\nYou must be 16 or older to use the app.\n"

# privacy v1, then a material v2 ("six" became "eight"); terms v1. All in force since early 2026.
SMALL = [Version("privacy", PRIVACY_1, MATERIAL, "2026-01-05"),
         Version("privacy", PRIVACY_2, MATERIAL, "2026-03-02"),
         Version("terms", TERMS_1, MATERIAL, "2026-01-05")]


def ms(day, hour=0):
    d = datetime.datetime.strptime(day, "%Y-%m-%d").replace(hour=hour, tzinfo=datetime.timezone.utc)
    return int(d.timestamp()) * 1000


def times(v):
    """(published, effective) in ms, as make_repository() publishes: at 09:00 on the day published, in
    force then, or from midnight of a later effective day."""
    published = ms(v.published, 9)
    return published, published if v.effective == v.published else ms(v.effective)


def git_blob_id(text):
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def write_pack(path, versions):
    """A pack of `versions` (default locale en-GB only), as `gate pack` would write it."""
    texts, docs = {}, {}
    for v in versions:
        n = len(docs.setdefault(v.doc, [])) + 1
        blob = git_blob_id(v.text)
        texts[blob] = v.text.encode()
        commit = hashlib.sha1(("commit %s %d" % (v.doc, n)).encode()).hexdigest()
        tag = hashlib.sha1(("tag %s %d" % (v.doc, n)).encode()).hexdigest()
        published, effective = times(v)
        docs[v.doc].append({"n": n, "change": v.change, "detected": v.change, "published": published,
                            "effective": effective, "tag": tag, "commit": commit,
                            "summary": "%s v%d" % (v.doc, n), "reason": None, "publisher": AUTHOR,
                            "locales": [("en-GB", blob)]})
    payload = packformat.write_payload([("gate.defaultlocale", "en-GB")], texts, docs)
    with open(path, "wb") as f:
        f.write(packformat.seal(payload, created=times(versions[-1])[0]))
    return path


def gate_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATE_")}
    env.update({"GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1], "NO_COLOR": "1"})
    return env


def run_gate(gate, *args, now=None):
    env = gate_env()
    if now:
        env["GATE_NOW"] = now + "T09:00:00Z"
    proc = subprocess.run([gate] + list(args), capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError("gate %s: exit %d: %s" % (" ".join(args), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def make_repository(path, gate, versions):
    """Publishes `versions` in order with the built `gate`, at their dates, and checks each verdict."""
    run_gate(gate, "init", path, now=versions[0].published)
    for i, v in enumerate(versions):
        # The file's name says its locale.
        text = os.path.join(os.path.dirname(path), "draft-%d" % i, "en-GB.md")
        os.makedirs(os.path.dirname(text))
        with open(text, "w") as f:
            f.write(v.text)
        args = ["-C", path, "publish", v.doc, text]
        if v.effective != v.published:
            args += ["--effective", v.effective]
        out = run_gate(gate, *args, now=v.published)
        detected = re.search(r"\((material|editorial),", out).group(1)
        want = "material" if v.change == MATERIAL else "editorial"
        if detected != want:
            raise RuntimeError("%s was published as %s; the test expected %s" % (v.doc, detected, want))
    return path


def make(tmp, gate, with_git, versions=SMALL, pack=False):
    """A policy source in `tmp`: a repository, or a pack (always a pack without git)."""
    if not with_git:
        return write_pack(os.path.join(tmp, "policies.pack"), versions)
    repo = make_repository(os.path.join(tmp, "policies"), gate, versions)
    if not pack:
        return repo
    out = os.path.join(tmp, "policies.pack")
    run_gate(gate, "-C", repo, "pack", "-o", out)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "pack":
        sys.exit("usage: scratch.py pack OUT.pack")
    write_pack(sys.argv[2], SMALL)
