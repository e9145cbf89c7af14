"""What README.md and docs/*.md tell a reader to run, read from the markdown: the ``curl`` calls and
local URLs (method, port, path, body, the demo role whose token they send), the ``make`` targets and
the ``python -m`` commands with their options. The documentation tests check each against the
Makefile, the commands' own ``--help`` and a running local stack."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCAL_URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost):(\d+)(/[^\s`'\")]*)?")
PLACEHOLDER = re.compile(r"\$\{?\w+\}?|<[^>/]+>|\{[^}/]+\}")
STATUS_COMMENT = re.compile(r"#\s*(?:→\s*)?([1-5]\d\d)\b")
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=(.*)$")
MAKE = re.compile(r"(?<![\w.-])make[ \t]+(?:-s[ \t]+)?([a-z][\w-]*)((?:[ \t]+[A-Z][A-Z0-9_]*=\S+)*)")
PYTHON_M = re.compile(r"(?:python3?|\.venv/bin/python|\$\(PY\))[ \t]+-m[ \t]+([\w.]+)((?:[ \t]+(?!\||#)[^\s`|;&]+)*)")
# curl options whose value is the next argument
CURL_VALUE_OPTIONS = {"-X", "-H", "-d", "--data", "--data-binary", "-o", "-w", "-u", "-F", "--request", "--header"}


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass
class Snippet:
    """A piece of a document a reader would run: a code block (continuation lines joined) or an
    inline code span, with where it stands."""

    path: Path
    line: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass
class Request:
    """One documented HTTP call to the local stack."""

    where: str
    method: str
    port: int  # 0: not a local address (a variable the document never set)
    path: str  # as documented, query included ("": the bare address); variables the document sets expanded
    role: str | None = None  # the demo role whose token it sends (None: no token)
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expected: int | None = None  # the status the document says it gets (``# 403``, ``# → 201 {…}``)

    @property
    def route(self) -> str:
        return self.path.split("?", 1)[0].split("#", 1)[0]

    @property
    def concrete(self) -> bool:
        """No placeholder left ($APP, <id>, {id}): it can be sent as it stands."""
        return PLACEHOLDER.search(self.path) is None


class UnclosedBlock(ValueError):
    pass


def snippets(path: Path) -> Iterator[Snippet]:
    """Code blocks (fenced with ```), then inline code spans of the prose. ``UnclosedBlock`` when a
    fence that opens a block (```sh) stands inside one: the block before it was never closed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    in_block, start, block = False, 0, list[str]()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("```"):
            if in_block and line.strip() != "```":
                raise UnclosedBlock(
                    f"{path.relative_to(ROOT)}:{start - 1}: the block is not closed before line {number}"
                )
            if in_block:
                yield Snippet(path, start, "\n".join(block).replace("\\\n", " "))
                block = []
            else:
                start = number + 1
            in_block = not in_block
        elif in_block:
            block.append(line)
        else:
            for span in re.findall(r"`([^`]+)`", line):
                yield Snippet(path, number, span)


def _expand(text: str, variables: dict[str, str]) -> str:
    """``$NAME`` / ``${NAME}`` of a variable the document set to a literal (or a token command)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


def _role(headers: list[str]) -> str | None:
    """The demo role of the bearer token a call sends: ``make -s token`` is hr, ``ROLE=x`` says x."""
    for header in headers:
        if "Authorization: Bearer" in header:
            role = re.search(r"ROLE=(\w+)", header)
            return role.group(1) if role else "hr"
    return None


def _logical_lines(text: str) -> Iterator[str]:
    """The text's lines, a quoted string that spans lines kept whole (a multi-line ``-d '…'``)."""
    quote, start = "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "\n":
            yield text[start:i]
            start = i + 1
    yield text[start:]


def _curl_commands(line: str) -> Iterator[str]:
    """Each ``curl …`` command of a shell line, up to the ``|``, ``;``, ``&&`` or ``)`` that ends it
    outside quotes (a curl inside ``$(…)`` included)."""
    for start in (m.start() for m in re.finditer(r"(?<![\w-])curl\s", line)):
        quote, depth, end = "", 0, len(line)
        for i in range(start, len(line)):
            char = line[i]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif line.startswith("$(", i):
                depth += 1
            elif char == ")" and depth:
                depth -= 1
            elif char in "|;)" or line.startswith("&&", i):
                end = i
                break
        yield line[start:end].strip()


def _curl(where: str, command: str) -> Request | None:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return None
    method, url, headers, body = None, None, [], None
    i = 1
    while i < len(words):
        word = words[i]
        if word in CURL_VALUE_OPTIONS and i + 1 < len(words):
            value = words[i + 1]
            if word in ("-X", "--request"):
                method = value
            elif word in ("-H", "--header"):
                headers.append(value)
            elif word in ("-d", "--data", "--data-binary"):
                body = (ROOT / value[1:]).read_bytes() if value.startswith("@") else value.encode()
            i += 2
            continue
        if LOCAL_URL.match(word) or (url is None and re.match(r"\$\{?\w+\}?/", word)):
            url = word  # (an address from a variable the document never set is kept, to be reported)
        i += 1
    if url is None:
        return None
    found = LOCAL_URL.match(url)
    if not found:
        return Request(where, method or "GET", 0, url)
    named = dict(h.split(":", 1) for h in headers if ":" in h and not h.startswith("Authorization"))
    return Request(
        where,
        method or ("POST" if body is not None else "GET"),
        int(found.group(1)),
        found.group(2) or "",
        _role(headers),
        body,
        {k.strip(): v.strip() for k, v in named.items()},
    )


def requests() -> list[Request]:
    """Every documented call to a local port, in document order: each ``curl`` command, and each
    other local URL of a code block or inline span as a GET (``POST`` when the text says so)."""
    found: list[Request] = []
    for path in documents():
        variables: dict[str, str] = {}
        for snippet in snippets(path):
            first = len(found)
            for line in _logical_lines(snippet.text):
                said = STATUS_COMMENT.search(line)
                if said and line.lstrip().startswith("#") and len(found) > first:
                    found[-1].expected = int(said.group(1))  # the answer shown under the call
                    continue
                assigned = ASSIGNMENT.match(line)
                if assigned and ("$(" not in assigned.group(2) or "make -s token" in assigned.group(2)):
                    variables[assigned.group(1)] = assigned.group(2).strip("'\"")
                expanded = _expand(line, variables)
                commands = list(_curl_commands(expanded))
                for command in commands:
                    request = _curl(snippet.where, command)
                    if request:
                        found.append(request)
                if len(commands) == 1 and said and found:
                    found[-1].expected = int(said.group(1))  # the answer named beside the call
                if commands:
                    continue
                for match in LOCAL_URL.finditer(expanded):
                    before = expanded[: match.start()].split()
                    method = before[-1] if before and before[-1] in ("GET", "POST", "PUT", "PATCH", "DELETE") else "GET"
                    found.append(Request(snippet.where, method, int(match.group(1)), match.group(2) or ""))
    return found


@dataclass(frozen=True)
class Command:
    where: str
    program: str  # a make target, or the module of ``python -m``
    options: tuple[str, ...]  # --flags (python -m) or VARIABLE names (make)


def _commands(command: re.Pattern[str], option: str) -> list[Command]:
    return [
        Command(s.where, m.group(1), tuple(re.findall(option, m.group(2))))
        for path in documents()
        for s in snippets(path)
        for m in command.finditer(s.text)
    ]


def make_commands() -> list[Command]:
    """``make TARGET [VARIABLE=value …]``: the target and the variables' names."""
    return _commands(MAKE, r"([A-Z][A-Z0-9_]*)=")


def python_commands() -> list[Command]:
    """``python -m MODULE [--option …]``: the module and its options."""
    return _commands(PYTHON_M, r"(?<!\S)(--[a-z][\w-]*)")


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))


def makefile_variables() -> set[str]:
    return set(re.findall(r"\$\(([A-Z][A-Z0-9_]*)\)", (ROOT / "Makefile").read_text(encoding="utf-8")))
