/*!
 * faqbot chat widget. No build step, no dependencies.
 *
 * Embed with one tag:
 *   <script src="https://faqbot.example.com/widget.js" defer></script>
 *
 * Options, as data- attributes on that script tag:
 *   data-api="https://faqbot.example.com"  API base URL (default: where widget.js came from)
 *   data-title="Help"                      panel title (default: the bot's name)
 *   data-open="true"                       open the panel when the page loads
 *
 * What the user typed is inserted with textContent, never as HTML. Bot
 * answers come from the reply's `answer_html` (a handoff's text from its
 * `handoff_html`; both sanitised by the server with ammonia), parsed into an inert document with DOMParser and rebuilt node
 * by node from an allow-list (p, br, em,
 * strong, code, ul, ol, li, and a with an http/https/mailto/tel href), so
 * nothing else can reach the page even from a hostile server.
 *
 * A bare number the user types ("2", "2.") picks the choice button with that
 * number in the latest bot message, and the widget sends what clicking that
 * button sends (its title): the server's own numbering refers to the last
 * offer it remembers, which is gone once the conversation expired (idle or
 * a server restart), and the greeting's popular topics were never offered
 * by it. Only a number with no such button is sent as it is.
 *
 * The conversation (session id and transcript) is kept in sessionStorage:
 * after a reload the transcript is shown again, so a numbered choice always
 * refers to something the user can see. Without storage a reload starts a
 * new conversation. The widget's own texts come from the knowledge base's
 * bot.ron (`texts`), served by GET /api/v1/intents.
 */
(function () {
  "use strict";
  if (window.faqbotWidget) {
    return; // loaded twice
  }

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var base = data.api || (script && script.src ? new URL(script.src, location.href).origin : location.origin);
  base = base.replace(/\/+$/, "");
  var STATE_KEY = "faqbot.state.v1";
  // Longest message, in characters (Unicode code points, as the server
  // counts them); typing stops there and a counter shows it (limitInput).
  var MAX_CHARS = 1000;
  // Transcript entries kept across reloads (oldest dropped first).
  var MAX_ITEMS = 60;

  // English defaults; replaced by bot.ron's `texts` once the menu arrives.
  var texts = {
    placeholder: "Type your question\u2026",
    send: "Send",
    related: "Related questions",
    popular: "Popular topics",
    helpful: "Was this helpful?",
    yes: "Yes",
    no: "No",
    thanks: "Thanks for your feedback!",
    open: "Open chat",
    close: "Close chat",
    typing: "Typing\u2026",
    empty: "Please type a question.",
    error: "Sorry, something went wrong. Please try again.",
    offline: "Sorry, I can't reach the server right now. Please try again."
  };

  // { session: id or null, open: bool, items: [{user: text} | {reply: {...}}] }
  var state = loadState();
  var session = state.session;
  var started = false;
  var busy = false;
  // bot.ron's handoff text, from GET /api/v1/intents (shown after a "no"),
  // and as HTML with its phone number and addresses as links (null from
  // a server that does not send it).
  var handoffText = "";
  var handoffHtml = null;

  function loadState() {
    var empty = { session: null, open: false, items: [] };
    try {
      var raw = window.sessionStorage.getItem(STATE_KEY);
      var parsed = raw ? JSON.parse(raw) : null;
      var sid = parsed && (typeof parsed.session === "string" ? parsed.session : null);
      if (parsed && Array.isArray(parsed.items) && (sid || parsed.items.length === 0)) {
        return { session: sid, open: parsed.open === true, items: parsed.items };
      }
    } catch (e) {
      /* storage disabled or corrupt: a new conversation */
    }
    return empty;
  }

  function saveState() {
    state.session = session;
    if (state.items.length > MAX_ITEMS) {
      state.items = state.items.slice(state.items.length - MAX_ITEMS);
    }
    try {
      window.sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
    } catch (e) {
      /* storage disabled or full: the conversation lasts for this page only */
    }
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function button(className, text, label) {
    var b = el("button", className, text);
    b.type = "button";
    if (label) {
      b.setAttribute("aria-label", label);
    }
    return b;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  var css = el("link");
  css.rel = "stylesheet";
  css.href = base + "/widget.css";
  css.addEventListener("load", function () {
    // Restored before the styles arrived: scroll again with the real sizes.
    if (!panel.hidden) {
      scrollDown();
    }
  });
  document.head.appendChild(css);

  var root = el("div", "faqbot");
  var bubble = button("faqbot-bubble", null, texts.open);
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "faqbot-panel");
  bubble.appendChild(icon());

  var panel = el("section", "faqbot-panel");
  panel.id = "faqbot-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "faqbot-title");

  var header = el("header", "faqbot-header");
  var title = el("h2", "faqbot-title", data.title || "Help");
  title.id = "faqbot-title";
  var closeBtn = button("faqbot-close", "\u00d7", texts.close);
  header.appendChild(title);
  header.appendChild(closeBtn);

  var log = el("div", "faqbot-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;

  var typing = el("p", "faqbot-typing", texts.typing);
  typing.hidden = true;
  typing.setAttribute("aria-hidden", "true");

  var form = el("form", "faqbot-form");
  form.noValidate = true;
  var input = el("input", "faqbot-input");
  input.type = "text";
  // Not input.maxLength: it counts UTF-16 units (an emoji is two) and cuts
  // silently; limitInput counts code points and shows a counter.
  input.autocomplete = "off";
  input.placeholder = texts.placeholder;
  input.setAttribute("aria-label", "Your question");
  var sendBtn = el("button", "faqbot-send", texts.send);
  sendBtn.type = "submit";
  form.appendChild(input);
  form.appendChild(sendBtn);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  var counter = el("p", "faqbot-count");
  counter.id = "faqbot-count";
  counter.hidden = true;
  input.setAttribute("aria-describedby", counter.id);
  panel.appendChild(counter);
  // Enter (or Send) on an empty input: a hint above the input, texts.empty
  // from bot.ron, announced politely; not a message, so not in the
  // transcript and not sent. Typing or sending hides it.
  var hint = el("p", "faqbot-hint");
  hint.id = "faqbot-hint";
  hint.hidden = true;
  hint.setAttribute("role", "status");
  panel.appendChild(hint);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  // After a reply: the end of the log, but never past the reply's first
  // line, so an answer taller than the log is read from its start (on a
  // phone held sideways the log is ~280 px high). The log is the
  // messages' offsetParent (position: relative in widget.css).
  function reveal(msg) {
    log.scrollTop = Math.min(log.scrollHeight - log.clientHeight, msg.offsetTop - 8);
  }

  function addUser(text) {
    var m = el("div", "faqbot-msg faqbot-msg-user");
    m.appendChild(el("p", "faqbot-text", text));
    log.appendChild(m);
    scrollDown();
    return m;
  }

  function applyTexts(custom) {
    Object.keys(texts).forEach(function (k) {
      if (custom && typeof custom[k] === "string" && custom[k]) {
        texts[k] = custom[k];
      }
    });
    input.placeholder = texts.placeholder;
    sendBtn.textContent = texts.send;
    typing.textContent = texts.typing;
    closeBtn.setAttribute("aria-label", texts.close);
    bubble.setAttribute("aria-label", panel.hidden ? texts.open : texts.close);
  }

  function addBot(text, kind) {
    var m = el("div", "faqbot-msg faqbot-msg-bot");
    m.setAttribute("data-kind", kind || "info");
    m.appendChild(el("p", "faqbot-text", text));
    log.appendChild(m);
    scrollDown();
    return m;
  }

  // Elements an answer may contain; anything else is dropped (script,
  // style) or replaced by its text.
  var RICH = { P: 1, BR: 1, EM: 1, STRONG: 1, CODE: 1, UL: 1, OL: 1, LI: 1, A: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, SVG: 1, MATH: 1 };

  function copyRich(from, to, depth) {
    for (var n = from.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        to.appendChild(document.createTextNode(n.nodeValue));
      } else if (n.nodeType === 1 && !DROP[n.tagName.toUpperCase()] && depth < 20) {
        var tag = n.tagName.toUpperCase();
        if (!RICH[tag]) {
          copyRich(n, to, depth + 1);
          continue;
        }
        var e = document.createElement(tag.toLowerCase());
        if (tag === "A") {
          var href = n.getAttribute("href") || "";
          if (/^(https?:\/\/|mailto:|tel:)/i.test(href)) {
            e.setAttribute("href", href);
            e.setAttribute("target", "_blank");
            e.setAttribute("rel", "noopener");
          }
        } else if (tag === "OL") {
          var start = parseInt(n.getAttribute("start"), 10);
          if (start > 0) {
            e.setAttribute("start", String(start));
          }
        }
        copyRich(n, e, depth + 1);
        to.appendChild(e);
      }
    }
  }

  // The answer's sanitised HTML as DOM nodes: parsed into a separate, inert
  // document (no scripts run, nothing loads), then copied by the allow-list.
  function addBotHtml(html, kind) {
    var m = el("div", "faqbot-msg faqbot-msg-bot");
    m.setAttribute("data-kind", kind || "info");
    var box = el("div", "faqbot-text faqbot-rich");
    var inert = new DOMParser().parseFromString(String(html), "text/html");
    copyRich(inert.body, box, 0);
    m.appendChild(box);
    log.appendChild(m);
    scrollDown();
    return m;
  }

  function addChoices(msg, label, items) {
    if (!items || !items.length) {
      return;
    }
    var group = el("div", "faqbot-choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label || "Choices");
    if (label) {
      group.appendChild(el("p", "faqbot-choices-label", label));
    }
    items.forEach(function (item) {
      var b = button("faqbot-choice", item.title);
      b.setAttribute("data-intent", item.intent || item.id || "");
      // What a click sends (and a typed number of this choice, see choiceFor).
      b.value = item.title;
      b.addEventListener("click", function () {
        send(b.value);
      });
      group.appendChild(b);
    });
    msg.appendChild(group);
    scrollDown();
  }

  // The reply's `text` ends with the numbered choices; the widget shows
  // them as buttons instead, so drop those lines.
  function withoutChoices(text, suggestions) {
    var lines = String(text || "").split("\n");
    var numbered = {};
    (suggestions || []).forEach(function (s, i) {
      numbered[i + 1 + ". " + s.title] = true;
    });
    return lines
      .filter(function (l) {
        return !numbered[l];
      })
      .join("\n")
      .replace(/\s+$/, "");
  }

  function thanks(box) {
    box.textContent = "";
    box.appendChild(el("span", "faqbot-feedback-thanks", texts.thanks));
  }

  function addFeedback(msg, reply, item) {
    var box = el("div", "faqbot-feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", texts.helpful);
    msg.appendChild(box);
    if (item && item.rated) {
      thanks(box);
      return;
    }
    box.appendChild(el("span", "faqbot-feedback-q", texts.helpful));
    var yes = button("faqbot-helpful", texts.yes, texts.helpful + " " + texts.yes);
    var no = button("faqbot-not-helpful", texts.no, texts.helpful + " " + texts.no);
    function rate(helpful) {
      yes.disabled = true;
      no.disabled = true;
      function done() {
        thanks(box);
        if (item) {
          item.rated = true;
          saveState();
        }
        // A "no" is not a dead end: the bot says how to reach a person
        // (bot.ron's handoff text), kept in the transcript like a reply.
        if (!helpful && handoffText) {
          var help = {
            kind: "handoff",
            intent: null,
            top_kind: null,
            input: null,
            text: handoffText,
            answer: null,
            answer_html: null,
            handoff_html: handoffHtml,
            suggestions: []
          };
          var kept = { reply: help };
          state.items.push(kept);
          saveState();
          reveal(renderReply(help, kept));
        }
        input.focus();
      }
      // When it was not recorded (the conversation expired: 404, or the
      // server cannot be reached) there is nothing the user can do about
      // it: the same neutral thanks, not buttons that seem to do nothing.
      postJson("/api/v1/feedback", {
        session: session,
        intent: reply.intent,
        input: reply.input,
        helpful: helpful
      }).then(done, done);
    }
    yes.addEventListener("click", function () {
      rate(true);
    });
    no.addEventListener("click", function () {
      rate(false);
    });
    box.appendChild(yes);
    box.appendChild(no);
  }

  // The parts of a reply the transcript keeps.
  function keep(reply) {
    return {
      kind: reply.kind,
      intent: reply.intent,
      top_kind: reply.top_kind,
      input: reply.input,
      text: reply.text,
      answer: reply.answer,
      answer_html: reply.answer_html,
      handoff_html: reply.handoff_html,
      suggestions: reply.suggestions
    };
  }

  function renderReply(reply, item) {
    var msg;
    if (typeof reply.answer_html === "string") {
      msg = addBotHtml(reply.answer_html, reply.kind);
    } else if (typeof reply.handoff_html === "string") {
      // The handoff text with its phone number and addresses as links
      // (the message without the choices, which come as buttons below).
      msg = addBotHtml(reply.handoff_html, reply.kind);
    } else {
      var text = reply.answer !== null && reply.answer !== undefined
        ? reply.answer
        : withoutChoices(reply.text, reply.suggestions);
      msg = addBot(text, reply.kind);
    }
    if (reply.intent) {
      msg.setAttribute("data-intent", reply.intent);
    }
    // Clarifications, fallbacks and a greeting without small talk (an
    // answer without an intent) already end with a lead-in line; an
    // answer's heading is the server's (`suggestions_label`: "Popular
    // topics" under a greeting intent, "Related questions" under an FAQ
    // answer), texts.related from a server that does not send one.
    var label = reply.kind === "answer" && reply.intent
      ? reply.suggestions_label || texts.related
      : "";
    addChoices(msg, label, reply.suggestions);
    // "Was this helpful?" only under FAQ answers: on an answer `top_kind` is
    // the kind of its intent, "small_talk" for hi, thanks and bye.
    if (reply.kind === "answer" && reply.intent && reply.top_kind === "faq") {
      addFeedback(msg, reply, item);
    }
    return msg;
  }

  function postJson(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().then(
        function (json) {
          if (!res.ok) {
            var err = new Error((json && json.error && json.error.message) || "request failed");
            err.status = res.status;
            throw err;
          }
          return json;
        },
        function () {
          var err = new Error("request failed");
          err.status = res.status;
          throw err;
        }
      );
    });
  }

  function setBusy(on) {
    busy = on;
    sendBtn.disabled = on;
    typing.hidden = !on;
    if (on) {
      // The indicator takes room from the log: keep its end in view, so it
      // does not cover the message just sent.
      scrollDown();
    }
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  // The message a typed bare number stands for: the title of the choice
  // button with that number (1-based) in the latest bot message, as
  // clicking it would send; null when the text is no bare number or there
  // is no such button (then the number itself is sent).
  function choiceFor(text) {
    var m = /^\s*(\d{1,3})\s*\.?\s*$/.exec(text);
    if (!m) {
      return null;
    }
    var bots = log.querySelectorAll(".faqbot-msg-bot:not([data-kind=error])");
    var last = bots[bots.length - 1];
    var choices = last ? last.querySelectorAll("button.faqbot-choice") : [];
    var n = parseInt(m[1], 10);
    return n >= 1 && n <= choices.length ? choices[n - 1].value : null;
  }

  // Sends `text` as the user's message. `typed` is the input's text when
  // it was typed there: the transcript shows it (the number typed for a
  // choice) and the input is cleared. A click on a choice leaves the input
  // alone, so a half-typed message survives it.
  function send(text, typed) {
    text = String(text || "").trim();
    if (!text || busy) {
      return;
    }
    if (Array.from(text).length > MAX_CHARS) {
      // Never inside a surrogate pair (an emoji).
      text = Array.from(text).slice(0, MAX_CHARS).join("");
    }
    var shown = typed ? String(typed).trim() : text;
    var mine = addUser(shown);
    if (typed) {
      setInput("");
    }
    setBusy(true);
    var restored = false;
    postJson("/api/v1/chat", { session: session, message: text })
      .then(function (reply) {
        // A new id means a new conversation on the server (first message,
        // or the old one expired); the transcript on screen stays, and so
        // it does across reloads.
        session = reply.session;
        var item = { reply: keep(reply) };
        state.items.push({ user: shown });
        state.items.push(item);
        saveState();
        reveal(renderReply(reply, item));
      })
      .catch(function (err) {
        // The widget's own short texts (translated in bot.ron), never the
        // server's English error message. The message is not lost: it goes
        // back into the input to send again (unless the user has started
        // typing something else), selected, so Enter sends it again and
        // typing replaces it (a next question typed after it was glued to
        // it); its bubble is marked as not sent.
        mine.classList.add("faqbot-msg-failed");
        addBot(err && err.status ? texts.error : texts.offline, "error");
        if (!input.value) {
          setInput(shown);
          restored = true;
        }
      })
      .then(function () {
        setBusy(false);
        input.focus();
        if (restored) {
          input.select();
        }
      });
  }

  function start() {
    started = true;
    fetch(base + "/api/v1/intents")
      .then(function (res) {
        if (!res.ok) {
          throw new Error("intents");
        }
        return res.json();
      })
      .then(function (menu) {
        applyTexts(menu.texts);
        handoffText = typeof menu.handoff === "string" ? menu.handoff : "";
        handoffHtml = typeof menu.handoff_html === "string" ? menu.handoff_html : null;
        if (!data.title && menu.name) {
          title.textContent = menu.name;
        }
        var msg = addBot(menu.greeting || "Hi! Ask me a question.", "greeting");
        addChoices(msg, texts.popular, (menu.intents || []).slice(0, 3));
        restore();
      })
      .catch(function (err) {
        // From a page of another origin, a refused CORS request fails
        // like a network error (a TypeError), and the page still looks
        // fine until the first message fails: say what to check, in the
        // console where the browser's own CORS error is (trial 51).
        if (base !== location.origin && err instanceof TypeError && window.console) {
          console.warn(
            "faqbot widget: cannot load " + base + "/api/v1/intents from this page (origin " +
              location.origin + "). If the console shows a CORS error, start the server with " +
              "`faqbot serve --cors-origin " + location.origin + "`."
          );
        }
        addBot("Hi! Ask me a question.", "greeting");
        restore();
      });
  }

  // Shows the transcript kept from before a reload.
  function restore() {
    state.items.forEach(function (item) {
      if (item && typeof item.user === "string") {
        addUser(item.user);
      } else if (item && item.reply && typeof item.reply === "object") {
        renderReply(item.reply, item);
      }
    });
    // The choices and feedback rows are added after each message scrolled.
    scrollDown();
  }

  function open() {
    panel.hidden = false;
    root.classList.add("faqbot-open");
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", texts.close);
    state.open = true;
    saveState();
    if (!started) {
      start();
    }
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("faqbot-open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", texts.open);
    state.open = false;
    saveState();
    bubble.focus();
  }

  bubble.addEventListener("click", function () {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  });
  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
  // The input's text before the latest edit, to tell what the edit added.
  var lastValue = "";

  // Keeps the input at MAX_CHARS code points: of what an edit added
  // (typed or pasted) only as much as fits is kept, cut between code
  // points, never inside an emoji's surrogate pair. Near the limit a
  // counter ("950/1000") shows how much is left; at the limit it is
  // highlighted, so a paste cut short does not go unnoticed.
  function limitInput() {
    var now = Array.from(input.value);
    if (now.length > MAX_CHARS) {
      var was = Array.from(lastValue);
      var p = 0; // code points the edit left alone at the start
      while (p < was.length && p < now.length && was[p] === now[p]) {
        p++;
      }
      var q = 0; // and at the end
      while (q < was.length - p && q < now.length - p && was[was.length - 1 - q] === now[now.length - 1 - q]) {
        q++;
      }
      var added = now.slice(p, now.length - q).slice(0, Math.max(0, MAX_CHARS - p - q));
      var head = now.slice(0, p).concat(added);
      now = head.concat(now.slice(now.length - q)).slice(0, MAX_CHARS);
      input.value = now.join("");
      var caret = Math.min(head.join("").length, input.value.length);
      input.setSelectionRange(caret, caret);
    }
    lastValue = input.value;
    counter.textContent = now.length + "/" + MAX_CHARS;
    var atEnd = log.scrollHeight - log.clientHeight - log.scrollTop < 2;
    counter.hidden = now.length < MAX_CHARS - 100;
    if (atEnd) {
      scrollDown(); // the counter line takes its room from the log
    }
    counter.classList.toggle("faqbot-count-full", now.length >= MAX_CHARS);
  }

  function setInput(value) {
    input.value = value;
    limitInput();
  }

  function showHint(show) {
    if (show) {
      hint.textContent = texts.empty;
    }
    if (hint.hidden === !show) {
      return;
    }
    var atEnd = log.scrollHeight - log.clientHeight - log.scrollTop < 2;
    hint.hidden = !show;
    if (atEnd) {
      scrollDown(); // the hint takes its room from the log
    }
  }

  input.addEventListener("input", function (e) {
    showHint(false);
    if (!e.isComposing) {
      limitInput();
    }
  });
  input.addEventListener("compositionend", limitInput);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var typed = input.value;
    if (!typed.trim()) {
      showHint(true);
      input.focus();
      return;
    }
    showHint(false);
    var picked = choiceFor(typed);
    send(picked || typed, typed);
  });

  function mount() {
    document.body.appendChild(root);
    if (data.open === "true" || state.open) {
      open();
    }
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }

  window.faqbotWidget = { open: open, close: close, send: send };
})();
