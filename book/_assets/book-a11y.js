/* Accessibility fixes applied after the page and its widgets render (issue 24); loaded by
   book/_ext/book_html.py. Each fix is idempotent and re-run whenever nodes are added, since the
   widget manager renders the explorers after the page has loaded.

   - An explorer frame (ipywidgets Image) carries its alternative text, generated in Python by
     the code that drew it, as its tooltip (the title attribute): it becomes the img's alt.
   - An explorer's stack of frames is a polite live region, so a screen reader announces the
     new frame's alt text when a control moves.
   - A slider's handle (noUiSlider, role="slider") is named by the slider's visible label, and
     its value text is the readout (the value, not noUiSlider's option index); the readout is
     not a second, unnamed tab stop.
   - Theme buttons: the accessible name contains the visible text (search buttons are named by
     their content, "Search Ctrl+K"; the colour-mode icons are hidden from assistive technology,
     the button keeps its name "Color mode").
   - The bibliography list's entries are list items. */
(function () {
  "use strict";

  function frames(root) {
    root.querySelectorAll("img.widget-image[title]").forEach(function (img) {
      img.setAttribute("alt", img.getAttribute("title"));
    });
    root.querySelectorAll(".widget-vbox > .widget-container:last-child").forEach(
      function (stack) {
        if (!stack.querySelector("img.widget-image")) return;
        if (stack.parentElement.closest("[aria-live]")) return;
        stack.setAttribute("aria-live", "polite");
        stack.setAttribute("aria-atomic", "true");
        stack.setAttribute("role", "region");
        var label = stack.parentElement.querySelector(".widget-label");
        stack.setAttribute("aria-label", "figure" + (label ? " controlled by " +
          label.textContent.trim() : ""));
      });
  }

  function sliders(root) {
    root.querySelectorAll(".widget-slider, .widget-hslider").forEach(function (box) {
      var label = box.querySelector(".widget-label");
      var name = label ? label.textContent.trim() : "";
      var readout = box.querySelector(".widget-readout");
      var value = readout ? readout.textContent.trim() : "";
      box.querySelectorAll(".noUi-handle").forEach(function (handle) {
        if (name && handle.getAttribute("aria-label") !== name) {
          handle.setAttribute("aria-label", name);
        }
        // noUiSlider announces the option's index; the readout shows its value
        if (value && handle.getAttribute("aria-valuetext") !== value) {
          handle.setAttribute("aria-valuetext", value);
        }
        if (!handle.hasAttribute("tabindex")) handle.setAttribute("tabindex", "0");
      });
      // The readout of a selection slider repeats the handle's value: not a second, unnamed
      // tab stop (the handle is the control; arrows, Home and End move it).
      if (readout && readout.getAttribute("contenteditable") !== "false") {
        readout.setAttribute("contenteditable", "false");
        readout.setAttribute("aria-hidden", "true");
      }
    });
  }

  function theme(root) {
    root.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label");
    });
    root.querySelectorAll(".theme-switch-button i, .search-button-field i").forEach(
      function (icon) { icon.setAttribute("aria-hidden", "true"); });
    // Font Awesome turns each colour-mode icon into an <svg> with a <title> ("Light", "Dark",
    // "System Settings"): the visible one is the button's visible text, which its name
    // "Color mode" does not contain. The icons' titles go; the name states the mode.
    var modes = {light: "Light", dark: "Dark", auto: "System Settings"};
    root.querySelectorAll(".theme-switch-button").forEach(function (button) {
      button.querySelectorAll("svg title").forEach(function (t) { t.remove(); });
      button.querySelectorAll("svg[aria-labelledby]").forEach(function (svg) {
        svg.removeAttribute("aria-labelledby");
      });
      var mode = modes[document.documentElement.dataset.mode] || "";
      var name = "Color mode" + (mode ? ": " + mode : "");
      if (button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name);
    });
    root.querySelectorAll(".citation-list[role='list'] > .citation").forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  function fix() {
    frames(document);
    sliders(document);
    theme(document);
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(); });
  }

  function start() {
    fix();
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length || records[i].attributeName === "title" ||
            records[i].type === "characterData") {
          schedule();
          return;
        }
      }
    }).observe(document.body, {childList: true, subtree: true, characterData: true,
                               attributes: true, attributeFilter: ["title"]});
    new MutationObserver(schedule).observe(document.documentElement,
                                           {attributes: true, attributeFilter: ["data-mode"]});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
