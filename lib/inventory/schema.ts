import { z } from "zod";
import { ipv4Cidr, PlatformContractSchema } from "./contract-schema.ts";

/** OTAP stages (Ontwikkeling, Test, Acceptatie, Productie) in promotion order. */
export const STAGES = ["dev", "test", "acc", "prod"] as const;
export type Stage = (typeof STAGES)[number];

/** Platform services with one home in the estate: Keycloak; Loki and Tempo; PostGIS master and object store. */
export const PLATFORM_SERVICES = ["identity", "observability", "data", "management"] as const;
/** Platform services an estate may go without (no Rancher: Flux alone manages the clusters). */
export const OPTIONAL_SERVICES: readonly PlatformService[] = ["management"];
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

/** Data classification: `high` never leaves the datacenter. */
export const DATA_LEVELS = ["low", "medium", "high"] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];
/** Data levels in order: a higher rank is more sensitive (-1 for a string that is no level). */
export const levelRank = (level: string) => (DATA_LEVELS as readonly string[]).indexOf(level);

/** What an external endpoint is; a language model takes medium data only from an anonymising workload. */
/** `cloud-api`: a cloud provider's management API (Azure Resource Manager), which takes no estate data. */
/** `notification`: where alerts go (a webhook or mail relay): their labels name workloads of every cluster. */
export const ENDPOINT_KINDS = [
  "language-model",
  "object-store",
  "database",
  "gateway",
  "cloud-api",
  "notification",
] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsName = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
/** A registry host (with optional port) and optional path, as in `registry.example/mirror`. */
const registry = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** git check-ref-format, the parts that matter for branch names. */
const gitBranch = /^(?!\/|.*\/$|.*\/\/|.*\.\.|.*@\{|.*\.lock$)[A-Za-z0-9._/-]+$/;

export const clusterName = z
  .string()
  .regex(dnsLabel, "must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)");

export const ClusterInputSchema = z.strictObject({
  name: clusterName,
  description: z.string().min(1),
  location: z.enum(["cloud", "on-prem"]),
  /** Kubernetes distribution flavour the FluxInstance is tuned for. */
  provider: z.enum(["azure", "datacenter"]),
  /** One cluster is either production (["prod"]) or holds the non-prod stages as namespaces. */
  stages: z.array(z.enum(STAGES)).min(1),
  gpuNodes: z.boolean(),
  git: z.strictObject({
    url: z
      .string()
      .regex(/^(https|ssh):\/\/[^\s/]+\/\S+\.git$/, "must be an https:// or ssh:// URL of a .git repository"),
    branch: z.string().regex(gitBranch, "must be a valid git branch name"),
  }),
  images: z.strictObject({
    registry: z.string().regex(registry, "must be a registry host with optional port and path"),
    /** Path, relative to the repository root, of the organisation's cosign public key (PEM). */
    cosignPublicKey: z.string().regex(/^[\w./-]+\.pub$/, "must be a relative path to a .pub file"),
    /** Where signatures are logged: "none" (no public transparency log reachable) or an own Rekor URL. */
    transparencyLog: z.union([z.literal("none"), z.url({ protocol: /^https$/ })]),
  }),
  /**
   * The organisation's PKI: its CA certificate (PEM, path relative to the repository), trusted
   * everywhere. A cluster whose certificates are verified only inside it names a CA of its own in
   * `clusterCaCertificate` (self-signed, not under the organisation's root): it then issues with that
   * key and holds no key of the organisation's CA.
   */
  pki: z.strictObject({
    caCertificate: z.string().regex(/^[\w./-]+\.crt$/, "must be a relative path to a .crt file"),
    clusterCaCertificate: z
      .string()
      .regex(/^[\w./-]+\.crt$/, "must be a relative path to a .crt file")
      .optional(),
  }),
  /**
   * Where the cluster gets Helm charts (an OCI registry path holding them as `<path>/<chart>:<version>`)
   * and upstream Git repositories (a Gitea organisation of pull mirrors). On-prem clusters have no
   * internet: synth refuses any chart, Git or image source outside these and `images.registry`.
   */
  mirrors: z.strictObject({
    charts: z
      .string()
      .regex(/^oci:\/\/[a-z0-9.-]+(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/, "must be an oci:// registry path"),
    git: z
      .string()
      .regex(
        /^https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._-]+)+$/,
        "must be an https:// URL of a Git organisation",
      ),
  }),
  /** Estate-wide platform services this cluster hosts; each has exactly one home, on-prem. */
  hosts: z.array(z.enum(PLATFORM_SERVICES)).optional(),
  /** External services (by name) that workloads may call: egress is opened to the CIDR and port only. */
  externalEndpoints: z
    .record(
      z.string().regex(/^[a-z0-9-]+$/),
      z.strictObject({
        host: z.string().regex(dnsName, "must be a DNS name"),
        cidr: ipv4Cidr,
        port: z.number().int().min(1).max(65535),
        /** The endpoint is that cluster's gateway, reached through the tunnel: its side accepts us. */
        gatewayOf: clusterName.optional(),
        /**
         * What the endpoint is: a language model takes low data, or medium data a workload anonymised
         * first; the others take up to their `maxDataLevel`.
         */
        kind: z.enum(ENDPOINT_KINDS),
        /** The highest data level the endpoint may receive (high only for the authority's own datacenters). */
        maxDataLevel: z.enum(DATA_LEVELS),
      }),
    )
    .optional(),
  /**
   * Addresses outside the pod network that NetworkPolicies name: the control-plane nodes (the API
   * server pods call and that calls the webhooks), the registry's addresses, the cluster's own node
   * range (what other clusters see its pods as, through the tunnel), and who may reach its gateway.
   */
  network: z.strictObject({
    controlPlane: ipv4Cidr,
    nodes: ipv4Cidr,
    registry: ipv4Cidr,
    /** Client ranges the gateway accepts besides other clusters' tunnels: the internet, the office. */
    gatewayClients: z.array(ipv4Cidr).min(1),
  }),
  /**
   * SOPS: the age recipients (public keys) Secrets for this cluster are encrypted to. The matching
   * private key exists only on the cluster, as Secret flux-system/sops-age.
   */
  sops: z.strictObject({
    age: z
      .array(z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, "must be an age X25519 recipient (age1…)"))
      .min(1),
  }),
  /** Keycloak groups whose members get `edit` in dev and `view` in test/acc. Prod clusters: none. */
  developerGroups: z.array(z.string().regex(/^[\w.-]+$/, "must be a Keycloak group name")).optional(),
  dns: z.strictObject({
    domain: z.string().regex(dnsName, "must be a lowercase DNS name with at least two labels"),
  }),
  /** What the cluster provides before Flux applies anything (lib/inventory/contract-schema.ts). */
  platform: PlatformContractSchema,
  /**
   * Node pools the cluster-autoscaler grows and shrinks: Azure virtual machine scale sets, each
   * between `min` and `max` nodes. It signs in as the scale sets' user-assigned managed identity
   * (`identity`, its client id): a token from the node's metadata service, no secret anywhere.
   */
  /**
   * Where the metrics store's Alertmanager sends alerts, on the observability home: an external
   * endpoint of kind `notification` (a webhook, or a mail relay) inside the datacenter.
   */
  alerting: z
    .strictObject({
      endpoint: z.string().min(1),
      webhook: z
        .strictObject({ path: z.string().regex(/^\/[\w./-]*$/, "must be an absolute path") })
        .optional(),
      email: z.strictObject({ to: z.email(), from: z.email() }).optional(),
    })
    .optional(),
  autoscaling: z
    .strictObject({
      provider: z.literal("azure-vmss"),
      subscription: z.uuid("must be the Azure subscription's id (a UUID)"),
      resourceGroup: z.string().regex(/^[-\w.()]{1,89}[-\w()]$/, "must be an Azure resource group name"),
      identity: z.uuid("must be the managed identity's client id (a UUID)"),
      pools: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-zA-Z0-9][-a-zA-Z0-9_]{0,63}$/, "must be a scale set name"),
            min: z.number().int().min(0),
            max: z.number().int().min(1).max(1000),
          }),
        )
        .min(1),
    })
    .optional(),
});

export type ClusterInput = z.input<typeof ClusterInputSchema>;

/** Identity function that gives a cluster file its type checking in the editor. */
export function defineCluster(cluster: ClusterInput): ClusterInput {
  return cluster;
}
