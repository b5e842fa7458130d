// The label layout's greedy pass (R.placeLabels): priority order, no overlap, boxes and flank points avoided,
// dropped when nothing fits. Run by tests/unit/test_js_runtime.py (node --test).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("path");
const R = require(path.join(__dirname, "..", "..", "static", "flankmap", "runtime.js"));

const AROUND = [["c", 0], ["s", 4], ["n", 4], ["e", 4], ["w", 4]];
const size = { x: 400, y: 300 };
const item = (id, x, y, places, extra) => Object.assign({ id, w: 80, h: 20, x, y, places: places || AROUND }, extra);
const over = (a, b) => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];

test("the first label takes its first place; a second on the same anchor moves to the next free one", () => {
  const places = [["c", 0], ["s", 4], ["s", 14]]; // "s": the label's top that far under the anchor
  const out = R.placeLabels([item("a", 200, 150, places), item("b", 200, 150, places)], [], [], size, 2);
  assert.deepStrictEqual(out[0].place, ["c", 0]);
  assert.deepStrictEqual(out[1].place, ["s", 14]);
  assert.ok(!over(out[0].box, out[1].box));
});

test("a label that fits nowhere is dropped, never drawn over another", () => {
  const items = [item("a", 200, 150, [["c", 0]]), item("b", 205, 150, [["c", 0]])];
  const out = R.placeLabels(items, [], [], size, 2);
  assert.ok(out[0].box);
  assert.deepStrictEqual(out[1], { id: "b", dropped: true });
});

test("boxes, the map's edge and flank points are avoided; no label covers a flank point", () => {
  const box = [150, 130, 250, 170]; // an overlay over the anchor's centre place
  let out = R.placeLabels([item("a", 200, 150, [["c", 0], ["s", 30]])], [box], [], size, 2);
  assert.deepStrictEqual(out[0].place, ["s", 30]);
  assert.ok(!over(out[0].box, box), out[0]);
  out = R.placeLabels([item("a", 10, 150)], [], [], size, 2); // centred would cross the left edge
  assert.ok(out[0].box[0] >= 2, out[0]);
  const points = [[200, 150], [200, 175]]; // e.g. Kaliningrad's middle and a vertex south of it
  out = R.placeLabels([item("kal", 200, 150, [["c", 0], ["s", 20], ["w", 20]], { leader: true })], [], points, size, 2);
  assert.deepStrictEqual(out[0].place, ["w", 20]);
});

test("a label whose anchor is out of the frame is not shown and not counted as dropped", () => {
  const out = R.placeLabels([item("a", -20, 150)], [], [], size, 2);
  assert.deepStrictEqual(out[0], { id: "a", outside: true });
});

test("R.labels: flag labels with the day's lines, then the fixed ones, by priority", () => {
  const D = {
    flag_labels: { UKR: { id: "flag-UKR", lines: [], priority: 1 } },
    labels: [{ id: "name-EST", lines: ["Estonia"], priority: 10 }, { id: "kaliningrad", lines: ["K"], priority: 2 }],
  };
  const out = R.labels(D, { UKR: ["Ukraine ⚑", "x"] }, { labels: true });
  assert.deepStrictEqual(out.map((l) => l.id), ["flag-UKR", "kaliningrad", "name-EST"]);
  assert.deepStrictEqual(out[0].lines, ["Ukraine ⚑", "x"]);
  assert.deepStrictEqual(D.flag_labels.UKR.lines, []); // the published data is not changed
  assert.deepStrictEqual(R.labels(D, { UKR: null }, { labels: true }).length, 2);
  assert.deepStrictEqual(R.labels(D, {}, { labels: false }), []);
});
