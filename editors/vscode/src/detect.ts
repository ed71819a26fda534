// Telling an Amber manifest from other JSON: the server's rule (docs/settings.md, README) is a
// top-level object with a `manifest_version` key. Pure, for the unit tests.

/** How much of a file is scanned: Amber's own limit for one manifest (1 MiB). */
export const scanLimit = 1 << 20;

/**
 * hasManifestVersion reports whether text (JSON or JSON5) is an object with a
 * `manifest_version` key at its top level. It scans the text once, skipping strings and
 * comments, and does not check the rest of the syntax: a file with errors elsewhere is still
 * recognised, as it must be for the server to report them.
 */
export function hasManifestVersion(text: string): boolean {
  const n = Math.min(text.length, scanLimit);
  const stack: string[] = [];
  let expectKey = false;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    const topObject = stack.length === 1 && stack[0] === '{';
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < n && text[j] !== c && text[j] !== '\n') {
        if (text[j] === '\\') {
          j++;
        }
        s += text[j] ?? '';
        j++;
      }
      if (topObject && expectKey && s === 'manifest_version') {
        return true;
      }
      expectKey = false;
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      if (stack.length === 0 && c === '[') {
        return false;
      }
      stack.push(c);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) {
        return false;
      }
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] === '{';
    } else if (/[\p{L}\p{Nl}$_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]/u.test(text[j])) {
        j++;
      }
      if (topObject && expectKey && text.slice(i, j) === 'manifest_version') {
        return true;
      }
      expectKey = false;
      i = j;
      continue;
    } else if (!/\s/u.test(c)) {
      expectKey = false;
      if (stack.length === 0) {
        return false;
      }
    }
    i++;
  }
  return false;
}
