"""The built-in rules, one module each, in an explicit registry (no discovery magic).

Codes are grouped by letter: D document, S schema and values, M model dimensions,
B batch and accumulation, T training schedule and warmup, L loss weights,
O optimizer and clipping, K distillation, Y YAML, G grids,
P probe measurements (only `cfglint probe` reports these), C cfglint's own comments,
H Hydra composition (defaults lists and overrides),
R referenced files (the DeepSpeed config a TrainingArguments YAML names, read with it).
"""

from __future__ import annotations

from cfglint.finding import UnknownRule
from cfglint.rule import Rule
from cfglint.rules import (
    adam_with_weight_decay,
    base_value_outside_grid,
    batch_truncated,
    betas_out_of_range,
    clip_always_active,
    dead_parameters,
    deepspeed_trainer_mismatch,
    duplicate_key,
    epoch_shorter_than_accumulation,
    epsilon_underflows_fp16,
    excessive_weight_decay,
    fp16_low_temperature,
    global_batch_mismatch,
    gradient_share_mismatch,
    grid_key_unknown,
    grid_point_imbalance,
    grid_too_large,
    heads_divide_model_dim,
    internal_error,
    interval_exceeds_training,
    invalid_grid_axis,
    kd_eval_mismatch,
    kd_temperature_overflow,
    kd_temperature_unusual,
    key_not_accepted,
    label_len_exceeds_seq_len,
    learning_rate_too_high,
    long_warmup,
    loss_sum_reduction,
    loss_weight_spread,
    min_lr_not_below_lr,
    min_temperature_above_temperature,
    missing_config_option,
    mixture_weights_sum,
    negative_loss_weight,
    non_finite_loss,
    not_composed,
    override_refused,
    plateau_factor_out_of_range,
    plateau_never_fires,
    pred_len_not_positive,
    prediction_collapse,
    ratio_in_steps_field,
    referenced_file_unreadable,
    reported_loss_accumulation,
    schedule_ends_early,
    scheduler_length_mismatch,
    schema_violation,
    settings_beside_deepspeed_file,
    small_validation_split,
    syntax_error,
    target_indices_out_of_range,
    tiny_learning_rate,
    unknown_key,
    unstandardised_inputs,
    unused_suppression,
    update_ratio_out_of_range,
    value_out_of_range,
    warmup_exceeds_training,
    warmup_ratio_rounds_to_zero,
    warmup_steps_and_ratio,
    weak_clipping,
    wrong_type,
    yaml11_float,
    zero_loss_weight,
)

RULES: tuple[Rule, ...] = (
    syntax_error.RULE,
    duplicate_key.RULE,
    unknown_key.RULE,
    wrong_type.RULE,
    value_out_of_range.RULE,
    schema_violation.RULE,
    key_not_accepted.RULE,
    label_len_exceeds_seq_len.RULE,
    heads_divide_model_dim.RULE,
    target_indices_out_of_range.RULE,
    warmup_exceeds_training.RULE,
    long_warmup.RULE,
    warmup_ratio_rounds_to_zero.RULE,
    ratio_in_steps_field.RULE,
    warmup_steps_and_ratio.RULE,
    scheduler_length_mismatch.RULE,
    schedule_ends_early.RULE,
    min_lr_not_below_lr.RULE,
    plateau_factor_out_of_range.RULE,
    plateau_never_fires.RULE,
    interval_exceeds_training.RULE,
    global_batch_mismatch.RULE,
    batch_truncated.RULE,
    epoch_shorter_than_accumulation.RULE,
    mixture_weights_sum.RULE,
    negative_loss_weight.RULE,
    zero_loss_weight.RULE,
    loss_weight_spread.RULE,
    adam_with_weight_decay.RULE,
    learning_rate_too_high.RULE,
    tiny_learning_rate.RULE,
    weak_clipping.RULE,
    betas_out_of_range.RULE,
    epsilon_underflows_fp16.RULE,
    excessive_weight_decay.RULE,
    kd_temperature_unusual.RULE,
    min_temperature_above_temperature.RULE,
    kd_eval_mismatch.RULE,
    fp16_low_temperature.RULE,
    pred_len_not_positive.RULE,
    small_validation_split.RULE,
    yaml11_float.RULE,
    grid_key_unknown.RULE,
    invalid_grid_axis.RULE,
    base_value_outside_grid.RULE,
    grid_too_large.RULE,
    gradient_share_mismatch.RULE,
    grid_point_imbalance.RULE,
    clip_always_active.RULE,
    dead_parameters.RULE,
    non_finite_loss.RULE,
    kd_temperature_overflow.RULE,
    unstandardised_inputs.RULE,
    prediction_collapse.RULE,
    loss_sum_reduction.RULE,
    reported_loss_accumulation.RULE,
    update_ratio_out_of_range.RULE,
    missing_config_option.RULE,
    override_refused.RULE,
    not_composed.RULE,
    referenced_file_unreadable.RULE,
    deepspeed_trainer_mismatch.RULE,
    settings_beside_deepspeed_file.RULE,
    unused_suppression.RULE,
    internal_error.RULE,
)
BY_CODE = {rule.code: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


__all__ = ["RULES", "BY_CODE", "BY_NAME", "UnknownRule", "get", "matching", "resolve_code", "select"]


def get(code_or_name: str) -> Rule:
    rule = BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
    if rule is None:
        raise UnknownRule(f"no such rule: {code_or_name!r} (`cfglint rules` lists them)")
    return rule


def resolve_code(code_or_name: str) -> str | None:
    try:
        return get(code_or_name).code
    except UnknownRule:
        return None


def matching(selector: str) -> list[Rule]:
    """Rules a selector names: ALL, a code, a code prefix (S, S00) or a rule name."""
    text = selector.strip()
    if text.upper() == "ALL":
        return list(RULES)
    if text.lower() in BY_NAME:
        return [BY_NAME[text.lower()]]
    found = [rule for rule in RULES if rule.code.startswith(text.upper())] if text else []
    if not found:
        raise UnknownRule(f"no rule matches {selector!r} (`cfglint rules` lists them)")
    return found


def select(select: list[str] | None, extend_select: list[str], ignore: list[str]) -> list[Rule]:
    """The enabled rules: all by default, narrowed by select, widened by extend-select, minus ignore."""
    chosen = {rule.code for s in (select if select is not None else ["ALL"]) for rule in matching(s)}
    chosen |= {rule.code for s in extend_select for rule in matching(s)}
    chosen -= {rule.code for s in ignore for rule in matching(s)}
    return [rule for rule in RULES if rule.code in chosen]
