"""cfglint's language server: findings as diagnostics while a config is edited, fixes as code
actions, a rule's documentation on hover (LSP over stdio, on pygls).

Each check is cfglint's own (cfglint.api.Checker on the editor's text, with the settings file
above the document on disk, as `cfglint check` finds it). Checks run one at a time on a worker
thread, so the editor never waits on one; a document's newer text replaces a check not yet
started. Nothing from a config is executed, and nothing touches the network.
"""

from __future__ import annotations

import asyncio
import bisect
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from cfglint import __version__
from cfglint.api import Checker
from cfglint.document import line_starts, utf16_column
from cfglint.finding import Finding, Severity
from cfglint.fixes import Applicability
from cfglint.settings import SETTINGS_FILES, SettingsError
from cfglint.source import JSON_SUFFIXES, MAX_BYTES, TOML_SUFFIXES, YAML_SUFFIXES, InputError, load_document, too_large
from cfglint.walk import skipped_folder

SOURCE = "cfglint"
DEBOUNCE = 0.3  # seconds without a change before the new text is checked
FIX_ALL = "source.fixAll.cfglint"
CONFIG_SUFFIXES = YAML_SUFFIXES + JSON_SUFFIXES + TOML_SUFFIXES
# A document that is not a file (an unsaved buffer) is checked by its language.
LANGUAGE_SUFFIXES = {"yaml": ".yaml", "json": ".json", "jsonc": ".json", "toml": ".toml"}
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
CONVERTER = get_converter()


class Positions:
    """Offsets into the text cfglint checked -> LSP positions in the editor's text: 0-based lines
    (broken at LF, CR and CRLF only, as cfglint and LSP both break them) and characters in the
    encoding agreed with the client (UTF-16 code units unless it chose UTF-8 or UTF-32)."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        # cfglint's offsets start after a byte order mark; the editor's text may keep one.
        self.shift = 1 if text.startswith("\ufeff") else 0
        self.starts = line_starts(text)
        self.encoding = encoding

    def position(self, offset: int) -> types.Position:
        offset = min(offset + self.shift, len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line] : offset]
        if self.encoding == types.PositionEncodingKind.Utf8:
            character = len(before.encode("utf-8", "surrogatepass"))
        elif self.encoding == types.PositionEncodingKind.Utf32:
            character = len(before)
        else:
            character = utf16_column(before, len(before) + 1) - 1
        return types.Position(line=line, character=character)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def whole(self) -> types.Range:
        """The text cfglint checked, all of it (after any byte order mark)."""
        return self.range(0, len(self.text) - self.shift)


def diagnostic(finding: Finding, positions: Positions, uri: str, version: int | None) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(types.Location(uri, positions.range(r.span.offset, r.span.end_offset)), r.key)
        for r in finding.related
        if r.file is None  # the editor's text gives positions in this file only
    ]
    return types.Diagnostic(
        range=positions.range(finding.span.offset, finding.span.end_offset),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        source=SOURCE,
        related_information=related or None,
        data=_fix_data(finding, positions, version),
    )


def _fix_data(finding: Finding, positions: Positions, version: int | None) -> dict | None:
    """What a quick fix needs, carried by the diagnostic to the codeAction request: the fix's
    edits as LSP text edits, for the document version they were computed on."""
    fix = finding.fix
    if fix is None or fix.applicability == Applicability.DISPLAY:
        return None  # a display-only fix is a suggestion, never an edit
    edits = [types.TextEdit(positions.range(edit.start, edit.end), edit.text) for edit in fix.edits]
    return {"version": version, "description": fix.description, "safe": fix.applicability == Applicability.SAFE, "edits": CONVERTER.unstructure(edits)}


def notice(message: str, severity: types.DiagnosticSeverity) -> list[types.Diagnostic]:
    """One diagnostic at the start of the document, for a document cfglint cannot check."""
    start = types.Position(line=0, character=0)
    return [types.Diagnostic(range=types.Range(start=start, end=start), message=message, severity=severity, source=SOURCE)]


def wanted(kind: str, only: list[str] | None) -> bool:
    """Code action kinds are hierarchical: asking for `source.fixAll` gets `source.fixAll.cfglint`."""
    return not only or any(kind == prefix or kind.startswith(prefix + ".") for prefix in only)


def contains(region: types.Range, position: types.Position) -> bool:
    start, end, at = (region.start.line, region.start.character), (region.end.line, region.end.character), (position.line, position.character)
    return start <= at < end or start == at == end


class CfglintServer(LanguageServer):
    """The server's state: one Checker for the workspace (rebuilt when a settings file is saved),
    each open document's pending check and its last published diagnostics."""

    def __init__(self) -> None:
        # Full sync: pygls splits lines for incremental changes as str.splitlines does (at U+2028
        # and others), unlike LSP, so the editor's whole text is the one that is exact.
        super().__init__("cfglint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.checker = Checker()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cfglint-check")
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, tuple[int | None, list[types.Diagnostic]]] = {}
        self.fixed_all: dict[str, tuple[int | None, types.CodeAction | None]] = {}
        self.shut_down = False

    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=f"cfglint: {message}"))

    def report_server_error(self, error: Exception, source) -> None:
        """A failure in a handler is logged for the user, never shown as a crash."""
        self.log(f"internal error: {type(error).__name__}: {error} (please report this)")

    def document(self, uri: str):
        """The open document, or None (pygls would otherwise read a closed one from disk)."""
        return self.workspace.text_documents.get(unquote(uri))

    def target(self, document) -> str | None:
        """The path to check a document as, or None when it is not a config: only YAML, JSON and
        TOML, not in the folders a walk of the workspace skips (hidden ones, node_modules, ...).
        Tool settings and other files that are not training configs are passed by in diagnose."""
        path = to_fs_path(document.uri)
        if path is None:
            suffix = LANGUAGE_SUFFIXES.get(document.language_id or "")
            return os.path.join(self.workspace.root_path or os.getcwd(), "untitled" + suffix) if suffix else None
        name = os.path.basename(path).lower()
        if not name.endswith(CONFIG_SUFFIXES):
            return None
        for folder in self.folders():
            relative = os.path.relpath(os.path.dirname(path), folder)
            if not relative.startswith(".."):
                parts = [] if relative == "." else relative.split(os.sep)
                return None if any(skipped_folder(part) for part in parts) else path
        return path

    def folders(self) -> list[str]:
        """The workspace folders, innermost first."""
        paths = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        paths.append(self.workspace.root_path)
        return sorted({os.path.abspath(p) for p in paths if p}, key=len, reverse=True)

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check the document after `delay`, dropping a check of its older text not yet done."""
        self.cancel(uri)
        if not self.shut_down:
            self.pending[uri] = asyncio.get_running_loop().create_task(self.check(uri, delay))

    async def check(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.document(uri)
        if document is None:
            return
        target = self.target(document)
        version = document.version
        try:
            if target is None:
                diagnostics = []
            else:
                work = (self.checker, target, document.source, uri, version, self.workspace.position_encoding)
                diagnostics = await asyncio.get_running_loop().run_in_executor(self.executor, diagnose, *work)
        except Exception as error:  # noqa: BLE001 - a bug is logged, and the server goes on
            self.report_server_error(error, None)
            return
        self.published[uri] = (version, diagnostics)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def settings_saved(self) -> None:
        """A settings file changed: read settings afresh and check every open document again."""
        self.checker = Checker()
        self.fixed_all.clear()
        for document in list(self.workspace.text_documents.values()):
            self.schedule(document.uri)

    def cancel(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def close(self, uri: str) -> None:
        self.cancel(uri)
        self.published.pop(uri, None)
        self.fixed_all.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def stop(self) -> None:
        """On shutdown: no new checks; those queued are dropped."""
        self.shut_down = True
        for task in self.pending.values():
            task.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def quick_fixes(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
        """A quick fix for each of cfglint's diagnostics that carries a fix for this version of the
        document: safe ones preferred, unsafe ones labelled."""
        actions = []
        for diagnostic in diagnostics:
            data = diagnostic.data
            if diagnostic.source != SOURCE or not isinstance(data, dict) or data.get("version") != version:
                continue
            edits = CONVERTER.structure(data["edits"], list[types.TextEdit])
            title = f"Fix {diagnostic.code}: {data['description']}" + ("" if data["safe"] else " (unsafe)")
            edit = self.workspace_edit(uri, version, edits)
            actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=data["safe"], edit=edit))
        return actions

    async def fix_all(self, uri: str, document) -> types.CodeAction | None:
        """Every safe fix at once, through cfglint's verified fixer, as one edit of the whole
        document; None when there is nothing to fix (or the fixer refuses, which is logged)."""
        version = document.version
        published = self.published.get(uri)
        if published is None or published[0] != version or not any(d.data and d.data["safe"] for d in published[1]):
            return None
        cached = self.fixed_all.get(uri)
        if cached is not None and cached[0] == version:
            return cached[1]
        from cfglint.fixer import FixVerificationError, UnfixableInput

        try:
            work = (self.checker, self.target(document), document.source, self.workspace.position_encoding)
            fixed = await asyncio.get_running_loop().run_in_executor(self.executor, fix_text, *work)
        except (UnfixableInput, FixVerificationError) as error:
            self.log(f"fix all: {error}", types.MessageType.Warning)
            fixed = None
        action = None
        if fixed is not None:
            edit = self.workspace_edit(uri, version, [types.TextEdit(*fixed)])
            action = types.CodeAction("cfglint: fix all safe fixes", kind=FIX_ALL, edit=edit)
        self.fixed_all[uri] = (version, action)
        return action

    def workspace_edit(self, uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        """Edits for one version of the document: a client that knows versions refuses them once
        the text has changed."""
        if get_capability(self.client_capabilities, "workspace.workspace_edit.document_changes", False):
            document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
        return types.WorkspaceEdit(changes={uri: edits})


def diagnose(checker: Checker, path: str, text: str, uri: str, version: int | None, encoding: str) -> list[types.Diagnostic]:
    """The diagnostics for a document's text (run on the worker thread)."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        return notice(f"not checked: {too_large(os.path.basename(path), len(data))}", types.DiagnosticSeverity.Warning)
    try:
        # Passed by as `cfglint check` passes it by: excluded, or surely not a training config.
        if checker.settings_for(path).excluded(path) or checker.passed_by_name(path):
            return []
        doc = load_document(path, data)
        if checker.passed_by_content(path, doc):
            return []
        report = checker.check_document(doc, path)
    except (SettingsError, InputError) as error:
        return notice(f"not checked: {error}", types.DiagnosticSeverity.Error)
    positions = Positions(text, encoding)
    return [diagnostic(finding, positions, uri, version) for finding in report.findings]


def fix_text(checker: Checker, path: str, text: str, encoding: str) -> tuple[types.Range, str] | None:
    """The range to replace and the text with every safe fix applied, or None when nothing
    changes (run on the worker thread; the fixer raises when it refuses)."""
    from cfglint.fixer import fix_bytes

    outcome = fix_bytes(checker, text.encode("utf-8", "surrogatepass"), path, unsafe=False)
    return (Positions(text, encoding).whole(), outcome.fixed_text) if outcome.changed else None


def build() -> CfglintServer:
    server = CfglintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CfglintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CfglintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CfglintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri)
        if path is not None and os.path.basename(path) in SETTINGS_FILES:
            ls.settings_saved()
        else:
            ls.schedule(params.text_document.uri)

    @server.feature(types.INITIALIZED)
    def initialized(ls: CfglintServer, params: types.InitializedParams) -> None:
        """Ask the client to report settings files changed outside the editor (a checkout, a
        script), where it can watch files for a server."""
        if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in SETTINGS_FILES]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(id="cfglint-settings", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: CfglintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(to_fs_path(change.uri) or "") in SETTINGS_FILES for change in params.changes):
            ls.settings_saved()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CfglintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CfglintServer, params) -> None:
        ls.stop()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def code_action(ls: CfglintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri, only = params.text_document.uri, params.context.only
        document = ls.document(uri)
        if document is None:
            return None
        actions = []
        if wanted(types.CodeActionKind.QuickFix, only):
            actions += ls.quick_fixes(uri, document.version, params.context.diagnostics)
        if wanted(FIX_ALL, only):
            fixed = await ls.fix_all(uri, document)
            actions += [fixed] if fixed is not None else []
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CfglintServer, params: types.HoverParams) -> types.Hover | None:
        from cfglint import rules

        _, diagnostics = ls.published.get(params.text_document.uri, (None, []))
        under = [d for d in diagnostics if d.code and contains(d.range, params.position)]
        if not under:
            return None
        text = "\n\n---\n\n".join(rules.get(code).help(markdown=True) for code in dict.fromkeys(str(d.code) for d in under))
        return types.Hover(types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=under[0].range)

    return server


def serve() -> int:
    """Serve on stdin and stdout until the client says exit; 0 when it said shutdown first."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever else prints must not break the LSP stream
    server = build()
    server.start_io(stdin, stdout)
    return 0 if server.shut_down else 1
