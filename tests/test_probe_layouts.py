"""`cfglint probe` with no --entry: a Lightning CLI config or a Hydra config names its own classes.

The examples (examples/probe/lightning, examples/probe/hydra) must show their incident at the
right key with the settings the user's own code trains with, and their patched configs must
re-probe clean; tiny modules written here pin each way of finding the loss terms, and each
failure has its one-line message.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions
from cfglint.cli import main
from cfglint.fixer import fix_bytes
from cfglint.probe.entry import ProbeError
from cfglint.probe.runner import ProbeOptions, run_probe
from cfglint.source import load_document, read_bytes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples", "probe")


def probe(path, batches=8, **options):
    return run_probe(str(path), ProbeOptions(None, batches=batches, **options), CheckOptions(isolated=True))


def positions(run):
    return [(f.code, f.key, f.span.line, f.span.column) for f in run.findings.findings]


def invoke(*args):
    return CliRunner().invoke(main, ["probe", *map(str, args), "--isolated", "-q"])


def test_lightning_example_probes_without_an_entry():
    run = probe(os.path.join(EXAMPLES, "lightning", "broken.yaml"))
    assert positions(run) == [
        ("P003", "trainer.gradient_clip_val", 6, 22),
        ("P001", "model.init_args.loss_weights.ce", 15, 11),
        ("P001", "model.init_args.loss_weights.recon", 16, 14),
    ]
    assert run.report.settings == {
        "optimizer": "Adam (from configure_optimizers)",
        "learning rate": "0.001 (from configure_optimizers)",
        "schedule": "CosineAnnealingLR (from configure_optimizers)",
        "weight decay": "0 (from configure_optimizers)",
        "gradient clip": "0.05 (from trainer.gradient_clip_val)",
        "accumulation": "1 (from trainer.accumulate_grad_batches)",
        "precision": "fp32 (from trainer.precision)",
        "batch size": "32 (from data.init_args.batch_size)",
        "loss terms": "ce, recon (logged with self.log in training_step)",
    }
    components = run.report.components
    assert set(components) == {"ce", "recon"}  # the logged total (train/loss) is not a term
    assert components["recon"].raw > 1e5 * components["ce"].raw  # the reconstruction in raw units
    assert run.report.weight_keys == {"ce": "model.init_args.loss_weights.ce", "recon": "model.init_args.loss_weights.recon"}
    assert run.report.clipped_fraction(0.05) == 1.0


def test_hydra_example_probes_without_an_entry():
    run = probe(os.path.join(EXAMPLES, "hydra", "broken.yaml"))
    assert positions(run) == [("P007", "scale", 3, 8)]
    assert run.report.settings == {
        "optimizer": "Adam (from optimizer._target_)",
        "learning rate": "0.001 (from optimizer.lr)",
        "schedule": "constant (the config has no scheduler)",
        "weight decay": "0 (default of Adam)",
        "gradient clip": "none (default: the config has none)",
        "accumulation": "1 (default: the config has none)",
        "precision": "fp32 (default: the config has none)",
        "batch size": "64 (from batch_size)",
        "loss terms": "loss (the loss block on model(inputs), targets)",
    }
    assert 2500 < run.report.input_min < run.report.input_max < 3700  # megawatts, as read


@pytest.mark.parametrize("example", ["lightning", "hydra"])
def test_the_examples_exit_1_broken_and_their_patched_configs_re_probe_clean(example):
    folder = os.path.join(EXAMPLES, example)
    broken = invoke(os.path.join(folder, "broken.yaml"), "--batches", "8")
    assert broken.exit_code == 1, broken.output
    patched = invoke(os.path.join(folder, "patched.yaml"), "--batches", "8")
    assert (patched.exit_code, patched.output) == (0, "")  # -q: nothing but findings, and there are none
    assert probe(os.path.join(folder, "patched.yaml")).findings.findings == []


def test_a_quiet_probe_of_a_clean_lightning_config_prints_nothing_at_all():
    """Not even Lightning's own "Seed set to N" on stderr."""
    command = [sys.executable, "-m", "cfglint", "probe", os.path.join(EXAMPLES, "lightning", "patched.yaml"), "--isolated", "-q"]
    run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ROOT})
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_the_hydra_patch_is_the_committed_patched_config():
    path = os.path.join(EXAMPLES, "hydra", "broken.yaml")
    run = probe(path)
    outcome = fix_bytes(run.checker, run.data, path, unsafe=True)
    with open(os.path.join(EXAMPLES, "hydra", "patched.yaml"), encoding="utf-8") as handle:
        assert outcome.fixed_text == handle.read()


def test_the_lightning_patch_is_the_committed_patched_config_without_a_cfglint_block():
    """LightningCLI refuses keys it does not define, so the patch records no `$cfglint` intent there.

    Run with this checkout's rules/ (an editable install may map cfglint.rules to another checkout).
    """
    rules = os.path.join(ROOT, "rules")
    path = os.path.join(EXAMPLES, "lightning", "broken.yaml")
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('cfglint.rules', {os.path.join(rules, '__init__.py')!r}, submodule_search_locations=[{rules!r}])\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['cfglint.rules'] = module; spec.loader.exec_module(module)\n"
        "from cfglint.api import CheckOptions\nfrom cfglint.fixer import fix_bytes\nfrom cfglint.probe.runner import ProbeOptions, run_probe\n"
        f"run = run_probe({path!r}, ProbeOptions(None, batches=8), CheckOptions(isolated=True))\n"
        f"sys.stdout.write(fix_bytes(run.checker, run.data, {path!r}, unsafe=True).fixed_text)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ROOT})
    assert result.returncode == 0, result.stderr
    with open(os.path.join(EXAMPLES, "lightning", "patched.yaml"), encoding="utf-8") as handle:
        assert result.stdout == handle.read()
    assert "$cfglint" not in result.stdout


def write_module(folder, name, body):
    (folder / f"{name}.py").write_text(
        "import torch\nimport torch.nn.functional as F\nimport lightning as L\n"
        "from torch.utils.data import DataLoader, TensorDataset\n\n"
        "class Data(L.LightningDataModule):\n"
        "    def train_dataloader(self):\n"
        "        generator = torch.Generator().manual_seed(0)\n"
        "        return DataLoader(TensorDataset(torch.randn(16, 3, generator=generator), torch.randn(16, 1, generator=generator)), batch_size=4)\n\n"
        + textwrap.dedent(body)
    )


TINY = """
class Tiny(L.LightningModule):
    def __init__(self, alpha_a: float = 1.0, alpha_b: float = 1.0):
        super().__init__()
        self.alpha_a, self.alpha_b = alpha_a, alpha_b
        self.net = torch.nn.Linear(3, 1)

    def terms(self, batch):
        x, y = batch
        out = self.net(x)
        return {"a": F.mse_loss(out, y), "b": out.abs().mean()}
"""


def tiny_config(folder, module, extra=""):
    path = folder / "run.yaml"
    path.write_text(
        f"model:\n  class_path: {module}.Tiny\n  init_args:\n    alpha_a: 1.0\n    alpha_b: 0.5\n"
        f"data:\n  class_path: {module}.Data\ntrainer:\n  max_epochs: 1\n{extra}"
    )
    return path


def test_logged_tensors_with_gradients_are_the_loss_terms(tmp_path):
    write_module(tmp_path, "tiny_logged", TINY + """
    def training_step(self, batch, batch_idx):
        terms = self.terms(batch)
        loss = self.alpha_a * terms["a"] + self.alpha_b * terms["b"]
        self.log("train/a", terms["a"])
        self.log_dict({"train/b": terms["b"], "train/b_detached": terms["b"].detach()})
        self.log("train/loss", loss)
        self.log("step_count", 1.0)
        return {"loss": loss}
""")
    run = probe(tiny_config(tmp_path, "tiny_logged"), batches=2)
    assert set(run.report.components) == {"a", "b"}
    assert run.report.weight_keys == {"a": "model.init_args.alpha_a", "b": "model.init_args.alpha_b"}
    assert run.report.settings["loss terms"] == "a, b (logged with self.log in training_step)"
    assert run.report.settings["optimizer"] == "AdamW (default: the config has none)"  # Tiny configures none


def test_logged_terms_that_do_not_add_up_to_the_loss_are_pointed_out(tmp_path):
    write_module(tmp_path, "tiny_weighted_logs", TINY + """
    def training_step(self, batch, batch_idx):
        terms = self.terms(batch)
        self.log("a", self.alpha_a * terms["a"])
        self.log("b", self.alpha_b * terms["b"] * 3)
        return self.alpha_a * terms["a"] + self.alpha_b * terms["b"]
""")
    run = probe(tiny_config(tmp_path, "tiny_weighted_logs"), batches=1)
    assert run.report.settings["loss terms"].startswith("a, b (logged with self.log in training_step; their weighted sum is ")
    assert run.report.settings["loss terms"].endswith("log each term unweighted, with its weight under one of the keys the probe reads)")


def test_the_loss_components_hook_comes_first(tmp_path):
    write_module(tmp_path, "tiny_hook", TINY + """
    def cfglint_loss_components(self, batch):
        return self.terms(batch)

    def training_step(self, batch, batch_idx):
        terms = self.terms(batch)
        self.log("ignored", terms["a"] * 2)
        return terms["a"] + terms["b"]

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        return [optimizer], [torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)]
""")
    run = probe(tiny_config(tmp_path, "tiny_hook"), batches=2)
    assert set(run.report.components) == {"a", "b"}
    assert run.report.settings["loss terms"] == "a, b (from Tiny.cfglint_loss_components)"
    assert run.report.settings["optimizer"] == "SGD (from configure_optimizers)"
    assert run.report.settings["schedule"] == "StepLR (from configure_optimizers)"


def test_without_hook_or_logged_terms_the_loss_is_the_one_component(tmp_path):
    write_module(tmp_path, "tiny_plain", TINY + """
    def training_step(self, batch, batch_idx):
        self.log("train/loss", self.terms(batch)["a"].detach())
        return self.terms(batch)["a"]
""")
    run = probe(tiny_config(tmp_path, "tiny_plain"), batches=1)
    assert set(run.report.components) == {"loss"}
    assert run.report.settings["loss terms"] == (
        "loss (training_step's loss; component shares not measured: self.log each term, or define cfglint_loss_components)"
    )


def test_the_config_optimizer_blocks_replace_configure_optimizers_and_set_the_steps_rates(tmp_path):
    """LightningCLI's own rule: optimizer/lr_scheduler blocks become the module's configure_optimizers."""
    from cfglint.probe.layouts import layout_target

    write_module(tmp_path, "tiny_blocks", TINY + """
    def training_step(self, batch, batch_idx):
        return self.terms(batch)["a"]

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.5)
""")
    path = tiny_config(
        tmp_path,
        "tiny_blocks",
        "  precision: 16-mixed\noptimizer:\n  class_path: torch.optim.Adam\n  init_args:\n    lr: 0.01\n"
        "lr_scheduler:\n  class_path: torch.optim.lr_scheduler.StepLR\n  init_args:\n    step_size: 1\n    gamma: 0.5\n",
    )
    run = probe(path, batches=1, steps=2)
    assert {name: run.report.settings[name] for name in ("optimizer", "learning rate", "schedule", "weight decay", "precision")} == {
        "optimizer": "Adam (from optimizer.class_path)",
        "learning rate": "0.01 (from optimizer.init_args.lr)",
        "schedule": "StepLR (from lr_scheduler.class_path)",
        "weight decay": "0 (default of Adam)",
        "precision": "fp16 (from trainer.precision)",
    }
    assert run.report.precision == "fp16" and run.report.steps == 2
    doc = load_document(str(path), read_bytes(str(path)))
    # StepLR(step_size=1, gamma=0.5) is per epoch in Lightning: the probe's few steps stay at the first rate.
    assert layout_target(str(path), doc, run.plan, 3, lambda message: None).learning_rates == [0.01, 0.01, 0.01]


@pytest.mark.parametrize("precision, fp16", [("16-mixed", True), ("16", True), ("16-true", True), ("bf16-mixed", False), ("32", False), ("64-true", False)])
def test_the_lightning_dialect_reads_the_trainers_precision(precision, fp16):
    from cfglint.api import Checker
    from cfglint.engine import analyse

    text = f"trainer:\n  max_epochs: 2\n  precision: {precision}\nmodel:\n  class_path: pkg.Module\n"
    doc = load_document("run.yaml", text.encode())
    setting = analyse(doc, Checker(CheckOptions(isolated=True)).settings_for("run.yaml"), None).plan.get("fp16")
    assert (setting.value, setting.key, setting.node.span.line, setting.node.span.column) == (fp16, "trainer.precision", 3, 14)


def test_a_per_step_scheduler_sets_each_probe_steps_rate(tmp_path):
    from cfglint.probe.layouts import layout_target

    write_module(tmp_path, "tiny_per_step", TINY + """
    def training_step(self, batch, batch_idx):
        return self.terms(batch)["a"]

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.8)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}
""")
    path = tiny_config(tmp_path, "tiny_per_step")
    run = probe(path, batches=1)
    doc = load_document(str(path), read_bytes(str(path)))
    target = layout_target(str(path), doc, run.plan, 3, lambda message: None)
    assert target.learning_rates == [0.8, 0.4, 0.2]
    assert target.optimizer([]).param_groups[0]["lr"] == 0.8  # restored after sampling the schedule


def test_a_class_path_that_cannot_be_imported_names_it_and_its_line(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("trainer:\n  max_epochs: 1\nmodel:\n  class_path: no_such_package_for_probe.Model\n")
    result = invoke(path)
    assert result.exit_code == 2
    assert result.output == f"cfglint: error: {path}:4:15: model.class_path no_such_package_for_probe.Model: No module named 'no_such_package_for_probe'\n"


def test_a_class_path_that_is_not_a_lightning_module_is_named(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("model:\n  class_path: torch.nn.Linear\n  init_args:\n    in_features: 2\n")
    result = invoke(path)
    assert result.exit_code == 2
    assert result.output == (
        f"cfglint: error: {path}:2:15: model.class_path torch.nn.Linear: Import path torch.nn.Linear does not correspond to a subclass of LightningModule\n"
    )


def test_a_module_whose_init_raises_is_named_with_the_error(tmp_path):
    write_module(tmp_path, "tiny_raises", TINY + """
class Raises(Tiny):
    def __init__(self, alpha_a: float = 1.0):
        raise ValueError("alpha_a must be below 1")
""")
    path = tmp_path / "run.yaml"
    path.write_text("model:\n  class_path: tiny_raises.Raises\n  init_args:\n    alpha_a: 2.0\n")
    result = invoke(path)
    assert result.exit_code == 2
    assert result.output == f"cfglint: error: {path}:2:15: model.class_path tiny_raises.Raises: ValueError: alpha_a must be below 1\n"


def test_a_failing_data_module_hook_is_named(tmp_path):
    write_module(tmp_path, "tiny_no_files", TINY + """
    def training_step(self, batch, batch_idx):
        return self.terms(batch)["a"]

class NoFiles(Data):
    def setup(self, stage):
        raise FileNotFoundError("data/train.csv")
""")
    path = tmp_path / "run.yaml"
    path.write_text("model:\n  class_path: tiny_no_files.Tiny\ndata:\n  class_path: tiny_no_files.NoFiles\n")
    result = invoke(path)
    assert (result.exit_code, result.output) == (2, 'cfglint: error: NoFiles.setup("fit") failed: FileNotFoundError: data/train.csv\n')


@pytest.mark.parametrize(
    "module, config, extra, package",
    [
        ("lightning.pytorch.cli", "model:\n  class_path: pkg.Model\n", "lightning", "lightning and jsonargparse[signatures]"),
        ("jsonargparse", "model:\n  class_path: pkg.Model\n", "lightning", "lightning and jsonargparse[signatures]"),
        ("omegaconf", "model:\n  _target_: pkg.Model\n", "hydra", "hydra-core"),
    ],
)
def test_a_missing_extra_gives_a_one_line_install_hint(tmp_path, monkeypatch, module, config, extra, package):
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now fails as if it were not installed
    (tmp_path / "run.yaml").write_text(config)
    result = invoke(tmp_path / "run.yaml")
    assert result.exit_code == 2
    assert result.output == f"cfglint: error: probing this config without --entry needs {package}: pip install 'cfglint-ml[{extra}]'\n"


def test_a_config_that_names_no_classes_still_asks_for_an_entry(tmp_path):
    (tmp_path / "run.yaml").write_text("lr: 0.1\n")
    result = invoke(tmp_path / "run.yaml")
    assert result.exit_code == 2
    assert result.output == (
        "cfglint: error: name the probe entry: --entry MODULE:FUNCTION or path/to/file.py:FUNCTION (or the probe.entry setting); "
        "without one, probe reads a Lightning CLI config (model.class_path) or a Hydra config (model._target_)\n"
    )


def test_a_hydra_lightning_module_is_probed_through_its_training_step(tmp_path):
    """The lightning-hydra-template layout: `_target_` blocks naming a LightningModule and a LightningDataModule."""
    write_module(tmp_path, "tiny_hydra_lightning", TINY + """
    def training_step(self, batch, batch_idx):
        terms = self.terms(batch)
        self.log("train/a", terms["a"])
        self.log("train/b", terms["b"])
        return self.alpha_a * terms["a"] + self.alpha_b * terms["b"]

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=0.003)
""")
    path = tmp_path / "run.yaml"
    path.write_text("model:\n  _target_: tiny_hydra_lightning.Tiny\n  alpha_a: 1.0\n  alpha_b: 0.25\ndata:\n  _target_: tiny_hydra_lightning.Data\n")
    run = probe(path, batches=2)
    assert run.report.weight_keys == {"a": "model.alpha_a", "b": "model.alpha_b"}
    assert {name: run.report.settings[name] for name in ("optimizer", "learning rate", "batch size", "loss terms")} == {
        "optimizer": "Adam (from configure_optimizers)",
        "learning rate": "0.003 (from configure_optimizers)",
        "batch size": "4 (from Data.train_dataloader())",
        "loss terms": "a, b (logged with self.log in training_step)",
    }


HYDRA_MODULE = """
import torch
from torch.utils.data import TensorDataset

def pairs(count=8):
    generator = torch.Generator().manual_seed(0)
    return TensorDataset(torch.randn(count, 3, generator=generator), torch.randn(count, 1, generator=generator))

def triples(count=8):
    return TensorDataset(torch.randn(count, 3), torch.randn(count, 1), torch.randn(count, 1))

class Net(torch.nn.Module):
    def __init__(self, width=3, loss_weights=None):
        super().__init__()
        self.linear = torch.nn.Linear(width, 1)

    def forward(self, x):
        return self.linear(x)

class Hooked(Net):
    def cfglint_loss_components(self, batch):
        x, y, z = batch
        return {"fit": torch.nn.functional.mse_loss(self(x), y), "aux": (self(x) - z).abs().mean()}

class Broken(Net):
    def __init__(self):
        raise ValueError("width must be given")
"""


def hydra_config(folder, name, body):
    (folder / f"{name}.py").write_text(HYDRA_MODULE)
    path = folder / "run.yaml"
    path.write_text(textwrap.dedent(body).replace("MODULE", name))
    return path


def test_hydra_hook_terms_weights_under_the_model_block_and_a_scheduler(tmp_path):
    path = hydra_config(tmp_path, "hydra_hooked", """
        batch_size: 4
        model:
          _target_: MODULE.Hooked
          loss_weights: {fit: 1.0, aux: 0.1}
        dataset:
          _target_: MODULE.triples
        optim:
          _target_: torch.optim.SGD
          lr: 0.2
          weight_decay: 0.01
        scheduler:
          _target_: torch.optim.lr_scheduler.StepLR
          _partial_: true
          step_size: 1
          gamma: 0.5
    """)
    from cfglint.probe.layouts import layout_target

    run = probe(path, batches=2, steps=2)
    assert set(run.report.components) == {"fit", "aux"}
    assert run.report.weight_keys == {"fit": "model.loss_weights.fit", "aux": "model.loss_weights.aux"}
    assert {name: run.report.settings[name] for name in ("optimizer", "learning rate", "schedule", "weight decay", "batch size", "loss terms")} == {
        "optimizer": "SGD (from optim._target_)",
        "learning rate": "0.2 (from optim.lr)",
        "schedule": "StepLR (from scheduler._target_, stepped per optimizer step)",
        "weight decay": "0.01 (from optim.weight_decay)",
        "batch size": "4 (from batch_size)",
        "loss terms": "fit, aux (from Hooked.cfglint_loss_components)",
    }
    doc = load_document(str(path), read_bytes(str(path)))
    assert layout_target(str(path), doc, run.plan, 3, lambda message: None).learning_rates == [0.2, 0.1, 0.05]


def test_hydra_dataloader_and_criterion_blocks_without_an_optimizer(tmp_path):
    path = hydra_config(tmp_path, "hydra_loader", """
        net:
          _target_: MODULE.Net
        train_dataloader:
          _target_: torch.utils.data.DataLoader
          batch_size: 2
          dataset:
            _target_: MODULE.pairs
        criterion:
          _target_: torch.nn.L1Loss
    """)
    run = probe(path, batches=3)
    assert run.report.batches == 3 and set(run.report.components) == {"loss"}
    assert {name: run.report.settings[name] for name in ("optimizer", "batch size", "loss terms")} == {
        "optimizer": "AdamW (default: the config has none)",
        "batch size": "2 (from train_dataloader)",
        "loss terms": "loss (the criterion block on model(inputs), targets)",
    }


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "model:\n  _target_: MODULE.Net\ndataset:\n  _target_: MODULE.pairs\n",
            "{path}: no loss: add a loss: (or criterion:) block with a _target_, applied to (model(inputs), targets), "
            "or define cfglint_loss_components(self, batch) on Net",
        ),
        (
            "model:\n  _target_: MODULE.Net\ndataset:\n  _target_: MODULE.triples\nloss:\n  _target_: torch.nn.MSELoss\n",
            "{path}:6:13: the loss block is applied to (model(inputs), targets), but a batch is a list of 3, "
            "not an (inputs, targets) pair; define cfglint_loss_components(self, batch) on Net instead",
        ),
        ("model:\n  _target_: MODULE.Net\n", "{path}: no data: add a train_dataloader, datamodule, data or dataset block with a _target_"),
        ("model:\n  _target_: MODULE.Broken\n", "{path}:2:13: model._target_ MODULE.Broken: ValueError: width must be given"),
        (
            "net:\n  _target_: MODULE.Missing\n",
            "{path}:2:13: net._target_ MODULE.Missing: ModuleNotFoundError(\"No module named 'MODULE.Missing'; 'MODULE' is not a package\") "
            "Are you sure that 'Missing' is importable from module 'MODULE'?",
        ),
        (
            "defaults:\n  - model: small\n  - _self_\nmodel:\n  _target_: MODULE.Net\n",
            "{path}:2:12: cannot probe: model/small is not a file here ({folder}/model/small.yaml): it may come from a ConfigStore entry registered in code or a plugin, which cfglint does not run",
        ),
    ],
)
def test_hydra_config_problems_are_one_line_at_their_key(tmp_path, body, message):
    name = f"hydra_problem_{len(list(sys.modules))}"
    path = hydra_config(tmp_path, name, body)
    with pytest.raises(ProbeError) as raised:
        probe(path, batches=1)
    assert str(raised.value) == message.format(path=path, folder=tmp_path).replace("MODULE", name)


def test_a_hydra_root_is_probed_as_composed_from_its_group_files(tmp_path):
    """The model's _target_ lives in model/small.yaml and the optimizer's rate comes from an
    override: the probe builds the composed config, as check reads it."""
    name = "hydra_composed"
    (tmp_path / f"{name}.py").write_text(HYDRA_MODULE)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "small.yaml").write_text(f"_target_: {name}.Net\nwidth: 3\n")
    path = tmp_path / "train.yaml"
    path.write_text(f"defaults:\n  - model: small\n  - _self_\nbatch_size: 4\ndataset:\n  _target_: {name}.pairs\nloss:\n  _target_: torch.nn.MSELoss\noptim:\n  _target_: torch.optim.SGD\n  lr: 0.1\n")
    run = run_probe(str(path), ProbeOptions(None, batches=2), CheckOptions(isolated=True, overrides=("optim.lr=0.05",)))
    assert run.report.settings["learning rate"] == "0.05 (from optim.lr)"


def test_check_and_fix_never_import_the_frameworks_or_the_classes_a_config_names():
    code = (
        "import sys; from click.testing import CliRunner; from cfglint.cli import main\n"
        f"for folder in ({os.path.join(EXAMPLES, 'lightning')!r}, {os.path.join(EXAMPLES, 'hydra')!r}):\n"
        "    CliRunner().invoke(main, ['check', '--isolated', folder])\n"
        "    CliRunner().invoke(main, ['fix', '--isolated', folder])\n"
        "loaded = [name for name in ('torch', 'lightning', 'hydra', 'omegaconf', 'jsonargparse', 'sensor_classifier', 'load_forecaster') if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
