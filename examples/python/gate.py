"""gate.py: a ctypes binding of libgate's core calls, for Python 3 with no third-party modules.

    import gate
    with gate.Gate(repo="/srv/policies", db="/var/lib/app/acceptances.db") as g:
        outcome, decisions = g.check_all("alice")
        for d in decisions:
            if d.outcome != gate.ALLOW:
                with g.diff(d.doc, d.accepted, d.target) as diff:
                    print(diff.render("text"))
        g.accept("alice", "privacy", 3, method="web", client="acme-web 2.1")

The structs below are declared field for field from gate.h; change them only together with it. Every
call that fails raises GateError, carrying the code, its name ("ENOTFOUND") and libgate's one-line
message. Memory the library hands back is copied into Python objects and released at once, except a
diff, which is released by Diff.close() (or a `with` block, or garbage collection).

The library is found at the path given to load(), else $GATE_LIBRARY, else by ctypes.util.find_library.
"""
import ctypes
import ctypes.util
import os
from ctypes import (POINTER, Structure, byref, c_char, c_char_p, c_int, c_int64, c_size_t, c_uint,
                    c_ulong, c_void_p, string_at)
from dataclasses import dataclass

# gate.h constants.
GATE_OPTIONS_VERSION = 1
GATE_DIFF_OPTIONS_VERSION = 1
GATE_RENDER_OPTIONS_VERSION = 1
GATE_DOC_MAX = 64
GATE_LOCALE_MAX = 35
GATE_OID_HEXSIZE = 40
GATE_HASH_HEXSIZE = 65
GATE_TIME_UNSET = -(2 ** 63)

ALLOW, NOTIFY, BLOCK = 0, 1, 2                    # gate_outcome
UNKNOWN, EDITORIAL, MATERIAL = 0, 1, 2            # gate_change
OPEN_READONLY, OPEN_RELAXED_SYNC = 1 << 0, 1 << 1  # gate_open_flags
RENDER_COLOR, RENDER_NO_CONTEXT, RENDER_MATERIAL_ONLY = 1 << 0, 1 << 1, 1 << 2
FORMATS = {"text": 0, "word": 1, "json": 2, "html": 3}  # gate_diff_format
GATE_PACK_PUBLICKEYBYTES = 32


# --- structs, in gate.h's order ------------------------------------------------------------------

class gate_error(Structure):
    _fields_ = [("code", c_int), ("message", c_char_p)]


class gate_buf(Structure):
    _fields_ = [("ptr", c_void_p), ("size", c_size_t), ("reserved", c_size_t)]


gate_clock_fn = ctypes.CFUNCTYPE(c_int64, c_void_p)


class gate_options(Structure):
    _fields_ = [("version", c_uint), ("repo_path", c_char_p), ("db_path", c_char_p),
                ("pack_path", c_char_p), ("pack_public_key", c_char_p), ("flags", c_uint),
                ("clock", gate_clock_fn), ("clock_payload", c_void_p), ("busy_timeout_ms", c_int)]


class gate_locale_text(Structure):
    _fields_ = [("locale", c_char * (GATE_LOCALE_MAX + 1)), ("blob_oid", c_char * (GATE_OID_HEXSIZE + 1))]


class gate_version_info(Structure):
    _fields_ = [("doc", c_char_p), ("n", c_uint), ("change", c_int), ("detected", c_int),
                ("published", c_int64), ("effective", c_int64),
                ("tag_oid", c_char * (GATE_OID_HEXSIZE + 1)), ("commit_oid", c_char * (GATE_OID_HEXSIZE + 1)),
                ("summary", c_char_p), ("reason", c_char_p), ("publisher_name", c_char_p),
                ("publisher_email", c_char_p), ("locale_count", c_size_t),
                ("locales", POINTER(gate_locale_text))]


class gate_decision(Structure):
    _fields_ = [("outcome", c_int), ("doc", c_char * (GATE_DOC_MAX + 1)), ("accepted", c_uint),
                ("accepted_at", c_int64), ("revoked", c_int), ("required", c_uint), ("upcoming", c_uint),
                ("target", c_uint), ("effective", c_int64), ("material", c_int)]


class gate_receipt(Structure):
    _fields_ = [("recorded", c_int), ("seq", c_int64), ("type", c_int), ("n", c_uint),
                ("locale", c_char * (GATE_LOCALE_MAX + 1)), ("commit_oid", c_char * (GATE_OID_HEXSIZE + 1)),
                ("blob_oid", c_char * (GATE_OID_HEXSIZE + 1)), ("at", c_int64),
                ("hash", c_char * GATE_HASH_HEXSIZE)]


class gate_verify_result(Structure):
    _fields_ = [("events", c_int64), ("users", c_int64), ("checkpoints", c_int64),
                ("first_bad_seq", c_int64), ("head_hash", c_char * GATE_HASH_HEXSIZE)]


class gate_diff_change(Structure):
    _fields_ = [("kind", c_int), ("removed", c_void_p), ("removed_len", c_size_t), ("added", c_void_p),
                ("added_len", c_size_t), ("old_offset", c_size_t), ("new_offset", c_size_t),
                ("old_line", c_uint), ("new_line", c_uint), ("section", c_char_p), ("categories", c_uint),
                ("hints", c_uint), ("editorial", c_uint)]


class gate_diff_stats(Structure):
    _fields_ = [("changes", c_size_t), ("material", c_size_t), ("editorial", c_size_t),
                ("words_removed", c_size_t), ("words_added", c_size_t), ("old_words", c_size_t),
                ("new_words", c_size_t), ("old_bytes", c_size_t), ("new_bytes", c_size_t), ("coarse", c_int)]


class gate_diff_side(Structure):
    _fields_ = [("label", c_char_p), ("doc", c_char_p), ("n", c_uint), ("locale", c_char_p),
                ("blob_oid", c_char_p), ("effective", c_int64)]


class gate_diff_options(Structure):
    _fields_ = [("version", c_uint), ("flags", c_uint), ("date_patterns", POINTER(c_char_p)),
                ("date_pattern_count", c_size_t), ("max_cost", c_ulong)]


class gate_render_options(Structure):
    _fields_ = [("version", c_uint), ("flags", c_uint), ("context", c_uint), ("title", c_char_p),
                ("lang", c_char_p)]


STRUCTS = [gate_error, gate_buf, gate_options, gate_locale_text, gate_version_info, gate_decision,
           gate_receipt, gate_verify_result, gate_diff_change, gate_diff_stats, gate_diff_side,
           gate_diff_options, gate_render_options]

_g = c_void_p  # gate *
_d = c_void_p  # gate_diff *

# name: (restype, argtypes)
_SIGNATURES = {
    "gate_version": (c_char_p, []),
    "gate_version_number": (c_int, []),
    "gate_error_last": (POINTER(gate_error), []),
    "gate_error_clear": (None, []),
    "gate_strerror": (c_char_p, [c_int]),
    "gate_err_name": (c_char_p, [c_int]),
    "gate_buf_dispose": (None, [POINTER(gate_buf)]),
    "gate_time_parse": (c_int, [POINTER(c_int64), c_char_p]),
    "gate_time_format": (c_int, [c_char_p, c_int64]),
    "gate_options_init": (c_int, [POINTER(gate_options), c_uint]),
    "gate_open": (c_int, [POINTER(_g), POINTER(gate_options)]),
    "gate_free": (None, [_g]),
    "gate_database_path": (c_char_p, [_g]),
    "gate_now": (c_int64, [_g]),
    "gate_versions": (c_int, [_g, c_char_p, POINTER(POINTER(gate_version_info)), POINTER(c_size_t)]),
    "gate_outcome_name": (c_char_p, [c_int]),
    "gate_change_name": (c_char_p, [c_int]),
    "gate_check": (c_int, [_g, c_char_p, c_char_p, POINTER(gate_decision)]),
    "gate_check_all": (c_int, [_g, c_char_p, POINTER(POINTER(gate_decision)), POINTER(c_size_t)]),
    "gate_accept": (c_int, [_g, c_char_p, c_char_p, c_uint, c_char_p, c_char_p, c_char_p,
                            POINTER(gate_receipt)]),
    "gate_verify": (c_int, [_g, POINTER(gate_verify_result)]),
    "gate_category_name": (c_char_p, [c_uint]),
    "gate_hint_name": (c_char_p, [c_uint]),
    "gate_editorial_name": (c_char_p, [c_uint]),
    "gate_diff_options_init": (c_int, [POINTER(gate_diff_options), c_uint]),
    "gate_diff_texts": (c_int, [POINTER(_d), _g, c_char_p, c_size_t, c_char_p, c_size_t,
                                POINTER(gate_diff_options)]),
    "gate_diff_versions": (c_int, [POINTER(_d), _g, c_char_p, c_uint, c_uint, c_char_p,
                                   POINTER(gate_diff_options)]),
    "gate_diff_free": (None, [_d]),
    "gate_diff_is_material": (c_int, [_d]),
    "gate_diff_change_count": (c_size_t, [_d]),
    "gate_diff_change_at": (POINTER(gate_diff_change), [_d, c_size_t]),
    "gate_diff_get_stats": (POINTER(gate_diff_stats), [_d]),
    "gate_diff_get_side": (POINTER(gate_diff_side), [_d, c_int]),
    "gate_render_options_init": (c_int, [POINTER(gate_render_options), c_uint]),
    "gate_diff_render": (c_int, [_d, c_int, POINTER(gate_render_options), POINTER(gate_buf)]),
}

_lib = None


def load(path=None):
    """Loads libgate (once) and declares every bound function's types; returns the ctypes library."""
    global _lib
    if _lib is not None and path is None:
        return _lib
    path = path or os.environ.get("GATE_LIBRARY") or ctypes.util.find_library("gate")
    if not path:
        raise OSError("libgate not found: pass its path to gate.load() or set GATE_LIBRARY")
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    _lib = lib
    return lib


# --- errors and small helpers ----------------------------------------------------------------------

class GateError(Exception):
    """A libgate failure: `code` (negative), `name` ("ENOTFOUND") and libgate's one-line `message`."""

    def __init__(self, code, name, message):
        super().__init__(message)
        self.code, self.name, self.message = code, name, message

    def __str__(self):
        return "%s (%s)" % (self.message, self.name)


def _check(rc):
    """Returns `rc` when it is not an error; raises the thread's last error otherwise."""
    if rc >= 0:
        return rc
    lib = load()
    err = lib.gate_error_last().contents
    code = err.code or rc
    raise GateError(code, lib.gate_err_name(code).decode(), err.message.decode("utf-8", "replace"))


def _b(s):
    """A str argument as UTF-8 bytes; None stays NULL."""
    return None if s is None else (s if isinstance(s, bytes) else s.encode())


def _s(b):
    return None if b is None else b.decode("utf-8", "replace")


def _time(ms):
    return None if ms == GATE_TIME_UNSET else ms


def version():
    """The linked library's version ("0.1.0")."""
    return load().gate_version().decode()


def strerror(code):
    return load().gate_strerror(code).decode()


def time_parse(text):
    """RFC 3339 or YYYY-MM-DD to milliseconds since the epoch."""
    out = c_int64()
    _check(load().gate_time_parse(byref(out), _b(text)))
    return out.value


def time_format(ms):
    """Milliseconds since the epoch to RFC 3339 UTC."""
    out = ctypes.create_string_buffer(32)
    _check(load().gate_time_format(out, ms))
    return out.value.decode()


def _names(fn, bits):
    """The names of the set bits, from a gate_*_name() function ("" for a bit it does not know)."""
    return tuple(n for n in (fn(1 << i).decode() for i in range(32) if bits & (1 << i)) if n)


# --- results, copied out of the library's memory ---------------------------------------------------

@dataclass(frozen=True)
class Decision:
    outcome: int           # ALLOW, NOTIFY or BLOCK
    doc: str
    accepted: int          # 0: never, or revoked
    accepted_at: object    # ms, or None
    revoked: bool
    required: int
    upcoming: int
    target: int            # the version to ask for; 0 for ALLOW
    effective: object      # ms, or None
    material: bool

    @property
    def outcome_name(self):
        return load().gate_outcome_name(self.outcome).decode()

    @classmethod
    def _from(cls, d):
        return cls(d.outcome, d.doc.decode(), d.accepted, _time(d.accepted_at), bool(d.revoked), d.required,
                   d.upcoming, d.target, _time(d.effective), bool(d.material))


@dataclass(frozen=True)
class Receipt:
    recorded: bool         # False: already so, nothing written
    seq: int
    type: int
    n: int
    locale: str
    commit_oid: str
    blob_oid: str
    at: int
    hash: str


@dataclass(frozen=True)
class Version:
    doc: str
    n: int
    change: int
    detected: int
    published: int
    effective: int
    summary: str
    locales: tuple         # ((locale, blob_oid), ...), the default locale first


@dataclass(frozen=True)
class Change:
    kind: int              # EDITORIAL or MATERIAL
    removed: str
    added: str
    old_offset: int
    new_offset: int
    old_line: int
    new_line: int
    section: str
    categories: tuple      # ("retention", ...)
    hints: tuple           # ("number", ...)
    editorial: tuple       # ("date-line", ...)


@dataclass(frozen=True)
class Side:
    label: str
    doc: object
    n: int
    locale: object
    blob_oid: object
    effective: object


# --- the handle ------------------------------------------------------------------------------------

class _Owned:
    """A library object released once, by its `_free` function: close(), a `with` block or garbage
    collection, whichever comes first."""
    _free = None
    _h = None

    def close(self):
        if self._h:
            getattr(load(), self._free)(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("this %s is closed" % type(self).__name__)
        return self._h


class Gate(_Owned):
    """One policy repository (or pack) and its acceptance database: gate_open() ... gate_free().

    `clock`, when given, is a function returning the current time in milliseconds; it must not raise.
    Use one Gate per thread (gate.h's rule)."""
    _free = "gate_free"

    def __init__(self, repo=None, db=None, pack=None, pack_public_key=None, flags=0, clock=None,
                 busy_timeout_ms=0):
        lib = load()
        if pack_public_key is not None and len(pack_public_key) != GATE_PACK_PUBLICKEYBYTES:
            raise ValueError("pack_public_key is %d bytes" % GATE_PACK_PUBLICKEYBYTES)
        opts = gate_options()
        _check(lib.gate_options_init(byref(opts), GATE_OPTIONS_VERSION))
        # Keep every buffer the options point to alive as long as the handle.
        self._keep = [_b(repo), _b(db), _b(pack), pack_public_key]
        opts.repo_path, opts.db_path, opts.pack_path, opts.pack_public_key = self._keep
        opts.flags = flags
        opts.busy_timeout_ms = busy_timeout_ms
        if clock is not None:
            self._clock = gate_clock_fn(lambda payload: int(clock()))
            opts.clock = self._clock
        self._h = c_void_p()
        _check(lib.gate_open(byref(self._h), byref(opts)))

    @property
    def database_path(self):
        return load().gate_database_path(self._handle()).decode()

    def now(self):
        return load().gate_now(self._handle())

    def versions(self, doc):
        """Every version of `doc`, oldest first."""
        arr, count = POINTER(gate_version_info)(), c_size_t()
        _check(load().gate_versions(self._handle(), _b(doc), byref(arr), byref(count)))
        return [Version(v.doc.decode(), v.n, v.change, v.detected, v.published, v.effective, v.summary.decode(),
                        tuple((v.locales[j].locale.decode(), v.locales[j].blob_oid.decode())
                              for j in range(v.locale_count)))
                for v in (arr[i] for i in range(count.value))]

    def check(self, user, doc):
        """The decision for `user` on `doc`. An exception must be treated as BLOCK (fail closed)."""
        d = gate_decision()
        _check(load().gate_check(self._handle(), _b(user), _b(doc), byref(d)))
        return Decision._from(d)

    def check_all(self, user):
        """(strongest outcome, [Decision per document, sorted by document])."""
        arr, count = POINTER(gate_decision)(), c_size_t()
        outcome = _check(load().gate_check_all(self._handle(), _b(user), byref(arr), byref(count)))
        return outcome, [Decision._from(arr[i]) for i in range(count.value)]

    def accept(self, user, doc, n=0, locale=None, method=None, client=None):
        """Records that `user` accepted version `n` of `doc` (0: the version check() asks for)."""
        r = gate_receipt()
        _check(load().gate_accept(self._handle(), _b(user), _b(doc), n, _b(locale), _b(method), _b(client),
                                  byref(r)))
        return Receipt(bool(r.recorded), r.seq, r.type, r.n, r.locale.decode(), r.commit_oid.decode(),
                       r.blob_oid.decode(), r.at, r.hash.decode())

    def verify(self):
        """Checks the acceptance log; raises GateError (ECORRUPT) naming the first bad event."""
        r = gate_verify_result()
        _check(load().gate_verify(self._handle(), byref(r)))
        return {"events": r.events, "users": r.users, "checkpoints": r.checkpoints,
                "head_hash": r.head_hash.decode()}

    def diff(self, doc, old, new, locale=None, date_patterns=None):
        """Versions `old` (0: none) and `new` of `doc` compared: a Diff."""
        out = c_void_p()
        opts, keep = _diff_options(date_patterns)
        _check(load().gate_diff_versions(byref(out), self._handle(), _b(doc), old, new, _b(locale), opts))
        return Diff(out, self)


def _diff_options(date_patterns):
    if date_patterns is None:
        return None, None
    opts = gate_diff_options()
    _check(load().gate_diff_options_init(byref(opts), GATE_DIFF_OPTIONS_VERSION))
    arr = (c_char_p * max(1, len(date_patterns)))(*[_b(p) for p in date_patterns])
    opts.date_patterns = arr
    opts.date_pattern_count = len(date_patterns)
    return byref(opts), (opts, arr)


def diff_texts(old, new, gate=None, date_patterns=None):
    """Two texts (str or UTF-8 bytes) compared: a Diff. With a Gate, its gate.conf settings apply."""
    old, new = _b(old), _b(new)
    out = c_void_p()
    opts, keep = _diff_options(date_patterns)
    handle = gate._handle() if gate is not None else None
    _check(load().gate_diff_texts(byref(out), handle, old, len(old), new, len(new), opts))
    return Diff(out, gate)


class Diff(_Owned):
    """A diff: its verdict, changes, totals and sides, and renderings. Release with close()."""

    _free = "gate_diff_free"

    def __init__(self, handle, owner=None):
        self._h = handle
        self._owner = owner  # a diff of versions keeps its Gate alive

    @property
    def is_material(self):
        return bool(load().gate_diff_is_material(self._handle()))

    @property
    def changes(self):
        lib, d = load(), self._handle()
        out = []
        for i in range(lib.gate_diff_change_count(d)):
            c = lib.gate_diff_change_at(d, i).contents
            out.append(Change(c.kind, string_at(c.removed, c.removed_len).decode() if c.removed_len else "",
                              string_at(c.added, c.added_len).decode() if c.added_len else "",
                              c.old_offset, c.new_offset, c.old_line, c.new_line, c.section.decode(),
                              _names(lib.gate_category_name, c.categories),
                              _names(lib.gate_hint_name, c.hints), _names(lib.gate_editorial_name, c.editorial)))
        return out

    @property
    def stats(self):
        s = load().gate_diff_get_stats(self._handle()).contents
        return {name: getattr(s, name) for name, _ in gate_diff_stats._fields_}

    def side(self, which):
        """The old (0) or new (1) side."""
        p = load().gate_diff_get_side(self._handle(), which)
        if not p:
            raise ValueError("side is 0 (old) or 1 (new)")
        s = p.contents
        return Side(_s(s.label), _s(s.doc), s.n, _s(s.locale), _s(s.blob_oid), _time(s.effective))

    def render(self, format="text", color=False, no_context=False, material_only=False, context=0,
               title=None, lang=None):
        """The diff as text, word (git's --word-diff), json or html: a str."""
        if format not in FORMATS:
            raise ValueError("format is one of %s" % ", ".join(FORMATS))
        lib = load()
        opts = gate_render_options()
        _check(lib.gate_render_options_init(byref(opts), GATE_RENDER_OPTIONS_VERSION))
        opts.flags = ((RENDER_COLOR if color else 0) | (RENDER_NO_CONTEXT if no_context else 0)
                      | (RENDER_MATERIAL_ONLY if material_only else 0))
        opts.context = context
        opts.title, opts.lang = _b(title), _b(lang)
        buf = gate_buf()
        try:
            _check(lib.gate_diff_render(self._handle(), FORMATS[format], byref(opts), byref(buf)))
            return string_at(buf.ptr, buf.size).decode() if buf.size else ""
        finally:
            lib.gate_buf_dispose(byref(buf))
