/**
 * FHIR narrative rules for written resources (R4 narrative.html#security, Narrative.div invariants txt-1/txt-2):
 * `text.div` must be one XHTML `<div>` holding only the basic formatting elements and attributes the rules allow;
 * no script, style, form, iframe, object, embed, no event handlers, no `javascript:`/`vbscript:`/`data:` URLs
 * (after removing whitespace and control characters and decoding character references, which is how
 * microsoft/fhir-server #5699 was bypassed), no CSS `url()`/`expression()`, no comments, CDATA or processing
 * instructions. The sandbox refuses such a write (400) rather than rewriting what the client sent.
 */

const ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'b', 'bdo', 'big', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup',
  'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li',
  'map', 'area', 'ol', 'p', 'pre', 'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'tt', 'ul', 'var', 's', 'u', 'strike', 'center', 'font',
]);

const ATTRIBUTES = new Set([
  'abbr', 'accesskey', 'align', 'alt', 'axis', 'bgcolor', 'border', 'cellhalign', 'cellpadding', 'cellspacing', 'cellvalign',
  'char', 'charoff', 'charset', 'cite', 'class', 'colspan', 'compact', 'coords', 'dir', 'frame', 'headers', 'height', 'href',
  'hreflang', 'hspace', 'id', 'lang', 'longdesc', 'name', 'nowrap', 'rel', 'rev', 'rowspan', 'rules', 'scope', 'shape',
  'span', 'src', 'start', 'style', 'summary', 'tabindex', 'title', 'type', 'valign', 'value', 'vspace', 'width',
  'xmlns', 'xml:lang', 'color', 'face', 'size',
]);

const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'longdesc']);

function decodeReferences(v: string): string {
  return v
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Math.min(parseInt(d, 10), 0x10ffff)))
    .replace(/&(colon|tab|newline|amp|quot|apos|lt|gt);/gi, (_, n: string) => ({ colon: ':', tab: '\t', newline: '\n', amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' })[n.toLowerCase()]!);
}

/** A URL is safe when, normalised as a browser would, it has no scheme or an http(s)/mailto/tel one, or is a fragment. */
function safeUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  const v = decodeReferences(value).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v)?.[1];
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto' || scheme === 'tel';
}

function safeStyle(value: string): boolean {
  const v = decodeReferences(value)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, '')
    .toLowerCase();
  return !/url\(|expression\(|javascript:|vbscript:|@import|behavior:|-moz-binding/.test(v);
}

/** Why the narrative is refused, or undefined when it follows the rules. */
export function narrativeProblem(div: unknown): string | undefined {
  if (typeof div !== 'string') return 'text.div must be a string of XHTML';
  const trimmed = div.trim();
  if (!/^<div(\s[^>]*)?>/.test(trimmed) || !trimmed.endsWith('</div>')) return 'text.div must be a single XHTML <div> element';
  if (/<!|<\?/.test(div)) return 'text.div may not contain comments, CDATA, doctype or processing instructions';
  const tag = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
  let depth = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(div)) !== null) {
    if (div.slice(last, m.index).includes('<')) return 'text.div has a malformed tag';
    last = m.index + m[0].length;
    const [, closing, rawName, attrs = '', selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (rawName !== name) return `text.div element <${rawName}> must be lowercase XHTML`;
    if (!ELEMENTS.has(name)) return `text.div may not contain <${name}> (FHIR narrative allows basic formatting only)`;
    if (closing) {
      depth--;
    } else {
      if (!selfClosing) depth++;
      const attr = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
      let a: RegExpExecArray | null;
      while ((a = attr.exec(attrs)) !== null) {
        const attrName = a[1]!;
        const value = a[2] ?? a[3] ?? a[4] ?? '';
        const lower = attrName.toLowerCase();
        if (lower.startsWith('on')) return `text.div may not carry event handlers (${attrName})`;
        if (!ATTRIBUTES.has(attrName)) return `text.div attribute ${attrName} is not allowed in FHIR narrative`;
        if (URL_ATTRIBUTES.has(lower) && !safeUrl(value)) return `text.div ${attrName} has a URL scheme that is not allowed`;
        if (lower === 'src' && /^\s*data:/i.test(decodeReferences(value))) return 'text.div images may not use data: URLs';
        if (lower === 'style' && !safeStyle(value)) return 'text.div style may not use url(), expression() or script';
      }
    }
    if (depth < 0) return 'text.div has an unbalanced closing tag';
  }
  if (div.slice(last).includes('<')) return 'text.div has a malformed tag';
  if (depth !== 0) return 'text.div has unclosed elements';
  return undefined;
}

/** The first narrative problem in a resource and its contained resources, with the element path. */
export function resourceNarrativeProblem(resource: { resourceType: string; text?: { div?: unknown }; contained?: unknown[] }): { path: string; problem: string } | undefined {
  const check = (r: { resourceType?: string; text?: { div?: unknown } }, path: string) => {
    if (r.text === undefined || r.text === null) return undefined;
    const problem = narrativeProblem(r.text.div);
    return problem ? { path: `${path}.text.div`, problem } : undefined;
  };
  const own = check(resource, resource.resourceType);
  if (own) return own;
  for (const [i, c] of (resource.contained ?? []).entries()) {
    if (c && typeof c === 'object') {
      const found = check(c as { text?: { div?: unknown } }, `${resource.resourceType}.contained[${i}]`);
      if (found) return found;
    }
  }
  return undefined;
}
