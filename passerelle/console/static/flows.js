// The live journal of a flow page: lines arrive by server-sent events as the run writes them.
// Without JavaScript the page shows the lines written when it was drawn (reload for more).
"use strict";
for (const box of document.querySelectorAll("[data-live]")) {
  const list = box.querySelector("ol.journal");
  const status = box.querySelector(".live-status");
  const source = new EventSource(box.dataset.live);
  const shown = new Set();
  source.addEventListener("line", (event) => {
    if (shown.has(event.lastEventId)) return;
    shown.add(event.lastEventId);
    const line = JSON.parse(event.data);
    if (!list.querySelector("li[data-live-line]")) list.replaceChildren();
    const item = document.createElement("li");
    item.className = "line " + line.level;
    item.dataset.liveLine = event.lastEventId;
    for (const [name, text] of [["time", line.at], ["level", line.level_said],
                                ["record", line.label], ["text", line.text]]) {
      if (!text) continue;
      const part = document.createElement(name === "time" ? "time" : "span");
      part.className = name;
      part.textContent = text;
      item.append(part, " ");
    }
    list.append(item);
    status.textContent = status.dataset.running || status.textContent;
  });
  source.addEventListener("end", (event) => {
    const end = JSON.parse(event.data);
    status.replaceChildren(end.said);
    status.className = "live-status outcome " + end.status;
    if (end.url) {
      const link = document.createElement("a");
      link.href = end.url;
      link.textContent = box.dataset.journalLabel || end.url;
      status.append(" · ", link);
    }
    source.close();
  });
}
