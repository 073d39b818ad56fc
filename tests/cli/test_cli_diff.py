"""test_cli_diff.py: gate diff: two files (--no-index) or two versions, its formats, -o, --exit-code and its errors."""
import html.parser
import json
import os
import pty
import re
import shutil
import subprocess
import unittest

import packformat
from gatetest import GATE, GateTestCase, WITH_GIT, main

OLD = """# Privacy notice

Last updated: 1 March 2026

## Sharing

We will not sell your personal data to advertisers.

## Retention

We keep your notes for as long as you have an account.
"""

NEW = """# Privacy notice

Last updated: 2 April 2026

## Sharing

We will now sell your personal data to advertisers.

## Retention

We keep your notes for as long as you have an account.
"""

EDITORIAL = OLD.replace("We will not sell", "We will  not\nsell").replace("1 March 2026", "9 May 2026")


class Balance(html.parser.HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""
    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append("unexpected </%s> at %s" % (tag, self.getpos()))

    def handle_data(self, data):
        self.text.append(data)


def check_page(test, page):
    """The page's tags nest properly; returns its text."""
    b = Balance()
    b.feed(page)
    b.close()
    test.assertEqual(b.errors, [])
    test.assertEqual(b.stack, [])
    return "".join(b.text)


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), capture_output=True, text=True, check=True).stdout


class DiffFilesTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.old = self.write("old.md", OLD)
        self.new = self.write("new.md", NEW)

    def test_text_starts_with_the_verdict_and_shows_the_lines(self):
        r = self.assertOk(self.gate("diff", "--no-index", self.old, self.new))
        lines = r.out.splitlines()
        self.assertRegex(lines[0], r"^material: 1 material change(, 1 editorial)?$")
        self.assertEqual(lines[1], "--- " + self.old)
        self.assertEqual(lines[2], "+++ " + self.new)
        self.assertIn("-We will not sell your personal data to advertisers.", lines)
        self.assertIn("+We will now sell your personal data to advertisers.", lines)
        header = [l for l in lines if "-We will not" in l or l.startswith("@@")]
        self.assertTrue(any(re.match(r"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@ Sharing \u00b7 material", l) for l in header), r.out)
        self.assertNotIn("\033", r.out)

    def test_word_json_and_html_formats(self):
        w = self.assertOk(self.gate("diff", "--no-index", "--format", "word", self.old, self.new)).out
        self.assertIn("We will [-not-]{+now+} sell your personal data to advertisers.\n", w)
        self.assertRegex(w, r"(?m)^@@ -\d+,\d+ \+\d+,\d+ @@")
        for args in (["--format", "json"], ["--json"], ["--json", "--format", "json"]):
            j = self.assertOk(self.gate("diff", "--no-index", *args, self.old, self.new)).json()
            self.assertIs(j["material"], True)
            self.assertEqual(j["from"]["label"], self.old)
            self.assertEqual(j["to"]["label"], self.new)
            self.assertIsNone(j["to"]["doc"])
            self.assertIsNone(j["to"]["version"])
            material = [c for c in j["changes"] if c["kind"] == "material"]
            self.assertEqual([(c["removed"], c["added"], c["section"]) for c in material], [("not", "now", "Sharing")])
            self.assertIn("sharing", material[0]["categories"])
            self.assertEqual(material[0]["old_line"], 7)
            for key in ("changes", "material", "editorial", "words_removed", "words_added", "old_bytes", "new_bytes"):
                self.assertIn(key, j["stats"])
        h = self.assertOk(self.gate("diff", "--no-index", "--format", "html", self.old, self.new)).out
        self.assertTrue(h.startswith("<!DOCTYPE html>\n<html lang=\"en\">"))
        text = check_page(self, h)
        self.assertIn("removed: not", text)
        self.assertIn("added: now", text)
        self.assertIn("<title>What changed</title>", h)
        self.assertIn("1 change that affects you", h)
        self.assertNotIn("<script", h)
        self.assertNotRegex(h, r"(src|href)\s*=|url\(|@import|<link")
        t = self.assertOk(self.gate("diff", "--no-index", "--format", "html", "--title", "What's new <here>",
                                    "--lang", "cy-GB", self.old, self.new)).out
        self.assertIn("<title>What&#39;s new &lt;here&gt;</title>", t)
        self.assertIn('<html lang="cy-GB">', t)

    def test_word_format_reads_like_gits(self):
        if not shutil.which("git"):
            self.skipTest("git is not installed")
        lines = ["Line %d says what we do with your notes today" % i for i in range(1, 31)]
        new = list(lines)
        new[2] = new[2].replace("with", "about")
        new[14] = new[14].replace("what", "how")
        del new[22]
        new.insert(27, "A new line about backups stands here")
        a = self.write("a.txt", "\n".join(lines) + "\n")
        b = self.write("b.txt", "\n".join(new) + "\n")
        mine = self.assertOk(self.gate("diff", "--no-index", "--format", "word", a, b)).out
        theirs = subprocess.run(["git", "diff", "--no-index", "--no-color", "--word-diff=plain", a, b],
                                capture_output=True, text=True).stdout

        def hunks(out):
            body = out[out.index("\n@@ ") + 1:]
            return re.sub(r"(?m)^(@@ [^@]* @@).*$", r"\1", body)
        self.assertEqual(hunks(mine), hunks(theirs))
        self.assertEqual(mine.splitlines()[:2], ["--- " + a, "+++ " + b])

    def test_material_only_and_context(self):
        e = self.write("editorial.md", EDITORIAL)
        j = self.assertOk(self.gate("diff", "--no-index", "--json", self.old, e)).json()
        self.assertIs(j["material"], False)
        self.assertTrue(j["changes"])
        self.assertTrue(all(c["kind"] == "editorial" for c in j["changes"]))
        self.assertTrue(any("date-line" in c["editorial"] for c in j["changes"]), j["changes"])
        j = self.assertOk(self.gate("diff", "--no-index", "--json", "--material-only", self.old, e)).json()
        self.assertEqual(j["changes"], [])
        self.assertGreater(j["stats"]["editorial"], 0)
        t = self.assertOk(self.gate("diff", "--no-index", "--material-only", self.old, e)).out
        self.assertRegex(t.splitlines()[0], r"^editorial: \d+ editorial changes?, none material$")
        self.assertNotIn("@@", t)
        both = self.assertOk(self.gate("diff", "--no-index", "--context", "0", "--material-only", self.old, self.new)).out
        self.assertEqual([l[0] for l in both.splitlines()[3:]], ["@", "-", "+"])
        wide = self.assertOk(self.gate("diff", "--no-index", "--context", "20", "--material-only", self.old, self.new)).out
        self.assertIn(" # Privacy notice\n", wide)
        self.assertIn(" We keep your notes for as long as you have an account.\n", wide)

    def test_identical_files(self):
        r = self.assertOk(self.gate("diff", "--no-index", self.old, self.write("same.md", OLD)))
        self.assertEqual(r.out, "identical: no changes\n")
        self.assertEqual(self.gate("diff", "--no-index", "--format", "word", self.old, self.old).out, "")
        self.assertIn("Nothing has changed.", self.gate("diff", "--no-index", "--format", "html", self.old, self.old).out)

    def test_standard_input_once(self):
        r = self.assertOk(self.gate("diff", "--no-index", "--json", "-", self.new, stdin=OLD))
        self.assertEqual(r.json()["from"]["label"], "(standard input)")
        self.assertIs(r.json()["material"], True)
        r = self.assertOk(self.gate("diff", "--no-index", "--json", self.old, "-", stdin=OLD))
        self.assertEqual(r.json()["changes"], [])
        self.assertFails(self.gate("diff", "--no-index", "-", "-", stdin=OLD), 2, "only one of the two files")

    def test_output_file_is_written_whole(self):
        out = self.path("out", "diff.html")
        os.makedirs(self.path("out"))
        self.write("out/diff.html", "old contents")
        r = self.assertOk(self.gate("diff", "--no-index", "--format", "html", "-o", out, self.old, self.new))
        self.assertEqual(r.out, "")
        with open(out) as f:
            self.assertTrue(f.read().endswith("</html>\n"))
        self.assertEqual(os.listdir(self.path("out")), ["diff.html"])
        mask = os.umask(0)
        os.umask(mask)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o666 & ~mask)
        # colour is for a terminal, never for a file, even if asked by a terminal session
        self.assertOk(self.gate("diff", "--no-index", "--output", out, self.old, self.new))
        with open(out) as f:
            self.assertNotIn("\033", f.read())
        r = self.assertFails(self.gate("diff", "--no-index", "-o", self.path("missing", "x.txt"), self.old, self.new), 1)
        self.assertIn("cannot write", r.err)
        self.assertIn("missing", r.err)
        r = self.assertFails(self.gate("diff", "--no-index", "-o", self.path("out"), self.old, self.new), 1)
        self.assertEqual(os.listdir(self.path("out")), ["diff.html"])

    def test_exit_code_says_material(self):
        self.assertEqual(self.gate("diff", "--no-index", "--exit-code", self.old, self.new).code, 3)
        self.assertEqual(self.gate("diff", "--no-index", "--exit-code", self.old, self.write("e.md", EDITORIAL)).code, 0)
        self.assertEqual(self.gate("diff", "--no-index", self.old, self.new).code, 0)

    def test_errors_are_one_line(self):
        r = self.assertFails(self.gate("diff", "--no-index", self.path("nope.md"), self.new), 1)
        self.assertIn("nope.md", r.err)
        bad = self.write("bad.md", b"We keep \xff\xfe data.\n")
        r = self.assertFails(self.gate("diff", "--no-index", self.old, bad), 1)
        self.assertIn("bad.md", r.err)
        self.assertIn("UTF-8", r.err)
        r = self.assertFails(self.gate("diff", "--no-index", bad, self.new), 1)
        self.assertIn("bad.md", r.err)
        nul = self.write("nul.md", b"We keep\x00 data.\n")
        self.assertIn("nul.md", self.assertFails(self.gate("diff", "--no-index", self.old, nul), 1).err)

    def test_usage_errors_exit_2(self):
        for args in (["--no-index", self.old], ["--no-index", self.old, self.new, self.old],
                     ["--no-index", "--format", "pdf", self.old, self.new],
                     ["--no-index", "--json", "--format", "html", self.old, self.new],
                     ["--no-index", "--context", "many", self.old, self.new],
                     ["--no-index", "--context", "-1", self.old, self.new],
                     ["--no-index", "--locale", "en-GB", self.old, self.new],
                     ["privacy", "x"], ["privacy", "1", "2", "3"], [], ["--bogus"]):
            with self.subTest(args=args):
                r = self.gate("diff", *args)
                self.assertEqual(r.code, 2, repr(r))
                self.assertIn("usage: gate diff", r.err)

    def test_colour_on_a_terminal_only(self):
        def on_tty(env_extra):
            env = dict(self.env)
            env.pop("NO_COLOR", None)
            env.update(env_extra)
            master, slave = pty.openpty()
            p = subprocess.Popen([GATE, "diff", "--no-index", "--context", "0", self.old, self.new],
                                 stdout=slave, stderr=subprocess.PIPE, env=env)
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            p.wait(timeout=60)
            os.close(master)
            return b"".join(chunks).decode("utf-8")

        coloured = on_tty({})
        self.assertIn("\033[1mnot\033[22m", coloured)
        self.assertIn("\033[1mnow\033[22m", coloured)
        self.assertNotIn("\033", on_tty({"NO_COLOR": "1"}))

    def test_help(self):
        r = self.assertOk(self.gate("diff", "--help"))
        self.assertIn("--no-index", r.out)
        self.assertIn("--exit-code", r.out)
        self.assertIn("diff", self.gate("--help").out)


class DiffPackTest(GateTestCase):
    def test_versions_from_a_pack(self):
        b1, b2 = "1" * 40, "2" * 40
        v1 = {"n": 1, "change": 2, "detected": 2, "published": 1767225600000, "effective": 1767225600000,
              "tag": "a" * 40, "commit": "b" * 40, "summary": "First", "reason": None,
              "publisher": ("Pat", "pat@example.org"), "locales": [("en-GB", b1)]}
        v2 = dict(v1, n=2, effective=1798761600000, summary="Second", locales=[("en-GB", b2)])
        payload = packformat.write_payload([("gate.defaultlocale", "en-GB")],
                                           {b1: b"We keep data for six years.\n", b2: b"We keep data for ten years.\n"},
                                           {"privacy": [v1, v2]})
        pack = self.write("p.pack", packformat.seal(payload))
        j = self.assertOk(self.gate("--pack", pack, "diff", "privacy", "--json")).json()
        self.assertEqual((j["from"]["version"], j["to"]["version"]), (1, 2))
        self.assertEqual(j["to"]["blob"], b2)
        self.assertEqual(j["to"]["effective"], "2027-01-01T00:00:00Z")
        self.assertEqual([(c["removed"], c["added"]) for c in j["changes"]], [("six", "ten")])


@unittest.skipUnless(WITH_GIT, "client build without git")
class DiffVersionsTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.repo = self.path("policies")
        self.assertOk(self.gate("init", self.repo))
        self.env["GATE_REPO"] = self.repo
        self.env["GATE_NOW"] = "2026-03-01T09:00:00Z"
        texts = [
            ("We keep your notes for six years.\n", "Rydym yn cadw eich nodiadau am chwe blynedd.\n"),
            ("We keep your notes for eight years.\n", None),
            ("We keep your notes for ten years.\n", "Rydym yn cadw eich nodiadau am ddeng mlynedd.\n"),
        ]
        for i, (en, cy) in enumerate(texts):
            files = [self.write("v%d/en-GB.md" % i, en)]
            if cy:
                files.append(self.write("v%d/cy-GB.md" % i, cy))
            self.assertOk(self.gate("publish", "privacy", *files, "--material"))
        self.assertOk(self.gate("publish", "terms", self.write("terms/en-GB.md", "Be kind.\n")))

    def changes(self, *args):
        j = self.assertOk(self.gate("diff", *args, "--json")).json()
        return j, [(c["removed"], c["added"]) for c in j["changes"]]

    def test_default_is_the_two_latest_versions(self):
        j, ch = self.changes("privacy")
        self.assertEqual((j["from"]["version"], j["to"]["version"]), (2, 3))
        self.assertEqual(ch, [("eight", "ten")])
        self.assertEqual(j["from"]["doc"], "privacy")
        self.assertEqual(j["to"]["locale"], "en-GB")
        self.assertEqual(j["to"]["blob"], git(self.repo, "rev-parse", "privacy/v3:privacy/en-GB.md").strip())
        t = self.assertOk(self.gate("diff", "privacy")).out
        self.assertIn("-We keep your notes for eight years.\n+We keep your notes for ten years.\n", t)
        self.assertIn("privacy v2", t.splitlines()[1])
        self.assertIn("privacy v3", t.splitlines()[2])

    def test_one_version_against_the_latest_and_two_named(self):
        j, ch = self.changes("privacy", "1")
        self.assertEqual((j["from"]["version"], j["to"]["version"]), (1, 3))
        self.assertEqual(ch, [("six", "ten")])
        j, ch = self.changes("privacy", "v1", "v2")
        self.assertEqual(ch, [("six", "eight")])
        j, ch = self.changes("privacy", "3", "1")
        self.assertEqual(ch, [("ten", "six")])

    def test_a_first_version_is_compared_with_nothing(self):
        j, ch = self.changes("terms")
        self.assertIsNone(j["from"]["version"])
        self.assertEqual(j["to"]["version"], 1)
        self.assertIs(j["material"], True)
        self.assertEqual(len(ch), 1)
        self.assertEqual(ch[0][0], "")
        self.assertIn("Be kind", ch[0][1])

    def test_locales(self):
        j, ch = self.changes("privacy", "1", "3", "--locale", "cy-GB")
        self.assertEqual(j["to"]["locale"], "cy-GB")
        self.assertTrue(any("chwe" in r for r, _ in ch), ch)
        self.assertTrue(any("ddeng" in a for _, a in ch), ch)
        # v2 has no Welsh text: its English one is compared, and the user is told
        r = self.assertOk(self.gate("diff", "privacy", "1", "2", "--locale", "cy-GB"))
        self.assertIn("has no cy-GB text", r.err)
        h = self.assertOk(self.gate("diff", "privacy", "1", "3", "--locale", "cy-GB", "--format", "html")).out
        self.assertIn('<html lang="cy-GB">', h)
        self.assertIn("What changed in privacy, version 3", h)

    def test_publish_dry_run_prints_the_changes(self):
        f = self.write("v4/en-GB.md", "We keep your notes for twelve years.\n")
        r = self.assertOk(self.gate("publish", "privacy", f, "--dry-run"))
        out = r.out.splitlines()
        self.assertRegex(out[0], r"^privacy v4 would be published \(material, detected material, ")
        self.assertIn("material: 1 material change", out)
        self.assertIn("--- privacy v3 (en-GB)", out)
        self.assertIn("+++ privacy v4 (en-GB)", out)
        self.assertIn("-We keep your notes for ten years.", out)
        self.assertIn("+We keep your notes for twelve years.", out)
        self.assertEqual(git(self.repo, "tag", "-l", "privacy/v4"), "")
        # each locale against what its readers see now
        cy = self.write("v4/cy-GB.md", "Rydym yn cadw eich nodiadau am byth.\n")
        out = self.assertOk(self.gate("publish", "privacy", f, cy, "--dry-run")).out
        self.assertIn("cy-GB:\n", out)
        self.assertIn("-Rydym yn cadw eich nodiadau am ddeng mlynedd.\n+Rydym yn cadw eich nodiadau am byth.\n", out)
        # the JSON answer stays one object
        j = self.assertOk(self.gate("publish", "privacy", f, "--dry-run", "--json")).json()
        self.assertEqual(j["version"], 4)
        # a first version is compared with nothing
        out = self.assertOk(self.gate("publish", "cookies", self.write("c/en-GB.md", "We use no cookies.\n"),
                                      "--dry-run")).out
        self.assertIn("--- cookies (no version yet)\n+++ cookies v1 (en-GB)\n@@ -0,0 +1 @@", out)
        self.assertIn("+We use no cookies.\n", out)

    def test_missing_versions_and_documents(self):
        self.assertFails(self.gate("diff", "privacy", "9"), 1, "privacy v9 does not exist; latest is v3")
        self.assertFails(self.gate("diff", "privacy", "1", "7"), 1, "privacy v7 does not exist; latest is v3")
        r = self.assertFails(self.gate("diff", "cookies"), 1)
        self.assertIn("cookies", r.err)
        self.assertFails(self.gate("diff", "privacy", "--locale", "xx_bad"), 1)


if __name__ == "__main__":
    main()
