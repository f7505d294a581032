#!/usr/bin/env python3
"""Flags co_await expressions that GCC 12 miscompiles.

g++ 12 destroys a temporary object with a non-trivial destructor twice when
it is created inside a co_await expression (e.g. the argument of the awaited
coroutine call): braced initialisers `f({...})` / `T{...}`, lambdas capturing
objects by value, string concatenations. The result is a double free (found
here under ASan). Write such arguments as named locals first; capturing by
reference or `this` is fine. Also flags `(co_await x).member`, which g++ 12
compiles into an illegal instruction.

Usage: tools/check_coawait.py [DIR...]   (exit 1 and a list when it finds any)
"""
import pathlib
import re
import sys

ROOTS = sys.argv[1:] or ["sim", "emulators", "pipeline", "scenarios", "app", "runtime", "tests", "bench"]


def strip_comments_and_strings(text):
    # Keep string literals as "" so concatenation with them stays visible.
    text = re.sub(r'R"(\w*)\((?:.|\n)*?\)\1"', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    text = re.sub(r"'(?:\\.|[^'\\\n])'", "' '", text)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*(?:.|\n)*?\*/", "", text)
    return text


def expression_after(text, start):
    """The expression from `start` to the `;` (or unbalanced `)`) ending it."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c == ";" and depth == 0:
            break
        i += 1
    return text[start:i]


LAMBDA = re.compile(r"\[([^\[\]]*)\]\s*(?:\([^()]*\))?\s*(?:mutable\s*)?(?:->[^{;]*)?\{")


def blank_lambda_bodies(expr):
    """Lambda bodies run later: only their captures belong to the expression."""
    out = expr
    for m in reversed(list(LAMBDA.finditer(expr))):
        depth, i = 0, m.end() - 1
        while i < len(out):
            if out[i] == "{":
                depth += 1
            elif out[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out = out[: m.start()] + "LAMBDA" + out[i + 1 :]
    return out


def arguments(expr):
    """The text inside the awaited call's parentheses (empty if no call)."""
    start = expr.find("(")
    return expr[start:] if start >= 0 else ""


def is_pointer_or_scalar(name, before):
    """Declared as a pointer or a plain scalar somewhere before the use."""
    decl = r"(?:\*\s*|\b(?:int|bool|double|float|size_t|u?int\d+_t|std::size_t)\s+)%s\s*[,)=;{]" % re.escape(name)
    return re.search(decl, before) is not None


def problems(expr, before=""):
    found = []
    for captures in LAMBDA.findall(expr):
        for cap in (c.strip() for c in captures.split(",")):
            if cap and cap not in ("this", "&", "*this") and not cap.startswith("&") and "=" not in cap:
                if not is_pointer_or_scalar(cap, before):
                    found.append("lambda capturing '%s' by value" % cap)
            elif "=" in cap and cap != "=":
                found.append("lambda init-capture '%s'" % cap)
    args = arguments(blank_lambda_bodies(expr[len("co_await"):]))
    if re.search(r"\(\s*\{|,\s*\{|[A-Za-z_>]\s*\{", args):
        found.append("braced temporary")
    if re.search(r'""\s*\+|\+\s*""', args):
        found.append("string concatenation")
    return found


def main():
    bad = 0
    for root in ROOTS:
        for path in sorted(pathlib.Path(root).rglob("*")):
            if path.suffix not in (".cc", ".h") or not path.is_file():
                continue
            raw = path.read_text(encoding="utf-8", errors="replace")
            text = strip_comments_and_strings(raw)
            for m in re.finditer(r"(?<!operator )\bco_await\b", text):
                expr = expression_after(text, m.start())
                line = text.count("\n", 0, m.start()) + 1
                for p in problems(expr, text[: m.start()]):
                    print("%s:%d: %s in a co_await expression (g++ 12 destroys it twice)" % (path, line, p))
                    bad += 1
            for m in re.finditer(r"\(\s*co_await\b[^;]*?\)\s*(\.|->)", text):
                line = text.count("\n", 0, m.start()) + 1
                print("%s:%d: member access on (co_await ...) (g++ 12 emits an illegal instruction)" % (path, line))
                bad += 1
    if bad:
        print("%d co_await hazard(s): bind the temporaries to named locals first" % bad)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
