// The state the status bar item shows: the client's own state, the server's $/progress, and
// the requests the extension has in flight. Pure, for the unit tests.

/** The client's own state. */
export type Phase = 'starting' | 'ready' | 'stopped' | 'error';

/** What kind of work a $/progress sequence or a request is. */
export type Work = 'indexing' | 'preview' | 'graph';

/** What the status bar item shows. */
export interface View {
  /** The item's text, with a codicon. */
  text: string;
  /** Markdown-free tooltip. */
  tooltip: string;
  /** Whether the item shows an error. */
  error: boolean;
}

/** workOf classifies a $/progress title: overlay helper runs are previews, the rest indexing. */
export function workOf(title: string): Work {
  return /overlay|preview|helper/i.test(title) ? 'preview' : 'indexing';
}

/** Status is the state behind the status bar item. */
export class Status {
  private phase: Phase = 'stopped';
  private problem = '';
  private server = '';
  private readonly active = new Map<string, { work: Work; title: string; message?: string }>();

  /** setPhase records the client's state; problem says why, for 'error'. */
  setPhase(phase: Phase, problem = ''): void {
    this.phase = phase;
    this.problem = phase === 'error' ? problem : '';
    if (phase !== 'ready') {
      this.active.clear();
    }
  }

  /** setServer records which server runs (`amber-lsp v1.2.3 at /path`). */
  setServer(description: string): void {
    this.server = description;
  }

  /** begin records work under key (a progress token, or a request of the extension). */
  begin(key: string, work: Work, title: string, message?: string): void {
    this.active.set(key, { work, title, message });
  }

  /** report updates the message of the work under key. */
  report(key: string, message?: string): void {
    const w = this.active.get(key);
    if (w && message !== undefined) {
      w.message = message;
    }
  }

  /** end forgets the work under key. */
  end(key: string): void {
    this.active.delete(key);
  }

  /** view is what the item shows now: an error first, then previews, then indexing. */
  view(): View {
    const about = this.server ? `${this.server}. ` : '';
    const click = 'Click to show the server output.';
    switch (this.phase) {
      case 'error':
        return { text: '$(error) Amber', tooltip: `Amber: ${this.problem || 'the language server is not running'}. ${click}`, error: true };
      case 'stopped':
        return { text: '$(circle-slash) Amber', tooltip: `Amber: the language server is stopped. ${click}`, error: false };
      case 'starting':
        return { text: '$(sync~spin) Amber: starting', tooltip: `Amber: starting the language server. ${about}${click}`, error: false };
    }
    const works = [...this.active.values()];
    for (const kind of ['preview', 'graph', 'indexing'] as const) {
      const w = works.find((x) => x.work === kind);
      if (w) {
        const label = kind === 'preview' ? 'preview running' : kind === 'graph' ? 'graph' : 'indexing';
        const detail = w.message ? `${w.title}: ${w.message}` : w.title;
        return { text: `$(sync~spin) Amber: ${label}`, tooltip: `Amber: ${detail}. ${about}${click}`, error: false };
      }
    }
    return { text: '$(check) Amber', tooltip: `Amber: ready. ${about}${click}`, error: false };
  }
}
