// Live case notes: notes written by others appear without a reload, and presence shows who else
// has the case open. The page renders the latest notes; this script asks the server for those
// after the last sequence number it has seen, on every (re)connect, and skips any note already
// shown, so each note appears exactly once. Text goes in with textContent, never as HTML.
// "Show earlier notes" works as a link without JavaScript; here it fetches that page of earlier
// notes and puts them in place above the others.
(function () {
  "use strict";

  const FIRST_RETRY_MS = 1000;
  const LONGEST_RETRY_MS = 15000;
  // The server closes with these when the user may no longer see the case: retrying cannot help.
  const FINAL_CLOSE_CODES = [4401, 4403];

  function slot(element, name) {
    return element.querySelector('[data-slot="' + name + '"]');
  }

  // A live note's time as the server wrote it for this page's language, like the notes the page came with.
  function showTime(element, isoString, text) {
    element.setAttribute("datetime", isoString);
    element.textContent = text;
  }

  function CaseNotes(panel) {
    this.panel = panel;
    this.list = panel.querySelector("[data-notes-list]");
    this.noteTemplate = panel.querySelector("[data-note-template]");
    this.presenceList = panel.querySelector("[data-presence-list]");
    this.presenceTemplate = panel.querySelector("[data-presence-template]");
    this.status = panel.querySelector("[data-live-status]");
    this.newNote = panel.querySelector("[data-new-note]");
    this.lastSequence = Number(panel.dataset.lastSequence) || 0;
    this.earlier = panel.querySelector("[data-earlier-notes]");
    this.earlier.addEventListener("click", (event) => {
      const link = event.target.closest("[data-earlier-link]");
      if (link) {
        event.preventDefault();
        this.loadEarlier(link);
      }
    });
    this.viewers = new Map();
    this.retryMs = FIRST_RETRY_MS;
  }

  CaseNotes.prototype.socketUrl = function () {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + this.panel.dataset.socketPath;
  };

  CaseNotes.prototype.setState = function (state) {
    this.panel.dataset.liveState = state;
    const text = this.status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)];
    if (text) {
      this.status.textContent = text;
    }
  };

  CaseNotes.prototype.connect = function () {
    const socket = new WebSocket(this.socketUrl());
    socket.addEventListener("open", () => {
      this.retryMs = FIRST_RETRY_MS;
      this.setState("open");
      socket.send(JSON.stringify({ type: "catch_up", after: this.lastSequence }));
    });
    socket.addEventListener("message", (event) => this.receive(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => this.closed(event.code));
  };

  CaseNotes.prototype.closed = function (code) {
    this.viewers.clear();
    this.showViewers();
    if (FINAL_CLOSE_CODES.includes(code)) {
      this.setState("closed");
      return;
    }
    this.setState("reconnecting");
    window.setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
  };

  CaseNotes.prototype.receive = function (message) {
    if (message.type === "note") {
      this.addNote(message);
    } else if (message.type === "presence") {
      this.updateViewers(message);
    }
  };

  CaseNotes.prototype.addNote = function (note) {
    this.lastSequence = Math.max(this.lastSequence, note.sequence);
    if (document.getElementById("note-" + note.id)) {
      return;
    }
    const item = this.noteTemplate.content.firstElementChild.cloneNode(true);
    item.id = "note-" + note.id;
    item.dataset.noteId = note.id;
    item.dataset.sequence = String(note.sequence);
    item.classList.toggle("case-note-private", note.visibility === "organisation");
    slot(item, "sequence").textContent = String(note.sequence);
    slot(item, "author").textContent = note.author;
    slot(item, "organisation").textContent = note.organisation;
    showTime(slot(item, "created_at"), note.created_at, note.created_at_text);
    if (note.visibility === "organisation") {
      slot(item, "private").hidden = false;
    } else {
      slot(item, "private").remove();
    }
    slot(item, "body").textContent = note.body;
    this.linkAmendment(item, note);
    this.insertInOrder(item, note.sequence);
    this.panel.querySelector("[data-no-notes]").hidden = true;
    this.pointTo(item);
  };

  // A note arriving below the visible part of the page gets a notice that links to it, until it is seen.
  CaseNotes.prototype.pointTo = function (item) {
    if (item.getBoundingClientRect().top < window.innerHeight) {
      return;
    }
    this.newNote.querySelector("[data-new-note-link]").setAttribute("href", "#" + item.id);
    this.newNote.hidden = false;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        this.newNote.hidden = true;
        observer.disconnect();
      }
    });
    observer.observe(item);
  };

  CaseNotes.prototype.linkAmendment = function (item, note) {
    const amended = note.amends ? document.getElementById("note-" + note.amends) : null;
    if (!amended) {
      return;
    }
    slot(item, "amends").hidden = false;
    slot(item, "amends-link").setAttribute("href", "#" + amended.id);
    slot(item, "amends-sequence").textContent = amended.dataset.sequence;
    const backLink = document.createElement("a");
    backLink.setAttribute("href", "#note-" + note.id);
    backLink.textContent = "#" + note.sequence;
    slot(amended, "amendment-links").append(backLink, " ");
    slot(amended, "amended-by").hidden = false;
  };

  CaseNotes.prototype.insertInOrder = function (item, sequence) {
    const later = Array.from(this.list.children).find((other) => Number(other.dataset.sequence) > sequence);
    this.list.insertBefore(item, later || null);
  };

  // The earlier notes come from the page the link leads to, rendered by the server like these.
  CaseNotes.prototype.loadEarlier = function (link) {
    if (link.getAttribute("aria-busy") === "true") {
      return;
    }
    const label = link.textContent;
    link.setAttribute("aria-busy", "true");
    link.textContent = link.dataset.textLoading;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then((html) => this.showEarlier(new DOMParser().parseFromString(html, "text/html")))
      .catch(() => {
        window.location.assign(link.href);
      })
      .finally(() => {
        link.removeAttribute("aria-busy");
        link.textContent = label;
      });
  };

  CaseNotes.prototype.showEarlier = function (page) {
    const first = this.list.firstElementChild;
    page.querySelectorAll("[data-notes-list] > [data-note-id]").forEach((item) => {
      if (!document.getElementById(item.id)) {
        const note = document.importNode(item, true);
        note.querySelectorAll('[data-slot="created_at"]').forEach((time) => showTime(time, time.getAttribute("datetime")));
        this.list.insertBefore(note, first);
      }
    });
    const more = page.querySelector("[data-earlier-notes]");
    this.earlier.hidden = !more || more.hidden;
    if (more) {
      this.earlier.querySelector("[data-earlier-link]").setAttribute("href", more.querySelector("[data-earlier-link]").getAttribute("href"));
    }
    this.linkInPlace();
  };

  // Links to a note now on this page stop going to the page of earlier notes.
  CaseNotes.prototype.linkInPlace = function () {
    this.list.querySelectorAll('a[href^="?before="]').forEach((link) => {
      const anchor = link.getAttribute("href").split("#")[1];
      if (anchor && document.getElementById(anchor)) {
        link.setAttribute("href", "#" + anchor);
      }
    });
  };

  CaseNotes.prototype.updateViewers = function (message) {
    const count = this.viewers.get(message.user_id)?.count || 0;
    const change = message.state === "leave" ? -1 : 1;
    if (count + change > 0) {
      this.viewers.set(message.user_id, { name: message.user, count: count + change });
    } else {
      this.viewers.delete(message.user_id);
    }
    this.showViewers();
  };

  CaseNotes.prototype.showViewers = function () {
    const items = Array.from(this.viewers.values()).map((viewer) => {
      const item = this.presenceTemplate.content.firstElementChild.cloneNode(true);
      slot(item, "name").textContent = viewer.name;
      return item;
    });
    this.presenceList.replaceChildren(...items);
  };

  document.querySelectorAll("[data-case-notes]").forEach((panel) => new CaseNotes(panel).connect());
})();
