"""A small parser for the regex subset the rules use, for gates and folding (gate.py).

It reads a pattern's source into a tree (literals, classes, escapes, groups, lookarounds,
alternation, repeats) so that gate.py can find the literals every match contains and
rewrite a case-insensitive pattern for lower-cased text, without the standard library's
private regex internals. Anything outside the subset (backreferences, conditionals,
inline flags, possessive repeats) raises :class:`Unsupported`: the caller then runs the
pattern as it is (no gate, no folding), which is always correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAXREPEAT = 1 << 30


class Unsupported(Exception):
    """A construct this parser does not read."""


@dataclass
class Node:
    kind: str  # lit | class | esc | any | zero | seq | alt | group | look | repeat
    text: str = ""  # lit: the character; class: source inside [...]; esc: the escape
    items: list[Node] = field(default_factory=list)  # seq / alt / group / look / repeat
    lo: int = 1
    hi: int = 1
    lazy: bool = False
    head: str = ""  # group / look: the opening ("(", "(?:", "(?P<d3>", "(?<!"...)


_ZERO_ESC = set("bBAZ")
_CLASS_ESC = set("wWsSdD")
_SIMPLE_ESC = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


class _Parser:
    def __init__(self, src: str) -> None:
        self.s = src
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def parse(self) -> Node:
        node = self.alt()
        if self.i != len(self.s):
            raise Unsupported(f"unexpected {self.peek()!r} at {self.i}")
        return node

    def alt(self) -> Node:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else Node("alt", items=branches)

    def seq(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.repeat(self.atom()))
        return Node("seq", items=items)

    def repeat(self, atom: Node) -> Node:
        c = self.peek()
        lo, hi = 1, 1
        if c == "?":
            lo, hi = 0, 1
        elif c == "*":
            lo, hi = 0, MAXREPEAT
        elif c == "+":
            lo, hi = 1, MAXREPEAT
        elif c == "{":
            j = self.s.find("}", self.i)
            body = self.s[self.i + 1 : j] if j > 0 else ""
            parts = body.split(",")
            if j < 0 or len(parts) > 2 or not all(p.strip().isdigit() or p == "" for p in parts):
                raise Unsupported("brace that is not a repeat")
            lo = int(parts[0] or 0)
            hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else MAXREPEAT)
            self.i = j
        else:
            return atom
        self.i += 1
        lazy = False
        if self.peek() == "?":
            lazy = True
            self.i += 1
        elif self.peek() == "+":
            raise Unsupported("possessive repeat")
        if atom.kind in ("zero", "look"):
            raise Unsupported("repeated zero-width item")
        return Node("repeat", items=[atom], lo=lo, hi=hi, lazy=lazy)

    def atom(self) -> Node:
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.klass()
        if c == "\\":
            return self.escape()
        if c in "^$":
            self.i += 1
            return Node("zero", text=c)
        if c == ".":
            self.i += 1
            return Node("any", text=".")
        if c in "*+?{":
            raise Unsupported(f"nothing to repeat at {self.i}")
        self.i += 1
        return Node("lit", text=c)

    def group(self) -> Node:
        s, i = self.s, self.i
        for head, _kind in (
            ("(?:", "group"),
            ("(?=", "look"),
            ("(?!", "look"),
            ("(?<=", "look"),
            ("(?<!", "look"),
        ):
            if s.startswith(head, i):
                kind = _kind
                break
        else:
            if s.startswith("(?P<", i):
                j = s.index(">", i)
                head, kind = s[i : j + 1], "group"
            elif s.startswith("(?", i):
                raise Unsupported("inline flags or extension group")
            else:
                head, kind = "(", "group"
        self.i += len(head)
        inner = self.alt()
        if self.peek() != ")":
            raise Unsupported("unclosed group")
        self.i += 1
        return Node(kind, items=[inner], head=head)

    def klass(self) -> Node:
        j = self.i + 1
        if j < len(self.s) and self.s[j] == "^":
            j += 1
        if j < len(self.s) and self.s[j] == "]":
            j += 1
        while j < len(self.s) and self.s[j] != "]":
            if self.s[j] == "\\":
                j += 1
            elif self.s[j] == "[":
                raise Unsupported("nested set")
            j += 1
        if j >= len(self.s):
            raise Unsupported("unclosed set")
        body = self.s[self.i + 1 : j]
        self.i = j + 1
        return Node("class", text=body)

    def escape(self) -> Node:
        c = self.s[self.i + 1 : self.i + 2]
        self.i += 2
        if c in _ZERO_ESC:
            return Node("zero", text="\\" + c)
        if c in _CLASS_ESC:
            return Node("esc", text="\\" + c)
        if c in _SIMPLE_ESC:
            return Node("lit", text=_SIMPLE_ESC[c])
        if not c or c.isalnum():
            raise Unsupported(f"escape \\{c}")
        return Node("lit", text=c)


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def parse(src: str) -> Node:
    """The tree of ``src``; raises :class:`Unsupported` outside the subset. Leading
    global flags (``(?i)``) are skipped: the compiled pattern's flags hold them."""
    m = _GLOBAL_FLAGS.match(src)
    return _Parser(src[m.end() :] if m else src).parse()


def class_chars(body: str) -> set[str] | None:
    """The characters of a set's source (``a-z``, ``\\-``...), or None when it is negated
    or holds a class escape (``\\w``): not a small finite set."""
    if body.startswith("^"):
        return None
    out: set[str] = set()
    chars: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            e = body[i + 1 : i + 2]
            if e in _CLASS_ESC or (e.isalnum() and e not in _SIMPLE_ESC):
                return None
            chars.append(_SIMPLE_ESC.get(e, e))
            i += 2
            continue
        chars.append(c)
        i += 1
    k = 0
    while k < len(chars):
        if k + 2 < len(chars) and chars[k + 1] == "-":
            a, b = ord(chars[k]), ord(chars[k + 2])
            if b - a > 256:
                return None
            out.update(chr(x) for x in range(a, b + 1))
            k += 3
        else:
            out.add(chars[k])
            k += 1
    return out
