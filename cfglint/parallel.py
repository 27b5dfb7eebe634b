"""Work spread over forked processes, this one among them.

Each extra job is a fork that inherits everything imported and read so far (rules, settings,
the projects' folders), so it starts at once; the process that forks works as well instead of
waiting. Tasks are handed out one at a time from a pipe of task numbers, so that no process is
left with a long last share while another idles; each fork sends its results back, pickled,
when the pipe is empty. On a 2-CPU machine this starts a corpus run 15-20 ms sooner than a
multiprocessing pool (whose imports, queues and threads come before any work).

A fork that dies leaves its tasks unanswered: this process does them itself, so a crash in a
task surfaces here, as in a run of one process.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
from typing import Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_NUMBER = struct.Struct("=I")
# Task numbers are written to the pipe before any fork reads it, so they must fit in its buffer
# (64 KiB on Linux, 16 KiB on some systems): past this many tasks, callers hand out bigger ones.
MAX_TASKS = 16384 // _NUMBER.size


def can_fork() -> bool:
    return hasattr(os, "fork")


def run(tasks: list[T], work: Callable[[T], R], workers: int) -> list[R]:
    """`work(task)` for each task, in task order, over `workers` processes (needs fork)."""
    if len(tasks) > MAX_TASKS:
        raise ValueError(f"{len(tasks)} tasks: at most {MAX_TASKS} can be handed out")
    numbers, numbers_in = os.pipe()
    os.write(numbers_in, b"".join(_NUMBER.pack(index) for index in range(len(tasks))))
    os.close(numbers_in)
    children: list[tuple[int, int]] = []
    try:
        for _ in range(workers - 1):
            results, results_in = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: fewer forks, the same results
                os.close(results)
                os.close(results_in)
                break
            if pid == 0:  # a fork: work, send the results, and leave without running any exit code
                _serve(tasks, work, numbers, results_in, (results, *(other for _, other in children)))
            os.close(results_in)
            children.append((pid, results))
        done = _drain(tasks, work, numbers)
        for child in list(children):
            pid, results = child
            with os.fdopen(results, "rb") as stream:
                data = stream.read()
            _, status = os.waitpid(pid, 0)
            children.remove(child)
            if os.waitstatus_to_exitcode(status) == 0:  # a fork that failed or was killed sent nothing whole
                done.update(pickle.loads(data))
    finally:
        os.close(numbers)
        for pid, results in children:  # interrupted: no fork outlives this process
            try:
                os.close(results)
            except OSError:
                pass  # closed already, by the read that was interrupted
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return [done[index] if index in done else work(task) for index, task in enumerate(tasks)]


def _drain(tasks: list[T], work: Callable[[T], R], numbers: int) -> dict[int, R]:
    """Take task numbers from the pipe until it is empty; each read takes one whole number (a
    pipe read this small is atomic) and no two processes get the same."""
    done: dict[int, R] = {}
    while True:
        number = os.read(numbers, _NUMBER.size)
        if not number:
            return done
        (index,) = _NUMBER.unpack(number)
        done[index] = work(tasks[index])


def _serve(tasks: list, work: Callable, numbers: int, results_in: int, not_mine: tuple[int, ...]) -> None:
    """A fork's life: its tasks' results down `results_in`, then exit, whatever happens (it must
    never return into the code that forked it). `not_mine` are the other pipes it inherited. The
    cycle collector is off: a config's nodes form no cycles, and the fork ends soon."""
    status = 1
    try:
        for descriptor in not_mine:
            os.close(descriptor)
        gc.disable()
        data = pickle.dumps(_drain(tasks, work, numbers), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(results_in, "wb") as stream:
            stream.write(data)
        status = 0
    finally:
        os._exit(status)
