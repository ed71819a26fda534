// The TextMate grammar (syntaxes/amber.tmLanguage.json) on sample manifest lines, tokenised by
// vscode-textmate with the Oniguruma regex engine, as VS Code does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(new Uint8Array(wasm));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== 'source.json5.amber') {
        return null;
      }
      const file = path.join(root, 'syntaxes/amber.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const g = await registry.loadGrammar('source.json5.amber');
  assert.ok(g, 'the grammar loads');
  return g;
}

/** scopesAt tokenises lines and returns the scopes of the token at the n-th `what` on line `line`. */
function scopesAt(g: textmate.IGrammar, lines: string[], line: number, what: string, nth = 0): string[] {
  let stack = textmate.INITIAL;
  for (let i = 0; i < lines.length; i++) {
    const r = g.tokenizeLine(lines[i], stack);
    stack = r.ruleStack;
    if (i !== line) {
      continue;
    }
    let at = -1;
    for (let k = 0; k <= nth; k++) {
      at = lines[i].indexOf(what, at + 1);
      assert.ok(at >= 0, `line ${i} has ${nth + 1} × ${JSON.stringify(what)}`);
    }
    const tok = r.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
    assert.ok(tok, `a token covers ${JSON.stringify(what)}`);
    assert.equal(lines[i].slice(tok.startIndex, tok.endIndex), what,
      `${JSON.stringify(what)} is one token (got ${JSON.stringify(lines[i].slice(tok.startIndex, tok.endIndex))})`);
    return tok.scopes;
  }
  throw new Error(`no line ${line}`);
}

interface Case {
  name: string;
  lines: string[];
  /** line index (default: the last line), text of the token, its n-th occurrence */
  line?: number;
  token: string;
  nth?: number;
  has: string[];
  hasNot?: string[];
}

const cases: Case[] = [
  { name: 'child of a binding target', lines: ['{ bindings: [{ to: "#web.api", from: "#api.http" }] }'], token: 'web',
    has: ['meta.reference.amber', 'entity.name.type.component.amber', 'string.quoted.json5'] },
  { name: 'reference hash', lines: ['{ to: "#web.api" }'], token: '#', has: ['punctuation.definition.reference.amber'] },
  { name: 'capability of a reference', lines: ['{ to: "#web.api" }'], token: 'api', has: ['variable.other.property.amber', 'meta.reference.amber'] },
  { name: 'export of a binding source', lines: ['{ from: "#api.http" }'], token: 'http', has: ['variable.other.property.amber'] },
  { name: 'half-typed reference', lines: ['{ from: "#api." }'], token: '.', has: ['punctuation.accessor.amber', 'meta.reference.amber'] },
  { name: 'overlay reference, single quotes', lines: ["{ overlays: ['#audit.apply'] }"], token: 'audit', has: ['entity.name.type.component.amber'] },
  { name: 'slot realm', lines: ['{ from: "slots.db" }'], token: 'slots', has: ['variable.language.realm.amber', 'meta.reference.amber'] },
  { name: 'slot name', lines: ['{ from: "slots.db" }'], token: 'db', has: ['variable.other.property.amber'] },
  { name: 'provide realm', lines: ['{ from: "provides.http" }'], token: 'provides', has: ['variable.language.realm.amber'] },
  { name: 'a path is not a reference', lines: ['{ path: "/usr/bin/env" }'], token: '/usr/bin/env', has: ['string.quoted.json5'], hasNot: ['meta.reference.amber'] },
  { name: 'a sentence with # is not a reference', lines: ['{ d: "see #web.api here" }'], token: 'see #web.api here', has: ['string.quoted.json5'], hasNot: ['meta.reference.amber'] },
  { name: 'interpolation opener', lines: ['{ GREETING: "${config.greeting}" }'], token: '${', has: ['punctuation.section.interpolation.begin.amber', 'meta.interpolation.amber', 'string.quoted.json5'] },
  { name: 'interpolation realm', lines: ['{ GREETING: "${config.greeting}" }'], token: 'config', has: ['variable.language.realm.amber'] },
  { name: 'interpolation segment', lines: ['{ URL: "http://${slots.api.url}/x" }'], token: 'url', has: ['variable.other.property.amber', 'meta.interpolation.amber'] },
  { name: 'interpolation closer', lines: ['{ URL: "${slots.api.url}/x" }'], token: '}', has: ['punctuation.section.interpolation.end.amber'] },
  { name: 'text after interpolation', lines: ['{ URL: "${slots.api.url}/x" }'], token: '/x', has: ['string.quoted.json5'], hasNot: ['meta.interpolation.amber'] },
  { name: 'symbolic interpolation', lines: ['{ label: "$${config.audit_label}" }'], token: '$', has: ['keyword.operator.symbolic.amber'] },
  { name: 'unknown interpolation realm', lines: ['{ x: "${nope.a}" }'], token: 'nope', has: ['invalid.illegal.interpolation.amber'] },
  { name: 'unquoted key', lines: ['{ manifest_version: "0.4.0" }'], token: 'manifest_version', has: ['support.type.property-name.json5'] },
  { name: 'version string', lines: ['{ manifest_version: "0.4.0" }'], token: '0.4.0', has: ['string.quoted.json5'], hasNot: ['meta.reference.amber'] },
  { name: 'quoted key', lines: ['{ "api-key": 1 }'], token: 'api-key', has: ['support.type.property-name.json5', 'string.quoted.json5'] },
  { name: 'quote of a key', lines: ['{ "api-key": 1 }'], token: '"', has: ['punctuation.definition.string.begin.json5', 'support.type.property-name.json5'] },
  { name: 'single-quoted key', lines: ["{ 'x': 'it\\'s' }"], token: 'x', has: ['support.type.property-name.json5'] },
  { name: 'escape', lines: ["{ 'x': 'it\\'s' }"], token: "\\'", has: ['constant.character.escape.json5'] },
  { name: 'reserved word as key', lines: ['{ null: true }'], token: 'null', has: ['support.type.property-name.json5'] },
  { name: 'literal', lines: ['{ null: true }'], token: 'true', has: ['constant.language.json5'] },
  { name: 'unicode key', lines: ['{ größe: 1 }'], token: 'größe', has: ['support.type.property-name.json5'] },
  { name: 'hex number', lines: ['{ a: 0x1F, b: +Infinity, c: .5e3 }'], token: '0x1F', has: ['constant.numeric.json5'] },
  { name: 'infinity', lines: ['{ a: 0x1F, b: +Infinity, c: .5e3 }'], token: '+Infinity', has: ['constant.numeric.json5'] },
  { name: 'leading-dot number', lines: ['{ a: 0x1F, b: +Infinity, c: .5e3 }'], token: '.5e3', has: ['constant.numeric.json5'] },
  { name: 'line comment', lines: ['{ // a comment', '}'], line: 0, token: ' a comment', has: ['comment.line.double-slash.json5'] },
  { name: 'block comment over lines', lines: ['{ /* one', 'two */ a: 1 }'], token: 'two ', has: ['comment.block.json5'] },
  { name: 'key after a block comment', lines: ['{ /* one', 'two */ a: 1 }'], token: 'a', has: ['support.type.property-name.json5'] },
  { name: 'line continuation', lines: ['{ a: "one \\', 'two", b: 1 }'], token: 'two', has: ['string.quoted.json5'] },
  { name: 'after a continued string', lines: ['{ a: "one \\', 'two", b: 1 }'], token: 'b', has: ['support.type.property-name.json5'] },
  { name: 'an unterminated string ends with its line', lines: ['{ a: "one', '  b: 1 }'], token: 'b', has: ['support.type.property-name.json5'], hasNot: ['string.quoted.json5'] },
  { name: 'reference in an array on its own line', lines: ['{', '  overlays: [', '    "#audit.apply",', '  ],', '}'], line: 2, token: 'apply', has: ['variable.other.property.amber'] },
];

test('grammar scopes', async (t) => {
  const g = await loadGrammar();
  for (const c of cases) {
    await t.test(c.name, () => {
      const scopes = scopesAt(g, c.lines, c.line ?? c.lines.length - 1, c.token, c.nth);
      for (const s of c.has) {
        assert.ok(scopes.some((x) => x.split(' ').includes(s) || x === s), `${JSON.stringify(c.token)} has scope ${s}; scopes ${scopes.join(' | ')}`);
      }
      for (const s of c.hasNot ?? []) {
        assert.ok(!scopes.some((x) => x.split(' ').includes(s)), `${JSON.stringify(c.token)} lacks scope ${s}; scopes ${scopes.join(' | ')}`);
      }
    });
  }
});

test('every scope of the grammar ends in json5 or amber', () => {
  const text = fs.readFileSync(path.join(root, 'syntaxes/amber.tmLanguage.json'), 'utf8');
  const names = [...text.matchAll(/"name": "([^"]+)"/g)].map((m) => m[1]).filter((n) => n !== 'Amber manifest (JSON5)');
  assert.ok(names.length > 20);
  for (const n of names) {
    for (const s of n.split(' ')) {
      assert.match(s, /\.(json5|amber)$/, `scope ${s}`);
    }
  }
});
