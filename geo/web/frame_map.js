// What a folium map in a frame of its own (the Places and New story pages, through st_folium) needs
// beyond Leaflet. Place names that would cover one another, or run off the map, give way: a name
// drawn earlier wins, the others wait until a zoom makes room, and a hidden name still shows while
// the pointer is on its place. (The player lays its labels out itself, in templates/player/labels.js.)
(function () {
  "use strict";

  function overlaps(a, b) {
    return !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);
  }

  function declutter(map) {
    var frame = map.getContainer().getBoundingClientRect();
    var kept = [];
    map.eachLayer(function (layer) {
      var tip = layer.getTooltip && layer.getTooltip();
      if (!tip || !tip.options.permanent || !tip._container) return;
      var label = tip._container;
      label.style.visibility = "";
      var box = label.getBoundingClientRect();
      var inside = box.left >= frame.left && box.right <= frame.right && box.top >= frame.top &&
        box.bottom <= frame.bottom;
      if (inside && !kept.some(function (other) { return overlaps(box, other); })) {
        kept.push(box);
      } else {
        label.style.visibility = "hidden";
      }
      if (!layer._smDeclutter) {
        layer._smDeclutter = true;
        layer.on("mouseover", function () { label.style.visibility = ""; });
        layer.on("mouseout", function () { schedule(map); });
        // Leaflet's stylesheet can arrive after the map is made (st_folium adds it to the frame):
        // until then a name is a full-width block, so look again when its size changes.
        if (map._smLabelObserver) map._smLabelObserver.observe(label);
      }
    });
  }

  // A timer, not requestAnimationFrame: Chromium pauses animation frames in a frame that is not
  // drawn yet (st_folium's starts 0 px tall), and a name hidden then would stay hidden.
  function schedule(map) {
    if (map._smDeclutterTimer) return;
    map._smDeclutterTimer = setTimeout(function () {
      map._smDeclutterTimer = null;
      declutter(map);
    }, 30);
  }

  L.Map.addInitHook(function () {
    var map = this;
    // The credits' prefix as plain text, as in the player: Leaflet's is a link with a flag icon.
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    map.on("zoomend moveend resize layeradd", function () { schedule(map); });
    map.whenReady(function () { schedule(map); });
    // The frame is sized after the map is made (st_folium sets its height once drawn): lay the
    // names out again whenever the map's box changes.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { schedule(map); }).observe(map.getContainer());
      map._smLabelObserver = new ResizeObserver(function () { schedule(map); });
    }
  });
})();
