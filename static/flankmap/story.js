// A briefing as an offline story: the one-file map (timeline.js) stepped through the briefing's slides.
// Arrow keys (and Page Up/Down, space) or the buttons step; the map date moves to each slide's date in about a
// second, and each day shows the slide's annotations valid on it (R.annotationsOn). Every word comes from the
// embedded JSON (written in Python) and is set with textContent: a stranger's text is never markup.
(function () {
  "use strict";
  var T = window.FlankmapTimeline, R = window.FlankmapRuntime;
  T.noHash = true; // the slide, not the fragment, says where the story is
  var S = JSON.parse(document.getElementById("fm-story-data").textContent);
  var D = T.D, map = T.map;
  var cur = -1, group = L.layerGroup().addTo(map), anim = null, ui = {};
  map.createPane("flankmapNotes").style.zIndex = 660; // the callouts' own pane, above the markers
  var shapes = { country: {}, border: {} };
  D.geo.countries.features.forEach(function (f) { shapes.country[f.properties.iso3] = f; });
  ((D.geo.borders && D.geo.borders.features) || []).forEach(function (f) { shapes.border[f.properties.segment_id] = f; });

  function el(tag, cls, text) { return R.el(tag, cls, text); }
  function banner(where) {
    var b = el("div", "fm-banner " + where, S.marking.text);
    b.style.color = S.marking.ink;
    b.style.background = S.marking.ground;
    b.setAttribute("role", "note");
    document.body.appendChild(b);
  }
  if (S.marking) {
    banner("top");
    banner("bottom");
    document.body.classList.add("fm-marked");
    setTimeout(function () { map.invalidateSize(); }, 0);
  }
  var panel = el("section", "fm-box");
  panel.id = "fm-story";
  panel.setAttribute("aria-live", "polite");
  ui.deck = el("p", "fm-muted", S.title + (S.byline ? " · " + S.byline : ""));
  ui.title = el("h2");
  ui.sub = el("p");
  ui.note = el("p", "fm-muted");
  var nav = el("div", "fm-story-nav");
  ui.prev = el("button", null, "◀ Previous");
  ui.next = el("button", null, "Next ▶");
  ui.count = el("span", "fm-muted");
  [ui.prev, ui.count, ui.next].forEach(function (n) { nav.appendChild(n); });
  [ui.deck, ui.title, ui.sub, ui.note, nav].forEach(function (n) { panel.appendChild(n); });
  document.getElementById("fm-frame").appendChild(panel);
  ui.prev.addEventListener("click", function () { go(cur - 1); });
  ui.next.addEventListener("click", function () { go(cur + 1); });

  function drawDay(day) {
    if (cur < 0) { group.clearLayers(); return; }
    var n = R.drawAnnotations(group, S.slides[cur].annotations, day, shapes, S.highlight, "flankmapNotes");
    document.body.setAttribute("data-flankmap-annotations", String(n));
    if (T.relayout) T.relayout(); // the labels make way for the callouts
  }
  T.onDay = drawDay;

  function animateTo(target) {
    if (anim) cancelAnimationFrame(anim);
    var from = R.parseISO(T.day()), to = R.parseISO(target), t0 = null, ms = 1000;
    if (from === to) { drawDay(target); return; }
    var tick = function (t) {
      if (t0 === null) t0 = t;
      var k = Math.min(1, (t - t0) / ms);
      T.setDay(R.iso(Math.round(from + (to - from) * k)));
      anim = k < 1 ? requestAnimationFrame(tick) : null;
    };
    anim = requestAnimationFrame(tick);
  }
  function go(i) {
    if (i < 0 || i >= S.slides.length || i === cur) return;
    var first = cur < 0;
    cur = i;
    var s = S.slides[i];
    ui.title.textContent = s.title || document.getElementById("fm-title-main").textContent;
    ui.sub.textContent = s.subtitle || "";
    ui.note.textContent = s.differs ? S.words.other_fill : "";
    ui.count.textContent = R.fmt(S.words.slide, { n: i + 1, total: S.slides.length });
    ui.prev.disabled = i === 0;
    ui.next.disabled = i === S.slides.length - 1;
    document.body.setAttribute("data-flankmap-slide", String(i + 1));
    map.fitBounds(s.bounds);
    if (first) { T.setDay(s.date); drawDay(s.date); } else animateTo(s.date);
  }
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" && e.target.type !== "range") return;
    if (tag === "SELECT") return;
    var step = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[e.key];
    if (e.key === "Home") step = -cur;
    if (e.key === "End") step = S.slides.length - 1 - cur;
    if (step === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    go(cur + step);
  }, true);
  go(0);
  window.focus(); // inside the app's presentation frame: the arrow keys reach the story at once
  window.__flankmapStoryReady = true;
})();
