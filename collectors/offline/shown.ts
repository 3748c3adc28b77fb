// A name from the input (an archive member, a link target, a file name) in
// a message: as it is when plain printable ASCII, else quoted with every
// control character escaped, and cut short, so a crafted name can neither
// rewrite the terminal nor flood it. JSON.stringify escapes C0 controls and
// lone surrogates; DEL, C1 and the bidirectional controls are added here.
const UNSHOWN = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function shown(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name) && name.length <= 256) return name;
  const cut = name.length > 256 ? `${name.slice(0, 256)}…` : name;
  return JSON.stringify(cut).replace(
    UNSHOWN,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// Always quoted: for a link target, where `"/"` reads better than `/`.
export function quoted(name: string): string {
  const s = shown(name);
  return s.startsWith('"') ? s : JSON.stringify(s);
}
