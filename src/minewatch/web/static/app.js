// minewatch review app: the incident map (Leaflet over the offline basemap, no tiles).
"use strict";
(function () {
  var STYLE = {
    land: { color: "#b9b4a8", weight: 0.6, fillColor: "#f3f0e8", fillOpacity: 1 },
    border: { color: "#555555", weight: 1.2, fill: false },
    river: { color: "#5dade2", weight: 1.6, fill: false },
    dmz: { color: "#e67e22", weight: 0.8, fillColor: "#f5cba7", fillOpacity: 0.8 },
    mdl: { color: "#c0392b", weight: 1, dashArray: "4 3", fill: false },
    "sea-line": { color: "#7f8c8d", weight: 0.8, dashArray: "2 3", fill: false },
    line: { color: "#888888", weight: 0.8, fill: false }
  };

  function drawMap(el) {
    if (typeof L === "undefined") { return; }
    var points = JSON.parse(el.getAttribute("data-points") || "[]");
    // a view first: Leaflet cannot add vector layers to a map without one
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 }).setView([40, 127], 5);
    el.setAttribute("data-ready", "0");
    fetch(el.getAttribute("data-basemap"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { type: "FeatureCollection", features: [] }; })
      .then(function (data) {
        var base = L.geoJSON(data, {
          style: function (f) { return STYLE[f.properties.kind] || STYLE.line; },
          interactive: false
        }).addTo(map);
        var marks = points.map(function (p) {
          var m = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#a40e26", fillColor: "#e74c3c", fillOpacity: 0.9 });
          m.bindTooltip(document.createTextNode(p.name));
          return m.addTo(map);
        });
        if (marks.length) {
          map.setView([points[0].lat, points[0].lon], 7);
        } else if (base.getLayers().length) {
          map.fitBounds(base.getBounds());
        }
        el.setAttribute("data-ready", String(marks.length));
      });
  }

  function init() {
    var el = document.getElementById("map");
    if (el) { drawMap(el); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
