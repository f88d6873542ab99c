/* Story Map player: the text beside the map. The step's sentences, counts, distances and questions,
 * the list of steps, "On this map" (the map in words), provenance of a clicked place, the article. */
(function (SM) {
  "use strict";
  var el = SM.el, clear = SM.clear;

  function quote(text) { return el("blockquote", "“" + text + "”"); }

  // The interface sentences Python made (credits, the mention rule, the citation) in this language.
  SM.localized = function (player) {
    var all = player.data.localized;
    return SM.has(all, player.state.lang) ? all[player.state.lang] : all.en;
  };

  // Once per language: the title, the source line, the article as sentences, the credits.
  SM.renderStatic = function (player) {
    var data = player.data, t = player.t, byId = player.byId;
    byId("sm-title").textContent = data.title;
    var local = SM.localized(player);
    // Said once, where a reader of another language sees it first: the story itself is not translated.
    byId("sm-as-written").hidden = player.state.lang === "en";
    byId("sm-source").textContent = t("source_line", {source: local.citation});
    var box = clear(byId("sm-article")), para = null, last = null;
    // The article once per language, as sentences in paragraphs; a step only toggles highlights.
    player.sentenceNodes = [];
    data.article.forEach(function (sentence) {
      if (sentence.para !== last) { para = box.appendChild(el("p")); last = sentence.para; }
      else para.appendChild(document.createTextNode(" "));
      var node = para.appendChild(el("span", sentence.text, sentence.marker ? "sm-marker" : null));
      // The editor's marker ("(Excerpts from BBC)") is not the article's text: said so, never marked.
      if (sentence.marker) para.appendChild(el("span", " " + t("editor_marker"), "sm-small"));
      player.sentenceNodes.push(sentence.marker ? null : node);
    });
    byId("sm-mention-rule").textContent = t("mention_rule_is", {rule: local.mentionRule});
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
    SM.localized(player).credits.forEach(function (line) { credits.appendChild(el("li", line)); });
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
      button.appendChild(el("span", player.title(step), "sm-step-title"));
      if (step.when) button.appendChild(el("span", "“" + step.when + "”" + (step.when_borrowed ? " " + player.t("when_borrowed_short") : ""), "sm-step-when"));
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

  // A count in words and the range they allow: "almost 7,500 migrants (6,750–7,499)".
  SM.countReading = function (player, count) {
    var t = player.t, n = function (v) { return Number(v).toLocaleString("en-US"); };
    if (count.low === count.high) return count.words;
    if (count.open) return t("count_open", {words: count.words, low: n(count.low)});
    return t("count_range", {words: count.words, low: n(count.low), high: n(count.high)});
  };

  // The article's figure beside the straight line, in the reader's language.
  SM.claim = function (player, distance) {
    var km = Math.round(distance.km).toLocaleString("en-US");
    return player.t("claim_" + distance.verdict, {stated: distance.stated || "", km: km});
  };

  function renderFacts(player, step, box) {
    var t = player.t, held = player.held(step);
    var counts = step.counts.filter(function (c, n) { return !held.counts[n]; });
    if (counts.length) {
      box.appendChild(el("h3", t("people_reported")));
      var list = box.appendChild(el("ul"));
      counts.forEach(function (count) {
        var item = list.appendChild(el("li", SM.countReading(player, count)));
        if (count.place_note) item.appendChild(el("span", " " + t("drawn_at_because", {place: count.place, note: count.place_note}), "sm-small sm-block"));
      });
    }
    step.distances.forEach(function (distance, n) {
      if (held.distances[n]) return;
      box.appendChild(el("h3", distance.start + " – " + distance.end));
      box.appendChild(el("p", SM.claim(player, distance)));
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
      var open = !!(player.state.open || {})[step.id + ":" + n];
      answer.hidden = !open;
      answer.appendChild(el("p", question.answer));
      answer.appendChild(el("p", t("the_article_says", {quote: question.answer_quote}), "sm-small"));
      var closed = t(question.kind === "predict" ? "reveal" : "show_answer");
      var reveal = el("button", open ? t("hide_answer") : closed, "sm-reveal");
      reveal.type = "button";
      reveal.id = "sm-reveal-" + n;
      reveal.setAttribute("aria-expanded", String(open));
      reveal.setAttribute("aria-controls", answer.id);
      reveal.addEventListener("click", function () {
        var state = player.state;
        state.open = state.open || {};
        state.open[step.id + ":" + n] = !open;
        // A predict answer also brings back what it held: the sentence, the figures, the map's labels.
        if (question.kind === "predict") player.reveal(step, !open);
        else SM.renderStep(player, step);
        // The button is drawn anew: the focus stays on it.
        var again = player.byId("sm-reveal-" + n);
        if (again) again.focus();
      });
      part.appendChild(reveal);
      part.appendChild(answer);
    });
  }

  // "On this map": the step's places, counts and distances in words, each with its sentence.
  function renderOnMap(player, step, box) {
    var t = player.t, data = player.data, held = player.held(step);
    box.appendChild(el("h3", t("on_this_map")));
    var list = box.appendChild(el("ul", null, "sm-onmap-list"));
    var said = [];
    function item(head, rest, sentence) {
      var li = list.appendChild(el("li"));
      li.appendChild(el("strong", head));
      li.appendChild(document.createTextNode(" — " + rest));
      if (!sentence) return;
      // Each sentence in full once; later items that come from it point back to it.
      var seen = said.indexOf(sentence);
      li.appendChild(el("span", seen < 0 ? "“" + sentence + "”" : player.t("same_sentence"), "sm-small sm-block"));
      if (seen < 0) said.push(sentence);
    }
    step.placeIds.forEach(function (id) {
      var place = data.places[id];
      var named = step.named.indexOf(id) >= 0;
      var sentence = named ? place.sentences.filter(function (s) { return step.sentences.indexOf(s) >= 0; })[0] : null;
      item(place.name, t("kind_" + place.kind.replace(" ", "_")) + (step.areas.indexOf(id) >= 0 ? ", " + t("drawn_as_area") : ""), sentence);
    });
    step.counts.forEach(function (count, n) {
      if (!held.counts[n]) item(count.reported, t("drawn_at", {place: count.place}), count.sentence);
    });
    step.distances.forEach(function (distance, n) {
      if (!held.distances[n]) item(distance.start + " – " + distance.end, SM.distanceLabel(player, distance), distance.sentence);
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
    var held = player.held(step);
    // Presenter view: Reveal sits with the stepping controls, on screen whatever the panel holds.
    var revealStep = byId("sm-reveal-step");
    revealStep.hidden = !(state.present && step.questions.some(function (q) { return q.kind === "predict"; }));
    revealStep.firstChild.textContent = t(state.revealed[step.id] ? "hide_answer" : "reveal");
    byId("sm-step-title").textContent = player.title(step);
    var when = clear(byId("sm-when"));
    when.hidden = !step.when;
    if (step.when) {
      when.appendChild(document.createTextNode(t("when", {when: step.when})));
      if (step.when_borrowed) {
        when.appendChild(document.createTextNode(" " + t("when_borrowed")));
        when.appendChild(el("span", t("borrowed_from", {sentence: step.when_from}), "sm-small sm-block"));
      }
    }

    var quotes = clear(byId("sm-quotes"));
    step.quotes.forEach(function (text, n) {
      if (held.quotes[n]) quotes.appendChild(el("p", t("held_quote"), "sm-held"));
      else quotes.appendChild(quote(text));
    });
    step.attributions.forEach(function (a) {
      quotes.appendChild(el("p", t("attribution", {words: a.words, speaker: a.speaker, said: a.said}), "sm-small sm-attribution"));
    });
    renderFacts(player, step, clear(byId("sm-facts")));
    SM.renderNote(player, step);
    renderQuestions(player, step, clear(byId("sm-questions")));
    renderOnMap(player, step, clear(byId("sm-onmap")));
    byId("sm-provenance").hidden = true;
    byId("sm-panel").scrollTop = 0;  // each step starts at its title

    var marked = {};
    step.highlight.forEach(function (i) { marked[i] = true; });
    player.sentenceNodes.forEach(function (node, i) { if (node) node.classList.toggle("sm-mark", !!marked[i] && !held.any); });
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
    // A heading of the panel's own level: the box comes before the step's title (h2).
    box.appendChild(el("h2", place.name, "sm-provenance-name"));
    box.appendChild(el("p", t("named_in", {count: place.sentences.length})));
    box.appendChild(el("p", t("mention_rule_is", {rule: SM.localized(player).mentionRule}), "sm-small"));
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
