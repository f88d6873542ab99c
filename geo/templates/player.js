/* Story Map player: steps through an exported story in the page, with no server and no network.
 *
 * Every string from the story is written with textContent (never innerHTML), so HTML in a
 * story file shows as text. A step change is: hide the previous layer, show the next, setView
 * without animation; the map's centre moves in the same task as the key press.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("sm-data").textContent);
  var map = window[data.map];
  var outline = window[data.outline];
  var layers = data.steps.map(function (step) { return window[step.group]; });
  var state = {order: data.order, index: 0, present: data.mode === "present", notes: false,
               scale: 1, timer: null, tiles: null};
  var KEYS = {ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1};

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function sequence() { return data.orders[state.order]; }
  function current() { return data.steps[sequence()[state.index]]; }

  // --- the map ---------------------------------------------------------------------------
  byId("sm-mapbox").appendChild(map.getContainer());  // folium puts it first in <body>
  map.keyboard.disable();  // arrows step the story; Leaflet would pan with them
  layers.forEach(function (layer) { map.removeLayer(layer); });
  var shown = null;

  function showLayer(index) {
    var layer = layers[index];
    if (shown === layer) return;
    if (shown) map.removeLayer(shown);
    map.addLayer(layer);
    shown = layer;
  }

  // --- stepping ---------------------------------------------------------------------------
  function go(index) {
    var count = sequence().length;
    state.index = Math.max(0, Math.min(count - 1, index));
    var step = current();
    showLayer(sequence()[state.index]);
    map.setView(step.view.center, step.view.zoom, {animate: false});
    renderStep(step);
    writeHash();
  }

  function step(delta) { go(state.index + delta); }

  function writeHash() {
    var parts = ["step=" + (state.index + 1)];
    if (state.order !== data.order) parts.push("order=" + state.order);
    if (state.present) parts.push("present");
    try {
      history.replaceState(null, "", "#" + parts.join("&"));
    } catch (error) {
      // An embedding frame (about:srcdoc) may refuse; the story still steps.
    }
  }

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var at = part.indexOf("=");
      params[decodeURIComponent(at < 0 ? part : part.slice(0, at))] = at < 0 ? "" : decodeURIComponent(part.slice(at + 1));
    });
    return params;
  }

  function applyHash() {
    var params = readHash();
    if (params.order && data.orders[params.order]) state.order = params.order;
    if ("present" in params) state.present = true;
    var number = parseInt(params.step, 10);
    setPresent(state.present);
    byId("sm-order").value = state.order;
    go(isNaN(number) ? 0 : number - 1);
  }

  // --- the text panel -----------------------------------------------------------------------
  function renderStep(step) {
    var total = sequence().length;
    byId("sm-counter").textContent = (state.index + 1) + " / " + total;
    byId("sm-progress-bar").style.width = (100 * (state.index + 1) / total) + "%";
    var progress = byId("sm-progress");
    progress.setAttribute("aria-valuemax", total);
    progress.setAttribute("aria-valuenow", state.index + 1);
    byId("sm-prev").disabled = byId("sm-first").disabled = state.index === 0;
    byId("sm-next").disabled = byId("sm-last").disabled = state.index === total - 1;
    byId("sm-step-title").textContent = step.title;
    byId("sm-when").textContent = "When: “" + step.when + "”";

    var quotes = clear(byId("sm-quotes"));
    step.quotes.forEach(function (quote) { quotes.appendChild(el("blockquote", "“" + quote + "”")); });

    var facts = clear(byId("sm-facts"));
    if (step.counts.length) {
      facts.appendChild(el("h3", "People reported"));
      var counts = facts.appendChild(el("ul"));
      step.counts.forEach(function (count) { counts.appendChild(el("li", count.reading)); });
    }
    step.distances.forEach(function (distance) {
      facts.appendChild(el("h3", distance.start + " – " + distance.end));
      facts.appendChild(el("p", distance.claim || distance.label));
      if (distance.note) facts.appendChild(el("p", distance.note, "sm-small"));
    });

    var note = clear(byId("sm-note"));
    if (step.note) {
      note.appendChild(el("h3", "Teacher note"));
      note.appendChild(el("p", step.note));
    }
    note.hidden = !(state.notes && step.note);

    var questions = clear(byId("sm-questions"));
    step.questions.forEach(function (question, n) {
      var box = questions.appendChild(el("div", null, "sm-question sm-" + question.kind));
      box.appendChild(el("p", question.kind === "predict" ? "Predict, then reveal" : "Discuss", "sm-kind"));
      box.appendChild(el("p", question.prompt, "sm-prompt"));
      var answer = el("div", null, "sm-answer");
      answer.id = "sm-answer-" + n;
      answer.hidden = true;
      answer.appendChild(el("p", question.answer));
      answer.appendChild(el("p", "The article: “" + question.answer_quote + "”", "sm-small"));
      var reveal = el("button", question.kind === "predict" ? "Reveal the answer" : "Show an answer", "sm-reveal");
      reveal.type = "button";
      reveal.setAttribute("aria-expanded", "false");
      reveal.setAttribute("aria-controls", answer.id);
      reveal.addEventListener("click", function () {
        answer.hidden = !answer.hidden;
        reveal.setAttribute("aria-expanded", String(!answer.hidden));
        reveal.textContent = answer.hidden ? (question.kind === "predict" ? "Reveal the answer" : "Show an answer") : "Hide the answer";
      });
      box.appendChild(reveal);
      box.appendChild(answer);
    });

    var marked = {};
    step.highlight.forEach(function (i) { marked[i] = true; });
    sentenceNodes.forEach(function (node, i) { node.classList.toggle("sm-mark", !!marked[i]); });
    var items = byId("sm-steps").children;
    for (var i = 0; i < items.length; i++) {
      if (i === state.index) items[i].firstChild.setAttribute("aria-current", "step");
      else items[i].firstChild.removeAttribute("aria-current");
    }
  }

  function renderStepList() {
    var list = clear(byId("sm-steps"));
    sequence().forEach(function (stepIndex, n) {
      var step = data.steps[stepIndex];
      var button = el("button");
      button.type = "button";
      button.appendChild(el("span", step.title, "sm-step-title"));
      button.appendChild(el("span", "“" + step.when + "”", "sm-step-when"));
      button.addEventListener("click", function () { go(n); });
      list.appendChild(el("li")).appendChild(button);
    });
  }

  // The article once, as sentences grouped in paragraphs; a step only toggles highlight classes.
  var sentenceNodes = [];
  (function renderArticle() {
    var box = byId("sm-article"), para = null, last = null;
    data.article.forEach(function (sentence) {
      if (sentence.para !== last) { para = box.appendChild(el("p")); last = sentence.para; }
      else para.appendChild(document.createTextNode(" "));
      sentenceNodes.push(para.appendChild(el("span", sentence.text)));
    });
  })();

  function sourceLine() {
    var source = data.source, parts = [source.publisher, "“" + source.headline + "”"];
    if (source.published) parts.push(source.published);
    if (source.url) parts.push(source.url);
    return "Source: " + parts.join(" · ");
  }

  function renderCredits(box) {
    if (data.context.length) {
      box.appendChild(el("h3", "Outside the article"));
      var facts = box.appendChild(el("ul"));
      data.context.forEach(function (fact) { facts.appendChild(el("li", fact.text + " (Source: " + fact.source + ")")); });
    }
    box.appendChild(el("h3", "Credits"));
    var credits = box.appendChild(el("ul"));
    data.credits.forEach(function (line) { credits.appendChild(el("li", line)); });
  }

  // --- the handout (print) ------------------------------------------------------------------
  function renderHandout() {
    var box = clear(byId("sm-handout"));
    box.appendChild(el("h2", "The story, step by step"));
    var questions = [];
    sequence().forEach(function (stepIndex, n) {
      var step = data.steps[stepIndex];
      var part = box.appendChild(el("article", null, "sm-h-step"));
      part.appendChild(el("h3", (n + 1) + ". " + step.title + " — “" + step.when + "”"));
      step.quotes.forEach(function (quote) { part.appendChild(el("blockquote", "“" + quote + "”")); });
      var facts = el("ul");
      step.counts.forEach(function (count) { facts.appendChild(el("li", "People: " + count.reading)); });
      step.distances.forEach(function (d) {
        facts.appendChild(el("li", d.start + " – " + d.end + ": " + (d.claim || d.label)));
      });
      if (facts.children.length) part.appendChild(facts);
      step.questions.forEach(function (question) { questions.push({q: question, step: n + 1}); });
    });
    if (questions.length) {
      var asked = box.appendChild(el("section", null, "sm-h-questions"));
      asked.appendChild(el("h2", "Questions"));
      var list = asked.appendChild(el("ol"));
      questions.forEach(function (item) {
        var li = list.appendChild(el("li"));
        li.appendChild(el("p", item.q.prompt + " (step " + item.step + ")"));
        li.appendChild(el("div", null, "sm-h-lines"));
      });
      var key = box.appendChild(el("section", null, "sm-answer-key"));
      key.appendChild(el("h2", "Answer key"));
      var answers = key.appendChild(el("ol"));
      questions.forEach(function (item) {
        var li = answers.appendChild(el("li"));
        li.appendChild(el("p", item.q.answer));
        li.appendChild(el("p", "The article: “" + item.q.answer_quote + "”", "sm-small"));
      });
    }
    renderCredits(box.appendChild(el("section", null, "sm-h-credits")));
  }

  var printSaved = null;

  function beforePrint() {
    if (printSaved) return;
    printSaved = {index: state.index, shown: shown};
    stopAutoplay();
    renderHandout();
    document.body.classList.add("sm-printing");  // the map box takes its printed size now
    showLayer(data.overviewStep);
    map.invalidateSize({animate: false});
    map.setView(data.overview.center, data.overview.zoom, {animate: false});
  }

  function afterPrint() {
    if (!printSaved) return;
    document.body.classList.remove("sm-printing");
    map.invalidateSize({animate: false});
    var index = printSaved.index;
    printSaved = null;
    go(index);
  }

  // --- modes and controls -------------------------------------------------------------------
  function setPresent(on) {
    state.present = on;
    document.body.classList.toggle("sm-present", on);
    byId("sm-present-toggle").setAttribute("aria-pressed", String(on));
    byId("sm-present-toggle").textContent = on ? "Leave presenter view" : "Present";
    map.invalidateSize({animate: false});
  }

  function setScale(scale) {
    state.scale = Math.max(0.7, Math.min(2.5, Math.round(scale * 10) / 10));
    document.documentElement.style.setProperty("--sm-scale", state.scale);
  }

  function setNotes(on) {
    state.notes = on;
    byId("sm-notes-toggle").setAttribute("aria-pressed", String(on));
    byId("sm-notes-toggle").textContent = on ? "Hide notes" : "Notes";
    byId("sm-note").hidden = !(on && current().note);
  }

  function setStepList(on) {
    document.body.classList.toggle("sm-nolist", !on);
    byId("sm-steps-toggle").setAttribute("aria-pressed", String(on));
    map.invalidateSize({animate: false});
  }

  function delayMs() {
    var seconds = parseFloat(byId("sm-delay").value);
    return 1000 * (isNaN(seconds) || seconds < 0.2 ? 8 : seconds);
  }

  function tick() {
    if (state.index >= sequence().length - 1) { stopAutoplay(); return; }
    step(1);
    state.timer = setTimeout(tick, delayMs());
  }

  function startAutoplay() {
    if (state.timer) return;
    if (state.index >= sequence().length - 1) go(0);
    state.timer = setTimeout(tick, delayMs());
    byId("sm-play").textContent = "‖ Pause";
    byId("sm-play").setAttribute("aria-pressed", "true");
  }

  function stopAutoplay() {
    clearTimeout(state.timer);
    state.timer = null;
    byId("sm-play").textContent = "▶ Play";
    byId("sm-play").setAttribute("aria-pressed", "false");
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () {
      status("Full screen is not allowed here; press F11.");
    });
  }

  function status(text) { byId("sm-status").textContent = text; }

  function setTiles(on) {
    if (on && !state.tiles) {
      state.tiles = L.tileLayer(data.tiles.url, {attribution: data.tiles.attribution, maxZoom: 19});
      state.tiles.on("tileerror", function () {
        // Offline: the outlines come back, so the places still sit on a map.
        outline.setStyle({fillOpacity: 1});
        status("The street map could not load (no internet?); showing the outline map.");
      });
      state.tiles.addTo(map);
      outline.setStyle({fillOpacity: 0});  // outlines sit above tiles; keep only the borders
    } else if (!on && state.tiles) {
      map.removeLayer(state.tiles);
      state.tiles = null;
      outline.setStyle({fillOpacity: 1});
      status("");
    }
  }

  function typing(target) {
    return target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && target.type !== "checkbox";
  }

  // Capture phase on window: runs before the map's own handlers, whatever has focus.
  window.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var handled = true;
    if (event.key in KEYS) step(KEYS[event.key]);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(sequence().length - 1);
    else if (event.key === "p" || event.key === "P") { if (state.timer) stopAutoplay(); else startAutoplay(); }
    else if (event.key === "n" || event.key === "N") setNotes(!state.notes);
    else if (event.key === "f" || event.key === "F") toggleFullscreen();
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }, true);

  function on(id, handler) { byId(id).addEventListener("click", handler); }
  on("sm-first", function () { go(0); });
  on("sm-prev", function () { step(-1); });
  on("sm-next", function () { step(1); });
  on("sm-last", function () { go(sequence().length - 1); });
  on("sm-play", function () { if (state.timer) stopAutoplay(); else startAutoplay(); });
  on("sm-notes-toggle", function () { setNotes(!state.notes); });
  on("sm-present-toggle", function () { setPresent(!state.present); writeHash(); });
  on("sm-steps-toggle", function () { setStepList(document.body.classList.contains("sm-nolist")); });
  on("sm-smaller", function () { setScale(state.scale - 0.1); });
  on("sm-larger", function () { setScale(state.scale + 0.1); });
  on("sm-fullscreen", toggleFullscreen);
  on("sm-print", function () { beforePrint(); window.print(); afterPrint(); });
  byId("sm-tiles").addEventListener("change", function (event) { setTiles(event.target.checked); });
  byId("sm-order").addEventListener("change", function (event) {
    var stepIndex = sequence()[state.index];
    state.order = event.target.value;
    renderStepList();
    go(sequence().indexOf(stepIndex));  // same step, new position
  });
  window.addEventListener("hashchange", applyHash);
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);

  document.title = data.title;
  byId("sm-title").textContent = data.title;
  byId("sm-source").textContent = sourceLine();
  renderCredits(byId("sm-credits"));
  renderStepList();
  applyHash();
  renderHandout();
  // Tests and the benchmark read the player through this; nothing in the page needs it.
  window.smPlayer = {
    map: map, go: go, state: state, data: data, beforePrint: beforePrint, afterPrint: afterPrint,
    current: function () { return {index: state.index, id: current().id, present: state.present}; },
  };
  document.body.classList.add("sm-ready");
})();
