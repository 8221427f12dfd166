// @ts-check
/**
 * `node bin/run.mjs <entry.ts> [args…]`: how every npm script runs its TypeScript command.
 *
 * The entry, everything it imports from this checkout (lib/, charts/, imports/) and the packages it
 * uses run from one bundle cached in node_modules/.cache/bundles, keyed by the content of every file of
 * the checkout it was built from and by package-lock.json (the packages' versions), so a run pays
 * neither a TypeScript loader, nor the transpiling of the generated bindings, nor Node's resolution of
 * hundreds of package modules. An edit to any of those files builds a new bundle on the next run
 * (esbuild, well under a second). The estate files (clusters/) are not in the bundle: they load at run
 * time as Node loads any .ts file, with their types stripped, so editing one costs nothing extra. The
 * bundle runs with Node's compile cache.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import module from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dirname, "..");
const CACHE = join(ROOT, "node_modules/.cache/bundles");
/** Bundles of one entry kept besides the newest: enough for switching branches back and forth. */
const KEEP = 8;

const USAGE = "usage: node bin/run.mjs <entry.ts> [args…]";
if (Number(process.versions.node.split(".")[0]) < 24) {
  console.error(
    `run: Node.js ${process.version} cannot load the estate's TypeScript files; run the command through npm (npm run synth, …), which uses the project's own Node 24`,
  );
  process.exit(2);
}
const entry = process.argv[2];
if (entry === "--help" || entry === "-h") {
  console.log(`${USAGE}\n\nRuns a TypeScript command of this checkout from a bundle cached by the content of its sources
(node_modules/.cache/bundles). Every npm script runs its command this way: npm run <command> -- --help.`);
  process.exit(0);
}
if (!entry || entry.startsWith("-")) {
  console.error(USAGE);
  process.exit(2);
}
const entryPath = relative(ROOT, join(ROOT, entry));
if (!existsSync(join(ROOT, entryPath))) {
  console.error(`run: ${entry} does not exist in ${ROOT}`);
  process.exit(2);
}

const bundle = cachedBundle(entryPath) ?? (await buildBundle(entryPath));
// Names exactly the code that runs (lib/cache/code-identity.ts): this bundle and the dependency versions.
/** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for("waterschap-platform.code-identity")] =
  codeIdentity(bundle);
// The command sees itself as the script: argv[1] is the entry, its arguments follow.
process.argv.splice(1, 2, join(ROOT, entryPath));
module.enableCompileCache?.(join(CACHE, "v8"));
const command = await import(pathToFileURL(bundle).href);
// A command exports main(argv, io) (lib/cli/command.ts); a script without one has run on import.
if (typeof command.main === "function") {
  const io = {
    cwd: process.cwd(),
    /** @param {string} line */ log: (line) => console.log(line),
    /** @param {string} line */ error: (line) => console.error(line),
    /** @param {string} text */ write: (text) => process.stdout.write(text),
  };
  process.exit(await command.main(process.argv.slice(2), io));
}

/**
 * The bundle's name (a digest of every source file in it) and a digest of package-lock.json.
 * @param {string} bundle
 */
function codeIdentity(bundle) {
  const lock = join(ROOT, "package-lock.json");
  const dependencies = existsSync(lock)
    ? createHash("sha256").update(readFileSync(lock)).digest("hex")
    : "none";
  return `${bundle.slice(CACHE.length + 1)}:${dependencies.slice(0, 16)}`;
}

/**
 * The bundle built from exactly the current content of the files it was last built from, if any.
 * @param {string} entryPath
 * @returns {string | undefined}
 */
function cachedBundle(entryPath) {
  /** @type {string[]} */
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile(entryPath), "utf8"));
  } catch {
    return undefined;
  }
  const contents = new Map();
  for (const path of inputs) {
    try {
      contents.set(path, readFileSync(join(ROOT, path), "utf8"));
    } catch {
      return undefined;
    }
  }
  const file = bundleFile(entryPath, contents);
  return existsSync(file) ? file : undefined;
}

/**
 * Bundles the entry with esbuild; the files it read, with their content, name the bundle.
 * @param {string} entryPath
 * @returns {Promise<string>}
 */
async function buildBundle(entryPath) {
  const esbuild = await import("esbuild");
  // esbuild reads tsconfig.json too (class fields, decorators), and the packages come in at the
  // versions package-lock.json pins: both name the bundle like a source file.
  /** @type {Map<string, string>} */
  const contents = new Map(
    ["tsconfig.json", "package-lock.json"]
      .filter((name) => existsSync(join(ROOT, name)))
      .map((name) => [name, readFileSync(join(ROOT, name), "utf8")]),
  );
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [join(ROOT, entryPath)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      // zod is shared with the estate files Node loads itself; ajv is loaded only to compile the CRD
      // validators; esbuild is the launcher's own.
      external: ["zod", "ajv", "ajv/*", "esbuild"],
      // Bundled CommonJS packages call require() for Node's built-in modules.
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
      },
      write: false,
      outdir: CACHE,
      sourcemap: "linked",
      logLevel: "silent",
      plugins: [sourceFilesAsWritten(esbuild, contents)],
    });
  } catch (caught) {
    const error = /** @type {{ errors?: import("esbuild").Message[], message: string }} */ (caught);
    const messages = await esbuild.formatMessages(error.errors ?? [], { kind: "error" });
    console.error(`run: cannot build ${entryPath}:\n${messages.join("\n") || error.message}`);
    process.exit(1);
  }
  const file = bundleFile(entryPath, contents);
  writeBundle(entryPath, file, result.outputFiles, [...contents.keys()]);
  pruneOldBundles(entryPath, file);
  return file;
}

/**
 * Writes the bundle, its source map and the list of files it was built from into the cache; a cache
 * that cannot be written is named, not a stack trace.
 * @param {string} entryPath
 * @param {string} file
 * @param {import("esbuild").OutputFile[]} outputs
 * @param {string[]} inputs
 */
function writeBundle(entryPath, file, outputs, inputs) {
  const map = outputs.find((output) => output.path.endsWith(".map"));
  const code = outputs.find((output) => !output.path.endsWith(".map"));
  const name = file.slice(CACHE.length + 1);
  if (!map || !code) throw new Error(`esbuild wrote no bundle for ${entryPath}`);
  try {
    mkdirSync(CACHE, { recursive: true });
    writeAtomically(`${file}.map`, map.text);
    writeAtomically(
      file,
      code.text.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${name}.map`),
    );
    writeAtomically(inputsFile(entryPath), JSON.stringify(inputs.sort()));
  } catch (caught) {
    const error = /** @type {NodeJS.ErrnoException} */ (caught);
    if (!["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT"].includes(error.code ?? "")) throw error;
    console.error(
      `run: cannot write the bundle cache ${CACHE} (${error.code}); check the permissions and free space of node_modules/.cache`,
    );
    process.exit(1);
  }
}

/**
 * Loads every file of this checkout (not the packages) that goes into the bundle and records what it read, so the
 * bundle's name covers all of it. In TypeScript, `import.meta.dirname` and `import.meta.url` keep
 * meaning the source file, not the bundle.
 * @param {typeof import("esbuild")} esbuild
 * @param {Map<string, string>} contents
 * @returns {import("esbuild").Plugin}
 */
function sourceFilesAsWritten(esbuild, contents) {
  /** @type {Record<string, import("esbuild").Loader>} */
  const loaders = { ".ts": "ts", ".mts": "ts", ".js": "js", ".mjs": "js", ".json": "json" };
  return {
    name: "source-files-as-written",
    setup(build) {
      build.onLoad({ filter: /.*/ }, async ({ path }) => {
        // Packages: esbuild loads them; package-lock.json stands for their versions.
        if (relative(ROOT, path).split(sep).includes("node_modules")) return undefined;
        const source = readFileSync(path, "utf8");
        contents.set(relative(ROOT, path).split(sep).join("/"), source);
        const loader = loaders[extname(path)] ?? "text";
        if (loader !== "ts" || !source.includes("import.meta")) return { contents: source, loader };
        const { code } = await esbuild.transform(source, {
          loader: "ts",
          format: "esm",
          sourcefile: path,
          sourcemap: "inline",
          define: {
            "import.meta.dirname": JSON.stringify(dirname(path)),
            "import.meta.filename": JSON.stringify(path),
            "import.meta.url": JSON.stringify(pathToFileURL(path).href),
          },
        });
        return { contents: code, loader: "js" };
      });
    },
  };
}

/**
 * @param {string} entryPath
 * @param {Map<string, string>} contents
 */
function bundleFile(entryPath, contents) {
  const hash = createHash("sha256");
  hash.update(`${ROOT}\0${process.version}\0${readFileSync(import.meta.filename, "utf8")}\0`);
  hash.update(readFileSync(join(ROOT, "node_modules/esbuild/package.json")));
  for (const path of [...contents.keys()].sort()) hash.update(`\0${path}\0${contents.get(path)}`);
  return join(CACHE, `${slug(entryPath)}-${hash.digest("hex").slice(0, 16)}.mjs`);
}

/** @param {string} entryPath */
function slug(entryPath) {
  return entryPath.replace(/\.ts$/, "").replace(/[/\\]/g, "-");
}

/** @param {string} entryPath */
function inputsFile(entryPath) {
  return join(CACHE, `${slug(entryPath)}.inputs.json`);
}

/**
 * @param {string} file
 * @param {string} text
 */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Keeps the newest bundles of an entry; older ones go once they are an hour old (none is in use then).
 * @param {string} entryPath
 * @param {string} current
 */
function pruneOldBundles(entryPath, current) {
  const own = new RegExp(`^${slug(entryPath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9a-f]{16}\\.mjs$`);
  const hourAgo = Date.now() - 3_600_000;
  const bundles = readdirSync(CACHE)
    .filter((name) => own.test(name))
    .map((name) => ({ file: join(CACHE, name), mtime: statSync(join(CACHE, name)).mtimeMs }))
    .filter(({ file }) => file !== current)
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file, mtime } of bundles.slice(KEEP)) {
    if (mtime > hourAgo) continue;
    rmSync(file, { force: true });
    rmSync(`${file}.map`, { force: true });
  }
}
