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
 * The timeline control (slider, key dates, play, typed date) is static/flankmap/control.js, the control the app's
 * map page runs too; this file wires it to the map and to the fragment (#date=YYYY-MM-DD).
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
  var hashTimer = null, lastHash = location.hash, ctl = null;
  var parseISO = R.parseISO, iso = R.iso, fmt = R.fmt, el = R.el;

  // ---- the step ---------------------------------------------------------------------------------------------
  function applyDay(n, how) {
    day = n;
    if (how === "play" && F.trace) F.trace.push(iso(n));
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
    hashTimer = setTimeout(writeHash, ctl && ctl.playing() ? 250 : 60);
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

  // ---- the timeline control (static/flankmap/control.js, shared with the app's map page) ---------------------
  F.setDay = function (text) { ctl.setDay(parseISO(text), "api"); };
  F.day = function () { return iso(day); };
  // F.map (the Leaflet map) and F.D (the data) are set once the map is made (see start): the story's annotations
  // and the layout check use them.
  F.play = function (opts) { ctl.play(opts); };
  F.stop = function () { ctl.stop(); };
  F.playing = function () { return ctl.playing(); };

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
    var start = readHash(true);
    ctl = window.FlankmapControl.create(document.getElementById("fm-timeline"), {
      first: D.first,
      last: D.last,
      day: iso(start),
      keys: D.key_dates,
      texts: D.control.texts,
      speeds: D.control.speeds,
      speed: D.control.speed,
      pause_ms: D.control.pause_ms,
      onDay: applyDay,
      onSettle: function () {
        if (hashTimer) clearTimeout(hashTimer);
        writeHash();
      },
      note: function (text) {
        ui.note.textContent = text;
        ui.note.hidden = !text;
      },
    });
    L.DomEvent.disableClickPropagation(document.getElementById("fm-timeline"));
    L.DomEvent.disableScrollPropagation(document.getElementById("fm-timeline"));
    if (day === null) applyDay(start, "start");
    F.fit(); // the boxes have their text now
    window.addEventListener("resize", function () { F.fit(); });
    window.addEventListener("hashchange", function () {
      lastHash = location.hash;
      var n = readHash(false);
      if (n !== null) ctl.setDay(n, "hash");
    });
    window.__flankmapReady = true;
  };
})();
