import { describe, expect, it } from 'vitest';
import { narrativeProblem, resourceNarrativeProblem } from './narrative.js';

const x = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

describe('FHIR narrative rules', () => {
  it('accepts the basic formatting FHIR allows', () => {
    for (const div of [
      x('<p>Residual volume 2.1 mL &gt; expected</p>'), x('<p>a > b</p>'), x('<table><thead><tr><th scope="col">Code</th></tr></thead><tbody><tr><td>62370</td></tr></tbody></table>'),
      x('<a href="https://example.org/a?b=1&amp;c=2">x</a><a href="#frag">y</a><a href="mailto:x@example.org">m</a>'), x('<img src="#photo" alt="x"/><br/>'),
      x('<span style="color: #a4001d; font-weight: bold">x</span>'), '<div xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><p>x</p></div>',
    ]) {
      expect(narrativeProblem(div), div).toBeUndefined();
    }
  });

  it('refuses script, handlers, dangerous URL schemes (however spelled), frames, forms, CSS url() and markup tricks', () => {
    for (const div of [
      x('<script>alert(1)</script>'), x('<SCRIPT>alert(1)</SCRIPT>'), x('<scr<script>ipt>alert(1)</script>'), x('<style>p{}</style>'),
      x('<img src="x" onerror="alert(1)"/>'), x('<img src="x" / onerror="alert(1)">'), x('<p onmouseover=alert(1)>x</p>'),
      x('<a href="javascript:alert(1)">x</a>'), x('<a href=javascript:alert(1)>x</a>'), x("<a href='\tjavascript:alert(1)'>x</a>"),
      x('<a href="java&#x09;script:alert(1)">x</a>'), x('<a href="&#x6A;avascript:alert(1)">x</a>'), x('<a href="&#0000106avascript:alert(1)">x</a>'),
      x('<a href="jav&Tab;ascript:alert(1)">x</a>'.replace('&Tab;', '&tab;')), x('<a href="vbscript:x">x</a>'), x('<a href="data:text/html,x">x</a>'),
      x('<a href="\u0001javascript:alert(1)">x</a>'), x('<img src="data:image/svg+xml,x"/>'), x('<iframe src="x"></iframe>'), x('<object data="x"></object>'),
      x('<embed src="x"/>'), x('<form><input/></form>'), x('<svg><circle/></svg>'), x('<math></math>'), x('<base href="https://evil.example/"/>'),
      x('<p style="background:url(x)">x</p>'), x('<p style="width:expression(alert(1))">x</p>'), x('<p style="background:u\\72l(x)">x</p>'),
      x('<!-- comment --><p>x</p>'), x('<![CDATA[<script>alert(1)</script>]]>'), x('<?xml-stylesheet href="x"?>'), x('<p>x'), x('<p>x</p></p>'),
      x('<p>a < b</p>'), '<p>not a div</p>', '<div>unclosed', x('<p formaction="x">x</p>'), x('<p srcdoc="x">x</p>'),
    ]) {
      expect(narrativeProblem(div), div).toBeDefined();
    }
    expect(narrativeProblem(42)).toBeDefined();
  });

  it('checks contained resources too and names the element', () => {
    expect(resourceNarrativeProblem({ resourceType: 'Claim', contained: [{ resourceType: 'Patient', text: { div: x('<script></script>') } }] }))
      .toMatchObject({ path: 'Claim.contained[0].text.div' });
    expect(resourceNarrativeProblem({ resourceType: 'Claim' })).toBeUndefined();
    expect(resourceNarrativeProblem({ resourceType: 'Patient', text: { div: x('<p>ok</p>') } })).toBeUndefined();
  });
});
