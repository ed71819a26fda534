// The graph webview's script: draws the DOT text the extension posts with Graphviz (WebAssembly,
// bundled with this script by build.mjs). Runs in the webview, not in Node.
import { instance, Viz } from '@viz-js/viz';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface GraphMessage {
  type: 'graph';
  title: string;
  dot: string;
  applyOverlays: boolean;
  trusted: boolean;
}

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const graph = byId<HTMLElement>('graph');
const error = byId<HTMLPreElement>('error');
const state = byId<HTMLSpanElement>('state');
const overlays = byId<HTMLInputElement>('overlays');
const overlaysLabel = byId<HTMLLabelElement>('overlays-label');
let viz: Promise<Viz> | undefined;

function fail(message: string): void {
  error.textContent = message;
  error.hidden = false;
  state.textContent = '';
}

async function draw(m: GraphMessage): Promise<void> {
  byId('title').textContent = m.title;
  overlays.checked = m.applyOverlays;
  overlays.disabled = !m.trusted;
  overlaysLabel.setAttribute('aria-disabled', String(!m.trusted));
  overlaysLabel.title = m.trusted ? 'Run the overlay helpers and draw the rewritten scenario' : 'Overlays run helper programs: only in a trusted workspace';
  if (!m.dot) {
    state.textContent = 'No graph yet.';
    return;
  }
  state.textContent = 'Drawing…';
  try {
    viz ??= instance();
    const svg = (await viz).renderSVGElement(m.dot);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Scenario graph of ${m.title}`);
    graph.replaceChildren(svg);
    error.hidden = true;
    const nodes = svg.querySelectorAll('g.node').length;
    const edges = svg.querySelectorAll('g.edge').length;
    state.textContent = `${nodes} node${nodes === 1 ? '' : 's'}, ${edges} edge${edges === 1 ? '' : 's'}`;
  } catch (e) {
    fail(`Graphviz could not draw the graph: ${(e as Error)?.message ?? e}`);
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as GraphMessage;
  if (m && m.type === 'graph') {
    void draw(m);
  }
});
byId('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh', applyOverlays: overlays.checked }));
byId('source').addEventListener('click', () => vscode.postMessage({ type: 'source' }));
overlays.addEventListener('change', () => vscode.postMessage({ type: 'refresh', applyOverlays: overlays.checked }));
vscode.postMessage({ type: 'ready' });
