"""The spaCy pass on a Ray cluster, for banks past what one machine reads in good time.

:func:`read_on_ray` is a reader for :func:`kg.pipeline.build_bank` (``reader=read_on_ray``): the bank is
cut into parts (:func:`kg.extract.merge.parts`), the parts become a Ray Data dataset, and a pool of
actors, each holding the English pipeline loaded once (:func:`kg.extract.load_nlp`), reads them with
``map_batches`` and sends back one :class:`~kg.extract.merge.Reading` per item. The driver puts the
readings back in the bank's order; everything else (parsing the markdown, merging concepts, the graph,
topics, embeddings and pairs) runs in the driver as without Ray. The readings are the same as
:func:`kg.extract.merge.read` gives in one process.

Ray is an optional dependency (``pip install "kg[cluster]"``), imported only here and only when asked for.

Faults: Ray restarts a worker that dies and runs its part again, once; a part that raises is read again
once by its worker. A part that still fails is named (file and line of its first and last item) in a
warning and read in the driver, as :func:`kg.extract.merge.read` does for a local process that dies; the
other parts keep what the cluster read.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ClusterError
from kg.extract.language import foreign_sources
from kg.extract.merge import PartReadings, Reading, _read_serial, parts, warn_over_length
from kg.model import Field, QAItem

log = logging.getLogger("kg.cluster")

INSTALL = 'pip install "kg[cluster]"'
ADDRESS_ENV = "KG_RAY_ADDRESS"
PARTS_PER_WORKER = 4  # more parts than workers: progress moves, and a slow part does not hold the rest up
BATCH_SIZE = 64

Keep = Callable[[QAItem, Field, Doc], Iterable]


def _ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401  (the part of Ray the extra installs beside the core)
    except ImportError as exc:
        raise ClusterError(f"Ray is not installed; install the cluster extra: {INSTALL}") from exc
    return ray


def connect(address: str | None = None) -> None:
    """Join a Ray cluster, unless this process already has.

    ``address`` is ``"auto"`` (the cluster ``ray start --head`` started on this machine or that
    ``RAY_ADDRESS`` names), ``"local"`` (a new one-machine cluster for this process only), or a
    cluster's address (``ray://head:10001``, ``head:6379``). ``None`` takes ``$KG_RAY_ADDRESS``, else
    ``"auto"``.

    Raises
    ------
    ClusterError
        Ray is not installed, or no cluster answers at the address.
    """
    ray = _ray()
    if ray.is_initialized():
        return
    address = address or os.environ.get(ADDRESS_ENV) or "auto"
    if address == "local":
        # Ray runs workers at nice 15 to keep its driver responsive; here they are the work itself, and
        # on a machine doing anything else at nice 0 a second worker would gain next to nothing.
        os.environ.setdefault("RAY_worker_niceness", "0")
    try:
        # Workers' logs stay on the workers: the driver logs what a read tells the user (long texts).
        ray.init(
            address=None if address == "local" else address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(f"cannot join the Ray cluster at {address!r}: {exc}") from exc


def signature(nlp: Language) -> str:
    """What must match between the driver and the workers for the readings to be the same: the pipeline
    and kg's own code (:func:`kg.cachefile.code_digest`)."""
    from kg.cachefile import code_digest

    meta = nlp.meta
    return (f"{meta.get('lang', '')}_{meta.get('name', '')} {meta.get('version', '')} "
            f"max_length {nlp.max_length}, kg code {code_digest()[:12]}")


class PartReader:
    """A Ray Data worker: loads the pipeline once, then reads the parts it is given into readings.

    A part that raises is read once more; if it fails again the error goes back as text in place of
    its readings, so the driver can name it and the other parts still complete.
    """

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        from kg.extract import load_nlp

        self.nlp = load_nlp()
        self.signature = signature(self.nlp)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: dict[str, list] = {"part": [], "readings": [], "error": [], "signature": []}
        for part, blob in zip(batch["part"], batch["items"]):
            keep, items, foreign = pickle.loads(blob)
            readings, error = b"", ""
            for _attempt in range(2):  # once more: a fault may pass
                try:
                    readings = pickle.dumps(_read_serial(items, self.nlp, keep, None, self.batch_size, foreign))
                    error = ""
                    break
                except Exception as exc:  # any failure of a part is reported, not raised
                    error = f"{type(exc).__name__}: {exc}"
            out["part"].append(int(part))
            out["readings"].append(readings)
            out["error"].append(error)
            out["signature"].append(self.signature)
        return out


def _where(items: Sequence[QAItem]) -> str:
    first, last = items[0], items[-1]
    if first.source == last.source:
        return f"{first.source}:{first.line}-{last.line}"
    return f"{first.source}:{first.line} to {last.source}:{last.line}"


def read_on_ray(
    items: Sequence[QAItem],
    nlp: Language,
    *,
    keep: Keep | None = None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
    progress: Callable[[int], None] | None = None,
    n_process: int = 0,
) -> list[Reading]:
    """One :class:`~kg.extract.merge.Reading` per item, in order, read by workers of a Ray cluster.

    Joins the cluster of ``$KG_RAY_ADDRESS`` (else ``"auto"``) unless :func:`connect` was called.
    ``n_process`` is the number of workers; below 1, one per CPU of the cluster. ``keep`` is sent to
    the workers with cloudpickle (:class:`kg.pipeline.KeepRelations` is a plain object); ``nlp`` stays
    here: each worker loads the same pipeline with :func:`kg.extract.load_nlp`, and a worker whose pipeline
    or kg differs from this process's is an error, as its readings would differ.

    Notes
    -----
    Starting the workers costs a few seconds (each loads the pipeline, about a second and 200 MB);
    below a few thousand texts the local reader is faster.

    Raises
    ------
    ClusterError
        Ray is missing, no cluster answers, or the workers' pipeline is not ``nlp``.
    """
    if on_doc is not None:
        raise ValueError("read_on_ray sends back readings, not docs: on_doc needs the local reader")
    if not items:
        return []
    ray = _ray()
    connect()
    workers = n_process if n_process >= 1 else max(1, int(ray.cluster_resources().get("CPU", 1)))
    cuts = parts(items, workers * PARTS_PER_WORKER)
    # The workers' own warnings stay on the workers; these are the ones reading tells the user.
    warn_over_length(items, nlp.max_length)
    foreign = foreign_sources(items)  # of whole files, before the split into parts

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    # Ray Data's notes on how it runs (progress bars off, a dataset finished) are not for kg's user.
    quiet = logging.getLogger("ray.data")
    quiet.setLevel(max(logging.ERROR, quiet.level))
    # Each part carries ``keep`` (a few kB): an actor started again needs no argument kept elsewhere.
    rows = [
        {"part": n, "items": ray.cloudpickle.dumps((keep, list(items[a:b]), foreign))} for n, (a, b) in enumerate(cuts)
    ]
    dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
        PartReader,
        batch_size=1,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=min(workers, len(cuts))),
        num_cpus=1,
        # A worker that dies is started again and its part read again, once.
        max_restarts=1,
        max_task_retries=1,
    )

    found = PartReadings(items, cuts, progress, foreign)

    expected = signature(nlp)
    try:
        for row in dataset.iter_rows():
            n = int(row["part"])
            if row["signature"] != expected:
                raise ClusterError(
                    f"the Ray workers run {row['signature']}, this process {expected}; "
                    "install the same kg and spaCy pipeline on every node"
                )
            if row["error"]:
                a, b = cuts[n]
                log.warning("%s: the cluster could not read this part (%s); reading it here",
                            _where(items[a:b]), row["error"])
                continue
            found.add(n, pickle.loads(row["readings"]))
    except ClusterError:
        raise
    except Exception as exc:  # a worker lost twice fails the dataset; keep what came back
        log.warning("the Ray cluster stopped reading the bank (%s: %s); reading %d of %d parts here",
                    type(exc).__name__, exc, found.missing(), len(cuts))
    return found.finish(nlp, keep, BATCH_SIZE)
