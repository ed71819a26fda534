// The scenario graph in a webview: the DOT text of the server's `amber.graph` command, drawn by
// Graphviz compiled to WebAssembly (bundled in dist/graph.js; nothing is loaded from the network).
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AmberServer } from './client';
import { serverCommands } from './commands';
import { activeManifest } from './preview';

/** Messages from the webview. */
type FromView = { type: 'ready' } | { type: 'refresh'; applyOverlays: boolean } | { type: 'source' };

/** GraphPanel is the one graph webview; it follows the manifest it was last opened for. */
export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private source: vscode.Uri;
  private applyOverlays = false;
  private dot = '';
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** show opens (or reveals) the graph of the active manifest's scenario. */
  static async show(context: vscode.ExtensionContext, server: AmberServer): Promise<void> {
    const source = activeManifest();
    if (!source) {
      void vscode.window.showWarningMessage('Amber: open an Amber manifest first; the graph is drawn for the scenario it belongs to.');
      return;
    }
    if (GraphPanel.current) {
      GraphPanel.current.source = source;
      GraphPanel.current.panel.reveal(vscode.ViewColumn.Beside);
    } else {
      const panel = vscode.window.createWebviewPanel('amber.graph', 'Scenario graph', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
      });
      GraphPanel.current = new GraphPanel(panel, context, server, source);
    }
    await GraphPanel.current.refresh();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly server: AmberServer,
    source: vscode.Uri,
  ) {
    this.source = source;
    panel.webview.html = html(panel.webview, context.extensionUri);
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromView) => this.receive(m)),
      // Saving a manifest may change the graph: draw it again if it is on screen.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (panel.visible && doc.languageId === 'amber') {
          void this.refresh();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.post()),
    );
  }

  private async receive(m: FromView): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      this.post();
    } else if (m.type === 'refresh') {
      this.applyOverlays = m.applyOverlays && vscode.workspace.isTrusted;
      await this.refresh();
    } else if (m.type === 'source' && this.dot) {
      const doc = await vscode.workspace.openTextDocument({ content: this.dot, language: 'dot' });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Active);
    }
  }

  /** refresh asks the server for the graph again and draws it. */
  async refresh(): Promise<void> {
    const name = path.posix.basename(this.source.path);
    this.panel.title = `Graph: ${name}`;
    const applyOverlays = this.applyOverlays && vscode.workspace.isTrusted;
    const result = await this.server.command(serverCommands.graph, [this.source.toString(), { format: 'dot', applyOverlays }], 'the scenario graph', 'graph');
    if (typeof result === 'string') {
      this.dot = result;
    } else if (result !== undefined) {
      void vscode.window.showErrorMessage(`Amber: could not show the scenario graph: the server answered ${typeof result}, not DOT text.`);
    }
    this.post();
  }

  private post(): void {
    if (this.ready) {
      void this.panel.webview.postMessage({
        type: 'graph',
        title: path.posix.basename(this.source.path),
        dot: this.dot,
        applyOverlays: this.applyOverlays,
        trusted: vscode.workspace.isTrusted,
      });
    }
  }

  dispose(): void {
    GraphPanel.current = undefined;
    for (const d of this.subscriptions.splice(0)) {
      d.dispose();
    }
    this.panel.dispose();
  }
}

/** html is the webview page: a strict CSP that allows only the bundled script and style. */
function html(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'graph.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'graph.css'));
  // 'wasm-unsafe-eval' lets the bundled Graphviz compile its WebAssembly; no eval of JavaScript.
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}">
<title>Scenario graph</title>
</head>
<body>
<header>
  <span id="title"></span>
  <label id="overlays-label"><input type="checkbox" id="overlays"> Apply overlays</label>
  <button id="refresh" type="button">Refresh</button>
  <button id="source" type="button">Open DOT</button>
  <span id="state" role="status"></span>
</header>
<pre id="error" hidden></pre>
<main id="graph" aria-label="Scenario graph"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
