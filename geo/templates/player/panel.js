/* Story Map player: the text beside the map. The step's sentences, counts, distances and questions,
 * the list of steps, "On this map" (the map in words), provenance of a clicked place, the article. */
(function (SM) {
  "use strict";
  var el = SM.el, clear = SM.clear;

  function quote(text) { return el("blockquote", "“" + text + "”"); }

  // Once per language: the title, the source line, the article as sentences, the credits.
  SM.renderStatic = function (player) {
    var data = player.data, t = player.t, byId = player.byId;
    byId("sm-title").textContent = data.title;
    var source = data.source, parts = [source.publisher];
    if (source.headline) parts.push("“" + source.headline + "”");
    if (source.published) parts.push(source.published);
    if (source.url) parts.push(source.url);
    byId("sm-source").textContent = t("source_line", {source: parts.join(" · ")});
    if (!player.sentenceNodes) {
      // The article once, as sentences grouped in paragraphs; a step only toggles highlights.
      var box = byId("sm-article"), para = null, last = null;
      player.sentenceNodes = [];
      data.article.forEach(function (sentence) {
        if (sentence.para !== last) { para = box.appendChild(el("p")); last = sentence.para; }
        else para.appendChild(document.createTextNode(" "));
        player.sentenceNodes.push(para.appendChild(el("span", sentence.text)));
      });
    }
    SM.renderCredits(player, clear(byId("sm-credits")));
  };

  SM.renderCredits = function (player, box) {
    var data = player.data, t = player.t;
    if (data.context.length) {
      box.appendChild(el("h3", t("outside_article")));
      var facts = box.appendChild(el("ul"));
      data.context.forEach(function (fact) {
        facts.appendChild(el("li", fact.text + " (" + t("source_is", {source: fact.source}) + ")"));
      });
    }
    box.appendChild(el("h3", t("credits")));
    var credits = box.appendChild(el("ul"));
    data.credits.forEach(function (line) { credits.appendChild(el("li", line)); });
  };

  SM.renderLangSwitch = function (player) {
    var box = clear(player.byId("sm-lang"));
    Object.keys(player.catalogueNames || {en: "English"}).forEach(function (code) {
      var button = el("button", player.catalogueNames[code]);
      button.type = "button";
      button.lang = code;
      button.setAttribute("aria-pressed", String(code === player.state.lang));
      button.addEventListener("click", function () { player.chooseLang(code); });
      box.appendChild(button);
    });
  };

  SM.renderStepList = function (player) {
    var list = clear(player.byId("sm-steps"));
    player.sequence().forEach(function (stepIndex, n) {
      var step = player.data.steps[stepIndex];
      var button = el("button");
      button.type = "button";
      button.setAttribute("data-n", String(n));
      button.appendChild(el("span", (n + 1) + ". ", "sm-step-number"));
      button.appendChild(el("span", step.title, "sm-step-title"));
      if (step.when) button.appendChild(el("span", "“" + step.when + "”", "sm-step-when"));
      list.appendChild(el("li")).appendChild(button);
    });
  };

  SM.renderNote = function (player, step) {
    var note = clear(player.byId("sm-note"));
    if (step.note) {
      note.appendChild(el("h3", player.t("teacher_note")));
      note.appendChild(el("p", step.note));
    }
    note.hidden = !(player.state.notes && step.note);
  };

  function renderFacts(player, step, box) {
    var t = player.t;
    if (step.counts.length) {
      box.appendChild(el("h3", t("people_reported")));
      var counts = box.appendChild(el("ul"));
      step.counts.forEach(function (count) { counts.appendChild(el("li", count.reading)); });
    }
    step.distances.forEach(function (distance) {
      box.appendChild(el("h3", distance.start + " – " + distance.end));
      box.appendChild(el("p", distance.claim || distance.label));
      if (distance.note) box.appendChild(el("p", distance.note, "sm-small"));
    });
  }

  function renderQuestions(player, step, box) {
    var t = player.t;
    step.questions.forEach(function (question, n) {
      var part = box.appendChild(el("div", null, "sm-question sm-" + question.kind));
      part.appendChild(el("p", t(question.kind === "predict" ? "predict" : "discuss"), "sm-kind"));
      part.appendChild(el("p", question.prompt, "sm-prompt"));
      var answer = el("div", null, "sm-answer");
      answer.id = "sm-answer-" + n;
      answer.hidden = true;
      answer.appendChild(el("p", question.answer));
      answer.appendChild(el("p", t("the_article_says", {quote: question.answer_quote}), "sm-small"));
      var closed = t(question.kind === "predict" ? "reveal" : "show_answer");
      var reveal = el("button", closed, "sm-reveal");
      reveal.type = "button";
      reveal.setAttribute("aria-expanded", "false");
      reveal.setAttribute("aria-controls", answer.id);
      reveal.addEventListener("click", function () {
        answer.hidden = !answer.hidden;
        reveal.setAttribute("aria-expanded", String(!answer.hidden));
        reveal.textContent = answer.hidden ? closed : t("hide_answer");
      });
      part.appendChild(reveal);
      part.appendChild(answer);
    });
  }

  // "On this map": the step's places, counts and distances in words, each with its sentence.
  function renderOnMap(player, step, box) {
    var t = player.t, data = player.data;
    box.appendChild(el("h3", t("on_this_map")));
    var list = box.appendChild(el("ul", null, "sm-onmap-list"));
    step.placeIds.forEach(function (id) {
      var place = data.places[id];
      var item = list.appendChild(el("li"));
      item.appendChild(el("strong", place.name));
      item.appendChild(document.createTextNode(" — " + t("kind_" + place.kind.replace(" ", "_"))));
    });
    step.counts.forEach(function (count) {
      var item = list.appendChild(el("li"));
      item.appendChild(el("strong", count.reported));
      item.appendChild(document.createTextNode(" " + t("drawn_at", {place: count.place})));
    });
    step.distances.forEach(function (distance) {
      var item = list.appendChild(el("li"));
      item.appendChild(el("strong", distance.start + " – " + distance.end));
      item.appendChild(document.createTextNode(": " + distance.label));
    });
  }

  SM.renderStep = function (player, step) {
    var t = player.t, byId = player.byId, state = player.state, total = player.sequence().length;
    byId("sm-counter").textContent = t("counter", {n: state.index + 1, total: total});
    byId("sm-progress-bar").style.width = (100 * (state.index + 1) / total) + "%";
    var progress = byId("sm-progress");
    progress.setAttribute("aria-valuemax", total);
    progress.setAttribute("aria-valuenow", state.index + 1);
    progress.setAttribute("aria-valuetext", t("counter", {n: state.index + 1, total: total}));
    byId("sm-prev").disabled = byId("sm-first").disabled = state.index === 0;
    byId("sm-next").disabled = byId("sm-last").disabled = state.index === total - 1;
    byId("sm-step-title").textContent = step.title;
    byId("sm-when").textContent = step.when ? t("when", {when: step.when}) : "";
    byId("sm-when").hidden = !step.when;

    var quotes = clear(byId("sm-quotes"));
    step.quotes.forEach(function (text) { quotes.appendChild(quote(text)); });
    renderFacts(player, step, clear(byId("sm-facts")));
    SM.renderNote(player, step);
    renderQuestions(player, step, clear(byId("sm-questions")));
    renderOnMap(player, step, clear(byId("sm-onmap")));
    byId("sm-provenance").hidden = true;
    byId("sm-panel").scrollTop = 0;  // each step starts at its title

    var marked = {};
    step.highlight.forEach(function (i) { marked[i] = true; });
    player.sentenceNodes.forEach(function (node, i) { node.classList.toggle("sm-mark", !!marked[i]); });
    var items = byId("sm-steps").children;
    for (var i = 0; i < items.length; i++) {
      if (i === state.index) items[i].firstChild.setAttribute("aria-current", "step");
      else items[i].firstChild.removeAttribute("aria-current");
    }
  };

  // --- provenance: a click on a place shows every sentence naming it, and a jump to its first step ----
  SM.showProvenance = function (player, id) {
    var place = player.data.places[id], t = player.t;
    if (!place) return;
    var box = clear(player.byId("sm-provenance"));
    var close = el("button", "×", "sm-close");
    close.type = "button";
    close.setAttribute("aria-label", t("close"));
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    box.appendChild(el("h3", place.name));
    box.appendChild(el("p", t("named_in", {count: place.sentences.length})));
    place.sentences.forEach(function (sentence) { box.appendChild(quote(sentence)); });
    var from = [t("position_from", {source: place.source || "?", matched: place.matched || place.name})];
    if (place.citation) from.push(place.citation);
    box.appendChild(el("p", from.join(" · "), "sm-small"));
    // Its first step in the order being read that quotes a sentence naming it.
    var positions = place.namedIn.map(function (i) { return player.sequence().indexOf(i); }).sort(function (a, b) { return a - b; });
    var position = positions.length ? positions[0] : -1;
    if (position >= 0 && position !== player.state.index) {
      var first = player.data.steps[player.sequence()[position]];
      var jump = el("button", t("go_to_step", {n: position + 1, title: first.title}));
      jump.type = "button";
      jump.addEventListener("click", function () { player.go(position); });
      box.appendChild(jump);
    }
    box.hidden = false;
    player.byId("sm-panel").scrollTop = 0;
  };

  // Clicks on the base map's places and on a step's markers name their place; the view stays.
  SM.bindPlaces = function (player) {
    var data = player.data;
    player.map.eachLayer(function (layer) {
      var id = layer.feature && layer.feature.properties && layer.feature.properties.id;
      if (id && data.places[id]) layer.on("click", function () { SM.showProvenance(player, id); });
    });
    data.steps.forEach(function (step) {
      Object.keys(step.markers).forEach(function (name) {
        var marker = window[name];
        if (marker) marker.on("click", function () { SM.showProvenance(player, step.markers[name]); });
      });
    });
  };
})(window.StoryMap = window.StoryMap || {});
