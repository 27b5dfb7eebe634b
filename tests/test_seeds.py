"""The incidents in the seed reports, reproduced from the configs in examples/.

Each config is written as its report describes it; cfglint must give the findings that run
needed, at the lines where the mistakes are.
"""

import os

import pytest

from cfglint.api import CheckOptions, Checker

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

EXPECTED = {
    # Seed 000: the production run (warmup 8 of 50 epochs, accumulation 3) validates on 50 samples.
    "production.yaml": [("M005", "info", 16, 11)],
    # Seed 000: the one-epoch diagnostic copy kept the production warmup ("Epoch 1/1 [WARMUP 1/8]").
    "diagnostic.yaml": [("S002", "error", 18, 16), ("T001", "error", 19, 16)],
    # Seed 002: "Epochs 1-9 with warmup_epochs=5": half the run below the peak rate.
    "retrain.yaml": [("T002", "warning", 18, 16)],
    # Seed 003: accumulation 16, 24,941 micro-batches per epoch, scheduler sized at 74,823;
    # alpha weights 0.7 / 0.1 / 0.1 meant as shares.
    "emergency_fix_config.json": [("T006", "error", 10, 57), ("L001", "warning", 16, 15)],
    # Seed 004, before the fixes: clip 10 with Adam at 1e-3 (gradient norms of 46,767), coupled decay.
    "structure_learning_before.yaml": [("O001", "warning", 9, 17), ("O004", "warning", 10, 12)],
    # Seed 004, after: lambda weights six orders apart, which only the probe can judge.
    "structure_learning.yaml": [("O001", "warning", 8, 17), ("L004", "info", 17, 17)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_incident_is_reported_at_its_lines(name):
    (report,) = Checker(CheckOptions(isolated=True)).check([os.path.join(EXAMPLES, name)]).files
    assert [(f.code, str(f.severity), f.span.line, f.span.column) for f in report.findings] == EXPECTED[name]


def test_every_example_config_is_covered():
    configs = [name for name in os.listdir(EXAMPLES) if os.path.isfile(os.path.join(EXAMPLES, name))]
    assert sorted(configs) == sorted(EXPECTED)


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "seeds")


@pytest.mark.parametrize("name", ["diagnostic.yaml", "emergency_fix_config.json", "structure_learning_before.yaml"])
def test_seed_config_is_patched_into_its_fixed_version(name):
    """What the reports arrived at, as far as a config shows it: the scheduler sized in optimizer
    steps (seed 003), clipping at 1.0 (seed 004), the diagnostic run with a numeric learning rate
    (seed 000: its 8-epoch warmup in a 1-epoch run gets no fix, as a warmup of 0 would switch
    warmup off); comments and layout intact."""
    import cfglint

    base, extension = name.rsplit(".", 1)
    with open(os.path.join(FIXTURES, f"{base}.fixed.{extension}"), encoding="utf-8") as handle:
        expected = handle.read()
    outcome = cfglint.fix(os.path.join(EXAMPLES, name), unsafe=True)
    assert outcome.fixed_text == expected
    assert cfglint.fix(text=outcome.fixed_text, filename=name, unsafe=True).changed is False
