/* Compare any two concepts: the form on /compare/ takes the reader to the page of the pair chosen.
 *
 * Loaded only by /compare/ (a <script src defer> in docs/compare/index.md). The form and the list
 * of every pair are built into the page by the site's build; this script only shows the form and
 * looks the pair up in that list (each link there carries data-pair="<a> <b>"), so it needs no
 * request and no framework, and works under `default-src 'self'`.
 * Addresses shared before every pair had a page (/compare/?a=lean&b=performance-management, with
 * or without a #row) still open their pair: they are sent on to its page, the row kept.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-compare-picker]");
  if (!form || !window.URL || !window.URLSearchParams) {
    return; // the list of every pair below still works without the form
  }
  var selectA = form.querySelector("select[name=a]");
  var selectB = form.querySelector("select[name=b]");
  var status = form.querySelector("[data-picker-status]");

  function say(message) {
    status.textContent = message;
  }

  function known(slug) {
    return Array.prototype.some.call(selectA.options, function (option) {
      return option.value && option.value === slug;
    });
  }

  /* The address of the pair's page, in either order, from the list of every pair. */
  function pairUrl(a, b) {
    var links = document.querySelectorAll("a[data-pair]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].getAttribute("data-pair") === a + " " + b) {
        return links[i].href;
      }
    }
    return null;
  }

  function go(a, b, replace) {
    if (!a || !b) {
      say(a || b ? "Choose a second concept to compare." : "Choose two concepts to compare.");
      return false;
    }
    if (a === b) {
      say("You chose the same concept twice. Choose two different concepts.");
      return false;
    }
    var url = pairUrl(a, b);
    if (!url) {
      say("This pair has no page. Choose from the lists again.");
      return false;
    }
    url = url.split("#")[0] + location.hash; // a shared row link keeps its row
    say("Opening the comparison…");
    if (replace) {
      location.replace(url);
    } else {
      location.assign(url);
    }
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(selectA.value, selectB.value, false);
  });
  form.hidden = false;

  var params = new URLSearchParams(location.search);
  var a = params.get("a");
  var b = params.get("b");
  if (a || b) {
    selectA.value = known(a) ? a : "";
    selectB.value = known(b) ? b : "";
    if ((a && !known(a)) || (b && !known(b))) {
      say("The address names a concept this site does not describe. Choose two from the lists.");
    } else if (!go(a, b, true)) {
      (a ? selectB : selectA).focus();
    }
  }
})();
