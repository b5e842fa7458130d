/* Flankmap map runtime (served locally at /app/static/flankmap/flankmap.js; no network beyond the app).
 *
 * Geometry is fetched once per map from /app/static/geo/ and kept in the iframe, and so is the whole
 * timeline of the fill shown (/app/static/geo/timeline_<fill>.json, flankmap.view.publish.published_intervals).
 * Everything shown on a day is looked up there with the lookups the one-file export uses (static/flankmap/runtime.js):
 * Python decided every status and wrote every word, the browser only finds the interval holding the day.
 *
 * Two ways in:
 * - Flankmap.apply(payload): the view from the server (date, fill, chosen spending year, layers, the query
 *   string, the frame's name as a template and, in compare mode, the day compared with and, for that day, the
 *   runs of days on which each country's status differs from it: flankmap.view.model.changed_runs). Sent when
 *   the page reruns: a settled date, a sidebar change, the presentation view.
 * - Flankmap.show(iso): a day from the timeline control beside the map (static/flankmap/control_app.js), on
 *   every input event while a person drags, holds a key or plays; synchronous, in the same frame.
 * While a control is on the page its day wins over the payload's: a payload made for an older settled date
 * never jumps the map back. Pan and zoom are never touched by either.
 *
 * Test contract: country paths carry `flankmap-country iso3-XXX`, border paths
 * `flankmap-border segment-<id>` (Leaflet's className option), and `body[data-flankmap-date]` holds the day shown.
 */
(function () {
  "use strict";
  var F = (window.Flankmap = window.Flankmap || {});
  var R = window.FlankmapRuntime;
  F.timelines = {}; // fill -> promise of the prepared timeline data
  F.loaded = {}; // fill -> the prepared timeline data, once it has arrived
  F.step = 0; // the latest apply(); an older step's timeline arriving later is dropped
  F.view = null; // the latest payload from the server (what is shown besides the day)
  F.day = null; // the ISO day shown (or to show once the timeline is there)
  F.countries = {};
  F.borders = {};
  F.pending = null;
  F.ready = false;

  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html !== undefined) e.innerHTML = html; // html is escaped server-side (Python html.escape)
    return e;
  }

  function boxControl(position, cls) {
    var Ctl = L.Control.extend({
      onAdd: function () {
        var div = el("div", "flankmap-box " + cls);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new Ctl({ position: position });
  }

  function getJSON(url) {
    return fetch(url).then(function (r) { return r.json(); });
  }

  function accessibleDocument() {
    // Folium's header forbids zooming (user-scalable=no, WCAG 1.4.4); the frame's document also needs a language.
    document.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      meta.setAttribute("content", "width=device-width, initial-scale=1.0");
    });
    document.documentElement.setAttribute("lang", "en");
  }

  var NARROW_PX = 520; // a phone-width map: the legend would cover half of it

  // Streamlit can mount the component's frame at height 0 and size it a moment later (seen when a person comes
  // back to the map from another page). Fitting bounds into a 0-pixel map gives NaN coordinates and throws, so
  // the fit waits until the frame has a size.
  function whenSized(map, fit) {
    var sized = function () { var s = map.getSize(); return s.x > 0 && s.y > 0; };
    if (sized()) { fit(); return; }
    var tries = 0;
    (function poll() {
      map.invalidateSize(false);
      if (sized()) { fit(); return; }
      if (++tries < 600) window.setTimeout(poll, 50); // at most 30 s; Leaflet's own resize tracking takes over
    })();
  }

  F.init = function (map, mapConfig) {
    F.map = map;
    F.mapConfig = mapConfig;
    accessibleDocument();
    // Room above for the title box and below for the sources box and attribution, so the framed area is
    // not hidden under them (e.g. the Caucasus at the lower right of the Europe frame). On a phone the boxes
    // wrap to more lines, and the legend starts folded (see F.setup).
    if (mapConfig.bounds) {
      // Before the boxes exist: room for them by rule of thumb; after (F.setup, each apply until the person
      // moves the map): the framed area clear of the boxes as they are drawn (R.boxPadding).
      var fit = function () {
        if (F.fitFrameBounds) return F.fitFrame(map, F.fitFrameBounds);
        var narrow = map.getSize().x < NARROW_PX;
        if (F.ready) map.fitBounds(mapConfig.bounds, R.boxPadding(map));
        // Never animated: an animated zoom still running would end on its own target, undoing a later fit.
        else map.fitBounds(mapConfig.bounds, { paddingTopLeft: [0, narrow ? 110 : 40], paddingBottomRight: [0, narrow ? 230 : 100], animate: false });
      };
      F.fitArea = function (bounds) {
        mapConfig.bounds = bounds || mapConfig.bounds;
        if (F.fitFrameBounds) F.fitFrameBounds = mapConfig.bounds;
        fit();
      };
      // The frame may still grow after the first fit (Streamlit sizes it in steps): refit on each resize until
      // the person zooms or pans, so the framed area is what fills the map, never a view fitted to a sliver.
      var touched = false;
      ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
        map.getContainer().addEventListener(name, function () { touched = true; }, { passive: true });
      });
      map.on("resize", function () { if (!touched && map.getSize().y > 0) fit(); });
      F.refit = function () { if (!touched && map.getSize().y > 0) fit(); };
      // Self-correcting: whenever the labels are laid out, an untouched map whose framed area reaches under a box
      // (the boxes changed size, the frame was sized late, the component set its own view) is fitted again, at
      // most three times per map size, frame and boxes (never a loop).
      var refitKey = null, refits = 0;
      F.keepFrameClear = function () {
        if (touched || !F.ready || map.getSize().y <= 0) return;
        var pad = R.boxPadding(map), b = F.fitFrameBounds || mapConfig.bounds, H = map.getSize().y;
        var p0 = map.latLngToContainerPoint(b[0]), p1 = map.latLngToContainerPoint(b[1]);
        var top = Math.min(p0.y, p1.y), bottom = Math.max(p0.y, p1.y);
        var key = map.getSize().x + "x" + H + ":" + JSON.stringify(b) + ":" + pad.paddingTopLeft[1] + ":" + pad.paddingBottomRight[1];
        if (key !== refitKey) { refitKey = key; refits = 0; }
        if ((top < pad.paddingTopLeft[1] - 2 || bottom > H - pad.paddingBottomRight[1] + 2) && refits < 3) {
          refits += 1;
          window.setTimeout(function () { if (!touched) fit(); }, 0); // outside the event being handled
        }
      };
      whenSized(map, fit);
    }
    // All three files in parallel; the browser caches them for the rest of the session.
    Promise.all([getJSON(mapConfig.static_url), getJSON(mapConfig.countries_url), getJSON(mapConfig.borders_url)])
      .then(function (d) { F.setup(map, d[0], d[1], d[2]); });
  };

  F.setup = function (map, config, countries, borders) {
    F.config = config;
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(config.attribution);
    F.title = boxControl("topleft", "flankmap-title");
    F.title.addTo(map);
    F.legend = boxControl("bottomleft", "flankmap-legend");
    F.legend.addTo(map);
    // A button folds the legend to its heading, so it never hides the area a person is looking at. It is a
    // real <button> (keyboard, screen readers); the legend starts folded on narrow screens (phones).
    var legendBox = F.legend.getContainer();
    var toggle = el("button", "flankmap-legend-toggle", "Legend");
    toggle.type = "button";
    F.legendBody = el("div", "flankmap-legend-body");
    F.legendBody.id = "flankmap-legend-body";
    toggle.setAttribute("aria-controls", F.legendBody.id);
    legendBox.appendChild(toggle);
    legendBox.appendChild(F.legendBody);
    function fold(folded) {
      legendBox.classList.toggle("flankmap-folded", folded);
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    }
    fold(map.getSize().x < NARROW_PX);
    toggle.addEventListener("click", function () {
      fold(!legendBox.classList.contains("flankmap-folded"));
      relayout();
    });
    F.source = boxControl("bottomright", "flankmap-source");
    F.source.addTo(map);
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);
    map.createPane("flankmapBorders").style.zIndex = 450;
    map.createPane("flankmapLabels").style.zIndex = 650;
    F.countryLayer = L.geoJSON(countries, {
      style: function () { return config.base_country_style; },
      onEachFeature: function (feature, layer) {
        var iso3 = feature.properties.iso3;
        layer.options.className = "flankmap-country iso3-" + iso3;
        F.countries[iso3] = layer;
        layer.bindTooltip(tipOf, { sticky: true, className: "flankmap-tip" });
        // A click (or tap) opens the same details in a popup that stays: hover alone is not enough.
        layer.bindPopup(tipOf, { className: "flankmap-popup", maxWidth: 320 });
        layer.on("popupopen", function () { layer.closeTooltip(); });
      },
    }).addTo(map);
    F.borderLayer = L.geoJSON(borders, {
      pane: "flankmapBorders",
      style: function (feature) {
        return config.border_styles[feature.properties.segment_id] || config.border_styles._default;
      },
      onEachFeature: function (feature, layer) {
        var id = feature.properties.segment_id;
        layer.options.className = "flankmap-border segment-" + id;
        layer.options.pane = "flankmapBorders";
        F.borders[id] = layer;
        layer.bindTooltip(config.border_tooltips[id] || id, { sticky: true, className: "flankmap-tip" });
      },
    });
    // Labels are laid out again in the map's pixels after every zoom, pan and resize (R.layoutLabels).
    map.on("zoomend moveend resize", relayout);
    R.addPatterns(map, config.patterns);
    F.ready = true;
    if (F.pending) F.apply(F.pending);
  };

  function syncParent(query) {
    // Keep the page's address and its sidebar page links on the view shown. Best effort: the app works
    // without it (Streamlit also writes the URL); it only fixes links a person copies.
    try {
      var win = window.parent, loc = win.location;
      if (loc.search !== "?" + query) {
        win.history.replaceState(win.history.state, "", loc.pathname + "?" + query + loc.hash);
      }
      win.document.querySelectorAll('[data-testid="stSidebar"] a[href]').forEach(function (a) {
        var url = new URL(a.href, loc.href);
        if (url.origin === loc.origin && url.search !== "?" + query) {
          a.setAttribute("href", url.pathname + "?" + query);
        }
      });
    } catch (e) {
      /* a cross-origin parent (embedding): leave the address alone */
    }
  }

  function nameFrame(title) {
    // The iframe's accessible name says what the map shows and on which date (same-origin parent).
    document.title = title;
    try {
      if (window.frameElement) window.frameElement.setAttribute("title", title);
    } catch (e) {
      /* cross-origin embedding: the document title still names the frame's content */
    }
  }

  // Presentation view (ui/briefing_view.py): fractional zoom, so the framed area fills the 16:9 frame (not a
  // whole zoom step smaller), with room kept for the title box at the top left.
  F.fitFrame = function (map, bounds) {
    map.options.zoomSnap = 0.1;
    F.fitFrameBounds = bounds;
    if (F.ready) map.fitBounds(bounds, R.boxPadding(map));
    else map.fitBounds(bounds, { paddingTopLeft: [20, 110], paddingBottomRight: [20, 80], animate: false });
  };

  function timeline(fill) {
    if (!F.timelines[fill]) {
      F.timelines[fill] = getJSON(F.mapConfig.timeline_urls[fill])
        .then(R.prepare)
        .then(function (D) {
          F.loaded[fill] = D;
          return D;
        })
        .catch(function (err) {
          delete F.timelines[fill]; // the next step tries again
          F.title.getContainer().textContent = "The map's timeline could not be loaded; reload the page to retry.";
          throw err;
        });
    }
    return F.timelines[fill];
  }

  // The day of the timeline control beside the map, when there is one (a same-origin sibling frame).
  function controlDay() {
    try {
      var frames = window.parent.frames;
      for (var i = 0; i < frames.length; i++) {
        var app = frames[i] !== window && frames[i].FlankmapControlApp;
        if (app && app.day) {
          var day = app.day();
          if (day) return day;
        }
      }
    } catch (e) {
      /* cross-origin embedding: no control */
    }
    return null;
  }

  F.apply = function (payload) {
    F.pending = payload;
    if (!F.ready) return;
    var step = ++F.step;
    timeline(payload.timeline || payload.fill) // another treaty than Ottawa: its own timeline (ccm_status)
      .then(function (D) {
        if (step !== F.step) return;
        F.view = payload;
        F.compareRuns = R.compareRuns(payload.compare);
        F.day = controlDay() || payload.date;
        if (payload.query) syncParent(payload.query);
        draw(D, true);
      })
      .catch(function () { /* shown in the title box (see timeline) */ });
  };

  // The labels are laid out again after every zoom, pan, resize, legend fold and any change of the day's labels
  // or boxes (R.layoutLabels); F.shown holds the timeline and labels of the day drawn.
  function relayout() {
    if (!F.shown) return;
    if (F.keepFrameClear) F.keepFrameClear();
    F.layout = R.layoutLabels(F.map, F.shown.D, F.shown.labels, F.countries);
  }
  F.relayout = relayout;

  // A day from the control: drawn now when the view's timeline is there (true), else kept for when it is.
  F.show = function (iso) {
    F.day = iso;
    var D = F.ready && F.view ? F.loaded[F.view.timeline || F.view.fill] : null;
    if (!D) return false;
    draw(D, false);
    return true;
  };

  function showLayers(layers) {
    var map = F.map;
    if (layers.borders) {
      if (!map.hasLayer(F.borderLayer)) F.borderLayer.addTo(map);
    } else if (map.hasLayer(F.borderLayer)) {
      map.removeLayer(F.borderLayer);
    }
  }

  function tipOf(layer) {
    var s = layer._fm;
    return s ? R.tooltipNode(s.D, s.c, s.iv, s.n, s.since) : "";
  }

  function refreshOpen(layer) {
    var tip = layer.getTooltip(), pop = layer.getPopup();
    if (tip && layer.isTooltipOpen()) tip.update();
    if (pop && layer.isPopupOpen()) pop.update();
  }

  // A briefing slide's annotations (a link's b parameter, or a slide shown on the map): those valid on the day,
  // drawn as the story draws them (R.drawAnnotations; every text set as text).
  function drawAnnotations(p) {
    if (!F.notes) {
      if (!p.annotations) return;
      F.notes = L.layerGroup().addTo(F.map);
      F.map.createPane("flankmapNotes").style.zIndex = 660; // the callouts' own pane, above the markers
      F.shapes = { country: {}, border: {} };
      Object.keys(F.countries).forEach(function (k) { F.shapes.country[k] = F.countries[k].feature; });
      Object.keys(F.borders).forEach(function (k) { F.shapes.border[k] = F.borders[k].feature; });
    }
    var n = R.drawAnnotations(F.notes, p.annotations || [], p.date, F.shapes, p.highlight || {}, "flankmapNotes");
    document.body.setAttribute("data-flankmap-annotations", String(n));
  }

  // What the last draw wrote, so a step touches only what changed (a day step restyles a few paths at most).
  var drawn = { D: null, legend: null, flags: null, title: null, frame: null };

  // The view of F.day with the server's view parts: every country's style and tooltip, flag labels, title,
  // legend, the frame's name and the test contract's date. `full`: a new view or timeline, redraw everything.
  function draw(D, full) {
    var p = F.view, iso = F.day, n = R.parseISO(iso);
    if (n === null) return;
    if (full || drawn.D !== D) {
      drawn = { D: D, legend: null, flags: null, title: null, frame: null };
      full = true;
    }
    var compare = p.compare && D.compare ? p.compare : null, since = compare ? compare.date : null;
    var runs = compare ? F.compareRuns : {};
    D.fill = p.fill;
    D.spend_year = p.year || null; // the chosen spending year; null: the year follows the date
    D.layers = p.layers;
    var showFlags = D.fill === "status" && p.layers.labels, flags = [];
    Object.keys(F.countries).forEach(function (iso3) {
      var layer = F.countries[iso3];
      var c = layer._fmC || (layer._fmC = {});
      if (c.D !== D) {
        c.D = D;
        c.rec = R.country(D, iso3, layer.feature.properties.name);
        c.style = null;
        c.code = undefined;
      }
      var iv = R.interval(c.rec, n), ch = compare ? R.changedOn(runs, iso3, n) : false;
      layer._fm = { D: D, c: c.rec, iv: iv, n: n, since: ch ? since : null };
      var si = R.shownStyle(D, c.rec, iv, n, ch);
      if (si !== c.style) {
        c.style = si;
        layer.setStyle(D.leafletStyles[si]);
      }
      var code = iv ? iv.code : "";
      if (code !== c.code && layer._path) {
        c.code = code;
        layer._path.setAttribute("data-status", code);
      }
      if (showFlags && iv && iv.flag_label) flags.push([iso3, iv]);
      refreshOpen(layer);
    });
    if (full) showLayers(p.layers);
    var boxes = drawFlags(D, flags, full); // the flag label is per day
    var h = R.heading(D, n, since);
    var titleKey = [h.title].concat(h.subs, [h.warning || ""]).join("\n");
    if (titleKey !== drawn.title) {
      drawn.title = titleKey;
      boxes = true;
      var title = F.title.getContainer();
      R.clear(title);
      title.appendChild(document.createTextNode(h.title));
      h.subs.concat(h.warning ? [h.warning] : []).forEach(function (text, i) {
        title.appendChild(R.el("br"));
        title.appendChild(R.el("span", i < h.subs.length ? "sub" : "sub stale", text));
      });
    }
    var base = R.legend(D, n); // the same array object while the day's legend stays the same
    if (base !== drawn.legend) {
      drawn.legend = base;
      boxes = true;
      R.clear(F.legendBody);
      R.legendRows(D, R.legendShown(D, n, p.layers, since), F.legendBody);
    }
    if (full) F.source.getContainer().textContent = D.credits.source;
    if (p.frame_title) {
      var year = D.fill === "status" ? "" : R.spendYear(D, n);
      var name = R.fmt(p.frame_title, { date: R.longDate(D, n), year: year });
      if (name !== drawn.frame) {
        drawn.frame = name;
        nameFrame(name);
      }
    }
    if (full) {
      if (F.refit) F.refit(); // the boxes got their text: frame the area clear of them
      // The component may still set its own view or size the frame once more just after: check again then.
      [400, 1200].forEach(function (ms) { window.setTimeout(relayout, ms); });
    }
    if (p.annotations || F.notes) {
      drawAnnotations({ annotations: p.annotations, highlight: p.highlight, date: iso }); // the day's, before the labels
      boxes = true; // the callouts are obstacles for the labels
    }
    if (boxes) relayout(); // new labels, or the boxes (obstacles) changed
    document.body.setAttribute("data-flankmap-date", iso);
    window.__flankmapApplied = (window.__flankmapApplied || 0) + 1;
  }

  // The day's labels (R.labels: the fixed labels and the flag labels of the day): made again only when the flags
  // shown change. True when they did (the labels need laying out).
  function drawFlags(D, list, full) {
    var key = list.map(function (f) { return f[0] + ":" + f[1].from; }).join(",");
    if (!full && key === drawn.flags) return false;
    drawn.flags = key;
    var flags = {};
    list.forEach(function (f) { flags[f[0]] = f[1].flag_label; });
    F.shown = { D: D, labels: R.labels(D, flags, F.view.layers) };
    return true;
  }
})();
