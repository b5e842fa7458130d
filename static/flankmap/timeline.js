/* Flankmap timeline runtime: the whole 1997-today timeline in the browser, no server and no network.
 *
 * Python (flankmap/intervals.py, flankmap/htmlexport.py) computes everything once: per country the status
 * intervals with their tooltip lines and style index, the States-Parties count and the legend as intervals,
 * the key dates, the spending figures by year and every style (from flankmap/symbology.py). This file only
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
  var MS_DAY = 86400000;
  var D, map, first, last, staleFrom, day = null;
  var countries = {}; // iso3 -> {layer, name, iv: [{a, b, ...}], cur: index of the interval shown}
  var leafletStyles = [];
  var ui = {};
  var legendShown = null, flagKey = null, flagMarkers = [];
  var hashTimer = null, playing = null, lastHash = location.hash;

  // ---- days as integers (UTC), so a step is arithmetic, not string work --------------------------------
  function parseISO(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!m) return null;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var d = new Date(t);
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
    return Math.round(t / MS_DAY);
  }
  function iso(n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); }
  function yearOf(n) { return new Date(n * MS_DAY).getUTCFullYear(); }
  function longDate(n) {
    var d = new Date(n * MS_DAY);
    return d.getUTCDate() + " " + D.months[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  // ---- DOM helpers ----------------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // ---- styles (symbology JSON -> Leaflet options / CSS) -----------------------------------------------------
  function dash(s) { return s.dash ? s.dash.join(" ") : null; }
  function pathOptions(s) {
    return {
      fillColor: s.hatch ? "url(#" + s.hatch + ")" : s.fill,
      color: s.edge,
      weight: s.width,
      dashArray: dash(s),
      fillOpacity: s.fill === null && !s.hatch ? 0 : s.fill_opacity,
      opacity: s.opacity,
      fill: true,
    };
  }
  function lineOptions(s) {
    return { color: s.edge, weight: s.width, opacity: s.opacity, dashArray: dash(s), fill: false };
  }
  function hatchById(id) {
    for (var i = 0; i < D.hatches.length; i++) if (D.hatches[i].id === id) return D.hatches[i];
    return null;
  }
  function swatchCss(entry, node) {
    var s = entry.style, kind = s.dash ? "dashed" : "solid";
    if (entry.kind === "line") {
      node.style.borderTop = s.width + "px " + kind + " " + s.edge;
      return;
    }
    var h = s.hatch ? hatchById(s.hatch) : null;
    node.style.background = h
      ? "repeating-linear-gradient(45deg," + h.background + " 0 4px," + h.stripe + " 4px 6px)"
      : s.fill || "transparent";
    node.style.border = Math.min(s.width, 3) + "px " + kind + " " + s.edge;
  }
  function addPatterns() {
    var svg = map.getRenderer(L.geoJSON())._container;
    if (!svg || svg.querySelector("#flankmap-defs")) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    defs.setAttribute("id", "flankmap-defs");
    D.hatches.forEach(function (p) {
      var pat = document.createElementNS(ns, "pattern");
      pat.setAttribute("id", p.id);
      pat.setAttribute("patternUnits", "userSpaceOnUse");
      pat.setAttribute("width", "8");
      pat.setAttribute("height", "8");
      pat.setAttribute("patternTransform", "rotate(45)");
      var bg = document.createElementNS(ns, "rect");
      bg.setAttribute("width", "8");
      bg.setAttribute("height", "8");
      bg.setAttribute("fill", p.background);
      var line = document.createElementNS(ns, "rect");
      line.setAttribute("width", "3");
      line.setAttribute("height", "8");
      line.setAttribute("fill", p.stripe);
      pat.appendChild(bg);
      pat.appendChild(line);
      defs.appendChild(pat);
    });
    svg.insertBefore(defs, svg.firstChild);
  }

  // ---- lookups ----------------------------------------------------------------------------------------------
  function find(list, n) {
    // Binary search over [{a, b}] sorted and contiguous; -1 outside.
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (n < list[mid].a) hi = mid - 1;
      else if (n > list[mid].b) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
  function ranged(list) {
    return list.map(function (x) {
      var o = Object.assign({}, x);
      o.a = parseISO(x.from);
      o.b = parseISO(x.to);
      return o;
    });
  }
  function spendYear(n) {
    // The spending fill's year: the chosen one, or the default Python worked out for this calendar year.
    if (D.spend_year) return D.spend_year;
    return D.spend.year_for[String(yearOf(n))];
  }
  function yearKey(n) { return String(D.spend_year || yearOf(n)); }
  function spendTip(iso3, year) {
    var steps = (D.spend.tip || {})[iso3] || [], text = null;
    for (var i = 0; i < steps.length && steps[i][0] <= year; i++) text = steps[i][1];
    return text;
  }

  // ---- tooltips (DOM text only) --------------------------------------------------------------------------
  function tooltipNode(c) {
    var box = el("div", "flankmap-tipbox");
    box.appendChild(el("b", null, c.name));
    var iv = c.iv[c.cur];
    if (!iv) {
      box.appendChild(el("div", null, D.texts.no_data));
      return box;
    }
    var status = el("div");
    status.appendChild(document.createTextNode(fmt(D.texts.status_on, { date: longDate(day) })));
    status.appendChild(el("b", null, iv.label));
    box.appendChild(status);
    var spend = spendTip(c.iso3, D.fill === "status" ? yearOf(day) : spendYear(day));
    iv.tip.forEach(function (line) {
      var kind = line[0], text = line[1];
      if (kind === "countdown") {
        var left = parseISO(iv.effective) - day;
        box.appendChild(el("div", "countdown", fmt(D.texts.countdown, { n: left })));
        return;
      }
      if (kind === "small" && spend) {
        box.appendChild(el("div", null, spend)); // spending goes before the source line, as in the app
        spend = null;
      }
      var tag = kind === "b" ? "b" : kind === "i" ? "i" : kind === "small" ? "small" : "span";
      var row = el("div");
      row.appendChild(el(tag, null, text));
      box.appendChild(row);
    });
    if (spend) box.appendChild(el("div", null, spend));
    return box;
  }

  // ---- the step ---------------------------------------------------------------------------------------------
  function styleIndex(c, iv) {
    if (!iv) return D.no_data_style;
    if (D.fill !== "status") {
      var f = (D.spend.fill[c.iso3] || {})[spendYear(day)];
      return f === undefined ? D.spend.none : f;
    }
    return iv.s;
  }

  function applyDay(n) {
    day = n;
    var counts = {}, flags = [];
    Object.keys(countries).forEach(function (iso3) {
      var c = countries[iso3];
      var i = find(c.iv, n), iv = c.iv[i];
      c.cur = i;
      var si = styleIndex(c, iv);
      if (si !== c.style) {
        c.style = si;
        c.layer.setStyle(leafletStyles[si]);
        if (c.layer._path) c.layer._path.setAttribute("data-status", iv ? iv.code : "");
      }
      if (iv) {
        counts[iv.code] = (counts[iv.code] || 0) + 1;
        if (iv.flag_label) flags.push(iso3);
      }
      if (c.layer.isTooltipOpen()) c.layer.setTooltipContent(tooltipNode(c));
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
  }

  function drawTitle(n) {
    var h, values = { date: longDate(n) };
    if (D.fill !== "status") {
      h = D.heading[yearKey(n)] || D.heading._default;
    } else {
      h = D.heading;
      var ci = find(D.countsR, n);
      values.count = ci < 0 ? "?" : D.countsR[ci].text;
    }
    var text = fmt(h.title, values);
    if (ui.titleMain.textContent !== text) ui.titleMain.textContent = text;
    var lines = h.subs.map(function (s) { return fmt(s, values); });
    if (D.stale.text && n >= staleFrom) lines.push(D.stale.text);
    var subs = lines.join("\n");
    if (ui.titleSub.textContent !== subs) ui.titleSub.textContent = subs;
  }

  function drawLegend(n) {
    var entries;
    if (D.fill !== "status") {
      entries = D.legend[yearKey(n)] || D.legend._default;
    } else {
      var li = find(D.legendR, n);
      entries = li < 0 ? [] : D.legendR[li].entries;
    }
    if (entries === legendShown) return;
    legendShown = entries;
    clear(ui.legendBody);
    entries.forEach(function (e) {
      var row = el("div", e.kind === "heading" ? "hd" : e.kind === "note" ? "note" : "row");
      if (e.key) row.setAttribute("data-key", e.key);
      if (e.kind === "patch" || e.kind === "line") {
        var sw = el("span", e.kind === "line" ? "ln" : "sw");
        swatchCss(e, sw);
        row.appendChild(sw);
      }
      row.appendChild(document.createTextNode(e.label));
      ui.legendBody.appendChild(row);
    });
  }

  function drawFlags(isoList) {
    var key = D.fill === "status" && D.layers.labels ? isoList.join(",") : "";
    if (key === flagKey) return;
    flagKey = key;
    flagMarkers.forEach(function (m) { map.removeLayer(m); });
    flagMarkers = [];
    if (!key) return;
    isoList.forEach(function (iso3) {
      var c = countries[iso3], iv = c.iv[c.cur], at = D.flag_at[iso3];
      if (!at) return;
      var node = el("div");
      iv.flag_label.forEach(function (line, i) {
        if (i) node.appendChild(el("br"));
        node.appendChild(document.createTextNode(line));
      });
      var icon = L.divIcon({ className: "flankmap-label flag", html: node, iconSize: null });
      flagMarkers.push(L.marker(at, { icon: icon, pane: "flankmapLabels", interactive: false }).addTo(map));
    });
  }

  // ---- the date in the fragment (#date=YYYY-MM-DD), both ways ---------------------------------------------
  function scheduleHash() {
    // Browsers throttle history updates (~100 per 10 s): while playing or dragging, write at most 4 a second.
    if (hashTimer) return;
    hashTimer = setTimeout(writeHash, playing ? 250 : 60);
  }
  function writeHash() {
    hashTimer = null;
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
    D = data;
    first = parseISO(D.first);
    last = parseISO(D.last);
    D.countsR = ranged(D.counts);
    staleFrom = parseISO(D.stale.from);
    if (D.fill === "status") {
      D.legendR = ranged(D.legend).map(function (x) {
        x.entries = x.rows.map(function (i) { return D.legend_rows[i]; });
        return x;
      });
    }
    D.keyR = D.key_dates.map(function (k) { return { n: parseISO(k.date), date: k.date, label: k.label }; });
    leafletStyles = D.styles.map(pathOptions);
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
    });

    map = L.map("fm-map", { zoomSnap: 0.25, minZoom: 3, maxZoom: 12, zoomControl: false, attributionControl: false });
    L.control.zoom({ position: "topright" }).addTo(map);
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);
    map.fitBounds(D.bounds);
    map.createPane("flankmapBorders").style.zIndex = 450;
    map.createPane("flankmapLabels").style.zIndex = 650;
    var names = {};
    L.geoJSON(D.geo.countries, {
      style: function () { return leafletStyles[D.no_data_style]; },
      onEachFeature: function (feature, layer) {
        var iso3 = feature.properties.iso3, info = D.countries[iso3] || { name: feature.properties.name, iv: [] };
        layer.options.className = "flankmap-country iso3-" + iso3;
        var c = { iso3: iso3, layer: layer, name: info.name || iso3, iv: ranged(info.iv), cur: -1, style: null };
        countries[iso3] = c;
        names[iso3] = c.name;
        layer.bindTooltip(function () { return tooltipNode(c); }, { sticky: true, className: "flankmap-tip" });
      },
    }).addTo(map);
    if (D.layers.borders) {
      L.geoJSON(D.geo.borders, {
        pane: "flankmapBorders",
        style: function (f) {
          var i = D.borders[f.properties.segment_id];
          return lineOptions(D.styles[i === undefined ? D.border_default : i]);
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
    if (D.layers.labels) {
      D.labels.forEach(function (lab) {
        var icon = L.divIcon({ className: "flankmap-label " + (lab.cls || ""), html: lab.html, iconSize: null });
        L.marker([lab.lat, lab.lon], { icon: icon, pane: "flankmapLabels", interactive: false }).addTo(map);
      });
    }
    addPatterns();
    buildTimeline();
    applyDay(readHash(true));
    window.addEventListener("hashchange", function () {
      lastHash = location.hash;
      var n = readHash(false);
      if (n !== null) setDay(n);
    });
    window.__flankmapReady = true;
  };
})();
