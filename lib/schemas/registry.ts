import { join } from "node:path";
import { objectDigest } from "../cache/code-memo.ts";
import { FluxInstanceSchema } from "../flux/flux-instance.ts";
import { AuthenticationConfigurationSchema } from "../identity/authentication.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { crdRuleViolations, withDefaults } from "./crd-rule-check.ts";
import type { RuleNode } from "./crd-rules.ts";
import { crdValidators, type Validator } from "./crd-schema.ts";
import { KnownValid } from "./known-valid.ts";
import { KyvernoTestSchema, KyvernoValuesSchema } from "./kyverno-test-schema.ts";

type ModelClass = new (data: unknown) => { validate(): void };
type ModelModule = Record<string, unknown>;

/** API groups whose schemas come from a kubernetes-models package (module path prefix per group). */
const MODEL_PACKAGES: ReadonlyArray<{ match: (group: string) => boolean; module: (gv: string) => string }> = [
  {
    match: (g) => g === "kyverno.io" || g === "policies.kyverno.io",
    module: (gv) => `@kubernetes-models/kyverno/${gv}`,
  },
  {
    match: (g) => g === "" || !g.includes(".") || g.endsWith(".k8s.io"),
    module: (gv) => `kubernetes-models/${gv}`,
  },
];

/** Groups validated against copied upstream CRDs (imports/crds/) instead of a models package. */
const CRD_GROUPS = new Set([
  "source.toolkit.fluxcd.io",
  "kustomize.toolkit.fluxcd.io",
  "helm.toolkit.fluxcd.io",
  "notification.toolkit.fluxcd.io",
  "gateway.networking.k8s.io",
  "configuration.konghq.com",
  "postgresql.cnpg.io",
  "k8s.keycloak.org",
  "cert-manager.io",
  "barmancloud.cnpg.io",
  "provisioning.cattle.io",
]);

type CompiledCrds = { validators: Map<string, Validator>; rules: Map<string, RuleNode>; id: string };
const compiledCrds = new Map<string, Promise<CompiledCrds>>();

/**
 * Finds the real schema of every kind the project renders. A kind without a schema is an error, so
 * a new kind cannot slip into dist/ unchecked.
 */
export class SchemaRegistry {
  private readonly crds: Promise<CompiledCrds>;
  private readonly verdicts: Promise<KnownValid>;
  private readonly modules = new Map<string, Promise<ModelModule | undefined>>();

  constructor(root: string) {
    const dir = join(root, "imports/crds");
    // Compiled once per CRD content into node_modules/.cache, loaded once per process and directory.
    let compiled = compiledCrds.get(dir);
    if (!compiled) {
      compiled = crdValidators(dir, join(root, "node_modules/.cache/crd-validators"));
      compiledCrds.set(dir, compiled);
    }
    this.crds = compiled;
    this.verdicts = compiled.then(({ id }) => KnownValid.open(root, id));
  }

  /** Returns the schema violations of one object; an unknown kind is reported as a violation. */
  async check(manifest: Manifest): Promise<string[]> {
    const { apiVersion, kind } = manifest;
    if (typeof apiVersion !== "string" || typeof kind !== "string")
      return ["apiVersion and kind are required"];
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";

    if (apiVersion === "fluxcd.controlplane.io/v1" && kind === "FluxInstance") {
      const result = FluxInstanceSchema.safeParse(manifest);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    }
    if (apiVersion === "apiserver.config.k8s.io/v1beta1" && kind === "AuthenticationConfiguration") {
      const result = AuthenticationConfigurationSchema.safeParse(manifest);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    }
    if (apiVersion === "cli.kyverno.io/v1alpha1" && (kind === "Test" || kind === "Values")) {
      const result = (kind === "Test" ? KyvernoTestSchema : KyvernoValuesSchema).safeParse(manifest);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    }
    const verdicts = await this.verdicts;
    const digest = objectDigest(manifest);
    if (verdicts.has(digest)) return [];
    const violations = CRD_GROUPS.has(group)
      ? await this.crdViolations(manifest, apiVersion, kind)
      : await this.modelViolations(manifest, group, apiVersion, kind);
    if (violations.length === 0) verdicts.add(digest);
    return violations;
  }

  /** Remembers the objects this registry found valid, for the next process (see KnownValid). */
  async save(): Promise<void> {
    (await this.verdicts).save();
  }

  private async crdViolations(manifest: Manifest, apiVersion: string, kind: string): Promise<string[]> {
    const { validators, rules } = await this.crds;
    const key = `${apiVersion}/${kind}`;
    const validator = validators.get(key);
    if (!validator) return [`no schema for ${apiVersion} ${kind} in imports/crds/`];
    // The API server fills in the CRD's defaults before it validates.
    const tree = rules.get(key);
    const object = tree ? withDefaults(manifest, tree) : manifest;
    if (!validator(object))
      return (validator.errors ?? []).map(
        (e) => `${e.instancePath || "/"} ${e.message}${describeParams(e.params)}`,
      );
    return tree ? crdRuleViolations(object, tree) : [];
  }

  private async modelViolations(
    manifest: Manifest,
    group: string,
    apiVersion: string,
    kind: string,
  ): Promise<string[]> {
    const pkg = MODEL_PACKAGES.find((p) => p.match(group));
    if (!pkg) return [`no schema known for API group "${group}" (${apiVersion} ${kind})`];
    // One kind's module, not the group's barrel (kubernetes-models/v1 alone takes a third of a second).
    const model = ((await this.loadModule(`${pkg.module(apiVersion)}/${kind}`)) ??
      (await this.loadModule(pkg.module(apiVersion))))?.[kind] as ModelClass | undefined;
    if (typeof model !== "function") return [`no schema for ${apiVersion} ${kind}`];
    try {
      new model(manifest).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: { instancePath: string; message?: string; params?: object }[] })
        .errors;
      if (!errors) return [(error as Error).message];
      return errors.map((e) => `${e.instancePath || "/"} ${e.message}${describeParams(e.params)}`);
    }
  }

  private loadModule(path: string): Promise<ModelModule | undefined> {
    let module = this.modules.get(path);
    if (!module) {
      module = import(path).catch(() => undefined) as Promise<ModelModule | undefined>;
      this.modules.set(path, module);
    }
    return module;
  }
}

function describeParams(params: object | undefined): string {
  if (!params) return "";
  const p = params as Record<string, unknown>;
  if (typeof p.additionalProperty === "string") return `: "${p.additionalProperty}"`;
  if (Array.isArray(p.allowedValues)) return `: ${p.allowedValues.join(", ")}`;
  return "";
}
