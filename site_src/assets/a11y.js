// Accessibility fixes for mkdocs-material, run on every page load (instant navigation safe).
document$.subscribe(function () {
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search) { search.setAttribute("aria-label", "Rechercher"); }
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent : "Tableau défilant");
  });
});
