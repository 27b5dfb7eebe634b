"""The generic reading, forced: `--dialect generic` reads a config with the vocabulary alone.

Any config no framework dialect claims is read this way (see cfglint.generic and the spellings
in cfglint.vocabulary): `lr`, `optim.lr` or `optimizer.params.lr` is the learning rate,
`train.n_epochs` the number of epochs, `sched.factor` a plateau factor when the scheduler is
ReduceLROnPlateau. Durations compare only in a unit both keys name (steps, iterations, epochs);
how the loop rounds a partial accumulation window and whether `max_steps` or the epochs end the
run are unknown, so only comparisons that hold either way are made. The loader is taken to be
PyYAML (YAML 1.1), as in most hand-written training scripts; the `loader` setting names another.
"""

from cfglint.dialects.base import Dialect
from cfglint.vocabulary import GRID_BLOCKS

DIALECT = Dialect(
    name="generic",
    title="Generic reading: any training config, through the shared vocabulary of key spellings",
    markers={},
    threshold=1,  # never detected by keys: it is the reading beneath every dialect
    fields={},
    grid_blocks=GRID_BLOCKS,  # read by cfglint.generic; named here so grid rules know the block
    rounding="unknown",
    max_steps_rule="unknown",
    loader="pyyaml",
    doc=__doc__,
)
