/* Flankmap lookup runtime, shared by the app's map (flankmap.js) and the one-file export (timeline.js).
 *
 * Python computes the whole timeline once (flankmap/domain/intervals.py, flankmap/render/html_file.py): per country the
 * status intervals with their tooltip lines and style index, the States-Parties count and the legend as
 * intervals, the headings, the spending figures by year and every style (from flankmap/view/symbology.py). The
 * functions here only look up the interval holding a day and read what Python put there; they never decide
 * a status. The one thing computed here is the countdown ("N days until effective"), from the interval's
 * effective date. Every data text becomes DOM text (textContent), never parsed as HTML.
 *
 * `D` is the data dict of htmlexport.build_data / app_timeline; `prepare(D)` adds the day numbers once.
 * The view parts that can change without new data (`D.fill`, `D.spend_year`, `D.layers`) are read on each
 * call, so the app can set them per step.
 */
(function (root) {
  "use strict";
  var R = (root.FlankmapRuntime = {});
  var MS_DAY = 86400000;

  // ---- days as integers (UTC), so a step is arithmetic, not string work --------------------------------
  R.parseISO = function (text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!m) return null;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var d = new Date(t);
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
    return Math.round(t / MS_DAY);
  };
  R.iso = function (n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); };
  R.yearOf = function (n) { return new Date(n * MS_DAY).getUTCFullYear(); };
  R.longDate = function (D, n) {
    var d = new Date(n * MS_DAY);
    return d.getUTCDate() + " " + D.months[d.getUTCMonth()] + " " + d.getUTCFullYear();
  };
  R.fmt = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  };

  // ---- DOM helpers ----------------------------------------------------------------------------------------
  R.el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  R.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); };
  var el = R.el;

  // ---- styles (symbology JSON -> Leaflet options / CSS) -----------------------------------------------------
  function dash(s) { return s.dash ? s.dash.join(" ") : null; }
  R.pathOptions = function (s) {
    return {
      fillColor: s.hatch ? "url(#" + s.hatch + ")" : s.fill,
      color: s.edge,
      weight: s.width,
      dashArray: dash(s),
      fillOpacity: s.fill === null && !s.hatch ? 0 : s.fill_opacity,
      opacity: s.opacity,
      fill: true,
    };
  };
  R.lineOptions = function (s) {
    return { color: s.edge, weight: s.width, opacity: s.opacity, dashArray: dash(s), fill: false };
  };
  function hatchById(D, id) {
    for (var i = 0; i < D.hatches.length; i++) if (D.hatches[i].id === id) return D.hatches[i];
    return null;
  }
  R.swatchCss = function (D, entry, node) {
    var s = entry.style, kind = s.dash ? "dashed" : "solid";
    if (entry.kind === "line") {
      node.style.borderTop = s.width + "px " + kind + " " + s.edge;
      return;
    }
    var h = s.hatch ? hatchById(D, s.hatch) : null;
    node.style.background = h
      ? "repeating-linear-gradient(45deg," + h.background + " 0 4px," + h.stripe + " 4px 6px)"
      : s.fill || "transparent";
    node.style.border = Math.min(s.width, 3) + "px " + kind + " " + s.edge;
  };

  // ---- lookups ----------------------------------------------------------------------------------------------
  R.find = function (list, n) {
    // Binary search over [{a, b}] sorted and contiguous; -1 outside.
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (n < list[mid].a) hi = mid - 1;
      else if (n > list[mid].b) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  R.ranged = function (list) {
    return list.map(function (x) {
      var o = Object.assign({}, x);
      o.a = R.parseISO(x.from);
      o.b = R.parseISO(x.to);
      return o;
    });
  };
  R.prepare = function (D) {
    // Day numbers for every interval list, once.
    D.firstN = R.parseISO(D.first);
    D.lastN = R.parseISO(D.last);
    D.countsR = R.ranged(D.counts);
    D.staleFrom = R.parseISO(D.stale.from);
    if (D.fill === "status") {
      D.legendR = R.ranged(D.legend).map(function (x) {
        x.entries = x.rows.map(function (i) { return D.legend_rows[i]; });
        return x;
      });
    }
    D.keyR = D.key_dates.map(function (k) { return { n: R.parseISO(k.date), date: k.date, label: k.label }; });
    D.leafletStyles = D.styles.map(R.pathOptions);
    D.countriesR = {};
    Object.keys(D.countries).forEach(function (iso3) {
      var info = D.countries[iso3];
      D.countriesR[iso3] = { iso3: iso3, name: info.name || iso3, iv: R.ranged(info.iv) };
    });
    return D;
  };
  // A country's record for the lookups: {iso3, name, iv}; a drawn shape without treaty data gets none.
  R.country = function (D, iso3, name) {
    return D.countriesR[iso3] || { iso3: iso3, name: name || iso3, iv: [] };
  };
  R.interval = function (c, n) { return c.iv[R.find(c.iv, n)]; };

  R.spendYear = function (D, n) {
    // The spending fill's year: the chosen one, or the default Python worked out for this calendar year.
    if (D.spend_year) return D.spend_year;
    return D.spend.year_for[String(R.yearOf(n))];
  };
  R.yearKey = function (D, n) { return String(D.spend_year || R.yearOf(n)); };
  R.spendTip = function (D, iso3, year) {
    var steps = (D.spend.tip || {})[iso3] || [], text = null;
    for (var i = 0; i < steps.length && steps[i][0] <= year; i++) text = steps[i][1];
    return text;
  };
  R.styleIndex = function (D, c, iv, n) {
    if (!iv) return D.no_data_style;
    if (D.fill !== "status") {
      var f = (D.spend.fill[c.iso3] || {})[R.spendYear(D, n)];
      return f === undefined ? D.spend.none : f;
    }
    return iv.s;
  };

  // ---- tooltips --------------------------------------------------------------------------------------------
  // The tooltip of a country on day n as [kind, text] lines of plain text: Python wrote every word (the interval's
  // lines, D.texts, the spending line per year); this only picks them for the day and fills in the date and the
  // countdown. `changedSince` (compare mode) adds the compare line. flankmap/view/model.py resolves the same lines
  // (tests/unit/test_view_agreement.py runs both on every drawn country and key day).
  R.tooltipLines = function (D, c, iv, n, changedSince) {
    var lines = [["b", c.name]];
    if (!iv) {
      lines.push(["text", D.texts.no_data]);
      return lines;
    }
    lines.push(["status", R.fmt(D.texts.status_on, { date: R.longDate(D, n) }) + iv.label]);
    var spend = R.spendTip(D, c.iso3, D.fill === "status" ? R.yearOf(n) : R.spendYear(D, n));
    iv.tip.forEach(function (line) {
      var kind = line[0], text = line[1];
      if (kind === "countdown") {
        var left = R.parseISO(iv.effective) - n;
        lines.push(["b", R.fmt(left === 1 ? D.texts.countdown_one : D.texts.countdown, { n: left })]);
        return;
      }
      if (kind === "small" && spend) {
        lines.push(["text", spend]); // spending goes before the source line
        spend = null;
      }
      lines.push([kind, text]);
    });
    if (spend) lines.push(["text", spend]);
    if (changedSince) lines.push(["b", R.fmt(D.compare.tip, { compare: changedSince })]);
    return lines;
  };
  var TAGS = { b: "b", i: "i", small: "small", status: "span", text: "span" };
  // The lines as DOM (text nodes only, never HTML). A "status" line is the status sentence, its status in bold.
  R.linesNode = function (lines, label) {
    var box = el("div", "flankmap-tipbox");
    lines.forEach(function (line, i) {
      var kind = line[0], text = line[1];
      if (i === 0) {
        box.appendChild(el("b", null, text));
        return;
      }
      var row = el("div", kind === "status" ? "status" : null);
      if (kind === "status" && label && text.slice(-label.length) === label) {
        row.appendChild(document.createTextNode(text.slice(0, text.length - label.length)));
        row.appendChild(el("b", null, label));
      } else {
        row.appendChild(el(TAGS[kind] || "span", null, text));
      }
      box.appendChild(row);
    });
    return box;
  };
  R.tooltipNode = function (D, c, iv, n, changedSince) {
    return R.linesNode(R.tooltipLines(D, c, iv, n, changedSince), iv ? iv.label : null);
  };

  // ---- title and legend ----------------------------------------------------------------------------------
  // The heading of day n: {title, subs: [...], warning} as plain text (warning: the checked-through note).
  // `compare` (compare mode, status fill): the ISO day compared with; its line follows the count.
  R.heading = function (D, n, compare) {
    var h, values = { date: R.longDate(D, n) };
    if (D.fill !== "status") {
      h = (D.spend_year && D.heading_chosen ? D.heading_chosen : D.heading)[R.yearKey(D, n)] || D.heading._default;
    } else {
      h = D.heading;
      var ci = R.find(D.countsR, n);
      values.count = ci < 0 ? "?" : D.countsR[ci].text;
    }
    var subs = h.subs.map(function (s) { return R.fmt(s, values); });
    if (compare && D.compare) subs.push(R.fmt(D.compare.sub, { compare: R.longDate(D, R.parseISO(compare)) }));
    return {
      title: R.fmt(h.title, values),
      subs: subs,
      warning: D.stale.text && n >= D.staleFrom ? D.stale.text : null,
    };
  };
  // The legend entries of day n (the same array object while the legend stays the same).
  R.legend = function (D, n) {
    if (D.fill !== "status") {
      if (D.legend_by_year) return D.legend_by_year[String(R.spendYear(D, n))] || [];
      return D.legend[R.yearKey(D, n)] || D.legend._default;
    }
    var li = R.find(D.legendR, n);
    return li < 0 ? [] : D.legendR[li].entries;
  };
  R.legendRows = function (D, entries, container) {
    entries.forEach(function (e) {
      var row = el("div", e.kind === "heading" ? "hd" : e.kind === "note" ? "note" : "row");
      if (e.key) row.setAttribute("data-key", e.key);
      if (e.kind === "patch" || e.kind === "line") {
        var sw = el("span", e.kind === "line" ? "ln" : "sw");
        R.swatchCss(D, e, sw);
        row.appendChild(sw);
      }
      row.appendChild(document.createTextNode(e.label));
      container.appendChild(row);
    });
  };
  // The legend as shown: the day's rows, the compare row, then the border rows when that layer is on.
  R.legendShown = function (D, n, layers, compare) {
    var entries = R.legend(D, n);
    if (compare && D.compare) {
      var e = Object.assign({}, D.compare.legend);
      e.label = R.fmt(e.label, { compare: compare });
      entries = entries.concat([e]);
    }
    return layers && layers.borders && D.border_legend ? entries.concat(D.border_legend) : entries;
  };
  // Compare mode: the days on which each country's status or flag differs from the compare day, as Python
  // published them for that compare day (flankmap.view.model.changed_runs: {iso3: [[from, to], ...]}). The browser
  // only looks the day up in them; it never compares two statuses.
  R.compareRuns = function (compare) {
    var out = {}, runs = (compare && compare.runs) || {};
    Object.keys(runs).forEach(function (iso3) {
      out[iso3] = runs[iso3].map(function (r) { return { a: R.parseISO(r[0]), b: R.parseISO(r[1]) }; });
    });
    return out;
  };
  R.changedOn = function (runs, iso3, n) {
    var r = runs[iso3];
    return !!r && R.find(r, n) >= 0;
  };
  // The set {iso3: true} outlined on day n: from the published runs, or a list given for that day.
  R.changedSet = function (compare, n, runs) {
    var changed = {};
    if (compare && compare.runs) {
      runs = runs || R.compareRuns(compare);
      Object.keys(runs).forEach(function (iso3) { if (R.changedOn(runs, iso3, n)) changed[iso3] = true; });
    } else {
      ((compare && compare.changed) || []).forEach(function (iso3) { changed[iso3] = true; });
    }
    return changed;
  };
  // The style index of a country, with compare mode's outline when its status changed.
  R.shownStyle = function (D, c, iv, n, changed) {
    var si = R.styleIndex(D, c, iv, n);
    return changed && D.compare && D.compare.outlined[si] !== undefined ? D.compare.outlined[si] : si;
  };
  // The whole view of day n as plain data (what every renderer formats): heading, legend, and per country the
  // style index, status code, tooltip lines and flag label. `opts`: {layers, compare: {date, changed: [iso3]} or
  // {date, runs: {iso3: [[from, to]]}}}.
  R.view = function (D, n, opts) {
    var compare = opts.compare || null, changed = R.changedSet(compare, n);
    var out = {
      heading: R.heading(D, n, compare && compare.date),
      legend: R.legendShown(D, n, opts.layers, compare && compare.date),
      countries: {},
      labels: null,
    };
    var flags = {};
    Object.keys(D.countriesR).forEach(function (iso3) {
      var c = D.countriesR[iso3], iv = R.interval(c, n), ch = !!changed[iso3] && !!D.compare;
      out.countries[iso3] = {
        style: R.shownStyle(D, c, iv, n, ch),
        code: iv ? iv.code : null,
        lines: R.tooltipLines(D, c, iv, n, ch ? compare.date : null),
        flag: iv && iv.flag_label && D.fill === "status" ? iv.flag_label : null,
      };
      flags[iso3] = out.countries[iso3].flag;
    });
    out.labels = R.labels(D, flags, opts.layers);
    return out;
  };
  // The labels drawn on a day (model.day_labels): with the labels layer on, each flagged country's flag label
  // (the day's lines) and the fixed labels, by priority (a stable sort: ties keep the published order).
  // `flags`: iso3 -> the flag label's lines or null.
  R.labels = function (D, flags, layers) {
    if (!layers || !layers.labels) return [];
    var out = [];
    Object.keys(D.flag_labels || {}).forEach(function (iso3) {
      if (!flags[iso3]) return;
      var lab = JSON.parse(JSON.stringify(D.flag_labels[iso3]));
      lab.lines = flags[iso3].slice();
      out.push(lab);
    });
    (D.labels || []).forEach(function (lab) { out.push(JSON.parse(JSON.stringify(lab))); });
    return out
      .map(function (lab, i) { return [lab, i]; })
      .sort(function (a, b) { return a[0].priority - b[0].priority || a[1] - b[1]; })
      .map(function (p) { return p[0]; });
  };

  // ---- label layout: greedy by priority, in the map's own pixels ------------------------------------------------
  var DIRS = { c: [0, 0], n: [0, -1], s: [0, 1], e: [1, 0], w: [-1, 0], ne: [1, -1], nw: [-1, -1], se: [1, 1], sw: [-1, 1] };
  // The box [left, top, right, bottom] of a w x h label put at `place` ([compass, gap]) around anchor (ax, ay).
  R.placeBox = function (ax, ay, w, h, place) {
    var d = DIRS[place[0]] || DIRS.c, g = place[1] || 0, k = d[0] && d[1] ? 0.71 : 1;
    var cx = ax + d[0] * (g * k + w / 2), cy = ay + d[1] * (g * k + h / 2);
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  };
  function overlaps(a, b, pad) {
    return a[0] < b[2] + pad && a[2] > b[0] - pad && a[1] < b[3] + pad && a[3] > b[1] - pad;
  }
  function covers(r, p) { return p[0] >= r[0] && p[0] <= r[2] && p[1] >= r[1] && p[1] <= r[3]; }
  // items: [{id, w, h, x, y (anchor), places}] by priority; boxes: rects no label may touch; points: [x, y] no
  // label may cover (the flank); size: {x, y} (labels keep `margin` px inside). Returns, in order,
  // {id, box, place} for a placed label and {id, dropped: true} for one that fits nowhere.
  R.placeLabels = function (items, boxes, points, size, margin) {
    var placed = [], out = [];
    margin = margin === undefined ? 2 : margin;
    items.forEach(function (it) {
      var hit = null;
      if (!(it.x >= 0 && it.x <= size.x && it.y >= 0 && it.y <= size.y)) {
        out.push({ id: it.id, outside: true });
        return;
      }
      for (var i = 0; i < it.places.length && !hit; i++) {
        var r = R.placeBox(it.x, it.y, it.w, it.h, it.places[i]);
        if (r[0] < margin || r[1] < margin || r[2] > size.x - margin || r[3] > size.y - margin) continue;
        if (boxes.some(function (b) { return overlaps(r, b, 3); })) continue;
        if (placed.some(function (b) { return overlaps(r, b, 2); })) continue;
        if (points.some(function (q) { return covers(r, q); })) continue;
        hit = { id: it.id, box: r, place: it.places[i] };
      }
      if (hit) placed.push(hit.box);
      out.push(hit || { id: it.id, dropped: true });
    });
    return out;
  };

  // The labels of the day laid out on a Leaflet map: one layer of absolutely placed text boxes (class
  // `flankmap-label`, plain text lines) with leader lines, laid out again after every zoom, move and resize.
  // Overlay boxes (`.flankmap-box`, Leaflet's controls) and the flank (its states' outline vertices, Kaliningrad,
  // the Suwałki Gap) are obstacles. Returns {placed: [id], dropped: [id]} (also on the layer as data-*).
  // The flank in the map's pixels: every outline vertex of the flank states and Belarus, Kaliningrad's outline,
  // the Suwałki Gap (no label and no box may cover one; the layout check measures the same points).
  R.flankPoints = function (map, D, countryLayers) {
    var pt = function (ll) { var c = map.latLngToContainerPoint(ll); return [c.x, c.y]; }, out = [];
    Object.keys(D.flank_points || {}).forEach(function (key) { D.flank_points[key].forEach(function (ll) { out.push(pt(ll)); }); });
    (D.flank_countries || []).forEach(function (iso3) {
      if (countryLayers[iso3]) countryLayers[iso3].getLatLngs().flat(3).forEach(function (ll) { out.push(pt(ll)); });
    });
    return out;
  };
  // fitBounds padding that keeps the framed area out from under the overlay boxes: the boxes in the top half
  // push it down, the others up (each at most `cap` of the height). {paddingTopLeft, paddingBottomRight}.
  // Leaflet caches the map's size; a frame resized by CSS alone (the presentation view's letterbox) can leave
  // it stale until a window resize event: measure the container itself.
  R.syncSize = function (map) {
    var box = map.getContainer(), s = map.getSize();
    if (box.clientWidth && (box.clientWidth !== s.x || box.clientHeight !== s.y)) map.invalidateSize({ pan: false });
  };
  R.boxPadding = function (map, cap) {
    R.syncSize(map);
    var origin = map.getContainer().getBoundingClientRect(), W = map.getSize().x, H = map.getSize().y;
    var pad = { top: 8, bottom: 8, left: 8, right: 8 };
    document.querySelectorAll(R.LABEL_OBSTACLES).forEach(function (b) {
      if (b.offsetParent === null) return;
      var q = b.getBoundingClientRect();
      if (!q.width || !q.height) return;
      var l = q.left - origin.left, r = q.right - origin.left, t = q.top - origin.top, btm = q.bottom - origin.top;
      // Each box keeps the framed area off by the cheaper way: above or below it, or beside it.
      var v = (t + btm) / 2 < H / 2 ? ["top", btm + 6] : ["bottom", H - t + 6];
      var h = (l + r) / 2 < W / 2 ? ["left", r + 6] : ["right", W - l + 6];
      var pick = v[1] / H <= h[1] / W ? v : h;
      pad[pick[0]] = Math.max(pad[pick[0]], pick[1]);
    });
    cap = cap || 0.38;
    return {
      paddingTopLeft: [Math.min(pad.left, cap * W), Math.min(pad.top, cap * H)],
      paddingBottomRight: [Math.min(pad.right, cap * W), Math.min(pad.bottom, cap * H)],
      animate: false,
    };
  };
  R.LABEL_OBSTACLES = ".flankmap-box, .leaflet-control-scale, .leaflet-control-zoom, .leaflet-control-attribution";
  R.layoutLabels = function (map, D, labels, countryLayers) {
    var box = map.getContainer(), ns = "http://www.w3.org/2000/svg";
    R.syncSize(map);
    var layer = box.querySelector(".flankmap-labels");
    if (!layer) {
      layer = el("div", "flankmap-labels");
      layer.setAttribute("aria-hidden", "true"); // the text alternative and the legend say the same
      box.appendChild(layer);
    }
    R.clear(layer);
    var lines = document.createElementNS(ns, "svg");
    lines.setAttribute("class", "flankmap-leaders");
    layer.appendChild(lines);
    var size = map.getSize(), origin = box.getBoundingClientRect();
    var boxes = [];
    // a briefing's callouts are placed by a person: the labels make way for them (not the frame's padding)
    document.querySelectorAll(R.LABEL_OBSTACLES + ", .fm-callout").forEach(function (b) {
      if (b.offsetParent === null) return;
      var q = b.getBoundingClientRect();
      if (q.width && q.height) boxes.push([q.left - origin.left, q.top - origin.top, q.right - origin.left, q.bottom - origin.top]);
    });
    var pt = function (ll) { var c = map.latLngToContainerPoint(ll); return [c.x, c.y]; };
    var points = R.flankPoints(map, D, countryLayers).filter(function (p) {
      return p[0] >= 0 && p[0] <= size.x && p[1] >= 0 && p[1] <= size.y;
    });
    var nodes = {}, items = labels.map(function (lab) {
      var node = el("div", "flankmap-label style-" + lab.style);
      node.setAttribute("data-label", lab.id);
      lab.lines.forEach(function (line, i) {
        if (i) node.appendChild(el("br"));
        node.appendChild(document.createTextNode(line));
      });
      node.style.visibility = "hidden";
      layer.appendChild(node);
      nodes[lab.id] = node;
      var a = pt(lab.at);
      return { id: lab.id, w: node.offsetWidth, h: node.offsetHeight, x: a[0], y: a[1], places: lab.places, leader: lab.leader };
    });
    var result = { placed: [], dropped: [] }, byId = {};
    items.forEach(function (it) { byId[it.id] = it; });
    R.placeLabels(items, boxes, points, size, 2).forEach(function (r) {
      var node = nodes[r.id], it = byId[r.id];
      if (!r.box) {
        layer.removeChild(node);
        if (r.dropped) result.dropped.push(r.id);
        return;
      }
      node.style.left = r.box[0] + "px";
      node.style.top = r.box[1] + "px";
      node.style.visibility = "";
      result.placed.push(r.id);
      if (it.leader && r.place[1] >= 20) {
        var ex = Math.min(Math.max(it.x, r.box[0]), r.box[2]), ey = Math.min(Math.max(it.y, r.box[1]), r.box[3]);
        var ln = document.createElementNS(ns, "line");
        ln.setAttribute("x1", it.x); ln.setAttribute("y1", it.y); ln.setAttribute("x2", ex); ln.setAttribute("y2", ey);
        ln.setAttribute("class", "leader style-" + node.className.split("style-")[1]);
        lines.appendChild(ln);
      }
    });
    layer.setAttribute("data-placed", result.placed.join(" "));
    layer.setAttribute("data-dropped", result.dropped.join(" "));
    return result;
  };

  // A briefing's annotations shown on an ISO day: those whose from/to range holds it (model.annotations_on).
  R.annotationsOn = function (list, day) {
    return (list || []).filter(function (a) { return (!a.from || a.from <= day) && (!a.to || day <= a.to); });
  };
  // Draw a briefing's annotations shown on an ISO day into a Leaflet layer group (the story, the app's map, the
  // offline file): a callout's text set with textContent (a stranger's text is never markup), arrows, and dashed
  // outlines of a country or border segment (shapes: {country: iso3 -> feature, border: segment id -> feature};
  // hl: the highlight style written in Python; pane: the callouts' own map pane). Returns how many layers were
  // drawn; the labels laid out after it make way for the callouts (R.layoutLabels).
  R.drawAnnotations = function (group, list, day, shapes, hl, pane) {
    group.clearLayers();
    function label(latlng, text) {
      if (!text) return;
      var node = el("span", "fm-callout", text);
      var icon = L.divIcon({ className: "", html: node, iconSize: null });
      var opts = { icon: icon, interactive: false, keyboard: false };
      if (pane) opts.pane = pane;
      group.addLayer(L.marker(latlng, opts));
    }
    function arrow(a) {
      var t = L.latLng(a.at[0], a.at[1]), h = L.latLng(a.head[0], a.head[1]);
      var dy = h.lat - t.lat, dx = h.lng - t.lng, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var s = Math.min(0.6, len * 0.2), ux = dx / len, uy = dy / len;
      var wing = function (sign) { return [h.lat - uy * s + sign * ux * s * 0.5, h.lng - ux * s - sign * uy * s * 0.5]; };
      var style = { color: hl.color, weight: 3, interactive: false, className: "fm-annotation arrow" };
      group.addLayer(L.polyline([t, h], style));
      group.addLayer(L.polygon([h, wing(1), wing(-1)], Object.assign({}, style, { fill: true, fillOpacity: 1 })));
      label(t, a.text);
    }
    var outline = { color: hl.color, weight: hl.weight, dashArray: hl.dashArray, fill: false, interactive: false };
    R.annotationsOn(list, day).forEach(function (a) {
      if (a.kind === "text") label([a.at[0], a.at[1]], a.text);
      else if (a.kind === "arrow") arrow(a);
      else {
        var f = shapes[a.kind] && shapes[a.kind][a.kind === "country" ? a.iso3 : a.segment];
        if (!f) return;
        var layer = L.geoJSON(f, { style: function () { return outline; }, interactive: false });
        layer.eachLayer(function (l) { l.options.className = "fm-annotation " + a.kind; });
        group.addLayer(layer);
        label(layer.getBounds().getCenter(), a.text);
      }
    });
    return group.getLayers().length;
  };
  R.flagNode = function (iv) {
    var node = el("div");
    iv.flag_label.forEach(function (line, i) {
      if (i) node.appendChild(el("br"));
      node.appendChild(document.createTextNode(line));
    });
    return node;
  };

  R.addPatterns = function (map, hatches) {
    // SVG hatch patterns: a second cue beside colour, so "withdrawal pending" reads in greyscale print.
    var svg = map.getRenderer(map.options.renderer || L.svg())._container;
    if (!svg || svg.querySelector("#flankmap-defs")) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    defs.setAttribute("id", "flankmap-defs");
    (hatches || []).forEach(function (p) {
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
  };

  if (typeof module === "object" && module.exports) module.exports = R; // node --test (tests/js/)
})(typeof window !== "undefined" ? window : globalThis);
