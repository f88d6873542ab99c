/* Story Map player: the map's permanent labels and its legend, laid out in the browser.
 *
 * Every label is placed at the map's real size, after the view is set: each tries its sides in
 * turn (a place: right, left, above, below; a count: around its ring; a distance: beside its line,
 * along it) and takes the first spot inside the map that covers no other label, dot or control.
 * The places the step's sentences name go first, so they are always labelled. The basemap then
 * fits its town and country names around what is taken here.
 */
(function (SM) {
  "use strict";
  var el = SM.el, clear = SM.clear;
  var MARGIN = 4;  // px kept free at the map's edges
  var DOT = 11;    // a place's dot: its radius and white ring, in px

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  // What a label would cover at a spot: its box, for a (w, h) label anchored by (ax, ay) in [0, 1].
  function box(x, y, w, h, ax, ay) { return [x - ax * w, y - ay * h, x - ax * w + w, y - ay * h + h]; }

  // The candidate spots of each kind of label, best first, in container pixels.
  function placeSpots(p, w, h) {
    var g = DOT - 2;
    return [box(p.x + g, p.y, w, h, 0, 0.5), box(p.x - g, p.y, w, h, 1, 0.5), box(p.x, p.y - g, w, h, 0.5, 1),
            box(p.x, p.y + g, w, h, 0.5, 0), box(p.x + g, p.y - g, w, h, 0, 1), box(p.x + g, p.y + g, w, h, 0, 0),
            box(p.x - g, p.y - g, w, h, 1, 1), box(p.x - g, p.y + g, w, h, 1, 0)];
  }

  // Further out, joined to the dot by a leader line: for a crowded cluster of named places.
  function leaderSpots(p, w, h) {
    var spots = [];
    [44, 76, 110].forEach(function (d) {
      [[1, 0], [-1, 0], [0.7, -0.7], [-0.7, -0.7], [0.7, 0.7], [-0.7, 0.7], [0, -1], [0, 1]].forEach(function (u) {
        var x = p.x + u[0] * d, y = p.y + u[1] * d;
        var spot = box(x, y, w, h, u[0] > 0.1 ? 0 : u[0] < -0.1 ? 1 : 0.5, u[1] > 0.1 ? 0 : u[1] < -0.1 ? 1 : 0.5);
        spot.leader = [p.x, p.y, x, y];
        spots.push(spot);
      });
    });
    return spots;
  }

  function ringSpots(p, r, w, h) {
    var g = r + 3;
    return [box(p.x + g, p.y, w, h, 0, 0.5), box(p.x - g, p.y, w, h, 1, 0.5), box(p.x, p.y + g, w, h, 0.5, 0),
            box(p.x, p.y - g, w, h, 0.5, 1), box(p.x + g * 0.7, p.y + g * 0.7, w, h, 0, 0),
            box(p.x - g * 0.7, p.y + g * 0.7, w, h, 1, 0), box(p.x + g * 0.7, p.y - g * 0.7, w, h, 0, 1),
            box(p.x - g * 0.7, p.y - g * 0.7, w, h, 1, 1)];
  }

  // Beside a line: at its middle first, then further along, on either side, clear of the line.
  function lineSpots(a, b, w, h) {
    var spots = [], dx = b.x - a.x, dy = b.y - a.y, length = Math.hypot(dx, dy) || 1;
    var nx = -dy / length, ny = dx / length;  // a unit normal
    [0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85].forEach(function (t) {
      var x = a.x + t * dx, y = a.y + t * dy;
      [1, -1].forEach(function (side) {
        // Far enough along the normal that the box's nearest corner stays off the line.
        var off = 4 + (Math.abs(nx) * w + Math.abs(ny) * h) / 2;
        spots.push(box(x + side * nx * off, y + side * ny * off, w, h, 0.5, 0.5));
      });
    });
    return spots;
  }

  function segmentHitsBox(a, b, r) {
    // Liang-Barsky: does the segment a-b cross the rectangle r?
    var t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
    var p = [-dx, dx, -dy, dy], q = [a.x - r[0], r[2] - a.x, a.y - r[1], r[3] - a.y];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) return false; continue; }
      var t = q[i] / p[i];
      if (p[i] < 0) { if (t > t1) return false; if (t > t0) t0 = t; }
      else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
    return true;
  }

  // A thin line from a place's dot to its label, drawn under the labels.
  function leader(map, line) {
    var a = map.containerPointToLayerPoint([line[0], line[1]]);
    var length = Math.hypot(line[2] - line[0], line[3] - line[1]);
    var node = el("div", null, "sm-leader");
    node.setAttribute("aria-hidden", "true");
    node.style.width = Math.max(0, length - DOT + 2) + "px";
    node.style.transform = "translate(" + a.x + "px," + a.y + "px) rotate(" +
      Math.atan2(line[3] - line[1], line[2] - line[0]) + "rad) translateX(" + (DOT - 2) + "px)";
    return node;
  }

  function pane(map) {
    if (!map.getPane("smStoryLabels")) {
      var created = map.createPane("smStoryLabels");
      created.style.zIndex = 640;  // above the story's layers and the basemap's names
      created.style.pointerEvents = "none";
    }
    return map.getPane("smStoryLabels");
  }

  // The labels the current step shows (held-back answers excepted), most important first.
  function wanted(player, step) {
    var data = player.data, t = player.t, held = player.held(step), out = [];
    var named = {};
    step.named.forEach(function (id) { named[id] = true; });
    var framed = {};
    step.framed.forEach(function (id) { framed[id] = true; });
    step.placeIds.slice().sort(function (a, b) {
      return (named[b] ? 2 : framed[b] ? 1 : 0) - (named[a] ? 2 : framed[a] ? 1 : 0);
    }).forEach(function (id) {
      var place = data.places[id];
      if (place.lat === null) return;
      out.push({kind: "place", text: place.name, at: [place.lat, place.lon], must: !!named[id], id: id});
    });
    step.counts.forEach(function (count, n) {
      if (!count.at || held.counts[n]) return;
      out.push({kind: "count", text: count.reported, at: count.at, radius: count.radius, must: true});
    });
    step.distances.forEach(function (distance, n) {
      if (held.distances[n]) return;
      out.push({kind: "distance", text: SM.distanceLabel(player, distance), from: distance.from, to: distance.to, must: true});
    });
    return out;
  }

  SM.distanceLabel = function (player, distance) {
    var km = Math.round(distance.km).toLocaleString("en-US");
    return distance.stated ? player.t("distance_label_stated", {km: km, stated: distance.stated})
                           : player.t("distance_label", {km: km});
  };

  // Lay out the step's labels for the view the map shows now; returns what was placed.
  // `step`: another step than the reader's (the printed map's).
  SM.layoutLabels = function (player, step) {
    step = step || player.current();
    var map = player.map, layer = clear(player.labelBox || (player.labelBox = el("div", null, "sm-labels")));
    if (!layer.parentNode) pane(map).appendChild(layer);
    var size = map.getSize(), taken = [], placed = [];
    var rect = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
      var r = control.getBoundingClientRect();
      if (r.width && r.height) taken.push([r.left - rect.left - 3, r.top - rect.top - 3, r.right - rect.left + 3, r.bottom - rect.top + 3]);
    });
    var dots = [];
    step.placeIds.forEach(function (id) {
      var place = player.data.places[id];
      if (place.lat === null) return;
      var p = map.latLngToContainerPoint([place.lat, place.lon]);
      dots.push([p.x - DOT, p.y - DOT, p.x + DOT, p.y + DOT]);
    });
    var held = player.held(step), rings = [];
    step.counts.forEach(function (count, n) {
      if (!count.at || held.counts[n]) return;
      var c = map.latLngToContainerPoint(count.at), r = count.radius + 2;
      rings.push([c.x - r, c.y - r, c.x + r, c.y + r]);
    });
    var lines = step.distances.map(function (d) {
      return [map.latLngToContainerPoint(d.from), map.latLngToContainerPoint(d.to)];
    });
    function inside(b) { return b[0] >= MARGIN && b[1] >= MARGIN && b[2] <= size.x - MARGIN && b[3] <= size.y - MARGIN; }
    function free(b, own) {
      if (!inside(b)) return false;
      if (taken.some(function (t) { return overlaps(b, t); })) return false;
      if (dots.some(function (d, i) { return i !== own && overlaps(b, d); })) return false;
      return !lines.some(function (l) { return segmentHitsBox(l[0], l[1], b); });
    }
    // Each label is measured as it will be drawn (font, size, padding), before it is placed.
    var nodes = wanted(player, step).map(function (label) {
      var node = el("div", label.text, "leaflet-tooltip sm-label sm-label-" + label.kind);
      node.setAttribute("aria-hidden", "true");  // "On this map" says it in words, once
      node.style.visibility = "hidden";
      layer.appendChild(node);
      return node;
    });
    var sizes = nodes.map(function (node) { var r = node.getBoundingClientRect(); return [r.width, r.height]; });
    wanted(player, step).forEach(function (label, n) {
      var w = sizes[n][0], height = sizes[n][1], node = nodes[n], spots, own = -1;
      if (label.kind === "distance") {
        spots = lineSpots(map.latLngToContainerPoint(label.from), map.latLngToContainerPoint(label.to), w, height);
      } else {
        var p = map.latLngToContainerPoint(label.at);
        if (p.x < -w || p.y < -height || p.x > size.x + w || p.y > size.y + height) { layer.removeChild(node); return; }
        if (label.kind === "place") own = step.placeIds.indexOf(label.id);
        spots = label.kind === "count" ? ringSpots(p, label.radius, w, height) : placeSpots(p, w, height);
        // A place the step's sentences name is labelled even in a crowd: further out, with a leader.
        if (label.must) spots = spots.concat(leaderSpots(p, w, height));
      }
      var spot = null;
      for (var i = 0; i < spots.length && !spot; i++) if (free(spots[i], own)) spot = spots[i];
      if (!spot) { layer.removeChild(node); return; }  // nowhere clear: its hover tooltip and "On this map" name it
      taken.push(spot);
      L.DomUtil.setPosition(node, map.containerPointToLayerPoint([spot[0], spot[1]]));
      node.style.visibility = "";
      if (spot.leader) layer.insertBefore(leader(map, spot.leader), layer.firstChild);
      placed.push({text: label.text, kind: label.kind, box: spot, must: label.must, id: label.id || null});
    });
    player.placedLabels = placed;
    // The basemap fits its towns and country names around the story's labels and dots.
    if (player.outline && player.outline.setTaken) player.outline.setTaken(taken.concat(dots, rings));
    return placed;
  };

  // Room to keep free at each side of the frame: the widest label of the places framed.
  SM.labelRoom = function (player, step) {
    var probe = el("div", "", "leaflet-tooltip sm-label");
    probe.style.visibility = "hidden";
    (player.labelBox || player.map.getContainer()).appendChild(probe);
    var widest = 0;
    step.framed.forEach(function (id) {
      probe.textContent = player.data.places[id].name;
      widest = Math.max(widest, probe.getBoundingClientRect().width);
    });
    probe.remove();
    return widest + DOT + 8;
  };

  // --- the legend: every symbol this step draws, by kind -----------------------------------------
  var SWATCH = {
    city: "background:#1f5fa8", "border crossing": "background:#c0392b", neighbourhood: "background:#1f5fa8",
    country: "border:2px solid #6b5b95;border-radius:2px;background:rgba(107,91,149,.15)",
    region: "border:2px solid #6b5b95;border-radius:2px;background:rgba(107,91,149,.15)",
  };

  function entry(list, symbol, text) {
    var item = list.appendChild(el("li"));
    var mark = item.appendChild(el("span", null, "sm-legend-symbol"));
    mark.setAttribute("style", symbol);
    mark.setAttribute("aria-hidden", "true");
    item.appendChild(el("span", text));
  }

  // `open`: open whatever the reader chose (the printed sheet).
  SM.renderLegend = function (player, step, open) {
    var t = player.t, data = player.data;
    if (!player.legend) {
      var Control = L.Control.extend({
        onAdd: function () {
          var div = L.DomUtil.create("div", "sm-legend leaflet-bar");
          L.DomEvent.disableClickPropagation(div);
          return div;
        },
      });
      player.legend = new Control({position: "bottomleft"}).addTo(player.map);
    }
    var root = clear(player.legend.getContainer());
    var details = root.appendChild(el("details"));
    // Open where there is room for it; folded on a narrow map, where it would hide the places.
    var chosen = player.legendOpen !== undefined;
    details.open = open || (chosen ? player.legendOpen : player.map.getSize().x >= 700);
    var summary = details.appendChild(el("summary", t("legend")));
    // The reader's own choice is kept (a click, or Enter or Space on the summary); the player's
    // opening or folding it is not a choice.
    summary.addEventListener("click", function () { player.legendOpen = !details.open; });
    var list = details.appendChild(el("ul"));
    var kinds = {}, held = player.held(step);
    step.placeIds.forEach(function (id) { kinds[data.places[id].kind] = true; });
    ["city", "neighbourhood", "border crossing", "border", "country", "region"].forEach(function (kind) {
      if (!kinds[kind]) return;
      if (kind === "border") { entry(list, "width:18px;height:0;border-top:5px solid #7a4a1f;border-radius:0", t("legend_border")); return; }
      if (kind === "neighbourhood" && kinds.city) return;
      entry(list, SWATCH[kind], t("legend_kind_" + kind.replace(" ", "_")));
    });
    entry(list, "background:#6b7078;opacity:.8", t("legend_other_places"));
    var counts = step.counts.filter(function (c, n) { return !held.counts[n]; });
    if (counts.length) entry(list, "border:2.5px solid #a84300;background:rgba(168,67,0,.3)", t("legend_count"));
    if (counts.some(function (c) { return !c.open && c.low !== c.high; })) entry(list, "border:2.5px dashed #a84300", t("legend_count_high"));
    if (step.distances.some(function (d, n) { return !held.distances[n]; })) {
      entry(list, "width:18px;height:0;border-top:4px solid #0b7a63;border-radius:0", t("legend_distance"));
    }
    if (data.hasRoute) entry(list, "width:18px;height:0;border-top:3px dashed #5f6b6d;border-radius:0", t("legend_route"));
    entry(list, "width:5px;height:5px;background:#6b7078", t("legend_town"));
    entry(list, "width:18px;height:0;border-top:2px solid #7b6c8e;border-radius:0", t("legend_country_border"));
    // Open over a place the step frames (big text, a short map): folded, so the place shows.
    if (!open && !chosen && details.open && covers(player, step, root)) details.open = false;
  };

  // Whether a box on screen lies over the dot of a place the step frames.
  function covers(player, step, node) {
    var map = player.map, corner = map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
    return step.framed.some(function (id) {
      var place = player.data.places[id];
      if (place.lat === null) return false;
      var p = map.latLngToContainerPoint([place.lat, place.lon]), x = corner.left + p.x, y = corner.top + p.y;
      return x >= r.left - DOT && x <= r.right + DOT && y >= r.top - DOT && y <= r.bottom + DOT;
    });
  }
})(window.StoryMap = window.StoryMap || {});
