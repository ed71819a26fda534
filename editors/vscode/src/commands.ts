// Calling the server's workspace/executeCommand commands, and what to tell the user when that
// fails. Pure, for the unit tests.
import { installCommand } from './server';

/** The commands the server answers through workspace/executeCommand. */
export const serverCommands = {
  /** [documentUri, { format, applyOverlays }] -> the text of `amber-lsp graph --format F ROOT`. */
  graph: 'amber.graph',
  /** [documentUri] -> the object of `amber-lsp --preview --format json ROOT`. */
  overlaysPreview: 'amber.overlays.preview',
} as const;

/**
 * The commands the server puts in code lenses for the client to run (it does not run them): the
 * extension registers each.
 */
export const clientCommands = {
  /** [documentUri, position, locations], as editor.action.showReferences: the "N references" lens. */
  showReferences: 'amber.showReferences',
} as const;

/** The graph formats of `amber.graph`. */
export type GraphFormat = 'dot' | 'mermaid' | 'json';

/** What the server offers, from its initialize result. */
export interface ServerFacts {
  /** serverInfo.version, or '' */
  version: string;
  /** executeCommandProvider.commands */
  commands: readonly string[];
}

/** The JSON-RPC code for a method or command the server does not know. */
const methodNotFound = -32601;

/**
 * unsupportedMessage says that the running server lacks a command, and how to get one that has
 * it; undefined when the server advertises the command.
 */
export function unsupportedMessage(command: string, what: string, facts: ServerFacts): string | undefined {
  if (facts.commands.includes(command)) {
    return undefined;
  }
  const v = facts.version ? ` ${facts.version}` : '';
  return `Amber: this amber-lsp${v} cannot show ${what} (it does not offer the \`${command}\` command). Update it with \`${installCommand}\` and restart the server.`;
}

/**
 * failureMessage turns an error from an executeCommand request into a message for the user:
 * what failed and the server's reason.
 */
export function failureMessage(command: string, what: string, err: unknown, facts: ServerFacts): string {
  const e = err as { code?: number; message?: string } | undefined;
  if (e && e.code === methodNotFound) {
    return unsupportedMessage(command, what, { ...facts, commands: [] }) as string;
  }
  const reason = (e && typeof e.message === 'string' && e.message) || String(err);
  return `Amber: could not show ${what}: ${reason.replace(/\s+$/, '')}`;
}
