// Follows the facilitator: waits (long poll) for the next action and reloads the page when it
// changes what this phone should show. Without JavaScript a reload does the same.
(function () {
  var data = document.body.dataset;
  if (!data.code) return;
  var version = data.version;
  var typing = false;
  document.addEventListener("input", function () { typing = true; });

  function changed(state) {
    if (state.ended) return true;
    if ((state.activity || "") !== data.activity) return true;
    if ((state.status || "") !== data.status) return true;
    // Same activity, same status (a reveal, a timer): refresh unless someone is mid-answer.
    return !typing;
  }

  function poll() {
    fetch("/j/" + data.code + "/wait?v=" + version, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        // The database is not answering: ask again later, keeping whatever is being typed.
        if (state.retry) { setTimeout(poll, 5000); return; }
        if (String(state.version) !== String(version)) {
          if (state.gone || changed(state)) { window.location.reload(); return; }
          version = state.version;
        }
        poll();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }

  // A phone that slept has missed nothing: ask again as soon as it wakes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      fetch("/j/" + data.code + "/wait?v=stale", { cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.retry) return;
          if (String(state.version) !== String(version) && changed(state)) window.location.reload();
        })
        .catch(function () {});
    }
  });
  poll();
})();
