"""The suite's own layout: pytest imports test modules by basename (rootdir
mode, no packages), so two files with one name stop collection on a clean
checkout even when a warm ``__pycache__`` hides it locally."""

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent


def test_every_test_module_has_its_own_basename():
    where = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        where[path.name].append(path.relative_to(TESTS).as_posix())
    clashes = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert not clashes, f"test modules sharing a basename: {clashes}"
