import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import {
  judgeRequest,
  type KyvernoConfig,
  namespaceObject,
  requestFor,
} from "../lib/admission/kyverno/index.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";

/**
 * Replays Kyverno's chainsaw conformance tests (vendored in vendor/conformance/kyverno/) against our
 * engine: every policy and exception a step creates joins the cluster's Kyverno, every other object a
 * step creates, applies or updates is an admission request, and the step's `expect` says whether
 * Kyverno (or the API server, for match conditions) refused it.
 */
export type Verdict = "admitted" | "denied" | "cannot prove";
export interface Request {
  readonly test: string;
  readonly step: string;
  readonly object: string;
  readonly expected: "admitted" | "denied";
  readonly actual: Verdict;
  readonly reason: string;
}

type Spec = Record<string, any>;
// chainsaw runs as the kind cluster's admin, in a namespace of its own per test
const ADMIN = { username: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] };
const TEST_NAMESPACE = "chainsaw-test";

export function chainsawTests(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === "chainsaw-test.yaml") found.push(dir);
    }
  };
  walk(root);
  return found;
}

const key = (m: Manifest) => `${m.apiVersion}/${m.kind}/${m.metadata?.namespace ?? ""}/${m.metadata?.name}`;
const isKyverno = (m: Manifest) => m.apiVersion?.startsWith("policies.kyverno.io/");

/** The operations of a step: its own `try`, or its template's with the `file` binding filled in. */
function operations(dir: string, step: Spec): Spec[] {
  if (!step.use?.template) return (step.try ?? []) as Spec[];
  const template = readYaml(join(dir, step.use.template))[0] as Spec;
  const file = ((step.use.with?.bindings ?? []) as Spec[]).find((b) => b.name === "file")?.value;
  return ((template.spec?.try ?? []) as Spec[]).map((op) => {
    const [verb, body] = Object.entries(op)[0] as [string, Spec];
    return body?.file === "($file)" ? { [verb]: { ...body, file } } : op;
  });
}

const readYaml = (path: string) =>
  parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => d.toJS())
    .filter(Boolean);

/** Whether an operation's `expect` says the request fails. */
function expectsError(body: Spec): boolean {
  return ((body.expect ?? []) as Spec[]).some((e) =>
    Object.entries(e.check ?? {}).some(
      ([k, v]) => (k === "($error != null)" && v === true) || k === "($error)",
    ),
  );
}

export function replay(dir: string, root: string): Request[] {
  const test = relative(root, dir);
  const spec = readYaml(join(dir, "chainsaw-test.yaml"))[0]?.spec as Spec;
  const state = new Map<string, Manifest>();
  const config: KyvernoConfig & { policies: Manifest[]; exceptions: Manifest[] } = {
    policies: [],
    exceptions: [],
    resourceFilters: [],
  };
  const requests: Request[] = [];
  for (const [index, step] of ((spec?.steps ?? []) as Spec[]).entries())
    for (const op of operations(dir, step)) {
      const [verb, body] = Object.entries(op)[0] as [string, Spec];
      if (!["create", "apply", "update", "delete"].includes(verb) || typeof body?.file !== "string") continue;
      const path = join(dir, body.file);
      if (!existsSync(path)) continue;
      for (const doc of readYaml(path) as Manifest[]) {
        const object = withNamespace(doc);
        if (verb === "delete") {
          state.delete(key(object));
          config.policies = config.policies.filter((p) => key(p) !== key(object));
          config.exceptions = config.exceptions.filter((p) => key(p) !== key(object));
          continue;
        }
        const expected = expectsError(body) ? "denied" : "admitted";
        if (isKyverno(object)) {
          if (expected === "denied") {
            requests.push(
              request(
                test,
                step,
                index,
                object,
                expected,
                "cannot prove",
                "Kyverno's validation of policies themselves is not modelled",
              ),
            );
            continue;
          }
          const list = object.kind === "PolicyException" ? config.exceptions : config.policies;
          const at = list.findIndex((p) => key(p) === key(object));
          if (at >= 0) list[at] = object;
          else list.push(object);
          continue;
        }
        const old = state.get(key(object)) ?? null;
        const ns = object.metadata?.namespace;
        const nsObject = ns ? (state.get(`v1/Namespace//${ns}`) ?? namespaceObject(ns, {})) : null;
        const findings = judgeRequest(requestFor(object, ADMIN, old), nsObject, config);
        const deciding = findings.filter((f) => f.actions.includes("Deny"));
        const actual: Verdict = deciding.some((f) => f.cannotProve)
          ? "cannot prove"
          : deciding.length
            ? "denied"
            : "admitted";
        requests.push(
          request(test, step, index, object, expected, actual, deciding.map((f) => f.message).join("; ")),
        );
        if (actual !== "denied") state.set(key(object), object);
      }
    }
  return requests;
}

function withNamespace(doc: Manifest): Manifest {
  const clusterScoped = [
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "ValidatingPolicy",
    "ImageValidatingPolicy",
  ].includes(doc.kind);
  if (clusterScoped || doc.metadata?.namespace) return doc;
  return { ...doc, metadata: { ...doc.metadata, namespace: TEST_NAMESPACE } };
}

function request(
  test: string,
  step: Spec,
  index: number,
  object: Manifest,
  expected: Request["expected"],
  actual: Verdict,
  reason: string,
): Request {
  return {
    test,
    step: step.name ?? `step ${index + 1}`,
    object: `${object.kind} ${object.metadata?.name}`,
    expected,
    actual,
    reason,
  };
}

export const suiteRoot = (repo: string) => join(repo, "vendor/conformance/kyverno/test/conformance/chainsaw");
