"""test_desktop.py: examples/desktop/login.c at work: its prompts are answered through stdin, and what it
recorded is read back with the `gate` CLI (check, export, verify). Accepting lets the user in and the next
login asks nothing; declining, an end of input or any error keeps them out (fail closed)."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import scratch

LOGIN = os.environ.get("DESKTOP_LOGIN", "desktop-login")
GATE = os.environ.get("GATE_BIN", "gate")
WITH_GIT = os.environ.get("GATE_WITH_GIT", "ON").upper() in ("ON", "1", "TRUE", "YES")

LET_IN, OUT_ERROR, USAGE, OUT_DECLINED = 0, 1, 2, 3


class DesktopLoginTest(unittest.TestCase):
    pack = False

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gate-desktop-")
        self.db = os.path.join(self.tmp, "acceptances.db")
        self.policies = None

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def source(self, versions=scratch.SMALL):
        self.policies = scratch.make(self.tmp, GATE, WITH_GIT, versions, pack=self.pack)
        return self.policies

    def login(self, user, answers="", *extra, policies=None):
        proc = subprocess.run([LOGIN, policies or self.policies, self.db, user] + list(extra),
                              input=answers, capture_output=True, text=True, timeout=600)
        return proc

    def gate(self, *args):
        where = ["--pack", self.policies] if os.path.isfile(self.policies) else ["-C", self.policies]
        proc = subprocess.run([GATE] + where + ["--db", self.db] + list(args), capture_output=True,
                              text=True, env=scratch.gate_env(), timeout=600)
        return proc

    def events(self, user):
        proc = self.gate("export", user)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["events"]

    def assertExit(self, proc, code):
        self.assertEqual(proc.returncode, code, "stdout: %s\nstderr: %s" % (proc.stdout, proc.stderr))

    def test_accepting_lets_the_user_in_and_the_next_login_asks_nothing(self):
        self.source()
        self.assertEqual(self.gate("check", "alice").returncode, 20)
        r = self.login("alice", "y\nyes\n")
        self.assertExit(r, LET_IN)
        # A user who never accepted anything is shown each whole text, then asked.
        self.assertIn("privacy: you must accept version 2 to go on.\nHere is the full text:", r.stdout)
        self.assertIn("+We keep your diary for eight years", r.stdout)
        self.assertNotIn("six years", r.stdout)
        self.assertIn("Do you accept privacy version 2? [y/N] ", r.stdout)
        self.assertIn("Do you accept terms version 1? [y/N] ", r.stdout)
        self.assertTrue(r.stdout.endswith("Welcome, alice.\n"), r.stdout)

        self.assertEqual(self.gate("check", "alice").returncode, 0)
        events = self.events("alice")
        self.assertEqual([(e["doc"], e["version"], e["method"], e["client"]) for e in events],
                         [("privacy", 2, "desktop-dialog", "acme-desktop 1.0"),
                          ("terms", 1, "desktop-dialog", "acme-desktop 1.0")])

        again = self.login("alice", "")
        self.assertExit(again, LET_IN)
        self.assertEqual(again.stdout, "Welcome, alice.\n")
        self.assertEqual(len(self.events("alice")), 2)

    def test_declining_keeps_the_user_out_and_records_nothing(self):
        self.source()
        r = self.login("bob", "n\n")
        self.assertExit(r, OUT_DECLINED)
        self.assertIn("You declined privacy version 2, so you cannot go on.", r.stdout)
        self.assertTrue(r.stdout.endswith("bob stays logged out.\n"), r.stdout)
        self.assertNotIn("terms", r.stdout)  # the first refusal ends the login
        # Anything but yes is a no, and so is the end of input.
        for answers in ("", "maybe\n", "y" * 200 + "\n", "\n"):
            self.assertExit(self.login("bob", answers), OUT_DECLINED)
        self.assertEqual(self.gate("check", "bob").returncode, 20)
        self.assertEqual(self.gate("verify", "--json").returncode, 0)
        self.assertEqual(json.loads(self.gate("verify", "--json").stdout)["events"], 0)

    def test_accepting_one_notice_and_declining_the_next_keeps_the_first(self):
        self.source()
        r = self.login("carol", "y\nn\n")
        self.assertExit(r, OUT_DECLINED)
        self.assertIn("You declined terms version 1", r.stdout)
        self.assertEqual([(e["doc"], e["version"]) for e in self.events("carol")], [("privacy", 2)])
        self.assertEqual(self.gate("check", "carol", "privacy").returncode, 0)
        self.assertEqual(self.gate("check", "carol", "terms").returncode, 20)
        # Next time only terms is asked about.
        r = self.login("carol", "y\n")
        self.assertExit(r, LET_IN)
        self.assertNotIn("privacy", r.stdout)

    def test_an_earlier_acceptance_is_shown_only_what_changed(self):
        self.source()
        self.assertEqual(self.gate("accept", "dan", "privacy", "1").returncode, 0)
        self.assertEqual(self.gate("accept", "dan", "terms").returncode, 0)
        r = self.login("dan", "y\n")
        self.assertExit(r, LET_IN)
        self.assertIn("Here is what changed since version 1, which you accepted:", r.stdout)
        self.assertIn("six", r.stdout)
        self.assertIn("eight", r.stdout)
        self.assertNotIn("Here is the full text", r.stdout)
        self.assertNotIn("+We share your readings", r.stdout)  # unchanged: context at most
        self.assertEqual(r.stdout.count("Do you accept"), 1)
        self.assertEqual([e["version"] for e in self.events("dan") if e["doc"] == "privacy"], [1, 2])

    def test_an_upcoming_version_is_offered_and_may_be_put_off(self):
        upcoming = scratch.Version("privacy", scratch.PRIVACY_2.replace("clinic only", "clinic and researchers"),
                                   scratch.MATERIAL, "2026-04-01", "2099-01-01")
        self.source(scratch.SMALL + [upcoming])
        for doc, n in (("privacy", "2"), ("terms", "1")):
            self.assertEqual(self.gate("accept", "erin", doc, n).returncode, 0)
        self.assertEqual(self.gate("check", "erin").returncode, 10)

        r = self.login("erin", "n\n")
        self.assertExit(r, LET_IN)
        self.assertIn("privacy: version 3 changes it and takes effect on 2099-01-01T00:00:00Z; "
                      "you may accept it now.", r.stdout)
        self.assertIn("+We share your readings with your clinic and researchers.", r.stdout)
        self.assertIn("Not now: we will ask again next time.", r.stdout)
        self.assertTrue(r.stdout.endswith("Welcome, erin.\n"))

        r = self.login("erin", "y\n")
        self.assertExit(r, LET_IN)
        self.assertEqual(self.gate("check", "erin").returncode, 0)
        self.assertEqual(self.login("erin", "").stdout, "Welcome, erin.\n")

    def test_an_editorial_version_is_shown_and_never_blocks(self):
        reworded = scratch.Version("privacy", scratch.PRIVACY_2.replace("2 March 2026", "9 April 2026")
                                   .replace("We share", "We  share"), scratch.EDITORIAL, "2026-04-09")
        self.source(scratch.SMALL + [reworded])
        for doc, n in (("privacy", "2"), ("terms", "1")):
            self.assertEqual(self.gate("accept", "huw", doc, n).returncode, 0)
        self.assertEqual(self.gate("check", "huw").returncode, 10)
        r = self.login("huw", "n\n")
        self.assertExit(r, LET_IN)
        self.assertIn("privacy: version 3 only rewords or reformats what you accepted.\n"
                      "Here is what changed since version 2, which you accepted:", r.stdout)
        self.assertIn("editorial:", r.stdout)
        self.assertIn("Not now: we will ask again next time.", r.stdout)
        r = self.login("huw", "y\n")
        self.assertExit(r, LET_IN)
        self.assertEqual([e["version"] for e in self.events("huw") if e["doc"] == "privacy"], [2, 3])
        self.assertEqual(self.gate("check", "huw").returncode, 0)

    def test_the_locale_asked_for_falls_back_and_the_text_shown_is_recorded(self):
        self.source()
        r = self.login("ffion", "y\ny\n", "cy-GB")
        self.assertExit(r, LET_IN)
        self.assertIn("Recorded: ffion accepted privacy version 2 (en-GB)", r.stdout)
        self.assertEqual({e["locale"] for e in self.events("ffion")}, {"en-GB"})

    def test_errors_keep_the_user_out(self):
        self.source()
        r = self.login("gwen", "y\ny\n", policies=os.path.join(self.tmp, "missing"))
        self.assertExit(r, OUT_ERROR)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith("desktop-login: opening the notices: "), r.stderr)
        self.assertTrue(r.stdout.endswith("gwen stays logged out.\n"))

        r = self.login("", "y\ny\n")  # not a valid user id
        self.assertExit(r, OUT_ERROR)
        self.assertIn("desktop-login: checking the notices: ", r.stderr)

        with open(self.db, "wb") as f:
            f.write(b"this is not a database" * 100)
        r = self.login("gwen", "y\ny\n")
        self.assertExit(r, OUT_ERROR)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

        self.assertExit(self.login("gwen", "", "en-GB", "extra"), USAGE)


@unittest.skipUnless(WITH_GIT, "without git every source is a pack already")
class DesktopLoginFromPackTest(DesktopLoginTest):
    """The same, reading a pack made by `gate pack` instead of the repository."""
    pack = True


if __name__ == "__main__":
    unittest.main(verbosity=2)
