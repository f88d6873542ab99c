/* Story Map player: the printed handouts. The student sheet has the questions first with room to
 * write, then the map with its legend and the story; the teacher sheet has the answer key and notes.
 * Ctrl+P prints the student sheet; both print the same from any view or screen size. */
(function (SM) {
  "use strict";
  var el = SM.el, clear = SM.clear;

  function questions(player) {
    var found = [];
    player.sequence().forEach(function (stepIndex, n) {
      player.data.steps[stepIndex].questions.forEach(function (q) { found.push({q: q, step: n + 1}); });
    });
    return found;
  }

  function story(player, box) {
    var t = player.t;
    box.appendChild(el("h2", t("story_steps")));
    player.sequence().forEach(function (stepIndex, n) {
      var step = player.data.steps[stepIndex];
      var part = box.appendChild(el("article", null, "sm-h-step"));
      part.appendChild(el("h3", (n + 1) + ". " + step.title + (step.when ? " — “" + step.when + "”" : "")));
      step.quotes.forEach(function (text) { part.appendChild(el("blockquote", "“" + text + "”")); });
      var facts = el("ul");
      step.counts.forEach(function (count) { facts.appendChild(el("li", t("people_colon", {reading: count.reading}))); });
      step.distances.forEach(function (d) { facts.appendChild(el("li", d.start + " – " + d.end + ": " + (d.claim || d.label))); });
      if (facts.children.length) part.appendChild(facts);
    });
  }

  function studentSheet(player, box) {
    var t = player.t, asked = questions(player);
    if (asked.length) {
      var section = box.appendChild(el("section", null, "sm-h-questions"));
      section.appendChild(el("h2", t("questions")));
      var list = section.appendChild(el("ol"));
      asked.forEach(function (item) {
        var li = list.appendChild(el("li"));
        li.appendChild(el("p", item.q.prompt + " " + t("step_ref", {n: item.step})));
        li.appendChild(el("div", null, "sm-h-lines"));
      });
    }
    var mapPart = box.appendChild(el("section", null, "sm-h-mapbox"));
    mapPart.appendChild(el("h2", t("the_map")));
    mapPart.appendChild(el("div", null, "sm-h-map"));
    story(player, box.appendChild(el("section", null, "sm-h-story")));
  }

  function teacherSheet(player, box) {
    var t = player.t, asked = questions(player);
    box.appendChild(el("h2", t("answer_key")));
    var answers = box.appendChild(el("ol", null, "sm-h-answers"));
    asked.forEach(function (item) {
      var li = answers.appendChild(el("li"));
      li.appendChild(el("p", item.q.prompt + " " + t("step_ref", {n: item.step}), "sm-h-prompt"));
      li.appendChild(el("p", item.q.answer));
      li.appendChild(el("p", t("the_article_says", {quote: item.q.answer_quote}), "sm-small"));
    });
    var notes = player.sequence().map(function (i) { return player.data.steps[i]; });
    if (notes.some(function (step) { return step.note; })) {
      box.appendChild(el("h2", t("teacher_notes")));
      var list = box.appendChild(el("ol", null, "sm-h-notes"));
      notes.forEach(function (step, n) {
        if (!step.note) return;
        var li = list.appendChild(el("li"));
        li.value = n + 1;
        li.appendChild(el("p", step.title, "sm-h-prompt"));
        li.appendChild(el("p", step.note));
      });
    }
  }

  function renderHandout(player, kind) {
    var box = clear(player.byId("sm-handout"));
    box.setAttribute("data-kind", kind);
    box.appendChild(el("p", player.t(kind === "teacher" ? "teacher_sheet" : "student_sheet"), "sm-h-kind"));
    if (kind === "teacher") teacherSheet(player, box);
    else studentSheet(player, box);
    SM.renderCredits(player, box.appendChild(el("section", null, "sm-h-credits")));
  }

  function beforePrint(player, kind) {
    if (player.printing) return;
    var map = player.map, container = map.getContainer();
    player.printing = {index: player.state.index, parent: container.parentNode, next: container.nextSibling};
    player.stopAutoplay();
    renderHandout(player, kind || "student");
    player.root.classList.add("sm-printing");
    var slot = player.byId("sm-handout").querySelector(".sm-h-map");
    if (slot) {
      // The live map moves into the sheet for the print, with its legend, at the overview.
      slot.appendChild(container);
      player.preview(player.data.overviewStep);
    }
  }

  function afterPrint(player) {
    var saved = player.printing;
    if (!saved) return;
    player.printing = null;
    player.root.classList.remove("sm-printing");
    saved.parent.insertBefore(player.map.getContainer(), saved.next);
    player.map.invalidateSize({animate: false});
    player.go(saved.index, true);
    // The reader's step again, fitted anew: the printed map left the overview's view behind.
    player.fit();
    player.relabel();
  }

  SM.print = function (player, kind) {
    beforePrint(player, kind);
    window.print();
    afterPrint(player);
  };

  // Ctrl+P (no button) prints the student sheet.
  SM.bindPrint = function (player) {
    player.onBeforePrint = function () { beforePrint(player, "student"); };
    player.onAfterPrint = function () { afterPrint(player); };
    window.addEventListener("beforeprint", player.onBeforePrint);
    window.addEventListener("afterprint", player.onAfterPrint);
  };

  SM.unbindPrint = function (player) {
    window.removeEventListener("beforeprint", player.onBeforePrint);
    window.removeEventListener("afterprint", player.onAfterPrint);
  };

  // Tests (and page.pdf) prepare a sheet without the print dialog.
  SM.beforePrint = beforePrint;
  SM.afterPrint = afterPrint;
})(window.StoryMap = window.StoryMap || {});
