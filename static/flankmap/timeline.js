/* Flankmap timeline runtime: the whole 1997-today timeline in the browser, no server and no network.
 *
 * Python (flankmap/domain/intervals.py, flankmap/render/html_file.py) computes everything once: per country the status
 * intervals with their tooltip lines and style index, the States-Parties count and the legend as intervals,
 * the key dates, the spending figures by year and every style (from flankmap/view/symbology.py). This file only
 * looks up the interval holding the selected day and applies what it finds; it never decides a status.
 * The one thing computed here is the countdown ("N days until effective"), from the interval's effective
 * date. Every data text is written as DOM text (textContent), never parsed as HTML; the only HTML strings
 * (border tooltips and fixed map labels) were escaped in Python.
 *
 * Test contract (as in the app): country paths carry `flankmap-country iso3-XXX`, border paths
 * `flankmap-border segment-<id>`, and `body[data-flankmap-date]` holds the day shown.
 */
(function () {
  "use strict";
  var F = (window.FlankmapTimeline = {});
  var R = window.FlankmapRuntime; // the lookups, shared with the app's map (static/flankmap/runtime.js)
  var D, map, first, last, day = null;
  var countries = {}; // iso3 -> {layer, name, iv: [{a, b, ...}], cur: index of the interval shown}
  var leafletStyles = [];
  var ui = {};
  var legendShown = null, flagKey = null, dayLabels = null;
  var hashTimer = null, playing = null, lastHash = location.hash;
  var parseISO = R.parseISO, iso = R.iso, fmt = R.fmt, el = R.el;

  // ---- the step ---------------------------------------------------------------------------------------------
  function applyDay(n) {
    day = n;
    var counts = {}, flags = [];
    Object.keys(countries).forEach(function (iso3) {
      var c = countries[iso3];
      var i = R.find(c.iv, n), iv = c.iv[i];
      c.cur = i;
      var si = R.styleIndex(D, c, iv, n);
      if (si !== c.style) {
        c.style = si;
        c.layer.setStyle(leafletStyles[si]);
        if (c.layer._path) c.layer._path.setAttribute("data-status", iv ? iv.code : "");
      }
      if (iv) {
        counts[iv.code] = (counts[iv.code] || 0) + 1;
        if (iv.flag_label) flags.push(iso3);
      }
      if (c.layer.isTooltipOpen()) c.layer.setTooltipContent(R.tooltipNode(D, c, iv, n));
    });
    drawTitle(n);
    drawLegend(n);
    drawFlags(flags);
    ui.slider.value = String(n - first);
    ui.slider.setAttribute("aria-valuetext", iso(n));
    if (document.activeElement !== ui.dateField) ui.dateField.value = iso(n);
    ui.permalink.textContent = D.credits.permalink.replace(/([?&]date=)[0-9-]+/, "$1" + iso(n));
    document.body.setAttribute("data-flankmap-date", iso(n));
    scheduleHash();
    if (F.onDay) F.onDay(iso(n)); // a briefing story draws the day's annotations (static/flankmap/story.js)
  }

  function drawTitle(n) {
    var h = R.heading(D, n);
    if (ui.titleMain.textContent !== h.title) ui.titleMain.textContent = h.title;
    var subs = h.subs.concat(h.warning ? [h.warning] : []).join("\n");
    if (ui.titleSub.textContent !== subs) ui.titleSub.textContent = subs;
  }

  function drawLegend(n) {
    var entries = R.legend(D, n);
    if (entries === legendShown) return;
    legendShown = entries;
    R.clear(ui.legendBody);
    R.legendRows(D, entries, ui.legendBody);
    relayout(); // the legend is an obstacle: its size may have changed
  }

  function drawFlags(isoList) {
    var key = D.fill === "status" && D.layers.labels ? isoList.join(",") + "|" + isoList.map(function (iso3) {
      return countries[iso3].cur;
    }).join(",") : "";
    if (key === flagKey) return;
    flagKey = key;
    var flags = {};
    isoList.forEach(function (iso3) {
      var c = countries[iso3], iv = c.iv[c.cur];
      flags[iso3] = D.fill === "status" ? iv.flag_label : null;
    });
    dayLabels = R.labels(D, flags, D.layers);
    relayout();
  }
  function layers() {
    var out = {};
    Object.keys(countries).forEach(function (iso3) { out[iso3] = countries[iso3].layer; });
    return out;
  }
  function relayout() {
    if (map && dayLabels) F.layout = R.layoutLabels(map, D, dayLabels, layers());
  }
  F.relayout = relayout;

  // ---- the date in the fragment (#date=YYYY-MM-DD), both ways ---------------------------------------------
  function scheduleHash() {
    // Browsers throttle history updates (~100 per 10 s): while playing or dragging, write at most 4 a second.
    if (hashTimer) return;
    hashTimer = setTimeout(writeHash, playing ? 250 : 60);
  }
  function writeHash() {
    hashTimer = null;
    if (F.noHash) return; // a story steps by slides (and inside an app's srcdoc frame a write would navigate)
    var want = "#date=" + iso(day);
    // Someone changed the fragment since we last wrote it (a typed link, the back button): its hashchange
    // event is on its way and wins; never write over it.
    if (location.hash !== lastHash) return;
    lastHash = want;
    if (location.hash === want) return;
    try {
      history.replaceState(history.state, "", want);
    } catch (e) {
      location.replace(want);
    }
  }
  function readHash(initial) {
    var m = /(?:^#|&)date=([^&]*)/.exec(location.hash || "");
    if (!m) return initial ? parseISO(D.day) : null;
    var raw = decodeURIComponent(m[1]), n = parseISO(raw);
    if (n === null) {
      note(fmt(D.texts.bad_date, { value: raw.slice(0, 40), shown: iso(day === null ? parseISO(D.day) : day) }));
      return day === null ? parseISO(D.day) : null;
    }
    if (n < first || n > last) {
      var clamped = Math.min(Math.max(n, first), last);
      note(fmt(D.texts.out_of_range, { value: raw, shown: iso(clamped), first: iso(first), last: iso(last) }));
      return clamped;
    }
    return n;
  }
  function note(text) {
    ui.note.textContent = text;
    ui.note.hidden = false;
  }

  // ---- timeline controls -----------------------------------------------------------------------------------
  function setDay(n) {
    n = Math.min(Math.max(n, first), last);
    if (n !== day) applyDay(n);
  }
  F.setDay = function (text) { setDay(parseISO(text)); };
  F.day = function () { return iso(day); };
  // F.map (the Leaflet map) and F.D (the data) are set once the map is made (see setup): the story's annotations
  // and the layout check use them.

  function keyStep(dir) {
    var target = null;
    D.keyR.forEach(function (k) {
      if (dir > 0 && k.n > day && target === null) target = k.n;
      if (dir < 0 && k.n < day) target = k.n;
    });
    if (target !== null) setDay(target);
  }

  function stop() {
    if (!playing) return;
    cancelAnimationFrame(playing.raf);
    playing = null;
    ui.play.textContent = D.texts.play;
    ui.play.setAttribute("aria-pressed", "false");
    writeHash();
  }
  function play(opts) {
    opts = opts || {};
    stop();
    var speed = opts.speed || ui.speed.value;
    var end = opts.to ? parseISO(opts.to) : last;
    if (day >= end) setDay(opts.from ? parseISO(opts.from) : first);
    playing = { speed: speed, end: end, t0: null, acc: 0 };
    ui.play.textContent = D.texts.pause;
    ui.play.setAttribute("aria-pressed", "true");
    var tick = function (t) {
      if (!playing) return;
      var steps = 1;
      if (playing.speed !== "frame") {
        // N days per second, one day at a time: no day is skipped, however slow the frame.
        if (playing.t0 === null) playing.t0 = t;
        playing.acc += ((t - playing.t0) / 1000) * Number(playing.speed);
        playing.t0 = t;
        steps = Math.min(Math.floor(playing.acc), 1);
        playing.acc = Math.min(playing.acc - steps, 1); // a slow frame delays the next day, never skips one
      }
      if (steps) {
        setDay(day + 1);
        if (F.trace) F.trace.push(iso(day));
      }
      if (day >= playing.end) return stop();
      playing.raf = requestAnimationFrame(tick);
    };
    playing.raf = requestAnimationFrame(tick);
  }
  F.play = play;
  F.stop = stop;
  F.playing = function () { return !!playing; };

  function buildTimeline() {
    var bar = document.getElementById("fm-timeline");
    ui.slider = document.getElementById("fm-slider");
    ui.slider.min = "0";
    ui.slider.max = String(last - first);
    ui.slider.step = "1";
    ui.slider.addEventListener("input", function () { setDay(first + Number(ui.slider.value)); });
    ui.dateField = document.getElementById("fm-date");
    ui.dateField.min = iso(first);
    ui.dateField.max = iso(last);
    ui.dateField.addEventListener("change", function () {
      var n = parseISO(ui.dateField.value);
      if (n === null) {
        note(fmt(D.texts.bad_date, { value: ui.dateField.value.slice(0, 40), shown: iso(day) }));
        ui.dateField.value = iso(day);
        return;
      }
      ui.note.hidden = true;
      setDay(n);
    });
    ui.play = document.getElementById("fm-play");
    ui.play.addEventListener("click", function () { return playing ? stop() : play(); });
    ui.speed = document.getElementById("fm-speed");
    ui.speed.addEventListener("change", function () { if (playing) play(); });
    document.getElementById("fm-prev").addEventListener("click", function () { keyStep(-1); });
    document.getElementById("fm-next").addEventListener("click", function () { keyStep(1); });
    // Key dates marked on the track, each a button that jumps there.
    var ticks = document.getElementById("fm-ticks");
    D.keyR.forEach(function (k) {
      var b = el("button", "tick");
      b.type = "button";
      b.title = k.date + ": " + k.label;
      b.setAttribute("aria-label", "Key date " + k.date + ": " + k.label);
      b.tabIndex = -1;
      b.style.left = (100 * (k.n - first)) / (last - first) + "%";
      b.addEventListener("click", function () { setDay(k.n); });
      ticks.appendChild(b);
    });
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.disableScrollPropagation(bar);
  }

  // ---- start -----------------------------------------------------------------------------------------------
  F.start = function (data) {
    D = R.prepare(data);
    first = D.firstN;
    last = D.lastN;
    leafletStyles = D.leafletStyles;
    ui.titleMain = document.getElementById("fm-title-main");
    ui.titleSub = document.getElementById("fm-title-sub");
    ui.legendBody = document.getElementById("fm-legend-body");
    ui.note = document.getElementById("fm-note");
    ui.permalink = document.getElementById("fm-permalink");
    document.getElementById("fm-attrib-text").textContent = D.credits.attribution;
    document.getElementById("fm-source").textContent = D.credits.source;
    document.getElementById("fm-generated").textContent = D.credits.generated;
    var legendBox = document.getElementById("fm-legend");
    if (window.innerWidth < 700) {
      legendBox.classList.add("folded"); // a phone: the map first, the legend one tap away
      document.getElementById("fm-legend-toggle").setAttribute("aria-expanded", "false");
    }
    document.getElementById("fm-legend-toggle").addEventListener("click", function () {
      var folded = legendBox.classList.toggle("folded");
      this.setAttribute("aria-expanded", folded ? "false" : "true");
      relayout();
    });

    map = L.map("fm-map", { zoomSnap: 0.25, minZoom: 3, maxZoom: 12, zoomControl: false, attributionControl: false });
    L.control.zoom({ position: "topright" }).addTo(map);
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);
    F.map = map;
    F.D = D;
    F.countryLayers = layers;
    F.fit = function (bounds) {
      D.bounds = bounds || D.bounds;
      map.fitBounds(D.bounds, R.boxPadding(map)); // the framed area clear of the boxes
    };
    map.fitBounds(D.bounds);
    map.createPane("flankmapBorders").style.zIndex = 450;
    map.createPane("flankmapLabels").style.zIndex = 650;
    var names = {};
    L.geoJSON(D.geo.countries, {
      style: function () { return leafletStyles[D.no_data_style]; },
      onEachFeature: function (feature, layer) {
        var iso3 = feature.properties.iso3, info = R.country(D, iso3, feature.properties.name);
        layer.options.className = "flankmap-country iso3-" + iso3;
        var c = { iso3: iso3, layer: layer, name: info.name, iv: info.iv, cur: -1, style: null };
        countries[iso3] = c;
        names[iso3] = c.name;
        layer.bindTooltip(function () { return R.tooltipNode(D, c, c.iv[c.cur], day); }, {
          sticky: true,
          className: "flankmap-tip",
        });
      },
    }).addTo(map);
    if (D.layers.borders) {
      L.geoJSON(D.geo.borders, {
        pane: "flankmapBorders",
        style: function (f) {
          var i = D.borders[f.properties.segment_id];
          return R.lineOptions(D.styles[i === undefined ? D.border_default : i]);
        },
        onEachFeature: function (feature, layer) {
          var id = feature.properties.segment_id;
          layer.options.className = "flankmap-border segment-" + id;
          layer.options.pane = "flankmapBorders";
          // Escaped in Python (html.escape on every field); fixed text, not per-date data.
          layer.bindTooltip(D.border_tips[id] || id, { sticky: true, className: "flankmap-tip" });
        },
      }).addTo(map);
    }
    map.on("zoomend moveend resize", relayout);
    R.addPatterns(map, D.hatches);
    buildTimeline();
    applyDay(readHash(true));
    F.fit(); // the boxes have their text now
    window.addEventListener("resize", function () { F.fit(); });
    window.addEventListener("hashchange", function () {
      lastHash = location.hash;
      var n = readHash(false);
      if (n !== null) setDay(n);
    });
    window.__flankmapReady = true;
  };
})();
