// A single view's briefing annotations in the offline map file (export with annotations): drawn on each day inside
// their ranges by R.drawAnnotations, as the story and the app's map draw them; every text is set as text.
(function () {
  "use strict";
  var T = window.FlankmapTimeline, R = window.FlankmapRuntime;
  var N = JSON.parse(document.getElementById("fm-notes-data").textContent);
  var D = T.D, map = T.map; // set by timeline.js once the map is made
  map.createPane("flankmapNotes").style.zIndex = 660; // the callouts' own pane, above the markers
  var group = L.layerGroup().addTo(map), shapes = { country: {}, border: {} };
  D.geo.countries.features.forEach(function (f) { shapes.country[f.properties.iso3] = f; });
  ((D.geo.borders && D.geo.borders.features) || []).forEach(function (f) { shapes.border[f.properties.segment_id] = f; });
  function draw(day) {
    var n = R.drawAnnotations(group, N.annotations, day, shapes, N.highlight, "flankmapNotes");
    document.body.setAttribute("data-flankmap-annotations", String(n));
    if (T.relayout) T.relayout(); // the labels make way for the callouts
  }
  T.onDay = draw;
  draw(T.day());
})();
