/* Compare any two concepts: two <select>s fed by the records file, a table built from it.
 *
 * Loaded only by /compare/ (a <script src defer> in docs/compare/index.md). No framework, no
 * other host, nothing evaluated: every value from the records is inserted with textContent, and
 * the layout lives in compare-picker.css, so the page works under `default-src 'self'`.
 * The pair is kept in the address (?a=<slug>&b=<slug>) so it can be shared.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-compare-picker]");
  if (!root || !window.fetch || !window.URL || !window.URLSearchParams) {
    return; // the written comparisons above still work without the picker
  }

  var selectA = root.querySelector("select[name=a]");
  var selectB = root.querySelector("select[name=b]");
  var status = root.querySelector("[data-picker-status]");
  var written = root.querySelector("[data-picker-written]");
  var output = root.querySelector("[data-picker-output]");
  var recordsUrl = new URL(root.getAttribute("data-records"), document.baseURI);
  // Record URLs are relative to the site root, the folder that holds data/concepts.json.
  var siteRoot = new URL("../", recordsUrl);
  var data = null;
  // No prototype, and lookups through own(): a concept named "__proto__" or "constructor" (in the
  // records or in ?a=) is an ordinary key, never Object.prototype or its constructor.
  var bySlug = Object.create(null);

  function own(object, key) {
    return object && typeof key === "string" && Object.prototype.hasOwnProperty.call(object, key)
      ? object[key] : undefined;
  }

  /* An address from the records, resolved against the site root; null unless it stays on this site
     (same origin, under the site's path, http or https), so the records cannot link elsewhere. */
  function siteHref(address) {
    var url;
    try {
      url = new URL(String(address), siteRoot);
    } catch (error) {
      return null;
    }
    var onSite = (url.protocol === "https:" || url.protocol === "http:") && url.origin === siteRoot.origin &&
      url.pathname.indexOf(siteRoot.pathname) === 0;
    return onSite ? url.href : null;
  }

  /* A link to an address from the records, or the bare text when the address is not on this site. */
  function link(address, text) {
    var href = siteHref(address);
    return href ? el("a", { href: href }, text) : el("span", {}, text);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fold(text) {
    return String(text == null ? "" : text).replace(/\s+/g, " ").trim();
  }

  function say(message) {
    status.textContent = message;
  }

  function clear() {
    output.replaceChildren();
    written.replaceChildren();
    written.hidden = true;
  }

  /* An id for a row: the attribute key, unless something else on the page already uses it. */
  function rowId(key) {
    var taken = document.getElementById(key);
    return taken && !output.contains(taken) ? "pair-" + key : key;
  }

  function writtenComparison(a, b) {
    return data.comparisons.filter(function (c) {
      return c.concepts.indexOf(a) !== -1 && c.concepts.indexOf(b) !== -1;
    })[0];
  }

  /* Does the row mean something for this concept? (A record without a kind carries every row.) */
  function applies(attribute, concept) {
    return !concept.kind || attribute.applies_to.indexOf(concept.kind) !== -1;
  }

  /* The rows worth showing for a pair, as in the written comparisons: those that apply to at least one
     of the two. A cell that does not apply reads "Does not apply to ...", from the records' display. */
  function rows(a, b) {
    return data.attributes.filter(function (attribute) {
      return applies(attribute, a) || applies(attribute, b);
    });
  }

  function table(a, b) {
    var wrap = el("div", { "class": "concept-table-wrap" });
    var tableNode = el("table");
    tableNode.appendChild(el("caption", {}, a.name + " and " + b.name + ", attribute by attribute"));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "Attribute"));
    [a, b].forEach(function (concept) {
      var th = el("th", { scope: "col" });
      th.appendChild(link(concept.url, concept.name));
      head.appendChild(th);
    });
    tableNode.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    output.replaceChildren(); // old rows go first, so their ids are free again
    rows(a, b).forEach(function (attribute) {
      var id = rowId(attribute.key);
      var row = el("tr");
      var label = el("td");
      label.appendChild(el("span", { "class": "row-anchor", id: id }));
      label.appendChild(el("strong", {}, attribute.label));
      label.appendChild(document.createTextNode(" "));
      label.appendChild(el("a", {
        href: "#" + id,
        "class": "row-link",
        "aria-label": "Link to the " + attribute.label + " row"
      }, "\u00b6"));
      row.appendChild(label);
      [a, b].forEach(function (concept) {
        row.appendChild(el("td", {}, fold(own(concept.display, attribute.key))));
      });
      body.appendChild(row);
    });
    tableNode.appendChild(body);
    wrap.appendChild(tableNode);
    return wrap;
  }

  function setAddress(a, b) {
    var url = new URL(location.href);
    url.searchParams.delete("a");
    url.searchParams.delete("b");
    if (a) url.searchParams.set("a", a);
    if (b) url.searchParams.set("b", b);
    if (url.href !== location.href) {
      history.replaceState(history.state, "", url.href);
    }
  }

  function show() {
    var a = own(bySlug, selectA.value);
    var b = own(bySlug, selectB.value);
    setAddress(selectA.value, selectB.value);
    clear();
    if (!a || !b) {
      say(a || b ? "Choose a second concept to compare." : "");
      return;
    }
    if (a === b) {
      say("You chose " + a.name + " twice. Choose two different concepts to see them side by side.");
      return;
    }
    output.appendChild(table(a, b));
    var comparison = writtenComparison(a.slug, b.slug);
    if (comparison) {
      written.appendChild(document.createTextNode("Read the written comparison: "));
      written.appendChild(link(comparison.url, comparison.title));
      written.appendChild(document.createTextNode("."));
      written.hidden = false;
    }
    say("Showing " + a.name + " and " + b.name + " side by side, " + rows(a, b).length + " attributes" +
        (comparison ? ", with a written comparison." : "."));
  }

  function fill(select) {
    var concepts = data.concepts.slice().sort(function (x, y) {
      return x.name.localeCompare(y.name, "en", { sensitivity: "base" });
    });
    concepts.forEach(function (concept) {
      select.appendChild(el("option", { value: concept.slug }, concept.name));
    });
  }

  /* Opened with a row in the address (#scope) or the picker's heading? They could not be
     scrolled to while hidden or not yet built, so go there once, now. */
  function goToTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return; // a malformed fragment names nothing
    }
    var target = id && document.getElementById(id);
    if (target && root.contains(target)) {
      location.replace(location.hash); // makes it the :target, so a row is highlighted
      target.scrollIntoView();
    }
  }

  function start(records) {
    if (!records || records.format !== "concept-records" || records.version !== 2) {
      throw new Error("unsupported records format");
    }
    data = records;
    data.concepts.forEach(function (concept) {
      bySlug[concept.slug] = concept;
    });
    fill(selectA);
    fill(selectB);
    var params = new URLSearchParams(location.search);
    var unknown = ["a", "b"].filter(function (name) {
      return params.get(name) && !own(bySlug, params.get(name));
    });
    selectA.value = own(bySlug, params.get("a")) ? params.get("a") : "";
    selectB.value = own(bySlug, params.get("b")) ? params.get("b") : "";
    selectA.addEventListener("change", show);
    selectB.addEventListener("change", show);
    root.hidden = false;
    if (params.get("a") || params.get("b")) {
      show();
      if (unknown.length) {
        say("The address names a concept this site does not describe. Choose two from the lists.");
      }
      if (!location.hash) root.scrollIntoView(); // a shared pair opens on the pair, not on the list above
    }
    goToTarget();
  }

  fetch(recordsUrl.href, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(start)
    .catch(function () {
      root.hidden = false;
      selectA.disabled = true;
      selectB.disabled = true;
      say("The concept records could not be loaded, so the picker is unavailable. " +
          "Every concept page shows its own record.");
    });
})();
