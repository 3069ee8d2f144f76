/* Suggestions for the text boxes that name an institution (input[data-suggest-url] with a
 * <datalist>): as the user types, the institutions API is asked for the names that match
 * and the list is filled with their slugs. Without this script the box still takes a name,
 * slug or ROR ID; the server says when it finds none or several. */
(function () {
  "use strict";

  var WAIT_MS = 250;
  var MIN_LENGTH = 2;
  var SUGGESTIONS = 10;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    var timer = null;
    var pending = null;
    var asked = "";

    function fill(institutions) {
      var options = institutions.map(function (institution) {
        var option = document.createElement("option");
        option.value = institution.slug;
        option.label = institution.name + (institution.country ? " · " + institution.country : "");
        option.textContent = option.label;
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function suggest() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH || text === asked) {
        return;
      }
      asked = text;
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = new URL(input.dataset.suggestUrl, window.location.href);
      url.searchParams.set("search", text);
      url.searchParams.set("ordering", "name");
      url.searchParams.set("page_size", String(SUGGESTIONS));
      fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          fill(body.results || []);
        })
        .catch(function () {
          /* Aborted by a newer request, or offline: the box still works without suggestions. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
})();
