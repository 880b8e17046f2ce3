/** A small subset of semantic versioning: parse, compare, satisfies for ^, ~, >=, <, exact. */
const RE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function parse(version) {
  const m = RE.exec(String(version).trim());
  if (!m) throw new TypeError(`invalid version '${version}'`);
  return { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] ? m[4].split('.') : [] };
}

function comparePre(a, b) {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const an = /^\d+$/.test(a[i]);
    const bn = /^\d+$/.test(b[i]);
    if (an && bn && +a[i] !== +b[i]) return +a[i] < +b[i] ? -1 : 1;
    if (an !== bn) return an ? -1 : 1;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

export function compare(a, b) {
  const x = typeof a === 'string' ? parse(a) : a;
  const y = typeof b === 'string' ? parse(b) : b;
  for (const k of ['major', 'minor', 'patch']) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  return comparePre(x.pre, y.pre);
}

export function satisfies(version, range) {
  const v = parse(version);
  const r = String(range).trim();
  if (r.startsWith('^')) {
    const base = parse(r.slice(1));
    if (compare(v, base) < 0) return false;
    if (base.major > 0) return v.major === base.major;
    if (base.minor > 0) return v.major === 0 && v.minor === base.minor;
    return v.major === 0 && v.minor === 0 && v.patch === base.patch;
  }
  if (r.startsWith('~')) {
    const base = parse(r.slice(1));
    return compare(v, base) >= 0 && v.major === base.major && v.minor === base.minor;
  }
  if (r.startsWith('>=')) return compare(v, r.slice(2)) >= 0;
  if (r.startsWith('<')) return compare(v, r.slice(1)) < 0;
  return compare(v, r) === 0;
}
