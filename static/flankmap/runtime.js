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
    };
    Object.keys(D.countriesR).forEach(function (iso3) {
      var c = D.countriesR[iso3], iv = R.interval(c, n), ch = !!changed[iso3] && !!D.compare;
      out.countries[iso3] = {
        style: R.shownStyle(D, c, iv, n, ch),
        code: iv ? iv.code : null,
        lines: R.tooltipLines(D, c, iv, n, ch ? compare.date : null),
        flag: iv && iv.flag_label && D.fill === "status" ? iv.flag_label : null,
      };
    });
    return out;
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
