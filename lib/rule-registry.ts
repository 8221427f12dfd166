/**
 * Every rule a refusal can name (`rule <id>` in a message), with what it refuses and the modules
 * that decide it. A Problem's `rule` is a RuleId, so an unregistered rule does not compile; the
 * README's rule table is this registry (test/rules-registry.test.ts checks both, and that each rule
 * is found in the modules listed and nowhere else).
 */
interface RuleInfo {
  /** When it is decided: loading the inventory, rendering objects, or judging them as admission does. */
  readonly stage: "inventory" | "render" | "admission";
  readonly refuses: string;
  /** Repository paths of the modules that decide it. */
  readonly decidedIn: readonly string[];
}

export const RULES = {
  "geo-fencing": {
    stage: "inventory",
    refuses: "data-level=high placed on a cloud cluster (the Kyverno policies refuse it at admission too)",
    decidedIn: ["lib/rules/geo-fencing.ts"],
  },
  "allowed-registry": {
    stage: "inventory",
    refuses: "an image from outside the cluster's registry",
    decidedIn: ["lib/rules/images.ts"],
  },
  "pinned-image": {
    stage: "inventory",
    refuses: "an image without a version or digest, or `latest`",
    decidedIn: ["lib/rules/images.ts"],
  },
  "gpu-nodes": {
    stage: "inventory",
    refuses: "a GPU workload on a cluster without GPU nodes",
    decidedIn: ["lib/rules/gpu.ts"],
  },
  "requests-limits": {
    stage: "inventory",
    refuses: "requests above limits (the admission policy requires both on every container)",
    decidedIn: ["lib/rules/resources.ts"],
  },
  "external-egress": {
    stage: "inventory",
    refuses:
      "egress to an undeclared endpoint, from high data, or medium data to a language model without anonymising",
    decidedIn: ["lib/rules/egress.ts"],
  },
  "single-writer-storage": {
    stage: "inventory",
    refuses: "a ReadWriteOnce volume with more than one replica or autoscaling",
    decidedIn: ["lib/rules/storage.ts"],
  },
  "route-forward": {
    stage: "inventory",
    refuses: "a forward through a cluster without a public gateway, of high data, or without a token (`jwt`)",
    decidedIn: ["lib/rules/routes.ts"],
  },
  "unique-routes": {
    stage: "inventory",
    refuses: "two routes with one host and path on a gateway, or a platform host label",
    decidedIn: ["lib/rules/routes.ts"],
  },
  "no-credentials-in-git": {
    stage: "inventory",
    refuses:
      "a password, token or key in the inventory's strings or a rendered object (scanner: lib/secrets/scanner.ts)",
    decidedIn: ["lib/rules/credentials.ts", "lib/synth/guards.ts"],
  },
  "no-plaintext-secrets": {
    stage: "render",
    refuses: "a Secret rendered in plain text (Secrets come SOPS-encrypted from secrets/)",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "no-private-keys": {
    stage: "inventory",
    refuses: "a private key anywhere in the inventory",
    decidedIn: ["lib/rules/credentials.ts"],
  },
  "ca-key-placement": {
    stage: "render",
    refuses:
      "a certificate verified outside its cluster on a cluster with a CA of its own, or a CA key on a cluster that issues nothing with it",
    decidedIn: ["lib/pki/certificates.ts", "lib/validate/certificate-trust.ts"],
  },
  "data-sovereignty": {
    stage: "inventory",
    refuses: "a chain of flows, routes and egress that carries data where it may not be",
    decidedIn: ["lib/sovereignty/prove.ts"],
  },
  "no-human-access-in-prod": {
    stage: "inventory",
    refuses: "developer groups on a production cluster, or a rendered binding of a person there",
    decidedIn: ["lib/estate/validate.ts", "lib/synth/guards.ts"],
  },
  "platform-homes": {
    stage: "inventory",
    refuses: "identity, observability or data without exactly one home on an on-prem production cluster",
    decidedIn: ["lib/estate/validate.ts"],
  },
  "known-cluster": {
    stage: "inventory",
    refuses: "a deployment to a cluster that does not exist",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "otap-stage": {
    stage: "inventory",
    refuses: "a deployment to a stage the cluster does not run",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "otap-isolation": {
    stage: "inventory",
    refuses: "a flow to a workload that does not run in the same stage",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "flow-target": {
    stage: "inventory",
    refuses: "a flow to a workload or platform store that does not exist",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "jwt-caller": {
    stage: "inventory",
    refuses:
      "a JWT caller that does not exist or does not run where the route does; a public client named as a workload",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "unique-names": {
    stage: "inventory",
    refuses: "two workloads with one name, or two rendered objects in one file",
    decidedIn: ["lib/estate/workloads.ts", "lib/synth/tree.ts"],
  },
  namespaces: {
    stage: "inventory",
    refuses: "a workload namespace the platform owns, or one longer than 63 characters",
    decidedIn: ["lib/estate/workloads.ts"],
  },
  "backups-elsewhere": {
    stage: "render",
    refuses: "a database without the backup store in another failure domain",
    decidedIn: ["lib/data/backups.ts"],
  },
  "object-store-mirror": {
    stage: "render",
    refuses: "the data home without the endpoint its anonymised bucket is mirrored to",
    decidedIn: ["charts/data.ts"],
  },
  connections: {
    stage: "render",
    refuses: "a connection declared twice, or one into a namespace no chart creates",
    decidedIn: ["lib/connections/index.ts", "charts/network.ts"],
  },
  schema: {
    stage: "render",
    refuses: "an object its real schema refuses (CRDs with their CEL rules, Kubernetes' own)",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "api-server-rules": {
    stage: "render",
    refuses: "what the API server's own validation refuses (names, sizes, ports, mounts, probes, quantities)",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "stable-names": {
    stage: "render",
    refuses: "generated names or cdk8s' construct addresses in rendered objects",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "explicit-namespace": {
    stage: "render",
    refuses: "a namespaced object without its namespace",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "cluster-scoped": {
    stage: "render",
    refuses: "a cluster-scoped object with a namespace",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "offline-sources": {
    stage: "render",
    refuses: "on an on-prem cluster, a chart, Git or image source outside the mirrors",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "pod-security": {
    stage: "render",
    refuses: "a Namespace without a Pod Security enforce label",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "dns-names": {
    stage: "render",
    refuses: "an object name that is not a lowercase DNS-1123 subdomain",
    decidedIn: ["lib/synth/guards.ts"],
  },
  "kyverno-api": {
    stage: "admission",
    refuses: "a Kyverno policy at an API version the cluster's Kyverno does not serve",
    decidedIn: ["lib/admission/index.ts"],
  },
  "label-selector": {
    stage: "admission",
    refuses: "a selector Kyverno would copy into its webhook that the API server refuses",
    decidedIn: ["lib/admission/index.ts"],
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** The README's rule table, generated from the registry. */
export function rulesTable(): string {
  const rows = Object.entries(RULES).map(
    ([id, r]) =>
      `| \`${id}\` | ${r.stage} | ${r.refuses} | ${r.decidedIn.map((m) => `\`${m}\``).join(", ")} |`,
  );
  return ["| rule | decided at | refuses | decided in |", "|---|---|---|---|", ...rows].join("\n");
}
