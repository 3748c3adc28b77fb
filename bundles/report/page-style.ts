// The page's own style, after uPlot's: system fonts only (nothing is
// fetched), readable printed, and the text needs no script.
export const PAGE_STYLE = `
:root { color-scheme: light; --fg: #1d2329; --muted: #5c6670; --line: #d8dde3; --bg: #fff; --soft: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.page, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
header.page { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
h4 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
article.finding { border: 1px solid var(--line); border-left: 5px solid #888; border-radius: 6px; padding: 10px 14px; margin: 10px 0; background: var(--bg); }
article.finding.sev-critical { border-left-color: #c62828; }
article.finding.sev-warning { border-left-color: #ef8f00; }
article.finding.sev-info { border-left-color: #1f6fb2; }
article.finding header { font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #1d2329; color: #fff; font-size: 12px; }
.severity { color: var(--muted); font-weight: 400; }
.where { overflow-wrap: anywhere; }
p.line { font-weight: 600; overflow-wrap: anywhere; }
.fix { position: relative; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; overflow-x: auto; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
button.copy { position: absolute; top: 4px; right: 4px; font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
.none, .note, .caption, .confidence { color: var(--muted); }
.problem { color: #b71c1c; }
ul.checks li.problem { font-weight: 600; }
figure.chart { margin: 12px 0 22px; }
figure.chart figcaption { margin-bottom: 4px; }
.plot { width: 100%; min-height: 40px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 28px; }
.grid figure.chart { min-width: 0; }
.u-legend { font-size: 12px; text-align: left; }
.u-legend .u-series > * { padding: 1px 4px; }
.run { border-top: 2px solid var(--line); margin-top: 18px; }
footer { color: var(--muted); font-size: 12px; padding: 24px 20px 40px; }
[data-m]::before { content: attr(data-m); color: #8a1c1c; }
@media print { button.copy { display: none; } }
`;
