// The Amber extension: the `amber` language for manifests, the amber-lsp language client, and
// the commands (restart, overlay preview, scenario graph, server output).
import * as vscode from 'vscode';
import { AmberServer, languageId } from './client';
import { clientCommands } from './commands';
import { hasManifestVersion } from './detect';
import { GraphPanel } from './graph';
import { PreviewDocuments, previewScheme, showOverlayPreview } from './preview';

let server: AmberServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Amber Language Server');
  server = new AmberServer(output);
  const s = server;
  const previews = new PreviewDocuments();
  context.subscriptions.push(
    output,
    s,
    previews,
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, previews),
    vscode.commands.registerCommand('amber.restartServer', () => s.restart()),
    vscode.commands.registerCommand('amber.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('amber.showOverlayPreview', () => showOverlayPreview(s, previews)),
    vscode.commands.registerCommand('amber.showGraph', () => GraphPanel.show(context, s)),
    vscode.commands.registerCommand(clientCommands.showReferences,
      (uri: unknown, position: unknown, locations: unknown) => s.showReferences(uri, position, locations)),
    vscode.workspace.onDidOpenTextDocument((doc) => opened(doc, s)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('amber.server.path')) {
        void s.restart();
      } else if (e.affectsConfiguration('amber')) {
        s.settingsChanged();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => s.settingsChanged()),
  );
  for (const doc of vscode.workspace.textDocuments) {
    opened(doc, s);
  }
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}

/**
 * opened starts the server for the first Amber manifest, and gives the `amber` language to JSON
 * files that are manifests (a top-level `manifest_version` key): VS Code picks a language by the
 * file name (and the first line only when no name matches), so `.json` manifests are recognised
 * here, by their content, as the server recognises them.
 */
function opened(doc: vscode.TextDocument, s: AmberServer): void {
  if (doc.uri.scheme !== 'file') {
    return;
  }
  if (doc.languageId === 'json' && hasManifestVersion(doc.getText())) {
    void vscode.languages.setTextDocumentLanguage(doc, languageId);
    return;
  }
  if (doc.languageId === languageId) {
    void s.start();
  }
}
