// Unit tests of the timeline control's pure parts (static/flankmap/control.js) and compare mode's run lookup
// (static/flankmap/runtime.js). Run by `node --test tests/js/` (tests/unit/test_js_runtime.py).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const R = require(path.join(__dirname, "..", "..", "static", "flankmap", "runtime.js"));
const C = require(path.join(__dirname, "..", "..", "static", "flankmap", "control.js"));

test("a month step keeps the day of the month where the month has it", () => {
  const n = (s) => R.parseISO(s);
  assert.equal(R.iso(C.addMonths(n("2025-12-27"), 1)), "2026-01-27");
  assert.equal(R.iso(C.addMonths(n("2025-01-31"), 1)), "2025-02-28");
  assert.equal(R.iso(C.addMonths(n("2024-01-31"), 1)), "2024-02-29");
  assert.equal(R.iso(C.addMonths(n("2025-03-31"), -1)), "2025-02-28");
  assert.equal(R.iso(C.addMonths(n("2026-01-10"), -1)), "2025-12-10");
  assert.equal(R.iso(C.addMonths(n("1997-09-18"), -12)), "1996-09-18");
});

test("compare mode looks the day up in the published runs", () => {
  const compare = { date: "2025-06-01", runs: { EST: [["2025-06-27", "2025-12-26"], ["2026-01-01", "2099-12-31"]] } };
  const runs = R.compareRuns(compare);
  assert.equal(R.changedOn(runs, "EST", R.parseISO("2025-06-26")), false);
  assert.equal(R.changedOn(runs, "EST", R.parseISO("2025-06-27")), true);
  assert.equal(R.changedOn(runs, "EST", R.parseISO("2025-12-30")), false);
  assert.equal(R.changedOn(runs, "EST", R.parseISO("2026-01-01")), true);
  assert.equal(R.changedOn(runs, "LVA", R.parseISO("2026-01-01")), false);
  assert.deepEqual(R.changedSet(compare, R.parseISO("2025-07-01")), { EST: true });
  assert.deepEqual(R.changedSet({ date: "2025-06-01", changed: ["LVA"] }, 0), { LVA: true });
  assert.deepEqual(R.changedSet(null, 0), {});
});
