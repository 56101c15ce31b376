/* The avatar cropper of the settings page (设置 → 头像): a square box over the chosen
 * image, dragged to move and by its corner handle (or the arrow keys, with Shift to
 * resize) to resize. It writes the square, in pixels of the image, into the form's
 * crop_x / crop_y / crop_side fields; the server cuts exactly that (luntan.members.avatars).
 * Without JavaScript the fields stay empty and the server takes the centred square. */
(function () {
  "use strict";
  function init(form) {
    var input = form.querySelector('input[type="file"][name="avatar"]');
    var wrap = form.querySelector(".avatar-crop");
    var img = form.querySelector(".crop-image");
    var box = form.querySelector(".crop-box");
    var fx = form.querySelector('input[name="crop_x"]');
    var fy = form.querySelector('input[name="crop_y"]');
    var fs = form.querySelector('input[name="crop_side"]');
    if (!input || !wrap || !img || !box) return;
    var state = { x: 0, y: 0, side: 0, w: 0, h: 0, scale: 1 };
    var objectUrl = null;

    function write() {
      var s = state.scale;
      box.style.left = state.x * s + "px";
      box.style.top = state.y * s + "px";
      box.style.width = box.style.height = state.side * s + "px";
      fx.value = Math.round(state.x);
      fy.value = Math.round(state.y);
      fs.value = Math.round(state.side);
    }
    function clamp() {
      var min = Math.min(16, state.w, state.h);
      state.side = Math.max(min, Math.min(state.side, state.w, state.h));
      state.x = Math.max(0, Math.min(state.x, state.w - state.side));
      state.y = Math.max(0, Math.min(state.y, state.h - state.side));
    }
    function layout() {
      if (!state.w) return;
      state.scale = img.clientWidth / state.w || 1;
      write();
    }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      fx.value = fy.value = fs.value = "";
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      if (!file) { wrap.hidden = true; return; }
      objectUrl = URL.createObjectURL(file);
      img.onload = function () {
        state.w = img.naturalWidth;
        state.h = img.naturalHeight;
        state.side = Math.min(state.w, state.h);
        state.x = (state.w - state.side) / 2;
        state.y = (state.h - state.side) / 2;
        wrap.hidden = false;
        layout();
      };
      img.onerror = function () { wrap.hidden = true; };
      img.src = objectUrl;
    });
    window.addEventListener("resize", layout);

    var drag = null;
    box.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      box.setPointerCapture(e.pointerId);
      drag = {
        resize: e.target.classList.contains("crop-handle"),
        px: e.clientX, py: e.clientY, x: state.x, y: state.y, side: state.side
      };
    });
    box.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = (e.clientX - drag.px) / state.scale;
      var dy = (e.clientY - drag.py) / state.scale;
      if (drag.resize) {
        state.side = drag.side + Math.max(dx, dy);
        state.x = drag.x; state.y = drag.y;
      } else {
        state.x = drag.x + dx; state.y = drag.y + dy;
      }
      clamp();
      write();
    });
    function end() { drag = null; }
    box.addEventListener("pointerup", end);
    box.addEventListener("pointercancel", end);
    box.addEventListener("keydown", function (e) {
      var step = Math.max(1, Math.round(Math.min(state.w, state.h) / 50));
      var d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
      if (!d) return;
      e.preventDefault();
      if (e.shiftKey) state.side += d[0] + d[1];
      else { state.x += d[0]; state.y += d[1]; }
      clamp();
      write();
    });
  }
  function start() {
    var forms = document.querySelectorAll("form.avatar-form");
    for (var i = 0; i < forms.length; i++) init(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
