// Bundles the extension with esbuild:
//   node build.mjs               dist/extension.js (Node, for the extension host) and
//                                dist/graph.js (the graph webview, with Graphviz in WASM)
//   node build.mjs --production  the same, minified, without source maps (what the .vsix holds)
//   node build.mjs --tests       out/test/*.test.js from test/unit/*.test.ts, for `node --test`
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

if (tests) {
  const dir = 'test/unit';
  fs.rmSync('out/test', { recursive: true, force: true });
  await esbuild.build({
    entryPoints: fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f)),
    outdir: 'out/test',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The unit tests exercise the modules that do not need VS Code; the libraries that read
    // files next to themselves (the oniguruma WASM) stay in node_modules.
    external: ['vscode', 'vscode-textmate', 'vscode-oniguruma'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
} else {
  fs.rmSync('dist', { recursive: true, force: true });
  await Promise.all([
    esbuild.build({
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      external: ['vscode'],
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
    }),
    esbuild.build({
      entryPoints: ['src/webview/graph.ts'],
      outfile: 'dist/graph.js',
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
    }),
  ]);
}
