"""Tests of kg.cluster: the spaCy pass on a local two-CPU Ray cluster gives what one process gives."""

from __future__ import annotations

import builtins
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.errors import ClusterError
from kg.export import to_dict
from kg.extract.merge import read
from kg.model import Field, QAItem
from kg.parse import parse_file
from kg.pipeline import KeepRelations, build_bank
from kg.relations import load_relation_table
from tests.shared import SHARED

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "questions.md"

try:
    import ray
except ImportError:
    ray = None

# Ray Data sets its own deprecated options when it starts a dataset.
pytestmark = pytest.mark.filterwarnings(r"ignore::DeprecationWarning:ray\.data\..*")

needs_ray = pytest.mark.skipif(ray is None, reason='Ray is not installed: pip install -e ".[cluster]"')


def test_cluster_without_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import cluster

    real_import = builtins.__import__

    def no_ray(name: str, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    message = 'Ray is not installed; install the cluster extra: pip install "kg[cluster]"'
    with pytest.raises(ClusterError) as caught:
        cluster.connect("local")
    assert str(caught.value) == message


@pytest.fixture(scope="module")
def local_ray():
    """A Ray of two CPUs on this machine, whose workers import this checkout's kg."""
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_worker_niceness", "0")  # as kg --ray local: workers not starved by other work
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
            runtime_env={"env_vars": {"PYTHONPATH": path}},
        )
        # The planted faults below are sent to the workers by value: this module is not importable there.
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
        try:
            yield
        finally:
            ray.shutdown()


@pytest.mark.cluster
@needs_ray
@pytest.mark.parametrize(
    "path", [SEED, pytest.param(SHARED, marks=pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} is absent"))],
    ids=["seed", "iamtodor"],
)
def test_cluster_export_is_the_same_as_in_one_process(local_ray, nlp, path: Path) -> None:
    from kg.cluster import read_on_ray

    items = parse_file(path)
    alone = to_dict(build_bank(items, nlp))
    on_ray = to_dict(build_bank(items, nlp, reader=read_on_ray, n_process=2))
    assert on_ray == alone


@dataclass(frozen=True)
class PlantedFaults:
    """Relations as usual, except on a Ray worker: the item ``fails`` raises every time, and the item
    ``dies`` ends its worker's process the first time (``marker`` records that it did)."""

    inner: KeepRelations
    driver: int
    fails: str
    dies: str
    marker: str

    def __call__(self, item: QAItem, fld: Field, doc):
        if os.getpid() != self.driver:
            if item.id == self.fails:
                raise ValueError("planted")
            if item.id == self.dies and not os.path.exists(self.marker):
                Path(self.marker).touch()
                os._exit(1)
        return self.inner(item, fld, doc)


@pytest.mark.cluster
@needs_ray
def test_cluster_failed_part_is_read_here_and_dead_worker_retried(
    local_ray, nlp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kg.cluster import read_on_ray

    items = parse_file(SEED)
    keep = PlantedFaults(KeepRelations(load_relation_table()), os.getpid(), items[3].id, items[25].id,
                         str(tmp_path / "died"))
    with caplog.at_level(logging.WARNING, logger="kg.cluster"):
        readings = read_on_ray(items, nlp, keep=keep, n_process=2)
    assert readings == read(items, nlp, keep=keep)
    assert (tmp_path / "died").exists()  # the worker died once, and its part was read again on Ray
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.cluster"]
    assert len(warnings) == 1
    assert "the cluster could not read this part (ValueError: planted); reading it here" in warnings[0]
    assert warnings[0].startswith(f"{items[0].source}:")
