// The pure parts of the extension: trust gating of settings, manifest detection, finding the
// server, the status bar's state, and the messages for failed commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureMessage, unsupportedMessage } from '../../src/commands';
import { hasManifestVersion } from '../../src/detect';
import { installAdvice, installCommand, Machine, resolveServer } from '../../src/server';
import { gateSection } from '../../src/settings';
import { Status, workOf } from '../../src/status';

test('gateSection', async (t) => {
  const amber = {
    roots: ['a.json5'],
    lint: { denyWarnings: true },
    overlays: { preview: true, timeout: '30s' },
    remote: { fetch: 'all' },
  };
  const cases: { name: string; section: string | undefined; value: unknown; trusted: boolean; want: unknown }[] = [
    { name: 'trusted: unchanged', section: 'amber', value: amber, trusted: true, want: amber },
    { name: 'untrusted: previews and fetching off', section: 'amber', value: amber, trusted: false,
      want: { roots: ['a.json5'], lint: { denyWarnings: true }, overlays: { preview: false, timeout: '30s' }, remote: { fetch: false } } },
    { name: 'untrusted: sub-section', section: 'amber.overlays', value: { preview: true, timeout: '1s' }, trusted: false, want: { preview: false, timeout: '1s' } },
    { name: 'untrusted: the setting itself', section: 'amber.overlays.preview', value: true, trusted: false, want: false },
    { name: 'untrusted: the fetch setting', section: 'amber.remote.fetch', value: 'https', trusted: false, want: false },
    { name: 'untrusted: unrelated section', section: 'amber.lint', value: { denyWarnings: true }, trusted: false, want: { denyWarnings: true } },
    { name: 'untrusted: other extension', section: 'editor', value: { tabSize: 2 }, trusted: false, want: { tabSize: 2 } },
    { name: 'untrusted: missing groups are filled', section: 'amber', value: { roots: [] }, trusted: false,
      want: { roots: [], overlays: { preview: false }, remote: { fetch: false } } },
    { name: 'untrusted: null section value', section: 'amber', value: null, trusted: false, want: { overlays: { preview: false }, remote: { fetch: false } } },
    { name: 'untrusted: whole configuration', section: undefined, value: { amber: { overlays: { preview: true } } }, trusted: false,
      want: { amber: { overlays: { preview: false }, remote: { fetch: false } } } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const before = JSON.stringify(c.value);
      assert.deepEqual(gateSection(c.section, c.value, c.trusted), c.want);
      assert.equal(JSON.stringify(c.value), before, 'the input is not modified');
    });
  }
});

test('hasManifestVersion', async (t) => {
  const cases: [string, string, boolean][] = [
    ['unquoted key', '{ manifest_version: "0.4.0" }', true],
    ['quoted key', '{"manifest_version": "0.4.0"}', true],
    ['single-quoted key', "{'manifest_version': '0.4.0'}", true],
    ['after comments and other keys', '// a manifest\n/* { manifest_version: 1 } */\n{\n  a: { b: [1, {c: 2}] },\n  "s": "x, manifest_version: y",\n  manifest_version: "0.4.0",\n}', true],
    ['with a BOM', '\uFEFF{ manifest_version: "0.4.0" }', true],
    ['with syntax errors later', '{ manifest_version: "0.4.0", components: { a: } ', true],
    ['package.json', '{ "name": "x", "version": "1.0.0" }', false],
    ['nested only', '{ "a": { "manifest_version": "0.4.0" } }', false],
    ['as a value', '{ "a": "manifest_version" }', false],
    ['in an array', '[{ "manifest_version": "0.4.0" }]', false],
    ['after the top-level object', '{ "a": 1 } { manifest_version: 1 }', false],
    ['in a comment', '{ // manifest_version: 1\n a: 1 }', false],
    ['a longer key', '{ manifest_version2: 1 }', false],
    ['empty', '', false],
  ];
  for (const [name, text, want] of cases) {
    await t.test(name, () => assert.equal(hasManifestVersion(text), want));
  }
});

test('resolveServer', async (t) => {
  const machine = (files: string[], env: Record<string, string> = {}, platform = 'linux'): Machine => ({
    env, home: '/home/u', platform, isExecutable: (p) => files.includes(p),
  });
  await t.test('default name on PATH', () => {
    assert.deepEqual(resolveServer(undefined, machine(['/opt/bin/amber-lsp'], { PATH: '/usr/bin:/opt/bin' })),
      { ok: true, path: '/opt/bin/amber-lsp', how: 'PATH' });
  });
  await t.test('empty setting means the default', () => {
    assert.deepEqual(resolveServer('  ', machine(['/usr/bin/amber-lsp'], { PATH: '/usr/bin' })),
      { ok: true, path: '/usr/bin/amber-lsp', how: 'PATH' });
  });
  await t.test('go install directory when PATH lacks it', () => {
    assert.deepEqual(resolveServer('amber-lsp', machine(['/home/u/go/bin/amber-lsp'], { PATH: '/usr/bin' })),
      { ok: true, path: '/home/u/go/bin/amber-lsp', how: 'Go bin directory' });
  });
  await t.test('GOBIN and GOPATH first', () => {
    assert.equal((resolveServer('amber-lsp', machine(['/gobin/amber-lsp', '/home/u/go/bin/amber-lsp'], { GOBIN: '/gobin' })) as { path: string }).path, '/gobin/amber-lsp');
    assert.equal((resolveServer('amber-lsp', machine(['/gp2/bin/amber-lsp'], { GOPATH: '/gp1:/gp2' })) as { path: string }).path, '/gp2/bin/amber-lsp');
  });
  await t.test('absolute path', () => {
    assert.deepEqual(resolveServer('/x/amber-lsp', machine(['/x/amber-lsp'])), { ok: true, path: '/x/amber-lsp', how: 'setting' });
  });
  await t.test('home-relative path', () => {
    assert.deepEqual(resolveServer('~/bin/amber-lsp', machine(['/home/u/bin/amber-lsp'])), { ok: true, path: '/home/u/bin/amber-lsp', how: 'setting' });
  });
  await t.test('workspace-relative path', () => {
    assert.deepEqual(resolveServer('./tools/amber-lsp', machine(['/ws/tools/amber-lsp']), '/ws'), { ok: true, path: '/ws/tools/amber-lsp', how: 'setting' });
  });
  await t.test('a path that is not there', () => {
    const r = resolveServer('/x/amber-lsp', machine([]));
    assert.equal(r.ok, false);
    assert.match((r as { problem: string }).problem, /amber\.server\.path is "\/x\/amber-lsp", but \/x\/amber-lsp is not an executable file/);
  });
  await t.test('nowhere', () => {
    const r = resolveServer(undefined, machine([], { PATH: '/usr/bin:/bin' }));
    assert.deepEqual(r, { ok: false, problem: 'amber-lsp was not found on PATH nor in the Go bin directories', searched: ['/usr/bin', '/bin', '/home/u/go/bin'] });
  });
  await t.test('windows: PATHEXT and ;', () => {
    const r = resolveServer(undefined, machine(['C:\\go\\bin\\amber-lsp.exe'], { Path: 'C:\\Windows;C:\\go\\bin', PATHEXT: '.COM;.EXE' }, 'win32'));
    assert.deepEqual(r, { ok: true, path: 'C:\\go\\bin\\amber-lsp.exe', how: 'PATH' });
  });
});

test('installAdvice names the install command and the PATH to fix', () => {
  for (const [platform, where] of [['linux', '~/.profile'], ['darwin', '~/.zprofile'], ['win32', '%USERPROFILE%\\go\\bin']]) {
    const a = installAdvice(platform);
    assert.ok(a.includes(installCommand), platform);
    assert.ok(a.includes(where), `${platform}: ${where}`);
    assert.ok(a.includes('amber.server.path'), platform);
  }
});

test('Status', async (t) => {
  await t.test('phases', () => {
    const s = new Status();
    assert.match(s.view().text, /circle-slash/);
    s.setPhase('starting');
    assert.equal(s.view().text, '$(sync~spin) Amber: starting');
    s.setServer('amber-lsp v1 at /bin/amber-lsp');
    s.setPhase('ready');
    assert.equal(s.view().text, '$(check) Amber');
    assert.match(s.view().tooltip, /ready\. amber-lsp v1 at \/bin\/amber-lsp/);
    s.setPhase('error', 'amber-lsp was not found');
    assert.deepEqual(s.view(), { text: '$(error) Amber', tooltip: 'Amber: amber-lsp was not found. Click to show the server output.', error: true });
  });
  await t.test('work: preview over indexing, errors over all', () => {
    const s = new Status();
    s.setPhase('ready');
    s.begin('1', workOf('Indexing Amber manifests'), 'Indexing Amber manifests');
    assert.equal(s.view().text, '$(sync~spin) Amber: indexing');
    s.report('1', '3/10 files');
    assert.match(s.view().tooltip, /Indexing Amber manifests: 3\/10 files/);
    s.begin('2', workOf('Running overlay helpers'), 'Running overlay helpers');
    assert.equal(s.view().text, '$(sync~spin) Amber: preview running');
    s.end('2');
    assert.equal(s.view().text, '$(sync~spin) Amber: indexing');
    s.end('1');
    assert.equal(s.view().text, '$(check) Amber');
    s.begin('3', 'indexing', 'x');
    s.setPhase('error', 'crashed');
    assert.equal(s.view().text, '$(error) Amber');
    s.setPhase('ready');
    assert.equal(s.view().text, '$(check) Amber', 'work of a stopped server is forgotten');
  });
});

test('command messages', () => {
  const facts = { version: 'v0.3.0', commands: ['amber.graph'] };
  assert.equal(unsupportedMessage('amber.graph', 'the scenario graph', facts), undefined);
  const u = unsupportedMessage('amber.overlays.preview', 'the overlay preview', facts) as string;
  assert.match(u, /this amber-lsp v0\.3\.0 cannot show the overlay preview \(it does not offer the `amber\.overlays\.preview` command\)/);
  assert.ok(u.includes(installCommand));
  assert.match(failureMessage('amber.graph', 'the scenario graph', { code: -32601, message: 'unknown command' }, facts), /does not offer the `amber\.graph` command/);
  assert.equal(failureMessage('amber.graph', 'the scenario graph', { code: -32603, message: 'no scenario contains x.json5\n' }, facts),
    'Amber: could not show the scenario graph: no scenario contains x.json5');
  assert.equal(failureMessage('amber.graph', 'the scenario graph', new Error('boom'), facts), 'Amber: could not show the scenario graph: boom');
});
