/* Story Map player: the DOM helpers every module uses. Text goes in as textContent, never as HTML. */
(function (SM) {
  "use strict";

  SM.el = function (tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };

  // A key an object really has: "__proto__" or "constructor" from an address is never a story's order.
  SM.has = function (object, key) {
    return typeof key === "string" && Object.prototype.hasOwnProperty.call(object, key);
  };

  SM.clear = function (node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  };
})(window.StoryMap = window.StoryMap || {});
