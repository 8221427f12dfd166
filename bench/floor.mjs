// The floor for `npm run bench`: read the rendered objects and write the same YAML files, nothing else
// (plain JavaScript, the same YAML library, no TypeScript loader).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";

const [objectsFile, out] = process.argv.slice(2);
for (const [path, manifest] of JSON.parse(readFileSync(objectsFile, "utf8"))) {
  const file = join(out, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringify(manifest));
}
