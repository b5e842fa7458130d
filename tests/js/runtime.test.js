// Unit tests of the browser runtime's lookups (static/flankmap/runtime.js) on a small hand-made timeline.
// Run by `node --test tests/js/` (tests/unit/test_js_runtime.py runs it inside the README's test command).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const R = require(path.join(__dirname, "..", "..", "static", "flankmap", "runtime.js"));

function data(overrides) {
  const D = {
    fill: "status",
    spend_year: null,
    first: "2000-01-01",
    last: "2030-12-31",
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"],
    texts: {
      status_on: "Status on {date}: ",
      countdown: "{n} days until effective",
      countdown_one: "1 day until effective",
      no_data: "No treaty data",
      changed_since: "Changed since {compare}",
    },
    styles: [{ fill: "#111111" }, { fill: "#222222" }, { fill: "#333333" }, { fill: "#444444" }, { fill: "#555555" }],
    hatches: [],
    no_data_style: 4,
    countries: {
      AAA: {
        name: "Aland",
        iv: [
          { from: "2000-01-01", to: "2025-06-26", code: "state_party", stage: null, flag: null, effective: null,
            tip: [["text", "In force"], ["small", "Source: A"]], label: "State Party", s: 0, flag_label: null },
          { from: "2025-06-27", to: "2025-12-26", code: "withdrawal_pending", stage: "deposited", flag: null,
            effective: "2025-12-27", tip: [["countdown", ""], ["small", "Source: B"]], label: "Withdrawal pending",
            s: 1, flag_label: null },
          { from: "2025-12-27", to: "2030-12-31", code: "withdrawn", stage: null, flag: null, effective: null,
            tip: [["text", "Gone"]], label: "Withdrawn", s: 2, flag_label: null },
        ],
      },
      BBB: { name: "Bland", iv: [] },
    },
    spend: {
      tip: { AAA: [[2020, "Defence spending: 2.00% of GDP (2020, NATO)"], [2025, "Defence spending: 4.00% of GDP (2025, NATO)"]] },
      fill: { AAA: { 2024: 3 } },
      none: 4,
      year_for: { 2025: 2024, 2026: 2024 },
    },
    counts: [{ from: "2000-01-01", to: "2025-12-26", text: "164" }, { from: "2025-12-27", to: "2030-12-31", text: "163" }],
    legend: [{ from: "2000-01-01", to: "2030-12-31", rows: [0] }],
    legend_rows: [{ kind: "patch", key: "status:state_party", label: "State Party", style: null }],
    border_legend: [{ kind: "line", key: "border:suwalki", label: "Suwałki Gap", style: null }],
    heading: { title: "Status on {date}", subs: ["{count} States Parties worldwide"] },
    stale: { from: "2026-12-02", text: "Checked through 2026-12-01" },
    key_dates: [],
    compare: {
      sub: "Outlined: changed since {compare}",
      tip: "Changed since {compare}",
      legend: { kind: "patch", key: "changed", label: "changed since {compare}", style: null },
      outlined: { 1: 3 },
    },
  };
  return R.prepare(Object.assign(D, overrides || {}));
}
const n = R.parseISO;

test("parseISO takes real calendar days only", () => {
  assert.equal(R.iso(n("2025-12-27")), "2025-12-27");
  assert.equal(n("2026-02-30"), null);
  assert.equal(n("20260101"), null);
  assert.equal(n(""), null);
  assert.equal(n("2025-12-28") - n("2025-12-27"), 1);
});

test("longDate and fmt use the words Python sent", () => {
  const D = data();
  assert.equal(R.longDate(D, n("2026-02-20")), "20 February 2026");
  assert.equal(R.fmt("{a} and {b} {c}", { a: 1, b: "x" }), "1 and x {c}");
});

test("find and interval: the interval holding a day, none outside", () => {
  const D = data();
  const c = R.country(D, "AAA");
  assert.equal(R.interval(c, n("2025-06-26")).code, "state_party");
  assert.equal(R.interval(c, n("2025-06-27")).code, "withdrawal_pending");
  assert.equal(R.interval(c, n("2025-12-27")).code, "withdrawn");
  assert.equal(R.interval(c, n("1999-12-31")), undefined);
  assert.equal(R.interval(R.country(D, "ZZZ", "Zed"), n("2025-01-01")), undefined);
});

test("tooltip lines: status sentence, countdown from the effective day, spending before the source", () => {
  const D = data();
  const c = R.country(D, "AAA");
  const day = n("2025-12-20");
  assert.deepEqual(R.tooltipLines(D, c, R.interval(c, day), day), [
    ["b", "Aland"],
    ["status", "Status on 20 December 2025: Withdrawal pending"],
    ["b", "7 days until effective"],
    ["text", "Defence spending: 4.00% of GDP (2025, NATO)"],
    ["small", "Source: B"],
  ]);
});

test("the countdown says 1 day, not 1 days, on the eve", () => {
  const D = data();
  const c = R.country(D, "AAA");
  const day = n("2025-12-26");
  assert.deepEqual(R.tooltipLines(D, c, R.interval(c, day), day)[2], ["b", "1 day until effective"]);
});

test("tooltip lines: a spending line with no source line goes last; compare adds its line", () => {
  const D = data();
  const c = R.country(D, "AAA");
  const day = n("2026-01-05");
  assert.deepEqual(R.tooltipLines(D, c, R.interval(c, day), day, "2025-06-01").slice(2), [
    ["text", "Gone"],
    ["text", "Defence spending: 4.00% of GDP (2025, NATO)"],
    ["b", "Changed since 2025-06-01"],
  ]);
});

test("a country without treaty data says so and gets the no-data style", () => {
  const D = data();
  const c = R.country(D, "BBB");
  assert.deepEqual(R.tooltipLines(D, c, undefined, n("2025-01-01")), [["b", "Bland"], ["text", "No treaty data"]]);
  assert.equal(R.styleIndex(D, c, undefined, n("2025-01-01")), 4);
});

test("spending fill: the chosen year, else the default year of the calendar year", () => {
  const D = data({ fill: "spending" });
  const c = R.country(D, "AAA");
  const day = n("2025-03-01");
  const iv = R.interval(c, day);
  assert.equal(R.spendYear(D, day), 2024);
  assert.equal(R.styleIndex(D, c, iv, day), 3);
  D.spend_year = 2020;
  assert.equal(R.styleIndex(D, c, iv, day), 4); // no figure that year: the "none" style
});

test("heading: the count of the day, the stale warning after the check day, the compare line", () => {
  const D = data();
  let h = R.heading(D, n("2025-12-26"));
  assert.equal(h.title, "Status on 26 December 2025");
  assert.deepEqual(h.subs, ["164 States Parties worldwide"]);
  assert.equal(h.warning, null);
  h = R.heading(D, n("2026-12-02"), "2025-06-01");
  assert.deepEqual(h.subs, ["163 States Parties worldwide", "Outlined: changed since 1 June 2025"]);
  assert.equal(h.warning, "Checked through 2026-12-01");
});

test("legend as shown: the day's rows, then the compare row, then borders when on", () => {
  const D = data();
  const keys = (e) => e.map((x) => x.key);
  assert.deepEqual(keys(R.legendShown(D, n("2025-01-01"), { borders: false })), ["status:state_party"]);
  assert.deepEqual(keys(R.legendShown(D, n("2025-01-01"), { borders: true }, "2024-01-01")), [
    "status:state_party",
    "changed",
    "border:suwalki",
  ]);
  assert.equal(R.legendShown(D, n("2025-01-01"), {}, "2024-01-01")[1].label, "changed since 2024-01-01");
});

test("view: compare outlines only the countries named, by the published outlined style", () => {
  const D = data();
  const v = R.view(D, n("2025-07-01"), { layers: { borders: false }, compare: { date: "2025-06-01", changed: ["AAA"] } });
  assert.equal(v.countries.AAA.style, 3);
  assert.equal(v.countries.AAA.code, "withdrawal_pending");
  assert.equal(v.countries.BBB.style, 4);
  assert.equal(v.countries.BBB.code, null);
  const plain = R.view(D, n("2025-07-01"), { layers: {} });
  assert.equal(plain.countries.AAA.style, 1);
});
