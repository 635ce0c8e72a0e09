import { DASHBOARD_SCRIPT } from "./script.js";

const STYLE = `
:root { color-scheme: light dark; --ok: #2e9d55; --warn: #c98a12; --bad: #d2433b; --muted: #8a8f98; --line: #8883; }
* { box-sizing: border-box; }
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; padding: 12px 16px; }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 15px; margin: 18px 0 8px; }
header.top { display: flex; gap: 18px; align-items: baseline; flex-wrap: wrap; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; border: 1px solid currentColor; }
.ok, .DONE { color: var(--ok); } .warn, .IN_PROGRESS { color: var(--warn); } .bad, .FAILED { color: var(--bad); }
#platforms { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 10px; }
.platform { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.platform[data-outage="true"] { border-color: var(--bad); box-shadow: inset 4px 0 0 var(--bad); }
.platform h3 { display: inline; font-size: 14px; margin-right: 6px; }
.platform .row { margin-top: 4px; }
.platform button { font: inherit; cursor: pointer; }
.platform pre { max-height: 240px; overflow: auto; font-size: 11px; }
.limit { display: grid; grid-template-columns: 1fr 70px 1fr; gap: 6px; align-items: center; }
meter { width: 70px; }
svg.latency { width: 100%; height: 64px; display: block; margin-top: 6px; }
svg.latency rect.ok { fill: var(--ok); } svg.latency rect.warn { fill: var(--warn); } svg.latency rect.bad { fill: var(--bad); }
svg.latency text { font-size: 9px; fill: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { max-height: 420px; overflow: auto; }
.error { color: var(--bad); }
`;

const BODY = `
<header class="top">
  <h1>cmo-sim</h1>
  <span data-testid="connection" class="badge warn">connecting</span>
  <span data-testid="clock" class="muted"></span>
  <span data-testid="monitor-summary" class="muted"></span>
</header>
<h2>Platforms</h2>
<div id="platforms" data-testid="platforms"></div>
<h2>Monitors <span class="muted">(in flight, then the most recently finished)</span></h2>
<div class="scroll">
  <table data-testid="monitors">
    <thead><tr><th>state</th><th>monitor</th><th>tenant</th><th>kind</th><th>entries</th><th>created</th><th class="num">took</th></tr></thead>
    <tbody></tbody>
  </table>
</div>
<h2>Journal <input id="journal-filter" type="search" placeholder="filter: platform, path, status…" size="30"></h2>
<div class="scroll">
  <table data-testid="journal">
    <thead><tr><th class="num">#</th><th>at</th><th>face</th><th>platform</th><th>method</th><th>path</th><th class="num">status</th><th class="num">ms</th><th>caller</th><th>fault</th></tr></thead>
    <tbody></tbody>
  </table>
</div>
`;

/** The whole dashboard as one HTML document: no external stylesheet, script, font or image. */
export const DASHBOARD_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cmo-sim dashboard</title>
<style>${STYLE}</style>
</head>
<body>${BODY}<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

/** What a locked control plane shows a browser without its token: one field, posted once. */
export function loginPage(action: string, message?: string): string {
  const escaped = (text: string) => text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cmo-sim dashboard: admin token</title>
<style>${STYLE} form { display: flex; gap: 8px; margin-top: 12px; } input { font: inherit; min-width: 24em; }</style>
</head>
<body>
<h1>cmo-sim</h1>
<p>The admin API is locked. Give the admin token (<code>--admin-token</code>, <code>CMO_SIM_ADMIN_TOKEN</code>) once; this browser keeps it for the dashboard.</p>
${message ? `<p class="error" data-testid="login-error">${escaped(message)}</p>` : ""}
<form method="post" action="${escaped(action)}">
  <input type="password" name="token" autocomplete="current-password" aria-label="admin token" required autofocus>
  <button type="submit">Open the dashboard</button>
</form>
</body>
</html>
`;
}
