"""The map's geometry for the static renderer: read and reprojected once per data version, as matplotlib paths."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.view import urlstate

CRS = "EPSG:3035"


# --------------------------------------------------------------------------------------------------------------
# Geometry, once per process
# --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Geometry:
    country_paths: dict  # iso3 -> matplotlib Path (EPSG:3035 metres)
    names: dict  # iso3 -> display name
    border_lines: dict  # focus -> list of (n, 2) arrays
    suwalki_mid: tuple[float, float]  # a point on the Suwałki Gap segment
    kaliningrad_label: tuple[float, float]  # lon, lat
    transformer: object  # pyproj Transformer lon/lat -> EPSG:3035


def _rings_path(geom) -> MplPath:
    """One compound path for a (Multi)Polygon: exteriors and holes (even-odd filling handles the holes)."""
    verts, codes = [], []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(ring_codes)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _line_arrays(geom) -> list[np.ndarray]:
    return [np.asarray(part.coords)[:, :2] for part in getattr(geom, "geoms", [geom])]


def _load_geometry(data_dir: Path) -> _Geometry:
    """Read the GeoJSON, reproject to EPSG:3035 and build matplotlib paths (the slow part, done once)."""
    from pyproj import Transformer

    countries = load.countries_geo(data_dir).to_crs(CRS)
    lines = load.borders_geo(data_dir).to_crs(CRS)
    focus = load.table(schemas.BORDER_SEGMENTS, data_dir).set_index("segment_id")["focus"]
    border_lines: dict[str, list] = {}
    suwalki_mid = None
    for row in lines.itertuples():
        key = focus.get(row.segment_id, "other")
        border_lines.setdefault(key, []).extend(_line_arrays(row.geometry))
        if key == "suwalki":
            point = row.geometry.interpolate(0.5, normalized=True)
            suwalki_mid = (point.x, point.y)
    transformer = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    kaliningrad = (21.41, 54.81)
    kal_path = Path(data_dir) / load.GEO_DIR_NAME / "kaliningrad.geojson"
    if kal_path.exists():
        import geopandas as gpd

        kal = gpd.read_file(kal_path)
        if {"label_lon", "label_lat"} <= set(kal.columns) and len(kal):
            kaliningrad = (float(kal["label_lon"].iloc[0]), float(kal["label_lat"].iloc[0]))
    if suwalki_mid is None:  # no suwalki segment in the data: fall back to the middle of the two tripoints
        suwalki_mid = transformer.transform(23.15, 54.15)
    return _Geometry(
        country_paths={row.iso3: _rings_path(row.geometry) for row in countries.itertuples()},
        names=dict(zip(countries["iso3"], countries["name"], strict=True)),
        border_lines=border_lines,
        suwalki_mid=suwalki_mid,
        kaliningrad_label=kaliningrad,
        transformer=transformer,
    )


@lru_cache(maxsize=4)
def _geometry_cached(data_dir: str, version: str) -> _Geometry:
    return _load_geometry(Path(data_dir))


def _geometry(data_dir: Path) -> _Geometry:
    return _geometry_cached(*load.cache_key(data_dir))


def warm_up(data_dir: Path = DATA_DIR) -> None:
    """Load and reproject the geometry now (first render otherwise pays for it)."""
    _geometry(data_dir)


def _extent(geo: _Geometry, area: str, box_w: float, box_h: float) -> tuple[float, float, float, float]:
    """x0, x1, y0, y1 in EPSG:3035 covering the area's lon/lat bounds, widened to the map box's aspect."""
    (lat0, lon0), (lat1, lon1) = urlstate.area(area).bounds
    lons = np.r_[np.linspace(lon0, lon1, 25), np.full(25, lon1), np.linspace(lon1, lon0, 25), np.full(25, lon0)]
    lats = np.r_[np.full(25, lat0), np.linspace(lat0, lat1, 25), np.full(25, lat1), np.linspace(lat1, lat0, 25)]
    xs, ys = geo.transformer.transform(lons, lats)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    if w / h < box_w / box_h:
        w = h * box_w / box_h
    else:
        h = w * box_h / box_w
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
