/**
 * The dashboard's browser script, inlined into the page (the package ships compiled TypeScript
 * only, so the page carries its script with it). Plain ES2020 without template literals, so it
 * sits in this string unescaped. It listens to /_sim/ui/events and redraws; it writes only through
 * the admin API's outage endpoints.
 */
export const DASHBOARD_SCRIPT = String.raw`
"use strict";
(() => {
  const base = location.pathname.replace(/\/_sim\/ui\/?$/, "");
  const JOURNAL_KEPT = 500;
  const JOURNAL_SHOWN = 200;
  const CHART_POINTS = 60;
  const SVG = "http://www.w3.org/2000/svg";
  const cards = new Map();
  let journal = [];
  let journalDrawn = "";
  let simNow = 0;

  function fill(node, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  const h = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
  const s = (tag, attrs, ...children) => fill(document.createElementNS(SVG, tag), attrs, children);
  const $ = (selector) => document.querySelector(selector);

  const time = (iso) => (iso ? iso.slice(11, 23) : "");
  const percent = (rate) => Math.round(rate * 1000) / 10 + "%";
  const statusClass = (status) => (status < 400 ? "ok" : status < 500 ? "warn" : "bad");

  /** A duration model as one line: "250 ms", "range min 200 max 800"… */
  function duration(spec) {
    if (typeof spec === "number") return spec + " ms";
    return Object.entries(spec || {})
      .map(([key, value]) => (key === "type" ? value : key + " " + value))
      .join(" ");
  }

  function faults(spec) {
    const rates = Object.entries(spec || {}).filter(([key, value]) => key.endsWith("Rate") && value > 0);
    return rates.length === 0 ? "none" : rates.map(([key, value]) => key.slice(0, -4) + " " + percent(value)).join(", ");
  }

  function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  function card(p) {
    const parts = {
      active: false,
      root: h("article", { class: "platform", "data-testid": "platform-" + p.code, "data-outage": "false" }),
      state: h("span", { "data-testid": "outage-state-" + p.code }),
      facts: h("div", { class: "row" }),
      limits: h("div", { class: "row" }),
      latency: h("div", { class: "row muted" }),
      chart: s("svg", {
        class: "latency",
        "data-testid": "latency-" + p.code,
        viewBox: "0 0 " + CHART_POINTS + " 100",
        preserveAspectRatio: "none",
      }),
      toggle: h("button", { type: "button", "data-testid": "outage-toggle-" + p.code }),
      error: h("span", { class: "error" }),
      profile: h("pre"),
      profileText: "",
    };
    parts.toggle.addEventListener("click", () => toggleOutage(p.code, parts));
    parts.root.append(
      h(
        "div",
        {},
        h("h3", {}, p.code),
        parts.state,
        h("div", { class: "muted" }, [p.nativeName, p.connectivity, p.cmoMode, p.transport].join(" · ")),
      ),
      parts.facts,
      parts.limits,
      parts.latency,
      parts.chart,
      h("div", { class: "row" }, parts.toggle, " ", parts.error),
      h("details", {}, h("summary", {}, "live profile"), parts.profile),
    );
    return parts;
  }

  /**
   * One line per rate-limit rule, showing the account closest to it (every account in the tooltip).
   * A platform with many rules (IOTA has eight) shows the one closest to its limit and folds the
   * rest away, so its card is no taller than the others.
   */
  function limits(p, open) {
    const rules = p.profile.rateLimits || [];
    if (rules.length === 0) return ["no rate limits"];
    const lines = rules.map((rule, i) => {
      const states = p.accounts.map((a) => ({ account: a.name, state: a.rateLimits[i] })).filter((x) => x.state);
      const low = states.reduce((a, b) => (b.state.remaining < a.state.remaining ? b : a));
      const { remaining, limit, resetMs } = low.state;
      const line = h(
        "div",
        { class: "limit", title: states.map((x) => x.account + ": " + x.state.remaining + "/" + limit).join("\n") },
        rule.name + (rule.operations ? " (" + rule.operations.join(", ") + ")" : "") +
          ": " + limit + " per " + rule.windowMs / 1000 + " s",
        h("meter", { min: 0, max: limit, low: limit * 0.2, high: limit * 0.5, optimum: limit, value: remaining }),
        remaining + " left (" + low.account + "), " + (resetMs / 1000).toFixed(1) + " s to reset",
      );
      return { line, used: 1 - remaining / limit };
    });
    if (lines.length <= 2) return lines.map((l) => l.line);
    const [closest, ...rest] = lines.slice().sort((a, b) => b.used - a.used);
    return [
      closest.line,
      h(
        "details",
        open ? { "data-testid": "more-limits", open: "" } : { "data-testid": "more-limits" },
        h("summary", {}, rest.length + " more rules"),
        ...rest.map((l) => l.line),
      ),
    ];
  }

  function showPlatform(parts, p) {
    parts.active = p.outage !== null;
    parts.root.dataset.outage = String(parts.active);
    parts.state.className = "badge " + (parts.active ? "bad" : "ok");
    parts.state.textContent = parts.active ? "OUTAGE " + p.outage.status : "up";
    parts.state.title = parts.active ? p.outage.reason : "";
    parts.toggle.textContent = parts.active ? "Stop outage" : "Start outage";
    const planned = p.outages.filter((w) => w.start > simNow).map((w) => w.start);
    parts.facts.replaceChildren(
      "latency " + duration(p.profile.latency),
      " · faults " + faults(p.profile.faults),
      " · operations in flight " + p.operationsInFlight,
      " · ",
      h(
        "span",
        {
          "data-testid": "queue-" + p.code,
          title: "CMO calls waiting in this platform's pacing queue, per account:\n" +
            p.accounts.map((a) => a.name + ": " + a.pacing.queued + " queued, " + a.pacing.inFlight + " in flight").join("\n"),
        },
        "CMO queue " + p.pacing.queued,
      ),
      planned.length ? " · next outage in " + Math.round((Math.min(...planned) - simNow) / 1000) + " s" : "",
      p.override ? h("span", { class: "badge warn", title: "changed through the admin API" }, "live override") : "",
    );
    // Refreshed every second: a list the user unfolded stays unfolded.
    parts.limits.replaceChildren(...limits(p, parts.limits.querySelector("details")?.open));
    const profileText = JSON.stringify(p.profile, null, 2);
    if (profileText !== parts.profileText) {
      parts.profileText = profileText;
      parts.profile.textContent = profileText;
    }
  }

  /** Bars of the platform's latest native answer times, coloured by status. */
  function showLatency(parts, code) {
    const calls = journal.filter((e) => e.face === "platform" && e.platform === code).slice(-CHART_POINTS);
    const sorted = calls.map((e) => e.latencyMs).sort((a, b) => a - b);
    const max = Math.max(1, ...sorted);
    parts.latency.textContent = calls.length
      ? "native answers: " + calls.length + " · p50 " + percentile(sorted, 50) + " ms · p95 " +
        percentile(sorted, 95) + " ms · max " + sorted[sorted.length - 1] + " ms"
      : "no native calls yet";
    parts.chart.replaceChildren(
      ...calls.map((e, i) => {
        const height = Math.max(2, (e.latencyMs / max) * 100);
        return s(
          "rect",
          { class: statusClass(e.status), x: i + 0.1, width: 0.8, y: 100 - height, height },
          s("title", {}, e.method + " " + e.path + " → " + e.status + " in " + e.latencyMs + " ms"),
        );
      }),
    );
  }

  async function toggleOutage(code, parts) {
    parts.toggle.disabled = true;
    parts.error.textContent = "";
    const request = parts.active
      ? { method: "DELETE" }
      : {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ reason: "started from the dashboard" }),
        };
    try {
      const res = await fetch(base + "/_sim/platforms/" + encodeURIComponent(code) + "/outage", request);
      const body = await res.json();
      if (res.ok) showPlatform(parts, body);
      else parts.error.textContent = body.detail || "HTTP " + res.status;
    } catch (error) {
      parts.error.textContent = String(error);
    } finally {
      parts.toggle.disabled = false;
    }
  }

  function entries(m) {
    if (m.entries.length === 1) return m.entries[0].productId;
    const counts = {};
    for (const e of m.entries) counts[e.state] = (counts[e.state] || 0) + 1;
    const platforms = [...new Set(m.entries.map((e) => e.platform))].join(", ");
    return Object.entries(counts).map(([state, n]) => n + " " + state).join(", ") + " on " + platforms;
  }

  function showMonitors(monitors) {
    $("[data-testid=monitor-summary]").textContent =
      monitors.open + " monitors in flight · " + monitors.outcomes.DONE + " done · " +
      monitors.outcomes.FAILED + " failed · " + monitors.claimsInFlight + " products being changed";
    // In flight first, newest first; then finished ones, the latest to finish first.
    const order = (m) => (m.state === "IN_PROGRESS" ? "1" + m.createdAt : "0" + m.finishedAt);
    const rows = monitors.shown
      .slice()
      .sort((a, b) => order(b).localeCompare(order(a)))
      .map((m) =>
        h(
          "tr",
          { "data-testid": "monitor-" + m.id, "data-state": m.state },
          h("td", {}, h("span", { class: "badge " + m.state }, m.state)),
          h("td", {}, m.id),
          h("td", {}, m.tenant),
          h("td", {}, m.kind),
          h("td", {}, entries(m)),
          h("td", {}, time(m.createdAt)),
          h("td", { class: "num" }, m.finishedAt ? ((Date.parse(m.finishedAt) - Date.parse(m.createdAt)) / 1000).toFixed(1) + " s" : ""),
        ),
      );
    $("[data-testid=monitors] tbody").replaceChildren(...rows);
  }

  function showJournal() {
    const filter = $("#journal-filter").value.trim().toLowerCase();
    const last = journal[journal.length - 1];
    const key = filter + "|" + journal.length + "|" + (last ? last.seq : 0);
    if (key === journalDrawn) return;
    journalDrawn = key;
    const fields = (e) => [e.face, e.platform, e.method, e.path, e.status, e.caller, e.fault].join(" ").toLowerCase();
    const shown = journal.filter((e) => !filter || fields(e).includes(filter)).slice(-JOURNAL_SHOWN).reverse();
    $("[data-testid=journal] tbody").replaceChildren(
      ...shown.map((e) =>
        h(
          "tr",
          { "data-seq": e.seq },
          h("td", { class: "num" }, e.seq),
          h("td", {}, time(new Date(e.at).toISOString())),
          h("td", {}, e.face),
          h("td", {}, e.platform || ""),
          h("td", {}, e.method),
          h("td", {}, e.path),
          h("td", { class: "num " + statusClass(e.status) }, e.status),
          h("td", { class: "num" }, e.latencyMs),
          h("td", {}, e.caller),
          h("td", { class: "bad" }, e.fault || ""),
        ),
      ),
    );
  }

  function show(state) {
    simNow = Date.parse(state.clock.iso);
    $("[data-testid=clock]").textContent =
      "simulated " + state.clock.iso + " · " + state.clock.kind + " clock · time scale " + state.clock.timeScale;
    journal = (state.first ? state.journal : journal.concat(state.journal)).slice(-JOURNAL_KEPT);
    const grid = $("#platforms");
    for (const p of state.platforms) {
      let parts = cards.get(p.code);
      if (!parts) {
        parts = card(p);
        cards.set(p.code, parts);
        grid.append(parts.root);
      }
      showPlatform(parts, p);
      showLatency(parts, p.code);
    }
    showMonitors(state.monitors);
    showJournal();
  }

  function connection(text, kind) {
    const badge = $("[data-testid=connection]");
    badge.textContent = text;
    badge.className = "badge " + kind;
  }

  $("#journal-filter").addEventListener("input", showJournal);
  const refresh = new URLSearchParams(location.search).get("refreshMs");
  const source = new EventSource(
    base + "/_sim/ui/events" + (refresh ? "?refreshMs=" + encodeURIComponent(refresh) : ""),
  );
  source.addEventListener("open", () => connection("live", "ok"));
  source.addEventListener("error", () =>
    connection(source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting", "bad"),
  );
  source.addEventListener("state", (event) => show(JSON.parse(event.data)));
})();
`;
