/** IPv4 CIDR arithmetic, enough for NetworkPolicy ipBlocks. */
function parse(cidr: string): { base: number; bits: number } {
  let parsed = PARSED.get(cidr);
  if (!parsed) {
    parsed = parseCidr(cidr);
    PARSED.set(cidr, parsed);
  }
  return parsed;
}
/** The proofs compare the same few ranges and pod addresses many times over. */
const PARSED = new Map<string, { base: number; bits: number }>();

function parseCidr(cidr: string): { base: number; bits: number } {
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

/** An IPv4 address as a number, and back. */
export const ipv4ToNumber = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
export const numberToIpv4 = (n: number) =>
  [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

/** First and last address, as numbers, of a CIDR (`a.b.c.d/n`) or a range (`a.b.c.d-a.b.c.e`). */
export function addressBounds(entry: string): [number, number] {
  if (!entry.includes("/")) {
    const [from = "", to = ""] = entry.split("-");
    return [ipv4ToNumber(from), ipv4ToNumber(to)];
  }
  const { base, bits } = parse(entry);
  return [base, base + 2 ** (32 - bits) - 1];
}

/** Whether two CIDRs or ranges share an address. */
export function addressesOverlap(a: string, b: string): boolean {
  const [a0, a1] = addressBounds(a);
  const [b0, b1] = addressBounds(b);
  return a0 <= b1 && b0 <= a1;
}
