/* daily-papers: search and filter the papers of every keyword, in the page.
   Every string from arXiv is set as text (textContent, setAttribute), never as markup.
   Data comes as scripts that assign to a global (a page from file:// cannot fetch files):
   data/index.js first, then data/keywords/<slug>.js when a search or filter needs it. */
(function () {
  "use strict";

  var PAGE = 50;
  var CHART_DAYS = 60;
  var CHART_MIN_DAYS = 14;
  var TYPING_MS = 200;
  var index = window.DP_INDEX;
  var papers = new Map();      /* id -> record, from every keyword file loaded */
  var loaded = new Set();      /* keyword numbers whose file has run */
  var loading = new Map();     /* keyword number -> Promise */
  var bySlug = new Map();
  var limit = PAGE;
  var token = 0;
  var typing = false;
  var typingTimer = 0;

  if (index && index.math && !window.MathJax) {
    window.MathJax = {
      tex: { inlineMath: [["$", "$"], ["\\(", "\\)"]], packages: { "[-]": ["html", "require"] } },
      loader: { load: ["ui/safe"] },
      startup: { typeset: false }
    };
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function webUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function link(url, text) {
    var a = el("a", null, text);
    var href = webUrl(url);
    if (href) { a.setAttribute("href", href); }
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }

  /* ---- state <-> URL ---- */

  function readState(search) {
    var params = new URLSearchParams(search);
    var keywords = params.getAll("keyword").filter(function (s) { return bySlug.has(s); });
    var day = /^\d{4}-\d{2}-\d{2}$/;
    var from = params.get("from") || "";
    var to = params.get("to") || "";
    return {
      q: params.get("q") || "",
      keywords: keywords,
      category: params.get("category") || "",
      from: day.test(from) ? from : "",
      to: day.test(to) ? to : ""
    };
  }

  function query(state) {
    var params = new URLSearchParams();
    if (state.q.trim()) { params.set("q", state.q); }
    state.keywords.forEach(function (s) { params.append("keyword", s); });
    if (state.category) { params.set("category", state.category); }
    if (state.from) { params.set("from", state.from); }
    if (state.to) { params.set("to", state.to); }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function commit(state, push) {
    var search = query(state);
    if (search === location.search) { return; }
    var url = search || location.pathname;
    try {
      if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    } catch (err) { /* a browser that keeps file:// pages from changing their URL: the page still works */ }
  }

  function controlsState() {
    var keywords = [];
    $("keywords").querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.checked) { keywords.push(box.value); }
    });
    return {
      q: $("q").value,
      keywords: keywords,
      category: $("category").value,
      from: $("from").value,
      to: $("to").value
    };
  }

  function showState(state) {
    $("q").value = state.q;
    var chosen = new Set(state.keywords);
    $("keywords").querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = chosen.has(box.value);
    });
    var select = $("category");
    if (state.category && !Array.prototype.some.call(select.options, function (o) { return o.value === state.category; })) {
      select.appendChild(el("option", null, state.category)).value = state.category;
    }
    select.value = state.category;
    $("from").value = state.from;
    $("to").value = state.to;
    noteKeywords(state);
  }

  function noteKeywords(state) {
    var names = state.keywords.map(function (s) { return index.keywords[bySlug.get(s)].name; });
    $("keyword-note").textContent = names.length ? names.join(", ") : "all";
  }

  /* ---- data ---- */

  /* The date a paper is sorted, filtered and counted by, as the README's tables show it. */
  function dated(r) {
    r.d = index.submitted && r.p ? r.p : r.u;
    return r;
  }

  function add(records) {
    records.forEach(function (r) { if (!papers.has(r.id)) { papers.set(r.id, r.d ? r : dated(r)); } });
  }

  function load(number) {
    if (loaded.has(number)) { return Promise.resolve(); }
    if (loading.has(number)) { return loading.get(number); }
    var kw = index.keywords[number];
    var promise = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = kw.file;
      script.async = true;
      script.onload = function () {
        var shards = window.DP_SHARDS || {};
        add(shards[kw.slug] || []);
        delete shards[kw.slug];
        loaded.add(number);
        resolve();
      };
      script.onerror = function () {
        loading.delete(number);
        reject(new Error(kw.file));
      };
      document.head.appendChild(script);
    });
    loading.set(number, promise);
    return promise;
  }

  function chosenNumbers(state) {
    if (!state.keywords.length) { return index.keywords.map(function (_, n) { return n; }); }
    return state.keywords.map(function (s) { return bySlug.get(s); });
  }

  function isDefault(state) {
    return !state.q.trim() && !state.keywords.length && !state.category && !state.from && !state.to;
  }

  function haystack(r) {
    if (r._h === undefined) {
      r._h = [r.t, (r.a || []).join(" "), r.s || "", r.c || ""].join("\n").toLowerCase();
    }
    return r._h;
  }

  function matcher(state) {
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var keywords = state.keywords.length ? new Set(state.keywords.map(function (s) { return bySlug.get(s); })) : null;
    return function (r) {
      var day = r.d.slice(0, 10);
      if (state.from && day < state.from) { return false; }
      if (state.to && day > state.to) { return false; }
      if (state.category && (r.g || []).indexOf(state.category) < 0) { return false; }
      if (keywords && !r.k.some(function (k) { return keywords.has(k); })) { return false; }
      if (words.length) {
        var text = haystack(r);
        for (var i = 0; i < words.length; i++) { if (text.indexOf(words[i]) < 0) { return false; } }
      }
      return true;
    };
  }

  function newestFirst(a, b) {
    if (a.d !== b.d) { return a.d < b.d ? 1 : -1; }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /* ---- drawing ---- */

  function day(text) { return text ? text.slice(0, 10) : ""; }

  function paperItem(r) {
    var item = el("li", "paper");
    item.setAttribute("data-arxiv-id", r.id);
    var heading = el("h2", "title");
    heading.appendChild(link(r.l, r.t));
    if (r.n) { heading.appendChild(el("span", "badge", "New")); }
    item.appendChild(heading);
    if (r.a && r.a.length) {
      var shown = r.a.length > 12 ? r.a.slice(0, 10).join(", ") + " and " + (r.a.length - 10) + " more" : r.a.join(", ");
      item.appendChild(el("p", "authors", shown));
    }
    var meta = el("p", "meta");
    var dates = [["Updated", day(r.u) + " (v" + r.v + ")"]];
    if (r.p && day(r.p) !== day(r.u)) { dates.push(["First version", day(r.p)]); }
    if (r.f) { dates.push(["First seen", day(r.f)]); }
    dates.forEach(function (pair) {
      var span = el("span", "date");
      span.appendChild(el("span", "label", pair[0] + " "));
      span.appendChild(el("time", null, pair[1].slice(0, 10))).setAttribute("datetime", pair[1].slice(0, 10));
      if (pair[1].length > 10) { span.appendChild(document.createTextNode(pair[1].slice(10))); }
      meta.appendChild(span);
    });
    item.appendChild(meta);
    var tags = el("p", "tags");
    r.k.forEach(function (k) { tags.appendChild(el("span", "tag keyword", index.keywords[k].name)); });
    (r.g || []).forEach(function (c) { tags.appendChild(el("span", "tag category", c)); });
    item.appendChild(tags);
    if (r.c) { item.appendChild(el("p", "comment", r.c)); }
    if (r.j) { item.appendChild(el("p", "comment", r.j)); }
    var links = el("p", "links");
    links.appendChild(link(r.pdf, "PDF"));
    if (webUrl(r.code)) { links.appendChild(link(r.code, "Code")); }
    if (r.doi) { links.appendChild(link("https://doi.org/" + encodeURI(r.doi), "DOI")); }
    item.appendChild(links);
    if (r.s) {
      var details = el("details", "abstract");
      details.appendChild(el("summary", null, "Abstract"));
      details.appendChild(el("p", null, r.s));
      item.appendChild(details);
    }
    return item;
  }

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function addDays(text, n) {
    var d = new Date(text + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function drawChart(counts) {
    var box = $("chart");
    box.textContent = "";
    var days = Object.keys(counts).sort();
    if (!days.length) { return; }
    var last = days[days.length - 1];
    var first = days[0] > addDays(last, 1 - CHART_DAYS) ? days[0] : addDays(last, 1 - CHART_DAYS);
    if (first > addDays(last, 1 - CHART_MIN_DAYS)) { first = addDays(last, 1 - CHART_MIN_DAYS); }
    var span = [];
    for (var d = first; d <= last; d = addDays(d, 1)) { span.push(d); }
    var max = 1;
    span.forEach(function (d) { max = Math.max(max, counts[d] || 0); });
    var width = 600, height = 80, bottom = 14, gap = 1;
    var bar = width / span.length;
    var total = span.reduce(function (n, d) { return n + (counts[d] || 0); }, 0);
    var label = total + " papers from " + first + " to " + last + ", at most " + max + " a day";
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": label,
                             preserveAspectRatio: "none", "class": "bars" });
    span.forEach(function (d, i) {
      var n = counts[d] || 0;
      var h = n ? Math.max(1, (height - bottom) * n / max) : 0;
      var rect = svg("rect", { x: (i * bar).toFixed(2), y: (height - bottom - h).toFixed(2),
                               width: Math.max(0.5, bar - gap).toFixed(2), height: h.toFixed(2) });
      rect.appendChild(svg("title", {}, d + ": " + n));
      chart.appendChild(rect);
    });
    chart.appendChild(svg("line", { x1: 0, y1: height - bottom, x2: width, y2: height - bottom, "class": "axis" }));
    box.appendChild(chart);
    var scale = el("div", "chart-scale");
    scale.appendChild(el("span", null, first));
    scale.appendChild(el("span", null, "max " + max + " a day"));
    scale.appendChild(el("span", null, last));
    box.appendChild(scale);
  }

  function countDays(records) {
    var counts = {};
    records.forEach(function (r) { var d = r.d.slice(0, 10); counts[d] = (counts[d] || 0) + 1; });
    return counts;
  }

  function typeset(node) {
    var mj = window.MathJax;
    if (!mj || typeof mj.typesetPromise !== "function") { return; }
    var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
    ready.then(function () { return mj.typesetPromise([node]); })
      .catch(function () { /* TeX the typesetter rejects stays as written */ });
  }

  function draw(list, total, counts, state) {
    var results = $("results");
    var fragment = document.createDocumentFragment();
    list.forEach(function (r) { fragment.appendChild(paperItem(r)); });
    results.textContent = "";
    results.appendChild(fragment);
    var more = $("more");
    more.hidden = list.length >= total;
    more.textContent = "Show " + Math.min(PAGE, total - list.length) + " more";
    var status = total === 1 ? "1 paper" : total + " papers";
    if (list.length < total) { status += ", showing the newest " + list.length; }
    if (!index.total) { status = "No papers yet: the next update fills this page."; }
    else if (!total) { status = "No paper matches" + (state.q.trim() ? " all of these words" : " these filters"); }
    $("status").textContent = status;
    drawChart(counts);
    typeset(results);
  }

  function render(state) {
    var mine = ++token;
    noteKeywords(state);
    if (isDefault(state) && (limit <= index.recent.length || index.recent.length === index.total)) {
      var counts = {};
      index.days.forEach(function (pair) { counts[pair[0]] = pair[1]; });
      draw(index.recent.slice(0, limit), index.total, counts, state);
      return Promise.resolve();
    }
    var numbers = chosenNumbers(state);
    var missing = numbers.filter(function (n) { return !loaded.has(n); });
    if (missing.length) {
      $("status").textContent = "Loading the papers of " + (missing.length === 1 ? "1 keyword" : missing.length + " keywords") + "…";
    }
    return Promise.all(missing.map(load)).then(function () {
      if (mine !== token) { return; }
      var match = matcher(state);
      var found = [];
      papers.forEach(function (r) { if (match(r)) { found.push(r); } });
      found.sort(newestFirst);
      draw(found.slice(0, limit), found.length, countDays(found), state);
    }, function (err) {
      if (mine === token) { $("status").textContent = "Could not load " + err.message + "; reload the page to try again."; }
    });
  }

  /* ---- controls ---- */

  function buildControls() {
    var list = $("keywords");
    index.keywords.forEach(function (kw, n) {
      bySlug.set(kw.slug, n);
      var label = el("label", "keyword");
      var box = el("input");
      box.type = "checkbox";
      box.value = kw.slug;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + kw.name + " "));
      label.appendChild(el("span", "count", "(" + kw.count + ")"));
      var row = el("div", "keyword-row");
      row.appendChild(label);
      var feed = el("a", "feed", "feed");
      feed.setAttribute("href", "feeds/" + encodeURIComponent(kw.slug) + ".xml");
      feed.setAttribute("aria-label", "Atom feed of " + kw.name);
      row.appendChild(feed);
      list.appendChild(row);
    });
    var select = $("category");
    index.categories.forEach(function (c) { select.appendChild(el("option", null, c)).value = c; });
    if (index.days.length) {
      ["from", "to"].forEach(function (id) {
        $(id).min = index.days[0][0];
        $(id).max = index.days[index.days.length - 1][0];
      });
    }
  }

  function changed(push) {
    clearTimeout(typingTimer);
    typing = false;
    limit = PAGE;
    var state = controlsState();
    commit(state, push);
    render(state);
  }

  function typed() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      limit = PAGE;
      var state = controlsState();
      commit(state, !typing);  /* one history entry per search, not per key */
      typing = true;
      render(state);
    }, TYPING_MS);
  }

  function preload() {
    index.keywords.forEach(function (_, n) { load(n).catch(function () { /* reported when needed */ }); });
  }

  function start() {
    if (!index) {
      $("status").textContent = "The papers' data (data/index.js) did not load.";
      return;
    }
    index.recent.forEach(dated);
    if (index.recent.length === index.total) {  /* a small site: the index holds every paper */
      add(index.recent);
      index.keywords.forEach(function (_, n) { loaded.add(n); });
    }
    buildControls();
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); changed(!typing); });
    $("q").addEventListener("input", typed);
    $("q").addEventListener("focus", preload, { once: true });
    $("q").addEventListener("keydown", function (e) {
      if (e.key === "Escape" && $("q").value) { $("q").value = ""; changed(true); }
    });
    ["category", "from", "to"].forEach(function (id) {
      $(id).addEventListener("change", function () { changed(true); });
    });
    $("keywords").addEventListener("change", function () { changed(true); });
    $("clear").addEventListener("click", function () {
      showState(readState(""));
      changed(true);
    });
    $("more").addEventListener("click", function () {
      limit += PAGE;
      render(controlsState());
    });
    window.addEventListener("popstate", function () {
      clearTimeout(typingTimer);
      typing = false;
      limit = PAGE;
      var state = readState(location.search);
      showState(state);
      render(state);
    });
    var state = readState(location.search);
    showState(state);
    render(state);
  }

  /* After every deferred script, the typesetter's too. */
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
}());
