"""Run the user's model on real batches and measure what the config assumes. Imports torch.

Every measurement is guarded: a model that cannot take a duplicated batch, say, loses that one
measurement, not the probe.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Callable

import torch
import torch.nn.functional as F

from cfglint.probe.entry import ProbeError, returned_at
from cfglint.probe.report import Component, ProbeReport
from cfglint.probe.target import ProbeTarget

# Temperatures tried for KD finiteness, besides the configured one.
TEMPERATURES = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0)


def _map_tensors(value: Any, function: Callable[[torch.Tensor], torch.Tensor]) -> Any:
    """`function` applied to every tensor of a batch made of nested dicts, lists and tuples."""
    if torch.is_tensor(value):
        return function(value)
    if isinstance(value, dict):
        return {key: _map_tensors(item, function) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_tensors(item, function) for item in value)
    return value


def to_device(value: Any, device: str) -> Any:
    return _map_tensors(value, lambda tensor: tensor.to(device))


def duplicated(value: Any) -> Any:
    """The batch twice over: tensors concatenated along their first dimension."""
    return _map_tensors(value, lambda tensor: torch.cat([tensor, tensor]) if tensor.dim() else tensor)


def first_tensor(value: Any, accept: Callable[[torch.Tensor], bool]):
    """The first tensor `accept` takes, depth first through nested dicts, lists and tuples."""
    if torch.is_tensor(value):
        return value if accept(value) else None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    for item in items:
        found = first_tensor(item, accept)
        if found is not None:
            return found
    return None


def first_float_tensor(value: Any):
    return first_tensor(value, torch.Tensor.is_floating_point)


def batch_size(batch: Any) -> int | None:
    """Samples in a batch: the first dimension of its first tensor that has one."""
    tensor = first_tensor(batch, lambda t: t.dim() > 0)
    return int(tensor.shape[0]) if tensor is not None else None


def _check_components(target: ProbeTarget, batch: Any, components: Any) -> None:
    """Each component must be a scalar tensor with a gradient; anything else is named at the user's line."""
    problem = None
    if not isinstance(components, dict):
        problem = f"loss_components returned {_a(components)}, not a dict of named loss terms: return {{'name': loss_tensor, ...}}"
    else:
        for name, value in components.items():
            if not torch.is_tensor(value):
                problem = f"the loss component {name!r} is {_a(value)}, not a tensor: return the tensor itself, not float(...) or .item(), so the probe can take its gradient"
            elif value.numel() != 1:
                shape = "x".join(str(size) for size in value.shape)
                problem = f"the loss component {name!r} holds {value.numel()} values (shape {shape}), not one: reduce it to a scalar (.mean(), or reduction='mean')"
            elif not value.requires_grad:
                problem = (
                    f"the loss component {name!r} has no gradient: it was computed under torch.no_grad() or detached "
                    "(.detach(), .data); compute it as training does, with gradients"
                )
            if problem:
                break
    if problem:
        where = returned_at(target.loss_components, batch)
        raise ProbeError(f"{where + ': ' if where else ''}{problem}")


def _a(value: Any) -> str:
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


class _NonFiniteWatch:
    """Forward hooks that remember the first module whose output holds NaN or Inf."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.first: str | None = None
        self.handles = [module.register_forward_hook(self._hook(name)) for name, module in model.named_modules() if name]

    def _hook(self, name: str) -> Callable:
        def hook(module, inputs, output):
            if self.first is None:
                tensor = first_float_tensor(output)
                if tensor is not None and not torch.isfinite(tensor).all():
                    self.first = f"{name} ({type(module).__name__})"

        return hook

    def close(self) -> None:
        for handle in self.handles:
            handle.remove()


def _autocast(device: str, fp16: bool):
    if not fp16:
        return contextlib.nullcontext()
    return torch.autocast(device_type="cuda" if device.startswith("cuda") else "cpu", dtype=torch.float16)


def measure(
    target: ProbeTarget,
    weight_for: Callable[[str], float],
    *,
    batches: int = 1,
    device: str = "cpu",
    fp16: bool = False,
    temperature: float | None = None,
    steps: int = 0,
    optimizer: Callable[[list], torch.optim.Optimizer] | None = None,
    learning_rates: list[float] | None = None,
    clip: float | None = None,
    accumulation: int = 1,
) -> ProbeReport:
    model = target.model.to(device)
    model.train()
    report = ProbeReport(device=device, precision="fp16" if fp16 else "fp32")
    source = target.batches if target.batches is not None else [target.batch] * batches
    batch_list = [to_device(batch, device) for _, batch in zip(range(batches), source)]
    if not batch_list:
        raise ProbeError("the ProbeTarget's batches are empty: give it at least one real batch")
    report.batches = len(batch_list)
    report.batch_size = batch_size(batch_list[0])
    params = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    raw_sums: dict[str, float] = {}
    norm_sums: dict[str, float] = {}
    finite: dict[str, bool] = {}
    alive: set[str] = set()  # parameters that got a non-zero gradient from some batch
    watch = _NonFiniteWatch(model)
    try:
        for batch in batch_list:
            with _autocast(device, fp16):
                components = target.loss_components(batch)
            _check_components(target, batch, components)
            # One backward pass per component; the total gradient is their weighted sum, so it
            # costs no pass of its own.
            total: list = [None] * len(params)
            names = list(components)
            for index, name in enumerate(names):
                value = components[name].float()
                finite[name] = finite.get(name, True) and bool(torch.isfinite(value))
                raw_sums[name] = raw_sums.get(name, 0.0) + float(value.detach())
                grads = torch.autograd.grad(value, [p for _, p in params], retain_graph=index < len(names) - 1, allow_unused=True)
                norm_sums[name] = norm_sums.get(name, 0.0) + math.sqrt(sum(float(g.float().pow(2).sum()) for g in grads if g is not None))
                weight = weight_for(name)
                for slot, grad in enumerate(grads):
                    if grad is not None:
                        total[slot] = weight * grad if total[slot] is None else total[slot] + weight * grad
            squared = 0.0
            for (name, _), grad in zip(params, total):
                if grad is not None and bool((grad != 0).any()):
                    alive.add(name)
                    squared += float(grad.float().pow(2).sum())
            report.grad_norms.append(math.sqrt(squared))
    finally:
        watch.close()
    report.first_nonfinite_module = watch.first
    count = len(batch_list)
    report.components = {name: Component(raw_sums[name] / count, norm_sums[name] / count, finite[name]) for name in raw_sums}
    for name, _ in params:
        if name not in alive:
            module, _, parameter = name.rpartition(".")
            report.dead_parameters.setdefault(module or "(model)", []).append(parameter)
    first = batch_list[0]
    _inputs(report, target, first)
    _predictions(report, target, first)
    _reduction(report, target, first, fp16, device)
    _reported(report, target, first)
    _distillation(report, target, first, fp16, temperature)
    if steps and optimizer is not None:
        _train_steps(report, target, batch_list, weight_for, steps, optimizer, learning_rates or [], clip, accumulation, fp16, device)
    return report


def _guarded(function: Callable[[], None]) -> None:
    """One measurement that the model cannot support is skipped, not fatal."""
    try:
        with torch.no_grad():
            function()
    except Exception:  # noqa: BLE001 - user code may not support e.g. a doubled batch
        pass


def _inputs(report: ProbeReport, target: ProbeTarget, batch: Any) -> None:
    def run() -> None:
        tensor = target.inputs(batch) if target.inputs else first_float_tensor(batch)
        if tensor is None:
            return
        flat = tensor.float().reshape(-1, tensor.shape[-1]) if tensor.dim() > 1 else tensor.float().reshape(-1, 1)
        report.input_min, report.input_max = float(flat.min()), float(flat.max())
        report.input_max_abs_mean = float(flat.mean(0).abs().max())
        report.input_max_std = float(flat.std(0).max()) if flat.shape[0] > 1 else 0.0

    _guarded(run)


def _spread_ratio(target: ProbeTarget, batch: Any) -> float | None:
    """std(predictions) / std(targets) on a batch; None when the targets do not vary."""
    predicted, expected = target.predictions(batch)
    spread = float(expected.float().std())
    return float(predicted.float().std()) / spread if spread > 0 else None


def _predictions(report: ProbeReport, target: ProbeTarget, batch: Any) -> None:
    def run() -> None:
        if target.predictions is not None:
            report.prediction_std_ratio = _spread_ratio(target, batch)

    _guarded(run)


def _total(target: ProbeTarget, batch: Any, weight_for: Callable[[str], float]) -> float:
    return sum(weight_for(name) * float(value.float()) for name, value in target.loss_components(batch).items())


def _reduction(report: ProbeReport, target: ProbeTarget, batch: Any, fp16: bool, device: str) -> None:
    """Each component on the batch duplicated against the batch: a sum doubles, a mean and a
    batch-independent penalty stay; judged per component, so neither hides the other in the total."""

    def run() -> None:
        with _autocast(device, fp16):
            single = target.loss_components(batch)
            double = target.loss_components(duplicated(batch))
        for name, value in single.items():
            one, two = float(value.float()), float(double[name].float())
            if one and math.isfinite(one) and math.isfinite(two):
                report.reduction_ratios[name] = two / one

    _guarded(run)


def _reported(report: ProbeReport, target: ProbeTarget, batch: Any) -> None:
    def run() -> None:
        if target.reported_train_loss is None or target.validation_loss is None:
            return
        train, validation = float(target.reported_train_loss(batch)), float(target.validation_loss(batch))
        if validation:
            report.reported_ratio = train / validation

    _guarded(run)


def _distillation(report: ProbeReport, target: ProbeTarget, batch: Any, fp16: bool, temperature: float | None) -> None:
    def run() -> None:
        if target.distillation_logits is None:
            return
        student, teacher = (t.float() for t in target.distillation_logits(batch))
        report.max_abs_logit = float(torch.cat([student.flatten(), teacher.flatten()]).abs().max())
        dtype = torch.float16 if fp16 else torch.float32
        for value in sorted(set(TEMPERATURES) | ({float(temperature)} if temperature else set())):
            scaled_student, scaled_teacher = (student / value).to(dtype), (teacher / value).to(dtype)
            kl = F.kl_div(F.log_softmax(scaled_student, dim=-1), F.softmax(scaled_teacher, dim=-1), reduction="batchmean") * value * value
            report.kd_finite[value] = bool(torch.isfinite(scaled_student).all() and torch.isfinite(scaled_teacher).all() and torch.isfinite(kl))

    _guarded(run)


def _train_steps(report, target, batches, weight_for, steps, make_optimizer, learning_rates, clip, accumulation, fp16, device) -> None:
    """K optimizer steps at the schedule's first learning rates: does anything move, and by how much."""
    model = target.model
    params = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    optimizer = make_optimizer([p for _, p in params])
    before = {name: p.detach().clone() for name, p in params}
    with torch.no_grad():
        report.loss_before = _total(target, batches[0], weight_for)
    micro = 0
    for step in range(steps):
        if step < len(learning_rates):
            for group in optimizer.param_groups:
                group["lr"] = learning_rates[step]
        optimizer.zero_grad(set_to_none=True)
        for _ in range(accumulation):
            batch = batches[micro % len(batches)]
            micro += 1
            with _autocast(device, fp16):
                components = target.loss_components(batch)
            (sum(weight_for(name) * value.float() for name, value in components.items()) / accumulation).backward()
        if clip:
            torch.nn.utils.clip_grad_norm_([p for _, p in params], clip)
        optimizer.step()
    report.steps = steps
    with torch.no_grad():
        report.loss_after = _total(target, batches[0], weight_for)
        for name, p in params:
            scale = float(before[name].norm())
            if p.dim() >= 2 and scale > 0:  # weight matrices: a bias starts near 0, so its ratio means nothing
                # per step, the unit of the usual 1e-4..1e-1 range
                report.update_ratios[name] = float((p.detach() - before[name]).norm()) / scale / steps
        if target.predictions is not None:
            report.prediction_std_after = _spread_ratio(target, batches[0])
