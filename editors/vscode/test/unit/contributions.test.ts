// package.json against the server's settings reference (docs/settings.md) and against the code:
// every setting the server reads is contributed with its description and default, the commands
// are registered, trust-restricted settings exist.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { clientCommands, serverCommands } from '../../src/commands';
import { untrustedOverrides } from '../../src/settings';

const root = path.resolve(__dirname, '../..');
const repo = path.resolve(root, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const props: Record<string, Record<string, unknown>> = pkg.contributes.configuration.properties;

/** Settings the server does not read, so docs/settings.md does not list them. */
const notInReference: Record<string, string> = {
  'amber.server.path': 'read by the extension, not the server',
};

interface Documented { name: string; type: string; def: string }

function documented(): Documented[] {
  const text = fs.readFileSync(path.join(repo, 'docs/settings.md'), 'utf8');
  const rows = [...text.matchAll(/^\| `(amber\.[A-Za-z.]+)` \| ([^|]+) \| ([^|]+) \|/gm)];
  return rows.map((m) => ({ name: m[1], type: m[2].trim(), def: m[3].trim() }));
}

test('docs/settings.md lists settings', () => {
  assert.ok(documented().length >= 4, 'the settings table parses');
});

test('every documented setting is contributed with its type and default', () => {
  for (const d of documented()) {
    const p = props[d.name];
    assert.ok(p, `${d.name} is contributed`);
    const literals = [...d.def.matchAll(/`([^`]+)`/g)].map((m) => JSON.parse(m[1]));
    assert.ok(literals.length > 0, `${d.name}: the reference's default ${JSON.stringify(d.def)} names a value`);
    assert.ok(literals.some((l) => JSON.stringify(l) === JSON.stringify(p.default)),
      `${d.name}: default ${JSON.stringify(p.default)} is one of the reference's ${JSON.stringify(literals)}`);
    // A type made only of literals (`"off"`, `"messages"` or `"verbose"`) is an enum.
    const onlyLiterals = /^`[^`]+`((, | or )`[^`]+`)*$/.test(d.type);
    if (onlyLiterals) {
      const enumValues = [...d.type.matchAll(/`([^`]+)`/g)].map((m) => JSON.parse(m[1]));
      assert.deepEqual(p.enum, enumValues, `${d.name}: the values the reference allows`);
    } else if (/duration/.test(d.type)) {
      assert.equal(p.type, 'string', `${d.name}: a duration string`);
      assert.match(String(p.default), new RegExp(p.pattern as string), `${d.name}: the default is a duration`);
    } else if (/whole number/.test(d.type)) {
      assert.equal(p.type, 'integer', d.name);
    } else if (/list/.test(d.type)) {
      assert.equal(p.type, 'array', d.name);
    } else if (/boolean/.test(d.type)) {
      assert.equal(p.type, 'boolean', d.name);
    }
  }
});

test('every contributed setting is documented, or read by the extension only', () => {
  const names = new Set(documented().map((d) => d.name));
  for (const name of Object.keys(props)) {
    assert.ok(name.startsWith('amber.'), name);
    assert.ok(names.has(name) || name in notInReference, `${name} is in docs/settings.md or in notInReference`);
  }
});

test('every setting has a description, a type and a default', () => {
  for (const [name, p] of Object.entries(props)) {
    const description = (p.markdownDescription ?? p.description) as string | undefined;
    assert.ok(description && description.length > 30, `${name} has a description`);
    assert.ok('default' in p, `${name} has a default`);
    assert.ok(p.type, `${name} has a type`);
    if (Array.isArray(p.enum)) {
      assert.ok(p.enum.some((e) => e === p.default), `${name}: the default is one of its values`);
      assert.equal((p.enumDescriptions as unknown[] | undefined)?.length, p.enum.length, `${name}: each value is described`);
    }
  }
});

test('the defaults and values of the settings the extension checks itself', () => {
  assert.equal(props['amber.server.path'].default, 'amber-lsp');
  assert.equal(props['amber.overlays.idleTimeout'].default, '5m');
  assert.equal(props['amber.overlays.timeout'].default, '30s');
  assert.equal(props['amber.remote.fetch'].default, 'https');
  assert.deepEqual(props['amber.remote.fetch'].enum, ['https', 'all', false]);
  assert.equal(props['amber.limits.instances'].default, 100000);
  for (const key of ['amber.overlays.idleTimeout', 'amber.overlays.timeout']) {
    const re = new RegExp(props[key].pattern as string);
    for (const ok of ['5m', '30s', '1h30m', '1.5s', '250ms']) {
      assert.match(ok, re, key);
    }
    for (const bad of ['5', 'five minutes', '', '5 m']) {
      assert.doesNotMatch(bad, re, key);
    }
  }
});

test('workspace trust: limited, and what it restricts exists', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.ok(u.description.length > 30);
  for (const r of u.restrictedConfigurations) {
    assert.ok(props[r], `${r} is contributed`);
  }
  for (const [key] of untrustedOverrides) {
    assert.ok(u.restrictedConfigurations.includes(key), `${key}, forced off when untrusted, is restricted`);
  }
  assert.ok(u.restrictedConfigurations.includes('amber.server.path'), 'a workspace cannot pick the executable');
});

test('commands are contributed, registered, and apart from the server\'s', () => {
  const source = fs.readFileSync(path.join(root, 'src/extension.ts'), 'utf8');
  const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
  assert.deepEqual(ids.slice().sort(), ['amber.restartServer', 'amber.showGraph', 'amber.showOutput', 'amber.showOverlayPreview']);
  for (const c of pkg.contributes.commands) {
    assert.ok(c.title && c.category === 'Amber', `${c.command} has a title in the Amber category`);
    assert.ok(source.includes(`registerCommand('${c.command}'`), `${c.command} is registered`);
    // vscode-languageclient registers a VS Code command for each command the server offers:
    // an extension command of the same name would fail to register.
    assert.ok(!Object.values(serverCommands).includes(c.command), `${c.command} is not a server command`);
  }
  for (const m of Object.values(pkg.contributes.menus).flat() as { command: string }[]) {
    assert.ok(ids.includes(m.command), `menu entry ${m.command} is a contributed command`);
  }
});

test('the commands the server\'s lenses name are registered by the extension', () => {
  const source = fs.readFileSync(path.join(root, 'src/extension.ts'), 'utf8');
  const lenses = fs.readFileSync(path.join(repo, 'analysis/features_lens.go'), 'utf8');
  for (const [key, name] of Object.entries(clientCommands)) {
    assert.ok(lenses.includes(`"${name}"`), `${name} is a command the server's code lenses name`);
    assert.ok(source.includes(`registerCommand(clientCommands.${key},`), `${name} is registered`);
    assert.ok(!Object.values(serverCommands).includes(name as never), `${name} is not a server command`);
  }
});

test('language, grammar and activation', () => {
  const [lang] = pkg.contributes.languages;
  assert.equal(lang.id, 'amber');
  assert.deepEqual(lang.extensions, ['.json5']);
  assert.ok(fs.existsSync(path.join(root, lang.configuration)));
  const [grammar] = pkg.contributes.grammars;
  assert.equal(grammar.language, 'amber');
  assert.ok(fs.existsSync(path.join(root, grammar.path)));
  assert.ok(pkg.activationEvents.includes('onLanguage:amber'));
  assert.ok(pkg.activationEvents.includes('onLanguage:json'), 'JSON files are looked at, to recognise .json manifests');
  assert.equal(pkg.main, './dist/extension.js');
  assert.match(pkg.scripts.package, /vsce package/);
});

test('the .vsix leaves out sources and tests', () => {
  const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const entry of ['src/**', 'test/**', 'node_modules/**', 'testdata/**']) {
    assert.ok(ignore.includes(entry), `.vscodeignore has ${entry}`);
  }
});
