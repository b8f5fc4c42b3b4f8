/* The page at a pair's other order (/compare/<b>-vs-<a>/) sends the reader on to the pair's page,
 * keeping the row in the address (#scope): a meta refresh alone drops the fragment.
 * Loaded by the redirect pages the build writes, before their meta refresh (which stays as the
 * fallback without JavaScript). External file: the site's CSP allows no inline script.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var to = script && script.getAttribute("data-to");
  if (to) {
    location.replace(new URL(to, location.href).href.split("#")[0] + location.hash);
  }
})();
