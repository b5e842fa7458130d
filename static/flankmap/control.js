/* Flankmap timeline control: slider with key-date ticks, previous/next key date, play with speeds, typed date.
 *
 * One control, two hosts: the one-file export (timeline.js) and the app's map page (control_app.js, a Streamlit
 * component beside the map). Python writes every word and setting (flankmap/view/control.py); this file builds
 * the control from them, moves the day and says when a gesture has ended. It never decides what a day shows.
 *
 *   onDay(n, how)     every day shown, at once (drag, keys, play, typed date, key-date buttons): repaint now
 *   onSettle(n, how)  once per gesture, when the date has settled: slider released, key-up followed by a pause,
 *                     play stopped, typed date entered (Enter or leaving the field), a key date picked
 *
 * Keyboard on the slider: arrow keys one day, Page Up / Page Down one month, Home / End the first / last day.
 * Days are integers (UTC day numbers, FlankmapRuntime.parseISO); every text is DOM text, never HTML.
 */
(function (root) {
  "use strict";
  var R = root.FlankmapRuntime;
  var C = (root.FlankmapControl = {});
  var MS_DAY = 86400000;
  var el = R.el;

  // Day n moved by k calendar months, the day of the month kept where the month has it (31 Jan + 1 = 28 Feb).
  C.addMonths = function (n, k) {
    var d = new Date(n * MS_DAY), y = d.getUTCFullYear(), m = d.getUTCMonth() + k;
    var days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return Math.round(Date.UTC(y, m, Math.min(d.getUTCDate(), days)) / MS_DAY);
  };

  function button(id, text, label) {
    var b = el("button", null, text);
    b.id = id;
    b.type = "button";
    if (label) {
      b.setAttribute("aria-label", label);
      b.title = label;
    }
    return b;
  }

  // The control's DOM, inside `box` (ids as the offline file always had them: its CSS and tests use them).
  function build(box, t, speeds, speed) {
    R.clear(box);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t.group);
    var ui = {};
    var row = el("div", "fm-row");
    ui.prev = button("fm-prev", t.prev, t.prev_label);
    ui.play = button("fm-play", t.play);
    ui.play.setAttribute("aria-pressed", "false");
    ui.next = button("fm-next", t.next, t.next_label);
    var speedLabel = el("label", "fm-speed", t.speed + " ");
    ui.speed = el("select");
    ui.speed.id = "fm-speed";
    speeds.forEach(function (s) {
      var o = el("option", null, s[1]);
      o.value = s[0];
      if (s[0] === speed) o.selected = true;
      ui.speed.appendChild(o);
    });
    speedLabel.appendChild(ui.speed);
    var dateLabel = el("label", "fm-datefield", t.date + " ");
    ui.dateField = el("input");
    ui.dateField.id = "fm-date";
    ui.dateField.type = "date";
    ui.dateField.required = true;
    dateLabel.appendChild(ui.dateField);
    [ui.prev, ui.play, ui.next, speedLabel, dateLabel].forEach(function (e) { row.appendChild(e); });
    var track = el("div", "fm-track");
    ui.ticks = el("div");
    ui.ticks.id = "fm-ticks";
    ui.ticks.setAttribute("aria-hidden", "true"); // marks only: the buttons and the slider's value say it all
    ui.slider = el("input");
    ui.slider.id = "fm-slider";
    ui.slider.type = "range";
    ui.slider.step = "1";
    ui.slider.setAttribute("aria-label", t.slider);
    track.appendChild(ui.ticks);
    track.appendChild(ui.slider);
    ui.status = el("p", "fm-sr-only");
    ui.status.id = "fm-control-status";
    ui.status.setAttribute("role", "status");
    ui.status.setAttribute("aria-live", "polite");
    box.appendChild(row);
    box.appendChild(track);
    box.appendChild(ui.status);
    return ui;
  }

  // o: {first, last, day (ISO), keys: [{date, label}], texts, speeds: [[value, label]], speed, pause_ms,
  //     onDay(n, how), onSettle(n, how), note(text)}. Returns the control's API.
  C.create = function (box, o) {
    var t = o.texts, P = R.parseISO, iso = R.iso;
    var ui = build(box, t, o.speeds, o.speed);
    var first, last, keys = [];
    var day = null, settled = null, playing = null;
    var dragging = false, keyHeld = false, settleTimer = null, typing = false;
    var api = {};

    function note(text) { if (o.note) o.note(text); }

    function show(n, how) {
      day = n;
      ui.slider.value = String(n - first);
      ui.slider.setAttribute("aria-valuetext", iso(n));
      if (document.activeElement !== ui.dateField) ui.dateField.value = iso(n);
      if (o.onDay) o.onDay(n, how);
    }
    function setDay(n, how) {
      n = Math.min(Math.max(n, first), last);
      if (n !== day) show(n, how);
    }
    function settle(how) {
      if (settleTimer) {
        clearTimeout(settleTimer);
        settleTimer = null;
      }
      if (day === settled) return;
      settled = day;
      if (o.onSettle) o.onSettle(day, how);
    }

    function setRange(f, l, keyDates) {
      first = P(f);
      last = P(l);
      ui.slider.min = "0";
      ui.slider.max = String(last - first);
      ui.dateField.min = iso(first);
      ui.dateField.max = iso(last);
      keys = [];
      R.clear(ui.ticks);
      (keyDates || []).forEach(function (k) {
        var n = P(k.date);
        if (n === null || n < first || n > last) return;
        keys.push(n);
        var mark = el("span", "tick");
        mark.title = R.fmt(t.tick, { date: k.date, label: k.label });
        mark.style.left = (100 * (n - first)) / Math.max(1, last - first) + "%";
        ui.ticks.appendChild(mark);
      });
      if (day !== null) {
        var d = Math.min(Math.max(day, first), last);
        day = null;
        show(d, "range");
      }
    }

    function keyStep(dir) {
      var target = null;
      keys.forEach(function (n) {
        if (dir > 0 && n > day && target === null) target = n;
        if (dir < 0 && n < day) target = n;
      });
      if (target !== null) setDay(target, "keydate");
    }

    // ---- play: one day at a time, at N days per second or one day per frame; never skips a day ----------------
    function stop(quiet) {
      if (!playing) return;
      cancelAnimationFrame(playing.raf);
      playing = null;
      ui.play.textContent = t.play;
      ui.play.setAttribute("aria-pressed", "false");
      if (quiet) return;
      ui.status.textContent = t.stopped ? R.fmt(t.stopped, { date: iso(day) }) : "";
      settle("play");
    }
    function play(opts) {
      opts = opts || {};
      stop(true);
      var speed = opts.speed || ui.speed.value;
      var end = opts.to ? P(opts.to) : last;
      if (day >= end) setDay(opts.from ? P(opts.from) : first, "play");
      playing = { speed: speed, end: end, t0: null, acc: 0 };
      ui.play.textContent = t.pause;
      ui.play.setAttribute("aria-pressed", "true");
      ui.status.textContent = t.playing;
      var tick = function (now) {
        if (!playing) return;
        var steps = 1;
        if (playing.speed !== "frame") {
          if (playing.t0 === null) playing.t0 = now;
          playing.acc += ((now - playing.t0) / 1000) * Number(playing.speed);
          playing.t0 = now;
          steps = Math.min(Math.floor(playing.acc), 1);
          playing.acc = Math.min(playing.acc - steps, 1); // a slow frame delays the next day, never skips one
        }
        if (steps) setDay(day + 1, "play");
        if (day >= playing.end) return stop();
        playing.raf = requestAnimationFrame(tick);
      };
      playing.raf = requestAnimationFrame(tick);
    }

    // ---- the slider: drag (input, then change on release) and the keyboard ------------------------------------
    var KEYS = {
      ArrowRight: function (n) { return n + 1; },
      ArrowUp: function (n) { return n + 1; },
      ArrowLeft: function (n) { return n - 1; },
      ArrowDown: function (n) { return n - 1; },
      PageUp: function (n) { return C.addMonths(n, 1); },
      PageDown: function (n) { return C.addMonths(n, -1); },
      Home: function () { return first; },
      End: function () { return last; },
    };
    ui.slider.addEventListener("pointerdown", function () {
      stop(true);
      dragging = true;
    });
    // A release ends the drag; the slider's change event settles it. A press that moved nothing still ends a play
    // it interrupted: settle whatever day is shown once the release has been handled.
    function released() {
      if (!dragging) return;
      dragging = false;
      setTimeout(function () { if (!api.busy()) settle("drag"); }, 0);
    }
    document.addEventListener("pointerup", released, true);
    document.addEventListener("pointercancel", released, true);
    ui.slider.addEventListener("input", function () { setDay(first + Number(ui.slider.value), "drag"); });
    ui.slider.addEventListener("change", function () {
      dragging = false;
      setDay(first + Number(ui.slider.value), "drag");
      settle("drag");
    });
    ui.slider.addEventListener("keydown", function (e) {
      var to = KEYS[e.key];
      if (!to || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault(); // the day is set here: no native step, no change event
      stop(true);
      keyHeld = true;
      if (settleTimer) {
        clearTimeout(settleTimer);
        settleTimer = null;
      }
      setDay(to(day), "keys");
    });
    ui.slider.addEventListener("keyup", function (e) {
      if (!KEYS[e.key]) return;
      keyHeld = false;
      if (settleTimer) clearTimeout(settleTimer);
      settleTimer = setTimeout(function () { settle("keys"); }, o.pause_ms);
    });
    ui.slider.addEventListener("blur", function () {
      keyHeld = false;
      if (settleTimer) settle("keys");
    });

    // ---- the typed date: the map follows a valid day at once; the date settles on Enter or leaving the field --
    function typed() {
      var n = P(ui.dateField.value);
      if (n !== null && n >= first && n <= last) {
        typing = true;
        setDay(n, "typed");
      }
    }
    function commit() {
      typing = false;
      var raw = ui.dateField.value, n = P(raw);
      if (n === null) {
        note(R.fmt(t.bad_date, { value: raw.slice(0, 40), shown: iso(day) }));
        ui.dateField.value = iso(day);
      } else if (n < first || n > last) {
        var clamped = Math.min(Math.max(n, first), last);
        note(R.fmt(t.out_of_range, { value: raw, shown: iso(clamped), first: iso(first), last: iso(last) }));
        setDay(clamped, "typed");
        ui.dateField.value = iso(day);
      } else {
        note("");
        setDay(n, "typed");
      }
      settle("typed");
    }
    ui.dateField.addEventListener("input", typed);
    ui.dateField.addEventListener("change", typed);
    ui.dateField.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        commit();
      }
    });
    ui.dateField.addEventListener("blur", function () { if (typing || P(ui.dateField.value) !== day) commit(); });

    // ---- buttons ----------------------------------------------------------------------------------------------
    ui.play.addEventListener("click", function () { return playing ? stop() : play(); });
    ui.speed.addEventListener("change", function () { if (playing) play(); });
    ui.prev.addEventListener("click", function () {
      stop(true);
      keyStep(-1);
      settle("keydate");
    });
    ui.next.addEventListener("click", function () {
      stop(true);
      keyStep(1);
      settle("keydate");
    });

    // ---- the API ----------------------------------------------------------------------------------------------
    api.ui = ui;
    api.day = function () { return day; };
    api.first = function () { return first; };
    api.last = function () { return last; };
    // Move to day n from outside (the file's fragment, the server's date): shown, and taken as settled.
    api.setDay = function (n, how) {
      setDay(n, how || "api");
      settled = day;
    };
    api.setRange = setRange;
    api.play = play;
    api.stop = stop;
    api.playing = function () { return !!playing; };
    // A gesture is under way: its date is not settled yet (the app then keeps the day it shows).
    api.busy = function () { return !!(playing || dragging || keyHeld || settleTimer || typing); };

    setRange(o.first, o.last, o.keys);
    show(Math.min(Math.max(P(o.day), first), last), "start");
    settled = day;
    return api;
  };

  if (typeof module === "object" && module.exports) module.exports = C; // node --test (tests/js/)
})(typeof window !== "undefined" ? window : globalThis);
