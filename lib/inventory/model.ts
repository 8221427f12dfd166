import type { Stage } from "./schema.ts";

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
  readonly images: {
    readonly registry: string;
    readonly cosignPublicKeyPath: string;
    readonly cosignPublicKeyPem: string;
  };
  readonly dns: { readonly domain: string };
}

export interface Estate {
  readonly clusters: readonly Cluster[];
}
