// What the server is told about the `amber.*` settings. Pure: no VS Code API, so the unit
// tests run it in Node.

/**
 * The settings that make the server start programs or reach the network, and the value the
 * server gets for each in a workspace the user has not trusted, whatever the settings say.
 */
export const untrustedOverrides: ReadonlyArray<readonly [string, unknown]> = [
  ['amber.overlays.preview', false],
  ['amber.remote.fetch', false],
];

/**
 * gateSection returns the value to hand the server for one configuration `section`
 * (`amber`, `amber.overlays`, `amber.overlays.preview`, ...; undefined for the whole
 * configuration) whose value in the editor is `value`. In a trusted workspace that is `value`
 * itself; otherwise every setting of {@link untrustedOverrides} inside the section is replaced,
 * in a copy, by its untrusted value. `value` is never modified.
 */
export function gateSection(section: string | undefined, value: unknown, trusted: boolean): unknown {
  if (trusted) {
    return value;
  }
  const prefix = section ? section.split('.') : [];
  let out = value;
  for (const [key, forced] of untrustedOverrides) {
    const path = key.split('.');
    if (prefix.length <= path.length && prefix.every((p, i) => p === path[i])) {
      out = withPath(out, path.slice(prefix.length), forced);
    }
  }
  return out;
}

/** withPath returns a copy of obj with the value at path (a list of keys) set to v. */
function withPath(obj: unknown, path: string[], v: unknown): unknown {
  if (path.length === 0) {
    return v;
  }
  const base: Record<string, unknown> = isRecord(obj) ? { ...obj } : {};
  base[path[0]] = withPath(base[path[0]], path.slice(1), v);
  return base;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
