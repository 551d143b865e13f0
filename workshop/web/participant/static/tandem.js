// The phone pages' one script. Without it every page still works (a reload does what it does).
//
// - Follows the facilitator: waits (long poll) for the next action and shows the next activity
//   when the room moves on (its page comes with the long poll's answer), moving focus to its
//   heading so a screen reader announces it.
// - After answering, keeps "What the room said" current: the long poll also returns when the
//   room's answers move (the server wakes a session's phones together, at most every two
//   seconds), and only that section is fetched again and swapped in.
// - Keeps what is typed in this tab (sessionStorage, per session code and activity) until it
//   is sent, so a reload or the room moving on and back loses nothing.
// - Turns a ranking's place lists into buttons tapped in order.
// - Keeps "Pick up to N" to N: the other boxes are disabled once N are ticked.
//
// Loaded in the head, before the page is drawn: it marks the page as running the script (the
// stylesheet then shows the words and controls meant for it), and does the rest once the page
// is read.
document.documentElement.className += " js";
(function () {
  "use strict";
  var FOLLOWED = "tandem:followed";
  // What the page on screen does when the phone wakes up: asks the room at once.
  var awake = null;

  // Storage can be missing or full (private browsing): then nothing is kept, nothing breaks.
  function stored(key) {
    try { return window.sessionStorage.getItem(key); } catch (error) { return null; }
  }
  function keep(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (error) { /* nothing kept */ }
  }
  function each(list, action) { Array.prototype.forEach.call(list, action); }

  // The room moved on and its new page came with the long poll's answer: it takes the place
  // of this one, as a reload would draw it, with one request less for every phone of the room
  // at once. A page needing other files than this one (the server was upgraded meanwhile) is
  // loaded instead.
  function show(html, code) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    if (!sameFiles(fresh)) {
      load(code);
      return;
    }
    document.title = fresh.title;
    document.documentElement.lang = fresh.documentElement.lang;
    document.body.replaceWith(document.adoptNode(fresh.body));
    // The session's address, as a reload would leave it: a page drawn after a form was sent
    // (a refused answer) would otherwise send the form again when reloaded.
    window.history.replaceState(null, "", "/j/" + code);
    window.scrollTo(0, 0);
    start(true);
  }

  // The session's page loaded anew, its heading to take the focus once drawn.
  function load(code) {
    keep(FOLLOWED, "1");
    window.location.replace("/j/" + code);
  }

  // Whether the fresh page needs no file this one has not loaded (the page of an ended
  // workshop needs fewer: it has no script, and follows nothing).
  function sameFiles(fresh) {
    var loaded = files(document);
    return files(fresh).every(function (file) { return loaded.indexOf(file) !== -1; });
  }

  function files(page) {
    var found = [];
    each(page.querySelectorAll("head link[rel=stylesheet], head script[src]"), function (tag) {
      found.push(tag.getAttribute("href") || tag.getAttribute("src"));
    });
    return found;
  }

  document.addEventListener("DOMContentLoaded", function () { start(stored(FOLLOWED)); });

  // A phone that slept has missed nothing: ask again as soon as it wakes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && awake) awake();
  });

  // Everything a page does, from the moment it is drawn (loaded, or shown in place of the last).
  function start(followed) {
    var data = document.body.dataset;
    awake = null;

    // Drafts: what is typed, kept until it is sent -----------------------------------------------

    var form = document.querySelector("form[data-draft]");
    var draftKey = form ? "tandem:draft:" + form.dataset.draft : null;
    var sentKey = form ? "tandem:sent:" + form.dataset.draft : null;

    function fields() {
      var saved = {};
      each(form.elements, function (element) {
        if (!element.name || element.type === "hidden" || element.type === "submit") return;
        var values = saved[element.name] = saved[element.name] || [];
        if (element.type === "radio" || element.type === "checkbox") {
          if (element.checked) values.push(element.value);
        } else {
          values.push(element.value);
        }
      });
      return saved;
    }

    function restore(saved) {
      each(form.elements, function (element) {
        var values = saved[element.name];
        if (!values || element.type === "hidden" || element.type === "submit") return;
        if (element.type === "radio" || element.type === "checkbox") {
          element.checked = values.indexOf(element.value) !== -1;
        } else if (values.length) {
          element.value = values[0];
        }
      });
    }

    function saveDraft() { if (form) keep(draftKey, JSON.stringify(fields())); }

    // A page drawn after sending: the answer is in, so its draft goes. (A refused answer comes
    // back as the form with the problem, and keeps its draft.)
    function forgetSentDrafts() {
      var prefix = "tandem:sent:" + data.code + ":";
      var key = prefix + (data.activity || "");
      if (form || stored(key) === null) return;
      if (data.answered) keep("tandem:draft:" + key.slice("tandem:sent:".length), null);
      keep(key, null);
    }

    if (form) {
      keep(sentKey, null);
      var draft = stored(draftKey);
      if (draft) {
        try { restore(JSON.parse(draft)); } catch (error) { keep(draftKey, null); }
      }
      form.addEventListener("input", saveDraft);
      form.addEventListener("change", saveDraft);
    } else if (data.code) {
      forgetSentDrafts();
    }

    // Ranking: tap the items in order ------------------------------------------------------------

    var rankings = [];
    each(document.querySelectorAll("[data-ranking]"), function (box) {
      rankings.push(tapToRank(box));
    });

    function tapToRank(box) {
      var selects = box.querySelectorAll(".rank-lists select");
      var buttons = box.querySelectorAll(".tap-item");
      var orderList = box.querySelector(".tap-order");
      var progress = box.querySelector(".tap-progress");
      var order = orderFromLists();

      // What the lists already say (a stored answer, a draft, an answer sent back), in order.
      function orderFromLists() {
        var placed = [];
        each(selects, function (select, index) {
          var place = parseInt(select.value, 10);
          if (place > 0) placed.push([place, index]);
        });
        placed.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        return placed.map(function (pair) { return pair[1]; });
      }

      function label(index) {
        return buttons[index].querySelector(".tap-label").textContent;
      }

      function draw() {
        each(selects, function (select, index) {
          var position = order.indexOf(index);
          select.value = position === -1 ? "" : String(position + 1);
        });
        each(buttons, function (button, index) {
          var position = order.indexOf(index);
          button.setAttribute("aria-pressed", position === -1 ? "false" : "true");
          button.querySelector(".tap-place").textContent =
            position === -1 ? "" : String(position + 1);
          button.querySelector(".tap-said").textContent =
            position === -1 ? "" : ", " + box.dataset.place.replace("{place}", position + 1);
        });
        orderList.textContent = "";
        order.forEach(function (index) {
          var item = document.createElement("li");
          item.textContent = label(index);
          orderList.appendChild(item);
        });
        progress.textContent = box.dataset.progress
          .replace("{placed}", order.length)
          .replace("{total}", selects.length);
        if (complete()) hideProblem();
      }

      function complete() { return order.length === selects.length; }

      function changed() { draw(); saveDraft(); }

      each(buttons, function (button, index) {
        button.addEventListener("click", function () {
          var position = order.indexOf(index);
          if (position === -1) order.push(index);
          else order.splice(position, 1);
          changed();
        });
      });
      box.querySelector(".tap-undo").addEventListener("click", function () {
        order.pop();
        changed();
      });
      box.querySelector(".tap-clear").addEventListener("click", function () {
        order = [];
        changed();
      });
      draw();
      return { complete: complete, problem: box.dataset.problem };
    }

    // "Pick up to N": once N are ticked, the other boxes are disabled and the status line says
    // why (politely, once), so a third tick is never taken only to be refused after Send. The
    // server still refuses too many, for phones without the script.

    each(document.querySelectorAll("fieldset[data-max-choices]"), function (box) {
      var most = parseInt(box.dataset.maxChoices, 10);
      var boxes = box.querySelectorAll("input[type=checkbox]");
      var status = box.querySelector(".choice-limit");

      function limit() {
        var ticked = 0;
        each(boxes, function (input) { if (input.checked) ticked += 1; });
        var full = ticked >= most;
        each(boxes, function (input) { input.disabled = full && !input.checked; });
        var said = full ? box.dataset.atLimit : "";
        if (status && status.textContent !== said) status.textContent = said;
      }

      box.addEventListener("change", limit);
      limit();  // a draft or an answer being changed may already be at the limit
    });

    // Problems said at once, before anything is sent ---------------------------------------------

    var problem = document.getElementById("answer-problem");
    function hideProblem() { if (problem && problem.dataset.early) { problem.hidden = true; } }

    if (form) {
      var pressed = null;
      form.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
        if (button) pressed = button;
      });
      form.addEventListener("submit", function (event) {
        var passing = (event.submitter || pressed || {}).name === "pass";
        var unfinished = rankings.filter(function (ranking) { return !ranking.complete(); });
        if (!passing && unfinished.length && problem) {
          event.preventDefault();
          problem.textContent = unfinished[0].problem;
          problem.dataset.early = "1";
          problem.hidden = false;
          // The problem is said above the form and Send is below it: bring it into view.
          problem.scrollIntoView({ block: "center" });
          return;
        }
        saveDraft();
        keep(sentKey, "1");
      });
    }

    // Following the room -------------------------------------------------------------------------

    // Just followed the room here: the new activity's heading (or the workshop's end) takes the
    // focus, so a screen reader says what is now on screen.
    if (followed) {
      keep(FOLLOWED, null);
      var heading = document.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }

    if (!data.code) return;

    var version = data.version;
    var section = document.getElementById("room-results");
    var taken = section && section.dataset.taken !== undefined ? section.dataset.taken : null;
    var fetching = false;
    var current = true;  // false once another page has taken this one's place
    // Ends this page's long poll when another page takes its place (a phone waking up can
    // bring the new page while the poll still waits).
    var leaving = window.AbortController ? new AbortController() : null;

    function moveOn(state) {
      current = false;
      if (leaving) leaving.abort();
      if (state && state.page) show(state.page, data.code);
      else load(data.code);
    }

    function movedOn(state) {
      if (state.gone || state.ended) return true;
      return (state.activity || "") !== data.activity || (state.status || "") !== data.status;
    }

    // Only the results section is fetched again and swapped in: a form, an open details, the
    // scroll position and the focus stay as they are.
    function refreshResults() {
      if (fetching || !section) return;
      fetching = true;
      var url = "/j/" + data.code + "/results?activity=" + encodeURIComponent(data.activity);
      fetch(url, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 409) { if (current) moveOn(); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          fetching = false;
          if (!current) return;
          if (!html) { missed(); return; }
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#room-results");
          if (!fresh) return;
          section.parentNode.replaceChild(fresh, section);
          section = fresh;
          if (fresh.dataset.taken === undefined) taken = null;
        })
        .catch(function () { fetching = false; missed(); });
    }

    // The fresh section did not arrive: a count this page cannot have makes the next wake (two
    // seconds on at most) come back for it.
    function missed() { if (taken !== null) taken = "0"; }

    // What a long poll's answer means for this page; false once the page is being replaced.
    function follow(state) {
      if (!current) return false;
      if (String(state.version) !== String(version)) {
        if (movedOn(state)) { moveOn(state); return false; }
        // Same activity, same status: a reveal or an approved text changes the results only.
        version = state.version;
        data.heard = version;  // the latest version this page has heard of (tests, debugging)
        if (taken !== null && state.taken !== undefined) taken = String(state.taken);
        refreshResults();
      } else if (taken !== null && state.taken !== undefined && String(state.taken) !== taken) {
        taken = String(state.taken);
        refreshResults();
      }
      return true;
    }

    // The long poll says what this page shows, so that a move comes with the new page.
    function waitUrl(known) {
      var url = "/j/" + data.code + "/wait?v=" + known +
        "&a=" + encodeURIComponent(data.activity || "") +
        "&s=" + encodeURIComponent(data.status || "");
      return taken === null ? url : url + "&t=" + taken;
    }

    function poll() {
      if (!current) return;  // a retry timer set before another page took this one's place
      var options = { cache: "no-store", credentials: "same-origin" };
      if (leaving) options.signal = leaving.signal;
      fetch(waitUrl(version), options)
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (!current) return;
          // The database is not answering: ask again later, keeping whatever is being typed.
          if (state.retry) { setTimeout(poll, 5000); return; }
          if (follow(state)) poll();
        })
        .catch(function () { if (current) setTimeout(poll, 2000); });
    }

    awake = function () {
      fetch(waitUrl("stale"), { cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) { if (!state.retry) follow(state); })
        .catch(function () {});
    };
    poll();
  }
})();
