/** A code of the same shape that differs from `code` (last character changed within its class). */
export function otherCode(code: string): string {
  const last = code.at(-1) ?? '0';
  const next = /\d/.test(last)
    ? String((Number(last) + 1) % 10)
    : last === 'Z' || last === 'z'
      ? String.fromCharCode(last.charCodeAt(0) - 1)
      : String.fromCharCode(last.charCodeAt(0) + 1);
  return code.slice(0, -1) + next;
}
