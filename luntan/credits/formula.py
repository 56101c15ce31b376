"""The total-credits formula (总积分计算公式), parsed without ``eval``.

Discuz! X3.4 stores ``creditsformula`` as PHP and evaluates it; luntan accepts only a sum
of terms over integers and the known names, e.g. the Discuz! default
``posts + digestposts*5 + extcredits1*2 + extcredits2 + extcredits3``.

Grammar (white space ignored)::

    formula := ["+" | "-"] term (("+" | "-") term)*
    term    := factor ("*" factor)*
    factor  := INTEGER | NAME | "(" formula ")"

``NAME`` is one of :data:`NAMES` (``posts``, ``threads``, ``digestposts``,
``extcredits1`` … ``extcredits8``). Anything else — ``**``, ``/``, calls, attributes,
unknown names, more than :data:`MAX_LENGTH` characters — raises :class:`FormulaError`
with a message an admin can act on. :func:`parse` returns a :class:`Formula` whose
:meth:`Formula.evaluate` takes a mapping of those names to ints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

DEFAULT_FORMULA = "posts + digestposts*5 + extcredits1*2 + extcredits2 + extcredits3"
NAMES = ("posts", "threads", "digestposts", *(f"extcredits{i}" for i in range(1, 9)))
MAX_LENGTH = 300
_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\S))")


class FormulaError(ValueError):
    """The formula is not a sum of products of integers and known names."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: a tree of ``("+"|"-"|"*", left, right)``, ``("n", int)`` and
    ``("v", name)`` tuples. Evaluate with :meth:`evaluate`."""

    source: str
    tree: tuple

    def evaluate(self, values: Mapping[str, int]) -> int:
        """The formula's value; names missing from ``values`` count as 0."""
        return _eval(self.tree, values)

    @property
    def names(self) -> frozenset[str]:
        """The names the formula reads."""
        found: set[str] = set()
        _collect(self.tree, found)
        return frozenset(found)


def _eval(node: tuple, values: Mapping[str, int]) -> int:
    op = node[0]
    if op == "n":
        return node[1]
    if op == "v":
        return int(values.get(node[1], 0) or 0)
    left, right = _eval(node[1], values), _eval(node[2], values)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    return left * right


def _collect(node: tuple, found: set[str]) -> None:
    if node[0] == "v":
        found.add(node[1])
    elif node[0] in "+-*":
        _collect(node[1], found)
        _collect(node[2], found)


def _tokens(text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the pattern matches any non-space character
            break
        number, name, other = m.groups()
        if number is not None:
            if len(number) > 9:
                raise FormulaError(_("数字太大：%(n)s") % {"n": number})
            out.append(("n", int(number)))
        elif name is not None:
            if name not in NAMES:
                raise FormulaError(
                    _("未知的名称“%(name)s”，只能使用：%(names)s")
                    % {"name": name, "names": ", ".join(NAMES)}
                )
            out.append(("v", name))
        elif other in "+-*()":
            out.append((other, None))
        else:
            raise FormulaError(
                _("不允许的字符“%(c)s”：只能使用 + - * ( ) 、整数和积分名称") % {"c": other}
            )
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def formula(self) -> tuple:
        sign = None
        if self.peek() in ("+", "-"):
            sign = self.take()[0]
        node = self.term()
        if sign == "-":
            node = ("-", ("n", 0), node)
        while self.peek() in ("+", "-"):
            op = self.take()[0]
            node = (op, node, self.term())
        return node

    def term(self) -> tuple:
        node = self.factor()
        while self.peek() == "*":
            self.take()
            if self.peek() == "*":
                raise FormulaError(_("不支持乘方（**）。"))
            node = ("*", node, self.factor())
        return node

    def factor(self) -> tuple:
        kind = self.peek()
        if kind is None:
            raise FormulaError(_("公式不完整。"))
        if kind in ("n", "v"):
            tok = self.take()
            return (tok[0], tok[1])
        if kind == "(":
            self.take()
            self.depth += 1
            if self.depth > 10:
                raise FormulaError(_("括号嵌套太深。"))
            node = self.formula()
            if self.peek() != ")":
                raise FormulaError(_("缺少右括号。"))
            self.take()
            self.depth -= 1
            return node
        raise FormulaError(_("“%(tok)s”的位置不对。") % {"tok": kind})


def parse(text: str) -> Formula:
    """Parse ``text`` into a :class:`Formula`; raise :class:`FormulaError` when it is not
    a valid formula (empty, too long, unknown name, operator other than + - *, …)."""
    text = (text or "").strip()
    if not text:
        raise FormulaError(_("公式不能为空。"))
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("公式不能超过 %(n)d 个字符。") % {"n": MAX_LENGTH})
    tokens = _tokens(text)
    parser = _Parser(tokens)
    tree = parser.formula()
    if parser.peek() is not None:
        raise FormulaError(_("“%(tok)s”的位置不对。") % {"tok": parser.peek()})
    return Formula(text, tree)


def describe(text: str, credit_names: Mapping[int, str]) -> str:
    """``text`` (a formula) as a reader sees it on 积分规则, the way Discuz!'s page writes
    it: names instead of column names and × for ``*``, e.g. ``posts + digestposts*5 +
    extcredits1*2 + extcredits2`` → ``发帖数 + 精华帖数×5 + 威望×2 + 金钱``.

    ``credit_names``: ``{N: name}`` of the extended credits (an unnamed one reads
    扩展积分N). A formula that does not parse is returned as written."""
    try:
        parse(text)
        tokens = _tokens(text)
    except FormulaError:
        return text
    fixed = {"posts": _("发帖数"), "threads": _("主题数"), "digestposts": _("精华帖数")}
    out: list[str] = []
    for kind, value in tokens:
        if kind == "n":
            out.append(str(value))
        elif kind == "v":
            name = str(value)
            if name in fixed:
                out.append(fixed[name])
            else:
                n = int(name.removeprefix("extcredits"))
                out.append(credit_names.get(n) or _("扩展积分%(n)s") % {"n": n})
        elif kind in "+-":
            out.append(f" {kind} " if out and out[-1] != "(" else kind)
        elif kind == "*":
            out.append("×")
        else:
            out.append(kind)
    return "".join(out).strip()
