// Atrium's only script: copy buttons, the search box's suggestions and syntax highlighting. The pages work without
// it. Text from the server is only ever set with textContent, never parsed as HTML.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => {
    const label = button.textContent;
    button.textContent = "copied";
    setTimeout(() => { button.textContent = label; }, 1200);
  });
});

// Quick search: suggestions from /api/quicksearch as the user types; arrows and Enter pick one.
(() => {
  const input = document.querySelector("input[data-quicksearch]");
  const list = input && document.getElementById(input.getAttribute("aria-controls"));
  if (!input || !list) return;
  let timer = 0;
  let seq = 0;
  const prefix = { models: "/", datasets: "/datasets/", spaces: "/spaces/" };
  const hide = () => { list.hidden = true; list.replaceChildren(); };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { hide(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      const res = await fetch("/api/quicksearch?limit=5&q=" + encodeURIComponent(q));
      if (!res.ok || mine !== seq) return;
      const data = await res.json();
      list.replaceChildren();
      for (const kind of ["models", "datasets", "spaces"]) {
        for (const item of data[kind] || []) {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = prefix[kind] + item.id;
          a.textContent = item.id;
          a.setAttribute("role", "option");
          const tag = document.createElement("span");
          tag.className = "kind";
          tag.textContent = kind.slice(0, -1);
          a.append(tag);
          li.append(a);
          list.append(li);
        }
      }
      list.hidden = list.children.length === 0;
    }, 120);
  });
  input.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    if (list.hidden || links.length === 0) return;
    const current = links.findIndex((a) => a.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = (current + (event.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
      links.forEach((a, i) => a.setAttribute("aria-selected", String(i === next)));
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      location.href = links[current].href;
    } else if (event.key === "Escape") {
      hide();
    }
  });
  document.addEventListener("click", (event) => { if (!list.contains(event.target) && event.target !== input) hide(); });
})();

// Syntax highlighting: comments, strings, numbers and keywords, enough to read code at a glance.
(() => {
  const KEYWORDS = {
    python: "and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield",
    javascript: "async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof let new null return super switch this throw true try typeof undefined var void while yield",
    bash: "case do done elif else esac export fi for function if in local return then until while",
    json: "true false null",
    yaml: "true false null yes no",
  };
  const COMMENT = { python: "#", bash: "#", yaml: "#", javascript: "//" };
  function highlight(code, language) {
    const words = new Set((KEYWORDS[language] || "").split(" ").filter(Boolean));
    if (!words.size || code.children.length) return;
    const text = code.textContent;
    const comment = COMMENT[language];
    const pattern = new RegExp(
      (comment ? "(" + comment.replace(/[/]/g, "\\/") + "[^\\n]*)|" : "()") +
      "(\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*')|(\\b\\d+(?:\\.\\d+)?\\b)|([A-Za-z_][\\w]*)", "g");
    const out = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      const kind = m[1] ? "c" : m[2] ? "s" : m[3] ? "n" : words.has(m[4]) ? "k" : "";
      if (!kind) continue;
      out.append(text.slice(last, m.index));
      const span = document.createElement("span");
      span.className = "tok-" + kind;
      span.textContent = m[0];
      out.append(span);
      last = m.index + m[0].length;
    }
    out.append(text.slice(last));
    code.replaceChildren(out);
  }
  const ALIASES = { py: "python", js: "javascript", sh: "bash", shell: "bash", yml: "yaml" };
  for (const code of document.querySelectorAll(".card pre code[class*='language-']")) {
    const name = code.className.match(/language-(\w+)/)[1];
    highlight(code, ALIASES[name] || name);
  }
  for (const table of document.querySelectorAll("table.code[data-language]")) {
    for (const code of table.querySelectorAll("td.line code")) highlight(code, table.dataset.language);
  }
})();

// The session's CSRF token, which requests that change something must carry (empty when signed out).
const csrfToken = () => {
  const meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
};

// Like button (signed-in pages only): the Hub's like API, with the session's CSRF token.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-like]");
  if (!button) return;
  const liked = button.getAttribute("aria-pressed") === "true";
  const res = await fetch(button.dataset.like, {
    method: liked ? "DELETE" : "POST",
    headers: { "X-CSRF-Token": csrfToken() },
  });
  if (!res.ok) return;
  const count = button.querySelector("[data-likes]");
  count.textContent = String(Number(count.textContent) + (liked ? -1 : 1));
  button.setAttribute("aria-pressed", String(!liked));
});

// Upload form: drag and drop onto the drop zone, the chosen files listed, a progress bar while it uploads.
(() => {
  const form = document.querySelector("form[data-upload]");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector(".drop");
  const list = form.querySelector(".chosen");
  const bar = form.querySelector("progress");
  const error = form.querySelector(".form-error");
  const show = () => {
    list.replaceChildren(...[...input.files].map((f) => {
      const li = document.createElement("li");
      li.textContent = `${f.name} (${f.size.toLocaleString()} bytes)`;
      return li;
    }));
  };
  input.addEventListener("change", show);
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    input.files = e.dataTransfer.files;
    show();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
    xhr.upload.addEventListener("progress", (p) => {
      if (p.lengthComputable) bar.value = Math.round((100 * p.loaded) / p.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 200) {
        location.href = JSON.parse(xhr.responseText).url;
      } else {
        error.hidden = false;
        try { error.textContent = JSON.parse(xhr.responseText).error; } catch { error.textContent = "Upload failed"; }
        form.querySelector("button[type=submit]").disabled = false;
      }
    });
    bar.hidden = false;
    error.hidden = true;
    form.querySelector("button[type=submit]").disabled = true;
    xhr.send(new FormData(form));
  });
})();

// Card metadata helper: inserts a YAML block at the top of the file being edited.
document.addEventListener("click", (event) => {
  if (!event.target.matches("button[data-insert-card]")) return;
  const area = document.getElementById("content");
  if (area.value.startsWith("---")) return;
  area.value = "---\nlicense: apache-2.0\nlanguage:\n- en\npipeline_tag: text-classification\nlibrary_name: transformers\n"
    + "tags:\n- \n---\n" + area.value;
  area.focus();
});

// Inference widget (model pages): posts the inputs to the hub's inference API and shows what the model answered.
(() => {
  const form = document.querySelector("form[data-inference]");
  if (!form) return;
  const output = form.querySelector(".inference-output");
  const error = form.querySelector(".form-error");
  const button = form.querySelector("button[type=submit]");
  const scored = (rows) => {
    const list = document.createElement("ol");
    list.className = "scores";
    for (const [label, score] of rows) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = label;
      const bar = document.createElement("meter");
      bar.min = 0; bar.max = 1; bar.value = score;
      const value = document.createElement("span");
      value.textContent = score.toFixed(3);
      item.append(name, bar, value);
      list.append(item);
    }
    return list;
  };
  const show = (task, result) => {
    output.replaceChildren();
    const first = Array.isArray(result) ? result[0] : result;
    const text = first && (first.generated_text ?? first.summary_text ?? first.translation_text);
    if (task === "sentence-similarity" && Array.isArray(result)) {
      const sentences = String(new FormData(form).get("sentences")).split("\n").map((l) => l.trim()).filter(Boolean);
      output.append(scored(result.map((score, i) => [sentences[i] ?? String(i), score])));
    } else if (task === "image-classification" && Array.isArray(result)) {
      output.append(scored(result.map((r) => [r.label, r.score])));
    } else if (task === "text-classification" && Array.isArray(first)) {
      output.append(scored(first.map((r) => [r.label, r.score])));
    } else if (task === "zero-shot-classification" && Array.isArray(result)) {
      output.append(scored(result.map((r) => [r.label, r.score])));
    } else if (task === "fill-mask" && Array.isArray(result)) {
      output.append(scored(result.map((r) => [r.token_str, r.score])));
    } else if (task === "token-classification" && Array.isArray(result)) {
      output.append(scored(result.map((r) => [`${r.word} (${r.entity_group ?? r.entity})`, r.score])));
    } else if (typeof text === "string") {
      const p = document.createElement("p");
      p.className = "generated";
      p.textContent = text;
      output.append(p);
    } else {
      const pre = document.createElement("pre");
      const json = JSON.stringify(result);
      pre.textContent = json.length > 2000 ? json.slice(0, 2000) + "…" : json;
      output.append(pre);
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const task = form.dataset.task;
    const data = new FormData(form);
    const image = form.querySelector("input[type=file]");
    const body = { inputs: data.get("inputs"), parameters: {} };
    if (task === "sentence-similarity") {
      body.inputs = {
        source_sentence: data.get("inputs"),
        sentences: String(data.get("sentences")).split("\n").map((l) => l.trim()).filter(Boolean),
      };
    }
    if (task === "zero-shot-classification") {
      body.parameters.candidate_labels = String(data.get("labels")).split(",").map((l) => l.trim()).filter(Boolean);
    }
    error.hidden = true;
    button.disabled = true;
    output.setAttribute("aria-busy", "true");
    try {
      const file = image && image.files[0];
      // An image goes as the body itself, as the Hub's clients send one.
      const res = await fetch(form.dataset.inference, {
        method: "POST",
        headers: {
          "Content-Type": file ? file.type || "application/octet-stream" : "application/json",
          "X-CSRF-Token": csrfToken(),
        },
        body: file || JSON.stringify(body),
      });
      const answer = await res.json().catch(() => ({ error: `the hub answered ${res.status}` }));
      if (!res.ok) throw new Error(answer.error || `the hub answered ${res.status}`);
      show(task, answer);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
      output.removeAttribute("aria-busy");
    }
  });
})();

// Chat widget (text-generation models with a chat template): the conversation so far goes to the hub's chat
// completions, streamed, and the answer is shown as it arrives.
(() => {
  const form = document.querySelector("form[data-chat]");
  if (!form) return;
  const log = form.querySelector(".chat-log");
  const error = form.querySelector(".form-error");
  const button = form.querySelector("button[type=submit]");
  const messages = [];
  const say = (role, text) => {
    const item = document.createElement("li");
    item.className = role;
    item.textContent = text;
    log.append(item);
    return item;
  };
  const events = async function* (res) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith("data: ") && event !== "data: [DONE]") yield JSON.parse(event.slice(6));
      }
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.elements.inputs.value.trim();
    if (!text) return;
    error.hidden = true;
    button.disabled = true;
    messages.push({ role: "user", content: text });
    say("user", text);
    form.elements.inputs.value = "";
    const answer = say("assistant", "");
    answer.setAttribute("aria-busy", "true");
    let reply = "";
    try {
      const res = await fetch(form.dataset.chat, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify({ messages, max_tokens: 256, stream: true }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.error || `the hub answered ${res.status}`);
      }
      for await (const chunk of events(res)) {
        if (chunk.error) throw new Error(chunk.error);
        const piece = chunk.choices && chunk.choices[0] && chunk.choices[0].delta && chunk.choices[0].delta.content;
        if (piece) {
          reply += piece;
          answer.textContent = reply;
        }
      }
      messages.push({ role: "assistant", content: reply });
      if (!reply) {
        answer.textContent = "(the model answered nothing)";
        answer.classList.add("empty");
      }
      answer.dataset.done = "true";
    } catch (e) {
      messages.pop();
      answer.remove();
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      answer.removeAttribute("aria-busy");
      button.disabled = false;
    }
  });
})();
