/** IPv4 CIDR arithmetic, enough for NetworkPolicy ipBlocks. */
function parse(cidr: string): { base: number; bits: number } {
  const [address = "", prefix = "32"] = cidr.split("/");
  const octets = address.split(".").map(Number);
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const bits = Number(prefix);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return { base: (value & mask) >>> 0, bits };
}

/** Whether every address of `inner` lies within `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parse(inner);
  const b = parse(outer);
  if (a.bits < b.bits) return false;
  const mask = b.bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - b.bits);
  return (a.base & mask) >>> 0 === b.base;
}
