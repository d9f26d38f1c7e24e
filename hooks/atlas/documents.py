"""Parse the YAML documents of `data/` and validate them against the schema, keeping line numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, get_origin

import yaml
from pydantic import ValidationError

from .errors import Problem
from .datafiles import FILES
from .schema import ID_PATTERN, Strict

Path_ = tuple[str | int, ...]


class Located:
    """A YAML document converted to plain Python, plus the line of every key and value."""

    def __init__(self, data: Any, lines: dict[Path_, int]):
        """Store the data and the line map (paths are tuples of keys and list indexes)."""
        self.data = data
        self.lines = lines

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def format_path(path: Path_) -> str:
    """Render ('models', 3, 'moe', 'shared_experts') as models[3].moe.shared_experts."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# Bounds on what one data file may ask of the parser. Each is far above what real data needs and far
# below what would cost noticeable time or memory; a file beyond one is refused with one problem.
MAX_FILE_BYTES = 16 * 1024 * 1024  # the largest real file is 66 kB; data ×100 (make bench) stays under 8 MB
MAX_DEPTH = 64  # real data nests 6 levels; libyaml's composer recursed until it segfaulted
MAX_ALIAS_NODES = 100_000  # nodes aliases may stand for, per file (real data: a few hundred)
MAX_INTEGER = 2**53  # beyond it an integer is not a figure and not exact in JavaScript (chart JSON)
_MAX_NUMBER_CHARS = 64  # int("9" * 5000) raises; a sexagesimal 1:2:3:... grows without bound

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Refused(Exception):
    """The file asks for more than the bounds allow: one problem, the file is not read further."""

    def __init__(self, line: int, message: str):
        """Keep the line and the message of the problem."""
        super().__init__(message)
        self.line = line
        self.message = message


class _Collection:
    """A mapping or sequence being built: its value, path (None under a key) and size so far."""

    __slots__ = ("value", "path", "anchor", "size", "key", "key_line", "has_key", "skip")

    def __init__(self, value, path, anchor):
        """Start an empty collection."""
        self.value, self.path, self.anchor, self.size = value, path, anchor, 1
        self.key, self.key_line, self.has_key, self.skip = None, 0, False, False


def _scalar(loader, event, file: str, field: str, problems: list[Problem]) -> Any:
    """Resolve and construct one scalar as the safe loader would; bad numbers and dates become problems."""
    line = event.start_mark.line + 1
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag in (_INT_TAG, _FLOAT_TAG) and len(event.value) > _MAX_NUMBER_CHARS:
        problems.append(Problem(file, line, field, f"a number of {len(event.value)} characters is not a figure; "
                                                f"expected at most {_MAX_NUMBER_CHARS}"))
        return None
    constructor = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = constructor(loader, node)
    except yaml.YAMLError:
        raise  # e.g. an unknown tag: reported in the pure-Python parser's words
    except Exception as error:  # PyYAML's own: the date 2025-13-45 (ValueError), `!!int ''` (IndexError)
        reason = f" ({error})" if isinstance(error, ValueError) else ""
        problems.append(Problem(file, line, field, f"{event.value!r} is not a valid {tag.rsplit(':', 1)[-1]}"
                                                f"{reason}; quote it if it is text"))
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        problems.append(Problem(file, line, field, f"expected an integer of at most {MAX_INTEGER:,} in size, "
                                                f"got one of {len(str(abs(value)))} digits"))
        return None
    return value


def _build(loader, file: str) -> tuple[Located | None, list[Problem]]:
    """Build plain Python values and their lines straight from the parser's events, without recursion.

    Bounds nesting depth and alias expansion as it goes (raising _Refused), records duplicate and
    non-text keys as problems. An alias gives the anchored value itself (not a copy), and its line is
    the alias's: a problem inside aliased data points at the place that uses it.
    """
    problems: list[Problem] = []
    lines: dict[Path_, int] = {}
    anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, size in nodes)
    stack: list[_Collection] = []
    expanded = 0
    root: list[Any] = []
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        return None, [Problem(file, 1, "", "the file is empty")]
    loader.get_event()  # DocumentStart
    while True:
        event = loader.get_event()
        line = event.start_mark.line + 1
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            value, size = done.value, done.size
            if done.anchor is not None:
                anchors[done.anchor] = (value, size)
        elif kind is yaml.DocumentEndEvent:
            break
        else:
            top = stack[-1] if stack else None
            if top is None:
                path: Path_ | None = ()
            elif top.path is None or (isinstance(top.value, dict) and (not top.has_key or top.skip)):
                path = None  # a key, or under a key: not a place in the document
            elif isinstance(top.value, dict):
                path = (*top.path, top.key)
            else:
                path = (*top.path, len(top.value))
            if path is not None:
                lines.setdefault(path, line)
            anchor = getattr(event, "anchor", None) if kind is not yaml.AliasEvent else None
            if anchor is not None and (anchor in anchors or any(item.anchor == anchor for item in stack)):
                raise _Refused(line, f"found duplicate anchor {anchor!r}; anchors must be unique")
            if kind is yaml.ScalarEvent:
                value, size = _scalar(loader, event, file, "" if path is None else format_path(path), problems), 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    opened = any(item.anchor == event.anchor for item in stack)
                    raise _Refused(line, f"the alias *{event.anchor} refers to a node that contains it"
                                   if opened else f"found undefined alias {event.anchor!r}")
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > MAX_ALIAS_NODES:
                    raise _Refused(line, f"aliases expand to more than {MAX_ALIAS_NODES:,} values; "
                                         "expected far fewer (write the data out, or use fewer aliases)")
            else:  # the start of a mapping or sequence
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(line, f"the data nests more than {MAX_DEPTH} levels deep")
                if event.tag not in (None, "!", _MAP_TAG if kind is yaml.MappingStartEvent else _SEQ_TAG):
                    raise _Refused(line, f"unsupported tag {event.tag!r}; expected a plain mapping or list")
                stack.append(_Collection({} if kind is yaml.MappingStartEvent else [], path, event.anchor))
                continue
        # a complete value: attach it to the collection it belongs to (or make it the document)
        if not stack:
            root.append(value)
            continue
        top = stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
        elif not top.has_key:
            top.has_key, top.key_line, top.skip = True, line, False
            where = () if top.path is None else top.path
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
                problems.append(Problem(file, line, format_path(where), f"keys must be plain text, got {shown}"))
                top.skip = True
            else:
                top.key = str(value)
                if top.key in top.value:
                    problems.append(Problem(file, line, format_path((*where, top.key)),
                                            "duplicate key: it appears earlier in the same mapping"))
                    top.skip = True
                elif top.path is not None:
                    lines[(*top.path, top.key)] = line
        else:
            if not top.skip:
                top.value[top.key] = value
            top.has_key = False
    if not loader.check_event(yaml.StreamEndEvent):
        raise _Refused(loader.peek_event().start_mark.line + 1,
                       "expected a single document in the stream, found another")
    return Located(root[0], lines), problems


# libyaml's parser when PyYAML has it: it reads the data several times faster (make bench). Its events
# give the same values and lines; a file it rejects is read again by the pure-Python parser, whose
# messages (e.g. "found unexpected end of stream") are the ones reported. Neither parser recurses, and
# nor does _build: libyaml's own composer did, and 100,000 nested brackets overflowed the C stack.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse(text: str, file: str, loader_class) -> tuple[Located | None, list[Problem]]:
    """Parse one document with `loader_class` (its YAML errors propagate)."""
    loader = loader_class(text)
    try:
        return _build(loader, file)
    except _Refused as refused:
        return None, [Problem(file, refused.line, "", refused.message)]
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document; syntax errors and documents beyond the bounds (size, depth, alias
    expansion, integer size) become problems with their line."""
    if len(text) > MAX_FILE_BYTES:
        return None, [_too_large(file, len(text), "characters")]
    if _FAST_LOADER is not None:
        try:
            return _parse(text, file, _FAST_LOADER)
        except yaml.YAMLError:
            pass  # reported below, in the pure-Python parser's words
    try:
        return _parse(text, file, yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line, what = plain_words(error, text)
        return None, [Problem(file, line, "", f"YAML syntax error: {what}")]
    except yaml.reader.ReaderError as error:  # a control character, or text that is not UTF-8
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else 1
        return None, [Problem(file, line, "", f"YAML syntax error: unacceptable character "
                                              f"#x{error.character:04x}: {error.reason}")]
    except yaml.YAMLError as error:  # pragma: no cover - every other PyYAML error we know is marked
        return None, [Problem(file, 1, "", f"YAML error: {error}")]


_KEYS_IN_LINE = "the keys of one entry start in the same column, and so do the `- ` items of one list"


def _opens_quote(line: str) -> bool:
    """Whether a line leaves a quoted value open: an odd number of double quotes (not escaped), or a
    value that starts with a single quote and has an odd number of them."""
    if line.replace('\\"', "").count('"') % 2:
        return True
    value = line.split(": ", 1)[1] if ": " in line else line.strip().removeprefix("- ")
    return value.lstrip().startswith("'") and value.count("'") % 2 == 1


def plain_words(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line and a plain-words message for a PyYAML syntax error, whose own wording ("mapping
    values are not allowed here", "expected <block end>") names the parser's state, not the mistake.
    The line is where the mistake is: for an unclosed quote or bracket, where it opens."""
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    opened = error.context_mark.line + 1 if error.context_mark else line
    before = text.split("\n")[line - 1][:mark.column] if mark and line <= text.count("\n") + 1 else ""
    if any(words in problem for words in ("expected <block end>", "mapping values", "expected ':'")):
        # a quote left open is closed by the next quote further down, and the parser stumbles there
        start = error.context_mark.line if error.context_mark else max(line - 50, 0)
        for number in range(start, line - 1):
            if _opens_quote(text.split("\n")[number]):
                return number + 1, "unclosed quote: the value that starts here with a quote has no closing quote"
    if "found character '\\t'" in problem:
        return line, "a tab is not allowed for indentation (or before a value); use spaces"
    if "that cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "this character"
        return line, f"a value cannot start with {char}: put the value in quotes"
    if "mapping values are not allowed" in problem:
        if ": " in before:  # the line has its key already: this colon is in the value
            return line, "a `:` inside an unquoted value: put the value in quotes"
        return line, f"this line is indented more than expected ({_KEYS_IN_LINE})"
    if "expected <block end>" in problem:
        if "'<scalar>'" in problem and ('"' in before or "'" in before):
            return line, "text after a closing quote: put the whole value in quotes"
        if "'-'" in problem:
            return line, f"a list item (`- `) where a key was expected: check the indentation ({_KEYS_IN_LINE})"
        return line, f"this line is indented less than expected ({_KEYS_IN_LINE})"
    if "quoted scalar" in context:
        return opened, "unclosed quote: the value that starts here with a quote has no closing quote"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        closing = "]" if bracket == "[" else "}"
        return opened, (f"the `{bracket}` that opens here is not closed with `{closing}` "
                        "(or a value in it needs quotes)")
    if "an alias" in context or "an anchor" in context:
        char = "*" if "alias" in context else "&"
        return line, f"a value that starts with `{char}` is read as an alias or anchor: put the value in quotes"
    if "simple key" in context and "expected ':'" in problem:
        return opened, ("expected `key: value` on this line; if it continues the value above, "
                        "indent it more or put the whole value in quotes")
    return line, " ".join(part for part in (context, problem) if part)  # PyYAML's words: nothing plainer known


def _too_large(file: str, size: int, unit: str) -> Problem:
    """The problem of a file beyond MAX_FILE_BYTES."""
    return Problem(file, 1, "", f"the file has {size:,} {unit}; expected at most {MAX_FILE_BYTES:,} bytes "
                                "(split the data, or check that this is the right file)")


def _describe(error: dict[str, Any]) -> str:
    """Turn one pydantic error into 'expected …, got …' wording for editors."""
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the field list on the Data page)"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        message = "an id: lower-case words of letters and digits joined by single '-' or '.'"
    expected = message.removeprefix("Value error, ").removeprefix("Input should be ")
    got = error.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"expected {expected}, got {shown}"


def validate_document(located: Located, record_type: type[Strict], file: str,
                      today: dt.date) -> tuple[Strict | None, list[Problem]]:
    """Validate a parsed document against its root record type; every error names its line and field."""
    try:
        return record_type.model_validate(located.data, context={"today": today}), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            # pydantic appends the validator name for tagged unions and constrained types; drop
            # parts that are not real keys so the path stays what the editor wrote.
            loc = tuple(part for part in loc if isinstance(part, int) or not str(part).startswith("function-"))
            problems.append(Problem(file, located.line(loc), format_path(loc), _describe(item)))
        return None, problems


def read_document(content: bytes | None, record_type: type[Strict], display: str,
                  today: dt.date) -> tuple[Strict | None, Located | None, list[Problem]]:
    """Decode, parse and validate one data file's bytes (None: the file does not exist)."""
    if content is None:
        return None, None, [Problem(display, 0, "", "file is missing")]
    if len(content) > MAX_FILE_BYTES:
        return None, None, [_too_large(display, len(content), "bytes")]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, None, [Problem(display, 1, "", f"not valid UTF-8 ({error.reason})")]
    located, problems = parse_yaml(text, display)
    if located is None or problems:
        return None, located, problems
    document, problems = validate_document(located, record_type, display, today)
    return document, located, problems


@dataclass
class LeftOut:
    """What part of a data file was left out of the cross-file checks because it has problems."""

    entries: dict[str, set[str | int]] = field(default_factory=dict)  # list key -> positions (or ui keys)
    ids: dict[str, set[str]] = field(default_factory=dict)  # list key -> the ids those entries were given
    unread: set[str] = field(default_factory=set)  # top-level keys that could not be read at all
    kept: dict[str, list[int]] = field(default_factory=dict)  # list key -> where each kept entry was


def _stand_in(record_type: type[Strict], name: str, today: dt.date) -> Any:
    """A value that validates for a top-level field that could not be read: an empty list or mapping,
    or today's date for `reviewed` (nothing checks a file's review date against other files)."""
    origin = get_origin(record_type.model_fields[name].annotation)
    if origin is list:
        return []
    if origin is dict:
        return {}
    return today.isoformat()


def salvage(located: Located, record_type: type[Strict], problems: list[Problem],
            today: dt.date) -> tuple[Strict | None, LeftOut]:
    """The part of a document that failed validation which is still valid: every entry without a
    problem. The cross-file checks then run on it, so that one bad entry does not hide the problems
    of the others (`problems` are the document's, each with its path)."""
    left_out = LeftOut()
    data = located.data
    if not isinstance(data, dict):
        return None, left_out
    fields = record_type.model_fields
    for problem in problems:
        top, _, rest = problem.field.partition("[")
        top = top.split(".", 1)[0]
        if top not in fields:
            continue  # an unknown top-level key: left out below
        value = data.get(top)
        if rest and isinstance(value, (list, dict)):
            key: str | int = rest.split("]", 1)[0]
            if isinstance(value, list):
                key = int(key)
            elif key not in value:  # a mapping key as format_path wrote it: find it again
                continue
            left_out.entries.setdefault(top, set()).add(key)
        elif "." in problem.field and isinstance(value, dict):  # strings.some-key.zh
            left_out.entries.setdefault(top, set()).add(problem.field.split(".")[1])
        else:
            left_out.unread.add(top)
    kept: dict[str, Any] = {}
    for name in fields:
        if name not in data or name in left_out.unread:
            kept[name] = _stand_in(record_type, name, today)
            continue
        value, gone = data[name], left_out.entries.get(name, set())
        if isinstance(value, list):
            kept[name] = [item for position, item in enumerate(value) if position not in gone]
            left_out.kept[name] = [position for position in range(len(value)) if position not in gone]
            left_out.ids[name] = {item["id"] for position, item in enumerate(value) if position in gone
                                  and isinstance(item, dict) and isinstance(item.get("id"), str)}
        elif isinstance(value, dict):
            kept[name] = {key: item for key, item in value.items() if key not in gone}
        else:
            kept[name] = value
    try:
        return record_type.model_validate(kept, context={"today": today}), left_out
    except ValidationError:  # a problem this did not foresee: the file is left out as a whole
        return None, left_out


def read_all(contents: dict[str, bytes | None], today: dt.date, display_prefix: str = "data"
             ) -> tuple[dict[str, Strict], dict[str, Located], list[Problem], dict[str, LeftOut]]:
    """Read every file of the schema from `contents` (stem -> bytes); return documents, line maps,
    problems and what was left out of each file with problems. A file that parsed but did not
    validate gives the document of its valid entries (`salvage`); one that did not parse gives none."""
    documents: dict[str, Strict] = {}
    located: dict[str, Located] = {}
    problems: list[Problem] = []
    left_out: dict[str, LeftOut] = {}
    for stem, record_type in FILES.items():
        display = f"{display_prefix}/{stem}.yaml"
        document, where, found = read_document(contents.get(stem), record_type, display, today)
        problems.extend(found)
        if where is not None:
            located[stem] = where
        if document is None and where is not None and found:
            document, left_out[stem] = salvage(where, record_type, found, today)
        if document is not None:
            documents[stem] = document
    return documents, located, problems, left_out
