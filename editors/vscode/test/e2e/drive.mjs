// Drives the installed Amber extension in code-server (VS Code in a browser) through headless
// Chromium, with keys and the mouse as a user would, and checks what the workbench shows and what
// lands on disk. Started by ../../test.sh, which prepares the workspace and code-server.
//   node drive.mjs URL WORKSPACE OUT_DIR
// Prints one `PASS vscode <check> (<seconds>s) <detail>` or `FAIL ...` line per check on stdout,
// a step log on stderr, screenshots vscode-<check>.png in OUT_DIR. Exit 1 when a check failed.
// With TRUST=untrusted the workspace is in restricted mode and the `untrusted` checks run instead.
// Env: CHECKS=a,b (only these), CHROMIUM (default /usr/bin/chromium), WAIT_MS (default 15000).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url, ws, outDir] = process.argv.slice(2);
const only = process.env.CHECKS ? new Set(process.env.CHECKS.split(',')) : null;
const waitMs = Number(process.env.WAIT_MS || 15000);
const t0 = Date.now();
const log = (s) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}\n`);
const squash = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
const brief = (v) => squash(typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 240);
const read = (f) => fs.readFileSync(path.join(ws, f), 'utf8');

/** where returns the 1-based line and column of the n-th `text` in file, plus `offset` columns. */
function where(file, text, offset = 0, nth = 0) {
  const src = read(file);
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = src.indexOf(text, at + 1);
    if (at < 0) throw new Error(`${file} has no ${JSON.stringify(text)}`);
  }
  const before = src.slice(0, at);
  const line = before.split('\n').length;
  return [line, at - before.lastIndexOf('\n') + offset];
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  timeout: 60000,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-default-apps',
    '--disable-background-networking', '--disable-component-update'],
});
let failed = false;
const results = [];
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Only the local code-server: a webview that tried to load a renderer from a CDN would fail.
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(u.hostname) || u.hostname.endsWith('.localhost') || ['data:', 'blob:'].includes(u.protocol)) {
      return route.continue();
    }
    blocked.push(u.href);
    return route.abort();
  });
  const page = await context.newPage();
  const sleep = (ms) => page.waitForTimeout(ms);
  const shot = (name) => page.screenshot({ path: path.join(outDir, `vscode-${name}.png`) }).catch(() => {});
  /** until polls fn until it returns a truthy value or the wait runs out; returns the last value. */
  const until = async (fn, ms = waitMs, every = 250) => {
    const end = Date.now() + ms;
    let v;
    while (!(v = await fn().catch(() => undefined)) && Date.now() < end) await sleep(every);
    return v;
  };

  await page.goto(url, { timeout: 60000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
  await page.waitForSelector('.explorer-folders-view', { timeout: 60000 }).catch(() => {});
  log('workbench loaded');

  // ---- the workbench, through keys ----
  const activeTab = async () => (await page.locator('.editor-group-container.active .tabs-container .tab.active').first().getAttribute('aria-label', { timeout: 2000 }).catch(() => '')) || '';
  const quickInput = () => page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  const focusEditor = async () => { await page.keyboard.press('Control+1'); await sleep(100); };
  const open = async (file) => {
    const name = path.basename(file);
    for (let i = 0; i < 3 && !(await activeTab()).startsWith(name); i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await quickInput();
      await page.keyboard.type(file, { delay: 10 });
      await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10000 }).catch(() => {});
      await sleep(300);
      await page.keyboard.press('Enter');
      await until(async () => (await activeTab()).startsWith(name), 8000);
    }
    if (!(await activeTab()).startsWith(name)) throw new Error(`could not open ${file} (active tab ${JSON.stringify(await activeTab())})`);
    await sleep(200);
  };
  const goTo = async (line, col) => {
    await focusEditor();
    await page.keyboard.press('Control+G');
    await quickInput();
    await page.keyboard.type(`${line}:${col}`, { delay: 10 });
    await sleep(100);
    await page.keyboard.press('Enter');
    await sleep(200);
  };
  const run = async (label, settle = 400) => {   // F1, the command's title, Enter
    await page.keyboard.press('F1');
    await quickInput();
    await page.keyboard.type(label, { delay: 8 });
    await until(async () => (await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText({ timeout: 500 })).includes(label.split(': ').pop()), 5000);
    await page.keyboard.press('Enter');
    await sleep(settle);
  };
  const saveAll = async () => { await run('File: Save All Files', 800); };
  const save = async () => { await focusEditor(); await page.keyboard.press('Control+S'); await sleep(700); };
  const revert = () => run('File: Revert File', 500);
  const statusText = async (id) => squash(await page.locator(`[id="${id}"]`).first().innerText({ timeout: 2000 }).catch(() => ''));
  const languageMode = () => statusText('status.editor.mode');
  const notices = async () => [...new Set((await page.locator('.notification-list-item-message').evaluateAll((els) => els.map((e) => e.textContent)).catch(() => []))
    .map(squash).filter(Boolean))];
  const clearNotices = () => run('Notifications: Clear All Notifications', 200);
  const amberStatus = async () => {
    const item = page.locator('.statusbar-item[id$="amber.status"]').first();
    return squash(`${await item.innerText({ timeout: 1000 }).catch(() => '')} | ${await item.getAttribute('aria-label', { timeout: 1000 }).catch(() => '')}`);
  };
  const context_ = async () => `status ${JSON.stringify(await amberStatus())}; language ${JSON.stringify(await languageMode())}; notices ${brief(await notices())}`;
  const problems = async () => (await page.locator('.markers-panel .monaco-list-row').allInnerTexts().catch(() => [])).map(squash);
  const hoverText = async () => squash(await page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .monaco-hover-content').first().innerText({ timeout: 3000 }).catch(() => ''));
  const visibleText = async () => squash(await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText({ timeout: 2000 }).catch(() => ''));
  /** lensesAbove returns the code lenses shown just above the first visible line holding text. */
  const lensesAbove = (text) => page.evaluate((text) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const line = [...editor.querySelectorAll('.view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(text));
    if (!line) return [];
    const y = line.getBoundingClientRect().top;
    return [...editor.querySelectorAll('.codelens-decoration a')]
      .filter((a) => { const t = a.getBoundingClientRect().top; return t < y && y - t < 40; })
      .map((a) => a.textContent.trim());
  }, text).catch(() => []);
  /** clickLens clicks, with the mouse, the lens titled title above the first visible line holding text. */
  const clickLens = async (text, title) => {
    const box = await page.evaluate(([text, title]) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const line = [...editor.querySelectorAll('.view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(text));
      const y = line.getBoundingClientRect().top;
      const a = [...editor.querySelectorAll('.codelens-decoration a')]
        .find((a) => { const t = a.getBoundingClientRect().top; return t < y && y - t < 40 && a.textContent.includes(title); });
      if (!a) return undefined;
      const r = a.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, [text, title]).catch(() => undefined);
    if (!box) return false;
    await page.mouse.click(box.x, box.y);
    return true;
  };
  const problemsShown = async () => {
    if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
    await sleep(300);
  };
  const frameWith = async (selector) => {
    for (const f of page.frames()) {
      if (await f.locator(selector).count().catch(() => 0)) return f;
    }
    return undefined;
  };

  const checks = {
    async settings() {
      // Every contributed setting, looked up by its key in the Settings editor: shown, described.
      const want = Object.keys(JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).contributes.configuration.properties);
      await run('Preferences: Open Settings (UI)', 1000);
      const search = page.locator('.settings-editor .suggest-input-container textarea').first();
      await search.waitFor({ timeout: 10000 });
      const seen = new Map();
      // All of the extension's settings at once; a search per key only for any not shown.
      await search.focus();
      await page.keyboard.type('@ext:amberlsp.amber-lsp', { delay: 5 });
      await page.locator('.settings-editor-tree .monaco-list-row [data-key]').first().waitFor({ timeout: 10000 }).catch(() => {});
      await sleep(800);
      for (const key of want) {
        const row = page.locator(`.settings-editor-tree .monaco-list-row:has([data-key="${key}"])`).first();
        if (await row.count()) {
          seen.set(key, squash(await row.locator('.setting-item-description').first().textContent({ timeout: 2000 }).catch(() => '')));
        }
      }
      for (const key of want.filter((k) => !seen.has(k))) {
        await search.focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.type(key, { delay: 5 });
        const row = page.locator(`.settings-editor-tree .monaco-list-row:has([data-key="${key}"])`).first();
        if (await row.waitFor({ timeout: 5000 }).then(() => true).catch(() => false)) {
          seen.set(key, squash(await row.locator('.setting-item-description').first().textContent({ timeout: 2000 }).catch(() => '')));
        }
      }
      await shot('settings');
      await page.keyboard.press('Escape');
      await run('View: Close Editor', 300);
      const missing = want.filter((k) => !seen.has(k));
      const undescribed = [...seen].filter(([, d]) => d.length < 20).map(([k]) => k);
      if (missing.length || undescribed.length) return [false, `missing ${brief(missing)}; without description ${brief(undescribed)}`];
      return [true, `${seen.size} settings shown with descriptions: ${[...seen.keys()].join(', ')}`];
    },

    async status() {
      await open('shopping.json5');
      // Ready: the item reads `Amber` after a check icon, its tooltip names the server.
      const s = await until(async () => { const v = await amberStatus(); return /^Amber \| check Amber, Amber: ready\. amber-lsp/.test(v) ? v : ''; });
      const mode = await languageMode();
      if (s && /Amber manifest/.test(mode)) return [true, `${s}; language ${mode}`];
      return [false, await context_()];
    },

    async diagnostics() {
      await open('broken.json5');
      const [line, col] = where('broken.json5', '"#missing');
      const squiggle = await page.waitForSelector('.squiggly-error', { timeout: waitMs }).then(() => true).catch(() => false);
      if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
      const want = (r) => r.includes('#missing') && r.includes(`[Ln ${line}, Col ${col}]`);
      const rows = await until(async () => { const r = await problems(); return r.some(want) ? r : undefined; }) ?? await problems();
      await shot('diagnostics');
      await page.keyboard.press('Control+Shift+M');
      if (squiggle && rows.some(want)) return [true, rows.filter(want)];
      return [false, `squiggle ${squiggle}; no Problems row for #missing at [Ln ${line}, Col ${col}]: ${brief(rows)}; ${await context_()}`];
    },

    async hover() {
      await open('shopping.json5');
      const at = where('shopping.json5', '"#store.orders"', 8);
      let h = '';
      for (let i = 0; i < 3 && !/orders/.test(h); i++) {
        await page.keyboard.press('Escape');
        await goTo(...at);
        await run('Show or Focus Hover', 1000);
        h = await hoverText();
      }
      await shot('hover');
      await page.keyboard.press('Escape');
      if (/orders/.test(h) && /store/.test(h)) return [true, h];
      return [false, `hover shows ${JSON.stringify(h)}; ${await context_()}`];
    },

    async highlights() {
      // The cursor on `store` of `#store.orders`: the server's document highlights, the
      // declaration (`store:`, a write) and this reference (a read). VS Code's own word
      // highlighting, without them, would mark every `store` of the file (the comment, the path).
      // Asked before the server is ready, VS Code falls back to its own until the cursor moves.
      await open('shopping.json5');
      await until(async () => /Amber: ready/.test(await amberStatus()));
      const count = async (cls) => page.locator(`.editor-group-container.active .view-overlays .cdr.${cls}`).count();
      const highlighted = async () => {
        const [write, read, text] = [await count('wordHighlightStrong'), await count('wordHighlight'), await count('wordHighlightText')];
        return write + read + text >= 2 ? { write, read, text } : undefined;
      };
      let seen;
      for (let i = 0; i < 3 && !(seen?.write === 1 && seen?.read === 1); i++) {
        await goTo(...where('shopping.json5', 'manifest_version'));
        await goTo(...where('shopping.json5', '"#store.orders"', 2));
        seen = await until(highlighted, waitMs, 300);
      }
      await shot('highlights');
      if (seen && seen.write === 1 && seen.read === 1 && seen.text === 0) return [true, 'store: (write) and #store (read) highlighted'];
      return [false, `highlights ${JSON.stringify(seen)}, want one write and one read; ${await context_()}`];
    },

    async definition() {
      await open('shopping.json5');
      await goTo(...where('shopping.json5', '"#store.orders"', 8));
      await page.keyboard.press('F12');
      const tab = await until(async () => { const t = await activeTab(); return t.startsWith('store.json5') ? t : ''; }, 8000);
      const cursor = await statusText('status.editor.selection');
      if (tab) return [true, `store.json5 ${cursor}`];
      return [false, `active tab ${JSON.stringify(await activeTab())}; ${await context_()}`];
    },

    async completion() {
      await open('shopping.json5');
      // Replace `.orders` by `.`, a trigger character: the list should open by itself.
      await goTo(...where('shopping.json5', '#store.orders', 6));
      for (let i = 0; i < '.orders'.length; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.type('.', { delay: 50 });
      const rows = '.suggest-widget.visible .monaco-list-row';
      let shown = await page.locator(rows).first().waitFor({ timeout: 3000 }).then(() => true).catch(() => false);
      if (!shown) {
        await page.keyboard.press('Control+Space');
        shown = await page.locator(rows).first().waitFor({ timeout: 8000 }).then(() => true).catch(() => false);
      }
      await sleep(300);
      const labels = (await page.locator(`${rows} .label-name`).allInnerTexts().catch(() => [])).map(squash);
      await shot('completion');
      await page.keyboard.press('Escape');
      await revert();
      if (labels.some((l) => l === 'orders' || l.endsWith('.orders'))) return [true, labels];
      return [false, `no "orders" among ${brief(labels)}; ${await context_()}`];
    },

    async code_action() {
      await open('draft.json5');
      await page.waitForSelector('.squiggly-error, .squiggly-warning', { timeout: waitMs }).catch(() => {});
      const [line, col] = where('draft.json5', 'policies:');
      await goTo(line, col + 1);
      await sleep(500);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget .monaco-list-row');
      await menu.first().waitFor({ timeout: 8000 }).catch(() => {});
      await sleep(300);
      const titles = (await menu.allInnerTexts().catch(() => [])).map(squash).filter(Boolean);
      await shot('code_action');
      const focused = async () => squash(await page.locator('.action-widget .monaco-list-row.focused').first().innerText({ timeout: 1000 }).catch(() => ''));
      let hit = false;
      for (let i = 0; i <= titles.length && !(hit = /overlays/.test(await focused())); i++) await page.keyboard.press('ArrowDown');
      if (!hit) {
        await page.keyboard.press('Escape');
        return [false, `no quick fix naming overlays in ${brief(titles)}; ${await context_()}`];
      }
      await page.keyboard.press('Enter');
      await sleep(800);
      await save();
      const text = read('draft.json5').split('\n')[line - 1] ?? '';
      if (/^\s*overlays:/.test(text)) return [true, { menu: titles, line: squash(text) }];
      return [false, `line ${line} on disk reads ${JSON.stringify(text)} after ${brief(titles)}`];
    },

    async highlighting() {
      await open('shopping.json5');
      await page.keyboard.press('Escape');
      await goTo(...where('shopping.json5', '"#store.orders"', 2));
      await shot('highlighting');
      await run('Developer: Inspect Editor Tokens and Scopes', 1000);
      const widget = squash(await page.locator('.token-inspect-widget').first().innerText({ timeout: 5000 }).catch(() => ''));
      await shot('highlighting-scopes');
      await page.keyboard.press('Escape');
      // The word under the cursor is `store`: our grammar's scopes for a child in a reference.
      const want = ['entity.name.type.component.amber', 'meta.reference.amber', 'source.json5.amber'];
      const lacking = want.filter((s) => !widget.includes(s));
      // The text is coloured: more than one colour class among the tokens of the line.
      const colours = await page.locator('.editor-group-container.active .view-line').evaluateAll((lines) => {
        const set = new Set();
        for (const l of lines) for (const s of l.querySelectorAll('span > span')) set.add(s.className);
        return set.size;
      }).catch(() => 0);
      if (!lacking.length && colours > 3) return [true, `${colours} token classes on screen; scopes at store: ${want.join(', ')}`];
      return [false, `inspect widget lacks ${brief(lacking)}: ${brief(widget)}; ${colours} token classes`];
    },

    async json_detection() {
      await open('legacy.json');
      const mode = await until(async () => { const m = await languageMode(); return /Amber manifest/.test(m) ? m : ''; }, 8000);
      if (mode) return [true, `legacy.json opens as ${mode}`];
      return [false, `legacy.json opens as ${JSON.stringify(await languageMode())}`];
    },

    async graph() {
      await open('shopping.json5');
      await run('Amber: Show Scenario Graph', 1500);
      const frame = await until(async () => (await frameWith('#graph svg g.node')) ?? ((await notices()).length ? 'notice' : undefined), waitMs);
      await shot('graph');
      if (!frame || frame === 'notice') {
        const view = await frameWith('#graph');
        const err = view ? squash(await view.locator('#error').textContent().catch(() => '')) : '';
        const state = view ? squash(await view.locator('#state').textContent().catch(() => '')) : '';
        const why = await context_();
        await run('View: Close Editor', 300);
        return [false, `no SVG in the graph webview (webview ${view ? 'open' : 'missing'}; state ${JSON.stringify(state)}; error ${JSON.stringify(err)}); ${why}`];
      }
      const nodes = await frame.locator('#graph svg g.node title').evaluateAll((els) => els.map((e) => e.textContent));
      const state = squash(await frame.locator('#state').innerText());
      await run('View: Close Editor', 300);
      return [true, `${state}: ${brief(nodes)}`];
    },

    async preview() {
      await open('examples/scenario.json5');
      await run('Amber: Show Overlay Preview', 1000);
      // The first preview starts the overlay helpers: allow them a minute.
      const tab = await until(async () => { const t = await activeTab(); return /overlay preview/.test(t) ? t : (await notices()).length ? 'notice' : ''; }, 60000, 500) === 'notice' ? '' : await activeTab();
      const text = tab ? await until(async () => { const v = await visibleText(); return v.includes('#audit.apply') ? v : ''; }, 5000) : '';
      await shot('preview');
      if (!tab || !text) {
        const n = await notices();
        return [false, `no preview editor (active tab ${JSON.stringify(await activeTab())}); ${await context_()}; notices ${brief(n)}`];
      }
      // Read-only: typing into the (focused) preview changes nothing.
      await page.keyboard.type('x');
      await sleep(500);
      const after = await visibleText();
      const readOnly = after === text && !(await page.locator('.editor-group-container.active .tab.active.dirty').count());
      await run('View: Close Editor', 300);
      if (!readOnly) return [false, 'the preview editor took typing'];
      // The preview is kept like a save's: the lens of the `overlays` entry says what the helper did.
      await open('examples/scenario.json5');
      await goTo(...where('examples/scenario.json5', 'overlays: ['));
      const lens = await until(async () => (await lensesAbove('overlays: [')).find((t) => /interposer/.test(t)), waitMs);
      if (!lens) return [false, `no lens on overlays after the preview: ${brief(await lensesAbove('overlays: ['))}`];
      return [true, `${tab}: ${brief(text.slice(0, 100))}; lens "${lens}"`];
    },

    async lens() {
      // The "N references" lens of the slot `orders` runs amber.showReferences, which the
      // extension turns into the references peek view.
      await open('shop.json5');
      await goTo(...where('shop.json5', 'orders: { kind', 1));
      const titles = await until(async () => { const t = await lensesAbove('orders: { kind'); return t.some((x) => /reference/.test(x)) ? t : undefined; }, waitMs);
      if (!titles) return [false, `no references lens above orders: ${brief(await lensesAbove('orders: { kind'))}; ${await context_()}`];
      await clickLens('orders: { kind', 'reference');
      const peek = page.locator('.reference-zone-widget');
      const shown = await peek.first().waitFor({ timeout: 8000 }).then(() => true).catch(() => false);
      await sleep(500);
      const files = (await peek.locator('.reference-file .label-name, .ref-tree .monaco-list-row').allInnerTexts().catch(() => [])).map(squash);
      await shot('lens');
      // Close the peek view and the editor: the next checks start from a fresh one.
      await page.keyboard.press('Escape');
      await focusEditor();
      await page.keyboard.press('Escape');
      await run('View: Close Editor', 300);
      const want = ['shop.json5', 'shopping.json5'];
      const lacking = want.filter((f) => !files.some((x) => x.includes(f)));
      if (shown && !lacking.length) return [true, { lens: titles, peek: files }];
      return [false, `peek ${shown ? 'shown' : 'not shown'}, lacking ${brief(lacking)}: ${brief(files)}; notices ${brief(await notices())}`];
    },

    async cloud_init() {
      // The cloud-init YAML file vm.json5 names is checked by the same server (the extension
      // starts on a manifest: open the one that names the file first).
      await open('vm.json5');
      await open('user-data.yaml');
      const mode = await languageMode();
      const [line, col] = where('user-data.yaml', 'slots.apii.url');
      await problemsShown();
      const want = (r) => r.includes('unknown slot `apii`') && r.includes('cloud_init_reference') && r.includes(`[Ln ${line}, Col ${col}]`);
      const rows = await until(async () => { const r = await problems(); return r.some(want) ? r : undefined; }) ?? await problems();
      await shot('cloud_init');
      await page.keyboard.press('Control+Shift+M');
      if (rows.some(want)) return [true, `${mode}: ${brief(rows.filter(want))}`];
      return [false, `no cloud_init_reference row at [Ln ${line}, Col ${col}] in ${JSON.stringify(mode)}: ${brief(rows)}; ${await context_()}`];
    },

    async rename() {
      // Rename the shop's slot `orders` in shop.json5: its `${slots.orders.url}` and the parent's
      // binding `#shop.orders` in shopping.json5 change too.
      await open('shop.json5');
      await goTo(...where('shop.json5', 'orders: { kind', 1));
      await focusEditor();
      await sleep(300);
      await page.keyboard.press('F2');
      const box = await page.locator('.rename-box input, .rename-input').first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true).catch(() => false);
      if (!box) {
        const n = await notices();
        await page.keyboard.press('Escape');
        return [false, `F2 shows no rename box; notices ${brief(n)}`];
      }
      // Type into the rename box itself (a Control+A elsewhere would select the document).
      // Fill it rather than type: on a loaded machine the first keys typed could reach the
      // box before it took them (the slot became `rchases`).
      const input = page.locator('.rename-box input, .rename-input').first();
      await until(async () => { await input.fill('purchases'); return (await input.inputValue()) === 'purchases'; }, 5000, 200);
      await input.press('Enter');
      // The edit comes back from the server and is applied, then saved: wait for it on disk.
      const lackingOnDisk = () => {
        const shop = read('shop.json5');
        const parent = read('shopping.json5');
        const want = [[shop, 'purchases: { kind'], [shop, '${slots.purchases.url}'], [parent, '"#shop.purchases"']];
        return [want.filter(([t, s]) => !t.includes(s)).map(([, s]) => s), parent];
      };
      await until(async () => { await saveAll(); return lackingOnDisk()[0].length === 0; }, waitMs, 500);
      await shot('rename');
      const [lacking, parent] = lackingOnDisk();
      if (!lacking.length && !parent.includes('#shop.orders')) return [true, 'shop.json5 and shopping.json5 renamed on disk'];
      return [false, `on disk the rename lacks ${brief(lacking)}; notices ${brief(await notices())}`];
    },

    async format() {
      await open('messy.json5');
      const before = read('messy.json5');
      await focusEditor();
      await run('Format Document', 1500);
      const n = await notices();
      await shot('format');
      await page.keyboard.press('Escape');
      await save();
      const after = read('messy.json5');
      if (after === before) return [false, `text unchanged; notices ${brief(n)}`];
      const lost = ['manifest_version', '#store.orders', 'formatting keeps this comment'].filter((k) => !after.includes(k));
      if (lost.length) return [false, `the formatted text lost ${brief(lost)}`];
      return [true, `${before.split('\n').length} -> ${after.split('\n').length} lines`];
    },

    async file_rename() {
      // Rename shop.json5 in the explorer: VS Code asks whether to make the extension's changes
      // with the move (OK), then the server's willRenameFiles edit makes shopping.json5 name the
      // new file, and VS Code saves it (files.refactoring.autoSave). The server must be running
      // for its answer to be asked: open the parent first. VS Code asks once every participant
      // has answered, which took up to 30 s here (another extension's participant): wait a minute.
      await open('shopping.json5');
      await until(async () => /Amber: ready/.test(await amberStatus()));
      log('file_rename: the server is ready');
      await page.keyboard.press('Control+Shift+E');
      const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^shop\.json5$/ }).first();
      const shown = await item.waitFor({ state: 'visible', timeout: 10000 }).then(() => true).catch(() => false);
      if (!shown) return [false, `the explorer shows no shop.json5; ${await context_()}`];
      await item.click();
      await sleep(300);
      await page.keyboard.press('F2');
      const input = page.locator('.explorer-folders-view .monaco-inputbox input').first();
      const box = await input.waitFor({ state: 'visible', timeout: 5000 }).then(() => true).catch(() => false);
      if (!box) return [false, `F2 in the explorer shows no rename box; notices ${brief(await notices())}`];
      await until(async () => { await input.fill('boutique.json5'); return (await input.inputValue()) === 'boutique.json5'; }, 5000, 200);
      await input.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      const asked = await dialog.waitFor({ state: 'visible', timeout: Math.max(waitMs, 60000) }).then(() => true).catch(() => false);
      const question = asked ? squash((await dialog.innerText().catch(() => '')).match(/[^\n]*refactoring[^\n]*/)?.[0]) : '';
      log(`file_rename: asked ${JSON.stringify(question)}`);
      if (asked) await dialog.getByRole('button', { name: 'OK', exact: true }).click();
      const renamed = () => fs.existsSync(path.join(ws, 'boutique.json5')) && !fs.existsSync(path.join(ws, 'shop.json5'));
      const followed = () => read('shopping.json5').includes('"./boutique.json5"');
      await until(async () => { if (renamed() && !followed()) await saveAll(); return renamed() && followed(); }, waitMs, 500);
      await shot('file_rename');
      if (renamed() && followed()) return [true, `${question} OK: shop.json5 renamed to boutique.json5; shopping.json5 names ./boutique.json5 on disk`];
      return [false, `asked ${JSON.stringify(question)}; renamed on disk ${renamed()}; shopping.json5 ${brief(read('shopping.json5').match(/manifest: "[^"]*"/g))}; notices ${brief(await notices())}`];
    },

    async missing_server() {
      // A server path that does not exist: the extension restarts, says what is wrong and how to
      // install the server, and the status bar shows the error.
      await run('Preferences: Open Settings (UI)', 1000);
      const search = page.locator('.settings-editor .suggest-input-container textarea').first();
      await search.waitFor({ timeout: 10000 });
      await search.focus();
      await page.keyboard.type('amber.server.path', { delay: 10 });
      const input = page.locator('.settings-editor-tree [data-key="amber.server.path"] input').first();
      await input.waitFor({ timeout: 10000 });
      await input.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('/nonexistent/amber-lsp', { delay: 10 });
      await page.keyboard.press('Tab');
      const n = await until(async () => (await notices()).find((x) => x.includes('not found') || x.includes('not an executable')), waitMs);
      const st = await amberStatus();
      await shot('missing_server');
      if (n && n.includes('go install github.com/amberlsp/amber-lsp/cmd/amber-lsp@latest') && /error/.test(st)) return [true, n];
      return [false, `notice ${JSON.stringify(n ?? '')}; ${await context_()}`];
    },
  };

  // In restricted mode (an untrusted workspace) the server runs, overlay helpers do not.
  const untrusted = {
    async restricted_diagnostics() {
      await open('broken.json5');
      const squiggle = await page.waitForSelector('.squiggly-error', { timeout: waitMs }).then(() => true).catch(() => false);
      const st = await amberStatus();
      if (squiggle && /check/.test(st)) return [true, `diagnostics shown; status ${st}`];
      return [false, `squiggle ${squiggle}; ${await context_()}`];
    },
    async restricted_remote() {
      // The user's settings say amber.remote.fetch "all"; the server is told false here.
      // The diagnostic at the URL, read from its hover.
      await open('remote.json5');
      const at = where('remote.json5', 'https://', 2);
      const want = (h) => h.includes('remote_not_fetched') && h.includes('remote manifests are not fetched');
      let h = '';
      for (let i = 0; i < 5 && !want(h); i++) {
        await page.keyboard.press('Escape');
        if (i) await sleep(1000);
        await goTo(...at);
        await run('Show or Focus Hover', 1000);
        h = await hoverText();
      }
      await shot('restricted_remote');
      await page.keyboard.press('Escape');
      if (want(h)) return [true, h];
      return [false, `the hover at the URL shows ${JSON.stringify(h)}; ${await context_()}`];
    },
    async restricted_preview() {
      await open('examples/scenario.json5');
      await run('Amber: Show Overlay Preview', 800);
      const n = await until(async () => (await notices()).find((x) => /untrusted workspace/.test(x)), 8000);
      await shot('restricted_preview');
      const tab = await activeTab();
      if (n && !/overlay preview/.test(tab)) return [true, n];
      return [false, `notice ${JSON.stringify(n ?? '')}; active tab ${JSON.stringify(tab)}; ${await context_()}`];
    },
  };

  for (const [name, check] of Object.entries(process.env.TRUST === 'untrusted' ? untrusted : checks)) {
    if (only && !only.has(name)) continue;
    await clearNotices().catch(() => {});
    const start = Date.now();
    let ok = false;
    let detail;
    try {
      [ok, detail] = await check();
    } catch (e) {
      detail = `error: ${e?.message ?? e}`;
      await shot(`${name}-error`);
    }
    await page.keyboard.press('Escape').catch(() => {});
    const line = `${ok ? 'PASS' : 'FAIL'} vscode ${name} (${((Date.now() - start) / 1000).toFixed(1)}s) ${brief(detail)}`;
    if (!ok) failed = true;
    results.push(line);
    console.log(line);
    log(line);
  }
  if (blocked.length) log(`requests blocked (not local): ${brief(blocked)}`);
} catch (e) {
  failed = true;
  console.log(`FAIL vscode workbench ${brief(e?.message ?? e)}`);
} finally {
  await browser.close().catch(() => {});
}
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
process.exit(failed ? 1 : 0);
