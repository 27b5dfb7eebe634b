"""`cfglint server`: a real client's conversation over stdio, with exact ranges and edits."""

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from lsprotocol.types import Position

import cfglint
from cfglint import rules
from cfglint.server import Positions
from cfglint.source import MAX_BYTES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 30.0
# The server runs the cfglint under test (this tree, or the sdist's installed copy), wherever it starts.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(os.path.dirname(cfglint.__file__)), os.environ.get("PYTHONPATH", "")])}

# Line 3 holds U+1F680 (two UTF-16 code units) before both findings: Y001 (safe fix) at code
# points 45-49 and O001 (its unsafe fix edits `Adam` at code points 35-39).
ROCKET = 'lambda_sparse: 0.01\nlambda_acyclic: 0.001\noptimizer: {note: "\U0001f680 fast", name: Adam, lr: 1e-3, weight_decay: 1.0e-5}\n'


class Client:
    """Just enough of an LSP client: Content-Length framing, requests, notifications."""

    def __init__(self, cwd, command=("-m", "cfglint", "server")):
        self.process = subprocess.Popen([sys.executable, *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=ENV)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line == b"\r\n":
                    break
                name, colon, value = line.decode("latin-1").partition(":")
                if not colon or not line.endswith(b"\r\n"):
                    self.messages.put(f"not an LSP header: {line!r}")
                    return
                headers[name.strip().lower()] = value.strip()
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, matches):
        """The next message that matches; every message is JSON-RPC (nothing else is on stdout)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            assert message is not None, "the server closed stdout"
            assert isinstance(message, dict) and message["jsonrpc"] == "2.0", message
            if matches(message):
                return message

    def diagnostics(self, uri, version):
        """The next diagnostics published for the document, which must be for this version."""
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        assert message["params"]["version"] == version
        return message["params"]["diagnostics"]

    def initialize(self, root):
        return self.request("initialize", {"processId": os.getpid(), "rootUri": Path(root).as_uri(), "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}}}})

    def open(self, path, text, language="yaml"):
        uri = path if isinstance(path, str) else Path(path).as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})
        return uri

    def change(self, uri, version, text):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})

    def code_actions(self, uri, line, diagnostics, only=None):
        context = {"diagnostics": diagnostics, **({"only": only} if only else {})}
        where = {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}
        return self.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": where, "context": context})

    def stop(self):
        """Shut down and exit: the exit code, once stdout has ended holding only LSP messages."""
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        code = self.process.wait(timeout=TIMEOUT)
        while (message := self.messages.get(timeout=TIMEOUT)) is not None:
            assert isinstance(message, dict), message
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def client(tmp_path):
    started = Client(tmp_path)
    yield started
    started.kill()


def span(line, start, end):
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def test_a_conversation_from_initialize_to_exit(client, tmp_path):
    capabilities = client.initialize(tmp_path)["capabilities"]
    assert capabilities["textDocumentSync"]["openClose"] is True
    assert capabilities["textDocumentSync"]["change"] == 1  # full text: exact whatever the line breaks
    assert capabilities["textDocumentSync"]["save"] is True
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix", "source.fixAll.cfglint"]}
    assert capabilities["hoverProvider"] is True
    assert capabilities["positionEncoding"] == "utf-16"
    client.notify("initialized", {})

    uri = client.open(tmp_path / "train.yaml", ROCKET)
    y001, o001 = client.diagnostics(uri, 1)
    # The rocket takes two UTF-16 units: code point column 45 (1-based) is character 45 (0-based), not 44.
    assert y001["range"] == span(2, 45, 49)
    assert (y001["code"], y001["source"], y001["severity"]) == ("Y001", "cfglint", 2)
    assert y001["message"].startswith("optimizer.lr: 1e-3 is a float in YAML 1.2 but the string '1e-3' to PyYAML")
    assert "codeDescription" not in y001 and "relatedInformation" not in y001
    assert (o001["range"], o001["code"]) == (span(2, 65, 71), "O001")
    assert o001["relatedInformation"] == [{"location": {"uri": uri, "range": span(2, 35, 39)}, "message": "optimizer.name"}]

    safe, unsafe, fix_all = client.code_actions(uri, 2, [y001, o001])
    assert (safe["title"], safe["kind"], safe["isPreferred"], safe["diagnostics"]) == ("Fix Y001: write 1e-3 as 1.0e-3", "quickfix", True, [y001])
    assert safe["edit"] == {"documentChanges": [{"textDocument": {"uri": uri, "version": 1}, "edits": [{"range": span(2, 45, 49), "newText": "1.0e-3"}]}]}
    assert (unsafe["title"], unsafe["isPreferred"]) == ("Fix O001: switch to AdamW (unsafe)", False)
    assert unsafe["edit"]["documentChanges"][0]["edits"] == [{"range": span(2, 35, 39), "newText": "AdamW"}]
    # Fix all applies the safe fixes only, through the verified fixer, as one edit of the whole text.
    assert (fix_all["title"], fix_all["kind"]) == ("cfglint: fix all safe fixes", "source.fixAll.cfglint")
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}
    assert fix_all["edit"]["documentChanges"][0]["edits"] == [{"range": whole, "newText": ROCKET.replace("1e-3", "1.0e-3")}]
    assert client.code_actions(uri, 2, [y001, o001], only=["source.fixAll"]) == [fix_all]
    assert client.code_actions(uri, 2, [], only=["quickfix"]) == []

    hovered = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 46}})
    assert hovered == {"contents": {"kind": "markdown", "value": rules.get("Y001").help(markdown=True)}, "range": span(2, 45, 49)}
    assert hovered["contents"]["value"].startswith("**Y001** `yaml11-float` (default severity: warning)\n\nA number like `5e-4` that YAML 1.1 loaders read as a string.")
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 44}}) is None

    # Two quick changes: only the newer text is checked (no diagnostics for version 2); fixed,
    # it clears the diagnostics.
    client.change(uri, 2, ROCKET.replace("1e-3", "1.0e-3"))
    client.change(uri, 3, ROCKET.replace("lr: 1e-3", "lr: 1.0e-3").replace("name: Adam", "name: AdamW"))
    assert client.diagnostics(uri, 3) == []
    assert client.code_actions(uri, 2, [y001, o001]) == []  # fixes for version 1 no longer apply
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    closed = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert closed["params"] == {"uri": uri, "diagnostics": []}
    assert client.stop() == 0
    assert client.process.stderr.read() == b""


def test_a_display_only_fix_is_not_offered_as_an_edit(client, tmp_path):
    client.initialize(tmp_path)
    uri = client.open(tmp_path / "kd.json", '{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.7, "alpha_feature": 0.1, "alpha_attention": 0.1}', "json")
    (l001,) = client.diagnostics(uri, 1)
    assert (l001["code"], l001["range"]) == ("L001", span(0, 50, 53))  # alpha_kd's 0.7
    assert "data" not in l001  # its fix (rescale the weights) is a suggestion only
    assert client.code_actions(uri, 0, [l001]) == []


def test_positions_in_the_encoding_the_client_chose(client, tmp_path):
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}})
    uri = client.open(tmp_path / "train.yaml", ROCKET)
    ranges = [d["range"] for d in client.diagnostics(uri, 1)]
    assert ranges == [span(2, 47, 51), span(2, 67, 73)]  # the rocket is four UTF-8 bytes


def test_the_nearest_settings_file_applies_and_is_read_again_when_saved(client, tmp_path):
    settings = tmp_path / ".cfglint.yaml"
    settings.write_text("ignore: [Y001]\nexclude: ['skip/*']\n")
    client.initialize(tmp_path)
    uri = client.open(tmp_path / "train.yaml", ROCKET)
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["O001"]
    skipped = client.open(tmp_path / "skip" / "train.yaml", ROCKET)
    assert client.diagnostics(skipped, 1) == []  # excluded
    for passed_by in (tmp_path / "pyproject.toml", tmp_path / ".github" / "train.yaml", tmp_path / "node_modules" / "a.json", tmp_path / "notes.txt", tmp_path / "tsconfig.json", tmp_path / "docker-compose.yml"):
        assert client.diagnostics(client.open(passed_by, ROCKET), 1) == []
    # Passed by for what it holds, as `cfglint check` passes it by: a Kubernetes manifest.
    manifest = "apiVersion: v1\nkind: ConfigMap\nwarmup_epochs: 9\nepochs: 3\n"
    assert client.diagnostics(client.open(tmp_path / "deploy.yaml", manifest), 1) == []
    assert [d["code"] for d in client.diagnostics(client.open(tmp_path / "train2.yaml", manifest.replace("kind: ConfigMap\n", "")), 1)] == ["T001"]
    # An unsaved buffer is checked by its language, with the workspace folder's settings.
    assert [d["code"] for d in client.diagnostics(client.open("untitled:Untitled-1", ROCKET), 1)] == ["O001"]
    assert client.diagnostics(client.open("untitled:Untitled-2", ROCKET, language="markdown"), 1) == []

    settings.write_text("ignore: [Z999]\n")
    client.notify("textDocument/didSave", {"textDocument": {"uri": settings.as_uri()}})
    (broken,) = client.diagnostics(uri, 1)
    assert broken == {
        "range": span(0, 0, 0),
        "message": f"not checked: {settings}:1:1: no rule matches 'Z999' (`cfglint rules` lists them)",
        "severity": 1,
        "source": "cfglint",
    }
    settings.write_text("ignore: [O]\n")
    client.notify("textDocument/didSave", {"textDocument": {"uri": settings.as_uri()}})
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["Y001"]


def test_settings_changed_outside_the_editor_apply_where_the_client_watches_files(client, tmp_path):
    settings = tmp_path / ".cfglint.yaml"
    settings.write_text("ignore: [Y001]\n")
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    client.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    asked = client.wait(lambda m: m.get("method") == "client/registerCapability")
    (registration,) = asked["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert registration["registerOptions"] == {"watchers": [{"globPattern": "**/.cfglint.yaml"}, {"globPattern": "**/pyproject.toml"}]}
    client.send({"id": asked["id"], "result": None})
    uri = client.open(tmp_path / "train.yaml", ROCKET)
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["O001"]
    settings.write_text("ignore: [O]\n")  # as a checkout would: no didSave from the editor
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": settings.as_uri(), "type": 2}]})
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["Y001"]


def test_a_document_over_the_size_limit_is_not_checked(client, tmp_path):
    client.initialize(tmp_path)
    text = ROCKET + "#" * (MAX_BYTES - len(ROCKET.encode("utf-8")) + 1)
    uri = client.open(tmp_path / "huge.yaml", text)
    assert client.diagnostics(uri, 1) == [
        {"range": span(0, 0, 0), "message": "not checked: huge.yaml: refused: 4.0 MB is over cfglint's 4 MB limit for a config file", "severity": 2, "source": "cfglint"}
    ]


# A server whose checks fail as a bug in cfglint would.
FAILING = "import cfglint.api\ndef boom(*args): raise RuntimeError('boom')\ncfglint.api.Checker.check_document = boom\nfrom cfglint.cli import main\nmain(['server'])\n"


def test_an_internal_error_is_logged_and_the_server_goes_on(tmp_path):
    client = Client(tmp_path, ("-c", FAILING))
    try:
        client.initialize(tmp_path)
        uri = client.open(tmp_path / "train.yaml", ROCKET)
        logged = client.wait(lambda m: m.get("method") == "window/logMessage")
        assert logged["params"] == {"type": 1, "message": "cfglint: internal error: RuntimeError: boom (please report this)"}
        assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 46}}) is None
        assert client.stop() == 0
    finally:
        client.kill()


@pytest.mark.parametrize("ending", ["exit", "end of input"])
def test_an_end_without_shutdown_is_exit_code_1(client, tmp_path, ending):
    client.initialize(tmp_path)
    if ending == "exit":
        client.notify("exit", None)
    else:
        client.process.stdin.close()
    assert client.process.wait(timeout=TIMEOUT) == 1
    assert client.process.stderr.read() == b""


def test_check_never_imports_the_language_server():
    code = (
        "import sys\nfrom cfglint.cli import main\n"
        f"sys.argv = ['cfglint', 'check', '--isolated', '--no-cache', {os.path.join(ROOT, 'examples', 'production.yaml')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [name for name in ('pygls', 'lsprotocol', 'cfglint.server', 'cfglint.commands.server') if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("encoding, after_mark, x", [("utf-16", 1, 6), ("utf-8", 3, 10), ("utf-32", 1, 5)])
def test_positions_break_lines_as_lsp_does_and_skip_the_byte_order_mark(encoding, after_mark, x):
    text = "\ufeffa: 1\r\nb: \U0001f680\u2028x\rc: 2\n"
    positions = Positions(text, encoding)
    decoded = text[1:]  # cfglint's offsets count from after the mark, which the editor's text keeps
    assert positions.position(0) == Position(0, after_mark)
    assert positions.position(decoded.index("x")) == Position(1, x)  # U+2028 breaks no line
    assert positions.position(decoded.index("c")) == Position(2, 0)
    assert positions.whole().end == Position(3, 0)
