"""Publish what the browser fetches once per map to ``static/geo/``, where the app serves it.

- ``countries.geojson`` and ``border_segments.geojson``: byte-for-byte copies of ``data/geo/``;
- ``map_static.json``: ``flankmap.render.leaflet.static_config()`` (border styles and hover text, labels);
- ``timeline_<fill>.json``: ``flankmap.view.publish.published_intervals(fill)``, the whole timeline the map's runtime
  looks dates up in (one file per fill, fetched once per session when that fill is first shown); for the
  Convention on Cluster Munitions ``timeline_ccm_<fill>.json``.

Data tests check both stay equal to their sources. Run after rebuilding ``data/`` (``make data``).
"""

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flankmap.render import leaflet  # noqa: E402
from flankmap.view import publish, urlstate  # noqa: E402

FILES = ("countries.geojson", "border_segments.geojson")


def main() -> int:
    target = REPO / "static" / "geo"
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(REPO / "data" / "geo" / name, target / name)
        print(f"copied data/geo/{name} -> static/geo/{name}")
    (target / "map_static.json").write_text(static_config_text(), encoding="utf-8")
    print("wrote static/geo/map_static.json")
    for treaty in urlstate.TREATIES:
        for fill in urlstate.FILLS:
            (target / leaflet.timeline_file(fill, treaty)).write_text(timeline_text(fill, treaty), encoding="utf-8")
            print(f"wrote static/geo/{leaflet.timeline_file(fill, treaty)}")
    return 0


def timeline_text(fill: str, treaty: str = urlstate.DEFAULT_TREATY) -> str:
    """The exact text of timeline_<fill>.json (timeline_ccm_<fill>.json for the CCM; compact: it is the largest
    file the map fetches)."""
    data = publish.published_intervals(fill, treaty_key=treaty)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def static_config_text() -> str:
    """The exact text of map_static.json (sorted keys, so rebuilds are byte-identical)."""
    return json.dumps(leaflet.static_config(), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


if __name__ == "__main__":
    sys.exit(main())
