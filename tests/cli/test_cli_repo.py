"""test_cli_repo.py: init, publish, versions, show, docs and sync from the command line (needs git)."""
import os
import re
import subprocess
import unittest

from gatetest import GateTestCase, WITH_GIT, main


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), capture_output=True, text=True, check=True).stdout


@unittest.skipUnless(WITH_GIT, "client build without git")
class RepoCliTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.repo = self.path("policies")
        self.assertOk(self.gate("init", self.repo))
        self.env["GATE_REPO"] = self.repo
        self.env["GATE_NOW"] = "2026-03-01T09:00:00Z"

    def state(self):
        """What 'nothing written' compares: branch tip and tag list."""
        return git(self.repo, "rev-parse", "main"), git(self.repo, "tag", "-l")

    def test_init_reports_and_refuses_twice(self):
        r = self.gate("init", self.repo)
        self.assertFails(r, 1, "already a policy repository")
        j = self.assertOk(self.gate("init", self.path("bare.git"), "--bare", "--json")).json()
        self.assertEqual(j["bare"], True)
        self.assertEqual(git(self.path("bare.git"), "rev-parse", "--is-bare-repository").strip(), "true")

    def test_publish_prints_version_change_and_effective_time(self):
        f = self.write("en-GB.md", "# Privacy\n\nWe keep records for six years.\n")
        r = self.assertOk(self.gate("publish", "privacy", f, "-m", "First"))
        self.assertEqual(r.out, "privacy v1 (material, effective 2026-03-01T09:00:00Z)\n")
        f2 = self.write("v2.md", "# Privacy\n\nWe keep records for eight years.\n")
        j = self.assertOk(self.gate("publish", "privacy", f2, "--effective", "2026-04-01", "--json")).json()
        self.assertEqual(j["version"], 2)
        self.assertEqual(j["effective"], "2026-04-01T00:00:00Z")
        self.assertEqual(j["published"], "2026-03-01T09:00:00Z")
        self.assertRegex(j["tag"], r"^[0-9a-f]{40}$")
        self.assertEqual(git(self.repo, "rev-parse", "privacy/v2").strip(), j["tag"])
        self.assertEqual(git(self.repo, "rev-parse", "privacy/v2^{commit}").strip(), j["commit"])

    def test_versions_table_and_json(self):
        self.assertOk(self.gate("publish", "privacy", self.write("a.md", "one\n"), "-m", "First version"))
        self.assertOk(self.gate("publish", "privacy", self.write("b.md", "two\n"), "--effective", "2026-05-01",
                                "--material", "-m", "Second version\nwith detail"))
        t = self.assertOk(self.gate("versions", "privacy")).out.splitlines()
        self.assertTrue(t[0].startswith("VERSION"))
        self.assertRegex(t[1], r"^v1 +material +material +2026-03-01T09:00:00Z +2026-03-01T09:00:00Z +in force +en-GB +First version$")
        self.assertRegex(t[2], r"^v2 +material +material +2026-03-01T09:00:00Z +2026-05-01T00:00:00Z +upcoming +en-GB +Second version$")
        j = self.assertOk(self.gate("versions", "privacy", "--json")).json()
        self.assertEqual([v["version"] for v in j], [1, 2])
        self.assertEqual(j[1]["summary"], "Second version\nwith detail")
        self.assertEqual(j[1]["publisher"]["email"], "publisher@example.org")
        blob = git(self.repo, "rev-parse", "privacy/v2:privacy/en-GB.md").strip()
        self.assertEqual(j[1]["locales"], [{"locale": "en-GB", "blob": blob}])
        later = self.assertOk(self.gate("versions", "privacy", env={"GATE_NOW": "2026-06-01T00:00:00Z"})).out
        self.assertRegex(later, r"v1 .* superseded ")
        self.assertFails(self.gate("versions", "cookies"), 1, "document 'cookies' has no published version")

    def test_show_prints_exact_bytes_and_defaults_to_the_version_in_force(self):
        raw = b"Line one\r\nCaf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d\n\n"
        self.assertOk(self.gate("publish", "privacy", self.write("en-GB.md", raw)))
        self.assertOk(self.gate("publish", "privacy", self.write("next/en-GB.md", "later\n"), "--effective", "2026-09-01"))
        out = subprocess.run([os.environ["GATE_BIN"], "show", "privacy"], capture_output=True, env=self.env).stdout
        self.assertEqual(out, raw)
        self.assertEqual(self.gate("show", "privacy@v2").out, "later\n")
        self.assertEqual(self.gate("show", "privacy@2").out, "later\n")
        self.assertFails(self.gate("show", "privacy@9"), 1, "privacy v9 does not exist; latest is v2")
        self.assertEqual(self.gate("show", "privacy@x").code, 2)
        j = self.assertOk(self.gate("show", "privacy@1", "--locale", "cy-GB", "--json")).json()
        self.assertEqual(j["fallback"], True)
        self.assertEqual(j["locale"], "en-GB")

    def test_locales_come_from_file_names(self):
        en = self.write("src/en-GB.md", "Privacy\n")
        cy = self.write("src/cy-GB.md", "Preifatrwydd\n")
        self.assertOk(self.gate("publish", "privacy", cy, en))
        self.assertEqual(self.gate("show", "privacy", "--locale", "cy-GB").out, "Preifatrwydd\n")
        self.assertEqual(git(self.repo, "show", "privacy/v1:privacy/cy-GB.md"), "Preifatrwydd\n")
        self.assertIn("Gate-Locales: en-GB cy-GB", git(self.repo, "cat-file", "-p", "privacy/v1"))
        r = self.gate("publish", "privacy", cy, en, "--locale", "cy-GB")
        self.assertEqual(r.code, 2)

    def test_docs_lists_in_force_and_upcoming(self):
        self.assertOk(self.gate("publish", "privacy", self.write("a.md", "one\n")))
        self.assertOk(self.gate("publish", "privacy", self.write("b.md", "two\n"), "--effective", "2026-06-01"))
        self.assertOk(self.gate("publish", "terms", self.write("c.md", "terms\n")))
        j = self.assertOk(self.gate("docs", "--json")).json()
        self.assertEqual([d["doc"] for d in j], ["privacy", "terms"])
        self.assertEqual(j[0]["in_force"], 1)
        self.assertEqual(j[0]["upcoming"], 2)
        self.assertEqual(j[0]["upcoming_effective"], "2026-06-01T00:00:00Z")
        self.assertIsNone(j[1]["upcoming"])

    def test_publish_records_the_detected_verdict_and_a_reason_to_override_it(self):
        self.assertOk(self.gate("publish", "privacy", self.write("v1.md", "# Privacy\n\nWe keep data for six years.\n")))
        # re-wrapped and re-punctuated: editorial
        f2 = self.write("v2.md", "# Privacy\n\nWe keep data\nfor six years!\n")
        r = self.assertOk(self.gate("publish", "privacy", f2, "--dry-run"))
        self.assertIn("privacy v2 would be published (editorial, detected editorial,", r.out)
        r = self.assertOk(self.gate("publish", "privacy", f2))
        self.assertEqual(r.out, "privacy v2 (editorial, effective 2026-03-01T09:00:00Z)\n")
        # one number: material, and calling it editorial needs --reason
        f3 = self.write("v3.md", "# Privacy\n\nWe keep data\nfor 7 years!\n")
        before = self.state()
        self.assertFails(self.gate("publish", "privacy", f3, "--editorial"), 1,
                         "privacy v3 has material changes; to publish it as editorial anyway, pass --editorial --reason TEXT")
        self.assertEqual(self.state(), before)
        j = self.assertOk(self.gate("publish", "privacy", f3, "--editorial", "--reason", "figure restated, not changed",
                                    "--json")).json()
        self.assertEqual((j["change"], j["detected"]), ("editorial", "material"))
        tag = git(self.repo, "cat-file", "-p", "privacy/v3")
        self.assertIn("Gate-Change: editorial\nGate-Detected: material\n", tag)
        self.assertIn("Gate-Reason: figure restated, not changed\n", tag)
        t = self.assertOk(self.gate("versions", "privacy")).out.splitlines()
        self.assertRegex(t[2], r"^v2 +editorial +editorial ")
        self.assertRegex(t[3], r"^v3 +editorial +material ")

    def test_dry_run_writes_nothing(self):
        before = self.state()
        r = self.assertOk(self.gate("publish", "privacy", self.write("a.md", "one\n"), "--dry-run"))
        self.assertIn("privacy v1 would be published", r.out)
        self.assertIn("nothing written", r.out)
        self.assertEqual(self.state(), before)

    def test_bad_input_is_one_line_and_writes_nothing(self):
        self.assertOk(self.gate("publish", "privacy", self.write("ok.md", "first\n")))
        before = self.state()
        big = self.write("big.md", b"a" * (4 * 1024 * 1024 + 1))
        cases = [
            (["publish", "privacy", self.path("missing.md")], "cannot open"),
            (["publish", "privacy", self.write("empty.md", "")], "is empty"),
            (["publish", "privacy", self.write("bad.md", b"caf\xc3(")], "not valid UTF-8"),
            (["publish", "privacy", self.write("nul.md", b"a\x00b")], "NUL byte at offset 1"),
            (["publish", "privacy", big], "the limit is 4194304"),
            (["publish", "../x", self.path("ok.md")], "not a valid document id"),
            (["publish", "a/b", self.path("ok.md")], "not a valid document id"),
            (["publish", "privacy", self.path("ok.md"), "--locale", "../x"], "not a valid locale"),
            (["publish", "privacy", self.write("two.md", "second\n"), "--effective", "next week"], "not a valid time"),
            (["publish", "privacy", self.path("ok.md")], "text is identical to v1; nothing to publish"),
            (["show", "privacy@9"], "privacy v9 does not exist; latest is v1"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                self.assertFails(self.gate(*args), 1, message)
        self.assertEqual(self.state(), before)

    def test_not_a_policy_repository(self):
        os.makedirs(self.path("plain"))
        self.assertFails(self.gate("-C", self.path("plain"), "versions", "privacy"), 1,
                         "is not a policy repository (not a git repository); create one with `gate init")
        self.assertFails(self.gate("-C", self.path("nowhere"), "docs"), 1, "does not exist")

    def test_locked_repository(self):
        os.makedirs(os.path.join(self.repo, ".git", "gate"), exist_ok=True)
        open(os.path.join(self.repo, ".git", "gate", "publish.lock"), "w").close()
        before = self.state()
        r = self.gate("publish", "privacy", self.write("a.md", "one\n"))
        self.assertFails(r, 1, "locked by another publish")
        self.assertEqual(self.state(), before)

    def test_missing_identity_says_how_to_set_one(self):
        env = {"HOME": self.path("home"), "XDG_CONFIG_HOME": self.path("home"), "GIT_AUTHOR_NAME": "",
               "GIT_AUTHOR_EMAIL": "", "GIT_CONFIG_NOSYSTEM": "1"}
        os.makedirs(self.path("home"))
        r = self.gate("publish", "privacy", self.write("a.md", "one\n"), env=env)
        if r.code == 0:
            self.skipTest("a system-wide git identity is configured")
        self.assertFails(r, 1, "no publisher identity: pass --author")
        self.assertOk(self.gate("publish", "privacy", self.path("a.md"), "--author", "Dana Lead <dana@example.org>", env=env))
        self.assertIn("tagger Dana Lead <dana@example.org>", git(self.repo, "cat-file", "-p", "privacy/v1"))
        self.assertEqual(self.gate("publish", "privacy", self.path("a.md"), "--author", "nobody").code, 2)

    def test_sync_follows_new_versions_and_refuses_rewrites(self):
        client = self.path("client.git")
        self.assertOk(self.gate("publish", "privacy", self.write("a.md", "one\n")))
        r = self.assertOk(self.gate("-C", client, "sync", self.repo))
        self.assertIn("1 new version", r.out)
        self.assertEqual(self.gate("-C", client, "show", "privacy@1").out, "one\n")

        self.assertOk(self.gate("publish", "privacy", self.write("b.md", "two\n")))
        j = self.assertOk(self.gate("-C", client, "sync", self.repo, "--json")).json()
        self.assertEqual(j["new_versions"], 1)
        self.assertTrue(j["branch_updated"])
        self.assertEqual(self.gate("-C", client, "show", "privacy@2").out, "two\n")
        j = self.assertOk(self.gate("-C", client, "sync", self.repo, "--json")).json()
        self.assertEqual(j["new_versions"], 0)

        # The publisher's copy rewrites v2 under the same name.
        before = git(client, "for-each-ref")
        git(self.repo, "tag", "-d", "privacy/v2")
        git(self.repo, "tag", "-a", "privacy/v2", "-m",
            "privacy v2\n\nGate-Version: 2\nGate-Change: editorial\nGate-Effective: 2026-03-01T09:00:00Z\nGate-Locales: en-GB",
            "privacy/v1^{commit}")
        r = self.assertFails(self.gate("-C", client, "sync", self.repo), 1, "rewrote privacy/v2")
        self.assertIn("refusing to sync", r.err)
        self.assertEqual(git(client, "for-each-ref"), before)
        self.assertEqual(self.gate("-C", client, "show", "privacy@2").out, "two\n")

    def test_sync_refuses_a_branch_that_does_not_fast_forward(self):
        client = self.path("client.git")
        self.assertOk(self.gate("publish", "privacy", self.write("a.md", "one\n")))
        self.assertOk(self.gate("-C", client, "sync", self.repo))
        before = git(client, "for-each-ref")
        git(self.repo, "commit", "--amend", "-m", "rewritten history", "--allow-empty")
        self.assertFails(self.gate("-C", client, "sync", self.repo), 1, "does not descend from ours")
        self.assertEqual(git(client, "for-each-ref"), before)

    def test_sync_into_a_folder_that_is_not_a_repository(self):
        self.write("junk/file.txt", "x")
        self.assertFails(self.gate("-C", self.path("junk"), "sync", self.repo), 1, "is not a git repository")
        self.assertFails(self.gate("-C", self.path("c2"), "sync", self.path("nowhere")), 1, "cannot fetch")


if __name__ == "__main__":
    main()
