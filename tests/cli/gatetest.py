"""gatetest.py: helpers shared by the CLI tests: run the built `gate`, scratch folders, assertions."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

GATE = os.environ.get("GATE_BIN", "gate")
SOURCE_DIR = os.environ.get("GATE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
WITH_GIT = os.environ.get("GATE_WITH_GIT", "ON").upper() in ("ON", "1", "TRUE", "YES")


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "exit %d\nstdout: %s\nstderr: %s" % (self.code, self.out[:2000], self.err[:2000])


class GateTestCase(unittest.TestCase):
    """A test case with a scratch folder and a `gate` runner whose environment is clean."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gate-cli-")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GATE_")}
        self.env["GATE_BIN"] = GATE
        self.env["NO_COLOR"] = "1"
        self.env["GIT_AUTHOR_NAME"] = "Test Publisher"
        self.env["GIT_AUTHOR_EMAIL"] = "publisher@example.org"
        self.env["TMPDIR"] = self.tmp

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write(self, name, data):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(p, mode) as f:
            f.write(data)
        return p

    def gate(self, *args, stdin=None, env=None, cwd=None):
        e = dict(self.env)
        if env:
            e.update(env)
        proc = subprocess.run([GATE] + [str(a) for a in args], input=stdin,
                              capture_output=True, text=True, env=e,
                              cwd=cwd or self.tmp, timeout=600)
        return Result(proc)

    def assertOk(self, r, code=0):
        self.assertEqual(r.code, code, repr(r))
        return r

    def assertFails(self, r, code=1, message=None):
        self.assertEqual(r.code, code, repr(r))
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 1 if code == 1 else len(lines), "not one line: " + r.err)
        if message:
            self.assertIn(message, r.err)
        return r


def main():
    unittest.main(verbosity=2)
