/* Story Map player, hosted by a Streamlit custom component (v2, mounted in the page, no iframe).
 *
 * Streamlit calls this once per mount and again only when the component's data changes (the order
 * or language chosen in the sidebar). The bundle is the same on every rerun, so the map is built
 * once; a step never waits for the server. The player tells Python where the reader is (a trigger),
 * and Python writes it into the address (?step=3&order=chrono), so Back and links keep working.
 */
var REPORT_AFTER_MS = 250;

function streamlitHost(component) {
  var params = function () { return new URLSearchParams(window.location.search); };
  var timer = null;
  var host = {
    trigger: component.setTriggerValue,
    read: function () {
      var query = params();
      return {step: query.get("step"), order: query.get("order"), scale: parseFloat(query.get("size")) || undefined,
              lang: query.get("lang") || undefined};
    },
    // Python hears where the reader rests, not every step of a fast run through (a clicker held
    // down): one report, one rerun and one history entry per resting place.
    write: function (state) {
      var report = {step: state.step, order: state.order, size: state.scale};
      if (state.lang) report.lang = state.lang;
      clearTimeout(timer);
      timer = setTimeout(function () { host.trigger("moved", report); }, REPORT_AFTER_MS);
    },
    // Back and Forward change the address without a new mount: follow them here, at once.
    listen: function (apply) {
      var handler = function () { apply(host.read()); };
      window.addEventListener("popstate", handler);
      return function () { window.removeEventListener("popstate", handler); };
    },
  };
  return host;
}

// The player fills the window below where it starts; on a phone the page scrolls past the header.
function fitFrame(frame, present) {
  var top = frame.getBoundingClientRect().top + window.scrollY;
  var room = window.innerHeight - Math.max(0, top) - (present ? 8 : 16);
  var height = Math.max(present ? 360 : 480, room) + "px";
  if (frame.style.height !== height) frame.style.height = height;  // unchanged: no new layout
}

export default function (component) {
  var data = component.data, parent = component.parentElement;
  var SM = window.StoryMap;
  var mounted = parent.__smMounted;
  if (mounted && mounted.bundleId === data.bundle.id) {
    // A rerun with new options (the sidebar's order or language): apply them, keep the map.
    mounted.host.trigger = component.setTriggerValue;
    if (mounted.player) {
      mounted.player.apply({order: data.options.order, lang: data.options.lang || undefined});
    }
    return mounted.cleanup;
  }
  if (mounted) mounted.cleanup();

  var frame = parent.querySelector(".sm-frame");
  var root = parent.querySelector("#sm-app");
  var host = streamlitHost(component);
  var state = {bundleId: data.bundle.id, host: host, player: null, gone: false};
  var resize = function () { fitFrame(frame, data.options.mode === "present"); };
  fitFrame(frame, data.options.mode === "present");
  window.addEventListener("resize", resize);
  // What is above the player can settle after it mounts (a notice, a caption, Streamlit's lazily
  // drawn elements), which moves its top: the page's height changes then, so fit again.
  var above = new ResizeObserver(resize);
  above.observe(document.body);
  state.cleanup = function () {
    state.gone = true;
    window.removeEventListener("resize", resize);
    above.disconnect();
    if (state.player) state.player.destroy();
    state.player = null;
    parent.__smMounted = null;
  };
  parent.__smMounted = state;
  // Marks for bench/step_latency.py's cold-load breakdown (performance.getEntriesByType("mark")).
  performance.mark("sm-component");
  SM.loadAssets(data.bundle.map).then(function () {
    if (state.gone) return;
    performance.mark("sm-assets");
    state.player = SM.mount(root, data.bundle, host, data.options);
    performance.mark("sm-mounted");
  }).catch(function (error) {
    root.setAttribute("data-error", String(error && error.message));
    var box = root.querySelector("#sm-mapbox");
    box.appendChild(SM.el("p", "The map's scripts could not load (" + (error && error.message) + ").", "sm-load-error"));
  });
  return state.cleanup;
}
