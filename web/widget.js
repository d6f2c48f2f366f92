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
 * Every piece of text from the server or the user is inserted with
 * textContent, never as HTML.
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
  var SESSION_KEY = "faqbot.session";
  var MAX_CHARS = 1000;

  var session = null;
  try {
    session = window.sessionStorage.getItem(SESSION_KEY);
  } catch (e) {
    session = null; // storage disabled: the conversation lasts for this page only
  }
  var started = false;
  var busy = false;

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
  document.head.appendChild(css);

  var root = el("div", "faqbot");
  var bubble = button("faqbot-bubble", null, "Open chat");
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
  var closeBtn = button("faqbot-close", "\u00d7", "Close chat");
  header.appendChild(title);
  header.appendChild(closeBtn);

  var log = el("div", "faqbot-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;

  var typing = el("p", "faqbot-typing", "Typing\u2026");
  typing.hidden = true;
  typing.setAttribute("aria-hidden", "true");

  var form = el("form", "faqbot-form");
  form.noValidate = true;
  var input = el("input", "faqbot-input");
  input.type = "text";
  input.maxLength = MAX_CHARS;
  input.autocomplete = "off";
  input.placeholder = "Type your question\u2026";
  input.setAttribute("aria-label", "Your question");
  var sendBtn = el("button", "faqbot-send", "Send");
  sendBtn.type = "submit";
  form.appendChild(input);
  form.appendChild(sendBtn);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function addUser(text) {
    var m = el("div", "faqbot-msg faqbot-msg-user");
    m.appendChild(el("p", "faqbot-text", text));
    log.appendChild(m);
    scrollDown();
  }

  function addBot(text, kind) {
    var m = el("div", "faqbot-msg faqbot-msg-bot");
    m.setAttribute("data-kind", kind || "info");
    m.appendChild(el("p", "faqbot-text", text));
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
      b.addEventListener("click", function () {
        send(item.title);
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

  function addFeedback(msg, reply) {
    var box = el("div", "faqbot-feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Was this helpful?");
    box.appendChild(el("span", "faqbot-feedback-q", "Was this helpful?"));
    var yes = button("faqbot-helpful", "Yes", "Yes, this was helpful");
    var no = button("faqbot-not-helpful", "No", "No, this was not helpful");
    function rate(helpful) {
      yes.disabled = true;
      no.disabled = true;
      postJson("/api/v1/feedback", {
        session: session,
        intent: reply.intent,
        input: reply.input,
        helpful: helpful
      })
        .then(function () {
          box.textContent = "";
          box.appendChild(el("span", "faqbot-feedback-thanks", "Thanks for your feedback!"));
          input.focus();
        })
        .catch(function () {
          yes.disabled = false;
          no.disabled = false;
        });
    }
    yes.addEventListener("click", function () {
      rate(true);
    });
    no.addEventListener("click", function () {
      rate(false);
    });
    box.appendChild(yes);
    box.appendChild(no);
    msg.appendChild(box);
  }

  function renderReply(reply) {
    var text = reply.answer !== null && reply.answer !== undefined
      ? reply.answer
      : withoutChoices(reply.text, reply.suggestions);
    var msg = addBot(text, reply.kind);
    if (reply.intent) {
      msg.setAttribute("data-intent", reply.intent);
    }
    // Clarifications and fallbacks already end with a lead-in line.
    var label = reply.kind === "answer" ? "Related questions" : "";
    addChoices(msg, label, reply.suggestions);
    if (reply.kind === "answer" && reply.intent) {
      addFeedback(msg, reply);
    }
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
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  function send(text) {
    text = String(text || "").trim();
    if (!text || busy) {
      return;
    }
    if (text.length > MAX_CHARS) {
      text = text.slice(0, MAX_CHARS);
    }
    addUser(text);
    input.value = "";
    setBusy(true);
    postJson("/api/v1/chat", { session: session, message: text })
      .then(function (reply) {
        session = reply.session;
        try {
          window.sessionStorage.setItem(SESSION_KEY, session);
        } catch (e) {
          /* storage disabled */
        }
        renderReply(reply);
      })
      .catch(function (err) {
        var msg = err && err.status
          ? "Sorry, something went wrong (" + err.message + "). Please try again."
          : "Sorry, I can't reach the server right now. Please try again.";
        addBot(msg, "error");
      })
      .then(function () {
        setBusy(false);
        input.focus();
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
        if (!data.title && menu.name) {
          title.textContent = menu.name;
        }
        var msg = addBot(menu.greeting || "Hi! Ask me a question.", "greeting");
        addChoices(msg, "Popular questions", (menu.intents || []).slice(0, 3));
      })
      .catch(function () {
        addBot("Hi! Ask me a question.", "greeting");
      });
  }

  function open() {
    panel.hidden = false;
    root.classList.add("faqbot-open");
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", "Close chat");
    if (!started) {
      start();
    }
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("faqbot-open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", "Open chat");
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
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    send(input.value);
  });

  function mount() {
    document.body.appendChild(root);
    if (data.open === "true") {
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
