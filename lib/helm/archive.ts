import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";

/** The files of a packaged chart (`<chart>-<version>.tgz`), by path inside the archive. */
export function readChartArchive(path: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
    else if (type === "0" || type === "") files.set(name, Buffer.from(body));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export interface ChartMetadata {
  readonly name: string;
  readonly version: string;
  readonly dependencies: readonly { name: string; alias?: string }[];
  /** Where the chart comes from, as its Chart.yaml says (`sources`, else `home`). */
  readonly sources: readonly string[];
}

/** Chart.yaml of the archive's top-level chart (or of a subchart below `charts/`). */
export function chartMetadata(files: Map<string, Buffer>, dir: string): ChartMetadata {
  const raw = files.get(`${dir}/Chart.yaml`);
  if (!raw) throw new Error(`${dir}/Chart.yaml is missing`);
  const chart = parse(raw.toString("utf8")) as Partial<ChartMetadata>;
  return {
    name: chart.name ?? "",
    version: String(chart.version ?? ""),
    dependencies: chart.dependencies ?? [],
    sources: [
      ...(chart.sources ?? []),
      ...((chart as { home?: string }).home ? [(chart as { home?: string }).home as string] : []),
    ],
  };
}

/** The directory of the top-level chart inside the archive (its first path segment). */
export function chartRoot(files: Map<string, Buffer>): string {
  const first = files.keys().next().value as string | undefined;
  if (!first) throw new Error("empty chart archive");
  return first.split("/")[0] as string;
}
