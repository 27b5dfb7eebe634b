"""All 622 real configs in ../shared/corpus go through check without a traceback."""

import os
import subprocess
import sys

from cfglint.api import CheckOptions, Checker


def test_every_corpus_config_is_checked_without_crashing(corpus):
    result = Checker(CheckOptions(isolated=True)).check([corpus])
    assert len(result.files) == 622
    assert result.input_errors == []
    syntax = sorted(os.path.basename(f.file) for f in result.findings if f.code == "D001")
    # Only the DeepSpeed templates with placeholders are not valid JSON.
    assert syntax == sorted(
        [
            "ds_config_TEMPLATE.json",
            "ds_config_structural_pruning_TEMPLATE.json",
            "ds_config_gpt2-medium_1clmetric_TEMPLATE.json",
            "ds_config_gpt2-medium_2clmetrics_TEMPLATE.json",
            "ds_config_gpt2_TEMPLATE.json",
            "ds_config_temp.json",
        ]
    )


def test_known_corpus_problems_are_found_at_their_positions(corpus):
    path = os.path.join(corpus, "causal_discovery/larslorch__avici/experiments/linear-hparam/methods.yaml")
    (report,) = Checker(CheckOptions(isolated=True)).check([path]).files
    assert [(f.code, f.span.line, f.span.column) for f in report.findings][:2] == [("D002", 72, 3), ("D002", 74, 3)]


def test_the_command_line_over_the_corpus_has_no_traceback(corpus):
    run = subprocess.run(
        [sys.executable, "-m", "cfglint", "check", "--isolated", "--exit-zero", "--format", "json", corpus],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0
    assert "Traceback" not in run.stderr


# Every error and warning over the corpus, each reviewed in docs/corpus-review.md.
REVIEWED = {
    ("causal_discovery/larslorch__avici/experiments/linear-hparam/methods.yaml", line, "D002") for line in (72, 74, 76, 77, 78, 80)
} | {
    ("deepspeed/deepspeedai__DeepSpeedExamples/compression/bert/config/ds_config_TEMPLATE.json", 3, "D001"),
    ("deepspeed/deepspeedai__DeepSpeedExamples/compression/bert/config/ds_config_structural_pruning_TEMPLATE.json", 3, "D001"),
    ("deepspeed/deepspeedai__DeepSpeedExamples/training/data_efficiency/gpt_finetuning/finetune/ds_config_gpt2-medium_1clmetric_TEMPLATE.json", 2, "D001"),
    ("deepspeed/deepspeedai__DeepSpeedExamples/training/data_efficiency/gpt_finetuning/finetune/ds_config_gpt2-medium_2clmetrics_TEMPLATE.json", 2, "D001"),
    ("deepspeed/deepspeedai__DeepSpeedExamples/training/data_efficiency/gpt_finetuning/finetune/ds_config_gpt2_TEMPLATE.json", 2, "D001"),
    ("deepspeed/deepspeedai__DeepSpeedExamples/training/tensor_parallel/hf_integration/configs/ds_config_temp.json", 24, "D001"),
    ("llm_finetune/Lightning-AI__litgpt/config_hub/finetune/gemma-2b/full.yaml", 42, "T001"),
    ("llm_finetune/Lightning-AI__litgpt/config_hub/finetune/gemma-2b/full.yaml", 30, "T010"),
    ("llm_finetune/Lightning-AI__litgpt/config_hub/finetune/phi-2/full.yaml", 41, "T001"),
    ("llm_finetune/Lightning-AI__litgpt/config_hub/finetune/phi-2/full.yaml", 29, "T010"),
    ("llm_finetune/axolotl-ai-cloud__axolotl/examples/ebft/llama-1b-ebft-opencode-novllm.yaml", 64, "T010"),
    ("llm_finetune/pytorch__torchtune/recipes/configs/dev/11B_lora_multi_dataset.yaml", 105, "T001"),
    ("llm_finetune/axolotl-ai-cloud__axolotl/examples/expert_parallel/qwen3_30ba3b_ep_fft_4gpu.yaml", 26, "T004"),
    ("llm_pretrain/mosaicml__llm-foundry/scripts/train/yamls/pretrain/hf-llama-3.1-8B.yaml", 51, "T001"),
    ("llm_pretrain/mosaicml__llm-foundry/scripts/train/yamls/pretrain/hf-llama-3.1-8B.yaml", 69, "T010"),
    ("llm_pretrain/mosaicml__llm-foundry/scripts/train/yamls/pretrain/mpt-small-cpu.yaml", 61, "T001"),
    ("llm_pretrain/mosaicml__llm-foundry/scripts/train/yamls/pretrain/testing.yaml", 61, "T002"),
    ("llm_pretrain/mosaicml__llm-foundry/scripts/train/yamls/pretrain/testing-moe.yaml", 71, "T002"),
    ("knowledge_distillation/yoshitomo-matsubara__torchdistill/configs/sample/ilsvrc2012/rkd/resnet18_from_resnet34.yaml", 126, "O001"),
    ("time_series/SalesforceAIResearch__uni2ts/project/vn1_competition/fine_tune/moirai_1.1_R_base.yaml", 28, "O003"),
} | {
    # Found only by composition: the model's plateau patience against the trainer's epochs.
    ("lightning_hydra/ashleve__lightning-hydra-template/configs/model/mnist.yaml", 14, "T009"),
    ("lightning_hydra/ashleve__lightning-hydra-template/configs/debug/default.yaml", 28, "T009"),
    ("lightning_hydra/ashleve__lightning-hydra-template/configs/debug/limit.yaml", 9, "T009"),
    ("lightning_hydra/ashleve__lightning-hydra-template/configs/debug/profiler.yaml", 9, "T009"),
}

# Files that are not training configs (see docs/corpus-review.md): method lists, evaluation and
# data-filtering configs, path fragments, and templates that are not JSON.
NOT_TRAINING = (
    "/methods.yaml",
    "dinov2/configs/eval/",
    "gcastle/example/dataset/",
    "chronos-forecasting/scripts/evaluation/",
    "open-r1/recipes/dataset_filtering/",
    "configs/paths/",
    "configs/extras/",
    "configs/callbacks/none.yaml",
    "_TEMPLATE.json",
    "ds_config_temp.json",
)


def test_every_training_config_is_read_by_a_dialect_or_generically(corpus):
    from collections import Counter

    result = Checker(CheckOptions(isolated=True)).check([corpus])
    training = [r for r in result.files if not any(marker in r.path for marker in NOT_TRAINING)]
    assert len(training) == 583
    # docs/corpus-review.md reports these figures.
    assert Counter(r.reading for r in training) == {"framework": 578, "generic": 4, "none": 1}
    (unread,) = [os.path.relpath(r.path, corpus) for r in training if r.reading == "none"]
    assert unread == "hf_recipes/huggingface__accelerate/examples/slurm/fsdp_config.yaml"  # launcher settings only


def test_corpus_errors_and_warnings_are_exactly_the_reviewed_ones(corpus):
    result = Checker(CheckOptions(isolated=True)).check([corpus])
    found = {
        (os.path.relpath(os.path.abspath(f.file), corpus).replace(os.sep, "/"), f.span.line, f.code)
        for f in result.findings
        if f.severity.name in ("ERROR", "WARNING")
    }
    assert found == REVIEWED, "review new corpus findings in docs/corpus-review.md"


def test_the_lightning_hydra_template_root_is_checked_as_composed(corpus):
    """train.yaml composes model/mnist.yaml and trainer/default.yaml (among 9 groups): the
    plateau patience written in one and the epochs written in the other meet only there."""
    template = os.path.join(corpus, "lightning_hydra", "ashleve__lightning-hydra-template", "configs")
    result = Checker(CheckOptions(isolated=True)).check([os.path.join(template, "train.yaml")])
    (finding,) = result.findings
    assert (os.path.relpath(finding.file, template), finding.span.line, finding.span.column, finding.code) == (os.path.join("model", "mnist.yaml"), 14, 13, "T009")
    (related,) = finding.related
    assert (os.path.relpath(related.file, template), related.key, related.span.line, related.span.column) == (os.path.join("trainer", "default.yaml"), "trainer.max_epochs", 6, 13)
    (root,) = [report for report in result.files if report.path.endswith("train.yaml")]
    assert root.dialect.startswith("hydra (from its defaults list")
    assert any(field.startswith("epochs = 10 from trainer.max_epochs in ") and field.endswith(os.path.join("trainer", "default.yaml") + " (exact key)") for field in root.fields)


def test_fixing_the_corpus_changes_only_what_a_fix_applies_to(corpus):
    """A pass with no applicable fix leaves every byte as it was."""
    from cfglint.fixer import UnfixableInput, fix_bytes
    from cfglint.source import read_bytes

    checker = Checker(CheckOptions(isolated=True))
    refused = untouched = 0
    for path in checker.config_files([corpus], []):
        data = read_bytes(path)
        try:
            outcome = fix_bytes(checker, data, path)
        except UnfixableInput:
            refused += 1
            continue
        if not outcome.applied:
            untouched += 1
            assert outcome.encoded() == data, path
    assert refused == 6  # the DeepSpeed templates, which are not JSON
    assert untouched >= 600


def test_unsafe_fix_write_on_a_copy_of_the_corpus_keeps_files_valid_and_converges(corpus, tmp_path):
    import shutil

    from click.testing import CliRunner

    from cfglint.cli import main
    from cfglint.source import load_document

    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    before = {}
    for folder, _, files in os.walk(copy):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)  # the shared corpus is read-only
            if name.endswith((".yaml", ".yml", ".json")):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    before[path] = load_document(path, handle.read())
    first = CliRunner().invoke(main, ["fix", "--isolated", "--write", "--unsafe-fixes", str(copy)], catch_exceptions=False)
    assert first.exit_code == 1, first.output  # some files changed (the avici duplicates, litgpt warmups, ...)
    for path, old in before.items():
        with open(path, "rb") as handle:
            new = load_document(path, handle.read())
        assert bool(new.problems and new.problems[0].kind == "syntax") == bool(old.problems and old.problems[0].kind == "syntax"), path
        if new.format == "yaml":
            assert [text for _, text in new.comments()] == [text for _, text in old.comments()], path
    snapshot = {path: open(path, "rb").read() for path in before}
    second = CliRunner().invoke(main, ["fix", "--isolated", "--write", "--unsafe-fixes", str(copy)], catch_exceptions=False)
    assert "Fixed 0 findings in 0 files" in second.output
    assert second.exit_code == 1  # only the 6 unparseable templates, refused again
    assert {path: open(path, "rb").read() for path in before} == snapshot
