// The language client: starting amber-lsp, its settings (gated by workspace trust), the status
// bar item and the server's executeCommand commands.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ClientCapabilities,
  ExecuteCommandRequest,
  FeatureState,
  LanguageClient,
  LanguageClientOptions,
  Location,
  Position,
  ServerOptions,
  State,
  StaticFeature,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import { clientCommands, failureMessage, ServerFacts, serverCommands, unsupportedMessage } from './commands';
import { installAdvice, installCommand, resolveServer } from './server';
import { gateSection } from './settings';
import { Status, Work, workOf } from './status';

/** The language id the extension contributes for Amber manifests. */
export const languageId = 'amber';

/** AmberServer owns the language client and everything that shows its state. */
export class AmberServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private stopping = false;
  private readonly status = new Status();
  private readonly item: vscode.StatusBarItem;
  private requests = 0;
  /** Whether the item is on screen: from the first start on, not in a workspace of plain JSON. */
  private shown = false;

  constructor(readonly output: vscode.OutputChannel) {
    this.item = vscode.window.createStatusBarItem('amber.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'Amber';
    this.item.command = 'amber.showOutput';
    this.render();
  }

  /** start starts the server once (later calls wait for the same start); undefined if it cannot run. */
  start(): Promise<LanguageClient | undefined> {
    this.shown = true;
    if (!this.starting) {
      this.starting = this.launch();
    }
    return this.starting;
  }

  /** restart stops the server and starts it again, finding the executable afresh. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** stop stops the server, if it runs. */
  async stop(): Promise<void> {
    const pending = this.starting;
    this.starting = undefined;
    await pending?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.stopping = true;
      try {
        await client.stop(5000);
      } catch {
        // A client that never got running cannot be stopped; nothing is left to stop.
      } finally {
        this.stopping = false;
      }
    }
    this.setPhase('stopped');
  }

  /** settingsChanged tells the server its settings changed (it asks for them again). */
  settingsChanged(): void {
    const client = this.client;
    if (client && client.state === State.Running) {
      void client.sendNotification('workspace/didChangeConfiguration', { settings: { amber: gatedSettings() } });
    }
  }

  /**
   * command runs one of the server's executeCommand commands and returns its result; on
   * failure it shows why and returns undefined. `what` names the result for the messages, `work`
   * is what the status bar shows meanwhile.
   */
  async command(name: string, args: unknown[], what: string, work: Work): Promise<unknown> {
    const client = await this.start();
    if (!client || client.state !== State.Running) {
      void vscode.window.showErrorMessage(`Amber: cannot show ${what}: the language server is not running.`, 'Show Output')
        .then((pick) => pick && this.output.show(true));
      return undefined;
    }
    const facts = this.facts(client);
    const unsupported = unsupportedMessage(name, what, facts);
    if (unsupported) {
      void vscode.window.showErrorMessage(unsupported);
      return undefined;
    }
    const key = `request-${++this.requests}`;
    this.status.begin(key, work, `Computing ${what}`);
    this.render();
    try {
      const result = await client.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: args });
      if (result === null || result === undefined) {
        void vscode.window.showErrorMessage(`Amber: could not show ${what}: the server answered nothing.`);
        return undefined;
      }
      return result;
    } catch (err) {
      this.output.appendLine(`[amber] ${name} failed: ${(err as Error)?.message ?? err}`);
      void vscode.window.showErrorMessage(failureMessage(name, what, err, facts));
      return undefined;
    } finally {
      this.status.end(key);
      this.render();
    }
  }

  /**
   * showReferences runs `amber.showReferences`, the command of the server's "N references" code
   * lenses. Its arguments, in the protocol's form, are those of VS Code's
   * `editor.action.showReferences` (the document, the position and the places), which shows the
   * places in a peek view; the server does not run it.
   */
  async showReferences(uri: unknown, position: unknown, locations: unknown): Promise<void> {
    const client = this.client;
    if (!client || typeof uri !== 'string' || !Array.isArray(locations)) {
      this.output.appendLine(`[amber] ${clientCommands.showReferences}: unexpected arguments ${JSON.stringify([uri, position, locations]).slice(0, 200)}`);
      return;
    }
    const c = client.protocol2CodeConverter;
    await vscode.commands.executeCommand('editor.action.showReferences', c.asUri(uri),
      c.asPosition(position as Position), locations.map((l) => c.asLocation(l as Location)));
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
  }

  private facts(client: LanguageClient): ServerFacts {
    const init = client.initializeResult;
    return {
      version: init?.serverInfo?.version ?? '',
      commands: init?.capabilities.executeCommandProvider?.commands ?? [],
    };
  }

  private async launch(): Promise<LanguageClient | undefined> {
    const setting = vscode.workspace.getConfiguration('amber').get<string>('server.path');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const found = resolveServer(setting, {
      env: process.env,
      home: os.homedir(),
      platform: process.platform,
      isExecutable,
    }, folder);
    if (!found.ok) {
      this.output.appendLine(`[amber] cannot start the language server: ${found.problem}.`);
      this.output.appendLine(`[amber] searched: ${found.searched.join(', ') || '(nothing)'}`);
      this.output.appendLine(`[amber] ${installAdvice(process.platform)}`);
      this.setPhase('error', `${found.problem}`);
      void this.reportMissing(found.problem);
      return undefined;
    }
    this.output.appendLine(`[amber] starting ${found.path} (found through ${found.how})`);
    const serverOptions: ServerOptions = {
      command: found.path,
      // --stdio comes from the transport; the server stops when this extension host is gone.
      args: [`--clientProcessId=${process.pid}`],
      transport: TransportKind.stdio,
      options: { cwd: folder },
    };
    const clientOptions: LanguageClientOptions = {
      // YAML too: the cloud-init files manifests name (`{ file: "user-data.yaml" }`) get their
      // diagnostics, hover and definition; the server says nothing about other YAML files.
      documentSelector: [{ scheme: 'file', language: languageId }, { scheme: 'file', language: 'yaml' }],
      outputChannel: this.output,
      initializationOptions: () => ({ amber: gatedSettings() }),
      initializationFailedHandler: (err) => {
        this.setPhase('error', `the server did not start: ${(err as Error)?.message ?? err}`);
        return false;
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) {
              return result;
            }
            const trusted = vscode.workspace.isTrusted;
            return result.map((value, i) => gateSection(params.items[i]?.section, value, trusted));
          },
        },
        // Commands the server puts in code lenses or hovers run through here.
        executeCommand: (command, args, next) => {
          if (command === serverCommands.overlaysPreview && !vscode.workspace.isTrusted) {
            void showUntrusted();
            return undefined;
          }
          return next(command, args);
        },
      },
    };
    const client = new LanguageClient('amber', 'Amber Language Server', serverOptions, clientOptions);
    client.registerFeature(new ProgressFeature(client, this));
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) {
        this.setPhase('starting');
      } else if (newState === State.Running) {
        const v = client.initializeResult?.serverInfo?.version;
        this.status.setServer(`amber-lsp${v ? ` ${v}` : ''} at ${found.path}`);
        this.setPhase('ready');
      } else if (!this.stopping && this.client === client) {
        this.setPhase('error', 'the language server stopped; see its output, or run "Amber: Restart Language Server"');
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      this.setPhase('error', `the server did not start: ${(err as Error)?.message ?? err}`);
      return client;
    }
    return client;
  }

  private async reportMissing(problem: string): Promise<void> {
    const copy = 'Copy Install Command';
    const set = 'Set amber.server.path';
    const pick = await vscode.window.showErrorMessage(
      `Amber: the language server was not found: ${problem}. ${installAdvice(process.platform)}`,
      copy, set, 'Show Output');
    if (pick === copy) {
      await vscode.env.clipboard.writeText(installCommand);
    } else if (pick === set) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'amber.server.path');
    } else if (pick) {
      this.output.show(true);
    }
  }

  /** progressBegin, progressReport, progressEnd: the server's $/progress, for the status bar. */
  progressBegin(token: string, title: string, message?: string): void {
    this.status.begin(token, workOf(title), title, message);
    this.render();
  }

  progressReport(token: string, message?: string): void {
    this.status.report(token, message);
    this.render();
  }

  progressEnd(token: string): void {
    this.status.end(token);
    this.render();
  }

  private setPhase(phase: Parameters<Status['setPhase']>[0], problem = ''): void {
    this.status.setPhase(phase, problem);
    this.render();
  }

  private render(): void {
    const v = this.status.view();
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor = v.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (this.shown) {
      this.item.show();
    }
  }
}

/**
 * ProgressFeature takes over window/workDoneProgress/create from the client's own handler: it
 * shows each $/progress sequence in the window's progress area, as the client would, and in the
 * status bar item. Registered after the built-in features, so its handler is the one installed.
 */
class ProgressFeature implements StaticFeature {
  private readonly parts = new Set<{ dispose(): void }>();

  constructor(private readonly client: LanguageClient, private readonly server: AmberServer) {}

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    (capabilities.window ??= {}).workDoneProgress = true;
  }

  initialize(): void {
    this.client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const key = String(token);
      let finish: (() => void) | undefined;
      let report: vscode.Progress<{ message?: string }> | undefined;
      const part = {
        dispose: () => {
          sub.dispose();
          finish?.();
          this.server.progressEnd(key);
          this.parts.delete(part);
        },
      };
      const sub = this.client.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'begin') {
          this.server.progressBegin(key, value.title, value.message);
          void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: value.title }, (p) => {
            report = p;
            if (value.message) {
              p.report({ message: value.message });
            }
            return new Promise<void>((resolve) => { finish = resolve; });
          });
        } else if (value.kind === 'report') {
          this.server.progressReport(key, value.message);
          report?.report({ message: value.message });
        } else {
          part.dispose();
        }
      });
      this.parts.add(part);
    });
  }

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {
    for (const part of [...this.parts]) {
      part.dispose();
    }
  }
}

/** gatedSettings is the `amber` section as the server may see it in this workspace. */
export function gatedSettings(): unknown {
  const raw = JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('amber')));
  return gateSection('amber', raw, vscode.workspace.isTrusted);
}

/** showUntrusted explains why overlay helpers do not run here, and offers to trust the workspace. */
export async function showUntrusted(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(
    'Amber: overlay previews run the helper programs the manifests name, so they are off in an untrusted workspace. Trust this workspace to use them.',
    manage);
  if (pick === manage) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}

function isExecutable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
