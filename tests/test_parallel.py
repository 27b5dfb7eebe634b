"""cfglint.parallel: tasks spread over forks of this process, results in task order."""

import os
import time

import pytest

from cfglint import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")


def test_every_task_is_done_once_in_task_order_whichever_process_did_it():
    parent = os.getpid()

    def work(n):
        time.sleep(0.005)  # long enough that every process gets some
        return n * n, os.getpid()

    results = parallel.run(list(range(60)), work, 3)
    assert [square for square, _ in results] == [n * n for n in range(60)]
    workers = {pid for _, pid in results}
    assert parent in workers  # the forking process works too
    assert len(workers) <= 3


def test_a_fork_that_dies_leaves_its_tasks_to_this_process():
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent:
            os._exit(3)  # the fork dies at its first task, sending nothing back
        return n + 1

    assert parallel.run(list(range(20)), work, 2) == list(range(1, 21))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # and it was reaped


def test_without_a_fork_this_process_does_every_task(monkeypatch):
    def refused():
        raise BlockingIOError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert parallel.run(list(range(10)), lambda n: (n, os.getpid()), 2) == [(n, os.getpid()) for n in range(10)]


def test_a_failing_task_raises_here_as_in_one_process():
    def work(n):
        if n == 7:
            raise ValueError("task 7 failed")
        return n

    with pytest.raises(ValueError, match="task 7 failed"):
        parallel.run(list(range(10)), work, 2)


def test_more_tasks_than_the_pipe_holds_are_refused():
    with pytest.raises(ValueError, match="at most 4096"):
        parallel.run(list(range(parallel.MAX_TASKS + 1)), lambda n: n, 2)
