"""The RO-Crate: the rocrate package reads it, and it lists every export of a release folder."""

from __future__ import annotations

import json
from pathlib import Path

from exop.exporters import exporter_names, get_exporter
from exop.exporters.rocrate import METADATA, release_names
from exop.package import default_package

from ecosystem import no_network, require


def test_rocrate_reads_the_crate_and_finds_every_export(tmp_path: Path) -> None:
    rocrate = require("rocrate.rocrate")
    artifact = get_exporter("rocrate").render(default_package())
    (tmp_path / METADATA).write_bytes(artifact[METADATA])
    for path in release_names().values():
        target = tmp_path / path
        if path.endswith("/"):
            target.mkdir()
        else:
            target.write_text("", "utf-8")
    with no_network():
        crate = rocrate.ROCrate(tmp_path)
    ids = {entity.id for entity in crate.data_entities}
    assert ids == set(release_names().values())
    assert crate.root_dataset["license"] is not None
    assert crate.root_dataset["datePublished"]
    assert set(release_names()) == set(exporter_names()) - {"rocrate"}


def test_rebuild_is_byte_identical() -> None:
    first = get_exporter("rocrate").render(default_package())
    assert get_exporter("rocrate").render(default_package()) == first
    assert json.loads(first[METADATA])["@context"] == "https://w3id.org/ro/crate/1.1/context"
