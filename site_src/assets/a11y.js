// Accessibility fixes for mkdocs-material, run on every page load (instant navigation safe).
document$.subscribe(function () {
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search) { search.setAttribute("aria-label", "Rechercher"); }
  // Scrolling tables must be reachable by keyboard (RGAA 7.3, WCAG 2.1.1): each wrapper becomes a
  // focusable region named after its table's caption; names are made unique (axe landmark-unique).
  var names = {};
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    var name = caption ? caption.textContent.trim() : "Tableau défilant";
    names[name] = (names[name] || 0) + 1;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", names[name] > 1 ? name + " (" + names[name] + ")" : name);
  });
});
