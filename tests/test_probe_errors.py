"""The probe's errors for mistakes in a user's entry: the cause, the user's own file and line, and
a one-line fix; always exit 2 and never a traceback.

Each test writes a small entry as a user would (a two-class linear model on one batch) with one
mistake, marked `# <-` on the line the message must name.
"""

import os
import re
import sys

import pytest
import torch
from click.testing import CliRunner

from cfglint.cli import main

HEAD = """import torch
import torch.nn.functional as F

from cfglint.probe import ProbeTarget


def probe_target(config):
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    x = torch.tensor([[0.5, -0.5, 0.1], [-0.5, 0.5, -0.1], [0.3, -0.2, 0.4], [-0.3, 0.2, -0.4]])
    batch = (x, torch.tensor([0, 1, 0, 1]))
"""


def write_entry(folder, body, name="entry.py", head=HEAD):
    """The entry file, and `path:line` of the line marked `# <-`."""
    text = head + body
    path = folder / name
    path.write_text(text, encoding="utf-8")
    marked = [number for number, content in enumerate(text.splitlines(), 1) if content.endswith("# <-")]
    return path, f"{path}:{marked[0]}" if marked else None


def probe(tmp_path, entry, *options):
    config = tmp_path / "run.yaml"
    config.write_text("lr: 0.001\nbatch_size: 4\n", encoding="utf-8")
    return CliRunner().invoke(main, ["probe", str(config), "--entry", entry, "--isolated", "--device", "cpu", *options])


def error_of(result):
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()[-1:]
    assert line.startswith("cfglint: error: ")
    return line[len("cfglint: error: ") :]


def components(*lines):
    """An entry body whose loss_components runs these lines."""
    return "\n    def components(batch):\n        x, y = batch\n" + "".join(f"        {line}\n" for line in lines) + (
        "\n    return ProbeTarget(model=model, batch=batch, loss_components=components)\n"
    )


NO_GRADIENT = (
    "the loss component 'ce' has no gradient: it was computed under torch.no_grad() or detached (.detach(), .data); "
    "compute it as training does, with gradients"
)
COMPONENT_MISTAKES = {
    "a float": (
        ["ce = F.cross_entropy(model(x), y)", 'return {"ce": ce, "l1": float(model.weight.detach().abs().sum())}  # <-'],
        "the loss component 'l1' is a float, not a tensor: return the tensor itself, not float(...) or .item(), so the probe can take its gradient",
    ),
    "unreduced": (
        ['return {"ce": F.cross_entropy(model(x), y, reduction="none")}  # <-'],
        "the loss component 'ce' holds 4 values (shape 4), not one: reduce it to a scalar (.mean(), or reduction='mean')",
    ),
    "under no_grad": (["with torch.no_grad():", '    return {"ce": F.cross_entropy(model(x), y)}  # <-'], NO_GRADIENT),
    "detached": (['return {"ce": F.cross_entropy(model(x), y).detach()}  # <-'], NO_GRADIENT),
}


@pytest.mark.parametrize("lines, message", COMPONENT_MISTAKES.values(), ids=list(COMPONENT_MISTAKES))
def test_a_component_mistake_is_named_at_the_users_return(tmp_path, lines, message):
    path, where = write_entry(tmp_path, components(*lines))
    assert error_of(probe(tmp_path, f"{path}:probe_target")) == f"{where}: {message}"


def test_the_line_is_in_the_helper_that_built_the_components(tmp_path):
    """`loss_components=lambda batch: losses(model, batch)`: the mistake is in `losses`, not the lambda."""
    head = HEAD.replace("def probe_target(config):", (
        "def losses(model, batch):\n    x, y = batch\n    ce = F.cross_entropy(model(x), y)\n"
        "    return {\"ce\": ce, \"acc\": (model(x).argmax(1) == y).float().mean().item()}  # <-\n\n\ndef probe_target(config):"
    ))
    body = "    return ProbeTarget(model=model, batch=batch, loss_components=lambda batch: losses(model, batch))\n"
    path, where = write_entry(tmp_path, body, head=head)
    assert error_of(probe(tmp_path, f"{path}:probe_target")).startswith(f"{where}: the loss component 'acc' is a float, not a tensor: ")


def test_a_target_without_a_batch(tmp_path):
    head = HEAD.replace("def probe_target(config):", "def probe_target(config):  # <-")
    body = '\n    def components(batch):\n        return {"ce": F.cross_entropy(model(batch[0]), batch[1])}\n\n    return ProbeTarget(model=model, loss_components=components)\n'
    path, where = write_entry(tmp_path, body, head=head)
    entry = f"{path}:probe_target"
    assert error_of(probe(tmp_path, entry)) == (
        f"{where}: the ProbeTarget from {entry} has no batch: pass batch=<one real batch> (or batches=[...]) to ProbeTarget"
    )


DEVICE_HINT = (
    "tensors on different devices; the probe moves `model` and the batches to cpu, but not tensors your code creates on "
    "a fixed device nor modules outside `model`: create tensors on the batch's device (torch.zeros(n, device=x.device)) "
    "and make every module the loss uses a submodule of `model`"
)


def test_a_tensor_the_loss_creates_on_another_device(tmp_path):
    """The probe moves the model and the batch; a class-weight tensor made on a fixed device stays there."""
    path, where = write_entry(tmp_path, components('weight = torch.ones(2, device="meta")', 'return {"ce": F.cross_entropy(model(x), y, weight=weight)}  # <-'))
    assert error_of(probe(tmp_path, f"{path}:probe_target")) == (
        f"{where}: running the model failed: RuntimeError: Tensor on device meta is not on the expected device cpu!; " + DEVICE_HINT
    )


def test_a_module_outside_the_model_on_another_device(tmp_path):
    body = '    teacher = torch.nn.Linear(3, 2).to("meta")\n' + components('return {"kd": F.mse_loss(model(x), teacher(x))}  # <-')
    path, where = write_entry(tmp_path, body)
    assert error_of(probe(tmp_path, f"{path}:probe_target")) == (
        f"{where}: running the model failed: RuntimeError: Tensor on device meta is not on the expected device cpu!; " + DEVICE_HINT
    )


def test_a_loss_that_asks_for_cuda_when_the_probe_runs_on_cpu(tmp_path):
    """On a CPU build of torch the user's `device="cuda"` fails where it is written; with a GPU,
    the cpu model meets the cuda tensor in the loss, one line further down."""
    path, where = write_entry(tmp_path, components('weight = torch.ones(2, device="cuda")  # <-', 'return {"ce": F.cross_entropy(model(x), y, weight=weight)}'))
    message = error_of(probe(tmp_path, f"{path}:probe_target"))
    if torch.cuda.is_available():
        loss_line = f"{path}:{int(where.rsplit(':', 1)[1]) + 1}"
        expected = re.escape(f"{loss_line}: running the model failed: RuntimeError: Expected all tensors to be on the same device") + r".*; " + re.escape(DEVICE_HINT)
        assert re.fullmatch(expected, message)
    else:
        assert message == (
            f"{where}: running the model failed: AssertionError: Torch not compiled with CUDA enabled; your code asks for CUDA, "
            "which this torch cannot use; " + DEVICE_HINT.split("; ", 1)[1]
        )


def test_an_error_names_the_last_line_in_the_users_files_not_torchs(tmp_path):
    """A shape bug inside the user's own module: the line in its forward, not torch's linear."""
    (tmp_path / "net.py").write_text(
        "import torch\n\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layer = torch.nn.Linear(5, 2)\n\n    def forward(self, x):\n        return self.layer(x)  # <-\n",
        encoding="utf-8",
    )
    body = "    from net import Net\n    model = Net()\n" + components('return {"ce": F.cross_entropy(model(x), y)}')
    path, _ = write_entry(tmp_path, body)
    assert error_of(probe(tmp_path, f"{path}:probe_target")) == (
        f"{tmp_path / 'net.py'}:10: running the model failed: RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)"
    )


def test_an_error_in_the_entry_itself(tmp_path):
    path, where = write_entry(tmp_path, '    hidden = config["hidden"]  # <-\n')
    entry = f"{path}:probe_target"
    assert error_of(probe(tmp_path, entry)) == f"{where}: the entry {entry} failed: KeyError: 'hidden'"


def test_cuda_asked_where_it_is_not_available_fails_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.version, "cuda", None)
    (tmp_path / "entry.py").write_text("raise SystemExit('the entry was imported')\n", encoding="utf-8")
    (tmp_path / "run.yaml").write_text("lr: 0.001\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["probe", str(tmp_path / "run.yaml"), "--entry", f"{tmp_path / 'entry.py'}:f", "--isolated", "--device", "cuda"])
    assert error_of(result) == (
        f"--device cuda: CUDA is not available (this torch is a CPU build, torch {torch.__version__}): probe with --device cpu, "
        "or install a CUDA build of torch"
    )


@pytest.fixture(autouse=True)
def clean_imports(monkeypatch, tmp_path):
    """The entries these tests import leave sys.path and sys.modules as they found them."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


def test_a_module_entry_is_imported_from_the_working_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "sensorprobe").mkdir(parents=True)
    (project / "sensorprobe" / "__init__.py").write_text("", encoding="utf-8")
    write_entry(project / "sensorprobe", components('return {"ce": F.cross_entropy(model(x), y)}  # <-'), name="entry.py")
    monkeypatch.chdir(project)
    result = probe(tmp_path, "sensorprobe.entry:probe_target", "-q")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_missing_module_entry_says_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error_of(probe(tmp_path, "sensorprobe_missing.entry:probe_target")) == (
        f"--entry 'sensorprobe_missing.entry:probe_target': no module sensorprobe_missing in the working folder ({tmp_path}) or the installed packages"
    )


def test_a_file_entry_is_looked_up_beside_the_config_first_then_in_the_working_folder(tmp_path, monkeypatch):
    configs, working = tmp_path / "configs", tmp_path / "work"
    configs.mkdir()
    working.mkdir()
    (configs / "run.yaml").write_text("lr: 0.001\n", encoding="utf-8")
    for folder in (configs, working):
        (folder / "entry.py").write_text(f"def probe_target(config):\n    raise KeyError({folder.name!r})\n", encoding="utf-8")
    monkeypatch.chdir(working)
    run = lambda: CliRunner().invoke(main, ["probe", str(configs / "run.yaml"), "--entry", "entry.py:probe_target", "--isolated"])  # noqa: E731
    assert error_of(run()) == f"{configs / 'entry.py'}:2: the entry entry.py:probe_target failed: KeyError: 'configs'"
    os.remove(configs / "entry.py")
    assert error_of(run()) == f"{os.path.join('entry.py')}:2: the entry entry.py:probe_target failed: KeyError: 'work'"
    os.remove(working / "entry.py")
    assert error_of(run()) == (
        f"--entry 'entry.py:probe_target': no such file entry.py (looked beside the config, in {configs}, then in the working folder)"
    )


def test_every_error_above_is_one_line(tmp_path):
    path, _ = write_entry(tmp_path, components('return {"ce": F.cross_entropy(model(x), y, reduction="none")}  # <-'))
    result = probe(tmp_path, f"{path}:probe_target")
    assert re.fullmatch(r"(probe: [^\n]* \.\.\.\n)*cfglint: error: [^\n]+\n", result.stderr)
