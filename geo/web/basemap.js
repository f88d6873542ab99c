/* Story Map basemap: sea, land, coastline, borders, country names and reference towns, offline.
 *
 * Data: the tiled store geo/basemap_build.py writes (one JSON file per tile and zoom band), fetched
 * from a URL in the app or handed over inline in a single-file export. Land is drawn on canvas
 * tiles (L.GridLayer); names are DOM labels placed once per view so that they never collide.
 * L.smBasemap({url | data, avoid, tiles}) returns the layer; its API for the player:
 *   setTiles(on)     online tiles on: sea and land fill transparent, coast, borders and names stay
 *   setAvoid(points) [[lat, lon, name], ...] the story's places: no town label near or named like them
 *   maxZoom          deepest zoom the basemap shows accurately anywhere in its data
 *   maxZoomAt(latlng) deepest accurate zoom at a point (an export holds detail only near the story)
 *   ready            Promise, resolved once the index is loaded
 *   worldLayer()     a new layer drawing only the world band (the minimap's)
 *   labels()         the labels shown now: [{text, kind: "town"|"country", box: [x0, y0, x1, y1]}]
 *   loading()        true while tiles of the view are still being drawn
 *   colourAt(latlng) the basemap's own pixel there, [r, g, b, a] (for tests and checks)
 *   setStyle({fillOpacity}) the old outline layer's fill switch, kept for the player: 0 = tiles on
 *   setCredit(words) the basemap's credit in the reader's language ({osm}: the OpenStreetMap link)
 */
(function () {
  "use strict";

  var STYLE = {
    sea: "#cfe0ec", land: "#f5f2e9", coast: "#7d9bb5", coastWidth: 1,
    border: "#7b6c8e", borderWidth: 1.6, casing: "rgba(255,255,255,0.9)"
  };
  // Towns shown at each zoom: the smallest population, and how many labels at most.
  var TOWNS = [[0, 5e6, 4], [4, 2e6, 6], [5, 1e6, 8], [6, 3e5, 10], [7, 1e5, 12], [8, 4e4, 14],
               [9, 2e4, 14], [10, 2e4, 14], [11, 1e4, 14], [12, 3e3, 14], [13, 1e3, 16]];
  // At most this many towns in each square of CELL_PX: a big city's suburbs do not use up the
  // labels while the rest of the view stays empty.
  var CELL_PX = 200, PER_CELL = 2;
  var AVOID_PX = {left: 14, right: 130, up: 16, down: 16};  // a story place's dot and its label

  function mercator(lon, lat) {
    var s = Math.sin(Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180);
    return [(lon + 180) / 360 * 256, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256];
  }

  function lonlatOf(x, y) {  // mercator at zoom 0 -> [lon, lat]
    var n = Math.PI - 2 * Math.PI * y / 256;
    return [x / 256 * 360 - 180, 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
  }

  // A JSON file of the store; the player may have started fetching it already (window.__smPrefetch),
  // while Leaflet itself was still loading.
  function getJSON(url, what) {
    var early = (window.__smPrefetch || {})[url];
    if (early) { delete window.__smPrefetch[url]; return early; }
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(what + ": HTTP " + r.status);
      return r.json();
    });
  }

  // --- the store: index, tiles, decoding --------------------------------------------------------
  function Store(options) {
    var self = this;
    this.url = options.url || null;
    this.tiles = {};
    this.listeners = [];
    var inline = options.data;
    // No URL and no data: a server without the built store (no npm); the map has online tiles only.
    var index = inline ? Promise.resolve(inline.index)
      : this.url ? getJSON(this.url + "index.json", "basemap index") : Promise.resolve({bands: []});
    this.ready = index.then(function (index) {
      self.index = index;
      self.bands = index.bands.map(function (band) {
        var b = Object.assign({}, band);
        b.land = {}; band.tiles.forEach(function (key) { b.land[key] = true; });
        b.covered = null;
        if (band.covered) { b.covered = {}; band.covered.forEach(function (key) { b.covered[key] = true; }); }
        return b;
      });
      if (inline) {
        Object.keys(inline.tiles).forEach(function (name) {
          var parts = name.split("/");
          self.tiles[name] = Promise.resolve(self.decode(self.band(parts[0]), parts[1], inline.tiles[name]));
        });
      }
      return index;
    });
  }

  Store.prototype.band = function (name) {
    return this.bands.filter(function (b) { return b.name === name; })[0];
  };

  Store.prototype.tileKeys = function (band, west, south, east, north) {
    var cols = Math.ceil(360 / band.tile), rows = Math.ceil(180 / band.tile), keys = [];
    function clamp(v, n) { return Math.max(0, Math.min(n - 1, v)); }
    var x0 = clamp(Math.floor((west + 180) / band.tile), cols), x1 = clamp(Math.floor((east + 180) / band.tile), cols);
    var y0 = clamp(Math.floor((south + 90) / band.tile), rows), y1 = clamp(Math.floor((north + 90) / band.tile), rows);
    for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) keys.push(x + "_" + y);
    return keys;
  };

  // "land": data exists; "sea": known to hold none; "unknown": not in this store (an export
  // holds the fine bands only around the story) -- then a coarser band is drawn instead.
  Store.prototype.status = function (band, key) {
    if (band.land[key]) return "land";
    if (!band.covered || band.covered[key]) return "sea";
    return "unknown";
  };

  // The finest band at or below this zoom whose tiles over the box are all known.
  Store.prototype.pick = function (zoom, box, only) {
    var self = this;
    var usable = this.bands.filter(function (b) { return !only || only.indexOf(b.name) >= 0; });
    var wanted = usable.filter(function (b) { return b.zmin <= zoom; });
    for (var i = wanted.length - 1; i >= 0; i--) {
      var band = wanted[i];
      var keys = this.tileKeys(band, box[0], box[1], box[2], box[3]);
      if (keys.every(function (k) { return self.status(band, k) !== "unknown"; })) {
        return {band: band, keys: keys.filter(function (k) { return self.status(band, k) === "land"; })};
      }
    }
    return {band: usable[0], keys: usable[0] ? this.tileKeys(usable[0], box[0], box[1], box[2], box[3]).filter(function (k) { return usable[0].land[k]; }) : []};
  };

  Store.prototype.load = function (band, key) {
    var self = this, name = band.name + "/" + key;
    if (!this.tiles[name]) {
      this.tiles[name] = getJSON(this.url + name + ".json", "basemap tile " + name).then(function (raw) {
        return self.decode(band, key, raw);
      });
    }
    return this.tiles[name];
  };

  // Integers on the band's grid, delta-coded from the tile's corner -> mercator at zoom 0.
  Store.prototype.decode = function (band, key, raw) {
    var xy = key.split("_").map(Number), step = band.step;
    var ox = Math.round((-180 + xy[0] * band.tile) / step), oy = Math.round((-90 + xy[1] * band.tile) / step);
    function line(flat, start, count) {
      var out = new Float64Array(count * 2), x = 0, y = 0, box = [Infinity, Infinity, -Infinity, -Infinity];
      for (var i = 0; i < count; i++) {
        x = i ? x + flat[start + 2 * i] : ox + flat[start];
        y = i ? y + flat[start + 2 * i + 1] : oy + flat[start + 1];
        var p = mercator(x * step, y * step);
        out[2 * i] = p[0]; out[2 * i + 1] = p[1];
        if (p[0] < box[0]) box[0] = p[0]; if (p[1] < box[1]) box[1] = p[1];
        if (p[0] > box[2]) box[2] = p[0]; if (p[1] > box[3]) box[3] = p[1];
      }
      out.box = box;  // each render tile draws only the rings that reach it
      return out;
    }
    var rings = [], at = 0;
    (raw.r || []).forEach(function (n) { rings.push(line(raw.v, at, n)); at += 2 * n; });
    var codes = raw.c || [];
    var borders = (raw.b || []).map(function (b) {
      return {left: codes[b[0]], right: codes[b[1]], points: line(b[2], 0, b[2].length / 2)};
    });
    var towns = (raw.t || []).map(function (t) {
      return {name: t[0], lon: (ox + t[1]) * step, lat: (oy + t[2]) * step, pop: t[3]};
    });
    var south = -90 + xy[1] * band.tile, west = -180 + xy[0] * band.tile;
    var sw = mercator(west, south), ne = mercator(west + band.tile, south + band.tile);
    return {key: key, rings: rings, borders: borders, towns: towns, rect: [sw[0], ne[1], ne[0], sw[1]]};
  };

  // --- land, coast and borders on canvas tiles -------------------------------------------------
  // OpenStreetMap's licence asks for this credit on the map itself.
  var OSM_LINK = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
  var ATTRIBUTION = "Basemap © " + OSM_LINK + " contributors (ODbL), towns: GeoNames";

  var KEPT_BYTES = 32 * 1024 * 1024;  // 128 tiles at 1 device pixel per CSS pixel, 32 on a 2x screen

  var Grid = L.GridLayer.extend({
    options: {tileSize: 256, updateWhenZooming: false, zIndex: 3, bands: null, pane: "tilePane"},

    initialize: function (store, state, options) {
      L.setOptions(this, options);
      this._store = store;
      this._state = state;
    },

    createTile: function (coords, done) {
      var canvas = L.DomUtil.create("canvas", "sm-basemap-tile"), ratio = window.devicePixelRatio || 1;
      var size = this.getTileSize();
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      var self = this, store = this._store, tilesOn = this._state.tilesOn;
      var key = [coords.z, coords.x, coords.y, ratio, tilesOn].join("/"), kept = this._kept(key);
      if (kept) {
        canvas.getContext("2d").drawImage(kept, 0, 0);
        // Leaflet files the tile after createTile returns; a tile ready before that is lost.
        Promise.resolve().then(function () { done(null, canvas); });
        return canvas;
      }
      store.ready.then(function () {
        var scale = Math.pow(2, coords.z), px = size.x;
        var nw = lonlatOf(coords.x * px / scale, coords.y * px / scale);
        var se = lonlatOf((coords.x + 1) * px / scale, (coords.y + 1) * px / scale);
        var choice = store.pick(coords.z, [nw[0], se[1], se[0], nw[1]], self.options.bands);
        return Promise.all(choice.keys.map(function (k) { return store.load(choice.band, k); }));
      }).then(function (tiles) {
        // Drawn in a task of its own: a step's markers and view are painted first, and the
        // land follows tile by tile instead of holding up that frame.
        setTimeout(function () {
          self._draw(canvas, coords, tiles, ratio);
          if (tilesOn === self._state.tilesOn) self._keep(key, canvas);
          done(null, canvas);
        }, 0);
      }).catch(function (error) {
        self._draw(canvas, coords, [], ratio);
        if (window.console) console.warn("Story Map basemap:", error);
        done(null, canvas);
      });
      return canvas;
    },

    // Drawn tiles are kept for the views a reader goes back to: tracing a tile's coast and borders
    // is most of a step's work in the browser (~35 ms of script a step here), copying one is not.
    // The newest are kept, up to KEPT_BYTES of pixels.
    _kept: function (key) {
      var kept = this._keptTiles && this._keptTiles.get(key);
      if (kept) { this._keptTiles.delete(key); this._keptTiles.set(key, kept); }  // now the newest
      return kept;
    },

    _keep: function (key, canvas) {
      var kept = this._keptTiles = this._keptTiles || new Map();
      kept.set(key, canvas);
      var max = Math.max(1, Math.floor(KEPT_BYTES / (4 * canvas.width * canvas.height)));
      while (kept.size > max) kept.delete(kept.keys().next().value);
    },

    _draw: function (canvas, coords, tiles, ratio) {
      var ctx = canvas.getContext("2d"), size = this.getTileSize().x, filled = !this._state.tilesOn;
      var scale = Math.pow(2, coords.z) * size / 256, dx = coords.x * size, dy = coords.y * size;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size, size);
      if (filled) { ctx.fillStyle = STYLE.sea; ctx.fillRect(0, 0, size, size); }
      var view = [dx / scale, dy / scale, (dx + size) / scale, (dy + size) / scale];
      function reaches(points) {
        var b = points.box;
        return b[0] <= view[2] && b[2] >= view[0] && b[1] <= view[3] && b[3] >= view[1];
      }
      function trace(points, close) {
        if (!reaches(points)) return;
        ctx.moveTo(points[0] * scale - dx, points[1] * scale - dy);
        for (var i = 2; i < points.length; i += 2) ctx.lineTo(points[i] * scale - dx, points[i + 1] * scale - dy);
        if (close) ctx.closePath();
      }
      tiles.forEach(function (tile) {
        ctx.save();
        // Only the tile's own square: the clipped rings' cut edges lie just outside it.
        var r = tile.rect;
        ctx.beginPath();
        ctx.rect(r[0] * scale - dx, r[1] * scale - dy, (r[2] - r[0]) * scale, (r[3] - r[1]) * scale);
        ctx.clip();
        ctx.beginPath();
        tile.rings.forEach(function (ring) { trace(ring, true); });
        if (filled) { ctx.fillStyle = STYLE.land; ctx.fill("evenodd"); }
        ctx.strokeStyle = STYLE.coast; ctx.lineWidth = STYLE.coastWidth; ctx.stroke();
        if (tile.borders.length) {
          ctx.beginPath();
          tile.borders.forEach(function (b) { trace(b.points, false); });
          ctx.lineJoin = "round";
          ctx.strokeStyle = STYLE.casing; ctx.lineWidth = STYLE.borderWidth + 2; ctx.stroke();
          ctx.strokeStyle = STYLE.border; ctx.lineWidth = STYLE.borderWidth; ctx.stroke();
        }
        ctx.restore();
      });
    }
  });

  // --- names: countries beside their borders, towns by size, none over another ------------------
  // Liang–Barsky: the part of segment a-b inside the box [x0, y0, x1, y1], or null.
  function clipSegment(a, b, box) {
    var t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
    var p = [-dx, dx, -dy, dy], q = [a[0] - box[0], box[2] - a[0], a[1] - box[1], box[3] - a[1]];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) return null; continue; }
      var t = q[i] / p[i];
      if (p[i] < 0) { if (t > t1) return null; if (t > t0) t0 = t; }
      else { if (t < t0) return null; if (t < t1) t1 = t; }
    }
    return [[a[0] + t0 * dx, a[1] + t0 * dy], [a[0] + t1 * dx, a[1] + t1 * dy]];
  }

  // Label fonts: [CSS font, line height in px, letter spacing in px, upper case].
  var FONT = {town: ["11px sans-serif", 14, 0, false], country: ["600 11px sans-serif", 14, 1.32, true]};
  var measurer = document.createElement("canvas").getContext("2d");

  function measure(text, kind) {
    var font = FONT[kind], shown = font[3] ? String(text).toUpperCase() : String(text);
    measurer.font = font[0];
    return Math.ceil(measurer.measureText(shown).width + font[2] * shown.length) + 2;
  }

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  function normalize(name) {
    return String(name).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  var Basemap = L.Layer.extend({
    initialize: function (options) {
      this.options = options || {};
      this._store = new Store(this.options);
      this._state = {tilesOn: !!this.options.tiles};
      this._grid = new Grid(this._store, this._state, {attribution: ATTRIBUTION});
      this._avoid = [];
      this._shown = [];
      this.ready = this._store.ready;
      var self = this;
      this.maxZoom = 0;
      this.ready.then(function () {
        self.maxZoom = Math.max.apply(null, self._store.bands.map(function (b) { return b.maxZoom; }));
      });
      this.setAvoid(this.options.avoid || []);
    },

    onAdd: function (map) {
      this._map = map;
      if (!map.getPane("smBasemapLabels")) {
        var pane = map.createPane("smBasemapLabels");
        pane.style.zIndex = 350;  // above the land and tiles, below the story's layers (400+)
        pane.style.pointerEvents = "none";
      }
      this._labelPane = map.getPane("smBasemapLabels");
      this._box = L.DomUtil.create("div", "sm-basemap-labels", this._labelPane);
      map.addLayer(this._grid);
      map.on("moveend zoomend resize", this._relabel, this);
      this._grid.on("load", this._relabel, this);
      this.ready.then(this._relabel.bind(this));
    },

    onRemove: function (map) {
      map.removeLayer(this._grid);
      map.off("moveend zoomend resize", this._relabel, this);
      this._grid.off("load", this._relabel, this);
      L.DomUtil.remove(this._box);
    },

    setTiles: function (on) {
      this._state.tilesOn = !!on;
      this._grid.redraw();
      return this;
    },

    // The outline layer's old API, so the player's fill toggle keeps working.
    setStyle: function (style) {
      if (style && style.fillOpacity !== undefined) this.setTiles(style.fillOpacity === 0);
      return this;
    },

    bringToBack: function () { this._grid.bringToBack(); return this; },

    // The credit in the reader's words: plain text with {osm} where the OpenStreetMap link goes.
    setCredit: function (words) {
      var text = document.createElement("span");
      text.textContent = String(words);
      var html = text.innerHTML.replace("{osm}", OSM_LINK), old = this._grid.options.attribution;
      if (html === old) return this;
      this._grid.options.attribution = html;
      var control = this._map && this._map.attributionControl;
      if (control && this._map.hasLayer(this._grid)) control.removeAttribution(old).addAttribution(html);
      return this;
    },

    setAvoid: function (points) {
      this._avoid = (points || []).map(function (p) { return {lat: p[0], lon: p[1], name: normalize(p[2] || "")}; });
      if (this._map) this._relabel();
      return this;
    },

    // Boxes (container pixels, [x0, y0, x1, y1]) the story's own labels and dots take in the
    // current view: the basemap's names go around them.
    setTaken: function (boxes) {
      this._taken = (boxes || []).slice();
      if (this._map) this._relabel();
      return this;
    },

    maxZoomAt: function (latlng) {
      var store = this._store, ll = L.latLng(latlng), best = 0;
      if (!store.bands) return 0;
      store.bands.forEach(function (band) {
        var key = store.tileKeys(band, ll.lng, ll.lat, ll.lng, ll.lat)[0];
        if (store.status(band, key) !== "unknown") best = Math.max(best, band.maxZoom);
      });
      return best;
    },

    worldLayer: function () {
      // Its own state: the minimap has no tiles under it, so it stays filled when the map's are on.
      return new Grid(this._store, {tilesOn: false}, {bands: ["world"]});
    },

    labels: function () { return this._shown.slice(); },

    // Tiles still drawing, or names still being placed for the view.
    loading: function () { return !this._store.bands || this._grid.isLoading() || !!this._pending; },

    // The basemap's own colour at a point (sea, land, line), as [r, g, b, a]; null if not drawn yet.
    colourAt: function (latlng) {
      var map = this._map, zoom = map.getZoom(), size = this._grid.getTileSize().x;
      var p = map.project(L.latLng(latlng), zoom), x = Math.floor(p.x / size), y = Math.floor(p.y / size);
      var tile = this._grid._tiles[x + ":" + y + ":" + zoom];
      if (!tile || !tile.loaded) return null;
      var k = tile.el.width / size;
      var d = tile.el.getContext("2d").getImageData(Math.floor((p.x - x * size) * k), Math.floor((p.y - y * size) * k), 1, 1).data;
      return [d[0], d[1], d[2], d[3]];
    },

    _relabel: function () {
      var map = this._map, store = this._store, self = this;
      if (!map || !store.bands) return;
      var zoom = map.getZoom(), bounds = map.getBounds();
      var box = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
      var choice = store.pick(zoom, box, null);
      var token = this._token = {};
      this._pending = true;
      Promise.all(choice.keys.map(function (k) { return store.load(choice.band, k); })).then(function (tiles) {
        setTimeout(function () {
          if (token !== self._token) return;
          self._place(tiles, zoom);
          self._pending = false;
        }, 0);
      }).catch(function () { if (token === self._token) self._pending = false; });
    },

    _place: function (tiles, zoom) {
      var map = this._map, size = map.getSize(), names = this._store.index.names || {};
      var taken = [], shown = [], box = this._box;
      while (box.firstChild) box.removeChild(box.firstChild);
      var scale = Math.pow(2, zoom), origin = map.getPixelOrigin(), pane = map._getMapPanePos();
      function toContainer(mx, my) { return [mx * scale - origin.x + pane.x, my * scale - origin.y + pane.y]; }
      // The map's own controls (zoom, legend, scale, minimap) cover what lies under them.
      var corner = map.getContainer().getBoundingClientRect();
      Array.prototype.forEach.call(map.getContainer().querySelectorAll(".leaflet-control"), function (control) {
        var r = control.getBoundingClientRect();
        if (r.width && r.height) taken.push([r.left - corner.left - 4, r.top - corner.top - 4, r.right - corner.left + 4, r.bottom - corner.top + 4]);
      });
      if (this._taken) {
        // The player has laid out the story's labels: keep clear of exactly those.
        this._taken.forEach(function (b) { taken.push(b); });
      } else {
        this._avoid.forEach(function (p) {
          var c = map.latLngToContainerPoint([p.lat, p.lon]);
          taken.push([c.x - AVOID_PX.left, c.y - AVOID_PX.up, c.x + AVOID_PX.right, c.y + AVOID_PX.down]);
        });
      }
      var avoidNames = {};
      this._avoid.forEach(function (p) { avoidNames[p.name] = true; });
      function inside(b) { return b[0] >= 2 && b[1] >= 2 && b[2] <= size.x - 2 && b[3] <= size.y - 2; }
      function put(text, kind, x, y, anchorLeft) {
        // Measured on a canvas, so a label that does not fit costs no page layout.
        var w = measure(text, kind), h = FONT[kind][1];
        var b = anchorLeft ? [x, y - h / 2, x + w, y + h / 2] : [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
        if (!inside(b) || taken.some(function (t) { return overlaps(b, t); })) return false;
        var el = L.DomUtil.create("div", "sm-basemap-" + kind, box);
        el.textContent = text;
        taken.push(b);
        var at = map.containerPointToLayerPoint([b[0], b[1]]);
        L.DomUtil.setPosition(el, at);
        shown.push({text: text, kind: kind, box: b});
        return true;
      }
      // Country names, one pair per border in view, each name on its own side of the line.
      var runs = {}, margin = 20, view = [margin, margin, size.x - margin, size.y - margin];
      function keep(key, b, run) {
        if (run.length < 2) return;
        var length = 0;
        for (var j = 1; j < run.length; j++) length += Math.hypot(run[j][0] - run[j - 1][0], run[j][1] - run[j - 1][1]);
        if (!runs[key] || runs[key].length < length) runs[key] = {left: b.left, right: b.right, run: run, length: length};
      }
      tiles.forEach(function (tile) {
        tile.borders.forEach(function (b) {
          // Each segment clipped to the view: a long straight border may have no vertex in it.
          var key = b.left + "|" + b.right, run = [], p = b.points, prev = toContainer(p[0], p[1]);
          for (var i = 2; i < p.length; i += 2) {
            var next = toContainer(p[i], p[i + 1]), part = clipSegment(prev, next, view);
            if (part) {
              if (!run.length || part[0][0] !== run[run.length - 1][0] || part[0][1] !== run[run.length - 1][1]) {
                keep(key, b, run);
                run = [part[0]];
              }
              run.push(part[1]);
            }
            prev = next;
          }
          keep(key, b, run);
        });
      });
      Object.keys(runs).map(function (k) { return runs[k]; })
        .filter(function (r) { return r.length > 60; })
        .sort(function (a, b) { return b.length - a.length; })
        .slice(0, 4)
        .forEach(function (r) {
          // Along the border from its middle outwards, at two distances from the line: the
          // story's own labels sit near the border too, and take the nearest spots first.
          var spots = [];
          [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9].forEach(function (f) { spots.push([f, 22], [f, 40]); });
          spots.some(function (spot) {
            var fraction = spot[0], gap = spot[1];
            var target = r.length * fraction, walked = 0;
            for (var i = 1; i < r.run.length; i++) {
              var a = r.run[i - 1], b = r.run[i], seg = Math.hypot(b[0] - a[0], b[1] - a[1]);
              if (walked + seg >= target && seg > 0) {
                var t = (target - walked) / seg, x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
                // Left of the line's direction on screen (y grows downwards): (dy, -dx).
                var nx = (b[1] - a[1]) / seg, ny = -(b[0] - a[0]) / seg;
                var leftName = names[r.left] || r.left, rightName = names[r.right] || r.right;
                var before = taken.length, shownBefore = shown.length;
                var ok = put(leftName, "country", x + nx * gap, y + ny * gap, false) &&
                         put(rightName, "country", x - nx * gap, y - ny * gap, false);
                if (ok) return true;
                // Both names or neither: a lone name would not say which side is which.
                while (shown.length > shownBefore) { shown.pop(); box.removeChild(box.lastChild); }
                taken.length = before;
                return false;
              }
              walked += seg;
            }
            return false;
          });
        });
      // Towns, largest first, as many as fit without covering anything.
      var rule = TOWNS.filter(function (t) { return t[0] <= zoom; }).pop();
      var count = 0, seen = {}, cells = {};
      var towns = [];
      tiles.forEach(function (tile) { towns.push.apply(towns, tile.towns); });
      towns.sort(function (a, b) { return b.pop - a.pop || (a.name < b.name ? -1 : 1); });
      towns.some(function (town) {
        if (town.pop < rule[1]) return true;
        var key = normalize(town.name);
        if (avoidNames[key] || seen[key]) return false;
        var c = map.latLngToContainerPoint([town.lat, town.lon]);
        var cell = Math.floor(c.x / CELL_PX) + ":" + Math.floor(c.y / CELL_PX);
        if ((cells[cell] || 0) >= PER_CELL) return false;
        var dot = [c.x - 3, c.y - 3, c.x + 3, c.y + 3];
        if (!inside(dot) || taken.some(function (t) { return overlaps(dot, t); })) return false;
        if (!put(town.name, "town", c.x + 6, c.y, true)) return false;
        taken.push(dot);
        var d = L.DomUtil.create("div", "sm-basemap-dot", box);
        L.DomUtil.setPosition(d, map.containerPointToLayerPoint([c.x - 2.5, c.y - 2.5]));
        seen[key] = true;
        cells[cell] = (cells[cell] || 0) + 1;
        return ++count >= rule[2];
      });
      this._shown = shown;
    }
  });

  var css = document.createElement("style");
  css.textContent =
    ".sm-basemap-labels div{position:absolute;left:0;top:0;white-space:nowrap;pointer-events:none}" +
    ".sm-basemap-town{font:11px/14px sans-serif;color:#5f6368;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}" +
    ".sm-basemap-country{font:600 11px/14px sans-serif;letter-spacing:1.32px;text-transform:uppercase;" +
    "color:#6e5f80;text-shadow:0 0 2px #fff,0 0 3px #fff}" +
    ".sm-basemap-dot{width:5px;height:5px;border-radius:50%;background:#8a8f98;border:0 solid #fff}";
  document.head.appendChild(css);

  L.smBasemap = function (options) { return new Basemap(options); };
  L.smBasemap.Store = Store;
})();
