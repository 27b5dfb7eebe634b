"""Dialect detection and plan mapping for the framework dialects, on real and inline configs."""

import os

import pytest

from cfglint.api import CheckOptions, Checker
from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def plan_of(text, name="c.yaml"):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    return detection.dialect.name, build_plan(doc, detection.dialect)


def test_axolotl_plan_and_warmup_against_max_steps():
    text = "base_model: x\nmicro_batch_size: 2\nsequence_len: 4096\nlearning_rate: 2e-5\nmax_steps: 100\nwarmup_steps: 100\n"
    dialect, plan = plan_of(text)
    assert dialect == "axolotl"
    assert (plan.get("learning_rate").value, plan.get("seq_len").value, plan.get("batch_size").key) == (2e-5, 4096, "micro_batch_size")
    assert positions(lint(text)) == [("T001", 6, 15)]


def test_torchtune_plan_reads_component_blocks():
    text = "model:\n  _component_: m\noptimizer:\n  _component_: torch.optim.AdamW\n  lr: 0\nlr_scheduler:\n  _component_: s\n  num_warmup_steps: 100\nepochs: 1\n"
    dialect, plan = plan_of(text)
    assert dialect == "torchtune"
    assert (plan.get("optimizer").value, plan.get("warmup_steps").value) == ("torch.optim.AdamW", 100)
    assert positions(lint(text)) == [("S003", 5, 7)]


def test_huggingface_max_steps_minus_one_means_unset():
    _, plan = plan_of("per_device_train_batch_size: 4\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nmax_steps: -1\nwarmup_steps: 10\n")
    assert plan.get("max_steps") is None and plan.get("epochs").value == 3


@pytest.mark.parametrize(
    "relative, dialect",
    [
        ("llm_finetune/pytorch__torchtune/recipes/configs/llama3_2/1B_full.yaml", "torchtune"),
        ("hf_recipes/huggingface__alignment-handbook/recipes/constitutional-ai/dpo/config_anthropic.yaml", "huggingface"),
        ("deepspeed/deepspeedai__DeepSpeedExamples/compression/bert/config/XTC/ds_config_layer_reduction_fp16.json", "deepspeed"),
    ],
)
def test_real_configs_are_detected(corpus, relative, dialect):
    path = os.path.join(corpus, relative)
    (report,) = Checker(CheckOptions(isolated=True)).check([path]).files
    assert report.dialect.startswith(f"{dialect} (from keys:")


def test_axolotl_corpus_configs_are_mostly_detected(corpus):
    folder = os.path.join(corpus, "llm_finetune/axolotl-ai-cloud__axolotl/examples")
    result = Checker(CheckOptions(isolated=True)).check([folder])
    detected = [r for r in result.files if r.dialect and r.dialect.startswith("axolotl")]
    assert len(detected) >= 0.9 * len(result.files), [r.path for r in result.files if r not in detected][:5]
