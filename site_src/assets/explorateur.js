/* Achats ouverts — explorateur.js
 *
 * Progressive enhancement of the two explorers (/marches/ and /achats-a-venir/). Without this
 * script the page shows its first page of results as a static table. With it: filters, free text
 * (accents and case ignored), sorting, paging, a live region announcing the result count, and the
 * filter state in the URL (shareable, restored on load). Data comes in JSON shards listed in the
 * page's configuration (<script type="application/json" data-ao-config>); only the shards a view
 * needs are fetched, and none for the first view.
 *
 * Data reaches the page only through textContent and checked href values, never through
 * innerHTML. No dependency; runs in browsers and, for its pure functions, in Node (module.exports).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.AchatsOuvertsExplorateur = api;
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

  // --- Text and formats (the same as the site's Python filters) --------------------------------

  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];
  var NNBSP = "\u202f";
  var NBSP = "\u00a0";

  /** Lower case, no accents or ligatures, punctuation as spaces: "Maîtrise d’Œuvre" -> "maitrise d oeuvre". */
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

  /** The words of a query, normalized; a row matches when it contains every word. */
  function words(query) {
    var text = normalize(query);
    return text ? text.split(" ") : [];
  }

  /** Give rows `from`..`to` of `rows` that lack one their search text `key`, made by `make`. */
  function prepareText(rows, key, make, from, to) {
    var end = Math.min(to === undefined ? rows.length : to, rows.length);
    for (var i = from || 0; i < end; i++) {
      if (rows[i][key] === null) { rows[i][key] = normalize(make(rows[i])); }
    }
  }

  function containsAll(haystack, list) {
    for (var i = 0; i < list.length; i++) {
      if (haystack.indexOf(list[i]) === -1) { return false; }
    }
    return true;
  }

  /** An amount to the euro as the site's Python writes it (french.euro_units): to the cent,
   * half up, from its shortest decimal form (a sum that should be 1234.5 but reads
   * 1234.4999999999998 comes back to 1234.50), then to the euro, half up: 2.5 gives 3. */
  function roundEuros(value) {
    var sign = value < 0 ? -1 : 1;
    var text = String(Math.abs(value));
    if (text.indexOf("e") !== -1) { return sign * Math.round(Math.abs(value)); }
    var parts = text.split(".");
    var fraction = (parts[1] || "") + "000";
    var cents = parseInt(fraction.slice(0, 2), 10) + (fraction.charAt(2) >= "5" ? 1 : 0);
    return sign * (parseInt(parts[0], 10) + (cents >= 50 ? 1 : 0));
  }

  function groupDigits(integer) {
    var sign = integer < 0 ? "-" : "";
    var digits = String(Math.abs(integer));
    var out = "";
    while (digits.length > 3) {
      out = NNBSP + digits.slice(-3) + out;
      digits = digits.slice(0, -3);
    }
    return sign + digits + out;
  }

  /** `1 234 568 €` (narrow no-break spaces, no-break space before the sign); `—` for nothing. */
  function formatEuros(value) {
    if (value === null || value === undefined || isNaN(value)) { return "—"; }
    return groupDigits(roundEuros(value)) + NBSP + "€";
  }

  function formatNumber(value) {
    return groupDigits(Math.round(value));
  }

  /** A change already rounded to one decimal by the site (`12.3`) as `+12,3 %`, `−4,0 %`. */
  function formatChange(value) {
    if (value === null || value === undefined || isNaN(value)) { return "—"; }
    var sign = value > 0 ? "+" : (value < 0 ? "\u2212" : "");
    var parts = Math.abs(value).toFixed(1).split(".");
    return sign + groupDigits(parseInt(parts[0], 10)) + "," + parts[1] + NBSP + "%";
  }

  /** The totals of listed contracts, as the page writes them for all of them (Python
   * `explorer_contracts.totals_text`): at notification, and after modifications. */
  function totalsText(rows) {
    var initial = 0;
    var current = 0;
    for (var i = 0; i < rows.length; i++) {
      var amount = rows[i].montant || 0;
      initial += amount;
      current += rows[i].actuel !== null && rows[i].actuel !== undefined ? rows[i].actuel : amount;
    }
    return "Montant total à la notification : " + formatEuros(initial) + " HT ; montant actuel : " +
      formatEuros(current) + " HT.";
  }

  /** `2024-03-01` -> `1er mars 2024`. */
  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) { return "—"; }
    var day = parseInt(m[3], 10);
    return (day === 1 ? "1er" : String(day)) + " " + MONTHS[parseInt(m[2], 10) - 1] + " " + m[1];
  }

  /** `2027-T1` -> `1er trimestre 2027`. */
  function quarterLabel(code) {
    var m = /^(\d{4})-T([1-4])$/.exec(code || "");
    if (!m) { return code || ""; }
    return m[2] + (m[2] === "1" ? "er" : "e") + " trimestre " + m[1];
  }

  /** A number typed by a person: `100 000`, `100000,50` -> 100000.5; NaN when it is not one. */
  function parseAmount(text) {
    var clean = String(text || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (!/^\d+(\.\d+)?$/.test(clean)) { return NaN; }
    return parseFloat(clean);
  }

  function safeHttpUrl(value) {
    return /^https?:\/\/[^\s"'<>\\`]+$/i.test(value || "") ? value : "";
  }

  function safeEmail(value) {
    return /^[^@\s<>"'?&]+@[^@\s<>"'?&]+\.[^@\s<>"'?&]+$/.test(value || "") ? value : "";
  }

  // --- Filter state and the URL ----------------------------------------------------------------

  /** The state named by `keys` from a query string; unknown parameters are ignored. */
  function parseState(search, keys) {
    var params = new URLSearchParams(search || "");
    var state = {};
    keys.forEach(function (key) {
      var value = params.get(key);
      state[key] = value === null ? "" : value.trim();
    });
    var page = parseInt(state.page, 10);
    state.page = page > 0 ? String(page) : "";
    return state;
  }

  /** The query string of a state, keys in a fixed order, empty values and page 1 left out. */
  function serializeState(state, keys) {
    var params = new URLSearchParams();
    keys.forEach(function (key) {
      var value = state[key];
      if (value && !(key === "page" && value === "1")) { params.append(key, value); }
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function isFiltered(state, keys) {
    return keys.some(function (key) { return key !== "tri" && key !== "page" && state[key]; });
  }

  // --- The two kinds of explorer -----------------------------------------------------------------

  function label(list, index) {
    return index >= 0 && list && index < list.length ? list[index] : "";
  }

  function pairLabel(list, index) {
    var item = index >= 0 && list ? list[index] : null;
    return item ? item[1] : "";
  }

  function pairValue(list, index) {
    var item = index >= 0 && list ? list[index] : null;
    return item ? item[0] : "";
  }

  function plural(n, one, many) {
    return n > 1 ? many : one;
  }

  /** A sort on a numeric field: `direction` 1 ascending, -1 descending; missing values last. */
  function byNumber(key, direction) {
    return { key: key, direction: direction };
  }

  var CONTRACTS = {
    keys: ["recherche", "annee", "cpv", "procedure", "nature", "service", "titulaire", "departement",
      "min", "max", "sociale", "environnementale", "modifie", "tri", "page"],
    defaultSort: "date-desc",
    sorts: {
      "date-desc": null,
      "date-asc": "reverse",
      "montant-desc": byNumber("montantTri", -1),
      "montant-asc": byNumber("montantTri", 1),
      "hausse-desc": byNumber("hausse", -1)
    },
    sortPhrases: {
      "date-desc": "du plus récent au plus ancien",
      "date-asc": "du plus ancien au plus récent",
      "montant-desc": "du montant à la notification le plus élevé au plus faible",
      "montant-asc": "du montant à la notification le plus faible au plus élevé",
      "hausse-desc": "de la plus forte hausse du montant depuis la notification à la plus faible"
    },

    /** The shards a state needs: those of the chosen year, or all of them. */
    shards: function (config, state) {
      var wanted = [];
      config.morceaux.forEach(function (shard, i) {
        if (!state.annee || String(shard.annee) === state.annee) { wanted.push(i); }
      });
      return wanted;
    },

    rows: function (shard) {
      var rows = new Array(shard.lien.length);
      for (var i = 0; i < rows.length; i++) {
        var holders = shard.titulaires[i].map(function (k) { return shard.noms[k]; });
        rows[i] = {
          lien: shard.lien[i],
          objet: shard.objet[i],
          date: shard.date[i],
          annee: shard.date[i].slice(0, 4),
          montant: shard.montant[i],
          montantTri: shard.montant[i],
          actuel: shard.actuel[i],
          hausse: shard.hausse[i],
          modifications: shard.modifications[i],
          cpv: shard.cpv[i],
          procedure: shard.procedure[i],
          nature: shard.nature[i],
          service: shard.service[i],
          departement: shard.departement[i],
          sociale: shard.sociale[i],
          environnementale: shard.environnementale[i],
          titulaires: holders,
          texte: null,
          texteTitulaires: null
        };
      }
      return rows;
    },

    /** Search texts, made when a state first needs them. */
    /** Search texts of a row (normalized when first needed, or earlier when the browser is
     * idle), and the URL parameter that searches each. */
    texts: {
      texte: function (r) {
        return r.objet + " " + r.lien + " " + r.titulaires.map(function (t) {
          return t[0] + " " + t[1];
        }).join(" ");
      },
      texteTitulaires: function (r) {
        return r.titulaires.map(function (t) { return t[0] + " " + t[1]; }).join(" | ");
      }
    },
    textFor: { recherche: "texte", titulaire: "texteTitulaires" },

    predicate: function (config, state) {
      var lists = config.listes;
      var tests = [];
      var q = words(state.recherche);
      var holder = words(state.titulaire);
      var min = parseAmount(state.min);
      var max = parseAmount(state.max);
      function index(list, value, pairs) {
        for (var i = 0; i < list.length; i++) {
          if ((pairs ? list[i][0] : list[i]) === value) { return i; }
        }
        return -2;
      }
      if (state.annee) { tests.push(function (r) { return r.annee === state.annee; }); }
      if (state.cpv) { tests.push(function (r) { return r.cpv.lastIndexOf(state.cpv, 0) === 0; }); }
      if (state.procedure) {
        var p = index(lists.procedure, state.procedure, false);
        tests.push(function (r) { return r.procedure === p; });
      }
      if (state.nature) {
        var n = index(lists.nature, state.nature, false);
        tests.push(function (r) { return r.nature === n; });
      }
      if (state.service) {
        var s = index(lists.service, state.service, true);
        tests.push(function (r) { return r.service === s; });
      }
      if (state.departement) {
        var d = index(lists.departement, state.departement, true);
        tests.push(function (r) { return r.departement === d; });
      }
      if (!isNaN(min)) { tests.push(function (r) { return r.montant !== null && r.montant >= min; }); }
      if (!isNaN(max)) { tests.push(function (r) { return r.montant !== null && r.montant <= max; }); }
      ["sociale", "environnementale"].forEach(function (key) {
        var wanted = { oui: 1, non: 0, inconnue: null }[state[key]];
        if (wanted !== undefined) { tests.push(function (r) { return r[key] === wanted; }); }
      });
      if (state.modifie === "oui") { tests.push(function (r) { return r.modifications > 0; }); }
      if (state.modifie === "non") { tests.push(function (r) { return r.modifications === 0; }); }
      if (state.modifie === "montant") { tests.push(function (r) { return r.actuel !== null; }); }
      if (holder.length) {
        tests.push(function (r) { return containsAll(r.texteTitulaires, holder); });
      }
      if (q.length) {
        tests.push(function (r) { return containsAll(r.texte, q); });
      }
      return function (row) {
        for (var i = 0; i < tests.length; i++) { if (!tests[i](row)) { return false; } }
        return true;
      };
    },

    countText: function (config, state, count, rows) {
      var filtered = isFiltered(state, CONTRACTS.keys);
      if (count === 0) {
        return filtered ? "Aucun marché ne correspond à vos critères." : "Aucun marché.";
      }
      var phrase = CONTRACTS.sortPhrases[state.tri || CONTRACTS.defaultSort];
      var noun = formatNumber(count) + " marché" + plural(count, "", "s");
      if (filtered) {
        noun += plural(count, " correspond", " correspondent") + " à vos critères";
      }
      return noun + ", " + phrase + ". " + totalsText(rows);
    },

    render: function (row, config, doc) {
      var links = config.liens;
      var tr = doc.createElement("tr");
      tr.appendChild(cell(doc, "td", timeOrDash(doc, row.date)));
      var suffix = links.marcheSuffixe === undefined ? "/" : links.marcheSuffixe;
      var th = cell(doc, "th", link(doc, links.marche + row.lien + suffix, row.objet));
      th.setAttribute("scope", "row");
      tr.appendChild(th);
      var holders = doc.createElement("td");
      if (!row.titulaires.length) { holders.textContent = "—"; }
      row.titulaires.forEach(function (t, i) {
        if (i > 0) { holders.appendChild(doc.createTextNode(", ")); }
        holders.appendChild(link(doc, links.titulaire + t[2] + "/", t[0]));
      });
      tr.appendChild(holders);
      tr.appendChild(cell(doc, "td", pairLabel(config.listes.service, row.service) || "—"));
      var amount = cell(doc, "td", formatEuros(row.montant));
      amount.className = "ao-num";
      if (row.actuel !== null) {
        amount.appendChild(doc.createElement("br"));
        amount.appendChild(span(doc, "ao-actuel",
          "actuel : " + formatEuros(row.actuel) + " (" + formatChange(row.hausse) + ")"));
      }
      tr.appendChild(amount);
      return tr;
    }
  };

  function overlaps(row, band) {
    var low = row.min !== null ? row.min : row.montant;
    var high = row.max !== null ? row.max : row.montant;
    if (low === null && high === null) { return false; }
    if (low === null) { low = high; }
    if (high === null) { high = low; }
    var bandHigh = band[3] === null ? Infinity : band[3];
    return low < bandHigh && high >= band[2];
  }

  function amountText(row) {
    if (row.montant !== null) { return formatEuros(row.montant); }
    if (row.min !== null && row.max !== null) {
      return groupDigits(roundEuros(row.min)) + " à " + formatEuros(row.max);
    }
    if (row.max !== null) { return "jusqu'à " + formatEuros(row.max); }
    if (row.min !== null) { return "à partir de " + formatEuros(row.min); }
    return "—";
  }

  /** `2026-11-05` -> 20261105, a number that sorts like the date; null for no date. */
  function dayNumber(iso) {
    return /^\d{4}-\d{2}-\d{2}$/.test(iso || "") ? parseInt(iso.replace(/-/g, ""), 10) : null;
  }

  function isDay(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value || "");
  }

  /** Whether a purchase's period (when a company can act on it: launch to offer deadline, or
   * the planned launch) meets the window [from, to] (ISO dates, either may be empty). */
  function meets(row, from, to) {
    if (!row.debut || !row.fin) { return false; }
    return (!to || row.debut <= to) && (!from || row.fin >= from);
  }

  /** The « Échéance » cell: the same phrase as the site's Python (programme.deadline). */
  function deadlineParts(row, status) {
    var suffix = status === "prévu" && row.retard === 1 ? " (en retard)" : "";
    if (status === "lancé") {
      return row.limite ? ["Offres jusqu'au", row.limite, ""]
        : ["Consultation ouverte depuis le", row.lancement, ""];
    }
    if (status === "clos") { return ["Offres closes le", row.limite, ""]; }
    if (status !== "prévu" && row.lancement) { return ["Lancé le", row.lancement, ""]; }
    if (row.prevue) { return ["Lancement prévu le", row.prevue, suffix]; }
    if (row.trimestre) { return ["Lancement prévu au " + quarterLabel(row.trimestre), "", suffix]; }
    return ["Date de lancement non précisée", "", ""];
  }

  var PURCHASES = {
    keys: ["recherche", "statut", "categorie", "cpv", "departement", "periode", "du", "au",
      "trimestre", "montant", "procedure", "acces", "service", "tri", "page"],
    defaultSort: "echeance",
    sorts: {
      "echeance": null,
      "limite": byNumber("limiteTri", 1),
      "date-asc": byNumber("planifieTri", 1),
      "date-desc": byNumber("planifieTri", -1),
      "montant-desc": byNumber("montantTri", -1),
      "montant-asc": byNumber("montantTri", 1)
    },
    sortPhrases: {
      "echeance": "par échéance",
      "limite": "par date limite de remise des offres",
      "date-asc": "par date de lancement prévue",
      "date-desc": "du lancement prévu le plus lointain au plus proche",
      "montant-desc": "du montant estimé le plus élevé au plus faible",
      "montant-asc": "du montant estimé le plus faible au plus élevé"
    },
    /** What a feed leaves out, named for the sentence « il ne tient pas compte de … ». */
    filterNames: {
      recherche: "la recherche libre", statut: "l'avancement", categorie: "la catégorie",
      cpv: "le code CPV précis", departement: "le département", periode: "la période",
      du: "les dates", au: "les dates", trimestre: "le trimestre", montant: "le montant",
      procedure: "la procédure", acces: "l'accès réservé ou facilité",
      service: "le service acheteur"
    },

    shards: function (config) {
      return config.morceaux.map(function (shard, i) { return i; });
    },

    rows: function (shard) {
      var rows = new Array(shard.id.length);
      for (var i = 0; i < rows.length; i++) {
        rows[i] = {
          id: shard.id[i],
          lien: shard.lien[i],
          objet: shard.objet[i],
          service: shard.service[i],
          categorie: shard.categorie[i],
          cpv: shard.cpv[i],
          prevue: shard.prevue[i],
          trimestre: shard.trimestre[i],
          planifieTri: dayNumber(shard.planifie[i]),
          montant: shard.montant[i],
          min: shard.min[i],
          max: shard.max[i],
          montantTri: shard.montantTri[i],
          procedure: shard.procedure[i],
          lieu: shard.lieu[i],
          departement: shard.departement[i],
          reserve: shard.reserve[i],
          pme: shard.pme[i],
          statut: shard.statut[i],
          retard: shard.retard[i],
          annonce: shard.annonce[i],
          lancement: shard.lancement[i],
          limite: shard.limite[i],
          limiteTri: dayNumber(shard.limite[i]),
          debut: shard.debut[i],
          fin: shard.fin[i],
          consultation: shard.consultation[i],
          marche: shard.marche[i],
          contact: shard.contact[i],
          texte: null
        };
      }
      return rows;
    },

    texts: {
      texte: function (r, config) {
        return [r.objet, r.id, r.lieu, pairLabel(config.listes.service, r.service), r.cpv]
          .join(" ");
      }
    },
    textFor: { recherche: "texte" },

    predicate: function (config, state) {
      var lists = config.listes;
      var tests = [];
      var q = words(state.recherche);
      function find(list, value, pairs) {
        for (var i = 0; i < list.length; i++) {
          if ((pairs ? list[i][0] : list[i]) === value) { return i; }
        }
        return -2;
      }
      if (state.statut === "tous") {
        // every status
      } else if (state.statut) {
        var st = find(lists.statut, state.statut, true);
        tests.push(function (r) { return r.statut === st; });
      } else {
        var open = lists.statutsEnCours.map(function (code) { return find(lists.statut, code, true); });
        tests.push(function (r) { return open.indexOf(r.statut) !== -1; });
      }
      if (state.categorie) {
        var c = find(lists.categorie, state.categorie, false);
        tests.push(function (r) { return r.categorie === c; });
      }
      if (state.cpv) { tests.push(function (r) { return r.cpv.lastIndexOf(state.cpv, 0) === 0; }); }
      if (state.trimestre) { tests.push(function (r) { return r.trimestre === state.trimestre; }); }
      if (state.departement) {
        var d = find(lists.departement, state.departement, true);
        tests.push(function (r) { return r.departement === d; });
      }
      if (state.periode) {
        var period = null;
        lists.periode.forEach(function (p) { if (p[0] === state.periode) { period = p; } });
        tests.push(function (r) { return period !== null && meets(r, period[2], period[3]); });
      }
      if (isDay(state.du) || isDay(state.au)) {
        var from = isDay(state.du) ? state.du : "";
        var to = isDay(state.au) ? state.au : "";
        tests.push(function (r) { return meets(r, from, to); });
      }
      if (state.montant) {
        var band = null;
        lists.montant.forEach(function (b) { if (b[0] === state.montant) { band = b; } });
        tests.push(function (r) { return band !== null && overlaps(r, band); });
      }
      if (state.procedure) {
        var p = find(lists.procedure, state.procedure, false);
        tests.push(function (r) { return r.procedure === p; });
      }
      if (state.acces === "reserve") { tests.push(function (r) { return r.reserve === 1; }); }
      if (state.acces === "pme") { tests.push(function (r) { return r.pme === 1; }); }
      if (state.service) {
        var s = find(lists.service, state.service, true);
        tests.push(function (r) { return r.service === s; });
      }
      if (q.length) {
        tests.push(function (r) { return containsAll(r.texte, q); });
      }
      return function (row) {
        for (var i = 0; i < tests.length; i++) { if (!tests[i](row)) { return false; } }
        return true;
      };
    },

    countText: function (config, state, count) {
      var filtered = isFiltered(state, PURCHASES.keys);
      var phrase = PURCHASES.sortPhrases[state.tri || PURCHASES.defaultSort];
      if (count === 0) {
        return filtered ? "Aucun achat ne correspond à vos critères." : "Aucun achat.";
      }
      var noun = formatNumber(count) + " achat" + plural(count, "", "s");
      if (!filtered) {
        noun += plural(count, " prévu", " prévus") + " ou en consultation";
      } else {
        noun += plural(count, " correspond", " correspondent") + " à vos critères";
      }
      return noun + ", " + phrase + ".";
    },

    render: function (row, config, doc) {
      var lists = config.listes;
      var tr = doc.createElement("tr");
      var th = doc.createElement("th");
      th.setAttribute("scope", "row");
      var title = span(doc, "ao-objet", "");
      title.appendChild(link(doc, config.liens.achat + row.lien + "/", row.objet));
      th.appendChild(title);
      var meta = ["Réf. " + row.id];
      var service = pairLabel(lists.service, row.service);
      if (service) { meta.push(service); }
      meta.push(label(lists.categorie, row.categorie));
      if (row.cpv) {
        var division = lists.cpv[row.cpv.slice(0, 2)];
        meta.push("CPV " + row.cpv + (division ? " (" + division + ")" : ""));
      }
      th.appendChild(span(doc, "ao-meta", meta.join(" · ")));
      if (row.reserve === 1 || row.pme === 1) {
        var badges = span(doc, "ao-badges", "");
        if (row.reserve === 1) { badges.appendChild(span(doc, "ao-badge", "Marché réservé")); }
        if (row.pme === 1) { badges.appendChild(span(doc, "ao-badge", "Adapté aux PME")); }
        th.appendChild(badges);
      }
      tr.appendChild(th);
      var status = pairValue(lists.statut, row.statut);
      var parts = deadlineParts(row, status);
      var when = doc.createElement("td");
      when.appendChild(doc.createTextNode(parts[0] + (parts[1] ? " " : "")));
      if (parts[1]) { when.appendChild(timeOrDash(doc, parts[1])); }
      if (parts[2]) { when.appendChild(doc.createTextNode(parts[2])); }
      tr.appendChild(when);
      var amount = cell(doc, "td", amountText(row));
      amount.className = "ao-num";
      tr.appendChild(amount);
      tr.appendChild(cell(doc, "td", row.lieu || "—"));
      tr.appendChild(cell(doc, "td", label(lists.procedure, row.procedure) || "—"));
      var progress = doc.createElement("td");
      var strong = doc.createElement("strong");
      strong.textContent = status === "prévu" && row.retard === 1 ? "Prévu, lancement en retard"
        : pairLabel(lists.statut, row.statut);
      progress.appendChild(strong);
      var steps = doc.createElement("ul");
      steps.className = "ao-etapes";
      function step(text, date) {
        var li = doc.createElement("li");
        li.appendChild(doc.createTextNode(text));
        li.appendChild(timeOrDash(doc, date));
        steps.appendChild(li);
      }
      function linkStep(href, text) {
        var li = doc.createElement("li");
        var a = link(doc, href, text);
        a.appendChild(span(doc, "ao-sr", " : " + row.objet));
        li.appendChild(a);
        steps.appendChild(li);
      }
      if (row.annonce) { step("Annoncé le ", row.annonce); }
      if (row.lancement) { step("Lancé le ", row.lancement); }
      var consultation = safeHttpUrl(row.consultation);
      if (consultation && status === "lancé") { linkStep(consultation, "Consulter le dossier"); }
      if (row.marche) { linkStep(config.liens.marche + row.marche, "Voir le marché attribué"); }
      progress.appendChild(steps);
      tr.appendChild(progress);
      var contact = safeEmail(row.contact);
      tr.appendChild(contact ? cell(doc, "td", link(doc, "mailto:" + contact, contact))
        : cell(doc, "td", "—"));
      return tr;
    }
  };

  var KINDS = { marches: CONTRACTS, achats: PURCHASES };

  // --- DOM helpers -------------------------------------------------------------------------------

  function cell(doc, tag, content) {
    var el = doc.createElement(tag);
    if (typeof content === "string") { el.textContent = content; } else { el.appendChild(content); }
    return el;
  }

  function span(doc, className, text) {
    var el = doc.createElement("span");
    el.className = className;
    if (text) { el.textContent = text; }
    return el;
  }

  function link(doc, href, text) {
    var a = doc.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  function timeOrDash(doc, iso) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) { return doc.createTextNode("—"); }
    var t = doc.createElement("time");
    t.setAttribute("datetime", iso);
    t.textContent = formatDate(iso);
    return t;
  }

  // --- Selecting rows ------------------------------------------------------------------------------

  /** Rows in the order of `sort`: `null` keeps the data's order, "reverse" reverses it,
   * `byNumber(key, direction)` sorts on a number (ties in the data's order, missing values last),
   * through typed arrays: 100 000 rows in a few tens of milliseconds. */
  function ordered(rows, sort) {
    if (!sort) { return rows; }
    if (sort === "reverse") { return rows.slice().reverse(); }
    var n = rows.length;
    var index = new Uint32Array(n);
    var values = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var value = rows[i][sort.key];
      index[i] = i;
      values[i] = value === null || value === undefined ? NaN : value;
    }
    var direction = sort.direction;
    index.sort(function (a, b) {
      var x = values[a], y = values[b];
      if (x !== x) { return y !== y ? a - b : 1; }
      if (y !== y) { return -1; }
      return x === y ? a - b : (x < y ? -direction : direction);
    });
    var out = new Array(n);
    for (var j = 0; j < n; j++) { out[j] = rows[index[j]]; }
    return out;
  }

  /** The rows of `rows` (already ordered) that pass `test`. */
  function select(rows, test) {
    var out = [];
    for (var i = 0; i < rows.length; i++) { if (test(rows[i])) { out.push(rows[i]); } }
    return out;
  }

  // --- The explorer on a page --------------------------------------------------------------------

  function Explorer(rootElement, win) {
    this.root = rootElement;
    this.win = win;
    this.doc = rootElement.ownerDocument;
    var configElement = rootElement.querySelector("[data-ao-config]");
    this.config = JSON.parse(configElement.textContent);
    this.kind = KINDS[this.config.type];
    this.form = rootElement.querySelector("[data-ao-filtres]");
    this.status = rootElement.querySelector("[data-ao-compte]");
    this.results = rootElement.querySelector("[data-ao-resultats]");
    this.tbody = this.results.querySelector("tbody");
    this.pager = rootElement.querySelector("[data-ao-pages]");
    this.pageState = rootElement.querySelector("[data-ao-page-etat]");
    this.heading = this.doc.getElementById("resultats");
    this.shards = [];       // decoded rows of each shard, by index in the manifest
    this.pending = {};      // promises of shards being fetched
    this.datasets = {};     // concatenated rows (and their orders) by set of shards
    this.lastFilter = null;  // the filters (and sort) of `lastFound`, the rows they select
    this.lastFound = [];
    this.sequence = 0;       // updates started; data-ao-pret holds the last one rendered
    this.timer = null;
    this.debouncing = false; // a text change waits to be applied
    this.state = parseState("", this.kind.keys);
  }

  Explorer.prototype.controls = function () {
    return Array.prototype.filter.call(this.form.elements, function (el) { return el.name; });
  };

  Explorer.prototype.readControls = function () {
    var state = parseState("", this.kind.keys);
    this.controls().forEach(function (el) { state[el.name] = String(el.value || "").trim(); });
    return state;
  };

  Explorer.prototype.writeControls = function (state) {
    var doc = this.doc;
    this.controls().forEach(function (el) {
      var value = state[el.name] || "";
      if (el.tagName === "SELECT" && value) {
        var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
        if (!known && el.name === "cpv" && /^\d{2,8}$/.test(value)) {
          var option = doc.createElement("option");
          option.value = value;
          option.textContent = "Codes commençant par " + value;
          el.appendChild(option);
          known = true;
        }
        if (!known && el.name === "trimestre" && /^\d{4}-T[1-4]$/.test(value)) {
          var quarter = doc.createElement("option");
          quarter.value = value;
          quarter.textContent = quarterLabel(value);
          el.appendChild(quarter);
          known = true;
        }
        if (!known) { value = ""; state[el.name] = ""; }
      }
      el.value = value;
    });
  };

  Explorer.prototype.start = function () {
    var self = this;
    this.form.hidden = false;
    this.pager.hidden = false;
    this.state = parseState(this.win.location.search, this.kind.keys);
    this.writeControls(this.state);
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.changed(null);
    });
    this.form.addEventListener("change", function () { self.changed(null); });
    this.form.addEventListener("input", function (event) {
      if (event.target.tagName === "INPUT") { self.changed(250); }
    });
    // Someone who starts using the filters will need the data: fetch it while they choose.
    this.form.addEventListener("focusin", function () { self.prefetch(); }, { once: true });
    // The controls are emptied after the reset event: read them on the next turn.
    this.form.addEventListener("reset", function () { self.changed(0); });
    this.pager.addEventListener("click", function (event) {
      var button = event.target.closest("[data-ao-page]");
      if (!button || button.disabled) { return; }
      var page = (parseInt(self.state.page, 10) || 1) + parseInt(button.getAttribute("data-ao-page"), 10);
      self.state.page = String(Math.max(page, 1));
      self.update(true);
    });
    setUpFolding(this);
    if (this.isDefault(this.state)) {
      this.showPager(1, Math.ceil(this.initialCount() / this.config.parPage));
      showFolding(this, this.initialCount());
    } else {
      this.update(false);
    }
  };

  Explorer.prototype.initialCount = function () {
    return this.config.type === "achats" ? this.config.enCours : this.config.total;
  };

  Explorer.prototype.isDefault = function (state) {
    return !isFiltered(state, this.kind.keys) && !state.tri && (!state.page || state.page === "1");
  };

  /** Apply the controls now (`delay` null) or after `delay` ms, a later change replacing it. */
  Explorer.prototype.changed = function (delay) {
    var self = this;
    this.win.clearTimeout(this.timer);
    var run = function () {
      self.debouncing = false;
      var page = self.state.page;
      var next = self.readControls();
      next.page = "";
      var same = self.kind.keys.every(function (k) { return k === "page" || next[k] === self.state[k]; });
      if (same) { next.page = page; }
      self.state = next;
      self.update(false);
    };
    if (delay === null) {
      run();
    } else {
      this.debouncing = true;
      this.timer = this.win.setTimeout(run, delay);
    }
  };

  Explorer.prototype.fetchShard = function (index) {
    var self = this;
    if (this.shards[index]) { return Promise.resolve(); }
    if (!this.pending[index]) {
      var url = new URL(this.config.morceaux[index].chemin, this.win.location.href);
      this.pending[index] = this.win.fetch(url.href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status + " " + url.pathname); }
          return response.json();
        })
        .then(function (content) {
          self.shards[index] = self.kind.rows(content);
          delete self.pending[index];
          self.prepareLater(self.shards[index]);
        }, function (error) {
          delete self.pending[index];
          throw error;
        });
    }
    return this.pending[index];
  };

  Explorer.prototype.textMaker = function (key) {
    var make = this.kind.texts[key];
    var config = this.config;
    return function (row) { return make(row, config); };
  };

  /** The search texts the state needs, for rows not prepared yet. */
  Explorer.prototype.prepare = function (rows, state) {
    var self = this;
    Object.keys(this.kind.textFor).forEach(function (param) {
      if (state[param]) {
        var key = self.kind.textFor[param];
        prepareText(rows, key, self.textMaker(key));
      }
    });
  };

  /** Prepare the search texts of freshly loaded rows while the browser has nothing else to do,
   * so that the first search does not pay for it. */
  Explorer.prototype.prepareLater = function (rows) {
    var self = this;
    var win = this.win;
    var keys = Object.keys(this.kind.texts);
    var makers = keys.map(function (key) { return self.textMaker(key); });
    var start = 0;
    var idle = win.requestIdleCallback ? win.requestIdleCallback.bind(win) : function (callback) {
      return win.setTimeout(function () {
        callback({ timeRemaining: function () { return 10; } });
      }, 1);
    };
    function step(deadline) {
      while (start < rows.length && deadline.timeRemaining() > 2) {
        for (var k = 0; k < keys.length; k++) {
          prepareText(rows, keys[k], makers[k], start, start + 500);
        }
        start += 500;
      }
      if (start < rows.length) { idle(step); }
    }
    idle(step);
  };

  /** Sort `data` every way the explorer offers while the browser is idle, one order at a time,
   * so that choosing a sort later costs nothing. */
  Explorer.prototype.sortLater = function (data) {
    var self = this;
    if (data.sorting) { return; }
    data.sorting = true;
    var keys = Object.keys(this.kind.sorts);
    var idle = this.win.requestIdleCallback
      ? this.win.requestIdleCallback.bind(this.win)
      : function (callback) { return self.win.setTimeout(callback, 50); };
    function step() {
      var key = keys.shift();
      if (key === undefined) { return; }
      if (!data.orders[key]) { data.orders[key] = ordered(data.rows, self.kind.sorts[key]); }
      idle(step);
    }
    idle(step);
  };

  Explorer.prototype.prefetch = function () {
    var self = this;
    this.kind.shards(this.config, this.readControls()).forEach(function (i) {
      self.fetchShard(i).catch(function () { return null; });
    });
  };

  Explorer.prototype.dataset = function (indices) {
    var key = indices.join(",");
    if (!this.datasets[key]) {
      var rows = [];
      for (var i = 0; i < indices.length; i++) { rows = rows.concat(this.shards[indices[i]]); }
      this.datasets = {};  // keep one dataset: memory stays proportional to the data
      this.datasets[key] = { rows: rows, orders: {} };
    }
    return this.datasets[key];
  };

  Explorer.prototype.update = function (moveFocus) {
    var self = this;
    var sequence = ++this.sequence;
    var state = this.state;
    var indices = this.kind.shards(this.config, state);
    var missing = indices.filter(function (i) { return !self.shards[i]; });
    this.writeUrl(state);
    if (missing.length) {
      this.results.setAttribute("aria-busy", "true");
      this.status.textContent = "Chargement des données…";
    }
    return Promise.all(missing.map(function (i) { return self.fetchShard(i); })).then(function () {
      if (sequence !== self.sequence) { return; }
      self.results.removeAttribute("aria-busy");
      self.render(indices, state, moveFocus);
    }, function () {
      if (sequence !== self.sequence) { return; }
      self.results.removeAttribute("aria-busy");
      self.status.textContent = "Les données n'ont pas pu être chargées : la liste n'est pas " +
        "filtrée. Réessayez en rechargeant la page.";
    });
  };

  Explorer.prototype.render = function (indices, state, moveFocus) {
    var data = this.dataset(indices);
    var sortKey = this.kind.sorts.hasOwnProperty(state.tri) ? state.tri : this.kind.defaultSort;
    this.sortLater(data);
    if (!data.orders[sortKey]) { data.orders[sortKey] = ordered(data.rows, this.kind.sorts[sortKey]); }
    var filterKey = indices.join(",") + serializeState(state, this.kind.keys.filter(function (k) {
      return k !== "page";
    }));
    if (filterKey !== this.lastFilter) {
      this.prepare(data.rows, state);
      this.lastFound = select(data.orders[sortKey], this.kind.predicate(this.config, state));
      this.lastFilter = filterKey;
    }
    var found = this.lastFound;
    var perPage = this.config.parPage;
    var pages = Math.max(1, Math.ceil(found.length / perPage));
    var page = Math.min(Math.max(parseInt(state.page, 10) || 1, 1), pages);
    state.page = page > 1 ? String(page) : "";
    var fragment = this.doc.createDocumentFragment();
    var shown = found.slice((page - 1) * perPage, page * perPage);
    for (var i = 0; i < shown.length; i++) {
      fragment.appendChild(this.kind.render(shown[i], this.config, this.doc));
    }
    this.tbody.replaceChildren(fragment);
    this.status.textContent = this.kind.countText(this.config, state, found.length, found);
    this.showPager(page, pages);
    showFolding(this, found.length);
    showSubscription(this, state);
    this.writeUrl(state);
    if (moveFocus && this.heading) { this.heading.focus(); }
    this.root.setAttribute("data-ao-pret", String(this.sequence));
  };

  Explorer.prototype.showPager = function (page, pages) {
    var buttons = this.pager.querySelectorAll("[data-ao-page]");
    buttons[0].disabled = page <= 1;
    buttons[1].disabled = page >= pages;
    this.pageState.textContent = "Page " + formatNumber(page) + " sur " + formatNumber(pages);
    this.pager.hidden = pages <= 1;
  };

  Explorer.prototype.writeUrl = function (state) {
    var loc = this.win.location;
    var url = loc.pathname + serializeState(state, this.kind.keys);
    if (url !== loc.pathname + loc.search) { this.win.history.replaceState(null, "", url); }
  };

  // --- The filter panel on a phone (site.css shows its buttons on narrow screens only) ---------

  var NARROW = "(max-width: 59.9375em)";

  /** Fold the filter panel behind its heading's button on a narrow screen; « Voir les N
   * résultats » folds it again and goes to the results. */
  function setUpFolding(explorer) {
    var form = explorer.form;
    var toggle = form.querySelector("[data-ao-bascule]");
    var show = form.querySelector("[data-ao-voir]");
    if (!toggle || !show) { return; }
    explorer.toggle = toggle;
    explorer.showButton = show;
    fold(explorer, true);
    toggle.addEventListener("click", function () {
      fold(explorer, toggle.getAttribute("aria-expanded") === "true");
      if (toggle.getAttribute("aria-expanded") === "true") {
        var first = form.querySelector("input, select");
        if (first) { first.focus(); }
      }
    });
    show.addEventListener("click", function () {
      var narrow = explorer.win.matchMedia && explorer.win.matchMedia(NARROW).matches;
      if (narrow) { fold(explorer, true); }
      if (explorer.heading) {
        explorer.heading.focus();
        explorer.heading.scrollIntoView();
      }
    });
  }

  function fold(explorer, folded) {
    explorer.form.classList.toggle("ao-filtres--plie", folded);
    explorer.toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    showFolding(explorer, null);
  }

  /** The buttons' words: how many filters are on, how many results they give. */
  function showFolding(explorer, count) {
    if (!explorer.toggle) { return; }
    var state = explorer.readControls();
    var on = explorer.kind.keys.filter(function (k) {
      return k !== "tri" && k !== "page" && state[k];
    }).length;
    explorer.toggle.textContent = "Filtres" + (on ? " (" + on + " " + plural(on, "actif", "actifs") + ")" : "");
    if (count === null) { return; }
    explorer.showButton.textContent = count === 0 ? "Aucun résultat : voir la liste"
      : count === 1 ? "Voir le résultat" : "Voir les " + formatNumber(count) + " résultats";
  }

  // --- « S'abonner à cette recherche » ---------------------------------------------------------

  /** The feed of the filters in `state`: `exact` when a published feed selects exactly the same
   * purchases, else the closest broader one and the filters it leaves out. */
  function feedOf(config, state, kind) {
    var active = {};
    kind.keys.forEach(function (k) { if (k !== "tri" && k !== "page" && state[k]) { active[k] = state[k]; } });
    var best = null;
    var bestLeft = null;
    (config.flux || []).forEach(function (feed) {
      var names = Object.keys(feed.filtres);
      var fits = names.every(function (k) {
        var want = feed.filtres[k];
        return active[k] === want || (k === "cpv" && active[k] && active[k].indexOf(want) === 0);
      });
      if (!fits) { return; }
      var left = Object.keys(active).filter(function (k) {
        return names.indexOf(k) === -1 || active[k] !== feed.filtres[k];
      });
      if (best === null || left.length < bestLeft.length
          || (left.length === bestLeft.length && names.length > Object.keys(best.filtres).length)) {
        best = feed;
        bestLeft = left;
      }
    });
    return best === null ? null : { feed: best, exact: bestLeft.length === 0, left: bestLeft };
  }

  function showSubscription(explorer, state) {
    var box = explorer.root.querySelector("[data-ao-flux-recherche]");
    if (!box || !explorer.kind.filterNames) { return; }
    var doc = explorer.doc;
    var found = feedOf(explorer.config, state, explorer.kind);
    var parts = [];
    if (found && found.exact) {
      parts.push(link(doc, found.feed.page, "S'abonner à cette recherche"));
      parts.push(doc.createTextNode(" : flux « " + found.feed.titre + " », qui prévient de chaque achat annoncé."));
    } else {
      parts.push(doc.createTextNode("Aucun flux ne correspond exactement à cette recherche : un flux retient au plus "
        + "une catégorie ou un domaine d'achat (division CPV) et un département, et les achats prévus ou en "
        + "consultation. "));
      if (found) {
        var names = [];
        found.left.forEach(function (k) {
          var name = explorer.kind.filterNames[k] || k;
          if (names.indexOf(name) === -1) { names.push(name); }
        });
        parts.push(doc.createTextNode("Le plus proche, "));
        parts.push(link(doc, found.feed.page, "« " + found.feed.titre + " »"));
        parts.push(doc.createTextNode(", ne tient pas compte de : " + names.join(", ") + ". "));
      }
      parts.push(link(doc, explorer.config.fluxTous, "Tous les flux"));
      parts.push(doc.createTextNode("."));
    }
    box.replaceChildren.apply(box, parts);
  }

  function start() {
    var roots = document.querySelectorAll("[data-ao-explorateur]");
    Array.prototype.forEach.call(roots, function (element) {
      var explorer = new Explorer(element, window);
      element.aoExplorateur = explorer;
      explorer.start();
    });
  }

  return {
    normalize: normalize,
    words: words,
    containsAll: containsAll,
    roundEuros: roundEuros,
    formatEuros: formatEuros,
    formatNumber: formatNumber,
    formatChange: formatChange,
    totalsText: totalsText,
    formatDate: formatDate,
    quarterLabel: quarterLabel,
    parseAmount: parseAmount,
    safeHttpUrl: safeHttpUrl,
    safeEmail: safeEmail,
    parseState: parseState,
    serializeState: serializeState,
    isFiltered: isFiltered,
    ordered: ordered,
    select: select,
    overlaps: overlaps,
    amountText: amountText,
    meets: meets,
    deadlineParts: deadlineParts,
    feedOf: feedOf,
    kinds: KINDS,
    Explorer: Explorer,
    start: start
  };
});
