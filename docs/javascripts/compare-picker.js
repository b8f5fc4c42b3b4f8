/* Compare any two concepts: the form on /compare/ opens the pair chosen.
 *
 * Loaded only by /compare/ (a <script src defer> in docs/compare/index.md). The form and the list
 * of the pairs that have a page are built into the page by the site's build; this script shows the
 * form and looks the pair up in that list (each link there carries data-pair="<a> <b>"), so a pair
 * with a page needs no request. A pair without a page (a large site gives pages only to written and
 * related pairs: `pair-pages` in data/schema.yml) is shown here, at /compare/?a=<a>&b=<b>: its table
 * is built from data/concepts.json, with the same rows, row ids and cells as a pair page.
 * No framework, nothing evaluated, every value inserted with textContent: works under
 * `default-src 'self'`.
 * Addresses shared before every pair had a page (/compare/?a=lean&b=performance-management, with
 * or without a #row) still open their pair: sent on to its page, the row kept, or shown here.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-compare-picker]");
  if (!form || !window.URL || !window.URLSearchParams) {
    return; // the list of pairs below still works without the form
  }
  var selectA = form.querySelector("select[name=a]");
  var selectB = form.querySelector("select[name=b]");
  var status = form.querySelector("[data-picker-status]");
  var output = document.querySelector("[data-picker-output]");
  var recordsUrl = new URL(form.getAttribute("data-records") || "../data/concepts.json", location.href);
  var siteRoot = new URL("../", recordsUrl); // record URLs are relative to the site root
  var records = null;

  function say(message) {
    status.textContent = message;
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

  function known(slug) {
    return Array.prototype.some.call(selectA.options, function (option) {
      return option.value && option.value === slug;
    });
  }

  function nameOf(slug) {
    var option = selectA.querySelector('option[value="' + slug + '"]');
    return option ? option.textContent : slug;
  }

  /* The address of the pair's page, in either order, from the list of pairs with a page. */
  function pairUrl(a, b) {
    var links = document.querySelectorAll("a[data-pair]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].getAttribute("data-pair") === a + " " + b) {
        return links[i].href;
      }
    }
    return null;
  }

  function clear() {
    if (output) {
      output.replaceChildren();
      output.hidden = true;
    }
  }

  function loadRecords() {
    if (records) {
      return Promise.resolve(records);
    }
    return fetch(recordsUrl.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data || data.format !== "concept-records" || data.version !== 2) {
          throw new Error("unsupported records format");
        }
        records = { data: data, bySlug: {} };
        data.concepts.forEach(function (concept) {
          records.bySlug[concept.slug] = concept;
        });
        return records;
      });
  }

  /* Does the row mean something for this concept? (A record without a kind carries every row.) */
  function applies(attribute, concept) {
    return !concept.kind || attribute.applies_to.indexOf(concept.kind) !== -1;
  }

  /* As on a pair page: the rows that apply to at least one of the two, in the schema's order. A cell
     that does not apply reads "Does not apply to ...", from the records' `display`. */
  function rows(a, b) {
    return records.data.attributes.filter(function (attribute) {
      return applies(attribute, a) || applies(attribute, b);
    });
  }

  /* A row's id: the attribute key, as on a pair page, unless something else here already uses it. */
  function rowId(key) {
    var taken = document.getElementById(key);
    return taken && !output.contains(taken) ? "pair-" + key : key;
  }

  function table(a, b) {
    var wrap = el("div", { "class": "concept-table-wrap" });
    var tableNode = el("table");
    var head = el("tr");
    head.appendChild(el("th", {}, "Attribute"));
    [a, b].forEach(function (concept) {
      var th = el("th");
      th.appendChild(el("a", { href: new URL(concept.url, siteRoot).href }, concept.name));
      head.appendChild(th);
    });
    tableNode.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows(a, b).forEach(function (attribute) {
      var id = rowId(attribute.key);
      var row = el("tr");
      var label = el("td");
      label.appendChild(el("span", { "class": "row-anchor", id: id }));
      label.appendChild(el("strong", {}, attribute.label));
      label.appendChild(el("a", {
        href: "#" + id,
        "class": "row-link",
        "aria-label": "Copy link to the " + attribute.label + " row"
      }));
      row.appendChild(label);
      [a, b].forEach(function (concept) {
        row.appendChild(el("td", {}, concept.display[attribute.key]));
      });
      body.appendChild(row);
    });
    tableNode.appendChild(body);
    wrap.appendChild(tableNode);
    return wrap;
  }

  function setAddress(a, b) {
    var url = new URL(location.href);
    url.searchParams.set("a", a);
    url.searchParams.set("b", b);
    if (url.href !== location.href) {
      history.replaceState(history.state, "", url.href);
    }
  }

  /* A row named in the address (#scope) could not be scrolled to before the table was built. */
  function goToRow() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return; // a malformed fragment names nothing
    }
    var target = id && document.getElementById(id);
    if (target && output.contains(target)) {
      location.replace(location.hash); // makes it the :target, so the row is highlighted
      target.scrollIntoView();
    } else {
      output.scrollIntoView();
    }
  }

  /* A pair without a page of its own: its table, built here from the records. */
  function showHere(a, b) {
    if (!output) {
      say("This pair has no page. Choose from the lists again.");
      return false;
    }
    say("Loading the two records…");
    setAddress(a, b);
    loadRecords().then(function () {
      var first = records.bySlug[a];
      var second = records.bySlug[b];
      if (!first || !second) {
        say("The address names a concept this site does not describe. Choose two from the lists.");
        return;
      }
      output.replaceChildren();
      output.appendChild(el("h2", { id: "pair-here" }, first.name + " and " + second.name));
      output.appendChild(el("p", { "class": "pair-unwritten" },
        "There is no written or generated page for this pair: the table below comes straight from " +
        "the two records."));
      output.appendChild(table(first, second));
      var more = el("p");
      more.appendChild(document.createTextNode("Read more: "));
      more.appendChild(el("a", { href: new URL(first.url, siteRoot).href }, first.name));
      more.appendChild(document.createTextNode(" and "));
      more.appendChild(el("a", { href: new URL(second.url, siteRoot).href }, second.name));
      more.appendChild(document.createTextNode("."));
      output.appendChild(more);
      output.hidden = false;
      say("Showing " + first.name + " and " + second.name + " side by side below, " +
          rows(first, second).length + " attributes.");
      goToRow();
    }).catch(function () {
      say("The concept records could not be loaded, so this pair cannot be shown. " +
          "Every concept page shows its own record.");
    });
    return true;
  }

  function go(a, b, replace) {
    clear();
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
      return showHere(a, b);
    }
    url = url.split("#")[0] + location.hash; // a shared row link keeps its row
    say("Opening the comparison of " + nameOf(a) + " and " + nameOf(b) + "…");
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
