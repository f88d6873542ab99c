/* Story Map player: presenter notes in a second window, for the teacher's screen only.
 *
 * "Open presenter notes" opens an empty window of the same origin (it works from file:// too) and
 * draws into it: the step, its teacher note, the answers, the next step's title and a timer. The
 * two windows follow each other both ways: keys and buttons in the notes step the player, and every
 * step or Reveal in the player redraws the notes. The projected window never shows a note unless N
 * (or "Note here") asks for it, for that step only.
 */
(function (SM) {
  "use strict";

  var CSS = "body{font:18px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;padding:16px 20px;" +
    "color:#1d2433;background:#fff}h1{font-size:1.1em;margin:0 0 .2em;color:#4f5666}h2{font-size:1.5em;margin:.1em 0 .4em}" +
    "h3{font-size:1em;margin:1em 0 .2em}.bar{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:0 0 12px}" +
    "button{font:inherit;padding:4px 12px;border:1px solid #8a909c;border-radius:5px;background:#fff;cursor:pointer}" +
    "button:focus-visible{outline:3px solid #1a56a8;outline-offset:2px}.timer{font-variant-numeric:tabular-nums;font-weight:600}" +
    ".note{background:#fff7d6;border:1px dashed #8a6d00;border-radius:6px;padding:.4em .8em}" +
    ".answer{border-left:4px solid #1a56a8;padding-left:.8em;margin:.4em 0}.small{color:#4f5666;font-size:.85em}" +
    ".next{color:#4f5666}";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ":" + pad(s % 60);
  }

  SM.openNotesWindow = function (player) {
    var t = player.t;
    if (player.notesWindow && !player.notesWindow.closed) { player.notesWindow.focus(); return; }
    var win = window.open("", "sm-presenter-notes", "width=760,height=720");
    if (!win) { player.status(t("notes_blocked")); return; }
    player.notesWindow = win;
    player.notesOpened = Date.now();
    var doc = win.document;
    doc.open();
    doc.write("<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width, initial-scale=1'><title></title></head><body></body></html>");
    doc.close();
    var style = doc.createElement("style");
    style.textContent = CSS;
    doc.head.appendChild(style);
    // Keys in the notes window step the projected player, as a clicker would.
    doc.addEventListener("keydown", function (event) {
      var keys = {ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1};
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key in keys) player.go(player.state.index + keys[event.key]);
      else if (event.key === "Home") player.go(0);
      else if (event.key === "End") player.go(player.sequence().length - 1);
      else return;
      event.preventDefault();
    });
    player.notesTimer = setInterval(function () { SM.notesChannel(player, true); }, 1000);
    win.addEventListener("beforeunload", function () { clearInterval(player.notesTimer); });
    SM.notesChannel(player);
  };

  // Draw the notes for the player's current step (only the timer when `tick`).
  SM.notesChannel = function (player, tick) {
    var win = player.notesWindow;
    if (!win || win.closed) { clearInterval(player.notesTimer); return; }
    var doc = win.document, t = player.t, el = function (tag, text, cls) {
      var node = doc.createElement(tag);
      if (text !== undefined && text !== null) node.textContent = String(text);
      if (cls) node.className = cls;
      return node;
    };
    var started = player.stepStarted || player.notesOpened;
    var time = t("notes_timer", {total: clock(Date.now() - player.notesOpened), step: clock(Date.now() - started)});
    var timer = doc.getElementById("sm-notes-timer");
    if (tick && timer) { timer.textContent = time; return; }
    var body = doc.body;
    while (body.firstChild) body.removeChild(body.firstChild);
    doc.title = t("notes_title") + " — " + player.data.title;
    doc.documentElement.lang = player.state.lang;
    var step = player.current(), total = player.sequence().length, index = player.state.index;
    var bar = body.appendChild(el("div", null, "bar"));
    [["previous", -1], ["next", 1]].forEach(function (pair) {
      var button = bar.appendChild(el("button", t(pair[0])));
      button.type = "button";
      button.id = "sm-notes-" + pair[0];
      button.disabled = pair[1] < 0 ? index === 0 : index === total - 1;
      button.addEventListener("click", function () { player.go(player.state.index + pair[1]); });
    });
    var predict = step.questions.some(function (q) { return q.kind === "predict"; });
    if (predict && player.state.present) {
      var revealed = !!player.state.revealed[step.id];
      var reveal = bar.appendChild(el("button", t(revealed ? "notes_hide_answer" : "notes_reveal")));
      reveal.type = "button";
      reveal.id = "sm-notes-reveal";
      reveal.addEventListener("click", function () { player.revealStep(step, !revealed); });
    }
    var clockNode = bar.appendChild(el("span", time, "timer"));
    clockNode.id = "sm-notes-timer";
    body.appendChild(el("h1", t("counter_long", {n: index + 1, total: total})));
    var heading = body.appendChild(el("h2", step.title));
    heading.id = "sm-notes-step";
    if (step.when) body.appendChild(el("p", t("when", {when: step.when}), "small"));
    body.appendChild(el("h3", t("teacher_note")));
    body.appendChild(el("p", step.note || t("notes_none"), step.note ? "note" : "small"));
    if (step.questions.length) {
      body.appendChild(el("h3", t("notes_answers")));
      step.questions.forEach(function (q) {
        var box = body.appendChild(el("div", null, "answer"));
        box.appendChild(el("p", q.prompt, "small"));
        box.appendChild(el("p", q.answer));
        box.appendChild(el("p", t("the_article_says", {quote: q.answer_quote}), "small"));
      });
    }
    var next = index + 1 < total ? player.data.steps[player.sequence()[index + 1]] : null;
    body.appendChild(el("p", next ? t("notes_next", {title: next.title}) : t("notes_last"), "next"));
  };
})(window.StoryMap = window.StoryMap || {});
