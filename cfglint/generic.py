"""The generic reading: a training plan from any config, through the vocabulary's spellings.

It lies beneath every framework dialect (see "The reading in two layers" in the design notes):
a config no dialect claims is read by it alone, and a detected dialect's exact keys win while it
fills only the fields they leave unknown. Every setting it makes is marked `exact=False`, and a
rule's error on such a guess is reported as a warning, its fix as unsafe (cfglint.engine).

What it will not guess: a field written under several keys with different values is unknown
(listed in `plan.ambiguous`); a value that is a placeholder (`auto`, `???`, `${oc.env:...}`)
makes its field unknown; a string is a mistyped number only when it reads as one; values under
generation, sampling, inference and similar blocks feed nothing.
"""

from __future__ import annotations

import re
from typing import Any

from cfglint import vocabulary as vocab
from cfglint.document import Document, Mapping, Node, Scalar, Sequence, format_path
from cfglint.plan import FIELDS, INTEGER, NUMBER, NUMBER_LIST, Setting, TrainingPlan, TypeProblem, coerce, is_placeholder, resolve_reference
from cfglint.record import Record
from cfglint.schema_check import numeric_text

GENERIC = "generic"

# HyperPyYAML (SpeechBrain): `!ref <lr>` names a top-level key; `!new:`/`!name:` name a block's class.
_HYPERPYYAML_REFERENCE = r"^<([\w\-]+)>$"
_HYPERPYYAML_CLASS_TAGS = ("!new:", "!name:")

_TERMS_BY_KEY: dict[str, list[vocab.Term]] = {}
for _term in vocab.TERMS:
    for _key in _term.keys:
        _TERMS_BY_KEY.setdefault(_key, []).append(_term)


class Candidate(Record):
    """One key that may hold a plan field, before the reading decides between candidates."""

    __slots__ = ("term", "setting", "ok", "scope", "placeholder", "ancestors", "parent")

    def __init__(self, term: vocab.Term, setting: Setting, ok: bool, scope: tuple, placeholder: bool, ancestors: tuple, parent: Mapping | None) -> None:
        self.term = term
        self.setting = setting
        self.ok = ok  # the value has the field's kind; otherwise a number written as text
        self.scope = scope  # the path of the nearest block with a role: a width pairs with its heads there
        self.placeholder = placeholder
        # (parent path, key) of each block without a role around the key: see _side_by_side.
        self.ancestors = ancestors
        self.parent = parent  # the mapping the key is written in


class _Walk:
    """One pass over the document collecting candidates, loss weights and the evidence that
    conditional terms need."""

    def __init__(self, root: Mapping) -> None:
        self.root = root
        self.candidates: list[Candidate] = []
        self.weights: list[tuple[str, Setting, str, tuple]] = []  # (name, setting, key form, ancestors)
        self.mistyped_weights: list[tuple[Setting, tuple]] = []  # weights written as text ("0.5")
        self.distills = False
        self.plateau = False
        # HyperPyYAML: top-level name -> the keys that use it through `!ref <name>`.
        self.references: dict[str, set[str]] = {}

    def mapping(self, node: Mapping, role: str, scope: tuple, depth: int, ancestors: tuple = ()) -> None:
        # The hottest loop of the reading (every entry of every config): names bound locally.
        facts, weights_block = _KEY_FACTS, role == vocab.WEIGHTS
        for entry in node.entries:
            key = entry.key.value if entry.key.__class__ is Scalar else None
            if key.__class__ is not str:
                continue
            found = facts.get(key) or _key_facts(key)
            lowered = found[0]
            if found[1]:
                self.distills = True
            if found[2]:
                self.plateau = True
            value = entry.value
            if value.__class__ is Scalar and value.value.__class__ is str:  # resolve()'s own test, inlined
                value = self.resolve(lowered, value)
            kind = value.__class__
            if kind is Mapping:
                self.block(key, value, role, scope, depth, ancestors)
            elif kind is Sequence and (role in (vocab.LOSS, vocab.WEIGHTS) or vocab.block_role(key) in (vocab.LOSS, vocab.WEIGHTS)):
                self.weight_list(value, ancestors)
            elif found[3] or weights_block:
                self.scalar(lowered, entry.key, entry.value, value, role, scope, node, ancestors)

    def class_tag(self, key: str, value: Mapping, own: str | None, ancestors: tuple) -> str | None:
        """`opt_class: !name:torch.optim.Adam`: the tag names the block's class, so its role and,
        for an optimizer or a scheduler, its name."""
        target = value.tag.split(":", 1)[1]
        own = own or vocab.class_role(target)
        named = {vocab.OPTIMIZER: "optimizer", vocab.SCHEDULER: "scheduler"}.get(own or "")
        if named is not None:
            term = next(t for t in vocab.TERMS if t.field == named and t.direct)
            setting = Setting(target, format_path(value.path), value, None, exact=False)
            self.candidates.append(Candidate(term, setting, True, value.path, False, ancestors, None))
        return own

    def resolve(self, lowered: str, node: Node) -> Node:
        """The value a reference names: OmegaConf's `${a.b}` or HyperPyYAML's `!ref <name>`, used by `lowered`."""
        if node.__class__ is not Scalar or node.value.__class__ is not str:
            return node
        if "${" in node.value:
            return resolve_reference(self.root, node)
        return self.reference(lowered, node) if node.tag == "!ref" else node

    def reference(self, lowered: str, node: Scalar) -> Node:
        """HyperPyYAML's `!ref <name>`: the top-level value it names (anything else stays opaque)."""
        match = re.match(_HYPERPYYAML_REFERENCE, node.value.strip())
        entry = self.root.get(match.group(1)) if match else None
        if entry is None:
            return node
        self.references.setdefault(match.group(1), set()).add(lowered)
        return entry.value

    def block(self, key: str, value: Mapping, role: str, scope: tuple, depth: int, ancestors: tuple) -> None:
        own = vocab.block_role(key)
        if depth > 64 or own == vocab.NOT_TRAINING:
            return  # generation, sampling, inference, ...: nothing inside feeds training
        if value.tag and value.tag.startswith(_HYPERPYYAML_CLASS_TAGS) and role != vocab.EVAL:
            own = self.class_tag(key, value, own, ancestors)
        if own is None:
            for class_key in vocab.CLASS_KEYS:
                entry = value.get(class_key)
                if entry is not None and isinstance(entry.value, Scalar) and isinstance(entry.value.value, str):
                    own = vocab.class_role(entry.value.value)
                    break
        if role == vocab.EVAL:
            own = None  # inside evaluation everything stays evaluation
        if own is None:
            if role in (vocab.LOSS, vocab.WEIGHTS, vocab.DISTILLATION):
                self.block_weight(key, value, ancestors)  # a loss term's own block, not another config
            else:
                ancestors += ((value.path[:-1], key),)
            self.mapping(value, role, scope, depth + 1, ancestors)
        else:
            self.mapping(value, own, value.path, depth + 1, ancestors)

    def scalar(self, lowered: str, key_node: Node, written: Node, value: Node, role: str, scope: tuple, parent: Mapping, ancestors: tuple) -> None:
        for term in _TERMS_BY_KEY.get(lowered, ()):
            if role not in term.roles or (term.direct and parent.path != scope):
                continue
            candidate = _candidate(term, key_node, written, value, scope, ancestors, parent)
            if candidate is not None:
                self.candidates.append(candidate)
            break
        if role in vocab.WEIGHT_ROLES and (role == vocab.WEIGHTS or "_" in lowered):
            name = _weight_name(lowered, role)
            if name is not None:
                self.weight(name, key_node, written, value, lowered, ancestors)

    def weight(self, name: str, key_node: Node, written: Node, value: Node, form: str, ancestors: tuple) -> None:
        if is_placeholder(value) or (isinstance(value, Scalar) and value.value is None):
            return
        number, ok = coerce(value, NUMBER)
        if ok:
            self.weights.append((name, Setting(number, format_path(written.path), written, key_node, exact=False), form, ancestors))
        elif isinstance(value, Scalar) and numeric_text(value.value):
            self.mistyped_weights.append((Setting(value.value, format_path(written.path), written, key_node, exact=False), ancestors))

    def block_weight(self, key: str, value: Mapping, ancestors: tuple) -> None:
        """`losses: {kd: {weight: 0.5}}`: the block's weight key is the weight of the term it names."""
        for name in vocab.BLOCK_WEIGHT_KEYS:
            entry = value.get(name)
            if entry is not None and isinstance(entry.value, Scalar):
                self.weight(key, entry.key, entry.value, self.resolve(name, entry.value), name, ancestors)
                return

    def weight_list(self, items: Sequence, ancestors: tuple) -> None:
        """`losses: [{name: ce, weight: 1.0}, ...]`: each item names its term and gives its weight."""
        for item in items.items:
            if not isinstance(item, Mapping):
                continue
            label = next((item.get(k) for k in ("name", "type", "loss", "_target_") if item.get(k) is not None), None)
            if label is not None and isinstance(label.value, Scalar) and isinstance(label.value.value, str):
                self.block_weight(label.value.value.rsplit(".", 1)[-1], item, ancestors)


# key -> _key_facts(key): configs repeat their keys across files (bounded, like a cache).
_KEY_FACTS: dict[str, tuple[str, bool, bool, bool]] = {}


def _key_facts(key: str) -> tuple[str, bool, bool, bool]:
    """(the key lowered, whether it shows distillation, whether it names a plateau, whether it
    can hold a plan field or a loss weight outside a weights block)."""
    lowered = key.lower()
    distills = lowered == "kd" or any(mark in lowered for mark in vocab.DISTILLATION_MARKS)
    weight_form = lowered.startswith(vocab.LOSS_BLOCK_PREFIXES) or lowered.endswith(vocab.LOSS_BLOCK_SUFFIXES + vocab.ANYWHERE_SUFFIXES)
    facts = (lowered, distills, "plateau" in lowered, lowered in _TERMS_BY_KEY or weight_form)
    if len(_KEY_FACTS) < 65536:
        _KEY_FACTS[key] = facts
    return facts


def _weight_name(lowered: str, role: str) -> str | None:
    """The loss term a key weights, if the key has a weight's form where it stands."""
    if lowered in vocab.NOT_TERM_WEIGHTS or lowered in vocab.BLOCK_WEIGHT_KEYS or lowered.startswith(vocab.NOT_TERM_WEIGHT_PREFIXES):
        return None  # a block's own weight key is read with its block (Walk.block_weight)
    if role == vocab.WEIGHTS:
        return lowered
    prefixes = vocab.LOSS_BLOCK_PREFIXES if role == vocab.LOSS else vocab.WEIGHT_PREFIXES
    suffixes = vocab.LOSS_BLOCK_SUFFIXES if role == vocab.LOSS else vocab.ANYWHERE_SUFFIXES
    if not (lowered.startswith(prefixes) or lowered.endswith(suffixes)):
        return None
    for prefix in prefixes:
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            return lowered[len(prefix) :]
    for suffix in suffixes:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return lowered[: -len(suffix)]
    return None


def _candidate(term: vocab.Term, key_node: Node, written: Node, value: Node, scope: tuple, ancestors: tuple, parent: Mapping) -> Candidate | None:
    def candidate(parsed: Any, ok: bool, placeholder: bool = False) -> Candidate:
        setting = Setting(parsed, format_path(written.path), written, key_node, exact=False, unit=term.unit)
        return Candidate(term, setting, ok, scope, placeholder, ancestors, parent)

    if is_placeholder(value):
        return candidate(None, False, placeholder=True)
    if isinstance(value, Scalar) and value.value is None:
        return None
    kind = FIELDS[term.field]
    parsed, ok = coerce(value, kind)
    if ok:
        return candidate(parsed, True)
    if kind in (NUMBER, INTEGER) and isinstance(value, Scalar) and numeric_text(value.value):
        return candidate(value.value, False)
    return None  # a value of another kind: this key is probably not the field


def _identity(candidate: Candidate) -> Any:
    value = candidate.setting.value
    return (candidate.ok, tuple(value) if isinstance(value, list) else value)


def read(doc: Document) -> TrainingPlan:
    """The generic plan of a document's (first) root mapping."""
    plan = TrainingPlan(GENERIC)
    root = doc.mapping
    if root is None or not_training_file(doc.path):
        return plan
    walk = _Walk(root)
    walk.mapping(root, vocab.TOP, (), 0)
    apart = _side_by_side(plan, [c.ancestors for c in walk.candidates] + [w[3] for w in walk.weights])
    by_field: dict[str, list[Candidate]] = {}
    for candidate in walk.candidates:
        if apart(candidate.ancestors) or _used_as_something_else(walk, candidate) or _switched_off(candidate):
            continue
        needs = candidate.term.needs
        if (needs == vocab.NEEDS_DISTILLATION and not walk.distills) or (needs == vocab.NEEDS_PLATEAU and not _plateau(walk)):
            continue
        by_field.setdefault(candidate.term.field, []).append(candidate)
    _pair(plan, by_field)
    for field, found in by_field.items():
        if field in vocab.PAIRED:
            continue
        if any(c.placeholder for c in found):
            plan.written.add(field)
            continue
        if field in vocab.MANY_VALUED:
            _decide(plan, field, found[:1])
            plan.others[field] = [c.setting for c in found[1:] if c.ok]
            continue
        _decide(plan, field, found)
    _weights(plan, walk, apart)
    _grids(plan, root)
    return scale_only_lr(plan)


def evaluate_strings(plan: TrainingPlan, keep_unknown: bool = True) -> TrainingPlan:
    """Under a loader that literal_evals strings (yacs), a number written as text is that number;
    where the loader may or may not (`keep_unknown=False`), the value stays unknown."""
    kept = []
    for problem in plan.type_problems:
        node = problem.setting.node
        text = node.value if isinstance(node, Scalar) else None
        if problem.field is not None and problem.expected in (NUMBER, INTEGER) and isinstance(text, str) and numeric_text(text):
            number = float(text)
            if problem.expected == INTEGER and not number.is_integer():
                kept.append(problem)
                continue
            value = int(number) if problem.expected == INTEGER or "." not in text and "e" not in text.lower() else number
            if keep_unknown:
                plan.settings.setdefault(problem.field, problem.setting.replace(value=value))
        else:
            kept.append(problem)
    plan.type_problems = kept
    return plan


def not_training_file(path: str) -> bool:
    """`diar_infer_meeting.yaml`, `eval_config.yaml`: a file named for inference (and not also
    for training, as `train_and_eval.yaml` is) configures no training."""
    import os

    words = set(re.split(r"[_\-.\s]+", os.path.splitext(os.path.basename(path))[0].lower()))
    return bool(words & vocab.NOT_TRAINING_FILE_WORDS) and not words & vocab.TRAINING_FILE_WORDS


def scale_only_lr(plan: TrainingPlan) -> TrainingPlan:
    """Under a Noam schedule `lr` multiplies d_model^-0.5 x warmup terms: the peak rate is unknown."""
    scheduler = plan.get("scheduler")
    if scheduler is not None and any(name in str(scheduler.value).lower() for name in vocab.SCALE_ONLY_LR_SCHEDULERS):
        plan.settings.pop("learning_rate", None)
        plan.written.add("learning_rate")
    return plan


def _side_by_side(plan: TrainingPlan, found: list[tuple]):
    """Blocks without a role that stand side by side, each with training settings, are separate
    configs (`stage1:` and `stage2:`, a list of methods): none of them is the run, so what they
    hold stays unknown. Returns the test for a key's ancestors."""
    children: dict[tuple, set[str]] = {}
    for ancestors in found:
        for parent, key in ancestors:
            children.setdefault(parent, set()).add(key)
    collections = {parent for parent, keys in children.items() if len(keys) > 1}
    for parent in collections:
        where = format_path(parent) or "the top level"
        plan.side_by_side.append(f"{where}: {', '.join(sorted(children[parent]))}")
    return lambda ancestors: any(parent in collections for parent, _ in ancestors)


def _switched_off(candidate: Candidate) -> bool:
    """A warmup beside `lr_warmup: false` (or `use_warmup: false`) in its own block is not used."""
    parent = candidate.parent
    if candidate.term.field not in vocab.WARMUP_FIELDS or parent is None:
        return False
    switches = (e for e in parent.entries if isinstance(e.key, Scalar) and str(e.key.value).lower() in vocab.WARMUP_SWITCHES)
    return any(isinstance(e.value, Scalar) and e.value.value is False for e in switches)


def _used_as_something_else(walk: _Walk, candidate: Candidate) -> bool:
    """A HyperPyYAML variable means what the keys that `!ref` it mean: `weight_decay: 0.9999` used
    as an ExponentialLR's `gamma` is no weight decay."""
    path = candidate.setting.node.path
    users = walk.references.get(str(path[0])) if len(path) == 1 else None
    field = candidate.term.field
    return bool(users) and any(user != str(path[0]).lower() and all(t.field != field for t in _TERMS_BY_KEY.get(user, ())) for user in users)


def _plateau(walk: _Walk) -> bool:
    return walk.plateau or any(c.term.field == "scheduler" and c.ok and "plateau" in str(c.setting.value).lower() for c in walk.candidates)


def _decide(plan: TrainingPlan, field: str, found: list[Candidate]) -> None:
    """One value under every key: the field is known (or a mistyped number); several: unknown."""
    plan.written.add(field)
    distinct = {_identity(c) for c in found}
    if len(distinct) > 1:
        plan.ambiguous[field] = tuple(c.setting.key for c in found)
        return
    first = found[0]
    if first.ok:
        plan.settings[field] = first.setting
    else:
        plan.type_problems.append(TypeProblem(first.setting, FIELDS[field], field))


def _pair(plan: TrainingPlan, by_field: dict[str, list[Candidate]]) -> None:
    """A width and its heads from the same block: the first block (in file order) that has both."""
    widths, heads = by_field.get("d_model", []), by_field.get("n_heads", [])
    for width in widths:
        partners = [h for h in heads if h.scope == width.scope]
        if width.ok and not width.placeholder and len([w for w in widths if w.scope == width.scope]) == 1 and len(partners) == 1 and partners[0].ok:
            plan.settings["d_model"], plan.settings["n_heads"] = width.setting, partners[0].setting
            plan.written.update(("d_model", "n_heads"))
            return


def _weights(plan: TrainingPlan, walk: _Walk, apart) -> None:
    weights = [w for w in walk.weights if not apart(w[3])]
    for name, setting, _, _ in weights:
        plan.loss_weights.setdefault(name, setting)
    plan.type_problems.extend(TypeProblem(setting, NUMBER) for setting, ancestors in walk.mistyped_weights if not apart(ancestors))
    forms = [form for _, _, form, _ in weights]
    # alpha_* weights beside a teacher are KD shares (alpha_kd + alpha_ce = 1); anything else is a penalty.
    plan.weights_are_mixture = bool(forms) and walk.distills and all(form.startswith("alpha_") for form in forms)


def _grids(plan: TrainingPlan, root: Mapping) -> None:
    for block in vocab.GRID_BLOCKS:
        entry = root.get(block)
        if entry is None or not isinstance(entry.value, Mapping):
            continue
        axes = entry.value.entries
        if not axes or not all(isinstance(axis.value, Sequence) for axis in axes):
            continue
        for axis in axes:
            values, _ = coerce(axis.value, NUMBER_LIST)
            plan.grids[str(axis.key.value)] = Setting(values, format_path(axis.value.path), axis.value, axis.key, exact=False)


def merge(exact: TrainingPlan, generic: TrainingPlan, has_weights: bool, has_grids: bool, skipped: tuple[str, ...] = ()) -> TrainingPlan:
    """The dialect's plan, with the generic reading filling only what its keys leave unknown
    (`skipped`: keys the framework gives another meaning)."""
    used = {id(s.node) for s in exact.settings.values()} | {id(p.setting.node) for p in exact.type_problems}

    def fresh(setting: Setting) -> bool:
        return id(setting.node) not in used and setting.key not in skipped

    for field, setting in generic.settings.items():
        if field not in exact.written and fresh(setting):
            exact.settings[field] = setting
            exact.others[field] = [s for s in generic.others.get(field, []) if fresh(s)]
    takes_weights = not has_weights and not exact.loss_weights
    for problem in generic.type_problems:
        wanted = takes_weights if problem.field is None else problem.field not in exact.written
        if wanted and fresh(problem.setting):
            exact.type_problems.append(problem)
    for field, keys in generic.ambiguous.items():
        if field not in exact.written:
            exact.ambiguous[field] = keys
    if takes_weights:
        exact.loss_weights = {name: weight for name, weight in generic.loss_weights.items() if weight.key not in skipped}
        exact.weights_are_mixture = generic.weights_are_mixture
    if not has_grids and not exact.grids:
        exact.grids = generic.grids
    return scale_only_lr(exact)

