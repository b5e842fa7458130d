/* The map page's timeline control: a Streamlit component (ui/timeline_control.py) beside the map.
 *
 * It runs the offline file's control (control.js over runtime.js) and talks to two sides:
 * - the map, in the browser: on every input event (drag, keys, play, typed date) it calls Flankmap.show(day) in
 *   the map's frame (streamlit-folium's iframe, a same-origin sibling), which repaints from the published
 *   timeline in the same frame; no server round trip, no websocket message;
 * - the server, once per gesture: when the date settles (release, key-up after a pause, play stopped, typed date
 *   entered, a key date picked) it sends {date, seq, how} as the component's value (Streamlit's components API,
 *   one websocket message); the page then reruns and the URL, text table, figures, exports and sidebar follow.
 *
 * The server's own date changes (the sidebar's key-date list, a link) come back in the component's arguments;
 * they are taken unless a gesture is under way or a newer settled date of ours is still on its way (`seq`).
 * The map asks this frame for the day it shows (FlankmapControlApp.day), so a page rerun made for an older
 * settled date never jumps the map back. Every word comes from Python (flankmap/view/control.py).
 */
(function () {
  "use strict";
  var R = window.FlankmapRuntime, C = window.FlankmapControl;
  var main = document.getElementById("fm-control-main");
  var noteBox = document.getElementById("fm-control-note");
  var ctl = null, seq = 0, mapWin = null, rangeKey = "", lastHeight = -1;

  function post(type, data) {
    var msg = { isStreamlitMessage: true, type: type };
    Object.keys(data || {}).forEach(function (k) { msg[k] = data[k]; });
    window.parent.postMessage(msg, "*");
  }

  function sendHeight() {
    var h = Math.ceil(main.getBoundingClientRect().height);
    if (h !== lastHeight) {
      lastHeight = h;
      post("streamlit:setFrameHeight", { height: h });
    }
  }

  // The map's frame: a sibling frame whose window has the map runtime (found again after a re-mount).
  function findMap() {
    try {
      if (mapWin && mapWin.frameElement && mapWin.frameElement.isConnected && mapWin.Flankmap) return mapWin;
    } catch (e) {
      /* a detached frame */
    }
    mapWin = null;
    try {
      var frames = window.parent.frames;
      for (var i = 0; i < frames.length; i++) {
        var w = frames[i];
        if (w !== window && w.Flankmap && w.Flankmap.show) {
          mapWin = w;
          break;
        }
      }
    } catch (e) {
      /* a cross-origin parent: no map to drive */
    }
    return mapWin;
  }

  function onDay(n) {
    var w = findMap();
    if (w) w.Flankmap.show(R.iso(n));
  }

  function onSettle(n, how) {
    seq += 1;
    post("streamlit:setComponentValue", { value: { date: R.iso(n), seq: seq, how: how }, dataType: "json" });
  }

  function note(text) {
    noteBox.textContent = text;
    noteBox.hidden = !text;
    sendHeight();
  }

  function start(a) {
    Object.keys(a.theme || {}).forEach(function (k) { document.documentElement.style.setProperty(k, a.theme[k]); });
    document.title = a.texts.frame;
    try {
      if (window.frameElement) window.frameElement.setAttribute("title", a.texts.frame);
    } catch (e) {
      /* cross-origin embedding */
    }
    seq = a.seq || 0; // the server's count survives a page change; ours continues from it
    rangeKey = JSON.stringify([a.first, a.last, a.key_dates]);
    ctl = C.create(document.getElementById("fm-timeline"), {
      first: a.first,
      last: a.last,
      day: a.date,
      keys: a.key_dates,
      texts: a.texts,
      speeds: a.speeds,
      speed: a.speed,
      pause_ms: a.pause_ms,
      onDay: onDay,
      onSettle: onSettle,
      note: note,
    });
    if (window.ResizeObserver) new ResizeObserver(sendHeight).observe(main);
    sendHeight();
  }

  function render(a) {
    if (!ctl) return start(a);
    var key = JSON.stringify([a.first, a.last, a.key_dates]);
    if (key !== rangeKey) {
      rangeKey = key;
      ctl.setRange(a.first, a.last, a.key_dates);
    }
    var n = R.parseISO(a.date);
    if (n !== null && n !== ctl.day() && !ctl.busy() && (a.seq || 0) >= seq) ctl.setDay(n, "server");
    sendHeight();
  }

  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== "streamlit:render") return;
    render(e.data.args);
  });
  window.FlankmapControlApp = {
    day: function () { return ctl ? R.iso(ctl.day()) : null; },
    control: function () { return ctl; },
  };
  post("streamlit:componentReady", { apiVersion: 1 });
})();
