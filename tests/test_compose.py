"""Hydra composition over small multi-file projects (tests/fixtures/hydra/<project>/configs):
composed values, the (file, line, column) every composed value keeps, overrides, and what
Hydra would refuse at start-up."""

import os

import pytest

from cfglint.compose import (
    OVERRIDES_PATH,
    OverrideError,
    compose,
    default_choices,
    has_defaults_list,
    overrides_document,
    parse_override,
    parse_overrides,
)
from cfglint.compose.overrides import override_value
from cfglint.compose.projects import GroupFile, Projects
from cfglint.document import Mapping, Scalar, Sequence, to_data
from cfglint.plan import resolve_reference
from cfglint.source import load_document, read_bytes

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "hydra")


def configs(project: str) -> str:
    return os.path.join(FIXTURES, project, "configs")


def run(project: str, root: str = "train.yaml", *overrides: str):
    """Compose a fixture root; also return the paths `load` was asked for."""
    asked = []

    def load(path):
        asked.append(path)
        return load_document(path, read_bytes(path)) if os.path.isfile(path) else None

    return compose(os.path.join(configs(project), root), parse_overrides(list(overrides)), load), asked


def node(composition, dotted: str):
    target = composition.document.root
    for part in dotted.split("."):
        if isinstance(target, Sequence):
            target = target.items[int(part)]
        else:
            entry = target.get(part)
            assert entry is not None, f"{dotted}: no {part}"
            target = entry.value
    return target


def where(composition, target) -> tuple[str, int, int]:
    """(file relative to the fixtures, line, column) a composed node is written at."""
    source = composition.document.source_of(target.span)
    path = source.path if source.path == OVERRIDES_PATH else os.path.relpath(source.path, FIXTURES)
    return path, target.span.line, target.span.column


def data(composition):
    return to_data(composition.document.root)


def problems(composition):
    return [(p.kind, os.path.relpath(p.document.path, FIXTURES) if p.document.path != OVERRIDES_PATH else OVERRIDES_PATH, p.span.line, p.span.column, p.key) for p in composition.problems]


# --- _self_ and merge ----------------------------------------------------------------------


def test_self_first_lets_the_group_file_win_and_keeps_keys_in_first_written_order():
    composition, _ = run("self_order", "self_first.yaml")
    assert data(composition) == {"trainer": {"max_epochs": 10, "precision": 16, "devices": 1}}
    assert list(data(composition)["trainer"]) == ["max_epochs", "precision", "devices"]
    assert where(composition, node(composition, "trainer.max_epochs")) == ("self_order/configs/trainer/default.yaml", 1, 13)
    assert where(composition, node(composition, "trainer.precision")) == ("self_order/configs/self_first.yaml", 7, 14)
    assert node(composition, "trainer.max_epochs").path == ("trainer", "max_epochs")
    assert composition.complete and composition.problems == []


def test_self_not_written_goes_last_so_the_root_wins():
    composition, _ = run("self_order", "self_last.yaml")
    assert data(composition) == {"trainer": {"max_epochs": 5, "devices": 1}}
    assert where(composition, node(composition, "trainer.max_epochs")) == ("self_order/configs/self_last.yaml", 5, 15)
    assert where(composition, node(composition, "trainer.devices")) == ("self_order/configs/trainer/default.yaml", 2, 10)
    # the root's own spans are its own: only other files' spans are registered
    assert id(node(composition, "trainer.max_epochs").span) not in composition.document.sources
    assert composition.document.path.endswith("self_last.yaml") and composition.document.text.startswith("defaults:")


def test_composed_nodes_share_the_written_spans_and_leave_the_files_untouched():
    composition, _ = run("self_order", "self_last.yaml")
    trainer_file = os.path.join(configs("self_order"), "trainer", "default.yaml")
    written = load_document(trainer_file, read_bytes(trainer_file))
    composed = node(composition, "trainer.devices")
    assert isinstance(composed, Scalar) and composed.value == 1 and composed.style == "plain"
    source = composition.document.source_of(composed.span)
    assert source.path == trainer_file
    original = source.mapping.get("devices").value
    assert composed is not original and composed.span is original.span and original.path == ("devices",)
    assert "defaults" not in data(composition)
    assert written.text == source.text


# --- groups, nested defaults, experiments ---------------------------------------------------


def test_nested_group_defaults_compose_at_the_nested_package():
    composition, asked = run("experiments")
    assert data(composition) == {
        "model": {"net": {"width": 64, "depth": 2}, "lr": 0.001, "scheduler": {"warmup_epochs": "${trainer.max_epochs}"}},
        "trainer": {"max_epochs": 10, "val_every": 1},
        "seed": 1,
    }
    assert where(composition, node(composition, "model.net.width")) == ("experiments/configs/model/net/simple.yaml", 1, 8)
    assert node(composition, "model.net.width").path == ("model", "net", "width")
    assert composition.choices == {"model": "mnist", "model/net": "simple", "trainer": "default", "local": "default", "experiment": None}
    base = configs("experiments")
    assert composition.files == [os.path.join(base, name) for name in ("train.yaml", "model/net/simple.yaml", "model/mnist.yaml", "trainer/default.yaml")]
    assert os.path.join(base, "local", "default.yaml") in asked  # optional and absent: quiet
    assert composition.problems == [] and composition.complete


def test_a_reference_across_files_resolves_to_the_trainer_files_node():
    composition, _ = run("experiments")
    warmup = node(composition, "model.scheduler.warmup_epochs")
    assert where(composition, warmup) == ("experiments/configs/model/mnist.yaml", 6, 18)
    target = resolve_reference(composition.document.root, warmup)
    assert target.value == 10
    assert where(composition, target) == ("experiments/configs/trainer/default.yaml", 1, 13)


def test_an_experiment_with_global_package_overrides_groups_and_values():
    composition, _ = run("experiments", "train.yaml", "experiment=long")
    assert data(composition) == {
        "model": {"lr": 0.0003},
        "trainer": {"max_epochs": 20, "val_every": 5},
        "seed": 1,
        "tags": ["long"],
    }
    assert composition.choices["trainer"] == "short" and composition.choices["model"] == "big"
    assert where(composition, node(composition, "trainer.max_epochs")) == ("experiments/configs/experiment/long.yaml", 7, 15)
    assert where(composition, node(composition, "trainer.val_every")) == ("experiments/configs/trainer/short.yaml", 2, 12)
    assert where(composition, node(composition, "tags.0")) == ("experiments/configs/experiment/long.yaml", 8, 8)
    assert node(composition, "tags.0").path == ("tags", 0)
    # the reference now points at the experiment's value
    assert composition.problems == [] and composition.complete


def test_an_experiment_without_header_is_placed_at_its_group():
    composition, _ = run("experiments", "train.yaml", "experiment=fast")
    assert data(composition)["experiment"] == {"max_epochs": 1}
    assert data(composition)["trainer"]["max_epochs"] == 10
    # the `experiment` key is not written in experiment/fast.yaml: it is where it was chosen
    assert where(composition, composition.document.root.get("experiment").key) == (OVERRIDES_PATH, 1, 12)


# --- packages ------------------------------------------------------------------------------


def test_group_at_package_headers_here_and_plain_config_names():
    composition, _ = run("packages", "app.yaml")
    assert data(composition) == {
        "source": {"host": "localhost", "port": 3306},
        "backup": {"file": "backup.db"},
        "server": {"db": {"pool": 4}},
        "infra": {"nodes": {"count": 2}},
        "model": {"width": 8, "name": "small"},
        "callbacks": {"monitor": "val/acc", "every": 1, "patience": 3},
        "db_schema": {"tables": "local"},
    }
    assert where(composition, node(composition, "source.host")) == ("packages/configs/db/mysql.yaml", 5, 7)
    assert where(composition, node(composition, "source.port")) == ("packages/configs/db/base.yaml", 2, 7)
    assert where(composition, node(composition, "infra.nodes.count")) == ("packages/configs/cluster/local.yaml", 2, 8)
    # `source` is written in no file: it is where the first file placed there (db/base.yaml) was chosen
    assert where(composition, composition.document.root.get("source").key) == ("packages/configs/db/mysql.yaml", 2, 5)
    assert node(composition, "model.width").path == ("model", "width")
    assert composition.choices == {
        "db@source": "mysql",
        "db@backup": "sqlite",
        "server/db": "mysql",
        "cluster": "local",
        "model": "small",
        "model/net@model": "tiny",
        "callbacks": ["ckpt", "early"],
        "db_schema": "local",
    }
    assert composition.problems == [] and composition.complete


def test_a_list_of_options_merges_each_in_order_at_the_group():
    composition, _ = run("packages", "app.yaml")
    assert where(composition, node(composition, "callbacks.monitor")) == ("packages/configs/callbacks/early.yaml", 1, 10)
    assert where(composition, node(composition, "callbacks.every")) == ("packages/configs/callbacks/ckpt.yaml", 2, 8)
    composition, _ = run("packages", "app.yaml", "callbacks=[early]")
    assert data(composition)["callbacks"] == {"monitor": "val/acc", "patience": 3}


def test_an_option_written_as_another_groups_choice_follows_that_choice():
    composition, _ = run("packages", "app.yaml", "cluster=remote")
    assert data(composition)["db_schema"] == {"tables": "remote"} and composition.choices["db_schema"] == "remote"
    assert where(composition, node(composition, "db_schema.tables")) == ("packages/configs/db_schema/remote.yaml", 1, 9)


def test_group_and_name_in_a_header_expand_as_in_hydra_1_1_to_1_3():
    composition, _ = run("packages", "app.yaml", "cluster=named")
    assert data(composition)["cluster"] == {"named": {"count": 4}}
    assert data(composition)["db_schema"] == {"tables": "named"}


def test_an_override_in_the_primary_config_changes_its_own_entry():
    composition, _ = run("experiments", "primary_override.yaml")
    assert composition.problems == []
    assert data(composition)["trainer"] == {"max_epochs": 2, "val_every": 5}
    assert composition.choices["trainer"] == "short"
    assert where(composition, node(composition, "trainer.max_epochs")) == ("experiments/configs/trainer/short.yaml", 1, 13)


def test_a_comment_before_the_package_line_ends_the_header():
    composition, _ = run("packages", "app.yaml", "cluster=remote")
    assert data(composition)["cluster"] == {"count": 3}
    assert "infra" not in data(composition)


# --- what Hydra refuses, and what cfglint cannot know ----------------------------------------


def test_missing_options_are_reported_at_the_defaults_entry_and_optional_ones_stay_quiet():
    composition, _ = run("missing")
    assert problems(composition) == [
        ("missing-option", "missing/configs/train.yaml", 2, 12, "model"),
        ("not-composed", "missing/configs/train.yaml", 3, 14, "trainer"),  # ???: the launch command chooses
    ]
    assert "the launch command must choose it (trainer=<OPTION>)" in composition.problems[1].message
    assert "no option 'mnsit' in the config group 'model'" in composition.problems[0].message
    assert "available: mnist" in composition.problems[0].message
    assert composition.problems[0].document.text == composition.document.text
    assert composition.choices["hydra/launcher"] == "joblib"  # Hydra's own group: recorded, never missing
    assert not composition.complete


def test_a_group_choice_on_the_command_line_removes_the_problems():
    composition, _ = run("missing", "train.yaml", "model=mnist", "trainer=default")
    assert composition.problems == [] and composition.complete
    assert data(composition) == {"model": {"lr": 0.1}, "trainer": {"max_epochs": 3}}
    assert composition.choices["model"] == "mnist"


def test_a_missing_option_chosen_on_the_command_line_points_at_the_override():
    composition, _ = run("missing", "train.yaml", "trainer=default", "model=resnet")
    assert problems(composition) == [("missing-option", OVERRIDES_PATH, 2, 7, "model")]


def test_malformed_defaults_entries_are_refused():
    composition, _ = run("bad_defaults")
    assert problems(composition) == [
        ("bad-defaults", "bad_defaults/configs/train.yaml", 2, 21, "model"),
        ("bad-defaults", "bad_defaults/configs/train.yaml", 3, 12, None),
        ("bad-defaults", "bad_defaults/configs/train.yaml", 4, 5, None),
        ("bad-defaults", "bad_defaults/configs/train.yaml", 5, 5, None),
        ("bad-defaults", "bad_defaults/configs/train.yaml", 6, 5, None),
        ("bad-defaults", "bad_defaults/configs/train.yaml", 8, 5, None),
    ]
    messages = [p.message for p in composition.problems]
    assert "no earlier entry for 'model'" in messages[0]
    assert "overrides must close the defaults list" in messages[1]
    assert "too many keys" in messages[2] and "unsupported type" in messages[3]
    assert "invalid keyword 'maybe'" in messages[4] and "duplicate _self_" in messages[5]
    assert data(composition) == {"model": {"lr": 0.1}, "seed": 2}
    assert not composition.complete


def test_searchpath_schemas_and_interpolated_choices_are_not_composed():
    composition, _ = run("unknown")
    assert problems(composition) == [
        ("not-composed", "unknown/configs/train.yaml", 2, 5, "base_schema"),
        ("not-composed", "unknown/configs/train.yaml", 3, 12, "model"),
        ("not-composed", "unknown/configs/train.yaml", 4, 11, "data"),
        ("not-composed", "unknown/configs/train.yaml", 9, 5, "hydra.searchpath"),
    ]
    assert not composition.complete
    assert data(composition) == {"hydra": {"searchpath": ["pkg://my_package.configs"]}}


def test_a_missing_root_is_a_problem_not_a_crash():
    composition = compose(os.path.join(configs("experiments"), "nope.yaml"), [], lambda path: None)
    assert [p.kind for p in composition.problems] == ["missing-option"] and not composition.complete


def test_parse_problems_of_group_files_are_kept_with_their_file(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "train.yaml").write_text("defaults:\n  - model: broken\n")
    (tmp_path / "model" / "broken.yaml").write_text("a: 1\na: 2\n")

    def load(path):
        return load_document(path, read_bytes(path)) if os.path.isfile(path) else None

    composition = compose(str(tmp_path / "train.yaml"), [], load)
    [problem] = composition.document.problems
    assert problem.kind == "duplicate-key"
    assert composition.document.source_of(problem.span).path == str(tmp_path / "model" / "broken.yaml")
    assert data(composition) == {"model": {"a": 2}}


# --- overrides: syntax --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, key, package, value_text",
    [
        ("model=big", "change", "model", None, "big"),
        ("db@backup=sqlite", "change", "db", "backup", "sqlite"),
        ("hydra/launcher=joblib", "change", "hydra/launcher", None, "joblib"),
        ("+extra=dropout", "add", "extra", None, "dropout"),
        ("~model", "delete", "model", None, None),
        ("~seed=1", "delete", "seed", None, "1"),
        ("trainer.max_epochs= 3", "change", "trainer.max_epochs", None, "3"),
        ("++seed=7", "force-add", "seed", None, "7"),
        ("a.0.b=x", "change", "a.0.b", None, "x"),
        ("key=", "change", "key", None, ""),
    ],
)
def test_override_syntax(text, kind, key, package, value_text):
    override = parse_override(text, 4)
    assert (override.text, override.index, override.kind, override.key, override.package, override.value_text) == (text, 4, kind, key, package, value_text)


@pytest.mark.parametrize(
    "value, expected, style",
    [
        ("1_000", 1000, "plain"),
        ("-20", -20, "plain"),
        ("1e-3", 0.001, "plain"),
        ("3.", 3.0, "plain"),
        ("TrUe", True, "plain"),
        ("false", False, "plain"),
        ("NULL", None, "plain"),
        ("'a b'", "a b", "single"),
        ('"1,2"', "1,2", "double"),
        ("'it\\'s'", "it's", "single"),
        ("abc 1", "abc 1", "plain"),
        ("a\\,b", "a,b", "plain"),
        ("1abc", "1abc", "plain"),
        ("${trainer.max_epochs}", "${trainer.max_epochs}", "plain"),
        ("/data/x.csv", "/data/x.csv", "plain"),
        ("[1, a, [true]]", [1, "a", [True]], None),
        ("{a: 1, b: [x, 2.5]}", {"a": 1, "b": ["x", 2.5]}, None),
        ("[]", [], None),
    ],
)
def test_override_values_read_as_hydras_grammar_reads_them(value, expected, style):
    override = parse_override(f"k={value}", 0)
    node = override_value(override, overrides_document([override]))
    assert to_data(node) == expected
    if style is not None:
        assert node.style == style
    assert (node.span.line, node.span.column, node.span.offset, node.span.end_offset) == (1, 3, 2, 2 + len(value))


@pytest.mark.parametrize(
    "text, says",
    [
        ("lr=0.1,0.01", "sweep"),
        ("lr=range(1,3)", "sweep"),
        ("model=choice(a,b)", "sweep"),
        ("model=glob(*)", "sweep"),
        ("lr=interval(0,1)", "sweep"),
        ("lr=int(3)", "function"),
        ("=3", "the key is missing"),
        ("a b=3", "expected key=value"),
        ("seed", "expected key=value"),
        ("a=[1,2", "expected bracket close"),
        ("a={b 1}", "expected colon"),
        ("a=x=y", "unexpected '='"),
        ("a={b: 1, b: 2}", "written twice"),
    ],
)
def test_sweeps_and_malformed_overrides_are_refused(text, says):
    with pytest.raises(OverrideError) as error:
        parse_override(text, 0)
    assert text in str(error.value) and says in str(error.value)


def test_the_overrides_document_has_one_override_a_line():
    overrides = parse_overrides(["model=big", "trainer.max_epochs=3"])
    document = overrides_document(overrides)
    assert document.path == OVERRIDES_PATH == "--override"
    assert document.text == "model=big\ntrainer.max_epochs=3\n"
    value = override_value(overrides[1], document)
    assert (value.value, value.span.line, value.span.column) == (3, 2, 20)
    assert document.text[value.span.offset : value.span.end_offset] == "3"


# --- overrides: applied --------------------------------------------------------------------


def test_key_overrides_change_add_force_add_and_delete_with_positions_in_the_command():
    composition, _ = run(
        "experiments",
        "train.yaml",
        "trainer.max_epochs=3",
        "+trainer.gpus=2",
        "++seed=7",
        "~trainer.val_every",
        "+run.name='first try'",
        "model.net={width: 128}",
        "+tags=[a, b]",
    )
    assert composition.problems == []
    assert data(composition) == {
        "model": {"net": {"width": 128, "depth": 2}, "lr": 0.001, "scheduler": {"warmup_epochs": "${trainer.max_epochs}"}},
        "trainer": {"max_epochs": 3, "gpus": 2},
        "seed": 7,
        "run": {"name": "first try"},
        "tags": ["a", "b"],
    }
    assert where(composition, node(composition, "trainer.max_epochs")) == (OVERRIDES_PATH, 1, 20)
    assert where(composition, node(composition, "trainer.gpus")) == (OVERRIDES_PATH, 2, 15)
    assert where(composition, composition.document.root.get("trainer").value.get("gpus").key) == (OVERRIDES_PATH, 2, 10)
    assert where(composition, node(composition, "seed")) == (OVERRIDES_PATH, 3, 8)
    assert where(composition, composition.document.root.get("seed").key) == ("experiments/configs/train.yaml", 8, 1)
    assert where(composition, node(composition, "run.name")) == (OVERRIDES_PATH, 5, 11)
    assert node(composition, "run.name").style == "single"
    assert where(composition, node(composition, "model.net.width")) == (OVERRIDES_PATH, 6, 19)
    assert where(composition, node(composition, "model.net.depth")) == ("experiments/configs/model/net/simple.yaml", 2, 8)
    assert where(composition, node(composition, "tags.1")) == (OVERRIDES_PATH, 7, 11)
    assert node(composition, "tags.1").path == ("tags", 1)
    # the scheduler's reference now reaches the override
    target = resolve_reference(composition.document.root, node(composition, "model.scheduler.warmup_epochs"))
    assert where(composition, target) == (OVERRIDES_PATH, 1, 20)


def test_group_overrides_append_delete_and_choose_with_packages():
    composition, _ = run("experiments", "train.yaml", "+extra=dropout", "~model", "trainer=short")
    assert composition.problems == []
    assert data(composition) == {"trainer": {"max_epochs": 2, "val_every": 5}, "seed": 1, "extra": {"rate": 0.1}}
    assert where(composition, node(composition, "extra.rate")) == ("experiments/configs/extra/dropout.yaml", 1, 7)
    assert where(composition, composition.document.root.get("extra").key) == (OVERRIDES_PATH, 1, 8)
    assert composition.choices["extra"] == "dropout" and composition.choices["trainer"] == "short"
    assert "model" not in composition.choices

    composition, _ = run("packages", "app.yaml", "db@backup=mysql", "~db@source")
    assert composition.problems == []
    assert data(composition)["backup"] == {"host": "localhost", "port": 3306} and "source" not in data(composition)


def test_bad_overrides_are_problems_at_the_override():
    composition, _ = run(
        "experiments",
        "train.yaml",
        "trainer.steps=3",
        "+seed=3",
        "~trainer.nope",
        "~seed=2",
        "hparams=small",
        "nothing@pkg=1",
        "++model=big",
        "~extra",
        "hydra.run.dir=/tmp/x",
        "override/x=1",
    )
    assert problems(composition) == [
        ("bad-override", OVERRIDES_PATH, 1, 1, "trainer.steps"),
        ("bad-override", OVERRIDES_PATH, 2, 1, "seed"),
        ("bad-override", OVERRIDES_PATH, 3, 1, "trainer.nope"),
        ("bad-override", OVERRIDES_PATH, 4, 1, "seed"),
        ("bad-override", OVERRIDES_PATH, 5, 1, "hparams"),
        ("bad-override", OVERRIDES_PATH, 6, 1, "nothing"),
        ("bad-override", OVERRIDES_PATH, 7, 1, "model"),
        ("bad-override", OVERRIDES_PATH, 8, 1, "extra"),
        ("not-composed", OVERRIDES_PATH, 10, 1, "override/x"),
    ]
    messages = [p.message for p in composition.problems]
    assert "to add it use +trainer.steps=3" in messages[0]
    assert "an item is already at 'seed'" in messages[1]
    assert "'trainer.nope' does not exist" in messages[2]
    assert "is 1 and not 2" in messages[3]
    assert "could not override 'hparams'" in messages[4]  # no hparams/ folder: a key, and not in the config
    assert "no config group 'nothing'" in messages[5]
    assert "force-add (++) of a config group" in messages[6]
    assert "could not delete 'extra'" in messages[7]
    assert "no config group folder 'override/x'" in messages[8]
    assert data(composition)["seed"] == 1 and data(composition)["trainer"] == {"max_epochs": 10, "val_every": 1}
    assert "hparams" not in data(composition) and "hydra" not in data(composition)
    # `local` is an optional group with no folder here: Hydra reads local=dev as a key, which is not there
    assert problems(run("experiments", "train.yaml", "experiment=fast", "local=dev")[0]) == [("bad-override", OVERRIDES_PATH, 2, 1, "local")]


def test_an_unused_group_choice_on_the_command_line_is_a_bad_override(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "a.yaml").write_text("x: 1\n")
    (tmp_path / "train.yaml").write_text("seed: 1\n")

    def load(path):
        return load_document(path, read_bytes(path)) if os.path.isfile(path) else None

    composition = compose(str(tmp_path / "train.yaml"), parse_overrides(["model=a"]), load)
    assert [(p.kind, p.span.line, p.span.column) for p in composition.problems] == [("bad-override", 1, 7)]
    assert "to add it use +model=a" in composition.problems[0].message
    composition = compose(str(tmp_path / "train.yaml"), parse_overrides(["+model=a"]), load)
    assert composition.problems == [] and to_data(composition.document.root) == {"seed": 1, "model": {"x": 1}}


# --- helpers for folder walks --------------------------------------------------------------


def test_folder_walk_helpers():
    base = configs("experiments")
    root = load_document(os.path.join(base, "train.yaml"), read_bytes(os.path.join(base, "train.yaml")))
    model = load_document(os.path.join(base, "model", "mnist.yaml"), read_bytes(os.path.join(base, "model", "mnist.yaml")))
    big = load_document(os.path.join(base, "model", "big.yaml"), read_bytes(os.path.join(base, "model", "big.yaml")))
    assert has_defaults_list(root) and has_defaults_list(model) and not has_defaults_list(big)
    assert default_choices(root) == {"model": "mnist", "trainer": "default", "local": "default", "experiment": None}
    projects = Projects()
    assert projects.place(os.path.join(base, "model", "net", "simple.yaml"), False) == (None, GroupFile(base, "model/net/simple"))
    assert projects.place(os.path.join(base, "model", "mnist.yaml"), True) == (None, GroupFile(base, "model/mnist"))
    assert projects.place(os.path.join(base, "train.yaml"), True) == (os.path.abspath(base), None)
    assert projects.place(os.path.join(FIXTURES, "packages", "configs", "app.yaml"), False) == (None, None)


def test_every_span_of_another_file_is_registered_in_sources():
    composition, _ = run("experiments", "train.yaml", "experiment=long", "+x={a: [1]}")
    document = composition.document
    stack = [document.root]
    seen = 0
    while stack:
        current = stack.pop()
        children = []
        if isinstance(current, Mapping):
            for entry in current.entries:
                children.extend((entry.key, entry.value))
        elif isinstance(current, Sequence):
            children.extend(current.items)
        for child in children:
            source = document.source_of(child.span)
            assert source.text[child.span.offset : child.span.end_offset] != "" or source.path == OVERRIDES_PATH
            seen += 1
        stack.extend(children)
    assert seen == 20
    assert {document.source_of(node(composition, dotted).span).path for dotted in ("x.a.0", "trainer.val_every", "seed")} == {
        OVERRIDES_PATH,
        os.path.join(configs("experiments"), "trainer", "short.yaml"),
        document.path,
    }


def compose_files(tmp_path, files: dict, *overrides: str):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    cache = {}  # the caller caches documents (compose's contract)

    def load(path):
        if path not in cache:
            cache[path] = load_document(path, read_bytes(path)) if os.path.isfile(path) else None
        return cache[path]

    return compose(str(tmp_path / "train.yaml"), parse_overrides(list(overrides)), load)


def test_merge_rules_null_lists_scalars_and_mandatory_values(tmp_path):
    composition = compose_files(
        tmp_path,
        {
            "train.yaml": "defaults:\n  - base: a\n  - _self_\n\nblock: null\nlist: [3]\nscalar: {x: 1}\nmandatory: ???\nnested:\n  keep: 1\n",
            "base/a.yaml": "# @package _global_\nblock: {a: 1}\nlist: [1, 2]\nscalar: 5\nmandatory: 7\nnested:\n  deep: {b: 2}\n",
        },
    )
    assert data(composition) == {"block": None, "list": [3], "scalar": {"x": 1}, "mandatory": 7, "nested": {"deep": {"b": 2}, "keep": 1}}
    root = "train.yaml"
    assert where(composition, node(composition, "block"))[1:] == (5, 8)
    assert composition.document.source_of(node(composition, "list.0").span).path.endswith(root)
    assert where(composition, node(composition, "mandatory"))[1:] == (5, 12)  # `???` never replaces: base/a.yaml's 7
    assert composition.document.source_of(node(composition, "mandatory").span).path.endswith("a.yaml")
    assert node(composition, "scalar.x").path == ("scalar", "x")


def test_a_file_used_at_two_packages_reports_its_problems_once(tmp_path):
    composition = compose_files(tmp_path, {"train.yaml": "defaults:\n  - db@a: x\n  - db@b: x\n", "db/x.yaml": "k: 1\nk: 2\n"})
    assert data(composition) == {"a": {"k": 2}, "b": {"k": 2}}
    assert [problem.kind for problem in composition.document.problems] == ["duplicate-key"]


def test_the_lightning_hydra_template_composes_completely(corpus):
    base = os.path.join(corpus, "lightning_hydra", "ashleve__lightning-hydra-template", "configs")

    def load(path):
        return load_document(path, read_bytes(path)) if os.path.isfile(path) else None

    composition = compose(os.path.join(base, "train.yaml"), parse_overrides(["experiment=example"]), load)
    assert composition.problems == [] and composition.complete
    assert composition.choices["hydra/job_logging"] == "colorlog" and composition.choices["experiment"] == "example"
    trainer = node(composition, "trainer.max_epochs")
    assert trainer.value == 10 and composition.document.source_of(trainer.span).path == os.path.join(base, "experiment", "example.yaml")
    assert "defaults" not in data(composition) and "defaults" not in data(composition)["callbacks"]


def test_what_hydra_1_3_accepts_composes_a_sub_folder_option_a_legacy_optional_and_a_parent_path():
    composition, _ = run("legacy")
    # `model: resnet/r18` is model/resnet/r18.yaml at the group's package (Hydra 1.3.5)
    # `run: ../common` is configs/common.yaml (the path walks up), at the group's package
    assert data(composition) == {"model": {"depth": 18}, "run": {"seed": 3}}
    assert composition.choices == {"model": "resnet/r18", "data": "imagenet", "run": "../common"}
    assert where(composition, node(composition, "run.seed")) == ("legacy/configs/common.yaml", 1, 7)
    assert os.path.join(configs("legacy"), "common.yaml") in composition.files
    assert composition.problems == [] and composition.complete  # data/imagenet is absent, and optional
    composition, _ = run("legacy", "train.yaml", "data=cifar")
    assert data(composition)["data"] == {"size": 224}  # `# @package _group_` is the group's own package


def test_an_appended_experiments_overrides_change_the_roots_entries():
    # Hydra's configuring-experiments pattern: the root's list does not name `experiment`
    composition, _ = run("appended", "config.yaml", "+experiment=small")
    assert composition.problems == [] and composition.complete
    assert data(composition) == {"db": {"driver": "sqlite"}, "server": {"port": 8080}}
    assert composition.choices == {"experiment": "small", "server": "apache", "db": "sqlite"}
    assert where(composition, node(composition, "server.port")) == ("appended/configs/experiment/small.yaml", 6, 9)
    # without the header its override is at its own package (server@experiment.server): refused
    composition, _ = run("appended", "config.yaml", "+experiment=quiet")
    assert [(p.kind, p.key) for p in composition.problems] == [("bad-defaults", "server@experiment.server")]


def test_an_option_composed_alone_is_unknown_where_a_primary_would_be_refused():
    composition, _ = run("appended", "experiment/small.yaml")
    assert [(p.kind, p.key) for p in composition.problems] == [("not-composed", "db")] and not composition.complete
    assert "`# @package _global_` header" in composition.problems[0].message
    # and so are the overrides of the files it includes
    composition, _ = run("appended", "experiment/stacked.yaml")
    assert [(p.kind, p.key, os.path.basename(p.document.path)) for p in composition.problems] == [("not-composed", "db", "small.yaml")]
    composition, _ = run("appended", "config.yaml", "+experiment=stacked")
    assert composition.problems == [] and data(composition) == {"db": {"driver": "sqlite"}, "server": {"port": 8080}, "seed": 2}
    # its entries name files from the folder it is chosen in: a missing one is unknown alone
    composition, _ = run("appended", "experiment/tuned.yaml")
    assert [(p.kind, p.key) for p in composition.problems] == [("not-composed", "ablation")]
    composition, _ = run("appended", "config.yaml", "+experiment=tuned")
    assert [(p.kind, p.key) for p in composition.problems] == [("missing-option", "experiment/ablation@ablation")]
    # one that says nothing of the kind is refused, as Hydra refuses it (and refuses it appended)
    composition, _ = run("appended", "experiment/quiet.yaml")
    assert [(p.kind, p.key) for p in composition.problems] == [("bad-defaults", "server")]


def test_options_of_nested_groups_override_groups_chosen_deeper_down():
    # audiocraft's layout: `solver=audio/big` (an option in a sub-folder), `__global__` headers,
    # `audio/default` relative to group solver, `lm/default` relative to group model, and an
    # override of model/lm/scale, a group that only model/lm/default.yaml chooses
    composition, _ = run("solvers", "config.yaml", "solver=audio/big")
    assert composition.problems == [] and composition.complete
    assert data(composition) == {
        "seed": 1,
        "dset_name": "audio",
        "solver_name": "audio",
        "lr": 0.01,
        "cond_name": "text",
        "lm": {"dim": 64},
    }
    assert composition.choices == {"solver": "audio/big", "model": "lm/big_lm", "model/lm/scale": "large", "cond": "text", "dset": "audio/default"}
    assert where(composition, node(composition, "lm.dim")) == ("solvers/configs/model/lm/scale/large.yaml", 3, 8)


def test_name_in_an_entrys_package_is_the_option_as_below_version_base_1_2():
    composition, _ = run("packages", "named_entry.yaml")
    assert data(composition) == {"sqlite": {"file": "backup.db"}}
    composition, _ = run("packages", "named_entry.yaml", "db@sqlite=base")  # the override key names the written option
    assert composition.problems == [] and data(composition) == {"base": {"host": "unset", "port": 3306}}


def test_hydra_1_0_interpolation_of_an_entry_and_one_in_an_options_list():
    # `${defaults.0.cluster}` is entry 0's option, as Hydra 1.3.5 reads it below version_base 1.2
    composition, _ = run("packages", "legacy_interpolation.yaml")
    assert composition.problems == [] and composition.choices["db_schema"] == "remote"
    assert data(composition)["db_schema"] == {"tables": "remote"}
    composition, _ = run("packages", "legacy_interpolation.yaml", "cluster=local")  # the entry as overridden
    assert composition.choices["db_schema"] == "local"
    # an interpolation in a list of options is refused (defaults_list.py), before any is loaded
    composition, _ = run("packages", "list_interpolation.yaml")
    assert problems(composition) == [("bad-defaults", "packages/configs/list_interpolation.yaml", 3, 16, "callbacks")]
    assert "callbacks" not in data(composition)
