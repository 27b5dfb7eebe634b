"""Hydra's defaults lists, packages and merge, over cfglint's positioned documents.

Rules, each from Hydra's or OmegaConf's source (facebookresearch/hydra, omry/omegaconf). Hydra's
releases are what projects run: where the development branch (1.4) differs, Hydra 1.3.5 is
followed (tag v1.3.5), and where 1.3.5 depends on the application's `version_base` (set in
code), what some version_base accepts is accepted, so nothing a project may run is called an error.
- Defaults entries (hydra/_internal/config_repository.py, `_create_defaults_list`): a string
  is a config path (`db_base`, `/abs/path`, `../path`, `_self_`); a one-key mapping is a group
  entry whose key is `[optional] [override] group[@package]` and whose value is an option name
  (`sub/option` is a file in the group's folder `sub/`, at the group's package), null, or a list
  of option names; the legacy `{group: option, optional: true}` is accepted. Anything else (two
  keys, a number, an unknown keyword) is refused; so is a defaults value that is not a list
  (`_extract_defaults_list`).
- `_self_` (defaults_list.py, `_validate_self`): written twice is refused; when not written it
  goes LAST, in primary and group configs alike (Hydra 1.1+), in a config whose list holds
  anything but overrides (or is empty).
- Group paths (core/default_element.py, `get_group_path`, `get_config_path`): a group is
  relative to the folder of the config that names it (`net: simple` in model/x.yaml is
  model/net/simple.yaml) unless written `/abs`; a command-line `+group=x` is absolute.
- Packages (default_element.py, `_get_final_package`, `set_package_header`; config_source.py,
  `_get_header_dict`): an entry's package is its parent's package joined with `@package`, else
  with its relative group path (`/` -> `.`); `_here_` is the parent's; a `# @package X` header
  (in the comment lines that open a file) is absolute; everything up to the last `_global_` is
  dropped; the primary config's package is the global one. `_group_` and `_name_` in a header
  expand to the group's package and the option's name, and `_group_` alone is no header, as in
  Hydra 1.3.5 below version_base 1.2 (the headers of projects written for Hydra 1.0).
- Order and overrides (defaults_list.py, `_create_defaults_tree_impl`, `Overrides`): the tree
  is walked from the last entry back, so an `override group: x` written later (an experiment's,
  the primary's) changes an entry earlier in depth-first order; the first one registered wins
  and command-line choices win over all; overrides must close a defaults list; an override
  that matches no earlier entry, a group chosen twice with different options, or the same
  group twice in the result is refused. `optional` options may have no file; `???` must be
  chosen on the command line (which option is unknown here: "not-composed"); null chooses nothing.
  A file composed as the primary whose `# @package _global_` header says it is an option
  (`+experiment=NAME`) lacks the root its overrides match and its paths start from: an
  unmatched override or a missing file in its tree is "not-composed", not a refusal.
- Interpolated options (defaults_list.py, `_create_interpolation_map`; default_element.py,
  `resolve_interpolation`): `${group}` is that group's final choice, Hydra 1.0's
  `${defaults.N.group}` the option of entry N of the same list (below version_base 1.2); one in
  a list of options is refused. `_name_` in an entry's `@package` is its option (below 1.2).
- Composition (config_loader_impl.py, `_compose_config_from_defaults_list`,
  `_embed_result_config`): each result's file, its top-level `defaults` dropped, is placed at
  its package and merged into the config in defaults-list order.
- Merge (omegaconf/basecontainer.py, `_map_merge`): mappings merge key by key, recursively;
  anything else (lists, scalars, null, a mapping onto a scalar) replaces, keeping the key's
  place; `???` never replaces a value. A composed value keeps the span of the last file that
  wrote it. (OmegaConf merges a mapping into the target of an interpolation; here it replaces.)
- Key overrides after composition, with the config in struct mode (config_loader_impl.py,
  `_apply_overrides_to_config`): `key=v` needs the key (a mapping value merges into a mapping),
  `+key=v` needs it absent or null unless v is a list or dict, `++key=v` always sets, `~key`
  (or `~key=v`, which must match) needs it. Command-line group overrides (key names a group
  folder) change the defaults list before composition.
- Hydra's own groups (`hydra/launcher`, `hydra/job_logging`, ... with no file in the user's
  folder) and `hydra.*` keys configure Hydra, not the job: recorded as choices, never composed.

Checked against Hydra 1.3.5's own expectations (tests/defaults_list, 228 cases: 214 agree on
refusal, and the composed files' order agrees in 181 of the 184 that compose). Known differences:
- A `???` option Hydra refuses when the launch leaves it unchosen; here it is unknown, since the
  launch command chooses it. Nothing else reads the launch command.
- A `hydra/...` entry written without `override` is refused from version_base 1.2; 1.1 accepts
  it, as here. An interpolation naming no group (`${not_found}`) is refused; here it is unknown
  (ConfigStore and Hydra's own defaults, which are not read, may choose it). Resolvers stay unknown.
- A primary config named with a folder (`--config-name=group1/x`, at package `group1`) is not
  modelled: a root is composed from its own folder.
(Two more cases are the tree tests' own: they allow a group twice, which the list refuses.)
"""

from __future__ import annotations

import os
import re
from typing import Callable

from cfglint.compose.overrides import Override, override_value, overrides_document
from cfglint.document import Document, Entry, KeyPath, Mapping, MERGE_KEY, Node, PathElement, Scalar, Sequence, Span, key_identity
from cfglint.record import Record

_MISSING = "???"
_INTERPOLATION = re.compile(r"\$\{([^}]+)\}")
_HEADER = re.compile(r"^\s*#\s*@")
_LEGACY_INTERPOLATION = re.compile(r"defaults\.(\d+)\.(.+)")


class CompositionProblem(Record):
    """Something that stops Hydra from composing ("missing-option", "bad-override",
    "bad-defaults") or that cfglint cannot know ("not-composed": unknown, not an error)."""

    __slots__ = ("kind", "message", "span", "document", "key")

    def __init__(self, kind: str, message: str, span: Span, document: Document, key: str | None) -> None:
        self.kind = kind
        self.message = message
        self.span = span
        self.document = document  # the file (or the overrides) the span counts positions in
        self.key = key


class Composition:
    """A root config composed with its defaults list and overrides (see compose)."""

    def __init__(self, document: Document, files: list[str], choices: dict, problems: list[CompositionProblem], complete: bool) -> None:
        self.document = document
        self.files = files
        self.choices = choices
        self.problems = problems
        self.complete = complete

    def __repr__(self) -> str:
        return f"Composition({self.document.path!r}, {len(self.files)} file(s), {len(self.problems)} problem(s))"


class DefaultsEntry(Record):
    """One entry of a defaults list as written: kind "self", "group" or "config"; for a group,
    `group` as written (`/model`, `net`) and `name` its option (a name, a list, or None);
    for a config, `name` its path. `node` is the entry, `option` the node of its option."""

    __slots__ = ("kind", "group", "name", "package", "optional", "override", "node", "option")

    def __init__(self, kind: str, group: str | None, name: str | list[str] | None, package: str | None, optional: bool, override: bool, node: Node, option: Node) -> None:
        self.kind = kind
        self.group = group
        self.name = name
        self.package = package
        self.optional = optional
        self.override = override
        self.node = node
        self.option = option


def read_defaults(doc: Document) -> tuple[list[DefaultsEntry], list[tuple[str, Node]]]:
    """A file's defaults list, and (message, node) for each entry Hydra refuses."""
    root = doc.mapping
    entry = root.get("defaults") if root is not None else None
    if entry is None:
        return [], []
    if not isinstance(entry.value, Sequence):
        return [], [(f"defaults must be a list (got {_type_name(entry.value)})", entry.value)]
    entries, refused = [], []
    for item in entry.value.items:
        try:
            entries.append(_read_entry(item))
        except ValueError as error:
            refused.append((str(error), item))
    return entries, refused


def defaults_entries(doc: Document) -> list[DefaultsEntry]:
    return read_defaults(doc)[0]


def default_choices(doc: Document) -> dict[str, str | list[str] | None]:
    """group (with `@package` when written) -> option, from a root's own defaults list."""
    choices: dict[str, str | list[str] | None] = {}
    for entry in defaults_entries(doc):
        if entry.kind == "group" and entry.group is not None:
            key = entry.group.lstrip("/") + ("" if entry.package is None else f"@{entry.package}")
            choices[key] = entry.name
    return choices


def written_as_option(doc: Document) -> str:
    """Why a file with a defaults list is a group option and not a primary config ("" when
    nothing says so): a `# @package _global_` header, which only a group option's package heeds,
    written so that its `override /group` entries match a root's entries once the file is
    chosen (`+experiment=NAME`, Hydra's configuring-experiments pattern)."""
    header = package_header(doc)[0]
    last_global = header.rfind("_global_") if header is not None else -1
    if last_global != -1 and not header[last_global + len("_global_") + 1 :]:  # type: ignore[index]
        return f"it has a `# @package {header}` header"
    return ""


def _read_entry(item: Node) -> DefaultsEntry:
    if isinstance(item, Scalar) and isinstance(item.value, str):
        path, package = _split_package(item.value)
        if path == "_self_":
            if package is not None:
                raise ValueError("_self_@PACKAGE is not supported")
            return DefaultsEntry("self", None, None, None, False, False, item, item)
        return DefaultsEntry("config", None, path, package, False, False, item, item)
    if not isinstance(item, Mapping):
        raise ValueError(f"unsupported type in defaults: {_type_name(item)} (an entry is a config name or `group: option`)")
    keys = [entry for entry in item.entries if not (isinstance(entry.key, Scalar) and entry.key.value == MERGE_KEY)]
    legacy_optional = None
    if len(keys) > 1:  # `{db: mysql, optional: true}`, accepted below version_base 1.2
        legacy_optional = next((entry for entry in keys if isinstance(entry.key, Scalar) and entry.key.value == "optional"), None)
        keys = [entry for entry in keys if entry is not legacy_optional]
    if len(keys) != 1:
        raise ValueError("too many keys in a defaults entry (one `group: option` per entry)" if keys else "missing group name in a defaults entry")
    key, value = keys[0].key, keys[0].value
    words = str(key.value).split() if isinstance(key, Scalar) else []
    if not words:
        raise ValueError("missing group name in a defaults entry")
    optional = override = False
    for word in words[:-1]:
        if word == "optional":
            optional = True
        elif word == "override":
            override = True
        else:
            raise ValueError(f"invalid keyword {word!r} in a defaults entry (only optional and override)")
    if legacy_optional is not None and not optional and isinstance(legacy_optional.value, Scalar):
        optional = legacy_optional.value.value is True
    group, package = _split_package(words[-1])
    name: str | list[str] | None
    if isinstance(value, Scalar) and (value.value is None or isinstance(value.value, str)):
        name = value.value
    elif isinstance(value, Sequence) and all(isinstance(option, Scalar) and isinstance(option.value, str) for option in value.items):
        name = [option.value for option in value.items]  # type: ignore[union-attr]
    else:
        raise ValueError(f"unsupported option in defaults: {_type_name(value)} (an option is a name, null or a list of names)")
    return DefaultsEntry("group", group, name, package, optional, override, item, value)


def _split_package(text: str) -> tuple[str, str | None]:
    name, at, package = text.partition("@")
    if at and ":" in package:
        package = package.split(":", 1)[0]
    return name, (package if at else None)


def _type_name(node: Node) -> str:
    if isinstance(node, Scalar):
        return type(node.value).__name__
    return "mapping" if isinstance(node, Mapping) else "list"


def package_header(doc: Document) -> tuple[str | None, int | None, str | None]:
    """(package, offset, error) from the `# @package X` lines that open a file (Hydra reads
    header lines until the first line that is neither blank nor `# @...`)."""
    package = None
    offset = 0
    for line in doc.text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not _HEADER.match(stripped):
            break
        if stripped:
            words = stripped.lstrip("#").strip().split()
            if len(words) != 2:
                return None, offset, f"expected a header `# @KEY VALUE`, got {stripped!r}"
            if words[0] == "@package":
                package = words[1]
        offset += len(line)
    return package, None, None


class _Default:
    """A defaults entry being composed, with the parent it hangs from (default_element.py)."""

    __slots__ = ("kind", "group", "name", "package", "optional", "override", "external", "base_dir", "parent_package", "header", "origin", "origin_doc", "containing", "siblings")

    def __init__(self, kind: str, group: str | None, name, package: str | None, optional: bool, origin: Span, origin_doc: Document, override: bool = False, external: bool = False) -> None:
        self.kind = kind
        self.group = group
        self.name = name
        self.package = "" if package == "_here_" else package
        self.optional = optional
        self.override = override
        self.external = external  # a command-line `+group=option`
        self.base_dir = ""
        self.parent_package = ""
        self.header: str | None = None
        self.origin = origin  # where this option was chosen: the entry, or the override
        self.origin_doc = origin_doc
        self.containing = ""
        self.siblings: list[_Default] = []  # the defaults list it is in, as `${defaults.N.group}` counts it

    def group_path(self) -> str:
        if self.kind == "config":
            absolute = self.name.startswith("/")
            group = self.name.lstrip("/").rpartition("/")[0]
            if absolute or not self.base_dir:
                return group
            return f"{self.base_dir}/{group}" if group else self.base_dir
        group = self.group.lstrip("/")
        return group if not self.base_dir or self.group.startswith("/") or self.external else f"{self.base_dir}/{group}"

    def config_path(self) -> str:
        if self.kind == "config":
            path = self.name.lstrip("/")
            return path if self.name.startswith("/") or not self.base_dir else f"{self.base_dir}/{path}"
        return f"{self.group_path()}/{self.name}"

    def final_package(self, with_header: bool = True) -> str:
        package = self.package if self.package is not None or not with_header else self.header
        if package is None:
            package = (self.name.lstrip("/").rpartition("/")[0] if self.kind == "config" else self.group.lstrip("/")).replace("/", ".")
        elif "_name_" in package and self.kind == "group" and isinstance(self.name, str):
            package = package.replace("_name_", self.name)  # `group@_name_: x`, below version_base 1.2
        parent = "" if self.external else self.parent_package
        joined = package if not parent else parent if not package else f"{parent}.{package}"
        last_global = joined.rfind("_global_")
        return joined if last_global == -1 else joined[last_global + len("_global_") + 1 :]

    def override_key(self) -> str:
        key = self.group_path()
        package = self.final_package(with_header=False)
        if package != key.replace("/", "."):
            key = f"{key}@{package or '_global_'}"
        return key


class _Result(Record):
    __slots__ = ("doc", "package", "origin", "origin_doc", "key")

    def __init__(self, doc: Document, package: str, origin: Span | None, origin_doc: Document | None, key: str | None) -> None:
        self.doc = doc
        self.package = package
        self.origin = origin
        self.origin_doc = origin_doc
        self.key = key


def compose(root_path: str, overrides: list[Override], load: Callable[[str], Document | None]) -> Composition:
    """Compose a Hydra root config as Hydra would at start-up, without running anything.

    `load(path)` gives a file's Document, or None when there is no such file; files are
    never read here. A folder's existence decides whether a group is the user's (os.path.isdir).
    """
    return _Composer(root_path, overrides, load).compose()


class _Composer:
    def __init__(self, root_path: str, overrides: list[Override], load: Callable[[str], Document | None]) -> None:
        self.root_path = root_path
        self.config_dir = os.path.dirname(root_path)
        self.load = load
        self.overrides = overrides
        self.overrides_doc = overrides_document(overrides)
        self.problems: list[CompositionProblem] = []
        self.choices: dict = {}
        # override key -> (option, where it is written, its document, external, used, the config it is in)
        self.override_choices: dict[str, list] = {}
        self.deletions: dict[str, list] = {}  # key -> [option or None, override, used]
        self.appends: list[_Default] = []
        self.key_overrides: list[Override] = []
        self.searchpath = False
        self.loaded: list[Document] = []
        self.deferred: list[tuple[list, _Default]] = []  # interpolated options, and where their results go

    # --- helpers -------------------------------------------------------------------------
    def problem(self, kind: str, message: str, span: Span, document: Document, key: str | None = None) -> None:
        self.problems.append(CompositionProblem(kind, message, span, document, key))

    def override_span(self, override: Override) -> Span:
        start = self.overrides_doc.line_starts[override.index]
        return self.overrides_doc.span_at(start, start + len(override.text))

    def file(self, config_path: str) -> str:
        name = config_path if config_path.endswith(".yaml") else config_path + ".yaml"
        path = os.path.join(self.config_dir, *name.split("/"))
        return os.path.normpath(path) if ".." in name.split("/") else path  # `..` walks up, as a file path does

    def is_group(self, key: str) -> bool:
        return key.startswith("hydra/") or (bool(key) and os.path.isdir(os.path.join(self.config_dir, *key.split("/"))))

    # --- the defaults tree ---------------------------------------------------------------
    def compose(self) -> Composition:
        root_doc = self.load(self.root_path)
        if root_doc is None:
            empty = Document(self.root_path, "", "yaml")
            self.problem("missing-option", f"cannot find the primary config {self.root_path}", empty.span_at(0), empty)
            return Composition(empty, [], {}, self.problems, False)
        self.root_doc = root_doc
        self.read_searchpath(root_doc)
        self.read_command_line()
        primary = _Default("config", None, os.path.splitext(os.path.basename(self.root_path))[0], None, False, root_doc.span_at(0), root_doc)
        self.written_as_option = written_as_option(root_doc)
        tree = self.visit(primary, primary=True)
        self.resolve_deferred()
        results = _flatten(tree)
        self.check_unused()
        seen: set[str] = set()
        for result in results:
            if result.key is not None:
                if result.key in seen:
                    self.problem("bad-defaults", f"{result.key} appears more than once in the final defaults list", result.origin or root_doc.span_at(0), result.origin_doc or root_doc, result.key)
                seen.add(result.key)
        document = self.build(results)
        self.apply_key_overrides(document)
        files = [self.root_path] + [result.doc.path for result in results if result.doc is not root_doc]
        complete = not any(problem.kind in ("missing-option", "not-composed", "bad-defaults") for problem in self.problems) and not any(doc.problems and not doc.roots for doc in self.loaded)
        # Found walking the tree from its last entry back: listed in the order they are written.
        self.problems.sort(key=lambda problem: (problem.document is not root_doc, problem.document.path, problem.span.offset))
        return Composition(document, list(dict.fromkeys(files)), self.choices, self.problems, complete)

    def read_searchpath(self, root_doc: Document) -> None:
        hydra = root_doc.mapping.get("hydra") if root_doc.mapping is not None else None
        searchpath = hydra.value.get("searchpath") if hydra is not None and isinstance(hydra.value, Mapping) else None
        if searchpath is not None and isinstance(searchpath.value, Sequence) and searchpath.value.items:
            self.searchpath = True
            self.problem("not-composed", "hydra.searchpath adds config sources cfglint does not read: options found in none of this folder's files may come from them", searchpath.value.span, root_doc, "hydra.searchpath")

    def read_command_line(self) -> None:
        """Sort the command line as Hydra's Overrides does: group choices, appends and
        deletions change the defaults list; the rest change the composed config."""
        for override in self.overrides:
            key = override.key
            span = self.override_span(override)
            value = override_value(override, self.overrides_doc)
            is_dict = isinstance(value, Mapping)
            if override.kind == "delete" and (self.is_group(key) or os.path.isfile(self.file(key))):
                name = value.value if isinstance(value, Scalar) else None
                self.deletions[key if override.package is None else f"{key}@{override.package}"] = [name, override, False]
            elif is_dict or not self.is_group(key):
                self.key_overrides.append(override)
            elif override.kind == "force-add":
                self.problem("bad-override", f"{override.text}: force-add (++) of a config group is not supported; use +{override.text[2:]} to add it or {override.text[2:]} to change it", span, self.overrides_doc, key)
            elif isinstance(value, Sequence) and all(isinstance(item, Scalar) and isinstance(item.value, str) for item in value.items):
                self.group_choice(override, key, [item.value for item in value.items], value.span)
            elif not (isinstance(value, Scalar) and isinstance(value.value, str)):
                self.problem("bad-override", f"{override.text}: a config group choice must be an option name or a list of names", value.span, self.overrides_doc, key)
            else:
                self.group_choice(override, key, value.value, value.span)

    def group_choice(self, override: Override, key: str, option, span: Span) -> None:
        if override.kind == "add":
            append = _Default("group", key, option, override.package, False, span, self.overrides_doc, external=True)
            self.appends.append(append)
        else:
            full = key if override.package is None else f"{key}@{override.package}"
            self.override_choices[full] = [option, span, self.overrides_doc, True, False, None]

    def visit(self, default: _Default, primary: bool = False) -> list:
        """The results of one default as a tree of lists, in composition order (defaults_list.py)."""
        is_group = default.kind == "group"
        if self.is_deleted(default):
            return []
        key = default.override_key() if is_group else None
        if is_group and not isinstance(default.name, list):
            earlier = self.choices.get(key, default.name)
            if key in self.choices and earlier != default.name:
                self.problem("bad-defaults", f"multiple values for {key} ({earlier} and {default.name}); to change the option use 'override {key}: {default.name}'", default.origin, default.origin_doc, key)
            self.choices.setdefault(key, default.name)
        if default.name is None:
            return []
        if default.name == _MISSING:
            # By design: the launch command chooses it. Which option it picks cfglint cannot know.
            self.problem("not-composed", f"{key} is ??? (mandatory): the launch command must choose it ({key}=<OPTION>); composed without it", default.origin, default.origin_doc, key)
            return []
        path = self.root_path if primary else self.file(default.config_path())
        doc = self.root_doc if primary else self.load(path)
        if doc is None:
            self.report_absent(default, path, primary)
            return []
        self.loaded.append(doc)
        header, header_offset, header_error = package_header(doc)
        if header_error is not None:
            self.problem("bad-defaults", header_error, doc.span_at(header_offset or 0), doc, key)
        if header is not None and header != "_group_":
            header = header.replace("_group_", default.group_path().replace("/", ".")).replace("_name_", str(default.name).rpartition("/")[2]).strip(".")
            default.header = header if header == "_global_" or header.startswith("_global_.") else ("_global_" if header == "" else f"_global_.{header}")
        defaults = self.defaults_of(doc, default, primary)
        own = _Result(doc, default.final_package(), default.origin if not primary else None, default.origin_doc if not primary else None, key)
        children: list = []
        for child in reversed(defaults):
            if child.kind == "self":
                children.append(own.replace(key=None))  # only a leaf counts for duplicates, as in Hydra
            elif child.override:
                self.register_override(child, doc)
            else:
                children.append(self.visit_child(child))
        if not children:
            return [own]
        children.reverse()
        return children

    def visit_child(self, child: _Default) -> list:
        if child.kind == "group":
            key = child.override_key()
            chosen = self.override_choices.get(key)
            if chosen is not None:
                child.name, child.origin, child.origin_doc = chosen[0], chosen[1], chosen[2]
                chosen[4] = True
        if child.kind == "group" and isinstance(child.name, list):
            self.choices[child.override_key()] = child.name
            if any("${" in name for name in child.name):  # defaults_list.py refuses it before loading any
                self.problem("bad-defaults", f"in {child.containing}: a defaults list interpolation is not supported in an options list ({child.override_key()}: {child.name})", child.origin, child.origin_doc, child.override_key())
                return []
            results = []
            for name in child.name:
                option = _Default("config", None, f"/{child.group_path()}/{name}" if child.external else f"{child.group}/{name}", child.package, child.optional, child.origin, child.origin_doc)
                option.base_dir, option.parent_package = ("", "") if child.external else (child.base_dir, child.parent_package)
                results.append(self.visit(option))
            return results
        if isinstance(child.name, str) and "${" in child.name:
            deferred: list = []  # filled once the other choices are known (resolve_deferred)
            self.deferred.append((deferred, child))
            return deferred
        return self.visit(child)

    def resolve_deferred(self) -> None:
        """Options written as `${group}` take that group's choice once the rest of the tree is
        known, first in depth-first order, again until none resolves (defaults_list.py,
        `_resolve_deferred_interpolations`); the rest (resolvers, unknown keys) stay unknown."""
        progress = True
        while progress:
            progress = False
            for index in range(len(self.deferred) - 1, -1, -1):
                deferred, child = self.deferred[index]
                resolved = _INTERPOLATION.sub(lambda match: self.choice_text(match, child), child.name)
                if "${" in resolved:
                    continue
                del self.deferred[index]
                child.name = resolved
                deferred.extend(self.visit_child(child))
                progress = True
                break
        for _, child in self.deferred:
            self.problem("not-composed", f"the option {child.name!r} is an interpolation cfglint does not resolve (only ${{group}} choices are known without running code)", child.origin, child.origin_doc, child.override_key() if child.kind == "group" else child.name)

    def choice_text(self, match: re.Match, child: _Default) -> str:
        """A group's choice; `${defaults.N.group}` (Hydra 1.0's form, accepted below version_base
        1.2) is the option of entry N of the list it is written in (`_create_interpolation_map`)."""
        name = match.group(1).strip()
        legacy = _LEGACY_INTERPOLATION.fullmatch(name)
        if legacy is None:
            choice = self.choices.get(name)
        else:
            index, key = int(legacy.group(1)), legacy.group(2)
            entry = child.siblings[index] if index < len(child.siblings) else None
            choice = entry.name if entry is not None and entry.kind == "group" and entry.override_key() == key else None
        return choice if isinstance(choice, str) and "${" not in choice else match.group()

    def defaults_of(self, doc: Document, parent: _Default, primary: bool) -> list[_Default]:
        entries, refused = read_defaults(doc)
        for message, node in refused:
            self.problem("bad-defaults", f"in {doc.path}: {message}", node.span, doc)
        defaults = []
        has_self = False
        for entry in entries:
            if entry.kind == "self":
                if has_self:
                    self.problem("bad-defaults", f"duplicate _self_ in the defaults list of {doc.path}", entry.node.span, doc)
                    continue
                has_self = True
            default = _Default(entry.kind, entry.group, entry.name, entry.package, entry.optional, entry.option.span, doc, entry.override)
            defaults.append(default)
        if defaults or (primary and self.appends):
            if not has_self and (any(not default.override for default in defaults) or not defaults):
                defaults.append(_Default("self", None, None, None, False, parent.origin, parent.origin_doc))
        if primary:
            defaults.extend(self.appends)
        seen_override: _Default | None = None
        written = [default for default in defaults if default.kind != "self" or has_self]
        for default in defaults:
            default.siblings = written
            if default.kind == "self":
                continue
            default.base_dir, default.parent_package = parent.group_path(), parent.final_package()
            default.containing = parent.config_path()
            if default.override:
                seen_override = default
            elif seen_override is not None and not default.external:
                self.problem("bad-defaults", f"in {doc.path}: override '{seen_override.override_key()}: {seen_override.name}' is written before '{default.override_key() if default.kind == 'group' else default.name}': overrides must close the defaults list", default.origin, doc)
        return defaults

    def register_override(self, default: _Default, doc: Document) -> None:
        key = default.override_key()
        if key.startswith("hydra/") or key == "hydra":
            self.choices.setdefault(key, default.name)
            return
        if key not in self.override_choices:
            self.override_choices[key] = [default.name, default.origin, doc, False, False, default.containing]

    def is_deleted(self, default: _Default) -> bool:
        key = default.override_key() if default.kind == "group" else default.config_path()
        deletion = self.deletions.get(key)
        if deletion is None or (default.kind == "config" and deletion[0] is not None):
            return False
        if deletion[0] is not None and deletion[0] != default.name:
            return False
        deletion[2] = True
        return True

    def report_absent(self, default: _Default, path: str, primary: bool) -> None:
        key = default.override_key() if default.kind == "group" else default.config_path()
        group_path = default.group_path()
        if primary:
            self.problem("missing-option", f"cannot find the primary config {path}", default.origin, default.origin_doc, key)
        elif default.optional:
            return
        elif group_path == "hydra" or group_path.startswith("hydra/"):
            return  # Hydra's own option (a launcher, a logging setup, a plugin's sweeper)
        elif self.written_as_option:
            self.problem("not-composed", f"{default.config_path()} is not a file here ({path}): {os.path.basename(self.root_path)} is written as a group option ({self.written_as_option}), and its entries name files from the config folder it is chosen in", default.origin, default.origin_doc, key)
        elif default.kind == "group" and not self.searchpath and os.path.isdir(os.path.join(self.config_dir, *group_path.split("/"))):
            folder = os.path.join(self.config_dir, *group_path.split("/"))
            options = sorted(name[:-5] for name in os.listdir(folder) if name.endswith(".yaml"))
            available = f"; available: {', '.join(options)}" if options else ""
            self.problem("missing-option", f"no option '{default.name}' in the config group '{group_path}' (no file {path}): Hydra refuses to start{available}", default.origin, default.origin_doc, key)
        else:
            where = "a hydra.searchpath source" if self.searchpath else "a ConfigStore entry registered in code or a plugin"
            self.problem("not-composed", f"{default.config_path()} is not a file here ({path}): it may come from {where}, which cfglint does not run", default.origin, default.origin_doc, key)

    def check_unused(self) -> None:
        for key, (option, span, document, external, used, containing) in self.override_choices.items():
            if used:
                continue
            if key.startswith("hydra/"):
                self.choices.setdefault(key, option)
            elif external:
                self.problem("bad-override", f"could not override '{key}': no match in the defaults list; to add it use +{key}={option}", span, document, key)
            elif self.written_as_option:
                # Hydra refuses it in a primary config; this one is written to be chosen (`+experiment=NAME`)
                self.problem("not-composed", f"in {containing}: override '{key}: {option}' has no earlier entry to override here: {os.path.basename(self.root_path)} is written as a group option ({self.written_as_option}), which a root config composes (a defaults entry, or `+GROUP=NAME` at launch); alone it is not composed as Hydra runs it", span, document, key)
            else:
                self.problem("bad-defaults", f"in {containing}: invalid defaults list override '{key}: {option}': no earlier entry for '{key}' exists to override", span, document, key)
        for key, (option, override, used) in self.deletions.items():
            if not used:
                desc = key if option is None else f"{key}={option}"
                self.problem("bad-override", f"could not delete '{desc}': no match in the defaults list", self.override_span(override), self.overrides_doc, key)

    # --- the composed tree ---------------------------------------------------------------
    def build(self, results: list[_Result]) -> Document:
        root_doc = self.root_doc
        document = Document(self.root_path, root_doc.text, "yaml")
        self.document = document
        document.problems = list(root_doc.problems)
        for doc in {id(doc): doc for doc in self.loaded}.values():  # a file used at two packages: its problems once
            if doc is not root_doc:
                for problem in doc.problems:
                    self.register(problem.span, doc)
                    for _, span in problem.related:
                        self.register(span, doc)
                    document.problems.append(problem)
        root_span = root_doc.root.span if root_doc.root is not None else root_doc.span_at(0)
        composed = Mapping(root_span, ())
        for result in results:
            source = result.doc.mapping
            if source is None:
                continue
            target = composed
            for part in result.package.split(".") if result.package else ():
                target = self.child_mapping(target, part, result.origin or root_span, result.origin_doc or root_doc)
            self.merge(target, source, result.doc, top=True)
        document.roots = [composed]
        return document

    def register(self, span: Span, doc: Document) -> None:
        if doc is not self.root_doc:
            self.document.sources[id(span)] = doc

    def child_mapping(self, parent: Mapping, key: str, span: Span, doc: Document) -> Mapping:
        """The mapping at `key` in `parent`, made (at `span`) where there is none or a value that
        is not a mapping (merging a mapping onto it replaces it)."""
        entry = parent.get(key)
        if entry is not None and isinstance(entry.value, Mapping):
            return entry.value
        self.register(span, doc)
        child = Mapping(span, parent.path + (key,))
        _put(parent, Scalar(span, parent.path, value=key), child)
        return child

    def merge(self, target: Mapping, source: Mapping, doc: Document, top: bool = False) -> None:
        index = target._index
        for key, value in _effective_entries(source):
            if top and key.__class__ is Scalar and key.value == "defaults":
                continue
            # key_identity(), inlined for the common plain text key
            ident = (str, key.value) if key.__class__ is Scalar and key.value.__class__ is str and not key.unknown_tag else key_identity(key)
            existing = index.get(ident) if ident is not None else None
            if existing is not None and isinstance(existing.value, Mapping) and isinstance(value, Mapping):
                self.merge(existing.value, value, doc)
                continue
            if existing is not None and isinstance(value, Scalar) and value.value == _MISSING:
                continue
            entry = Entry(self.copy(key, target.path, doc), self.copy(value, target.path + (_element(key),), doc))
            if existing is None:  # a new key: appended (what _put does, its lookups already made)
                target.entries.append(entry)
                if ident is not None:
                    index[ident] = entry
            else:
                _put(target, entry.key, entry.value)

    def copy(self, node: Node, path: KeyPath, doc: Document) -> Node:
        """A new node at the composed `path`, with the same span (and so the written position)."""
        if doc is not self.root_doc:  # register(), inlined: every node of every composed file
            self.document.sources[id(node.span)] = doc
        copied: Node
        kind = node.__class__
        if kind is Scalar:
            copied = Scalar(node.span, path, node.tag, node.anchor, node.unknown_tag, node.value, node.style)
        elif kind is Mapping:
            copied = Mapping(node.span, path, node.tag, node.anchor, node.unknown_tag)
            self.merge(copied, node, doc)
        elif kind is Sequence:
            copied = Sequence(node.span, path, node.tag, node.anchor, node.unknown_tag)
            copied.items = [self.copy(item, path + (index,), doc) for index, item in enumerate(node.items)]
        else:
            return node
        if node.anchored is not None:
            copied.anchored = node.anchored
            self.register(node.anchored.span, doc)
            self.document.alias_views[id(node.span)] = copied
        return copied

    # --- key overrides -------------------------------------------------------------------
    def apply_key_overrides(self, document: Document) -> None:
        root = document.roots[0]
        assert isinstance(root, Mapping)
        for override in self.key_overrides:
            span = self.override_span(override)
            if override.package is not None:
                self.problem("bad-override", f"{override.text} looks like a config group override, but there is no config group '{override.key}'", span, self.overrides_doc, override.key)
                continue
            if override.key == "hydra" or override.key.startswith("hydra.") or override.key.startswith("hydra/"):
                continue  # Hydra's own settings (hydra.run.dir, hydra.job.chdir, ...)
            if "/" in override.key:
                self.problem("not-composed", f"{override.text}: there is no config group folder '{override.key}' here (it may be registered in code)", span, self.overrides_doc, override.key)
                continue
            self.apply_key_override(root, override, span)

    def apply_key_override(self, root: Mapping, override: Override, span: Span) -> None:
        parts = override.key.split(".")
        parent: Node | None = root
        line_start = self.overrides_doc.line_starts[override.index]
        key_start = line_start + len(override.text) - len(override.text.lstrip("~+"))
        creating = override.kind in ("add", "force-add")
        for depth, part in enumerate(parts[:-1]):
            found = _child(parent, part)
            if found is None or not isinstance(found, (Mapping, Sequence)):
                if not creating or isinstance(parent, Sequence):
                    self.refuse(override, span)
                    return
                offset = key_start + len(".".join(parts[:depth]) + ("." if depth else ""))
                part_span = self.overrides_doc.span_at(offset, offset + len(part))
                self.register(part_span, self.overrides_doc)
                assert isinstance(parent, Mapping)
                found = Mapping(part_span, parent.path + (part,))
                _put(parent, Scalar(part_span, parent.path, value=part), found)
            parent = found
        last = parts[-1]
        existing = _child(parent, last)
        offset = key_start + len(override.key) - len(last)
        key_span = self.overrides_doc.span_at(offset, offset + len(last))
        if override.kind == "delete":
            value = override_value(override, self.overrides_doc) if override.value_text is not None else None
            if existing is None:
                self.problem("bad-override", f"could not delete from config: '{override.key}' does not exist", span, self.overrides_doc, override.key)
            elif value is not None and not (isinstance(existing, Scalar) and isinstance(value, Scalar) and existing.value == value.value):
                shown = existing.value if isinstance(existing, Scalar) else "a block"
                self.problem("bad-override", f"could not delete from config: the value of '{override.key}' is {shown} and not {override.value_text}", span, self.overrides_doc, override.key)
            else:
                _remove(parent, last)
            return
        value = override_value(override, self.overrides_doc)
        if override.kind == "change" and existing is None:
            self.refuse(override, span)
            return
        if override.kind == "add" and existing is not None and not (isinstance(existing, Scalar) and existing.value is None) and not isinstance(value, (Mapping, Sequence)):
            self.problem("bad-override", f"could not append to config: an item is already at '{override.key}'; remove the + ({override.text[1:]}) or add a second one (+{override.text})", span, self.overrides_doc, override.key)
            return
        if isinstance(parent, Sequence):
            index = _index(last)
            if index is None or not 0 <= index < len(parent.items):
                self.refuse(override, span)
                return
            parent.items[index] = self.copy(value, parent.path + (index,), self.overrides_doc)
            return
        assert isinstance(parent, Mapping)
        if isinstance(existing, Mapping) and isinstance(value, Mapping):
            self.merge(existing, value, self.overrides_doc)
            return
        entry = parent.get(last)
        key_node = entry.key if entry is not None else Scalar(key_span, parent.path, value=last)
        if entry is None:
            self.register(key_span, self.overrides_doc)
        _put(parent, key_node, self.copy(value, parent.path + (last,), self.overrides_doc))

    def refuse(self, override: Override, span: Span) -> None:
        self.problem("bad-override", f"could not override '{override.key}': it is not in the config; to add it use +{override.text}", span, self.overrides_doc, override.key)


def _flatten(tree: list) -> list[_Result]:
    """The results of a defaults tree, depth first (nested lists are subtrees)."""
    results: list[_Result] = []
    stack = [iter(tree)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            results.append(item)
        else:
            stack.pop()
    return results


def _effective_entries(source: Mapping) -> list[tuple[Node, Node]]:
    """A mapping's entries as a YAML loader gives them: merge keys (`<<`) expanded (their
    keys first, the mapping's own keys winning), each key once (the last written)."""
    if len(source._index) == len(source.entries) and (str, MERGE_KEY) not in source._index:
        # Most mappings: every key has an identity and is written once, and none merges another.
        return [(entry.key, entry.value) for entry in source.entries]
    merged: dict = {}
    for mapping in source.merged_mappings():
        for key, value in _effective_entries(mapping):
            merged.setdefault(key_identity(key) or id(key), (key, value))
    own: dict = {}
    for entry in source.entries:
        if isinstance(entry.key, Scalar) and entry.key.value == MERGE_KEY and entry.key.style == "plain":
            continue
        ident = key_identity(entry.key) or id(entry.key)
        own.pop(ident, None)
        own[ident] = (entry.key, entry.value)
    for ident in own:
        merged.pop(ident, None)
    return list(merged.values()) + list(own.values())


def _element(key: Node) -> PathElement:
    """A key as a composed key path writes it: its text, or its integer."""
    if key.__class__ is not Scalar:
        return "?"
    value = key.value
    return value if value.__class__ is str or value.__class__ is int else str(value)


def _put(mapping: Mapping, key: Node, value: Node) -> None:
    """Set a key in a composed mapping: a key already there keeps its place."""
    ident = key_identity(key)
    entry = Entry(key, value)
    earlier = mapping._index.get(ident) if ident is not None else None
    if earlier is None:
        mapping.add(entry)
        return
    mapping.entries[mapping.entries.index(earlier)] = entry
    mapping._index[ident] = entry


def _remove(parent: Node, key: str) -> None:
    if isinstance(parent, Mapping):
        entry = parent.get(key)
        if entry is not None:
            parent.entries.remove(entry)
            parent._index = {ident: kept for ident, kept in parent._index.items() if kept is not entry}
    elif isinstance(parent, Sequence):
        index = _index(key)
        if index is not None:
            del parent.items[index]
            for position in range(index, len(parent.items)):
                _repath(parent.items[position], parent.path + (position,))


def _repath(node: Node, path: KeyPath) -> None:
    """Give a subtree the key paths of its new place (after a list item before it is deleted)."""
    stack = [(node, path)]
    while stack:
        current, at = stack.pop()
        current.path = at
        if isinstance(current, Mapping):
            for entry in current.entries:
                entry.key.path = at
                stack.append((entry.value, at + (entry.key.value if isinstance(entry.key, Scalar) else "?",)))
        elif isinstance(current, Sequence):
            stack.extend((item, at + (index,)) for index, item in enumerate(current.items))


def _index(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _child(node: Node | None, part: str) -> Node | None:
    if isinstance(node, Mapping):
        entry = node.get(part)
        return entry.value if entry is not None else None
    if isinstance(node, Sequence):
        index = _index(part)
        return node.items[index] if index is not None and index < len(node.items) else None
    return None
