// A form sent back with errors shows a summary at its top: move focus there, so that the
// summary scrolls into view and screen readers read it out.
(function () {
  "use strict";

  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
