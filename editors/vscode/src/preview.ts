// The overlay preview: the JSON the server's `amber.overlays.preview` command returns for the
// active manifest's scenario, in a read-only editor (a virtual document of scheme amber-preview).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AmberServer, languageId, showUntrusted } from './client';
import { serverCommands } from './commands';

/** The URI scheme of preview documents. */
export const previewScheme = 'amber-preview';

/** PreviewDocuments holds the text of each preview document. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// Run "Amber: Show Overlay Preview" in a manifest to compute this preview.\n';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** previewUri names the preview of the scenario that contains `source`. */
export function previewUri(source: vscode.Uri): vscode.Uri {
  const name = path.posix.basename(source.path).replace(/\.json5?$/, '');
  return vscode.Uri.from({ scheme: previewScheme, path: `/${name} (overlay preview).json`, query: source.toString() });
}

/** activeManifest is the manifest the user looks at: the active editor's, or a preview's source. */
export function activeManifest(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    return undefined;
  }
  if (doc.uri.scheme === previewScheme && doc.uri.query) {
    return vscode.Uri.parse(doc.uri.query);
  }
  return doc.languageId === languageId ? doc.uri : undefined;
}

/** showOverlayPreview runs the preview of the active manifest's scenario and shows it beside. */
export async function showOverlayPreview(server: AmberServer, docs: PreviewDocuments): Promise<void> {
  const source = activeManifest();
  if (!source) {
    void vscode.window.showWarningMessage('Amber: open an Amber manifest first; the overlay preview is computed for the scenario it belongs to.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    await showUntrusted();
    return;
  }
  const result = await server.command(serverCommands.overlaysPreview, [source.toString()], 'the overlay preview', 'preview');
  if (result === undefined) {
    return;
  }
  const uri = previewUri(source);
  docs.set(uri, `${JSON.stringify(result, null, 2)}\n`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}
