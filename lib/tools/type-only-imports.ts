import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `cdk8s import` writes `import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s'`,
 * importing two interfaces as values; marked `type`, the bindings also load without a TypeScript
 * compiler (Node's type stripping). Run by `npm run import` after cdk8s import.
 */
const dir = join(import.meta.dirname, "../../imports");
const bindings = readdirSync(dir).filter((f) => f.endsWith(".ts"));
let fixedFiles = 0;
for (const file of bindings) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const fixed = text.replace(
    "import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';",
    "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
  );
  if (fixed !== text) {
    writeFileSync(path, fixed);
    fixedFiles++;
  }
}
console.log(
  `import: ${bindings.length} bindings in imports/, ${fixedFiles} given type-only imports of cdk8s interfaces`,
);
