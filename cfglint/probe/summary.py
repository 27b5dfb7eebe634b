"""The measurement table `cfglint probe` prints before its findings."""

from __future__ import annotations

from cfglint.document import Document
from cfglint.probe.report import ProbeReport
from cfglint.probe.shares import gradient_shares, intended_shares, loss_shares, weighted_components


def render(report: ProbeReport, doc: Document, clip: float | None) -> str:
    lines = []
    if report.settings:
        lines.append("Trained with (each from the config as `cfglint check` reads it, from your code, or a default):")
        lines.extend(f"  {name:<16}{value}" for name, value in report.settings.items())
    lines.append(f"Measured on {report.batches} batch{'es' if report.batches != 1 else ''} ({report.device}, {report.precision}):")
    components = weighted_components(report, doc)
    if components:
        grad, loss = gradient_shares(components), loss_shares(components)
        intent, source = intended_shares(components, doc)
        lines.append(f"  {'loss term':<14}{'raw':>11}{'weight':>11}{'loss share':>12}{'grad share':>12}{'intended':>10}")
        for c in components:
            lines.append(
                f"  {c.name:<14}{c.raw:>11.4g}{c.weight:>11.4g}{loss.get(c.name, 0):>12.1%}{grad.get(c.name, 0):>12.1%}{intent.get(c.name, 0):>10.1%}"
            )
        lines.append(f"  (intended: from {source}; grad share: each weighted term's gradient norm over their sum)")
    if report.grad_norms:
        norms = sorted(report.grad_norms)
        clipped = f"; clip {clip:g} cuts {report.clipped_fraction(clip):.0%} of batches" if clip else ""
        lines.append(f"  gradient norm before clipping: median {norms[len(norms) // 2]:.4g}, 90th percentile {report.norm_percentile(0.9):.4g}{clipped}")
    if report.input_min is not None:
        lines.append(
            f"  inputs: range [{report.input_min:.4g}, {report.input_max:.4g}], |feature mean| up to {report.input_max_abs_mean:.4g}, "
            f"feature std up to {report.input_max_std:.4g}"
        )
    if report.prediction_std_ratio is not None:
        after = f" ({report.prediction_std_after:.3g} after {report.steps} steps)" if report.steps and report.prediction_std_after is not None else ""
        lines.append(f"  prediction std / target std: {report.prediction_std_ratio:.3g}{after}")
    if report.reduction_ratios:
        ratios = ", ".join(f"{name} {ratio:.2f}" for name, ratio in report.reduction_ratios.items())
        lines.append(f"  each term on the batch duplicated / on the batch: {ratios} (2: it sums over the batch)")
    if report.reported_ratio is not None:
        lines.append(f"  reported training loss / validation loss, same batch: {report.reported_ratio:.3g}")
    if report.kd_finite:
        finite = ", ".join(f"{t:g}" for t, ok in sorted(report.kd_finite.items()) if ok) or "none"
        lines.append(f"  KD finite in {report.precision} at temperatures: {finite} (largest |logit| {report.max_abs_logit:.4g})")
    if report.dead_parameters:
        lines.append(f"  parameters without gradient: {sum(len(v) for v in report.dead_parameters.values())} in {', '.join(sorted(report.dead_parameters))}")
    if report.first_nonfinite_module:
        lines.append(f"  first module with a NaN/Inf output: {report.first_nonfinite_module}")
    if report.steps:
        lines.append(f"  after {report.steps} optimizer steps: loss {report.loss_before:.4g} -> {report.loss_after:.4g}")
    return "\n".join(lines)
