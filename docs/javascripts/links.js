/* Links worth sending: every row link and the page's own link copy the full address.
 *
 * Without this script they are plain links (a row's link goes to the row, the page's link to the
 * page), so a reader can still copy them with the browser's own menu. With it, activating one (click,
 * tap, Enter) also copies the address, the row fragment included, and says "Link copied" in a live
 * region that screen readers announce and sighted readers see. The address bar keeps the fragment
 * (the site does not use Material's navigation.tracking, which rewrote it on scroll).
 *
 * Also keeps a linked row clear of the sticky table header: the header's height goes into a CSS
 * variable that the row anchors' scroll margin reads.
 * External file (extra_javascript): the site's CSP allows no inline script.
 */
(function () {
  "use strict";

  var LINKS = "a.row-link, a.copy-link";
  var notice = null;
  var hideTimer = 0;

  function announce(message) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "link-notice";
      notice.setAttribute("role", "status");
      notice.setAttribute("aria-live", "polite");
      document.body.appendChild(notice);
    }
    // Emptied first, so the same message is announced again on a second copy.
    notice.textContent = "";
    notice.classList.add("link-notice--shown");
    window.setTimeout(function () {
      notice.textContent = message;
    }, 50);
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      notice.classList.remove("link-notice--shown");
    }, 2500);
  }

  /* The address to send: this page (no search highlight or other query, but the pair the picker on
     /compare/ shows, ?a=&b=), plus the link's fragment. */
  function addressOf(link) {
    var url = new URL(link.href, location.href);
    var here = new URL(location.href);
    var pair = new URLSearchParams();
    ["a", "b"].forEach(function (name) {
      if (here.searchParams.get(name)) pair.set(name, here.searchParams.get(name));
    });
    here.search = pair.toString();
    here.hash = url.pathname === here.pathname ? url.hash : "";
    return here.href;
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "link-copy-buffer";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(area);
    return done;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithSelection(text); }
      );
    }
    return Promise.resolve(copyWithSelection(text));
  }

  function labelFor(link) {
    var name = link.getAttribute("aria-label");
    if (name && name.indexOf("Link to ") === 0) {
      link.setAttribute("aria-label", "Copy link to " + name.slice("Link to ".length));
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(LINKS);
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the browser's own behaviour
    }
    var text = addressOf(link);
    if (link.classList.contains("copy-link")) {
      event.preventDefault(); // the page's own link: stay where the reader is
    }
    // A row link is followed as usual, so the row is highlighted and the address bar holds it.
    copy(text).then(function (done) {
      announce(done ? "Link copied" : "Copy the link from the address bar");
    });
  });

  function measureHeaders() {
    var heads = document.querySelectorAll(".concept-table-wrap thead");
    for (var i = 0; i < heads.length; i += 1) {
      var wrap = heads[i].closest(".concept-table-wrap");
      wrap.style.setProperty("--table-head-height", heads[i].getBoundingClientRect().height + "px");
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(LINKS), labelFor);
    measureHeaders();
    // Opened on a row: go there again now the header's height is known.
    var id = location.hash.slice(1);
    var target = id && document.getElementById(decodeURIComponentSafe(id));
    if (target && target.classList.contains("row-anchor")) {
      target.scrollIntoView();
    }
  }

  function decodeURIComponentSafe(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  window.addEventListener("resize", measureHeaders);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
