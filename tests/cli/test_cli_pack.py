"""test_cli_pack.py: gate keygen, gate pack, pack info and install, and --pack on every reading command.

Packs are read back with packformat.py, an independent implementation of docs/pack-format.md."""
import os
import subprocess
import unittest

import packformat
from gatetest import GateTestCase, WITH_GIT, main

BLOB1, BLOB2 = "1" * 40, "2" * 40


def sample_payload():
    v1 = {"n": 1, "change": 2, "detected": 2, "published": 1767225600000, "effective": 1767225600000,
          "tag": "a" * 40, "commit": "b" * 40, "summary": "First", "reason": None,
          "publisher": ("Pat", "pat@example.org"), "locales": [("en-GB", BLOB1)]}
    v2 = dict(v1, n=2, effective=1798761600000, summary="Second", locales=[("en-GB", BLOB2)])
    return packformat.write_payload([("gate.defaultlocale", "en-GB")],
                                    {BLOB1: b"one\n", BLOB2: b"two\n"}, {"privacy": [v1, v2]})


class PackCliTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.env["GATE_NOW"] = "2026-06-01T00:00:00Z"

    def test_a_pack_written_by_another_implementation_is_read(self):
        pack = self.write("py.pack", packformat.seal(sample_payload(), created=1767225600000))
        info = self.assertOk(self.gate("pack", "info", pack, "--json")).json()
        self.assertEqual((info["documents"], info["versions"], info["texts"]), (1, 2, 2))
        self.assertFalse(info["signed"])
        j = self.assertOk(self.gate("--pack", pack, "versions", "privacy", "--json")).json()
        self.assertEqual([v["status"] for v in j], ["in force", "upcoming"])
        self.assertEqual(self.gate("--pack", pack, "show", "privacy").out, "one\n")
        self.assertEqual(self.gate("--pack", pack, "show", "privacy@2").out, "two\n")
        # a pack can be re-packed from a pack, without git
        self.assertOk(self.gate("--pack", pack, "pack", "-o", self.path("again.pack")))
        again = packformat.read(open(self.path("again.pack"), "rb").read())
        self.assertEqual(again["texts"][BLOB2], b"two\n")

    def test_damaged_packs_are_refused_with_one_line(self):
        good = packformat.seal(sample_payload())
        cases = {
            "truncated.pack": good[:-10],
            "flipped.pack": good[:90] + bytes([good[90] ^ 0x10]) + good[91:],
            "junk.pack": good + b"junk",
            "empty.pack": b"",
        }
        for name, data in cases.items():
            with self.subTest(name=name):
                r = self.assertFails(self.gate("--pack", self.write(name, data), "docs"), 1)
                self.assertRegex(r.err, r"truncated|damaged|junk|not a libgate pack")
        self.assertFails(self.gate("--pack", self.path("none.pack"), "docs"), 1, "cannot open pack")

    def test_keygen_never_overwrites_and_a_key_requires_a_signature(self):
        self.assertOk(self.gate("keygen", "-o", self.path("pub")))
        self.assertEqual(os.stat(self.path("pub.key")).st_mode & 0o777, 0o600)
        self.assertEqual(len(open(self.path("pub.pub")).read().strip()), 64)
        self.assertFails(self.gate("keygen", "-o", self.path("pub")), 1, "never overwrites")
        unsigned = self.write("u.pack", packformat.seal(sample_payload()))
        r = self.assertFails(self.gate("--pack", unsigned, "--pack-key", self.path("pub.pub"), "docs"), 1)
        self.assertIn("is not signed", r.err)
        self.assertEqual(self.gate("keygen").code, 2)

    @unittest.skipUnless(WITH_GIT, "client build without git")
    def test_pack_from_a_repository_signed_and_installed(self):
        repo = self.path("policies")
        self.assertOk(self.gate("init", repo))
        self.env["GATE_REPO"] = repo
        self.assertOk(self.gate("publish", "privacy", self.write("en-GB.md", "Privacy one\n"),
                                self.write("cy-GB.md", "Preifatrwydd un\n")))
        self.assertOk(self.gate("publish", "privacy", self.write("p2/en-GB.md", "Privacy two\n")))
        self.assertOk(self.gate("publish", "terms", self.write("t.md", "Terms\n")))
        self.assertOk(self.gate("keygen", "-o", self.path("k")))
        r = self.assertOk(self.gate("pack", "--sign", self.path("k.key"), "-o", self.path("all.pack")))
        self.assertIn("2 documents, 3 versions, 4 texts", r.out)

        pack = packformat.read(open(self.path("all.pack"), "rb").read())
        self.assertTrue(pack["signed"])
        head = subprocess.run(["git", "-C", repo, "rev-parse", "main"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(pack["source_commit"], head)
        for v in pack["docs"]["privacy"]:
            for loc, blob in v["locales"]:
                shown = subprocess.run([os.environ["GATE_BIN"], "show", "privacy@%d" % v["n"], "--locale", loc],
                                       capture_output=True, env=self.env).stdout
                self.assertEqual(pack["texts"][blob], shown)
        j = self.assertOk(self.gate("versions", "privacy", "--json")).json()
        self.assertEqual([v["tag"] for v in j], [v["tag"] for v in pack["docs"]["privacy"]])

        # --keep and --docs
        self.assertOk(self.gate("pack", "--docs", "privacy", "--keep", "1", "-o", self.path("small.pack")))
        small = packformat.read(open(self.path("small.pack"), "rb").read())
        self.assertEqual(list(small["docs"]), ["privacy"])
        self.assertEqual(len(small["texts"]), 1)
        self.assertFails(self.gate("pack", "--docs", "cookies", "-o", self.path("x.pack")), 1, "cookies")
        self.assertEqual(self.gate("pack", "--keep", "0", "-o", self.path("x.pack")).code, 2)
        self.assertEqual(self.gate("pack").code, 2)

        # install: a bad or unsigned pack leaves the installed one as it was
        dest = self.path("installed.pack")
        self.assertOk(self.gate("pack", "install", self.path("all.pack"), dest, "--pack-key", self.path("k.pub")))
        before = open(dest, "rb").read()
        self.assertFails(self.gate("pack", "install", self.path("small.pack"), dest, "--pack-key", self.path("k.pub")),
                         1, "is not signed")
        self.assertEqual(open(dest, "rb").read(), before)
        self.assertEqual(self.gate("--pack", dest, "--pack-key", self.path("k.pub"), "show", "privacy@1",
                                   "--locale", "cy-GB").out, "Preifatrwydd un\n")


if __name__ == "__main__":
    main()
