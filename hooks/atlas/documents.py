"""Parse the YAML documents of `data/` and validate them against the schema, keeping line numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Problem
from .schema import FILES, Strict

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


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: Path_, lines: dict[Path_, int],
             problems: list[Problem], file: str) -> Any:
    """Turn a composed YAML node into Python values, recording lines and duplicate keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                problems.append(Problem(file, key_node.start_mark.line + 1, format_path(path),
                                        f"keys must be plain text, got {key!r}"))
                continue
            key = str(key)
            if key in result:
                problems.append(Problem(file, key_node.start_mark.line + 1, format_path((*path, key)),
                                        "duplicate key: it appears earlier in the same mapping"))
                continue
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, loader, (*path, key), lines, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*path, index), lines, problems, file)
                for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


# libyaml's parser when PyYAML has it: it reads the data about 8x faster (make bench). Valid files
# give the same values and lines; a file it rejects is read again by the pure-Python parser,
# whose messages (e.g. "found undefined alias 'x'") are the ones reported.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str, file: str, loader_class) -> tuple[Located | None, list[Problem]]:
    """Compose one document with `loader_class` (its YAML errors propagate)."""
    problems: list[Problem] = []
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, "", "the file is empty")]
        lines: dict[Path_, int] = {}
        data = _convert(node, loader, (), lines, problems, file)
    finally:
        loader.dispose()
    return Located(data, lines), problems


def parse_yaml(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document; syntax errors become problems with the line of the error."""
    if _FAST_LOADER is not None:
        try:
            return _compose(text, file, _FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass  # reported below, in the pure-Python parser's words
    try:
        return _compose(text, file, yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(part for part in (error.context, error.problem) if part)
        return None, [Problem(file, line, "", f"YAML syntax error: {what}")]
    except yaml.reader.ReaderError as error:  # a control character, or text that is not UTF-8
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else 1
        return None, [Problem(file, line, "", f"YAML syntax error: unacceptable character "
                                              f"#x{error.character:04x}: {error.reason}")]
    except yaml.YAMLError as error:  # pragma: no cover - every other PyYAML error we know is marked
        return None, [Problem(file, 1, "", f"YAML error: {error}")]
    except RecursionError:  # an alias inside its own anchor: `a: &x [*x]`
        return None, [Problem(file, 1, "", "YAML syntax error: an alias refers to a node that contains it, "
                                           "or the data nests too deeply")]


def _describe(error: dict[str, Any]) -> str:
    """Turn one pydantic error into 'expected …, got …' wording for editors."""
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the field list on the Data page)"
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
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, None, [Problem(display, 1, "", f"not valid UTF-8 ({error.reason})")]
    located, problems = parse_yaml(text, display)
    if located is None or problems:
        return None, located, problems
    document, problems = validate_document(located, record_type, display, today)
    return document, located, problems


def read_all(contents: dict[str, bytes | None], today: dt.date,
             display_prefix: str = "data") -> tuple[dict[str, Strict], dict[str, Located], list[Problem]]:
    """Read every file of the schema from `contents` (stem -> bytes); return documents, line maps and problems."""
    documents: dict[str, Strict] = {}
    located: dict[str, Located] = {}
    problems: list[Problem] = []
    for stem, record_type in FILES.items():
        display = f"{display_prefix}/{stem}.yaml"
        document, where, found = read_document(contents.get(stem), record_type, display, today)
        problems.extend(found)
        if where is not None:
            located[stem] = where
        if document is not None:
            documents[stem] = document
    return documents, located, problems
