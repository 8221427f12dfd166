// @ts-check
// The floor for `npm run bench`: read the rendered objects and write the same YAML files, nothing else
// (plain JavaScript, the same YAML library, no TypeScript loader).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";

const [objectsFile, out] = /** @type {[string, string]} */ (process.argv.slice(2));
/** @type {[string, unknown][]} */
const objects = JSON.parse(readFileSync(objectsFile, "utf8"));
for (const [path, manifest] of objects) {
  const file = join(out, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringify(manifest));
}
