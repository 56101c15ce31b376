/* luntan post editor — optional: every form works without this file.
   Shows the toolbar (BBCode or Markdown, following the format select), the smilies
   picker, the 回复 links that fill "@name " into the quick reply box, Ctrl+Enter to send,
   and clears the quick reply box after htmx appended the new floor. */
(function () {
  "use strict";

  var MD = {
    b: ["**", "**"], i: ["*", "*"], s: ["~~", "~~"], code: ["\n```\n", "\n```\n"]
  };

  function formatOf(editor) {
    var form = editor.closest("form");
    var select = form && form.querySelector("[data-format]");
    return select ? select.value : "bbcode";
  }

  function textareaOf(editor) {
    return editor.querySelector("textarea");
  }

  function replaceSelection(ta, text, selectFrom, selectTo) {
    var start = ta.selectionStart, end = ta.selectionEnd;
    ta.value = ta.value.slice(0, start) + text + ta.value.slice(end);
    ta.focus();
    var a = start + (selectFrom === undefined ? text.length : selectFrom);
    var b = start + (selectTo === undefined ? text.length : selectTo);
    ta.setSelectionRange(a, b);
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function wrap(ta, before, after) {
    var sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
    replaceSelection(ta, before + sel + after, before.length, before.length + sel.length);
  }

  function prefixLines(ta, prefix) {
    var sel = ta.value.slice(ta.selectionStart, ta.selectionEnd) || "";
    var lines = sel.split("\n").map(function (l) { return prefix + l; }).join("\n");
    replaceSelection(ta, lines);
  }

  function apply(editor, tag, value, prompt) {
    var ta = textareaOf(editor);
    if (!ta) { return; }
    var md = formatOf(editor) === "markdown";
    var sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
    if (tag === "url" || tag === "img") {
      var url = window.prompt(prompt || "URL", "https://");
      if (!url || url === "https://") { return; }
      if (tag === "url") {
        replaceSelection(ta, md ? "[" + (sel || url) + "](" + url + ")"
                                : (sel ? "[url=" + url + "]" + sel + "[/url]" : "[url]" + url + "[/url]"));
      } else {
        replaceSelection(ta, md ? "![" + sel + "](" + url + ")" : "[img]" + url + "[/img]");
      }
      return;
    }
    if (md) {
      if (tag === "quote") { prefixLines(ta, "> "); return; }
      if (tag === "list") { prefixLines(ta, "- "); return; }
      if (MD[tag]) { wrap(ta, MD[tag][0], MD[tag][1]); }
      return;
    }
    if (tag === "list") {
      var items = (sel || "").split("\n").map(function (l) { return "[*]" + l; }).join("\n");
      replaceSelection(ta, "[list]\n" + items + "\n[/list]", 8, 8 + items.length);
      return;
    }
    var open = value ? "[" + tag + "=" + value + "]" : "[" + tag + "]";
    wrap(ta, open, "[/" + tag + "]");
  }

  function syncMode(editor) {
    var md = formatOf(editor) === "markdown";
    editor.querySelectorAll("[data-bb-only]").forEach(function (el) { el.hidden = md; });
  }

  function setUp(editor) {
    if (editor.getAttribute("data-ready")) { return; }
    editor.setAttribute("data-ready", "1");
    var bar = editor.querySelector(".toolbar");
    if (bar) { bar.hidden = false; }
    syncMode(editor);
    var form = editor.closest("form");
    var select = form && form.querySelector("[data-format]");
    if (select) { select.addEventListener("change", function () { syncMode(editor); }); }
    editor.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tag], button[data-insert]");
      if (!button || !editor.contains(button)) { return; }
      event.preventDefault();
      var ta = textareaOf(editor);
      if (button.hasAttribute("data-insert")) {
        ta.setSelectionRange(ta.selectionEnd, ta.selectionEnd);  // insert, don't replace
        replaceSelection(ta, button.getAttribute("data-insert"));
        var details = button.closest("details");
        if (details) { details.open = false; }
        return;
      }
      apply(editor, button.getAttribute("data-tag"), "", button.getAttribute("data-prompt"));
    });
    editor.querySelectorAll("select[data-tag]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        if (sel.value) { apply(editor, sel.getAttribute("data-tag"), sel.value); }
        sel.value = "";
      });
    });
    var ta = textareaOf(editor);
    if (ta) {
      ta.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && ta.form) {
          event.preventDefault();
          var submit = ta.form.querySelector("button[type=submit]:not([name=preview])");
          if (submit) { submit.click(); }
        }
      });
    }
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-editor]").forEach(setUp);
    (root || document).querySelectorAll("[data-count-for]").forEach(function (out) {
      var input = document.getElementById(out.getAttribute("data-count-for"));
      var max = out.getAttribute("data-max");
      if (!input || out.getAttribute("data-ready")) { return; }
      out.setAttribute("data-ready", "1");
      var show = function () { out.textContent = input.value.length + "/" + max; };
      input.addEventListener("input", show);
      show();
    });
  }

  // 回复 on a floor: with the quick reply box on the page, write "@name " into it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.fl-reply") : null;
    var box = document.getElementById("fastpostmessage");
    if (!link || !box) { return; }
    event.preventDefault();
    var name = link.getAttribute("data-mention");
    if (name) {
      var mention = "@" + name + " ";
      if (box.value.indexOf(mention) === -1) {
        box.value = (box.value && !/\s$/.test(box.value) ? box.value + " " : box.value) + mention;
      }
    }
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.scrollIntoView({ block: "center" });
  });

  // The quick reply appended its floor: empty the box and show the new floor.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form || form.tagName !== "FORM") { return; }
    if (event.detail.xhr.status !== 200 || event.detail.xhr.getResponseHeader("HX-Retarget")) { return; }
    var ta = form.querySelector("textarea");
    if (ta) { ta.value = ""; }
    // attachments went with the floor: forget the chosen files and kept upload ids
    form.querySelectorAll("input[type=file]").forEach(function (f) { f.value = ""; });
    var kept = form.querySelector("input[name=attachments]");
    if (kept) { kept.value = ""; }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "postlist") {
      var floors = event.detail.target.querySelectorAll("article.floor");
      var last = floors[floors.length - 1];
      if (last) { last.scrollIntoView({ block: "nearest" }); }
    }
    // The whole page, not the swap target: an outerHTML swap (the quick reply box coming
    // back with a form error) replaces the target, so its new editor is elsewhere.
    setUpAll();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  } else {
    setUpAll();
  }
})();
