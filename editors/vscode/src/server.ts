// Finding the amber-lsp executable. Pure apart from the file test it is given, for the unit
// tests.
import * as path from 'node:path';

/** The command that installs the server. */
export const installCommand = 'go install github.com/amberlsp/amber-lsp/cmd/amber-lsp@latest';

/** The default of `amber.server.path`: the command looked up on PATH. */
export const defaultServerCommand = 'amber-lsp';

/** Where the executable was found, or why it was not. */
export type Resolution =
  | { ok: true; path: string; how: 'setting' | 'PATH' | 'Go bin directory' }
  | { ok: false; problem: string; searched: string[] };

/** What resolveServer needs to know about the machine. */
export interface Machine {
  /** Environment variables (PATH, PATHEXT, GOBIN, GOPATH). */
  env: Record<string, string | undefined>;
  /** The user's home directory. */
  home: string;
  /** process.platform. */
  platform: string;
  /** Whether p names an executable regular file. */
  isExecutable(p: string): boolean;
}

/**
 * resolveServer finds the server for the setting `amber.server.path`. A value with a path
 * separator is a path (`~` expanded; relative to the first workspace folder `folder`); a bare
 * name (the default `amber-lsp`) is looked up on PATH, then in the directories `go install`
 * writes to ($GOBIN, each $GOPATH/bin, ~/go/bin), which a VS Code started from the desktop often
 * lacks on its PATH.
 */
export function resolveServer(setting: string | undefined, m: Machine, folder?: string): Resolution {
  const win = m.platform === 'win32';
  const p = win ? path.win32 : path.posix;
  let value = (setting ?? '').trim() || defaultServerCommand;
  if (value === '~' || value.startsWith('~/') || (win && value.startsWith('~\\'))) {
    value = p.join(m.home, value.slice(1));
  }
  if (value.includes('/') || (win && value.includes('\\'))) {
    const full = p.isAbsolute(value) ? value : p.join(folder ?? m.home, value);
    if (m.isExecutable(full)) {
      return { ok: true, path: full, how: 'setting' };
    }
    return { ok: false, problem: `amber.server.path is ${JSON.stringify(setting)}, but ${full} is not an executable file`, searched: [full] };
  }
  const names = win && !p.extname(value)
    ? (m.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((e) => value + e.toLowerCase())
    : [value];
  const searched: string[] = [];
  const look = (dirs: string[], how: 'PATH' | 'Go bin directory'): Resolution | undefined => {
    for (const dir of dirs) {
      if (!dir || searched.includes(dir)) {
        continue;
      }
      searched.push(dir);
      for (const name of names) {
        const full = p.join(dir, name);
        if (m.isExecutable(full)) {
          return { ok: true, path: full, how };
        }
      }
    }
    return undefined;
  };
  const delimiter = win ? ';' : ':';
  const onPath = look((m.env.PATH ?? m.env.Path ?? '').split(delimiter), 'PATH');
  if (onPath) {
    return onPath;
  }
  const goDirs = [m.env.GOBIN ?? '', ...(m.env.GOPATH ?? '').split(delimiter).filter(Boolean).map((d) => p.join(d, 'bin')), p.join(m.home, 'go', 'bin')];
  const inGo = look(goDirs, 'Go bin directory');
  if (inGo) {
    return inGo;
  }
  return { ok: false, problem: `${value} was not found on PATH nor in the Go bin directories`, searched };
}

/** installAdvice is what the user is told to do when the server cannot be found. */
export function installAdvice(platform: string): string {
  const pathAdvice = platform === 'win32'
    ? 'make sure %USERPROFILE%\\go\\bin is on your user PATH, then restart VS Code'
    : platform === 'darwin'
      ? 'make sure ~/go/bin is on your PATH in ~/.zprofile (VS Code started from the Dock reads the login shell\'s PATH, not ~/.zshrc alone)'
      : 'make sure ~/go/bin is on your PATH in ~/.profile (VS Code started from the desktop reads the login shell\'s PATH, not ~/.bashrc)';
  return `Install it with \`${installCommand}\` (Go 1.26 or newer) and ${pathAdvice}, or set amber.server.path to the executable.`;
}
