"""test_cli_lean.py: the lean `gate` runs what needs no git itself and hands the rest to gate-git, intact."""
import os
import shutil
import stat
import subprocess
import unittest

from gatetest import GATE, GateTestCase, WITH_GIT, main

FAKE_HELPER = """#!/bin/sh
# Stands in for gate-git: records how it was called.
{ printf 'argv:'; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n';
  printf 'lean-exec: %s\\n' "${GATE_LEAN_EXEC:-}"; printf 'stdin: '; cat; } > "$FAKE_LOG"
exit 7
"""


@unittest.skipUnless(WITH_GIT, "the client build has only the lean gate")
class LeanFrontEndTest(GateTestCase):
    def lone_gate(self):
        """A copy of `gate` in a folder of its own, with no gate-git beside it."""
        d = self.path("bin")
        os.makedirs(d, exist_ok=True)
        lone = os.path.join(d, "gate")
        shutil.copy(GATE, lone)
        return lone

    def run_bin(self, binary, *args, stdin=None, env=None):
        e = dict(self.env)
        e.update(env or {})
        return subprocess.run([binary] + list(args), input=stdin, capture_output=True, text=True,
                              env=e, cwd=self.tmp, timeout=120)

    def test_the_lean_gate_does_not_load_libgit2(self):
        if not shutil.which("ldd"):
            self.skipTest("no ldd on this system")
        libs = subprocess.run(["ldd", GATE], capture_output=True, text=True).stdout
        self.assertNotIn("libgit2", libs)
        helper = os.path.join(os.path.dirname(GATE), "gate-git")
        self.assertIn("libgit2", subprocess.run(["ldd", helper], capture_output=True, text=True).stdout)

    def test_commands_without_a_repository_run_without_the_helper(self):
        lone = self.lone_gate()
        old = self.write("old.md", "We keep your data for six years.\n")
        new = self.write("new.md", "We keep your data for eight years.\n")
        r = self.run_bin(lone, "diff", "--no-index", "--format", "json", old, new)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"material": true', r.stdout)
        r = self.run_bin(lone, "--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_bin(lone, "help", "publish")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("usage: gate publish"))

    def test_a_repository_command_without_the_helper_is_one_clear_line(self):
        lone = self.lone_gate()
        r = self.run_bin(lone, "versions", "privacy")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("needs git support, but gate-git was not found", r.stderr)

    def test_the_helper_gets_the_same_arguments_and_untouched_input(self):
        helper_dir = self.path("helper")
        os.makedirs(helper_dir)
        fake = os.path.join(helper_dir, "gate-git")
        with open(fake, "w") as f:
            f.write(FAKE_HELPER)
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
        log = self.path("fake.log")
        r = self.run_bin(self.lone_gate(), "-C", "repo", "publish", "privacy", "-", "-m", "a b",
                         stdin="Text from standard input.\n",
                         env={"GATE_EXEC_PATH": helper_dir, "FAKE_LOG": log})
        self.assertEqual(r.returncode, 7, r.stderr)
        with open(log) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "argv: [-C] [repo] [publish] [privacy] [-] [-m] [a b]")
        self.assertEqual(lines[1], "lean-exec: 1")
        self.assertEqual(lines[2], "stdin: Text from standard input.")

    def test_a_helper_that_hands_back_is_refused_not_looped(self):
        helper_dir = self.path("loop")
        os.makedirs(helper_dir)
        shutil.copy(GATE, os.path.join(helper_dir, "gate-git"))
        r = self.run_bin(self.lone_gate(), "versions", "privacy", env={"GATE_EXEC_PATH": helper_dir})
        self.assertEqual(r.returncode, 1)
        self.assertIn("handed the command back", r.stderr)

    def test_repository_commands_work_through_the_helper(self):
        repo = self.path("policies")
        self.assertOk(self.gate("init", repo))
        f = self.write("en-GB.md", "We keep your data for six years.\n")
        r = self.assertOk(self.gate("-C", repo, "publish", "privacy", "-", "-m", "First",
                                    stdin=open(f).read(), env={"GATE_NOW": "2026-03-01T09:00:00Z"}))
        self.assertEqual(r.out, "privacy v1 (material, effective 2026-03-01T09:00:00Z)\n")
        self.assertEqual(self.gate("-C", repo, "show", "privacy").out, "We keep your data for six years.\n")


if __name__ == "__main__":
    main()
