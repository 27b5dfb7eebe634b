"""The loader is part of the dialect: what Y001, S002 and D002 say follows the loader that reads the file."""

from click.testing import CliRunner

from cfglint.api import CheckOptions, Checker
from cfglint.cli import main
from cfglint.dialects import DIALECTS, detect
from cfglint.loaders import LOADERS, YACS_OR_PYYAML
from cfglint.source import load_document
from helpers import lint, positions

HYDRA = "defaults:\n  - _self_\ntrainer:\n  max_epochs: 10\noptimizer:\n  _target_: torch.optim.AdamW\n  lr: 5e-4\n"


def test_every_dialect_names_its_loader():
    assert all(dialect.loader in LOADERS + (YACS_OR_PYYAML,) for dialect in DIALECTS)
    assert {d.name: d.loader for d in DIALECTS if d.name in ("hydra", "huggingface", "detectron2", "deepspeed", "lightning-cli", "axolotl")} == {
        "hydra": "omegaconf",
        "huggingface": "pyyaml",
        "detectron2": "yacs",
        "deepspeed": "json",
        "lightning-cli": "jsonargparse",
        "axolotl": "pydantic",
    }


def test_y001_fires_only_where_the_loader_reads_yaml_1_1():
    hugging_face = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlearning_rate: 5e-4\n"
    assert positions(lint(hugging_face)) == [("Y001", 3, 16)]
    assert "Y001" not in [f.code for f in lint(HYDRA)]  # OmegaConf reads 5e-4 as a float


def test_a_duplicate_key_under_omegaconf_stops_the_file_from_loading():
    (finding,) = [f for f in lint(HYDRA + "  lr: 3.0e-4\n") if f.code == "D002"]
    assert (finding.span.line, finding.span.column) == (8, 3)
    assert finding.message == (
        "duplicate key 'lr' (first written at line 7): OmegaConf refuses the file (\"found duplicate key lr\"), "
        "so the run does not start; remove one of them"
    )


def test_a_duplicate_key_under_pyyaml_keeps_the_last_value():
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlearning_rate: 1.0e-4\nlearning_rate: 2.0e-5\n"
    (finding,) = [f for f in lint(text) if f.code == "D002"]
    assert finding.message == "duplicate key 'learning_rate' (first written at line 3): PyYAML silently keeps only the last value; remove one of them"


def test_a_duplicate_key_in_a_file_no_reading_claims_names_both_behaviours():
    (finding,) = lint("name: run\nname: other\n")
    assert finding.code == "D002"
    assert "PyYAML and yacs silently keep only the last value, while OmegaConf (Hydra) and ruamel refuse the file" in finding.message


def test_a_duplicate_key_in_json_keeps_the_last_value():
    (finding,) = [f for f in lint('{"train_batch_size": 8, "train_batch_size": 16}', "ds_config.json") if f.code == "D002"]
    assert "Python's json silently keeps only the last value" in finding.message


def test_dialects_tied_on_their_markers_are_no_dialect_and_verbose_says_so(tmp_path):
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nmax_duration: 2ep\nglobal_train_batch_size: 64\n"
    detection, tie = detect(load_document("c.yaml", text.encode()))
    assert detection is None
    assert tie == (
        "huggingface (5: per_device_train_batch_size, num_train_epochs)",
        "composer (5: max_duration, global_train_batch_size)",
    )
    path = tmp_path / "c.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["check", "-v", "--isolated", str(path)])
    assert "no dialect: markers tie between huggingface (5: per_device_train_batch_size, num_train_epochs) and composer (5: max_duration, global_train_batch_size)" in result.output


def test_a_dialect_prints_its_loader_and_detection_scores():
    result = CliRunner().invoke(main, ["dialects", "composer"])
    assert result.exit_code == 0
    assert "Loader: OmegaConf." in result.output
    assert "Detected when its marker keys score at least 4 and more than any other dialect's: max_duration (3)," in result.output
    assert "max_duration: ep -> epochs, batches -> max_steps (a time string such as 2ep, 100ba or 0.02dur)" in result.output


def test_values_are_read_as_pyyaml_reads_them_under_its_resolvers(tmp_path):
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 010\nmax_steps: 1_000\nfp16: yes\nwarmup_steps: 096\n"
    findings = lint(text)
    assert positions(findings) == [("S002", 2, 19), ("S002", 5, 15)]
    assert findings[0].message == "num_train_epochs: 010 is 8 to PyYAML (YAML 1.1 reads a leading zero as octal) but 10 to YAML 1.2 loaders; write 8 or 10"
    assert findings[1].message == (
        "warmup_steps is the string '096' to PyYAML (YAML 1.1 reads a leading zero as octal, and a digit past 7 "
        "leaves it text), expected a number; write 96"
    )
    path = tmp_path / "args.yaml"
    path.write_text(text.replace("warmup_steps: 096\n", ""))
    result = CliRunner().invoke(main, ["check", "-v", "--isolated", "--no-cache", str(path)])
    assert "epochs = 8 from num_train_epochs (exact key)" in result.output  # 010 is octal to PyYAML
    assert "max_steps = 1000 from max_steps (exact key)" in result.output
    assert "fp16 = True from fp16 (exact key)" in result.output


def test_a_yaml_1_2_loader_reads_yes_as_text_and_underscored_digits_as_numbers(tmp_path):
    (tmp_path / ".cfglint.yaml").write_text("loader: ruamel\n")
    config = tmp_path / "run.yaml"
    config.write_text("optimizer:\n  lr: 1e-3\ntrain:\n  epochs: 1_000\n  warmup_epochs: 010\n")
    (report,) = Checker(CheckOptions()).check([str(config)]).files
    assert report.findings == []  # no Y001; epochs 1000 and warmup 10 (not octal 8) are read
    config.write_text("optimizer:\n  lr: 1e-3\ntrain:\n  epochs: 1_000\n  warmup_epochs: 1_000\n")
    (report,) = Checker(CheckOptions()).check([str(config)]).files
    assert positions(report.findings) == [("T001", 5, 18)]


def test_hyperpyyaml_reads_5e_4_as_a_float():
    text = "lr: 1e-5\nnumber_of_epochs: 10\nopt_class: !name:torch.optim.Adam\n  lr: !ref <lr>\n"
    assert "Y001" not in [f.code for f in lint(text, "hparams.yaml")]


def test_a_quoted_number_is_named_as_the_string_it_is():
    (finding,) = lint('per_device_train_batch_size: 8\nnum_train_epochs: 3\nlearning_rate: "0.001"\n')
    assert finding.message == (
        "learning_rate is the string '0.001', expected a number: a training script reads it as text; write it without quotes (0.001)"
    )


def test_a_json_config_of_an_omegaconf_framework_keeps_the_last_value():
    text = '{"stage": "sft", "finetuning_type": "lora", "template": "llama3", "cutoff_len": 2048, "learning_rate": 1e-4, "learning_rate": 2e-4}'
    (finding,) = [f for f in lint(text, "sft.json") if f.code == "D002"]
    assert "Python's json silently keeps only the last value" in finding.message


def test_the_readme_lists_every_dialect_with_its_loader():
    import os
    import re

    from cfglint.loaders import TITLES

    with open(os.path.join(os.path.dirname(__file__), "..", "README.md"), encoding="utf-8") as handle:
        rows = [line for line in handle if line.startswith("| `")]
    for dialect in DIALECTS:
        (row,) = [r for r in rows if re.search(rf"`{re.escape(dialect.name)}`[,| ]", r.split(" | ")[0] + " ")]
        loader = row.split(" | ")[2].lower()
        assert TITLES[dialect.loader].lower() in loader or dialect.loader in loader, dialect.name


def test_an_alias_is_read_as_the_value_written_at_its_anchor(tmp_path):
    """`hidden_size: *emb_dim` under OmegaConf is the anchored 768, not the text `*emb_dim`."""
    from cfglint.api import CheckOptions, Checker

    path = tmp_path / "run.yaml"
    path.write_text("model:\n  embedding_dim: &emb_dim 768\n  encoder:\n    d_model: *emb_dim\n    n_heads: 8\n  val: ${model.embedding_dim}\n")
    (report,) = Checker(CheckOptions(isolated=True, family="hydra")).check([str(path)]).files
    assert [f.code for f in report.findings] == []
