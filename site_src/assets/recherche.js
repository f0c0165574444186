/* Achats ouverts — recherche.js
 *
 * One search for the whole site: contracts, companies, upcoming purchases, buying services, CPV
 * divisions, towns and départements of execution, pages. Drives the header's field (first
 * results while typing; Enter leads to the search page) and the search page (every kind, with
 * counts and « see them all » in the explorers). The index (built by pages/search.py) is a set of
 * static files; nothing is fetched before someone types: then the manifest, the words files the
 * query needs (one or two of a few kilobytes per word) and the documents of the results shown.
 *
 * Words are folded as the explorers fold them (accents, case, ligatures) and matched by prefix;
 * every word must match. Data reaches the page only through textContent and checked relative
 * addresses. No dependency; its pure functions also run in Node (module.exports).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.AchatsOuvertsRecherche = api;
    if (typeof document !== "undefined") {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", api.start);
      } else {
        api.start();
      }
    }
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var STOPWORDS = ("au aux avec ce ces d dans de des du en et l la le les leur par pour sa se " +
    "ses son sur un une").split(" ");
  var MAX_FILES_PER_WORD = 16;
  var SHOWN_IN_HEADER = 3;
  var SHOWN_ON_PAGE = 20;

  /** The same folding as the explorers and french.search_text. */
  function normalize(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .replace(/ß/g, "ss")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  /** The words of a query the index can match: two characters or more, not too common. */
  function queryWords(query) {
    var text = normalize(query);
    var seen = {};
    return (text ? text.split(" ") : []).filter(function (w) {
      var keep = w.length > 1 && STOPWORDS.indexOf(w) === -1 && !seen[w];
      seen[w] = true;
      return keep;
    });
  }

  /** The keys of the words files a word needs: those on its path and those under it. */
  function keysFor(word, keys) {
    return keys.filter(function (k) {
      return word.lastIndexOf(k, 0) === 0 || k.lastIndexOf(word, 0) === 0;
    });
  }

  function undelta(list) {
    var out = new Array(list.length);
    var n = 0;
    for (var i = 0; i < list.length; i++) { n += list[i]; out[i] = n; }
    return out;
  }

  /** Ascending numbers present in every list of `lists` (each ascending). */
  function intersect(lists) {
    if (!lists.length) { return []; }
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var result = lists[0];
    for (var i = 1; i < lists.length && result.length; i++) {
      var other = lists[i];
      var out = [];
      var j = 0;
      for (var k = 0; k < result.length; k++) {
        while (j < other.length && other[j] < result[k]) { j++; }
        if (j < other.length && other[j] === result[k]) { out.push(result[k]); }
      }
      result = out;
    }
    return result;
  }

  /** Ascending union of the documents of every word of `files` starting with `word`, by kind. */
  function matches(word, files) {
    var byKind = {};
    files.forEach(function (file) {
      Object.keys(file).forEach(function (kind) {
        var words = file[kind];
        Object.keys(words).forEach(function (w) {
          if (w.lastIndexOf(word, 0) !== 0) { return; }
          (byKind[kind] = byKind[kind] || []).push(undelta(words[w]));
        });
      });
    });
    var result = {};
    Object.keys(byKind).forEach(function (kind) {
      var lists = byKind[kind];
      if (lists.length === 1) { result[kind] = lists[0]; return; }
      var seen = new Set();
      lists.forEach(function (l) { l.forEach(function (n) { seen.add(n); }); });
      result[kind] = Array.from(seen).sort(function (a, b) { return a - b; });
    });
    return result;
  }

  /** A relative address from the index (never a scheme, never another host). */
  function safeAddress(address) {
    var text = String(address || "");
    return /^[a-z][a-z0-9+.-]*:/i.test(text) || text.lastIndexOf("//", 0) === 0 || /[\s"'<>\\`]/.test(text)
      ? "" : text;
  }

  function plural(n, one, many) { return n > 1 ? many : one; }

  function formatNumber(n) {
    var digits = String(n);
    var out = "";
    while (digits.length > 3) {
      out = "\u202f" + digits.slice(-3) + out;
      digits = digits.slice(0, -3);
    }
    return digits + out;
  }

  // --- The index --------------------------------------------------------------------------------

  function Index(base, win) {
    this.base = base;
    this.win = win;
    this.cache = {};
  }

  Index.prototype.json = function (name) {
    var self = this;
    if (!this.cache[name]) {
      var url = new URL(name, this.base).href;
      this.cache[name] = this.win.fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status + " " + url); }
        return r.json();
      });
      this.cache[name].catch(function () { delete self.cache[name]; });
    }
    return this.cache[name];
  };

  Index.prototype.manifest = function () { return this.json("manifeste.json"); };

  /** Per kind of the manifest, the ascending numbers of the documents matching `query`; words
   * too short to search (their files would be too many) are left out and reported. */
  Index.prototype.search = function (query) {
    var self = this;
    var words = queryWords(query);
    return this.manifest().then(function (manifest) {
      var used = [];
      var skipped = [];
      words.forEach(function (w) {
        var keys = keysFor(w, manifest.cles);
        if (keys.length > MAX_FILES_PER_WORD) { skipped.push(w); } else { used.push([w, keys]); }
      });
      return Promise.all(used.map(function (pair) {
        return Promise.all(pair[1].map(function (key) {
          return self.json(manifest.fichiers.mots.replace("{cle}", key));
        }));
      })).then(function (filesPerWord) {
        var perWord = filesPerWord.map(function (files, i) { return matches(used[i][0], files); });
        var kinds = manifest.types.map(function (kind) {
          var ids = used.length ? intersect(perWord.map(function (m) { return m[kind.cle] || []; })) : [];
          return { kind: kind, ids: ids };
        });
        return { manifest: manifest, words: used.map(function (p) { return p[0]; }), skipped: skipped, kinds: kinds };
      });
    });
  };

  /** The documents numbered `ids` of one kind: [title, address, detail] each. */
  Index.prototype.documents = function (manifest, kind, ids) {
    var self = this;
    var per = manifest.parFichier;
    return Promise.all(ids.map(function (id) {
      var name = manifest.fichiers.documents.replace("{type}", kind).replace("{n}", String(Math.floor(id / per)));
      return self.json(name).then(function (docs) { return docs[id % per]; });
    }));
  };

  // --- Showing results --------------------------------------------------------------------------

  function seeAllText(count, kind) {
    if (kind.cle === "marches") { return "Voir les " + formatNumber(count) + " " + plural(count, "marché", "marchés") + " dans l'explorateur"; }
    if (kind.cle === "achats") { return "Voir les " + formatNumber(count) + " " + plural(count, "achat", "achats") + " dans l'explorateur des achats à venir"; }
    return "";
  }

  function summary(result, query) {
    var found = result.kinds.filter(function (k) { return k.ids.length; });
    if (!result.words.length) {
      return result.skipped.length
        ? "Tapez au moins un mot plus long : « " + result.skipped.join(" ") + " » est trop court pour chercher."
        : "Tapez un mot de deux lettres ou plus.";
    }
    if (!found.length) { return "Aucun résultat pour « " + query.trim() + " »."; }
    return "Résultats pour « " + query.trim() + " » : " + found.map(function (k) {
      return k.kind.libelle.toLowerCase() + " (" + formatNumber(k.ids.length) + ")";
    }).join(", ") + ".";
  }

  /** Render `result` into `list`: a section per kind with results, its count and first ones. */
  function render(doc, list, result, query, options) {
    var fragment = doc.createDocumentFragment();
    var jobs = [];
    result.kinds.forEach(function (entry) {
      var count = entry.ids.length;
      if (!count) { return; }
      var kind = entry.kind;
      var section = doc.createElement("section");
      section.className = "ao-resultats-type";
      section.setAttribute("data-ao-type", kind.cle);
      var title = doc.createElement(options.heading);
      title.className = "ao-resultats-type__titre";
      title.textContent = kind.libelle + " (" + formatNumber(count) + ")";
      if (options.heading === "h2") { title.id = "resultats-" + kind.cle; }
      section.appendChild(title);
      var ul = doc.createElement("ul");
      section.appendChild(ul);
      var shown = entry.ids.slice(0, options.shown);
      jobs.push(options.index.documents(result.manifest, kind.cle, shown).then(function (docs) {
        docs.forEach(function (d) {
          var address = safeAddress(d && d[1]);
          var li = doc.createElement("li");
          var a = doc.createElement("a");
          a.setAttribute("href", options.root + address);
          a.textContent = d[0];
          li.appendChild(a);
          if (d[2]) {
            var detail = doc.createElement("span");
            detail.className = "ao-aide";
            detail.textContent = " " + d[2];
            li.appendChild(detail);
          }
          ul.appendChild(li);
        });
      }));
      var more = seeAllText(count, kind);
      if (more && kind.explorateur) {
        var p = doc.createElement("p");
        var link = doc.createElement("a");
        link.setAttribute("href", options.root + safeAddress(kind.explorateur) + encodeURIComponent(query.trim()));
        link.textContent = more;
        p.appendChild(link);
        section.appendChild(p);
      } else if (count > shown.length && options.page) {
        var note = doc.createElement("p");
        note.textContent = "Les " + formatNumber(shown.length) + " premiers sont affichés : précisez la recherche pour les autres.";
        section.appendChild(note);
      }
      fragment.appendChild(section);
    });
    if (!options.page && options.pageLink && result.words.length) {
      var all = doc.createElement("p");
      var a = doc.createElement("a");
      a.setAttribute("href", options.pageLink + "?q=" + encodeURIComponent(query.trim()));
      a.textContent = "Tous les résultats sur la page de recherche";
      all.appendChild(a);
      fragment.appendChild(all);
    }
    return Promise.all(jobs).then(function () { list.replaceChildren(fragment); });
  }

  // --- The header's field and the search page ---------------------------------------------------

  function Searcher(container, input, win, options) {
    this.container = container;
    this.input = input;
    this.win = win;
    this.doc = container.ownerDocument;
    this.options = options;
    this.status = container.querySelector("[data-ao-etat]");
    this.list = container.querySelector("[data-ao-liste]");
    this.sequence = 0;
    this.timer = null;
  }

  Searcher.prototype.run = function () {
    var self = this;
    var query = this.input.value;
    var sequence = ++this.sequence;
    if (!normalize(query)) {
      this.list.replaceChildren();
      this.status.textContent = this.options.empty;
      this.container.setAttribute("data-ao-pret", String(sequence));
      return Promise.resolve();
    }
    return this.options.index.search(query).then(function (result) {
      if (sequence !== self.sequence) { return null; }
      var shown = self.options.shown;
      var list = self.doc.createElement("div");
      return render(self.doc, list, result, query, {
        heading: self.options.heading, shown: shown, index: self.options.index,
        root: self.options.root, page: self.options.page, pageLink: self.options.pageLink
      }).then(function () {
        if (sequence !== self.sequence) { return; }
        self.list.replaceChildren.apply(self.list, Array.prototype.slice.call(list.childNodes));
        self.status.textContent = summary(result, query);
        self.container.setAttribute("data-ao-pret", String(sequence));
      });
    }).catch(function () {
      if (sequence !== self.sequence) { return; }
      self.status.textContent = "La recherche n'a pas pu charger son index : réessayez en rechargeant la page.";
    });
  };

  Searcher.prototype.later = function (delay) {
    var self = this;
    this.win.clearTimeout(this.timer);
    this.timer = this.win.setTimeout(function () { self.run(); }, delay);
  };

  function startHeader(win) {
    var doc = win.document;
    var container = doc.querySelector("[data-ao-recherche]");
    if (!container) { return null; }
    var input = container.querySelector("input[name=q]");
    var toggle = doc.getElementById("__search");
    var form = input.form;
    var index = new Index(new URL(container.getAttribute("data-ao-index"), win.location.href).href, win);
    var searcher = new Searcher(container, input, win, {
      index: index,
      heading: "p",
      shown: SHOWN_IN_HEADER,
      root: container.getAttribute("data-ao-racine"),
      pageLink: form.getAttribute("action"),
      empty: "Tapez un mot : objet, numéro, entreprise, SIRET, commune…",
      page: false
    });
    function open(value) { if (toggle && toggle.checked !== value) { toggle.checked = value; } }
    input.addEventListener("focus", function () { open(true); });
    input.addEventListener("input", function () { open(true); searcher.later(60); });
    toggle && toggle.addEventListener("change", function () {
      if (toggle.checked) { win.setTimeout(function () { input.focus(); }, 50); }
    });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { open(false); input.blur(); }
    });
    doc.addEventListener("click", function (event) {
      // A label of the toggle clicks the toggle itself: leave both to the theme's styles.
      var target = event.target;
      if (toggle && toggle.checked && target !== toggle && !container.contains(target) &&
        !(target.closest && target.closest("label[for='__search']"))) { open(false); }
    });
    container.aoRecherche = searcher;
    return searcher;
  }

  function startPage(win) {
    var doc = win.document;
    var container = doc.querySelector("[data-ao-recherche-page]");
    var header = doc.querySelector("[data-ao-recherche]");
    if (!container || !header) { return null; }
    var form = container.querySelector("[data-ao-recherche-formulaire]");
    var input = form.querySelector("input[name=q]");
    var index = new Index(new URL(header.getAttribute("data-ao-index"), win.location.href).href, win);
    var searcher = new Searcher(container, input, win, {
      index: index,
      heading: "h2",
      shown: SHOWN_ON_PAGE,
      root: header.getAttribute("data-ao-racine"),
      pageLink: "",
      empty: "Tapez un mot de deux lettres ou plus.",
      page: true
    });
    function writeUrl() {
      var query = input.value.trim();
      var url = win.location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
      win.history.replaceState(null, "", url);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); writeUrl(); searcher.run(); });
    input.addEventListener("input", function () { writeUrl(); searcher.later(150); });
    var initial = new URLSearchParams(win.location.search).get("q") || "";
    input.value = initial;
    container.aoRecherche = searcher;
    if (initial) { searcher.run(); } else { searcher.status.textContent = searcher.options.empty; }
    return searcher;
  }

  function start() {
    startHeader(window);
    startPage(window);
  }

  return {
    normalize: normalize,
    queryWords: queryWords,
    keysFor: keysFor,
    intersect: intersect,
    matches: matches,
    undelta: undelta,
    safeAddress: safeAddress,
    Index: Index,
    start: start
  };
});
