import { byCluster } from "../hydrate/by-cluster.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { SYSTEM_NAMESPACES } from "../rules/admission.ts";
import { EXCEPTION_REASON } from "../rules/exceptions.ts";
import {
  POD_SECURITY_ENFORCE,
  POD_SECURITY_ENFORCE_VERSION,
  type PodSecurityLevel,
} from "../rules/pod-security.ts";
import {
  FLUX_APPLIER,
  isKyvernoPolicyGroup,
  judgeRequest,
  type KyvernoConfig,
  kyvernoFindings,
  namespaceObject,
  type PolicyFinding,
  parseResourceFilters,
  podCreator,
  requestFor,
  served,
} from "./kyverno/index.ts";
import { type LabelSelector, labelSelectorProblems } from "./label-selector.ts";
import { podSecurityViolations, policyVersion } from "./pod-security/index.ts";

export interface AdmissionFinding {
  readonly cluster: string;
  readonly origin: string;
  /** `<namespace>/<pod or workload name>`, or the object whose selector is invalid. */
  readonly subject: string;
  readonly rule: string;
  readonly message: string;
}

export interface PolicyExceptionEntry {
  readonly cluster: string;
  readonly name: string;
  readonly policies: readonly string[];
  readonly reason: string;
}

export interface AdmissionReport {
  readonly pods: number;
  /** Pods a production cluster would refuse: Pod Security, or a Kyverno policy with Deny. */
  readonly denied: readonly AdmissionFinding[];
  /** What Kyverno would only report (Audit): non-prod findings. */
  readonly audited: readonly AdmissionFinding[];
  /** Selectors Kyverno copies into its webhook configurations, or charts render, that the API server refuses. */
  readonly invalidSelectors: readonly AdmissionFinding[];
  readonly exceptions: readonly PolicyExceptionEntry[];
}

/**
 * Judges every pod of the hydrated estate as its cluster would at creation: the Pod Security level of
 * its namespace (the API server), then each Kyverno policy that selects it (with exceptions and
 * resource filters). Pod Security always denies; a policy denies when its actions say Deny.
 */
export function admissionReport(objects: readonly HydratedObject[]): AdmissionReport {
  const denied: AdmissionFinding[] = [];
  const audited: AdmissionFinding[] = [];
  const invalidSelectors: AdmissionFinding[] = [];
  const exceptions: PolicyExceptionEntry[] = [];
  let pods = 0;
  const grouped = byCluster(objects);
  for (const cluster of [...grouped.keys()].sort()) {
    const own = grouped.get(cluster) ?? [];
    const namespaces = namespaceLabels(own);
    const kyverno = kyvernoConfig(own);
    exceptions.push(...kyverno.exceptions.map((e) => exceptionEntry(cluster, e)));
    invalidSelectors.push(...selectorFindings(cluster, own));
    denied.push(...namespaceLabelFindings(cluster, own));
    denied.push(...kyverno.unserved.map((m) => unservedFinding(cluster, m)));
    for (const object of own) {
      const labelsOf = (ns: string) => namespaces.get(ns) ?? { "kubernetes.io/metadata.name": ns };
      for (const f of objectFindings(object.manifest, labelsOf, kyverno))
        (f.actions.includes("Deny") || f.cannotProve ? denied : audited).push({
          cluster,
          origin: object.origin,
          subject: `${object.manifest.metadata?.namespace ?? ""}/${object.manifest.metadata?.name} (${object.manifest.kind})`,
          rule: `${f.kind} ${f.policy}`,
          message: f.message,
        });
      const pod = podOf(object.manifest);
      if (!pod) continue;
      pods++;
      const namespace = pod.metadata?.namespace ?? "";
      const subject = `${namespace}/${pod.metadata?.name} (${object.manifest.kind})`;
      const finding = (rule: string, message: string) => ({
        cluster,
        origin: object.origin,
        subject,
        rule,
        message,
      });
      const labels = namespaces.get(namespace);
      if (!labels && !(SYSTEM_NAMESPACES as readonly string[]).includes(namespace)) {
        denied.push(finding("namespace", `namespace "${namespace}" is not created anywhere in the estate`));
        continue;
      }
      const { level, version } = enforcedPolicy(labels);
      for (const v of podSecurityViolations(pod, level, version))
        denied.push(finding(`pod-security ${level} v1.${version}`, v));
      if (object.manifest.kind === "Pod") continue; // judged as the object itself, above
      const creator = podCreator(object.manifest.kind);
      for (const f of kyvernoFindings(
        pod,
        labels ?? { "kubernetes.io/metadata.name": namespace },
        kyverno,
        creator,
      ))
        (f.actions.includes("Deny") || f.cannotProve ? denied : audited).push(
          finding(`${f.kind} ${f.policy} (its pods)`, f.message),
        );
    }
  }
  return { pods, denied, audited, invalidSelectors, exceptions };
}

/**
 * The level and version Pod Security Admission enforces in a namespace (api/helpers.go): an invalid
 * level evaluates as restricted and an invalid version as latest (the Namespace itself is refused,
 * see namespaceLabelFindings); no label is the API server's default, privileged on RKE2.
 */
function enforcedPolicy(labels: Record<string, string> | undefined): {
  level: PodSecurityLevel;
  version: number;
} {
  const label = labels?.[POD_SECURITY_ENFORCE];
  const level = label === undefined ? "privileged" : LEVELS.includes(label) ? label : "restricted";
  return {
    level: level as PodSecurityLevel,
    version: policyVersion(labels?.[POD_SECURITY_ENFORCE_VERSION]).version,
  };
}
const LEVELS = ["privileged", "baseline", "restricted"];

/** Namespaces the API server refuses: Pod Security Admission validates its own labels on them. */
function namespaceLabelFindings(cluster: string, objects: readonly HydratedObject[]): AdmissionFinding[] {
  return objects.flatMap(({ origin, manifest }) => {
    if (manifest.kind !== "Namespace" || manifest.apiVersion !== "v1") return [];
    const labels = (manifest.metadata?.labels ?? {}) as Record<string, string>;
    const problems: string[] = [];
    const level = labels[POD_SECURITY_ENFORCE];
    if (level !== undefined && !LEVELS.includes(level))
      problems.push(`${POD_SECURITY_ENFORCE}: must be one of ${LEVELS.join(", ")}, not "${level}"`);
    const { error } = policyVersion(labels[POD_SECURITY_ENFORCE_VERSION]);
    if (error) problems.push(`${POD_SECURITY_ENFORCE_VERSION}: ${error}`);
    const subject = `Namespace ${manifest.metadata?.name}`;
    return problems.map((message) => ({ cluster, origin, subject, rule: "pod-security labels", message }));
  });
}

export function namespaceLabels(objects: readonly HydratedObject[]): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  for (const { manifest } of objects) {
    if (manifest.kind !== "Namespace" || manifest.apiVersion !== "v1") continue;
    const name = manifest.metadata?.name as string;
    labels.set(name, { ...(manifest.metadata?.labels ?? {}), "kubernetes.io/metadata.name": name });
  }
  return labels;
}

/** Kyverno's verdicts on an object itself, created by Flux (a Deployment through the autogenerated rules). */
function objectFindings(
  manifest: Manifest,
  labelsOf: (namespace: string) => Record<string, string>,
  config: KyvernoConfig,
): PolicyFinding[] {
  const ns = manifest.metadata?.namespace;
  return judgeRequest(
    requestFor(manifest, FLUX_APPLIER),
    ns ? namespaceObject(ns, labelsOf(ns)) : null,
    config,
  );
}

function unservedFinding(cluster: string, m: Manifest): AdmissionFinding {
  return {
    cluster,
    origin: "kyverno",
    subject: `${m.kind} ${m.metadata?.name}`,
    rule: "kyverno-api",
    message: `Kyverno 1.19 serves no ${m.kind} at ${m.apiVersion}: the API server refuses it, and the proof cannot judge it`,
  };
}

/** Kyverno as the cluster runs it: policies, exceptions in its exception namespace, resource filters. */
export function kyvernoConfig(objects: readonly HydratedObject[]): KyvernoConfig & { unserved: Manifest[] } {
  const manifests = objects.map((o) => o.manifest);
  const controller = manifests.find(
    (m) => m.kind === "Deployment" && m.metadata?.name === "kyverno-admission-controller",
  );
  const args: string[] =
    (controller?.spec as any)?.template?.spec?.containers?.flatMap((c: any) => c.args ?? []) ?? [];
  const enabled = args.includes("--enablePolicyException=true");
  const exceptionNamespace = args.find((a) => a.startsWith("--exceptionNamespace="))?.split("=")[1];
  const configMap = manifests.find(
    (m) =>
      m.kind === "ConfigMap" &&
      m.metadata?.name === "kyverno" &&
      m.metadata.namespace === controller?.metadata?.namespace,
  );
  return {
    policies: manifests.filter((m) => served(m) && m.kind !== "PolicyException"),
    unserved: manifests.filter((m) => isKyvernoPolicyGroup(m) && !served(m)),
    exceptions: manifests.filter(
      (m) =>
        served(m) &&
        m.kind === "PolicyException" &&
        enabled &&
        (!exceptionNamespace || exceptionNamespace === "*" || m.metadata?.namespace === exceptionNamespace),
    ),
    resourceFilters: parseResourceFilters(
      (configMap?.data as Record<string, string> | undefined)?.resourceFilters,
    ),
  };
}

function exceptionEntry(cluster: string, exception: Manifest): PolicyExceptionEntry {
  const refs = ((exception.spec as any)?.policyRefs ?? []) as { name: string }[];
  return {
    cluster,
    name: `${exception.metadata?.namespace}/${exception.metadata?.name}`,
    policies: refs.map((r) => r.name),
    reason: exception.metadata?.annotations?.[EXCEPTION_REASON] ?? "(no reason given)",
  };
}

/** Policy match constraints (copied by Kyverno into its webhooks) and chart webhooks' selectors. */
function selectorFindings(cluster: string, objects: readonly HydratedObject[]): AdmissionFinding[] {
  const findings: AdmissionFinding[] = [];
  for (const { origin, manifest } of objects) {
    const subject = `${manifest.kind} ${manifest.metadata?.name}`;
    const selectors: [string, LabelSelector | undefined][] = [];
    if (manifest.apiVersion === "policies.kyverno.io/v1") {
      const match = (manifest.spec as any)?.matchConstraints ?? {};
      selectors.push(
        ["matchConstraints.namespaceSelector", match.namespaceSelector],
        ["matchConstraints.objectSelector", match.objectSelector],
      );
    }
    if (/^(Validating|Mutating)WebhookConfiguration$/.test(manifest.kind)) {
      for (const [i, hook] of (((manifest as any).webhooks ?? []) as any[]).entries())
        selectors.push(
          [`webhooks[${i}].namespaceSelector`, hook.namespaceSelector],
          [`webhooks[${i}].objectSelector`, hook.objectSelector],
        );
    }
    for (const [field, selector] of selectors)
      for (const message of labelSelectorProblems(selector))
        findings.push({ cluster, origin, subject, rule: "label-selector", message: `${field}: ${message}` });
  }
  return findings;
}
