import { describe, expect, it } from 'vitest';
import { acceptableStyleUrl, styleVariables } from './ehrStyle';

describe('the EHR style (smart_style_url), applied safely', () => {
  it('maps the SMART style keys to CSS variables', () => {
    expect(styleVariables({
      color_background: '#f6f8fa', color_text: '#1b2733', color_highlight: 'rgb(11, 92, 173)', color_error: '#a4001d',
      dim_font_size: '14px', dim_spacing_size: '16px', dim_border_radius: '4px', font_family_body: 'system-ui, "Segoe UI", sans-serif',
    })).toEqual({
      '--bg': '#f6f8fa', '--fg': '#1b2733', '--accent': 'rgb(11, 92, 173)', '--err': '#a4001d',
      '--font-size': '14px', '--space': '16px', '--radius': '4px', '--font-body': 'system-ui, "Segoe UI", sans-serif',
    });
  });
  it('drops values that could inject CSS or load URLs, out-of-range sizes and unknown keys', () => {
    expect(styleVariables({
      color_background: 'red; background: url(https://evil.example/x)', color_text: 'expression(alert(1))',
      font_family_body: 'Arial; } body { display:none', dim_font_size: '2px', dim_spacing_size: '900px',
      color_highlight: 'var(--x)', unknown_key: '#fff', dim_border_radius: 4,
    })).toEqual({});
    expect(styleVariables(null)).toEqual({});
    expect(styleVariables(['#fff'])).toEqual({});
  });
  it('fetches the style only from the EHR\'s own origin over http(s)', () => {
    const base = 'https://ehr.example/fhir';
    expect(acceptableStyleUrl('https://ehr.example/style.json', base)).toBe('https://ehr.example/style.json');
    expect(acceptableStyleUrl('/style.json', base)).toBe('https://ehr.example/style.json');
    expect(acceptableStyleUrl('https://evil.example/style.json', base)).toBeUndefined();
    expect(acceptableStyleUrl('javascript:alert(1)', base)).toBeUndefined();
    expect(acceptableStyleUrl(undefined, base)).toBeUndefined();
  });
});
