import { attrs, h, hText } from './html.js';
import { arr, field, str, strings } from './json-read.js';

// The findings as cards, plain HTML: class, where, the evidence, and the
// exact fix with a copy button (shown by the page's script; without script
// the fix is still there to select). From summary.json. Pure.

function list(title: string, items: string[]): string {
  return items.length
    ? `<h4>${h(title)}</h4><ul>${items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`
    : '';
}

function code(id: string, title: string, lines: string[]): string {
  if (!lines.length) return '';
  return `<h4>${h(title)}</h4><div class="fix"><pre${attrs({ id })}><code>${hText(lines.join('\n'))}</code></pre><button type="button" class="copy" hidden${attrs({ 'data-copy': id })}>Copy</button></div>`;
}

function card(f: unknown, i: number): string {
  const cls = str(field(f, 'class')) ?? '?';
  const severity = str(field(f, 'severity')) ?? '';
  const host = str(field(f, 'host')) ?? '';
  const confidence = str(field(f, 'confidence'));
  const unknown = strings(field(f, 'unknown'));
  return `<article${attrs({ class: `finding sev-${/^[a-z]+$/.test(severity) ? severity : 'other'}`, 'data-class': cls, 'data-host': host })}>
<header><span class="badge">${h(cls)}</span> <span class="severity">${h(severity)}</span> <span class="where">${h(host)}</span></header>
<p class="line">${h(str(field(f, 'line')) ?? '')}</p>
<p>${h(str(field(f, 'explanation')) ?? '')}</p>
${list('Evidence', strings(field(f, 'evidence')))}
${code(`fix-${i}`, 'Fix now', strings(field(f, 'fix')))}
${code(`persistent-${i}`, 'Make it persistent', strings(field(f, 'persistent')))}
${list('Not read (the fix reads it first)', unknown)}
${confidence ? `<p class="confidence">confidence: ${h(confidence)}</p>` : ''}
</article>`;
}

export function findingsSection(summary: unknown, from?: string): string {
  const findings = arr(field(summary, 'findings'));
  const checked = strings(field(summary, 'checked'));
  const intro = from ? `<p class="note">The findings of ${h(from)}.</p>` : '';
  if (!findings.length)
    return `<section id="findings"><h2>Findings</h2>${intro}<p class="none">No finding: no counter that shows lost packets moved.</p>${
      checked.length
        ? `<details><summary>What was checked (${checked.length})</summary><ul>${checked.map((c) => `<li>${h(c)}</li>`).join('')}</ul></details>`
        : ''
    }</section>`;
  return `<section id="findings"><h2>Findings</h2>${intro}\n${findings.map(card).join('\n')}\n</section>`;
}
