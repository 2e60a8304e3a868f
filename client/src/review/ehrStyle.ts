/**
 * The EHR's look (SMART `smart_style_url`): the style JSON is fetched once, each known value is checked against a
 * strict pattern (colours, lengths, font lists) and applied as a CSS custom property through the CSSOM — never as
 * style text — so a hostile or broken style document can change colours and spacing, not inject CSS or load URLs.
 */
export type StyleVars = Record<string, string>;

const COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\(\s*[0-9.]+%?\s*(,\s*[0-9.]+%?\s*){2}(,\s*[0-9.]+%?\s*)?\))$/i;
const LENGTH = /^(0|\d{1,3}(\.\d{1,3})?(px|rem|em))$/;
const FONT_LIST = /^[A-Za-z0-9 ,"'-]{1,200}$/;

/** SMART style key → [CSS variable, validator]. */
const KEYS: Record<string, [string, (v: string) => boolean]> = {
  color_background: ['--bg', (v) => COLOR.test(v)],
  color_text: ['--fg', (v) => COLOR.test(v)],
  color_highlight: ['--accent', (v) => COLOR.test(v)],
  color_error: ['--err', (v) => COLOR.test(v)],
  color_success: ['--ok', (v) => COLOR.test(v)],
  font_family_body: ['--font-body', (v) => FONT_LIST.test(v)],
  font_family_heading: ['--font-heading', (v) => FONT_LIST.test(v)],
  dim_font_size: ['--font-size', (v) => LENGTH.test(v) && parseFloat(v) >= 10 && parseFloat(v) <= 24],
  dim_border_radius: ['--radius', (v) => LENGTH.test(v) && parseFloat(v) <= 24],
  dim_spacing_size: ['--space', (v) => LENGTH.test(v) && parseFloat(v) >= 4 && parseFloat(v) <= 32],
};

/** The CSS variables a style document yields; unknown keys and values that fail their pattern are dropped. */
export function styleVariables(doc: unknown): StyleVars {
  const out: StyleVars = {};
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const rule = KEYS[key];
    if (!rule || typeof value !== 'string') continue;
    const v = value.trim();
    if (rule[1](v)) out[rule[0]] = v;
  }
  return out;
}

/** Only http(s) style URLs, and only on the EHR's own origin (where the token and CSP already point). */
export function acceptableStyleUrl(url: string | undefined, ehrBase: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, ehrBase);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.origin !== new URL(ehrBase).origin) return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

/** Fetches and applies the style (2 s budget); failures leave the app's own look. Returns what was applied. */
export async function applyEhrStyle(url: string | undefined, ehrBase: string, root: HTMLElement = document.documentElement): Promise<StyleVars> {
  const href = acceptableStyleUrl(url, ehrBase);
  if (!href) return {};
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 2000);
  try {
    const res = await fetch(href, { headers: { accept: 'application/json' }, credentials: 'omit', signal: ctrl.signal });
    if (!res.ok) return {};
    const vars = styleVariables(await res.json());
    for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
    if (Object.keys(vars).length) root.setAttribute('data-ehr-style', 'applied');
    return vars;
  } catch {
    return {};
  } finally {
    clearTimeout(timer);
  }
}
