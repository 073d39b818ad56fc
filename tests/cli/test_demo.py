"""test_demo.py: the README's first command, `./dev demo`, runs scripts/demo.sh with the built gate. This
runs it here and checks what a newcomer is shown: every draft published with its verdict, the editorial
and material diffs, a user in each state with exit codes 0, 10 and 20, self-contained HTML pages that
exist, and a log that verifies. Once with the usual PATH, once with nothing on it but bash and coreutils
(no git), which is all the demo may need."""
import os
import re
import subprocess
import unittest

from gatetest import GATE, SOURCE_DIR, WITH_GIT, GateTestCase, main

DEMO = os.path.join(SOURCE_DIR, "scripts", "demo.sh")

# GNU coreutils' programs: the only ones the demo may run besides bash and gate.
COREUTILS = """[ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut
date dd df dir dircolors dirname du echo env expand expr factor false fmt fold groups head hostid id install
join link ln logname ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pinky
pr printenv printf ptx pwd readlink realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum
sha512sum shred shuf sleep sort split stat stdbuf stty sum sync tac tail tee test timeout touch tr true
truncate tsort tty uname unexpand uniq unlink users vdir wc who whoami yes""".split()


@unittest.skipUnless(WITH_GIT, "the demo publishes, which the client build cannot")
class DemoTest(GateTestCase):
    def demo(self, env):
        proc = subprocess.run(["bash", DEMO, GATE], capture_output=True, text=True, env=env, cwd=self.tmp,
                              timeout=600)
        self.assertEqual(proc.returncode, 0, "stdout: %s\nstderr: %s" % (proc.stdout[-3000:], proc.stderr))
        self.assertEqual(proc.stderr, "")
        return proc.stdout

    def check_story(self, out, locales):
        work = re.search(r"^Scratch folder: (.+)$", out, re.M).group(1)
        self.assertTrue(work.startswith(self.tmp), work)
        self.assertNotIn("\033[", out)  # not a terminal: no escape codes

        # Every draft of policies/README.md, oldest first, with the verdict the README promises.
        published = re.findall(r"^\[(\S+)\] \$ gate publish (\w+) (.*)\n(\w+ v\d+) \((\w+),", out, re.M)
        self.assertEqual([(p[1], p[3], p[4]) for p in published],
                         [("privacy", "privacy v1", "material"), ("terms", "terms v1", "material"),
                          ("privacy", "privacy v2", "editorial"), ("terms", "terms v2", "editorial"),
                          ("privacy", "privacy v3", "material"), ("terms", "terms v3", "material"),
                          ("privacy", "privacy v4", "material")])
        self.assertEqual([p[0] for p in published], sorted(p[0] for p in published))
        self.assertIn("drafts/privacy-v1/en-GB.md", published[0][2])
        self.assertEqual("drafts/privacy-v1/cy-GB.md" in published[0][2], "cy-GB" in locales)
        self.assertRegex(out, r"\nv3 +material +material +2026-06-01T09:00:00Z +2026-07-01T00:00:00Z +in force +%s"
                         % re.escape(locales))
        self.assertRegex(out, r"\nv4 +material +material .* upcoming ")

        self.assertRegex(out, r"\$ gate diff privacy 1 2\neditorial: \d+ editorial changes?, none material\n")
        self.assertRegex(out, r"\$ gate diff privacy 2 3 --material-only --context 0\nmaterial: \d+ material changes")
        self.assertIn("+We have appointed a Data Protection Officer (DPO)", out)

        imported = re.search(r"imported \d+ rows: \d+ acceptances recorded, 0 already recorded, (\d+) new users", out)
        added = re.search(r"added (\d+) users \((\d+) already known\)", out)
        self.assertEqual(int(imported.group(1)), int(added.group(2)))
        self.assertEqual(int(added.group(1)) + int(added.group(2)), 300)
        self.assertIn('$ gate accept p-0002 privacy 4 --method desktop-dialog --client "pellowen-desktop 2.3"', out)

        # One user in each state, with the exit code an app acts on.
        checks = re.findall(r"^\$ gate check (\S+)\n\1: (\w+).*?\n   -> exit code (\d+): (\w+)", out, re.M | re.S)
        self.assertEqual([(c[1], c[2], c[3]) for c in checks],
                         [("allow", "0", "allow"), ("notify", "10", "notify"), ("block", "20", "block")])
        for user, outcome, code, _ in checks:  # the demo reports gate's real exit codes
            r = self.gate("check", user, env={"GATE_REPO": os.path.join(work, "policies"),
                                                "GATE_DB": os.path.join(work, "acceptances.db"),
                                                "GATE_NOW": "2026-11-22T12:00:00Z"})
            self.assertEqual(r.code, int(code), repr(r))

        self.assertRegex(out, r"\$ gate pending\nUSER +DOC +DECISION")
        self.assertIn("300 users known at 2026-11-22T12:00:00Z", out)
        pages = re.findall(r"^   wrote (.+\.html)$", out, re.M)
        self.assertEqual([os.path.basename(p) for p in pages], ["privacy-v2-to-v3.html", "pending.html"])
        for page in pages:
            self.assertTrue(page.startswith(work), page)
            with open(page, encoding="utf-8") as f:
                html = f.read()
            self.assertTrue(html.lstrip().lower().startswith("<!doctype html"), page)
            self.assertIn("</html>", html)
            # Self-contained: no scripts, nothing fetched from anywhere (inline data and #fragments only).
            self.assertNotRegex(html, r"(?i)<(script|link|iframe|object|embed)\b|@import")
            self.assertNotRegex(html, r"""(?i)\bsrc\s*=\s*(?!["']?data:)""")
            self.assertNotRegex(html, r"""(?i)url\(\s*(?!["']?(#|data:))""")
        with open(pages[0], encoding="utf-8") as f:
            diff = f.read()
        self.assertIn("<title>What changed in our privacy notice</title>", diff)
        self.assertIn("Data Protection Officer", diff)
        with open(pages[1], encoding="utf-8") as f:
            pending = f.read()
        self.assertIn("<title>Pellowen: who still has to accept</title>", pending)
        self.assertIn("p-0004", pending)

        self.assertRegex(out, r"\$ gate verify\nevents +423\nusers +300\ncheckpoints +1\n")
        self.assertIn("ok: the log is intact", out)
        return work

    def test_the_demo_tells_the_whole_story(self):
        self.check_story(self.demo(self.env), "en-GB cy-GB")

    def test_the_demo_needs_only_bash_and_coreutils(self):
        bin_dir = self.path("bin")
        os.mkdir(bin_dir)
        for name in COREUTILS + ["bash"]:
            for d in ("/usr/bin", "/bin", "/usr/local/bin"):
                if os.path.exists(os.path.join(d, name)):
                    os.symlink(os.path.join(d, name), os.path.join(bin_dir, name))
                    break
        env = {"PATH": bin_dir, "HOME": self.tmp, "TMPDIR": self.tmp}
        out = self.demo(env)
        self.assertIn("without git the example gate.conf", out)
        self.check_story(out, "en-GB")


if __name__ == "__main__":
    main()
