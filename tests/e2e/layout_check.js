// The layout check's measure (tests/e2e/test_layout_e2e.py): run in a map document (the app's or the offline
// file's); returns the collisions, clipped boxes and covered flank points, and the labels placed and dropped.
(() => {
  const app = window.Flankmap && Flankmap.map;
  const map = app ? Flankmap.map : FlankmapTimeline.map;
  const D = app ? Flankmap.shown.D : FlankmapTimeline.D;
  const layers = app ? Flankmap.countries : FlankmapTimeline.countryLayers();
  const R = window.FlankmapRuntime;
  const layout = app ? Flankmap.relayout() || Flankmap.layout : (FlankmapTimeline.relayout(), FlankmapTimeline.layout);
  const c = map.getContainer().getBoundingClientRect();
  const win = [0, 0, document.documentElement.clientWidth, document.documentElement.clientHeight];
  const cont = [Math.max(c.left, win[0]), Math.max(c.top, win[1]), Math.min(c.right, win[2]), Math.min(c.bottom, win[3])];
  const rect = (e) => { const q = e.getBoundingClientRect(); return [q.left, q.top, q.right, q.bottom]; };
  const shown = (e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0;
  const name = (e) => (e.getAttribute("data-label") || e.id || e.className.toString().split(" ").slice(0, 2).join(" "));
  const labels = [...document.querySelectorAll(".flankmap-label")].filter(shown).map(e => [name(e), rect(e)]);
  const boxes = [...document.querySelectorAll(R.LABEL_OBSTACLES)].filter(shown).map(e => [name(e), rect(e)]);
  // Boxes must leave the framed area's flank clear (what lies beyond the frame's bounds is context); labels all of it.
  const b = app ? (Flankmap.fitFrameBounds || Flankmap.mapConfig.bounds) : D.bounds;
  const fb = [map.latLngToContainerPoint(b[0]), map.latLngToContainerPoint(b[1])];
  const frame = [Math.min(fb[0].x, fb[1].x) + c.left, Math.min(fb[0].y, fb[1].y) + c.top,
    Math.max(fb[0].x, fb[1].x) + c.left, Math.max(fb[0].y, fb[1].y) + c.top];
  const pts = R.flankPoints(map, D, layers).map(p => [p[0] + c.left, p[1] + c.top])
    .filter(p => p[0] >= cont[0] && p[0] <= cont[2] && p[1] >= cont[1] && p[1] <= cont[3]);
  const over = (a, b) => a[0] < b[2] - 0.5 && a[2] > b[0] + 0.5 && a[1] < b[3] - 0.5 && a[3] > b[1] + 0.5;
  const inside = (p, r) => p[0] > r[0] && p[0] < r[2] && p[1] > r[1] && p[1] < r[3];
  const clipped = (r) => r[0] < cont[0] - 0.5 || r[1] < cont[1] - 0.5 || r[2] > cont[2] + 0.5 || r[3] > cont[3] + 0.5;
  const out = {collisions: [], clipped: [], covered: [], placed: layout.placed, dropped: layout.dropped};
  labels.forEach(([a, ra], i) => labels.slice(i + 1).forEach(([b, rb]) => { if (over(ra, rb)) out.collisions.push(a + " x " + b); }));
  labels.forEach(([a, ra]) => boxes.forEach(([b, rb]) => { if (over(ra, rb)) out.collisions.push(a + " under " + b); }));
  const framed = pts.filter(p => inside(p, frame));
  labels.concat(boxes).forEach(([a, r], i) => {
    if (clipped(r)) out.clipped.push(a + " " + JSON.stringify(r.map(Math.round)) + " in " + JSON.stringify(cont.map(Math.round)));
    const n = (i < labels.length ? pts : framed).filter(p => inside(p, r)).length;
    if (n) out.covered.push(n + " flank points under " + a);
  });
  return out;
})
