"""`collect --shard i/N` on several machines, `bundle merge` after: the unsharded bundle."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from gatekeeper.collect.options import CollectOptions, run_collection
from gatekeeper.collect.partition import Shard
from gatekeeper.collect.shard import load_shard, merge_shards
from gatekeeper.collect.testing.server import LoopbackServer
from gatekeeper.errors import InvalidInput

from .helpers import DIGEST, comparable


def _options(server: LoopbackServer, cache: Path) -> CollectOptions:
    return CollectOptions(model="openai/objector", api_base=server.url, samples=2,
                          temperature=0.7, no_calibration=True, quiet=True, cache_dir=cache)


def _shards(server: LoopbackServer, folder: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        path = folder / f"shard-{index}.json"
        # each task has its own machine, so its own cache directory
        options = replace(_options(server, folder / f"cache-{index}"),
                          shard=Shard(index, count), concurrency=4 + index)
        run_collection(options, path, DIGEST)
        paths.append(path)
    return paths



def test_merged_shards_give_the_unsharded_bundle_without_asking_again(
    server: LoopbackServer, tmp_path: Path
) -> None:
    whole = run_collection(_options(server, tmp_path / "whole"), tmp_path / "whole.json", DIGEST)
    paths = _shards(server, tmp_path, 3)
    assert sorted(load_shard(p).shard.index for p in paths) == [0, 1, 2]
    asked = server.log.requests
    merged = merge_shards(paths, tmp_path / "merged.json", cache_dir=tmp_path / "merge")
    assert server.log.requests == asked, "the merge asked the provider again"
    assert whole is not None and merged.stats.hits == len(merged.specs) == len(whole.specs)
    assert comparable(merged.bundle) == comparable(whole.bundle)
    starts = [json.loads(p.read_text())["started_at"] for p in paths]
    assert merged.bundle["collection"]["started_at"] == min(starts)


def test_merge_refuses_a_changed_shard_a_missing_one_and_another_collection(
    server: LoopbackServer, tmp_path: Path
) -> None:
    paths = _shards(server, tmp_path, 2)
    out, cache = tmp_path / "merged.json", tmp_path / "merge"
    with pytest.raises(InvalidInput, match=r"shards 0\.\.1"):
        merge_shards(paths[:1], out, cache_dir=cache)
    document = json.loads(paths[1].read_text())
    document["records"][0]["record"]["replies"][-1] += " (edited)"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    with pytest.raises(InvalidInput, match="digest"):
        merge_shards([paths[0], tampered], out, cache_dir=cache)
    other = replace(_options(server, tmp_path / "other"), temperature=0.9, shard=Shard(1, 2))
    run_collection(other, tmp_path / "other.json", DIGEST)
    with pytest.raises(InvalidInput, match="not the same collection"):
        merge_shards([paths[0], tmp_path / "other.json"], out, cache_dir=cache)
    assert not out.exists()


def test_shards_partition_the_sample_ids_and_refuse_a_bad_position(core_suite) -> None:
    from gatekeeper.collect.plan import Sampling, expand

    ids = [s.id for s in expand([core_suite], Sampling(3, (0, 1), 0.7))]
    owners = [[i for i in range(4) if Shard(i, 4).holds(sample)] for sample in ids]
    assert all(len(owner) == 1 for owner in owners)
    assert {owner[0] for owner in owners} == {0, 1, 2, 3}
    assert Shard.parse(" 2/4 ") == Shard(2, 4)
    for bad in ("4/4", "1", "-1/3", "a/b"):
        with pytest.raises(InvalidInput):
            Shard.parse(bad)
