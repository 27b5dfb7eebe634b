import os

import pytest

from helpers import CORPUS


@pytest.fixture
def corpus():
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus is not present")
    return CORPUS
