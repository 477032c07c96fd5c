// The signed-in user's own events (/ws/me/): a notice with a count when a referral step or a
// missed check-in concerns them. The events carry ids only; the linked pages show the rest. A page
// showing that referral's status (data-live-referral) reloads the status from the server in place;
// the inbox (data-live-inbox) reloads its list and its counts per status (data-live-inbox-counts),
// with the filters shown, through the same page.
(function () {
  "use strict";

  const FIRST_RETRY_MS = 2000;
  const LONGEST_RETRY_MS = 60000;
  const FINAL_CLOSE_CODES = [4401, 4403];
  const root = document.querySelector("[data-user-events]");
  if (!root) {
    return;
  }
  const counts = { referral: 0, alert: 0 };
  // Latin digits grouped the page language's way, as the server writes numbers (local_number).
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { numberingSystem: "latn" });
  let retryMs = FIRST_RETRY_MS;

  function show(kind) {
    const notice = root.querySelector('[data-live-notice="' + kind + '"]');
    if (!notice) {
      return;
    }
    counts[kind] += 1;
    notice.querySelector("[data-count]").textContent = numbers.format(counts[kind]);
    notice.hidden = false;
  }

  function refreshReferral(referralId) {
    const shown = document.querySelector('[data-live-referral="' + referralId + '"]');
    if (!shown) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .querySelector('[data-live-referral="' + referralId + '"]');
        if (fresh) {
          shown.replaceWith(fresh);
        }
      })
      .catch(() => {}); // the notice above still tells of the news; a reload shows it
  }

  function focusedHref(list) {
    const focused = document.activeElement;
    return focused && list.contains(focused) ? focused.getAttribute("href") : null;
  }

  function refocus(list, href) {
    const link = href && [...list.querySelectorAll("a[href]")].find((a) => a.getAttribute("href") === href);
    if (link) {
      link.focus();
    }
  }

  // The count heading stays in place (it is the polite live region); only its text and the list change.
  function refreshInbox() {
    const shown = document.querySelector("[data-live-inbox]");
    if (!shown) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Portal-Fragment": "list" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const freshPage = new DOMParser().parseFromString(html, "text/html");
        const fresh = freshPage.querySelector("[data-live-inbox]");
        if (!fresh) {
          return;
        }
        const counts = document.querySelector("[data-live-inbox-counts]");
        const freshCounts = freshPage.querySelector("[data-live-inbox-counts]");
        if (counts && freshCounts) {
          const countsHref = focusedHref(counts);
          counts.replaceWith(freshCounts);
          refocus(freshCounts, countsHref);
        }
        const list = shown.querySelector("[data-live-inbox-list]");
        const href = focusedHref(list);
        const freshList = fresh.querySelector("[data-live-inbox-list]");
        list.replaceWith(freshList);
        refocus(freshList, href);
        shown.querySelector("#results-heading").textContent = fresh.querySelector("#results-heading").textContent;
      })
      .catch(() => {}); // the notice above still tells of the news; a reload shows it
  }

  function receive(message) {
    show(message.type);
    if (message.type === "referral") {
      refreshReferral(message.referral);
      refreshInbox();
    }
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + window.location.host + root.dataset.userEvents);
    socket.addEventListener("open", () => {
      retryMs = FIRST_RETRY_MS;
      root.dataset.liveState = "open";
    });
    socket.addEventListener("message", (event) => receive(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      root.dataset.liveState = "closed";
      if (!FINAL_CLOSE_CODES.includes(event.code)) {
        window.setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
      }
    });
  }

  connect();
})();
