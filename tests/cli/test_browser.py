"""test_browser.py: the HTML pages people read (the diff for the app's users, the pending report) rendered by a
real browser, headless Debian chromium: the expected text is in the rendered page and the screenshots are not
blank, at a desktop width and at a phone's. Skipped, saying so, when chromium is not installed."""
import os
import shutil
import struct
import subprocess
import unittest
import zlib

from gatetest import GateTestCase, main
from test_cli_report import policy_pack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these, chromium reaches for the network and can stall; as root it needs --no-sandbox.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def png_pixels(path):
    """The distinct pixel values of a PNG (8-bit RGB or RGBA, not interlaced), decoded with zlib alone."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    at, idat, header = 8, [], None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        at += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError("unexpected PNG layout %r" % (header,))
    bpp = 3 if color == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    prev = bytearray(stride)
    seen = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            seen.add(bytes(line[x:x + bpp]))
        prev = line
    return seen


@unittest.skipUnless(CHROMIUM, "chromium is not installed: the HTML pages were not checked in a browser")
class BrowserTest(GateTestCase):
    def chromium(self, *args):
        profile = self.path("profile-%d" % len(os.listdir(self.tmp)))
        os.mkdir(profile)
        proc = subprocess.run([CHROMIUM] + FLAGS + ["--user-data-dir=" + profile] + list(args),
                              capture_output=True, text=True, timeout=180, env=self.env, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        return proc.stdout

    def check_page(self, page, texts):
        dom = self.chromium("--dump-dom", "file://" + page)
        for text in texts:
            self.assertIn(text, dom)
        for width, height in ((1280, 900), (390, 844)):
            shot = self.path("shot-%d.png" % width)
            self.chromium("--window-size=%d,%d" % (width, height), "--screenshot=" + shot, "file://" + page)
            pixels = png_pixels(shot)
            # A blank page is one colour; text, charts and badges make many.
            self.assertGreater(len(pixels), 20, "%s at %d px looks blank" % (page, width))
        return dom

    def test_diff_page_renders(self):
        old = self.write("old.md", "# Privacy notice\n\nWe keep your records for 2 years.\n")
        new = self.write("new.md", "# Privacy notice\n\nWe keep your records for 5 years and share them with Acme.\n")
        page = self.path("diff.html")
        self.assertOk(self.gate("diff", "--no-index", old, new, "--format", "html", "-o", page))
        dom = self.check_page(page, ["What changed", "Acme"])
        self.assertIn("<ins", dom)

    def test_pending_report_renders(self):
        self.env["GATE_PACK"] = self.write("policies.pack", policy_pack())
        self.assertOk(self.gate("accept", "alice", "privacy", "1", env={"GATE_NOW": "2026-01-05T09:00:00Z"}))
        self.assertOk(self.gate("accept", "bob", "privacy", "2", env={"GATE_NOW": "2026-02-10T09:00:00Z"}))
        self.assertOk(self.gate("users", "add", "<b>carol</b>", "zoë 😀", env={"GATE_NOW": "2026-01-10T09:00:00Z"}))
        page = self.path("pending.html")
        self.assertOk(self.gate("pending", "--format", "html", "-o", page, env={"GATE_NOW": "2026-03-15T00:00:00Z"}))
        dom = self.check_page(page, ["Pending acceptances: all documents", "4 users known.",
                                     "Users by the newest version they accept", "v2 (in force)",
                                     "&lt;b&gt;carol&lt;/b&gt;", "zoë 😀"])
        self.assertNotIn("<b>carol</b>", dom)
        page = self.path("stats.html")
        self.assertOk(self.gate("stats", "privacy", "--format", "html", "-o", page,
                                env={"GATE_NOW": "2026-03-15T00:00:00Z"}))
        self.check_page(page, ["Uptake of privacy", "Known users on a day", "polyline"])


if __name__ == "__main__":
    main()
