// Print the view the browser runtime resolves (R.view) for the days and options given, as JSON on stdout.
// Used by tests/unit/test_view_agreement.py, which compares it with flankmap.view.model.resolve.
// usage: node view_dump.js DATA.json SPEC.json   (SPEC: [{"date", "year", "layers", "compare"}])
"use strict";
const fs = require("fs");
const path = require("path");
const R = require(path.join(__dirname, "..", "..", "static", "flankmap", "runtime.js"));

const D = R.prepare(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const spec = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = spec.map(function (s) {
  D.spend_year = s.year || null;
  return R.view(D, R.parseISO(s.date), { layers: s.layers, compare: s.compare || null });
});
process.stdout.write(JSON.stringify(out));
