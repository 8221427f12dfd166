import type { PinnedComponent } from "./component.ts";
import type { PlatformContract } from "./contract-schema.ts";
import type { DataLevel, EndpointKind, PlatformService, Stage } from "./schema.ts";
import type { RolloutProfile } from "./workload-schema.ts";

/** A validated cluster, as the charts see it. Nothing here is optional or unchecked. */
export interface Cluster {
  readonly name: string;
  readonly description: string;
  /** Repository-relative file the cluster was defined in, for error messages. */
  readonly source: string;
  readonly location: "cloud" | "on-prem";
  readonly provider: "azure" | "datacenter";
  readonly stages: readonly Stage[];
  /** True when every stage is prod: policies deny instead of audit, no human RBAC. */
  readonly production: boolean;
  readonly gpuNodes: boolean;
  readonly git: { readonly url: string; readonly branch: string };
  /** Chart registry (`oci://…`) and Git mirror organisation (`https://…`) the cluster pulls from. */
  readonly mirrors: { readonly charts: string; readonly git: string };
  readonly images: {
    readonly registry: string;
    readonly cosignPublicKeyPath: string;
    readonly cosignPublicKeyPem: string;
    readonly transparencyLog: string;
  };
  /** The organisation's CA: cert-manager issues from it, the API servers and subscribers trust it. */
  readonly pki: {
    readonly caCertificatePath: string;
    readonly caCertificatePem: string;
    /** The cluster's own CA (self-signed, its key only on this cluster), when it issues with one. */
    readonly clusterCa?: { readonly path: string; readonly pem: string };
  };
  readonly developerGroups: readonly string[];
  readonly hosts: readonly PlatformService[];
  /** External services workloads may call, by name: reachable only through these CIDRs and port. */
  readonly externalEndpoints: Readonly<
    Record<
      string,
      {
        readonly host: string;
        readonly cidr: string;
        readonly port: number;
        readonly gatewayOf?: string;
        readonly kind: EndpointKind;
        readonly maxDataLevel: DataLevel;
      }
    >
  >;
  readonly sops: { readonly age: readonly string[] };
  readonly network: {
    readonly controlPlane: string;
    readonly nodes: string;
    readonly registry: string;
    readonly gatewayClients: readonly string[];
  };
  readonly dns: { readonly domain: string };
  /** What the cluster provides before Flux applies anything: the platform contract. */
  readonly platform: PlatformContract;
  /** Node pools the cluster-autoscaler scales (Azure scale sets), if any. */
  readonly autoscaling?: Autoscaling;
  /** Where alerts go, on the observability home (lib/estate/alerting.ts checks it). */
  readonly alerting?: Alerting;
}

export interface Alerting {
  /** The external endpoint (kind `notification`) that receives them. */
  readonly endpoint: string;
  readonly webhook?: { readonly path: string };
  readonly email?: { readonly to: string; readonly from: string };
}

export interface Autoscaling {
  readonly provider: "azure-vmss";
  readonly subscription: string;
  readonly resourceGroup: string;
  /** Client id of the scale sets' user-assigned managed identity. */
  readonly identity: string;
  readonly pools: readonly { readonly name: string; readonly min: number; readonly max: number }[];
}

export interface Estate {
  readonly clusters: readonly Cluster[];
  /** SOPS-encrypted Secrets under secrets/, each for one cluster. */
  readonly secrets: readonly EncryptedSecret[];
  readonly workloads: readonly Workload[];
  readonly placements: readonly Placement[];
  /** The platform's Helm components (charts/components/), which the command entries hand to the loader. */
  readonly components: readonly PinnedComponent[];
}

/** One workload in one environment on one cluster: the unit the charts render and the rules check. */
export interface Placement {
  readonly workload: Workload;
  readonly stage: Stage;
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly version: string;
  /** The full image reference: `<image>:<tag>` or `<image>@sha256:…`. */
  readonly imageRef: string;
}

export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly group: string;
  readonly image: string;
  readonly dataLevel: DataLevel;
  readonly port: number;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly gpu?: number;
  readonly replicas: number;
  /** `port` defaults to the target workload's port. */
  readonly flows: readonly {
    readonly to: string;
    readonly port?: number;
    readonly stages?: readonly Stage[];
  }[];
  readonly health?: { readonly path: string; readonly startupSeconds?: number };
  readonly routes: readonly Route[];
  readonly rollout: Partial<Record<Stage, RolloutProfile>>;
  readonly autoscale?: { readonly min: number; readonly max: number; readonly cpuPercent: number };
  readonly models?: { readonly volumeSize: string; readonly sharedMemory: string };
  readonly storage?: { readonly size: string; readonly path: string };
  readonly egress: readonly string[];
  /** The workload anonymises medium data before it sends any to an external language model. */
  readonly anonymises: boolean;
  /** Environment variables from Secrets in the workload's namespace, never values in Git. */
  readonly secretEnv: Readonly<Record<string, { readonly secret: string; readonly key: string }>>;
  readonly config: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly source: string;
}

export interface Route {
  readonly host: string;
  readonly path: string;
  /** Who may call the route, each with a token of its own Keycloak client (workloads, public clients). */
  readonly jwt?: { readonly callers: readonly string[]; readonly publicClients: readonly string[] };
  readonly publishVia?: string;
  /** A declared anonymising step: the route's answers carry at most this level. */
  readonly returns?: { readonly level: DataLevel; readonly why: string };
}

/** One encrypted Secret of a cluster, as committed; synth copies it into the cluster's tree unchanged. */
export interface EncryptedSecret {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly file: string;
  readonly document: Record<string, unknown>;
}
