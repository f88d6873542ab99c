/* Story Map player: interface words from the JSON catalogue (geo/templates/i18n/*.json).
 * Only the interface is translated; the article, its quotes and the story's own text stay as written. */
(function (SM) {
  "use strict";

  // t("step_of", {n: 3, total: 10}) -> "Step 3 of 10"; an unknown key shows itself, never nothing.
  SM.translator = function (catalogues, lang) {
    var strings = SM.has(catalogues, lang) ? catalogues[lang] : catalogues.en || {};
    var fallback = catalogues.en || {};
    return function (key, params) {
      var text = SM.has(strings, key) ? strings[key] : (SM.has(fallback, key) ? fallback[key] : key);
      if (params) {
        text = text.replace(/\{(\w+)\}/g, function (whole, name) {
          return SM.has(params, name) ? String(params[name]) : whole;
        });
      }
      return text;
    };
  };

  // The browser's language when the catalogue has it, else English.
  SM.preferredLang = function (catalogues) {
    var wanted = (navigator.languages || [navigator.language || "en"]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).slice(0, 2).toLowerCase();
      if (SM.has(catalogues, code)) return code;
    }
    return "en";
  };

  // Fill every data-i18n (text), data-i18n-label (aria-label of a region or group) and
  // data-i18n-title (tooltip) under root. Buttons carry their name as text, so that what a reader
  // sees starts what a screen reader says (WCAG 2.5.3).
  SM.translate = function (root, t) {
    [["data-i18n", null], ["data-i18n-label", "aria-label"], ["data-i18n-title", "title"]].forEach(function (pair) {
      root.querySelectorAll("[" + pair[0] + "]").forEach(function (node) {
        var text = t(node.getAttribute(pair[0]));
        if (pair[1]) node.setAttribute(pair[1], text);
        else node.textContent = text;
      });
    });
  };
})(window.StoryMap = window.StoryMap || {});
