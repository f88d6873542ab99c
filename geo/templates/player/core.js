/* Story Map player: the one step engine, for the single-file export and for the app's pages.
 *
 * A host (the page's hash, or a Streamlit component) hands the player a bundle built once in Python
 * (geo/player.py): the folium map in parts, every step's layer, the story as data. A step change is
 * then all in the browser: hide the last layer, show the next, fit the view to the map's real size,
 * redraw the panel. Every string from the story is written with textContent, never as HTML.
 */
(function (SM) {
  "use strict";

  var STEP_KEYS = {ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1};
  var SCALES = [0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2];

  var el = SM.el, clear = SM.clear;

  // --- assets and the map (the export inlines its assets; the app's pages load them once) -----------
  var loaded = window.__smAssets = window.__smAssets || {};

  function loadAsset(asset, kind) {
    if (!loaded[asset.url]) {
      loaded[asset.url] = new Promise(function (resolve, reject) {
        var node = document.createElement(kind === "css" ? "link" : "script");
        if (kind === "css") { node.rel = "stylesheet"; node.href = asset.url; } else { node.src = asset.url; node.async = false; }
        if (asset.integrity) { node.integrity = asset.integrity; node.crossOrigin = "anonymous"; }
        node.onload = resolve;
        node.onerror = function () { delete loaded[asset.url]; reject(new Error(asset.url)); };
        document.head.appendChild(node);
      });
    }
    return loaded[asset.url];
  }

  // Everything is requested at once; scripts inserted with async=false still run in order (a
  // plugin needs Leaflet first). Data the map will fetch (the basemap) is fetched alongside.
  SM.loadAssets = function (assets) {
    (assets.prefetch || []).forEach(function (url) {
      var cache = window.__smPrefetch = window.__smPrefetch || {};
      if (!cache[url]) cache[url] = fetch(url).then(function (r) { return r.json(); });
    });
    var styles = (assets.styles || []).map(function (a) { return loadAsset(a, "css"); });
    var external = (assets.scripts || []).filter(function (a) { return a.url; });
    var scripts = external.map(function (a) { return loadAsset(a, "js"); });
    return Promise.all(styles.concat(scripts)).then(function () {
      // Our own scripts with no URL (a server without `make assets`) run after the libraries.
      (assets.scripts || []).forEach(function (asset) {
        if (asset.url || loaded["text:" + asset.text.length + asset.text.slice(0, 80)]) return;
        loaded["text:" + asset.text.length + asset.text.slice(0, 80)] = true;
        var node = SM.el("script");
        node.textContent = asset.text;
        document.head.appendChild(node);
      });
    });
  };

  // folium's map element and script (the map and every step layer as page globals), put in the box.
  SM.createMap = function (box, parts) {
    if (parts.css && !document.getElementById("sm-map-css")) {
      var style = el("style");
      style.id = "sm-map-css";
      style.textContent = parts.css;
      document.head.appendChild(style);
    }
    var holder = el("div");
    holder.innerHTML = parts.html;  // folium's empty <div class="folium-map">: our markup, no story text
    box.appendChild(holder.firstElementChild);
    var script = el("script");
    script.textContent = parts.script;  // runs now, in the page's global scope, as folium intends
    document.head.appendChild(script);
    script.remove();
    return window[parts.name];
  };

  // --- the player ----------------------------------------------------------------------------------
  SM.mount = function (root, bundle, host, options) {
    var data = bundle.story;
    var catalogues = options.catalogues;
    var byId = function (id) { return root.querySelector("#" + id); };
    var state = {
      order: SM.has(data.orders, options.order) ? options.order : "article",
      index: 0,
      present: options.mode === "present",
      notes: false,
      scale: 1,
      lang: SM.has(catalogues, options.lang) ? options.lang : SM.preferredLang(catalogues),
      langChosen: SM.has(catalogues, options.lang),  // chosen, so the address keeps it
      timer: null,
      tiles: null,
      ready: false,
    };
    var t = SM.translator(catalogues, state.lang);
    var player = {root: root, data: data, state: state, byId: byId, catalogueNames: options.languages,
                  t: function () { return t.apply(null, arguments); }};

    var mapbox = byId("sm-mapbox");
    var map = SM.createMap(mapbox, bundle.map);
    var outline = window[data.outline];
    var layers = data.steps.map(function (step) { return window[step.group]; });
    var areas = {};
    Object.keys(data.areas || {}).forEach(function (id) { areas[id] = window[data.areas[id]]; });
    var shown = null, shownAreas = [];
    player.map = map;
    player.outline = outline;
    state.revealed = {};
    map.keyboard.disable();  // the arrows step the story; Leaflet would pan with them
    // Leaflet is credited under "Sources and credits"; as plain text here it is one Tab stop fewer.
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    layers.forEach(function (layer) { map.removeLayer(layer); });
    Object.keys(areas).forEach(function (id) { map.removeLayer(areas[id]); });
    // Vector paths are drawn for the eye; the text panel and "On this map" carry the same facts.
    map.getContainer().setAttribute("tabindex", "-1");
    // Leaflet listens for focus on a path with a tooltip, and Chromium then puts every such SVG
    // path in the tab order (23 Tabs past the map): out of it, as each path is drawn.
    var untabbable = function (layer) {
      var node = layer.getElement && layer.getElement();
      if (node && node instanceof SVGElement) node.setAttribute("tabindex", "-1");
    };
    map.eachLayer(untabbable);
    map.on("layeradd", function (event) { untabbable(event.layer); });
    // The inset map is a picture of where the view is; its show/hide button stays a Tab stop. The
    // map's own full-screen button is one for the mouse: the keyboard has F and "Full screen".
    map.getContainer().querySelectorAll(".leaflet-control-minimap, .leaflet-control-zoom-fullscreen").forEach(function (node) {
      node.setAttribute("tabindex", "-1");
    });

    // Leaflet's and its plugins' words (the map's buttons, the basemap's credit) in the reader's language.
    function name(selector, text) {
      var node = map.getContainer().querySelector(selector);
      if (node) { node.title = text; node.setAttribute("aria-label", text); }
    }
    function nameFullscreen(on) { name(".leaflet-control-zoom-fullscreen", t(on ? "map_fullscreen_exit" : "map_fullscreen")); }
    // The full-screen plugin writes its English title on every toggle (its handler runs first).
    map.on("enterFullscreen exitFullscreen", function (event) { nameFullscreen(event.type === "enterFullscreen"); });
    function translateMap() {
      var box = map.getContainer(), inset = data.inset && window[data.inset];
      name(".leaflet-control-zoom-in", t("map_zoom_in"));
      name(".leaflet-control-zoom-out", t("map_zoom_out"));
      nameFullscreen(!!map._isFullscreen);
      if (inset && inset.options) {  // the plugin reads these words again on every toggle
        inset.options.strings = {hideText: t("map_inset_hide"), showText: t("map_inset_show")};
        var toggle = box.querySelector(".leaflet-control-minimap-toggle-display");
        if (toggle) toggle.title = inset._minimized ? inset.options.strings.showText : inset.options.strings.hideText;
      }
      if (outline && outline.setCredit) outline.setCredit(t("basemap_credit"));
    }

    function sequence() { return data.orders[state.order]; }
    function current() { return data.steps[sequence()[state.index]]; }
    player.sequence = sequence;
    player.current = current;

    // What a predict question holds back on this step until Reveal (presenter view only): the
    // sentence that answers it, the figures in the title, the counts and distances it quotes.
    player.held = function (step) {
      var held = {quotes: {}, counts: {}, distances: {}, title: null, any: false};
      if (!state.present || state.revealed[step.id]) return held;
      held.any = step.holds.length > 0;
      step.holds.forEach(function (hold) {
        hold.quotes.forEach(function (n) { held.quotes[n] = true; });
        hold.counts.forEach(function (n) { held.counts[n] = true; });
        hold.distances.forEach(function (n) { held.distances[n] = true; });
        if (hold.title !== step.title) held.title = hold.title;
      });
      return held;
    };
    player.title = function (step) { return player.held(step).title || step.title; };

    // The step's layer, its areas, and nothing a predict question still holds back.
    function showLayer(index) {
      var layer = layers[index], step = data.steps[index];
      if (shown !== layer) {
        if (shown) map.removeLayer(shown);
        map.addLayer(layer);
        shown = layer;
      }
      shownAreas.forEach(function (area) { map.removeLayer(area); });
      shownAreas = step.areas.map(function (id) { return areas[id]; }).filter(Boolean);
      shownAreas.forEach(function (area) { map.addLayer(area); area.bringToBack(); });
      var held = player.held(step);
      [["countLayers", "counts"], ["distanceLayers", "distances"]].forEach(function (pair) {
        Object.keys(step[pair[0]]).forEach(function (name) {
          var part = window[name];
          if (!part) return;
          if (held[pair[1]][step[pair[0]][name]]) layer.removeLayer(part);
          else if (!layer.hasLayer(part)) layer.addLayer(part);
        });
      });
    }

    // The view fits the step's places to the map as it really is on this screen, with room for
    // their labels, and never closer than the offline basemap can draw there.
    function fit(step) {
      map.invalidateSize({animate: false, pan: false});
      var size = map.getSize();
      var side = Math.min(size.x * 0.28, SM.labelRoom(player, step)), edge = Math.min(size.y * 0.12, 34);
      var maxZoom = step.maxZoom;
      var centre = L.latLngBounds(step.bounds).getCenter();
      if (outline && outline.maxZoomAt && !state.tiles) {
        var deepest = outline.maxZoomAt(centre);
        if (deepest) maxZoom = Math.min(maxZoom, deepest);
      }
      map.fitBounds(step.bounds, {animate: false, maxZoom: maxZoom, paddingTopLeft: [side, edge],
                                  paddingBottomRight: [side, edge]});
    }
    player.fit = function () { fit(current()); };
    function relabel() {
      var step = current();
      SM.renderLegend(player, step);  // first: the labels keep clear of the legend as it is now
      SM.layoutLabels(player);
    }
    player.relabel = relabel;
    // Show one step's layer and view without moving the reader (the printed map).
    player.preview = function (dataIndex) {
      var step = data.steps[dataIndex];
      map.invalidateSize({animate: false});
      showLayer(dataIndex);
      fit(step);
      SM.renderLegend(player, step, true);  // open: a sheet cannot be clicked
      SM.layoutLabels(player, step);
    };
    // A reader's own pan or zoom: the labels follow the new view.
    map.on("moveend", function () { if (state.ready && !state.fitting) SM.layoutLabels(player); });

    // Reveal a predict step's answer: its sentence, figures, rings, lines and labels come back.
    player.reveal = function (step, on) {
      state.revealed[step.id] = on;
      showLayer(data.steps.indexOf(step));
      SM.renderStep(player, step);
      relabel();
      if (SM.notesChannel) SM.notesChannel(player);
    };

    // Reveal every predict question of a step at once (presenter's Reveal, the notes window): the
    // answers open, and what they held comes back.
    player.revealStep = function (step, on) {
      state.open = state.open || {};
      step.questions.forEach(function (q, n) { if (q.kind === "predict") state.open[step.id + ":" + n] = on; });
      player.reveal(step, on);
    };

    // --- stepping --------------------------------------------------------------------------------
    function go(index, quiet) {
      var count = sequence().length;
      var next = Math.max(0, Math.min(count - 1, index));
      var moved = next !== state.index || !state.ready;
      var previous = state.ready ? current() : null;
      state.index = next;
      var step = current();
      showLayer(sequence()[state.index]);
      state.fitting = true;
      // The same frame as the last step: no need to redraw the basemap.
      if (!previous || String(previous.bounds) !== String(step.bounds) || previous.maxZoom !== step.maxZoom) fit(step);
      state.fitting = false;
      state.notes = false;  // a note shown to the room is shown for its step only
      if (moved) player.stepStarted = Date.now();
      SM.renderStep(player, step);
      relabel();
      if (moved) announce(step);
      if (!quiet) host.write(snapshot());
      if (SM.notesChannel) SM.notesChannel(player);
    }
    player.go = go;

    function announce(step) {
      // One short line per step change, and nothing else on the page is live.
      byId("sm-live").textContent = t("announce", {n: state.index + 1, total: sequence().length, title: player.title(step)});
    }

    function snapshot() {
      return {step: state.index + 1, order: state.order, present: state.present, scale: state.scale,
              lang: state.langChosen ? state.lang : null};
    }
    player.snapshot = snapshot;

    function setOrder(order) {
      if (!SM.has(data.orders, order) || order === state.order) return;
      var stepIndex = sequence()[state.index];
      state.order = order;
      SM.renderStepList(player);
      root.querySelectorAll("#sm-order [data-order]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-order") === order));
      });
      go(sequence().indexOf(stepIndex));  // the same step, at its place in the new order
    }
    player.setOrder = setOrder;

    // --- modes and settings -----------------------------------------------------------------------
    function setPresent(on) {
      state.present = on;
      root.setAttribute("data-mode", on ? "present" : "read");
      var toggle = byId("sm-present-toggle");
      toggle.setAttribute("aria-pressed", String(on));
      toggle.firstChild.textContent = t(on ? "leave_present" : "present");
      if (state.ready) { showLayer(sequence()[state.index]); fit(current()); SM.renderStep(player, current()); relabel(); }
    }

    function setScale(scale) {
      var nearest = SCALES.reduce(function (a, b) { return Math.abs(b - scale) < Math.abs(a - scale) ? b : a; });
      state.scale = nearest;
      root.style.setProperty("--sm-scale", String(nearest));
      if (state.ready) { fit(current()); relabel(); }
    }

    function stepScale(delta) {
      var at = SCALES.indexOf(state.scale);
      setScale(SCALES[Math.max(0, Math.min(SCALES.length - 1, at + delta))]);
      host.write(snapshot());
    }

    function setNotes(on) {
      state.notes = on;
      var toggle = byId("sm-notes-toggle");
      toggle.setAttribute("aria-pressed", String(on));
      SM.renderNote(player, current());
    }

    function setLang(lang) {
      if (!SM.has(catalogues, lang)) return;
      state.lang = lang;
      t = SM.translator(catalogues, lang);
      root.setAttribute("lang", lang);
      SM.translate(root, t);
      translateMap();
      SM.renderLangSwitch(player);
      setPresent(state.present);
      SM.renderStatic(player);
      SM.renderStepList(player);
      if (state.ready) go(state.index, true);
    }
    player.setLang = setLang;

    player.chooseLang = function (lang) {
      state.langChosen = true;
      setLang(lang);
      host.write(snapshot());
    };

    function setStepList(open) {
      root.classList.toggle("sm-list-open", open);
      byId("sm-steps-toggle").setAttribute("aria-expanded", String(open));
      if (open) setMore(false);
    }

    // On a phone the controls other than stepping fold into a menu over the map.
    function setMore(open) {
      root.classList.toggle("sm-more-open", open);
      byId("sm-more-toggle").setAttribute("aria-expanded", String(open));
      if (open) { root.classList.remove("sm-list-open"); byId("sm-steps-toggle").setAttribute("aria-expanded", "false"); }
    }

    function delayMs() {
      var seconds = parseFloat(byId("sm-delay").value);
      return 1000 * (isNaN(seconds) || seconds < 1 ? 8 : seconds);
    }

    function tick() {
      if (state.index >= sequence().length - 1) { stopAutoplay(); return; }
      go(state.index + 1);
      state.timer = setTimeout(tick, delayMs());
    }

    function startAutoplay() {
      if (state.timer) return;
      if (state.index >= sequence().length - 1) go(0);
      state.timer = setTimeout(tick, delayMs());
      byId("sm-play").setAttribute("aria-pressed", "true");
      byId("sm-play").firstChild.textContent = t("pause");
    }

    function stopAutoplay() {
      clearTimeout(state.timer);
      state.timer = null;
      byId("sm-play").setAttribute("aria-pressed", "false");
      byId("sm-play").firstChild.textContent = t("play");
    }
    player.stopAutoplay = stopAutoplay;

    function toggleFullscreen() {
      if (document.fullscreenElement) { document.exitFullscreen(); return; }
      if (!root.requestFullscreen) return;
      root.requestFullscreen().catch(function () { tilesStatus(t("fullscreen_refused")); });
    }

    function tilesStatus(text) { byId("sm-tiles-status").textContent = text; }
    player.status = tilesStatus;

    function setTiles(on) {
      if (on && !state.tiles) {
        var loadedOne = false;
        state.tiles = L.tileLayer(data.tiles.url, {attribution: data.tiles.attribution, maxZoom: 19});
        var filled = false;  // the land fill brought back because no tile had loaded
        state.tiles.on("tileload", function () {
          // A tile that loads after an early failure: the tiles show again, not the fill over them.
          if (filled && outline && outline.setTiles) outline.setTiles(true);
          loadedOne = true;
          filled = false;
          tilesStatus("");
        });
        state.tiles.on("tileerror", function () {
          // The land fill comes back only if no tile loaded: then the map must not go blank.
          if (!loadedOne && !filled) {
            filled = true;
            if (outline && outline.setTiles) outline.setTiles(false);
            tilesStatus(t("tiles_failed"));
          }
        });
        state.tiles.addTo(map);
        state.tiles.bringToBack();
        if (outline && outline.setTiles) outline.setTiles(true);
      } else if (!on && state.tiles) {
        map.removeLayer(state.tiles);
        state.tiles = null;
        if (outline && outline.setTiles) outline.setTiles(false);
        tilesStatus("");
      }
    }

    // --- keys: wherever the focus is, the arrows, PageUp/PageDown (a clicker), Home and End step --------
    function typing(target) {
      if (!target || !target.tagName) return false;
      if (target.isContentEditable || target.tagName === "TEXTAREA") return true;
      if (target.tagName === "SELECT") return true;
      if (target.tagName !== "INPUT") return false;
      // A number box has no use for ← and →, and a checkbox none for any of these keys.
      return !/^(checkbox|number|radio|button)$/.test(target.type);
    }

    function onKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      if (typing(event.target)) return;
      if (!root.isConnected || !root.offsetParent && !document.fullscreenElement) return;  // hidden page
      var key = event.key, handled = true;
      var inNumber = event.target && event.target.type === "number";
      if (key in STEP_KEYS && !(inNumber && /^Page/.test(key))) go(state.index + STEP_KEYS[key]);
      else if (key === "Home" && !inNumber) go(0);
      else if (key === "End" && !inNumber) go(sequence().length - 1);
      else if (inNumber) handled = false;
      else if (key === "p" || key === "P") { if (state.timer) stopAutoplay(); else startAutoplay(); }
      else if (key === "n" || key === "N") setNotes(!state.notes);
      else if (key === "f" || key === "F") toggleFullscreen();
      else if (key === "Escape" && (root.classList.contains("sm-list-open") || root.classList.contains("sm-more-open"))) {
        setStepList(false);
        setMore(false);
      }
      else handled = false;
      if (handled) { event.preventDefault(); event.stopPropagation(); }
    }
    // Capture phase on the window: before Leaflet's handlers and the page's, whatever has focus.
    window.addEventListener("keydown", onKey, true);

    function on(id, handler) { byId(id).addEventListener("click", handler); }
    on("sm-first", function () { go(0); });
    on("sm-prev", function () { go(state.index - 1); });
    on("sm-next", function () { go(state.index + 1); });
    on("sm-last", function () { go(sequence().length - 1); });
    on("sm-reveal-step", function () { player.revealStep(current(), !state.revealed[current().id]); });
    on("sm-play", function () { if (state.timer) stopAutoplay(); else startAutoplay(); });
    on("sm-present-toggle", function () { setPresent(!state.present); host.write(snapshot()); });
    on("sm-steps-toggle", function () { setStepList(!root.classList.contains("sm-list-open")); });
    on("sm-more-toggle", function () { setMore(!root.classList.contains("sm-more-open")); });
    on("sm-smaller", function () { stepScale(-1); });
    on("sm-larger", function () { stepScale(1); });
    on("sm-notes-toggle", function () { setNotes(!state.notes); });
    on("sm-notes-window", function () { if (SM.openNotesWindow) SM.openNotesWindow(player); });
    on("sm-fullscreen", toggleFullscreen);
    on("sm-print-student", function () { SM.print(player, "student"); });
    on("sm-print-teacher", function () { SM.print(player, "teacher"); });
    byId("sm-tiles").addEventListener("change", function (event) { setTiles(event.target.checked); });
    root.querySelectorAll("#sm-order [data-order]").forEach(function (button) {
      button.addEventListener("click", function () { setOrder(button.getAttribute("data-order")); });
    });
    byId("sm-steps").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-n]");
      if (!button) return;
      go(Number(button.getAttribute("data-n")));
      if (window.matchMedia("(max-width: 700px)").matches) setStepList(false);
    });
    // The map's box changes with the window, the header's wrapping, presenter view, the app's
    // layout: whenever it does, the step is fitted again to the size the reader now sees.
    var resize = function () {
      if (state.ready && !player.printing) { state.fitting = true; fit(current()); state.fitting = false; relabel(); }
    };
    var observer = new ResizeObserver(resize);
    observer.observe(mapbox);
    SM.bindPlaces(player);

    // --- the address: what the host reads, and changes to it (Back, a typed hash) -------------------
    function apply(params) {
      var keep = state.index;
      if (SM.has(data.orders, params.order) && params.order !== state.order) {
        var stepIndex = sequence()[state.index];
        state.order = params.order;
        keep = sequence().indexOf(stepIndex);  // the same step, where the new order has it
        SM.renderStepList(player);
        root.querySelectorAll("#sm-order [data-order]").forEach(function (button) {
          button.setAttribute("aria-pressed", String(button.getAttribute("data-order") === state.order));
        });
      }
      if (params.present !== undefined && params.present !== state.present) setPresent(params.present);
      if (params.scale > 0 && params.scale < 5) setScale(params.scale);
      if (SM.has(catalogues, params.lang) && params.lang !== state.lang) { state.langChosen = true; setLang(params.lang); }
      // An address's step outside the story opens step 1, as the app's notice says; junk is ignored.
      var number = /^\d{1,6}$/.test(String(params.step)) ? parseInt(params.step, 10) : NaN;
      if (isFinite(number)) go(number >= 1 && number <= sequence().length ? number - 1 : 0, true);
      else go(keep, true);
    }
    player.apply = apply;
    var unlisten = host.listen(apply);

    // --- start ---------------------------------------------------------------------------------------
    root.setAttribute("lang", state.lang);
    SM.translate(root, t);
    translateMap();
    SM.renderLangSwitch(player);
    SM.renderStatic(player);
    SM.renderStepList(player);
    setPresent(state.present);
    var start = host.read();
    apply(start);
    state.ready = true;
    go(state.index, true);
    if (SM.print) SM.bindPrint(player);
    root.classList.add("sm-ready");

    player.destroy = function () {
      stopAutoplay();
      window.removeEventListener("keydown", onKey, true);
      observer.disconnect();
      if (unlisten) unlisten();
      if (player.notesWindow && !player.notesWindow.closed) player.notesWindow.close();
      clearInterval(player.notesTimer);
      if (SM.unbindPrint) SM.unbindPrint(player);
      map.remove();
      root.classList.remove("sm-ready");
    };
    // Tests and the benchmark read the player through this; nothing in the page needs it.
    window.smPlayer = {
      map: map, go: go, state: state, data: data, player: player,
      current: function () { return {index: state.index, id: current().id, present: state.present, order: state.order}; },
    };
    return player;
  };

  // --- hosts ----------------------------------------------------------------------------------------

  // The single file: the address is the hash (#step=3&order=chrono&present&size=1.3&lang=es).
  SM.hashHost = function () {
    function read() {
      var params = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (part) {
        if (!part) return;
        var at = part.indexOf("=");
        try {
          var key = decodeURIComponent(at < 0 ? part : part.slice(0, at));
          var value = at < 0 ? "" : decodeURIComponent(part.slice(at + 1));
        } catch (error) {
          return;  // a malformed escape (#step=%E0%A4%A): ignore that part, keep the rest
        }
        if (/^(step|order|present|size|lang)$/.test(key)) params[key] = value;
      });
      return {
        step: params.step,
        order: params.order,
        present: "present" in params ? true : undefined,
        scale: parseFloat(params.size) || undefined,
        lang: params.lang,
      };
    }
    return {
      read: read,
      write: function (s) {
        var parts = ["step=" + s.step];
        if (s.order !== "article") parts.push("order=" + s.order);
        if (s.present) parts.push("present");
        if (s.scale !== 1) parts.push("size=" + s.scale);
        if (s.lang) parts.push("lang=" + s.lang);
        try { history.replaceState(null, "", "#" + parts.join("&")); } catch (error) { /* a sandboxed frame */ }
      },
      listen: function (apply) {
        var handler = function () { apply(read()); };
        window.addEventListener("hashchange", handler);
        return function () { window.removeEventListener("hashchange", handler); };
      },
    };
  };

  // Mount the player of a single-file page: its bundle is the JSON in #sm-data.
  SM.mountPage = function () {
    var input = JSON.parse(document.getElementById("sm-data").textContent);
    var root = document.getElementById("sm-app");
    var mounted = SM.mount(root, input.bundle, SM.hashHost(), input.options);
    // The page is the player's own: its language is the page's.
    var sync = function () { document.documentElement.lang = mounted.state.lang; };
    new MutationObserver(sync).observe(root, {attributes: true, attributeFilter: ["lang"]});
    sync();
    return mounted;
  };
})(window.StoryMap = window.StoryMap || {});
