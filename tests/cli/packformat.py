"""packformat.py: an independent reader and writer of docs/pack-format.md, in plain Python.

The CLI tests read packs made by `gate pack` with it (so the documented format is the real
one), and the fuzz corpus is seeded with payloads it writes."""
import hashlib
import struct
import zlib

HEADER = 80


class PackError(Exception):
    pass


def _str(buf, at):
    (n,) = struct.unpack_from("<I", buf, at)
    at += 4
    if at + n > len(buf):
        raise PackError("string runs past the payload at %d" % at)
    return bytes(buf[at:at + n]), at + n


def read(data):
    """Checks the envelope (not the signature: the stdlib has no Ed25519) and parses the payload."""
    if len(data) < HEADER + 32 or data[:8] != b"GATEPACK":
        raise PackError("not a pack")
    fmt, flags, created = struct.unpack_from("<IIq", data, 8)
    commit = data[24:64].decode()
    raw_size, csize = struct.unpack_from("<QQ", data, 64)
    signed = bool(flags & 1)
    if fmt != 1 or flags & ~1:
        raise PackError("format %d flags %d" % (fmt, flags))
    if len(data) != HEADER + csize + 32 + (64 if signed else 0):
        raise PackError("size")
    if hashlib.sha256(data[:HEADER + csize]).digest() != data[HEADER + csize:HEADER + csize + 32]:
        raise PackError("hash")
    payload = zlib.decompress(data[HEADER:HEADER + csize])
    if len(payload) != raw_size:
        raise PackError("raw size")
    pack = parse_payload(payload)
    pack.update({"format": fmt, "signed": signed, "created": created, "source_commit": commit})
    return pack


def parse_payload(p):
    at = 0
    (n,) = struct.unpack_from("<I", p, at)
    at += 4
    settings = []
    for _ in range(n):
        name, at = _str(p, at)
        value, at = _str(p, at)
        settings.append((name.decode(), value.decode()))
    (n,) = struct.unpack_from("<I", p, at)
    at += 4
    texts = {}
    for _ in range(n):
        oid, at = _str(p, at)
        body, at = _str(p, at)
        texts[oid.decode()] = body
    (ndocs,) = struct.unpack_from("<I", p, at)
    at += 4
    docs = {}
    for _ in range(ndocs):
        doc, at = _str(p, at)
        (nv,) = struct.unpack_from("<I", p, at)
        at += 4
        versions = []
        for _ in range(nv):
            n, change, detected, published, effective = struct.unpack_from("<IBBqq", p, at)
            at += 22
            tag, at = _str(p, at)
            commit, at = _str(p, at)
            summary, at = _str(p, at)
            has_reason = p[at]
            at += 1
            reason = None
            if has_reason:
                reason, at = _str(p, at)
            name, at = _str(p, at)
            email, at = _str(p, at)
            (nl,) = struct.unpack_from("<I", p, at)
            at += 4
            locales = []
            for _ in range(nl):
                loc, at = _str(p, at)
                blob, at = _str(p, at)
                locales.append((loc.decode(), blob.decode()))
            versions.append({"n": n, "change": change, "detected": detected, "published": published,
                             "effective": effective, "tag": tag.decode(), "commit": commit.decode(),
                             "summary": summary.decode(), "reason": reason and reason.decode(),
                             "publisher": (name.decode(), email.decode()), "locales": locales})
        docs[doc.decode()] = versions
    if at != len(p):
        raise PackError("trailing bytes")
    return {"settings": settings, "texts": texts, "docs": docs}


def _s(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack("<I", len(b)) + b


def write_payload(settings, texts, docs):
    """The inverse of parse_payload, for seeding the fuzz corpus."""
    out = struct.pack("<I", len(settings))
    for k, v in settings:
        out += _s(k) + _s(v)
    out += struct.pack("<I", len(texts))
    for oid, body in texts.items():
        out += _s(oid) + _s(body)
    out += struct.pack("<I", len(docs))
    for doc, versions in docs.items():
        out += _s(doc) + struct.pack("<I", len(versions))
        for v in versions:
            out += struct.pack("<IBBqq", v["n"], v["change"], v["detected"], v["published"], v["effective"])
            out += _s(v["tag"]) + _s(v["commit"]) + _s(v["summary"])
            out += b"\x01" + _s(v["reason"]) if v.get("reason") else b"\x00"
            out += _s(v["publisher"][0]) + _s(v["publisher"][1]) + struct.pack("<I", len(v["locales"]))
            for loc, blob in v["locales"]:
                out += _s(loc) + _s(blob)
    return out


def seal(payload, created=0, commit="0" * 40):
    """A whole unsigned pack around a payload."""
    c = zlib.compress(payload, 9)
    head = b"GATEPACK" + struct.pack("<IIq", 1, 0, created) + commit.encode() + struct.pack("<QQ", len(payload), len(c))
    body = head + c
    return body + hashlib.sha256(body).digest()
