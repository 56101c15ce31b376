/* luntan human check (人机验证), the page side. Each .lt-captcha box carries a signed
 * challenge (data-challenge: algorithm, challenge, salt, signature, maxnumber) from the
 * server. A click on the bar, or submitting the form, searches the number n with
 * SHA-256(salt + n) == challenge in a Web Worker (captcha-sha256.js; in slices on the
 * page when workers are unavailable), then writes the ALTCHA payload (base64 JSON) into the
 * hidden input the server checks. Failures and a search that takes too long show a message
 * and a retry, never an endless spinner. Runs again for boxes that htmx swaps in. */
(function () {
  "use strict";
  if (window.luntanCaptcha) { window.luntanCaptcha.init(document); return; }
  var TIME_LIMIT_MS = 30000;

  function setState(box, state, text) {
    box.setAttribute("data-state", state);
    var label = box.querySelector(".lt-captcha-label");
    if (label) label.textContent = text;
    var bar = box.querySelector(".lt-captcha-bar");
    if (bar) bar.setAttribute("aria-pressed", state === "verified" ? "true" : "false");
  }

  function searchInWorker(box, ch, done) {
    var worker;
    try { worker = new Worker(box.getAttribute("data-worker")); } catch (e) { return false; }
    var timer = setTimeout(function () { worker.terminate(); done(null, "timeout"); }, TIME_LIMIT_MS);
    worker.onmessage = function (event) { clearTimeout(timer); worker.terminate(); done(event.data.number, null); };
    worker.onerror = function (event) {
      if (event && event.preventDefault) event.preventDefault();
      clearTimeout(timer); worker.terminate(); done(null, "error");
    };
    worker.postMessage({ salt: ch.salt, challenge: ch.challenge, max: ch.maxnumber });
    return true;
  }

  function searchOnPage(url, ch, done) {
    var started = Date.now(), from = 0, step = 5000;
    function slice() {
      if (typeof self.luntanCaptchaSearch !== "function") { done(null, "error"); return; }
      var to = Math.min(from + step, ch.maxnumber + 1);
      var found = self.luntanCaptchaSearch(ch.salt, ch.challenge, from, to);
      if (found >= 0) { done(found, null); return; }
      if (to > ch.maxnumber) { done(null, "error"); return; }
      if (Date.now() - started > TIME_LIMIT_MS) { done(null, "timeout"); return; }
      from = to; setTimeout(slice, 0);
    }
    if (typeof self.luntanCaptchaSearch === "function") { slice(); return; }
    var script = document.createElement("script");
    script.src = url; script.onload = slice; script.onerror = function () { done(null, "error"); };
    document.head.appendChild(script);
  }

  function solve(box, then) {
    var state = box.getAttribute("data-state");
    if (state === "error") state = "unverified";
    if (state === "verified") { if (then) then(); return; }
    if (then) box._luntanThen = then;
    if (state === "verifying") return;
    var strings = JSON.parse(box.getAttribute("data-strings"));
    var ch;
    try { ch = JSON.parse(box.getAttribute("data-challenge")); } catch (e) { setState(box, "error", strings.error); return; }
    var expires = /[?&]expires=(\d+)/.exec(ch.salt);
    if (expires && Number(expires[1]) * 1000 < Date.now()) { setState(box, "error", strings.expired); return; }
    setState(box, "verifying", strings.verifying);
    var started = Date.now();
    function done(number, problem) {
      if (number === null || number === undefined) {
        setState(box, "error", problem === "timeout" ? strings.timeout : strings.error);
        box._luntanThen = null;
        return;
      }
      var payload = { algorithm: ch.algorithm, challenge: ch.challenge, number: number,
        salt: ch.salt, signature: ch.signature, took: Date.now() - started };
      box.querySelector("input[type=hidden]").value = btoa(JSON.stringify(payload));
      setState(box, "verified", strings.verified);
      var next = box._luntanThen; box._luntanThen = null;
      if (next) next();
    }
    if (!(window.Worker && searchInWorker(box, ch, done))) searchOnPage(box.getAttribute("data-worker"), ch, done);
  }

  function init(root) {
    var boxes = (root.querySelectorAll ? root : document).querySelectorAll(".lt-captcha:not([data-ready])");
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute("data-ready", "1");
      var bar = box.querySelector(".lt-captcha-bar");
      bar.hidden = false;
      bar.addEventListener("click", function () {
        solve(box, null);
      });
      var form = box.closest("form");
      if (!form) return;
      form.addEventListener("submit", function (event) {
        if (box.getAttribute("data-state") === "verified") return;
        event.preventDefault();
        event.stopImmediatePropagation();
        var submitter = event.submitter;
        solve(box, function () {
          if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
        });
      }, true);
    });
  }

  window.luntanCaptcha = { init: init, solve: solve };
  init(document);
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
