/** Server-rendered HTML for the sandbox pages: every interpolated value is escaped unless built with `html`. */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText; nested `html` fragments pass through. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b2733;max-width:72rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #c9d2dc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6}form.inline{display:inline}button{margin:.1rem .2rem;padding:.3rem .6rem;cursor:pointer}
pre{background:#f6f8fa;padding:.6rem;white-space:pre-wrap;border:1px solid #dde3ea}
.muted{color:#5b6b7b}.error{color:#a4001d}section.patient{border-top:2px solid #c9d2dc;margin-top:1.5rem}
`;

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new SafeHtml(STYLE)}</style></head>
<body>${body}</body></html>`.value;
}
