/* Timed exam page: autosave every change, navigator, flags, countdown, confirm on submit.
 *
 * The server owns the clock and the answers: each save carries a sequence
 * number (never smaller than the one the page was served with), so a late or
 * retried save cannot overwrite a newer answer; a save after the deadline is
 * refused (409) and the page goes to the result. Unsent answers are kept in
 * localStorage and sent again after a reload.
 */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) return;

  var attemptId = root.dataset.attempt;
  var saveUrl = root.dataset.saveUrl;            // .../answers/0 : the 0 is replaced by the item id
  var resultUrl = root.dataset.resultUrl;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content;
  var statusEl = document.getElementById("save-status");
  var timerEl = document.getElementById("timer");
  var alertEl = document.getElementById("time-alert");
  var form = document.getElementById("submit-form");
  var storeKey = "exam-" + attemptId;
  var pending = {};                                // item id -> timer handle
  var inflight = 0;
  var finished = false;

  function items() { return Array.prototype.slice.call(root.querySelectorAll("section.item[data-item]")); }
  function itemEl(id) { return root.querySelector('section.item[data-item="' + id + '"]'); }

  function collect(el) {
    var type = el.dataset.qtype;
    var name = "item-" + el.dataset.item;
    if (type === "single" || type === "judge") {
      var checked = el.querySelector('input[name="' + name + '"]:checked');
      return checked ? checked.value : null;
    }
    if (type === "multiple") {
      var values = Array.prototype.map.call(el.querySelectorAll('input[name="' + name + '"]:checked'),
        function (i) { return i.value; });
      return values.length ? values : null;
    }
    if (type === "fill") {
      var blanks = Array.prototype.map.call(el.querySelectorAll('input[name="' + name + '"]'),
        function (i) { return i.value; });
      return blanks.some(function (v) { return v.trim(); }) ? blanks : null;
    }
    if (type === "case") {
      var parts = {}, any = false;
      el.querySelectorAll("textarea[data-part]").forEach(function (t) {
        parts[t.dataset.part] = t.value; if (t.value.trim()) any = true;
      });
      return any ? parts : null;
    }
    var box = el.querySelector('[name="' + name + '"]');   // numeric, essay
    return box && box.value.trim() ? box.value : null;
  }

  function isAnswered(el) { return collect(el) !== null; }
  function isFlagged(el) { return el.dataset.flagged === "true"; }

  function nextSeq(el) {
    var seq = Math.max(parseInt(el.dataset.seq || "0", 10) + 1, Date.now());
    el.dataset.seq = String(seq);
    return seq;
  }

  function setStatus(text, bad) {
    statusEl.textContent = text;
    statusEl.classList.toggle("bad", !!bad);
  }

  function remember(id, body) {
    var store = JSON.parse(localStorage.getItem(storeKey) || "{}");
    store[id] = body;
    localStorage.setItem(storeKey, JSON.stringify(store));
  }
  function forget(id, seq) {
    var store = JSON.parse(localStorage.getItem(storeKey) || "{}");
    if (store[id] && store[id].seq <= seq) { delete store[id]; }
    localStorage.setItem(storeKey, JSON.stringify(store));
  }

  function send(id, body, attempt) {
    inflight += 1;
    setStatus("正在保存…");
    return fetch(saveUrl.replace(/\/answers\/0$/, "/answers/" + id), {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify(body)
    }).then(function (r) {
      inflight -= 1;
      if (r.status === 409) { return r.json().then(function (j) { closed(j.error.message); }); }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json().then(function (j) {
        forget(id, body.seq);
        var el = itemEl(id);
        if (el && j.saved_seq > parseInt(el.dataset.seq, 10)) el.dataset.seq = String(j.saved_seq);
        setStatus("已保存 " + new Date().toLocaleTimeString("zh-CN", {hour12: false}));
      });
    }).catch(function () {
      inflight -= 1;
      setStatus("网络中断，答案暂存在本机，正在重试…", true);
      var wait = Math.min(30000, 2000 * Math.pow(2, attempt || 0));
      return new Promise(function (resolve) {
        setTimeout(function () { resolve(finished ? null : send(id, body, (attempt || 0) + 1)); }, wait);
      });
    });
  }

  function save(el) {
    var id = el.dataset.item;
    var body = {answer: collect(el), seq: nextSeq(el), flagged: isFlagged(el)};
    remember(id, body);
    refreshNav(el);
    return send(id, body, 0);
  }

  function schedule(el, delay) {
    var id = el.dataset.item;
    clearTimeout(pending[id]);
    pending[id] = setTimeout(function () { delete pending[id]; save(el); }, delay);
  }

  function flush() {
    var ids = Object.keys(pending);
    return Promise.all(ids.map(function (id) {
      clearTimeout(pending[id]); delete pending[id];
      return save(itemEl(id));
    }));
  }

  function refreshNav(el) {
    var link = root.querySelector('[data-nav="' + el.dataset.item + '"]');
    if (!link) return;
    link.classList.toggle("answered", isAnswered(el));
    link.classList.toggle("flagged", isFlagged(el));
    link.setAttribute("aria-label", "第 " + link.textContent + " 题，" + (isAnswered(el) ? "已答" : "未答") +
      (isFlagged(el) ? "，已标记" : ""));
  }

  function closed(message) {
    if (finished) return;
    finished = true;
    setStatus(message || "考试已结束", true);
    window.location.href = resultUrl;
  }

  // -- wiring --------------------------------------------------------------
  items().forEach(function (el) {
    el.addEventListener("change", function (e) {
      if (e.target.matches("input[type=radio], input[type=checkbox]")) schedule(el, 0);
    });
    el.addEventListener("input", function (e) {
      if (e.target.matches("input[type=text], textarea")) schedule(el, 800);
    });
    var flag = el.querySelector("button.flag");
    if (flag) {
      flag.addEventListener("click", function () {
        el.dataset.flagged = isFlagged(el) ? "false" : "true";
        flag.setAttribute("aria-pressed", el.dataset.flagged);
        schedule(el, 0);
      });
    }
    refreshNav(el);
  });

  // Answers typed before a lost connection or a reload go out again.
  var stored = JSON.parse(localStorage.getItem(storeKey) || "{}");
  Object.keys(stored).forEach(function (id) {
    var el = itemEl(id);
    if (el && stored[id].seq > parseInt(el.dataset.seq || "0", 10)) send(id, stored[id], 0);
    else forget(id, stored[id].seq);
  });

  var navToggle = document.getElementById("nav-toggle");
  var nav = document.getElementById("navigator");
  navToggle.addEventListener("click", function () {
    nav.hidden = !nav.hidden;
    navToggle.setAttribute("aria-expanded", String(!nav.hidden));
  });
  nav.addEventListener("click", function (e) { if (e.target.matches("a")) { nav.hidden = true; navToggle.setAttribute("aria-expanded", "false"); } });

  // -- countdown: the server's remaining seconds, counted on a monotonic clock --
  var endAt = performance.now() + parseInt(root.dataset.remaining, 10) * 1000;
  var warned = {};
  function tick() {
    var left = Math.max(0, Math.round((endAt - performance.now()) / 1000));
    timerEl.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    [[300, "还剩 5 分钟，请检查答案。"], [60, "还剩 1 分钟，时间到将自动交卷。"]].forEach(function (w) {
      if (left <= w[0] && left > 0 && !warned[w[0]]) {
        warned[w[0]] = true; alertEl.textContent = w[1]; alertEl.hidden = false;
      }
    });
    if (left === 0 && !finished) {
      // The server submits at its own deadline; the page only sends what is
      // pending and then asks for the result (which closes the attempt).
      finished = true;
      setStatus("时间到，系统正在自动交卷…", true);
      var toResult = function () { setTimeout(function () { window.location.href = resultUrl; }, 1500); };
      flush().then(toResult, toResult);
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();

  // -- submit: confirm, listing unanswered items -----------------------------
  var dialog = document.getElementById("confirm-submit");
  form.addEventListener("submit", function (e) {
    if (finished) return;
    e.preventDefault();
    var missing = items().filter(function (el) { return !isAnswered(el); }).map(function (el) {
      return el.id.replace("item-", "");
    });
    document.getElementById("confirm-unanswered").textContent = missing.length ?
      "还有 " + missing.length + " 题未作答：第 " + missing.join("、") + " 题。" : "全部题目均已作答。";
    if (dialog.showModal) dialog.showModal(); else if (window.confirm("确认交卷？")) go();
  });
  document.getElementById("confirm-cancel").addEventListener("click", function () { dialog.close(); });
  document.getElementById("confirm-ok").addEventListener("click", go);
  function go() {
    finished = true;
    if (dialog.open) dialog.close();
    setStatus("正在交卷…");
    flush().then(function () { form.submit(); }, function () { form.submit(); });
  }
})();
